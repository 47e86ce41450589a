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
// py-cell's own modules are imported, and their sources kept beside them: a restored interpreter
// keeps the modules only when the files the worker writes are the same, and otherwise drops them
// and imports the worker's own, so a snapshot never runs stale code.
// A one-file wheel is installed and removed, so that the installer's own imports are in it too.
//
// Packages in the snapshot: `--packages a,b` (or PYCELL_SNAPSHOT_PACKAGES=a,b for `npm run
// build`) installs and imports pure-Python packages before the snapshot is taken: names of the
// lock file's packages (their wheels must be in wasm-dist/), of wheels copied into wasm-dist/, or
// paths to wheel files. The snapshot keeps their files in memory; a restored interpreter writes
// them back. Compiled packages are refused: Pyodide's snapshot cannot hold a loaded dynamic
// library. `--out <dir>` writes the snapshots and a manifest holding only them to <dir> instead.
//
// What this script and the engine must agree on (the manifest's name, the snapshots' files, the
// names a restored interpreter looks for) is in runtime/engine/snapshot-contract.json, which the
// engine imports (runtime/engine/snapshot.ts); the manifest's entries are its `SnapshotInfo`.
import { createServer } from 'node:http';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromiumPath, launchChromium } from './chromium.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'wasm-dist');
const sources = join(root, 'runtime/python/pycell');
/** What this script and the engine agree on (the engine imports the same file). */
const contractPath = join(root, 'runtime/engine/snapshot-contract.json');
const contract = JSON.parse(await readFile(contractPath, 'utf8'));
/** The snapshots: `jspi` says whether stack switching was there when it was made. */
const SNAPSHOTS = contract.snapshots;
const { values: args } = parseArgs({ options: { packages: { type: 'string' }, out: { type: 'string' } } });
/** What the build was asked to put in the snapshot, as given. */
const requested = (args.packages ?? process.env.PYCELL_SNAPSHOT_PACKAGES ?? '')
  .split(',')
  .map((entry) => entry.trim())
  .filter(Boolean);
