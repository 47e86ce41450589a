// Pages prerendered by the package's own command (`py-cell prerender`, dist/prerender-cli.js):
// copies of the demo pages (beside them, as demo/_prerendered-<page>.html, so their relative links
// still work), of test/pages/all-outputs.html (every kind of output) and of the pages markdown-it
// and remark built; and the Sphinx and MkDocs test sites and the remark page built again with
// their own `prerender` setting or option (test/sites/_build/{sphinx,mkdocs,remark}-prerendered/). The command runs twice:
// the second run must leave every page byte for byte as the first wrote it. The browser side is
// test/integration/prerender.test.ts, which reads the list from sites.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { writePage } from './page.mjs';
import { runTool } from './sphinx.mjs';

const pages = (root) => [
  ...readdirSync(join(root, 'demo'))
    .filter((name) => name.endsWith('.html') && !name.startsWith('_') && name !== 'index.html')
    .map((name) => `demo/${name}`),
  'test/pages/all-outputs.html',
];

const copyName = (page) => join(dirname(page), `_prerendered-${basename(page)}`);

/** The Sphinx and MkDocs test sites built again with their `prerender` setting on, and the remark page with its option; their pages. */
async function builtWithPrerender(root) {
  const sphinx = join(root, 'test/sites/_build/sphinx-prerendered');
  const mkdocs = join(root, 'test/sites/_build/mkdocs-prerendered');
  const doctrees = await mkdtemp(join(tmpdir(), 'py-cell-sphinx-'));
  try {
    await rm(sphinx, { recursive: true, force: true });
    const args = ['-b', 'html', '-W', '--keep-going', '-q', '-E', '-d', doctrees, '-D', 'py_cell_prerender=1', 'test/sites/sphinx', sphinx];
    await runTool('sphinx-build', args, { root, hint: 'apt-get install python3-sphinx' });
  } finally {
    await rm(doctrees, { recursive: true, force: true });
  }
  // The MkDocs site's settings, with `prerender: true` added to extra.py_cell (its last entry).
  const yml = join(root, 'test/sites/mkdocs/_prerendered.yml');
  writeFileSync(yml, `${readFileSync(join(root, 'test/sites/mkdocs/mkdocs.yml'), 'utf8').trimEnd()}\n    prerender: true\n`);
  try {
    await rm(mkdocs, { recursive: true, force: true });
    await runTool('mkdocs', ['build', '--strict', '-q', '-f', yml, '-d', mkdocs], {
      root,
      hint: 'apt-get install mkdocs python3-pymdownx',
    });
  } finally {
    await rm(yml, { force: true });
  }
  // The remark test page, built with the plugin's `prerender` option; its wheel path is relative to the page.
  const remark = join(root, 'test/sites/_build/remark-prerendered');
  const { default: pyCell } = await import(pathToFileURL(join(root, 'dist/remark.js')).href);
  const processor = unified().use(remarkParse).use(pyCell, { prerender: true }).use(remarkRehype).use(rehypeStringify);
  const value = readFileSync(join(root, 'test/sites/remark/index.md'), 'utf8');
  const file = await processor.process({ path: join(remark, 'index.html'), value });
  if (file.data.pyCellPrerender?.cells.length !== 3)
    throw new Error(`prerender: remark's report: ${JSON.stringify(file.data.pyCellPrerender)}`);
  writePage({ root, out: remark, title: 'py-cell with remark, prerendered', body: String(file) });
  const pages = [
    'test/sites/_build/sphinx-prerendered/index.html',
    'test/sites/_build/mkdocs-prerendered/index.html',
    'test/sites/_build/remark-prerendered/index.html',
  ];
  for (const page of pages) {
    if (!readFileSync(join(root, page), 'utf8').includes('data-py-cell-prerendered'))
      throw new Error(`prerender: ${page} has no stored outputs`);
  }
  return pages;
}

export default async function build({ root, sites = {} }) {
  // The pages markdown-it and remark built: the command works on their output.
  const built = ['markdown-it', 'remark'].filter((name) => sites[name]).map((name) => sites[name].slice(1));
  const originals = [...pages(root), ...built];
  const copies = originals.map((page) => {
    copyFileSync(join(root, page), join(root, copyName(page)));
    return copyName(page);
  });
  const cli = join(root, 'dist/prerender-cli.js');
  const first = execFileSync('node', [cli, 'prerender', ...copies], { cwd: root, encoding: 'utf8' });
  execFileSync('node', [cli, 'prerender', '--quiet', ...copies], { cwd: root, encoding: 'utf8' });
  // Some outputs differ between runs (the autorun page prints the time): without what the command
  // wrote, each page must be the original, byte for byte, after two runs.
  const strip = (html) =>
    html
      .replace(/<script type="application\/vnd\.py-cell\.outputs\+json" data-py-cell-prerendered>[^<]*<\/script>/g, '')
      .replace(/<div data-py-cell-prerendered class="py-cell-prerendered">(<pre class="[\w-]+">[^<]*<\/pre>)*<\/div>/g, '');
  copies.forEach((copy, i) => {
    if (strip(readFileSync(join(root, copy), 'utf8')) !== readFileSync(join(root, originals[i]), 'utf8'))
      throw new Error(`prerender: ${copy}, without its outputs, is not ${originals[i]} after two runs`);
  });
  console.log(`prerender: ${first.trim().split('\n').at(-1)}; after a second run, the pages are their originals but for their outputs`);
  const withSetting = await builtWithPrerender(root);
  console.log(`prerender: the Sphinx, MkDocs and remark pages built with their prerender setting or option: ${withSetting.join(', ')}`);
  mkdirSync(join(root, 'test/_build'), { recursive: true });
  const list = [...copies, ...withSetting].map((page) => `/${page}`);
  writeFileSync(join(root, 'test/_build/prerendered.json'), `${JSON.stringify(list)}\n`);
  return { page: null };
}
