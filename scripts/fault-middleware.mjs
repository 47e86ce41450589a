// Test-server middleware that injects faults: `/faults/<kind>/<path>` serves `/<path>` with
// the fault `kind` applied. Used by test/integration/faults.test.ts.
//   missing-wasm    pyodide.asm.wasm answers 404
//   truncated-wasm  pyodide.asm.wasm is cut to half its size
//   mismatch        py-cell-runtime.json reports another Pyodide version
//   stall           every request waits without answering (a server that does not answer)
//   flaky-<name>    pyodide.asm.wasm answers 404 until `/faults/fix/<name>` is requested
//   missing-snapshot     the snapshots (py-cell-snapshot*.gz) answer 404
//   truncated-snapshot   the snapshots are cut to half their size
//   corrupt-snapshot     the snapshots unpack to the right size, but not to a snapshot
//   local-wheels    not a fault: the runtime folder also holds the test wheels of
//                   test/fixtures/wheels/, listed as the build lists wheels an author copies there
//   lock-wheels     not a fault: the lock file lists the test wheels mylib and pycell_testext as
//                   packages of the runtime folder, as it lists NumPy when wasm-dist/ holds it
//   snapshot-packages  not a fault: as local-wheels, with the snapshots `npm test` makes with
//                   mylib installed and imported (test/_build/snapshot-packages/)
// `/faults/requests/<kind>` answers the GETs of wheels made under `<kind>` so far, as JSON
// `[{ file, at, range }]` (`at`: the server's Date.now(), the same clock as the page's).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const WHEELS = 'test/fixtures/wheels';
const SNAPSHOT_PACKAGES = 'test/_build/snapshot-packages';
const fixed = new Set();
let injected = 0;
/** GETs of wheels, by kind. */
const wheelRequests = new Map();

/** Lock file entries for the test wheels that stand for packages Pyodide's lock knows. */
function lockEntries(rootDir) {
  const entries = {
    mylib: { file: 'mylib-1.0.0-py3-none-any.whl', imports: ['mylib', 'mylib_extras'] },
    'pycell-testext': { file: 'pycell_testext-0.1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl', imports: ['pycell_testext'] },
  };
  return Object.fromEntries(
    Object.entries(entries).map(([key, { file, imports }]) => [
      key,
      {
        name: key,
        version: file.split('-')[1],
        file_name: file,
        install_dir: 'site',
        sha256: createHash('sha256')
          .update(readFileSync(join(rootDir, WHEELS, file)))
          .digest('hex'),
        package_type: 'package',
        imports,
        depends: [],
        unvendored_tests: false,
      },
    ]),
  );
}

export function faultInjection(rootDir) {
  return async function faults(context, next) {
    const match = /^\/faults\/([^/]+)\/(.*)$/.exec(context.path);
    if (!match) return next();
    const [, kind, rest] = match;
    if (kind === 'fix') {
      fixed.add(rest);
      context.body = 'fixed';
      return undefined;
    }
    if (kind === 'count') {
      context.body = String(injected);
      return undefined;
    }
    if (kind === 'requests') {
      context.type = 'application/json';
      context.body = JSON.stringify(wheelRequests.get(rest) ?? []);
      return undefined;
    }
    const file = rest.slice(rest.lastIndexOf('/') + 1);
    const fail = (status) => {
      injected++;
      context.status = status;
      context.body = `injected fault: ${kind}`;
    };
    if (kind === 'stall') {
      injected++;
      await new Promise((resolve) => setTimeout(resolve, 120_000));
      context.status = 504;
      return undefined;
    }
    if (file === 'pyodide.asm.wasm' && (kind === 'missing-wasm' || (kind.startsWith('flaky-') && !fixed.has(kind)))) return fail(404);
    if (file === 'pyodide.asm.wasm' && kind === 'truncated-wasm' && context.method === 'GET') {
      injected++;
      const bytes = readFileSync(join(rootDir, rest));
      context.type = 'application/wasm';
      context.body = bytes.subarray(0, bytes.length >> 1);
      return undefined;
    }
    const snapshot = /^py-cell-snapshot(-nojspi)?\.gz$/.test(file);
    if (snapshot && kind === 'missing-snapshot') return fail(404);
    if (snapshot && (kind === 'truncated-snapshot' || kind === 'corrupt-snapshot')) {
      injected++;
      const bytes = readFileSync(join(rootDir, rest));
      context.type = 'application/octet-stream';
      context.body =
        kind === 'truncated-snapshot' ? bytes.subarray(0, bytes.length >> 1) : gzipSync(Buffer.alloc(bytes.readUInt32LE(bytes.length - 4)));
      return undefined;
    }
    if (file === 'py-cell-runtime.json' && kind === 'mismatch') {
      injected++;
      context.type = 'application/json';
      context.body = JSON.stringify({ pyodideVersion: '0.0.1', localPackages: [] });
      return undefined;
    }
    if ((kind === 'local-wheels' || kind === 'snapshot-packages') && file === 'py-cell-runtime.json') {
      const manifest = JSON.parse(readFileSync(join(rootDir, rest), 'utf8'));
      const wheels = readdirSync(join(rootDir, WHEELS)).filter((name) => name.endsWith('.whl'));
      const snapshots =
        kind === 'snapshot-packages'
          ? JSON.parse(readFileSync(join(rootDir, SNAPSHOT_PACKAGES, file), 'utf8')).snapshots
          : manifest.snapshots;
      context.type = 'application/json';
      context.body = JSON.stringify({ ...manifest, wheels, snapshots });
      return undefined;
    }
    if (kind === 'snapshot-packages' && snapshot) {
      context.path = `/${SNAPSHOT_PACKAGES}/${file}`;
      return next();
    }
    if (kind === 'lock-wheels' && file === 'py-cell-runtime.json') {
      const manifest = JSON.parse(readFileSync(join(rootDir, rest), 'utf8'));
      const local = Object.values(lockEntries(rootDir)).map((entry) => entry.file_name);
      context.type = 'application/json';
      context.body = JSON.stringify({ ...manifest, localPackages: [...manifest.localPackages, ...local] });
      return undefined;
    }
    if (kind === 'lock-wheels' && file === 'pyodide-lock.json') {
      const lock = JSON.parse(readFileSync(join(rootDir, rest), 'utf8'));
      context.type = 'application/json';
      context.body = JSON.stringify({ ...lock, packages: { ...lock.packages, ...lockEntries(rootDir) } });
      return undefined;
    }
    const wheel = ['local-wheels', 'lock-wheels', 'snapshot-packages'].includes(kind) && file.endsWith('.whl');
    if (wheel && context.method === 'GET') {
      if (!wheelRequests.has(kind)) wheelRequests.set(kind, []);
      wheelRequests.get(kind).push({ file, at: Date.now(), range: context.get('range') || null });
    }
    context.path = wheel ? `/${WHEELS}/${file}` : `/${rest}`;
    return next();
  };
}
