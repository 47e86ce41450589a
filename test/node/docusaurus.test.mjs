// py-cell/docusaurus (integrations/docusaurus/docusaurus.ts, built into dist/docusaurus.js): the
// element's script tag under the site's baseUrl (with a locale's, and the folder option), the
// build's copy of exactly the served files, and a real `docusaurus start` of the test site
// serving py-cell's files before its history fallback, and nothing else of the package. The
// site's `docusaurus build` runs in scripts/sites/docusaurus.mjs and the browsers. Needs
// `npm run build`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { files } from './files.mjs';
import pyCell from '../../dist/docusaurus.js';
import { linkPackage } from '../../scripts/sites/docusaurus.mjs';

test('the element loads from the baseUrl, a locale and the folder option included', () => {
  const plain = pyCell({ baseUrl: '/docs/' });
  assert.equal(plain.name, 'py-cell');
  assert.deepEqual(plain.injectHtmlTags().headTags, [
    { tagName: 'script', attributes: { type: 'module', src: '/docs/py-cell/dist/py-cell.js' } },
  ]);
  const french = pyCell({ baseUrl: '/docs/fr/' }, { folder: '/static/py-cell/' });
  assert.equal(french.injectHtmlTags().headTags[0].attributes.src, '/docs/fr/static/py-cell/dist/py-cell.js');
  assert.throws(
    () => pyCell({ baseUrl: '/' }, { folder: '../up' }),
    /py-cell\/docusaurus: the folder option must be a folder under the site's base/,
  );
  // The server bundle is left alone; the client's dev server gets the files.
  assert.deepEqual(plain.configureWebpack({}, true), {});
  assert.equal(typeof plain.configureWebpack({}, false).devServer.setupMiddlewares, 'function');
});

test('the build gets exactly the served files, under the folder', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'py-cell-docusaurus-'));
  try {
    await pyCell({ baseUrl: '/' }, { folder: 'assets/py-cell' }).postBuild({ outDir });
    const copied = files(join(outDir, 'assets/py-cell'));
    for (const file of ['dist/py-cell.js', 'dist/py-cell-worker.js', 'wasm-dist/pyodide.asm.wasm', 'py-cell-assets.json'])
      assert.ok(copied.includes(file), file);
    assert.ok(
      !copied.some(
        (file) => file.endsWith('.map') || file.endsWith('.d.ts') || file.startsWith('dist/prerender') || file.endsWith('README.md'),
      ),
    );
    const expected = ['dist', 'wasm-dist'].flatMap((folder) => files(folder).map((file) => `${folder}/${file}`));
    assert.ok(copied.every((file) => file === 'py-cell-assets.json' || expected.includes(file)));
    assert.deepEqual(
      files(outDir),
      copied.map((file) => `assets/py-cell/${file}`),
    );
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

test(
  'docusaurus start serves py-cell under the baseUrl, before its history fallback, and nothing else of the package',
  { timeout: 240_000 },
  async () => {
    const site = linkPackage(process.cwd());
    const port = await freePort();
    const server = spawn(
      process.execPath,
      ['node_modules/@docusaurus/core/bin/docusaurus.mjs', 'start', relative(process.cwd(), site), '--port', String(port), '--no-open'],
      {
        env: { ...process.env, DOCUSAURUS_TELEMETRY_DISABLED: '1', BROWSER: 'none' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let log = '';
    server.stdout.on('data', (chunk) => (log += chunk));
    server.stderr.on('data', (chunk) => (log += chunk));
    const base = `http://localhost:${port}/test/sites/_build/docusaurus/`;
    try {
      // The page, once webpack has compiled it.
      let page = '';
      for (const end = Date.now() + 200_000; !page.includes('</html>');) {
        assert.ok(Date.now() < end && server.exitCode === null, `docusaurus start did not serve the page:\n${log}`);
        page = await fetch(base).then(
          (response) => (response.ok ? response.text() : ''),
          () => '',
        );
        if (!page.includes('</html>')) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.match(page, /<script type="module" src="\/test\/sites\/_build\/docusaurus\/py-cell\/dist\/py-cell\.js">/);
      const element = await fetch(`${base}py-cell/dist/py-cell.js`);
      assert.equal(element.status, 200);
      assert.equal(element.headers.get('content-type'), 'text/javascript');
      assert.equal(await element.text(), readFileSync('dist/py-cell.js', 'utf8'));
      const wasm = await fetch(`${base}py-cell/wasm-dist/pyodide.asm.wasm`, { method: 'HEAD' });
      assert.equal(wasm.headers.get('content-type'), 'application/wasm');
      // What readers never fetch, a malformed path and one outside the folder get the site's own
      // answer (its page, from the history fallback), not a file of the package.
      for (const path of [
        'py-cell/dist/py-cell.js.map',
        'py-cell/package.json',
        'py-cell/dist/prerender.js',
        'py-cell/%E0%A4%A',
        'py-cell/dist/../package.json',
      ]) {
        const response = await fetch(`${base}${path}`);
        assert.match(response.headers.get('content-type') ?? '', /text\/html/, path);
        await response.body?.cancel();
      }
    } finally {
      process.kill(-server.pid, 'SIGTERM');
    }
  },
);
