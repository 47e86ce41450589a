#!/usr/bin/env node
// Writes wasm-dist/py-cell-snapshot.gz and py-cell-snapshot-nojspi.gz: memory snapshots of
// Pyodide's interpreter taken right after it started and imported what py-cell's first run
// needs, so the browser restores that state instead of starting Python (see
// docs/decisions/0005-memory-snapshot.md and 0008-three-engines.md).
// They are made in headless Chromium, in module workers like the one that restores them: the
// interpreter records at start what its host can do, WebAssembly stack switching (JSPI) above
// all, so a snapshot made in Node would not fit the browser. One is made with stack switching
// (Chromium, Firefox), one with it hidden from Pyodide (for browsers without it: Safari); the
// worker picks the one that fits. Without Chromium they are skipped and Python starts normally.
// Pyodide refuses a snapshot of another build (build id).
// py-cell's own modules are imported for their dependencies, then dropped from sys.modules:
// the worker imports them afresh from the files it writes, so a snapshot never holds stale code.
// A one-file wheel is installed and removed, so that the installer's own imports are in it too.
import { createServer } from 'node:http';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, launchChromium } from './chromium.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'wasm-dist');
const sources = join(root, 'runtime/python/pycell');
/** The snapshots: `jspi` says whether stack switching was there when it was made. */
const SNAPSHOTS = [
  { file: 'py-cell-snapshot.gz', jspi: true },
  { file: 'py-cell-snapshot-nojspi.gz', jspi: false },
];
const manifestPath = join(dist, 'py-cell-runtime.json');
const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
const mb = (n) => (n / 2 ** 20).toFixed(1);
async function record(made) {
  manifest.snapshots = made.map(({ file, jspi, bytes, packedBytes }) => ({ file, bytes, packedBytes, jspi }));
  delete manifest.snapshot;
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
const newestInput = Math.max(...(await Promise.all(inputs.map(mtime))));
const outputs = await Promise.all(SNAPSHOTS.map(({ file }) => mtime(join(dist, file))));
if (outputs.every((time) => time > newestInput)) {
  const made = [];
  for (const snapshot of SNAPSHOTS) {
    const packed = await readFile(join(dist, snapshot.file));
    // gzip's trailer holds the unpacked size (mod 2^32; the snapshot is far smaller).
    made.push({ ...snapshot, packedBytes: packed.length, bytes: packed.readUInt32LE(packed.length - 4) });
  }
  await record(made);
  console.log(`make-snapshot: up to date (${made.map(({ packedBytes }) => `${mb(packedBytes)} MiB`).join(', ')})`);
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

// The worker: start Pyodide for a snapshot, prepare it, post the gzipped snapshot back. With
// ?nojspi, stack switching is hidden from Pyodide first, as in a browser that lacks it.
const workerSource = `
if (new URL(import.meta.url).searchParams.has('nojspi')) {
  delete WebAssembly.Suspending;
  delete WebAssembly.promising;
  // CPython's call trampoline: with wasm GC it is a wasm function in the table, whose index a
  // snapshot keeps, and engines differ in whether they make it; iOS never does. Making this
  // snapshot as iOS would keeps the JavaScript trampoline, which every engine has.
  Object.defineProperty(navigator, 'userAgent', { value: navigator.userAgent + ' (iPhone)' });
}
const { loadPyodide } = await import('/wasm-dist/pyodide.mjs');
// Zeroes the heap's free memory through malloc itself: takes every free block, large ones first,
// until malloc has to reach past the memory it ever handed out (zero already), then frees them.
function zeroFreeMemory(Module) {
  const heapBytes = Module.HEAP8.length;
  const blocks = [];
  let zeroed = 0;
  for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 8, 16]) {
    for (;;) {
      const brk = Module._sbrk(0);
      const block = Module._malloc(size);
      if (!block) break;
      blocks.push(block);
      Module.HEAPU8.fill(0, block, block + size);
      zeroed += size;
      if (Module._sbrk(0) !== brk) break; // past the memory ever handed out: zero already
    }
  }
  for (const block of blocks) Module._free(block);
  if (Module.HEAP8.length !== heapBytes) throw new Error('zeroing the free memory grew the heap');
  return zeroed;
}
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
    import gc, io, shutil, sys, tempfile, zipfile
    import pycell, pycell._runner  # their imports stay loaded
    # Installing a package imports what Pyodide's installer only imports then: tarfile and the
    # zip file-name codec, and importlib.metadata with its many modules (imported by the
    # importlib.invalidate_caches() that ends loadPackage). A restored interpreter would compile
    # them all at its first install: about 0.5 s in Chromium. Installing a one-file wheel here
    # as loadPackage does keeps them loaded.
    import importlib
    from pyodide._package_loader import unpack_buffer
    from pyodide.ffi import to_js
    wheel = io.BytesIO()
    with zipfile.ZipFile(wheel, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('pycell_warmup.py', 'VALUE = 1')
        archive.writestr('pycell_warmup-0.dist-info/WHEEL', 'Wheel-Version: 1.0')
    target = tempfile.mkdtemp()
    unpack_buffer(to_js(wheel.getvalue()), filename='pycell_warmup-0-py3-none-any.whl', extract_dir=target,
                  calculate_dynlibs=True, metadata={'INSTALLER': 'pyodide'})
    shutil.rmtree(target)
    importlib.invalidate_caches()
    tempfile._name_sequence = None  # its random names are seeded afresh in each restored one
    for name in [m for m in sys.modules if m == 'pycell' or m.startswith('pycell.')]:
        del sys.modules[name]
    # Pyodide puts '' first on sys.path at every load, a restored one included.
    sys.path.remove('')
    gc.collect()
_prepare()
del _prepare
\`);
// Memory freed while Python started still holds what was there (compiler scratch, file
// buffers), which gzip cannot pack away. Zeroing the free heap makes the snapshot smaller.
const zeroed = zeroFreeMemory(pyodide._module);
const snapshot = pyodide.makeMemorySnapshot();
const packed = new Uint8Array(await new Response(new Blob([snapshot]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
postMessage({ bytes: snapshot.length, packed, zeroed }, [packed.buffer]);
`;
const pageSource = `<!doctype html><script type="module">
const worker = new Worker('/snapshot-worker.mjs' + location.search, { type: 'module' });
worker.onerror = (event) => { window.result = { error: event.message || 'worker failed' }; };
worker.onmessage = async (event) => {
  const { bytes, packed, zeroed } = event.data;
  await fetch('/upload', { method: 'POST', body: packed });
  window.result = { bytes, zeroed };
};
</script>`;

/** Snapshots posted back by the page, in order. */
const uploads = [];
const server = createServer(async (request, response) => {
  if (request.method === 'POST' && request.url === '/upload') {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    uploads.push(Buffer.concat(chunks));
    response.end('ok');
    return;
  }
  const { pathname } = new URL(request.url, 'http://x');
  const types = { '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
  const type = (path) => types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
  if (pathname === '/') return response.writeHead(200, { 'content-type': 'text/html' }).end(pageSource);
  if (pathname === '/snapshot-worker.mjs') return response.writeHead(200, { 'content-type': 'text/javascript' }).end(workerSource);
  const path = normalize(decodeURIComponent(pathname));
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
  const made = [];
  for (const snapshot of SNAPSHOTS) {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/${snapshot.jspi ? '' : '?nojspi'}`);
    await page.waitForFunction(() => window.result, { timeout: 300_000 });
    const result = await page.evaluate(() => window.result);
    await page.close();
    const upload = uploads.shift();
    if (result.error || !upload) throw new Error(`make-snapshot: ${result.error ?? 'no snapshot received'} (${snapshot.file})`);
    await writeFile(join(dist, snapshot.file), upload);
    made.push({ ...snapshot, bytes: result.bytes, packedBytes: upload.length, zeroed: result.zeroed });
  }
  await record(made);
  const sizes = made.map(
    ({ file, bytes, packedBytes, zeroed }) => `${file} ${mb(bytes)} MiB (${mb(zeroed)} MiB free, zeroed), ${mb(packedBytes)} MiB gzipped`,
  );
  console.log(`make-snapshot: ${sizes.join('; ')}; made in Chromium in ${Math.round(performance.now() - started)} ms`);
} finally {
  await browser.close();
  server.close();
}
