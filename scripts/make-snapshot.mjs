#!/usr/bin/env node
// Writes wasm-dist/py-cell-snapshot.gz: a memory snapshot of Pyodide's interpreter taken right
// after it started and imported what py-cell's first run needs, so the browser restores that
// state instead of starting Python (see docs/decisions/0005-memory-snapshot.md).
// It is made in headless Chromium, in a module worker like the one that restores it: the
// interpreter records at start what its host can do (WebAssembly stack switching, for one),
// so a snapshot made in Node would not fit the browser. Without Chromium the snapshot is
// skipped and Python starts normally. Pyodide refuses a snapshot of another build (build id).
// py-cell's own modules are imported for their dependencies, then dropped from sys.modules:
// the worker imports them afresh from the files it writes, so a snapshot never holds stale code.
import { createServer } from 'node:http';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, launchChromium } from './chromium.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'wasm-dist');
const sources = join(root, 'runtime/python/pycell');
const output = join(dist, 'py-cell-snapshot.gz');
const manifestPath = join(dist, 'py-cell-runtime.json');
const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
const mb = (n) => (n / 2 ** 20).toFixed(1);
async function record(packedBytes, bytes) {
  // `jspi`: made where stack switching works; a browser without it starts Python normally.
  manifest.snapshot = { file: 'py-cell-snapshot.gz', bytes, packedBytes, jspi: true };
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

// Up to date when newer than everything it is made from.
const inputs = [
  join(dist, 'pyodide.asm.wasm'),
  join(dist, 'python_stdlib.zip'),
  fileURLToPath(import.meta.url),
  ...(await readdir(sources)).map((file) => join(sources, file)),
];
const mtime = async (path) => (await stat(path).catch(() => null))?.mtimeMs ?? 0;
if ((await mtime(output)) > Math.max(...(await Promise.all(inputs.map(mtime))))) {
  const packed = await readFile(output);
  // gzip's trailer holds the unpacked size (mod 2^32; the snapshot is far smaller).
  await record(packed.length, packed.readUInt32LE(packed.length - 4));
  console.log(`make-snapshot: up to date (${mb(packed.length)} MiB)`);
  process.exit(0);
}
if (!chromiumPath) {
  console.warn(
    'make-snapshot: Chromium not found (apt-get install -y chromium, or set CHROME_PATH): no snapshot, Python will start normally.',
  );
  process.exit(0);
}

const started = performance.now();
const files = {};
for (const file of await readdir(sources)) if (file.endsWith('.py')) files[file] = await readFile(join(sources, file), 'utf8');

// The worker: start Pyodide for a snapshot, prepare it, post the gzipped snapshot back.
const workerSource = `
import { loadPyodide } from '/wasm-dist/pyodide.mjs';
const files = ${JSON.stringify(files)};
const pyodide = await loadPyodide({
  indexURL: '/wasm-dist/',
  _makeSnapshot: true,
  fsInit: async (FS, { sitePackages }) => {
    FS.mkdirTree(sitePackages + '/pycell');
    for (const [name, text] of Object.entries(files)) FS.writeFile(sitePackages + '/pycell/' + name, text);
  },
});
// In a function, so that __main__ is left as a fresh start leaves it.
pyodide.runPython(\`
def _prepare():
    import sys
    import pycell, pycell._runner  # their imports stay loaded
    for name in [m for m in sys.modules if m == 'pycell' or m.startswith('pycell.')]:
        del sys.modules[name]
    # Pyodide puts '' first on sys.path at every load, a restored one included.
    sys.path.remove('')
_prepare()
del _prepare
\`);
const snapshot = pyodide.makeMemorySnapshot();
const packed = new Uint8Array(await new Response(new Blob([snapshot]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
postMessage({ bytes: snapshot.length, packed }, [packed.buffer]);
`;
const pageSource = `<!doctype html><script type="module">
const worker = new Worker('/snapshot-worker.mjs', { type: 'module' });
worker.onerror = (event) => { window.result = { error: event.message || 'worker failed' }; };
worker.onmessage = async (event) => {
  const { bytes, packed } = event.data;
  await fetch('/upload', { method: 'POST', body: packed });
  window.result = { bytes };
};
</script>`;

let upload = null;
const server = createServer(async (request, response) => {
  if (request.method === 'POST' && request.url === '/upload') {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    upload = Buffer.concat(chunks);
    response.end('ok');
    return;
  }
  const types = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
  const type = (path) => types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
  if (request.url === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end(pageSource);
  if (request.url === '/snapshot-worker.mjs') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(workerSource);
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
  if (!path.startsWith('/wasm-dist/')) return response.writeHead(404).end();
  try {
    response.writeHead(200, { 'content-type': type(path) }).end(await readFile(join(root, path)));
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.result, { timeout: 300_000 });
  const result = await page.evaluate(() => window.result);
  if (result.error || !upload) throw new Error(`make-snapshot: ${result.error ?? 'no snapshot received'}`);
  await writeFile(output, upload);
  await record(upload.length, result.bytes);
  console.log(
    `make-snapshot: ${mb(result.bytes)} MiB, ${mb(upload.length)} MiB gzipped, made in Chromium in ${Math.round(performance.now() - started)} ms`,
  );
} finally {
  await browser.close();
  server.close();
}
