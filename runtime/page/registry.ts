/**
 * `getRuntime()`: the one Python runtime of the page. Every `<py-cell>` (even from a second copy
 * of the bundle) gets the same client for the same runtime location and version, created on the
 * first call, which the element makes only when a cell first needs Python.
 */
import { RuntimeClient } from './client.js';
import { errorMessage } from '../shared/errors.js';
import { currentConfig, type PyCellConfig } from './config.js';
import type { EnginePort } from '../shared/engine-port.js';
import { workerPort } from './worker-port.js';
import { canShareRuntime, sharedWorkerPort } from './shared-port.js';
import { PROTOCOL_VERSION, PYODIDE_VERSION } from '../shared/version.js';

export { PYODIDE_VERSION } from '../shared/version.js';
export { configure, currentConfig, onConfigure, PRELOAD_MODES, type PreloadMode, type PyCellConfig } from './config.js';

/**
 * Starts the engine's module worker, through a same-origin shim when the script is on another
 * origin. On a cross-origin isolated page it starts the bridged worker (same folder, name
 * `py-cell-worker-bridged.js`), which can reach the page's DOM synchronously.
 */
async function startWorkerEngine(url: string, inputServiceWorker: string | null): Promise<EnginePort> {
  const isolated = globalThis.crossOriginIsolated;
  // input() waits by stack switching, or with Atomics on isolated pages; else the service worker.
  const inputURL =
    !isolated && !('Suspending' in WebAssembly) && inputServiceWorker ? await controllingServiceWorker(inputServiceWorker) : null;
  const script = isolated ? new URL('py-cell-worker-bridged.js', url).href : url;
  const sameOrigin = new URL(script).origin === location.origin;
  const start = sameOrigin ? script : URL.createObjectURL(new Blob([`import ${JSON.stringify(script)};`], { type: 'text/javascript' }));
  const worker = isolated
    ? (await import('./bridge-main.js')).createBridgedWorker(start)
    : new Worker(start, { type: 'module', name: 'py-cell' });
  return { ...workerPort(worker), inputURL };
}

/**
 * Registers py-cell's service worker (`input-sw.ts`) and waits until it controls the page, so
 * that the engine's worker, started next, is controlled too. Resolves with the URL it answers
 * `input()` at, or `null` (with a console warning) when it cannot.
 */
async function controllingServiceWorker(url: string): Promise<string | null> {
  try {
    const registration = await navigator.serviceWorker.register(url);
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('it did not take control of the page within 10 s')), 10_000);
        const controlled = () => {
          clearTimeout(timer);
          resolve();
        };
        navigator.serviceWorker.addEventListener('controllerchange', controlled, { once: true });
      });
    }
    return new URL('__py-cell-input__', registration.scope).href;
  } catch (error) {
    console.warn(`py-cell: the service worker ${url} for input() could not be used: ${errorMessage(error)}`);
    return null;
  }
}

type RuntimeRegistry = Map<string, RuntimeClient>;
const REGISTRY = Symbol.for('py-cell.runtimes');

/** The page's runtimes, shared by every copy of the bundle. */
function registry(): RuntimeRegistry {
  const global = globalThis as typeof globalThis & { [REGISTRY]?: RuntimeRegistry };
  return (global[REGISTRY] ??= new Map<string, RuntimeClient>());
}

/**
 * Where Python runs: the dedicated worker (default), the page's main thread, or a worker of its
 * own for `trusted` cells. Code in a worker can forge any message its engine sends (it can run
 * JavaScript there), so output that is inserted unsanitised comes only from a worker where no
 * other code than the author's trusted cells ever ran.
 */
export type RuntimeMode = 'worker' | 'main' | 'trusted';

/**
 * The shared runtime client for the configuration in force and the mode: one per page for
 * worker cells, one for main-thread cells and one for trusted cells. Does not start Python.
 */
export function getRuntime(config: PyCellConfig = currentConfig(), mode: RuntimeMode = 'worker'): RuntimeClient {
  const runtimes = registry();
  const settings = `${config.runtimeURL}|${config.packageURL}|${config.stallTimeout}|${config.snapshot}|${PYODIDE_VERSION}|${PROTOCOL_VERSION}|${config.packages.join(' ')}`;
  const sharedScript = new URL('py-cell-shared-worker.js', config.workerURL).href;
  const shared = mode === 'worker' && config.sharedRuntime && canShareRuntime(sharedScript);
  const key = `${shared ? 'shared' : mode}|${settings}|${config.inputServiceWorker ?? ''}`;
  let client = runtimes.get(key);
  if (!client) {
    client = new RuntimeClient({
      boot: {
        indexURL: config.runtimeURL,
        packageURL: config.packageURL,
        expectedVersion: PYODIDE_VERSION,
        stallTimeoutMs: config.stallTimeout * 1000,
        snapshot: config.snapshot,
        packages: config.packages,
      },
      // The page's own thread never waits on a shared buffer.
      ...(mode === 'main' ? { inputBuffer: null } : {}),
      createEngine:
        mode === 'main'
          ? () => import('../engine/hosts/main-thread.js').then((module) => module.mainThreadEngine())
          : shared
            ? () => sharedWorkerPort(sharedScript, settings, () => startWorkerEngine(config.workerURL, config.inputServiceWorker))
            : () => startWorkerEngine(config.workerURL, config.inputServiceWorker),
    });
    runtimes.set(key, client);
  }
  return client;
}

/**
 * Ends every runtime of the page (their workers are terminated, runs under way end with
 * `error`) and forgets them: the next run starts a fresh one. A shared runtime (Chromium) is
 * left for every page of the site: the others restore their sessions on a new one. For tests, which need a fresh
 * interpreter, and for pages that must release the memory Python holds.
 */
export function disposeRuntimes(): void {
  for (const client of registry().values()) client.dispose();
  registry().clear();
}
