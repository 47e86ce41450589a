// Pages prerendered by the package's own command (`py-cell prerender`, dist/prerender-cli.js):
// copies of the demo pages (beside them, as demo/_prerendered-<page>.html, so their relative links
// still work), of test/pages/all-outputs.html (every kind of output) and of the page each docs
// integration built (markdown-it, remark, Sphinx, MkDocs), when it was built. The command runs twice:
// the second run must leave every page byte for byte as the first wrote it. The browser side is
// test/integration/prerender.test.ts, which reads the list from sites.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const pages = (root) => [
  ...readdirSync(join(root, 'demo'))
    .filter((name) => name.endsWith('.html') && !name.startsWith('_') && name !== 'index.html')
    .map((name) => `demo/${name}`),
  'test/pages/all-outputs.html',
];

const copyName = (page) => join(dirname(page), `_prerendered-${basename(page)}`);

export default async function build({ root, sites = {} }) {
  // The pages the docs integrations built (markdown-it, remark, Sphinx, MkDocs): the command works on their output.
  const built = ['markdown-it', 'remark', 'sphinx', 'mkdocs'].filter((name) => sites[name]).map((name) => sites[name].slice(1));
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
  mkdirSync(join(root, 'test/_build'), { recursive: true });
  writeFileSync(join(root, 'test/_build/prerendered.json'), `${JSON.stringify(copies.map((copy) => `/${copy}`))}\n`);
  return { page: null };
}
