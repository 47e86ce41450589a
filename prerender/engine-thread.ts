/**
 * The engine in a Node worker thread, for `py-cell prerender`: the same `Engine` as the browser's
 * worker, with Pyodide loaded from the package's `wasm-dist/` through `file:` URLs. A worker thread,
 * so the command can interrupt a cell that runs too long (the interrupt buffer) or end it.
 */
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { loadPyodide as LoadPyodide } from 'pyodide';
import { Engine } from '../runtime/engine/engine.js';
import { isFatalError } from '../runtime/engine/interpreter.js';
import type { Lock, LockPackage } from '../runtime/shared/packages.js';
import type { ToEngine } from '../runtime/shared/protocol.js';
import { fileFetch } from './file-fetch.js';

const port = parentPort;
/** Where packages the runtime folder lacks come from (the page runner's `packageURL`). */
const packageURL = (workerData as { packageURL: string }).packageURL;
if (!port) throw new Error('runtime/prerender/worker.ts runs in a worker thread.');

const engine = new Engine((message) => port.postMessage(message), {
  fetch: fileFetch,
  languages: [],
  importPyodide: async (url) => {
    const { loadPyodide } = (await import(url)) as { loadPyodide: typeof LoadPyodide };
    // On Node, Pyodide takes its folder as a path (it would read a file: URL as a relative path),
    // and resolves the lock file's names as paths too: packages not in the folder keep relative
    // names, which Pyodide's Node loader downloads from the package URL (and keeps in the folder).
    const load: typeof LoadPyodide = (options = {}) => {
      const lock = options.lockFileContents as Lock | undefined;
      const packages = Object.entries(lock?.packages ?? {}).map(([key, pkg]): [string, LockPackage] => [
        key,
        pkg.file_name.startsWith(packageURL) ? { ...pkg, file_name: pkg.file_name.slice(packageURL.length) } : pkg,
      ]);
      const folder = options.indexURL ? fileURLToPath(options.indexURL) + sep : undefined;
      return loadPyodide({
        ...options,
        // Pyodide's Node loader looks for its download cache before installing any package or
        // wheel, by default at the package URL taken as a path: in the sandbox, which may read
        // only its own files, that look is refused and every wheel failed. The runtime folder.
        ...(folder ? { indexURL: folder, packageCacheDir: folder } : {}),
        ...(lock ? { lockFileContents: { ...lock, packages: Object.fromEntries(packages) } as never, packageBaseUrl: packageURL } : {}),
      });
    };
    return { loadPyodide: load };
  },
});
// Pyodide throws its fatal errors into callbacks nobody awaits: they end the interpreter.
process.on('unhandledRejection', (reason) => {
  if (isFatalError(reason)) engine.noteFatal(reason);
  else console.error('py-cell prerender:', reason);
});
port.on('message', (message: ToEngine) => engine.handle(message));
