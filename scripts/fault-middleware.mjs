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
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const WHEELS = 'test/fixtures/wheels';
const fixed = new Set();
let injected = 0;

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
    if (kind === 'local-wheels' && file === 'py-cell-runtime.json') {
      const manifest = JSON.parse(readFileSync(join(rootDir, rest), 'utf8'));
      context.type = 'application/json';
      context.body = JSON.stringify({ ...manifest, wheels: readdirSync(join(rootDir, WHEELS)).filter((name) => name.endsWith('.whl')) });
      return undefined;
    }
    context.path = kind === 'local-wheels' && file.endsWith('.whl') ? `/${WHEELS}/${file}` : `/${rest}`;
    return next();
  };
}
