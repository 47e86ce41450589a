/**
 * `getRuntime()`: the one Python runtime of the page. Every `<py-cell>` (even from a second copy
 * of the bundle) gets the same client for the same runtime location and version, created on the
 * first call, which the element makes only when a cell first needs Python.
 */
import { RuntimeClient } from './client/client.js';
import { workerPort, type EnginePort } from './client/engine-port.js';
import { PROTOCOL_VERSION, PYODIDE_VERSION } from './version.js';

export { PYODIDE_VERSION } from './version.js';

/** Where py-cell finds its files. Every field is optional in `configure()`. */
export interface PyCellConfig {
  /**
   * Folder with Pyodide's runtime files (`pyodide.mjs`, `pyodide.asm.wasm`, ...).
   * Default: `../wasm-dist/` relative to the `py-cell.js` module.
   */
  runtimeURL: string;
  /**
   * Where packages that are not in the runtime folder are downloaded from.
   * Default: Pyodide's official package URL for the pinned version.
   */
  packageURL: string;
  /** The engine's worker script. Default: `py-cell-worker.js` beside the `py-cell.js` module. */
  workerURL: string;
  /** Page-wide time limit of a run in seconds, for cells without a `timeout`. Default: none. */
  timeout: number | null;
  /** Seconds a download may receive nothing before it fails, naming its URL. Default 30. */
  stallTimeout: number;
  /**
   * Restore Python from the interpreter snapshot in the runtime folder (`py-cell-snapshot.gz`)
   * instead of starting it: a faster first output for about 6 MB more on a first visit.
   * Default true; without the file, or if it fails, Python starts normally.
   */
  snapshot: boolean;
}

/** Seconds a download may receive nothing before it fails (`stallTimeout`). */
const DEFAULT_STALL_TIMEOUT = 30;

const DEFAULT_PACKAGE_URL = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;

function defaults(): PyCellConfig {
  return {
    runtimeURL: new URL('../wasm-dist/', import.meta.url).href,
    packageURL: DEFAULT_PACKAGE_URL,
    workerURL: new URL('./py-cell-worker.js', import.meta.url).href,
    timeout: null,
    stallTimeout: DEFAULT_STALL_TIMEOUT,
    snapshot: true,
  };
}

let overrides: Partial<PyCellConfig> = {};

const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

/** The configuration in force: `configure()`'s values over the defaults, as absolute URLs. */
export function currentConfig(): PyCellConfig {
  const config = { ...defaults(), ...overrides };
  const base = location.href;
  return {
    runtimeURL: withSlash(new URL(config.runtimeURL, base).href),
    packageURL: withSlash(new URL(config.packageURL, base).href),
    workerURL: new URL(config.workerURL, base).href,
    timeout: config.timeout,
    stallTimeout: config.stallTimeout,
    snapshot: config.snapshot,
  };
}

/**
 * Overrides where py-cell finds the runtime, the packages and the worker. Relative URLs resolve
 * against the page. Call it before the first cell runs; cells that already use a runtime keep it.
 */
export function configure(config: Partial<PyCellConfig>): void {
  for (const [key, value] of Object.entries(config)) {
    if (key === 'stallTimeout') {
      if (!(typeof value === 'number' && Number.isFinite(value) && value > 0))
        throw new TypeError("configure(): 'stallTimeout' must be a positive number of seconds");
      continue;
    }
    if (key === 'snapshot') {
      if (typeof value !== 'boolean') throw new TypeError("configure(): 'snapshot' must be true or false");
      continue;
    }
    if (key === 'timeout') {
      if (value !== null && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
        throw new TypeError("configure(): 'timeout' must be a positive number of seconds, or null");
      }
      continue;
    }
    if (!['runtimeURL', 'packageURL', 'workerURL'].includes(key)) throw new TypeError(`configure(): unknown option '${key}'`);
    if (typeof value !== 'string' || value === '') throw new TypeError(`configure(): '${key}' must be a non-empty URL string`);
  }
  overrides = { ...overrides, ...config };
}

/**
 * Starts the engine's module worker, through a same-origin shim when the script is on another
 * origin. On a cross-origin isolated page it starts the bridged worker (same folder, name
 * `py-cell-worker-bridged.js`), which can reach the page's DOM synchronously.
 */
async function startWorkerEngine(url: string): Promise<EnginePort> {
  const isolated = globalThis.crossOriginIsolated;
  const script = isolated ? new URL('py-cell-worker-bridged.js', url).href : url;
  const sameOrigin = new URL(script).origin === location.origin;
  const start = sameOrigin ? script : URL.createObjectURL(new Blob([`import ${JSON.stringify(script)};`], { type: 'text/javascript' }));
  const worker = isolated
    ? (await import('./bridge-main.js')).createBridgedWorker(start)
    : new Worker(start, { type: 'module', name: 'py-cell' });
  return workerPort(worker);
}

type RuntimeRegistry = Map<string, RuntimeClient>;
const REGISTRY = Symbol.for('py-cell.runtimes');

/** The page's runtimes, shared by every copy of the bundle. */
function registry(): RuntimeRegistry {
  const global = globalThis as typeof globalThis & { [REGISTRY]?: RuntimeRegistry };
  return (global[REGISTRY] ??= new Map<string, RuntimeClient>());
}

/** Where Python runs: the dedicated worker (default) or the page's main thread. */
export type RuntimeMode = 'worker' | 'main';

/**
 * The shared runtime client for the configuration in force and the mode: one per page for
 * worker cells and one for main-thread cells. Does not start Python.
 */
export function getRuntime(config: PyCellConfig = currentConfig(), mode: RuntimeMode = 'worker'): RuntimeClient {
  const runtimes = registry();
  const key = `${mode}|${config.runtimeURL}|${config.packageURL}|${config.stallTimeout}|${config.snapshot}|${PYODIDE_VERSION}|${PROTOCOL_VERSION}`;
  let client = runtimes.get(key);
  if (!client) {
    client = new RuntimeClient({
      boot: {
        indexURL: config.runtimeURL,
        packageURL: config.packageURL,
        expectedVersion: PYODIDE_VERSION,
        stallTimeoutMs: config.stallTimeout * 1000,
        snapshot: config.snapshot,
      },
      createEngine:
        mode === 'main'
          ? () => import('./main-thread.js').then((module) => module.mainThreadEngine())
          : () => startWorkerEngine(config.workerURL),
    });
    runtimes.set(key, client);
  }
  return client;
}

/**
 * Ends every runtime of the page (their workers are terminated, runs under way end with
 * `error`) and forgets them: the next run starts a fresh one. For tests, which need a fresh
 * interpreter, and for pages that must release the memory Python holds.
 */
export function disposeRuntimes(): void {
  for (const client of registry().values()) client.dispose();
  registry().clear();
}
