// The npm package as people install it: `npm pack`, its file list checked, then installed into a
// fresh project (out/) beside two pages the browser tests open: one that loads the installed
// module as is, one built by Rollup from `import { configure } from 'py-cell'` (the exports map,
// as bundlers resolve it). The integration entry points are imported from the installed package.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePage } from './page.mjs';

/** What the package may hold, and what it must. */
const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^CHANGELOG\.md$/,
  /^custom-elements\.json$/,
  // The guides the README links to (not the decision records).
  /^docs\/[^/]+\.(md|png)$/,
  /^dist\//,
  /^wasm-dist\//,
  /^integrations\/python\//,
];
const REQUIRED = [
  'dist/py-cell.js',
  'dist/py-cell-worker.js',
  'dist/py-cell-worker-bridged.js',
  'dist/py-cell-shared-worker.js',
  'dist/py-cell-main-thread.js',
  'dist/py-cell-sw.js',
  'dist/markdown-it.js',
  'dist/remark.js',
  'dist/prerender.js',
  'dist/prerender-worker.js',
  'dist/prerender-cli.js',
  'dist/vite.js',
  'dist/types/integrations/vite/vite.d.ts',
  'dist/docusaurus.js',
  'dist/types/integrations/docusaurus/docusaurus.d.ts',
  'dist/types/components/index.d.ts',
  'custom-elements.json',
  'docs/markdown.md',
  'docs/sphinx.md',
  'docs/mkdocs.md',
  'docs/screenshot.png',
  'wasm-dist/pyodide.asm.wasm',
  'wasm-dist/py-cell-runtime.json',
  'wasm-dist/py-cell-snapshot.gz',
  'wasm-dist/py-cell-snapshot-nojspi.gz',
  'integrations/python/py_cell_docs/sphinx.py',
  'integrations/python/py_cell_docs/attributes.json',
];

const run = (command, args, cwd) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

export default async function build({ root, out }) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', out], root));
  const files = packed.files.map((file) => file.path);
  const stray = files.filter((file) => !ALLOWED.some((pattern) => pattern.test(file)));
  const missing = REQUIRED.filter((file) => !files.includes(file));
  if (stray.length || missing.length) throw new Error(`npm pack: unexpected ${JSON.stringify(stray)}, missing ${JSON.stringify(missing)}`);
  const manifest = JSON.parse(run('npm', ['pkg', 'get', 'private', '--json'], root) || '{}');
  if (manifest === true) throw new Error('package.json is private: it cannot be published');

  writeFileSync(join(out, 'package.json'), `${JSON.stringify({ name: 'site', private: true, type: 'module' }, null, 2)}\n`);
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(out, packed.filename)], out);

  // Node resolves the integration entry points through the exports map, and they work.
  const entry = (name) => import(pathToFileURL(join(out, 'node_modules/py-cell', name)).href);
  const resolve = (specifier) =>
    run('node', ['--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`], out).trim();
  for (const [specifier, file] of [
    ['py-cell', 'dist/py-cell.js'],
    ['py-cell/markdown-it', 'dist/markdown-it.js'],
    ['py-cell/remark', 'dist/remark.js'],
    ['py-cell/prerender', 'dist/prerender.js'],
    ['py-cell/custom-elements.json', 'custom-elements.json'],
  ]) {
    const found = resolve(specifier);
    if (!found.endsWith(`/node_modules/py-cell/${file}`)) throw new Error(`${specifier} resolves to ${found}, not ${file}`);
  }
  const { default: pyCell } = await entry('dist/markdown-it.js');
  if (typeof pyCell !== 'function') throw new Error('py-cell/markdown-it has no default export');

  // The installed module, loaded as a page would from node_modules.
  const cell = (code) => `<py-cell><script type="text/x-python">${code}</script></py-cell>`;
  writePage({
    root,
    out,
    title: 'py-cell from npm',
    script: './node_modules/py-cell/dist/py-cell.js',
    body: cell('import sys\nprint("from npm", sys.version_info[:2])'),
  });
  // The package's bin, as `npx py-cell prerender` runs it, on a copy of that page.
  copyFileSync(join(out, 'index.html'), join(out, 'prerendered.html'));
  const report = run(join(out, 'node_modules/.bin/py-cell'), ['prerender', 'prerendered.html'], out);
  if (!readFileSync(join(out, 'prerendered.html'), 'utf8').includes('"text":"from npm (3, 14)\\n"'))
    throw new Error(`the installed py-cell prerender did not store the page's output: ${report}`);
  // A bundled app: Rollup resolves 'py-cell' through the exports map. A bundle moves the module,
  // so the runtime folder and the worker are configured where the package keeps them.
  writeFileSync(
    join(out, 'app.js'),
    `import { configure, PyCell } from 'py-cell';
configure({ runtimeURL: './node_modules/py-cell/wasm-dist/', workerURL: './node_modules/py-cell/dist/py-cell-worker.js' });
window.bundledPyCell = PyCell;
`,
  );
  const rollup = join(root, 'node_modules/.bin/rollup');
  const config = `import { nodeResolve } from '${pathToFileURL(join(root, 'node_modules/@rollup/plugin-node-resolve/dist/es/index.js')).href}';
export default { input: 'app.js', output: { dir: 'bundle', format: 'es' }, plugins: [nodeResolve({ browser: true })] };
`;
  writeFileSync(join(out, 'rollup.config.mjs'), config);
  run(rollup, ['-c', 'rollup.config.mjs', '--silent'], out);
  writePage({ root, out, file: 'bundled.html', title: 'py-cell bundled', script: './bundle/app.js', body: cell('print("bundled")') });
  const kb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(`package: ${packed.filename}, ${files.length} files, ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked`);
  return { page: 'index.html', pages: ['index.html', 'bundled.html'] };
}