/** Wheel files named by path, served to the worker under /extra/. */
const extraWheels = new Map(requested.filter((entry) => entry.endsWith('.whl')).map((path) => [basename(path), resolve(path)]));
const out = args.out ? resolve(args.out) : dist;
const distManifest = JSON.parse(await readFile(join(dist, contract.manifest), 'utf8'));
const manifestPath = join(out, contract.manifest);
const manifest = out === dist ? distManifest : {};
/** What the worker loads: wheel URLs, or names the lock file or wasm-dist/'s wheels resolve. */
const normalized = (name) => name.toLowerCase().replace(/[-_.]+/g, '_');
const toLoad = requested.map((entry) => {
  if (entry.endsWith('.whl')) return `/extra/${basename(entry)}`;
  const wheel = (distManifest.wheels ?? []).find((file) => normalized(file.split('-')[0]) === normalized(entry));
  return wheel ? `/wasm-dist/${wheel}` : entry;
});
const mb = (n) => (n / 2 ** 20).toFixed(1);
async function record(made) {
  manifest.snapshots = made.map(({ file, jspi, bytes, packedBytes, packages }) => ({
    file,
    bytes,
    packedBytes,
    jspi,
    ...(requested.length ? { requested, packages } : {}),
  }));
  delete manifest.snapshot;
  await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

// Up to date when newer than everything it is made from.
const inputs = [
  join(dist, 'pyodide.asm.wasm'),
  join(dist, 'python_stdlib.zip'),
  fileURLToPath(import.meta.url),
  contractPath,
  ...(await readdir(sources)).map((file) => join(sources, file)),
  ...extraWheels.values(),
  ...toLoad.filter((url) => url.startsWith('/wasm-dist/')).map((url) => join(root, url)),
];
const mtime = async (path) => (await stat(path).catch(() => null))?.mtimeMs ?? 0;
const newestInput = Math.max(...(await Promise.all(inputs.map(mtime))));
const outputs = await Promise.all(SNAPSHOTS.map(({ file }) => mtime(join(out, file))));
const recorded = JSON.parse(await readFile(manifestPath, 'utf8').catch(() => '{}')).snapshots ?? [];
const sameRequest =
  recorded.length > 0 && recorded.every((snapshot) => JSON.stringify(snapshot.requested ?? []) === JSON.stringify(requested));
if (sameRequest && outputs.every((time) => time > newestInput)) {
  const made = [];
  for (const snapshot of SNAPSHOTS) {
    const packed = await readFile(join(out, snapshot.file));
    const packages = recorded.find((entry) => entry.file === snapshot.file)?.packages ?? [];
    // gzip's trailer holds the unpacked size (mod 2^32; the snapshot is far smaller).
    made.push({ ...snapshot, packages, packedBytes: packed.length, bytes: packed.readUInt32LE(packed.length - 4) });
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
const toLoad = ${JSON.stringify(toLoad)};
try {
const pyodide = await loadPyodide({
  indexURL: '/wasm-dist/',
  _makeSnapshot: true,
  fsInit: async (FS, { sitePackages }) => {
    FS.mkdirTree(sitePackages + '/pycell');
    for (const [name, text] of Object.entries(files)) FS.writeFile(sitePackages + '/pycell/' + name, text);
  },
});
let packages = [];
if (toLoad.length) {
  const errors = [];
  await pyodide.loadPackage(toLoad, { messageCallback: () => {}, errorCallback: (message) => errors.push(message) });
  if (errors.length) throw new Error('could not load ' + toLoad.join(', ') + ': ' + errors.join('; '));
  // Their modules imported, their files kept in memory (a module the restored one writes back).
  packages = pyodide.runPython(\`
def _take_packages():
    import importlib, importlib.metadata, sys, types
    files, packages = {}, []
    for dist in importlib.metadata.distributions():
        if (dist.read_text('INSTALLER') or '').strip() != 'pyodide.loadPackage':
            continue
        paths = [f for f in dist.files or [] if '__pycache__' not in f.parts]
        compiled = [str(f) for f in paths if f.suffix == '.so' or '.so.' in f.name]
        name = dist.metadata['Name']
        if compiled:
            raise ValueError(f"{name} is compiled ({compiled[0]}): Pyodide's memory snapshot cannot hold a loaded dynamic library")
        tops = (dist.read_text('top_level.txt') or '').split()
        if not tops:
            tops = sorted({f.parts[0].removesuffix('.py') for f in paths if len(f.parts) > 0 and not f.parts[0].endswith(('.dist-info', '.data')) and (f.suffix == '.py')})
        for top in tops:
            importlib.import_module(top)
        for f in paths:
            files[str(f.locate())] = f.locate().read_bytes()
        packages.append({'name': name, 'version': dist.version, 'imports': tops})
    holder = types.ModuleType('${contract.heldFilesModule}')
    holder.${contract.heldFilesAttribute} = files
    sys.modules['${contract.heldFilesModule}'] = holder
    return packages
_take_packages()
\`).toJs({ dict_converter: Object.fromEntries });
  pyodide.runPython('del _take_packages');
  // A snapshot holds Pyodide's loadedPackages as the empty object a start makes (it refuses any
  // other); the engine marks the packages loaded after the restore.
  for (const name of Object.keys(pyodide.loadedPackages)) delete pyodide.loadedPackages[name];
}
// In a function, so that __main__ is left as a fresh start leaves it.
pyodide.runPython(\`
def _prepare():
    import gc, io, pathlib, shutil, sys, tempfile, zipfile
    import pycell, pycell._runner
    import getpass  # which pycell's setup imports, in every worker
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
    # py-cell's own modules stay imported (a restored interpreter took about 0.2 s to compile
    # them), with their sources: it keeps them only if the worker's files are the same.
    here = pathlib.Path(pycell.__file__).parent
    pycell.${contract.sourcesAttribute} = {path.name: path.read_text(encoding='utf-8') for path in sorted(here.glob('*.py'))}
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
postMessage({ bytes: snapshot.length, packed, zeroed, packages }, [packed.buffer]);
} catch (error) {
  // A Python error's message is its traceback: its last line says what went wrong.
  postMessage({ error: String((error && error.message) || error).trim().split('\\n').at(-1) });
}
`;
const pageSource = `<!doctype html><script type="module">
const worker = new Worker('/snapshot-worker.mjs' + location.search, { type: 'module' });
worker.onerror = (event) => { window.result = { error: event.message || 'worker failed' }; };
worker.onmessage = async (event) => {
  const { bytes, packed, zeroed, packages, error } = event.data;
  if (error) return (window.result = { error });
  await fetch('/upload', { method: 'POST', body: packed });
  window.result = { bytes, zeroed, packages };
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
  const extra = path.startsWith('/extra/') ? extraWheels.get(path.slice('/extra/'.length)) : null;
  if (!path.startsWith('/wasm-dist/') && !extra) return response.writeHead(404).end();
  try {
    response.writeHead(200, { 'content-type': type(path) }).end(await readFile(extra ?? join(root, path)));
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
    await mkdir(out, { recursive: true });
    await writeFile(join(out, snapshot.file), upload);
    made.push({ ...snapshot, bytes: result.bytes, packedBytes: upload.length, zeroed: result.zeroed, packages: result.packages });
  }
  await record(made);
  const sizes = made.map(
    ({ file, bytes, packedBytes, zeroed }) => `${file} ${mb(bytes)} MiB (${mb(zeroed)} MiB free, zeroed), ${mb(packedBytes)} MiB gzipped`,
  );
  const held = made[0].packages.map(({ name, version }) => `${name} ${version}`).join(', ');
  console.log(
    `make-snapshot: ${sizes.join('; ')}${held ? `; with ${held}` : ''}; made in Chromium in ${Math.round(performance.now() - started)} ms`,
  );
} finally {
  await browser.close();
  server.close();
}
