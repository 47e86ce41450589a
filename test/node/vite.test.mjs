// py-cell/vite (integrations/vite/vite.ts, built into dist/vite.js) in a real Vite: the dev server
// serves py-cell's files under the site's base with their types and nothing else of the package;
// `import 'py-cell'` becomes an import of the element there (a stand-in in a server render); the
// build writes exactly the served files beside the bundle, with no copy of the element, its worker
// or Pyodide in the bundle. Needs `npm run build`.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { files } from './files.mjs';
import { build, createLogger, createServer } from 'vite';
import pyCell from '../../dist/vite.js';

function project() {
  const root = mkdtempSync(join(tmpdir(), 'py-cell-vite-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script><py-cell>print(1)</py-cell>\n');
  writeFileSync(join(root, 'main.js'), "import { configure } from 'py-cell';\nconfigure({ timeout: 5 });\n");
  return root;
}

test('the dev server serves py-cell under the base, and the import points there', async () => {
  const root = project();
  // What the dev server logs as an error (a pre-transform of the element's URL once logged one).
  const errors = [];
  const customLogger = { ...createLogger('silent'), error: (message) => errors.push(message) };
  const server = await createServer({ root, base: '/docs/', customLogger, server: { port: 0 }, plugins: [pyCell()] });
  try {
    await server.listen();
    const origin = `http://localhost:${server.httpServer.address().port}`;
    const element = await fetch(`${origin}/docs/py-cell/dist/py-cell.js`);
    assert.equal(element.status, 200);
    assert.equal(element.headers.get('content-type'), 'text/javascript');
    assert.equal(await element.text(), readFileSync('dist/py-cell.js', 'utf8'));
    const wasm = await fetch(`${origin}/docs/py-cell/wasm-dist/pyodide.asm.wasm`, { method: 'HEAD' });
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    // What readers never fetch is not served: maps, the package's other files.
    for (const path of ['dist/py-cell.js.map', 'package.json', 'dist/prerender.js', 'dist/../package.json'])
      assert.notEqual((await fetch(`${origin}/docs/py-cell/${path}`)).headers.get('content-type'), 'text/javascript', path);
    const main = await server.transformRequest('/main.js');
    assert.match(main.code, /from ["']\/docs\/py-cell\/dist\/py-cell\.js["']/);
    // Vite warms up what main.js imports: the element's URL is the plugin's, not a file of the site.
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.deepEqual(errors, []);
    // A server render gets a stand-in with the element's names, doing nothing.
    writeFileSync(join(root, 'server.js'), "export * from 'py-cell';\n");
    const rendered = await server.ssrLoadModule('/server.js');
    // The element's own exports, read from its bundle's export clause (it cannot run in Node).
    const clause = /export\{([^}]*)\};?\s*(\/\/.*)?$/.exec(readFileSync('dist/py-cell.js', 'utf8').trimEnd())[1];
    const api = clause.split(',').map((entry) =>
      entry
        .trim()
        .split(/\s+as\s+/)
        .at(-1),
    );
    assert.ok(api.includes('configure'));
    assert.deepEqual(Object.keys(rendered).sort(), api.sort());
    assert.equal(rendered.configure({ timeout: 5 }), undefined);
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the build writes the served files beside the bundle, under the base, and bundles none of them', async () => {
  const root = project();
  try {
    await build({ root, base: '/docs/', logLevel: 'silent', plugins: [pyCell({ folder: 'assets/py-cell' })] });
    const out = join(root, 'dist');
    const written = files(out);
    const served = written.filter((file) => file.startsWith('assets/py-cell/')).map((file) => file.slice('assets/py-cell/'.length));
    const expected = ['dist', 'wasm-dist'].flatMap((folder) => files(folder).map((file) => `${folder}/${file}`));
    for (const file of ['dist/py-cell.js', 'dist/py-cell-worker.js', 'dist/katex/katex.css', 'wasm-dist/pyodide.asm.wasm'])
      assert.ok(served.includes(file), file);
    assert.ok(!served.some((file) => file.endsWith('.map') || file.endsWith('.d.ts') || file.startsWith('dist/prerender')));
    assert.ok(served.every((file) => expected.includes(file)));
    const bundle = written.filter((file) => !file.startsWith('assets/py-cell/'));
    assert.deepEqual(
      bundle.filter((file) => /worker|pyodide|py-cell/.test(file)),
      [],
    );
    const app = bundle
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(join(out, file), 'utf8'))
      .join('\n');
    assert.match(app, /["']\/docs\/assets\/py-cell\/dist\/py-cell\.js["']/);
    assert.ok(app.length < 2000, `the app's bundle holds only its own code (${app.length} characters)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a relative base is refused with the fix', async () => {
  const root = project();
  try {
    await assert.rejects(build({ root, base: './', logLevel: 'silent', plugins: [pyCell()] }), /base is relative.*set base to '\/'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
