/**
 * The engine's worker for cross-origin isolated pages: identical to `worker.ts`, plus a
 * synchronous bridge (coincident, Atomics over a SharedArrayBuffer) to the page's `window`, so
 * Python in the worker can use the page's DOM through `pycell.window` and `pycell.document`.
 * Built to `dist/py-cell-worker-bridged.js`; the page starts it with coincident's Worker class.
 */
// Must be imported first: it takes the first message, which is the bridge's own handshake.
import coincident from 'coincident/window/worker';
import { startWorker } from './worker-host.js';

const bridge = coincident().then(({ window, native }) => (native ? (window as Window & typeof globalThis) : null));

startWorker({
  connectPage: () => bridge,
});
