/**
 * The page's side of a shared runtime: the engine in a module `SharedWorker` that every page of
 * the site using the same runtime files connects to (`engine/hosts/shared-worker.ts`), kept
 * alive between pages by `extendedLifetime` (Chromium), so the next page finds Python started.
 *
 * A shared runtime cannot be interrupted (no SharedArrayBuffer reaches a shared worker) nor
 * terminated from a page: when it must go (Stop of a run under way, a crash, a failed boot, a
 * page leaving while its code runs), the page abandons it. The runtime's generation, kept in
 * `localStorage`, moves on; every page of the old one hears it (`storage` event) and moves to a
 * new shared worker, restoring its own sessions; the old worker ends when its last page has
 * gone (and its extended lifetime with it). See `docs/decisions/0017-shared-runtime.md`.
 */
import type { EnginePort } from '../shared/engine-port.js';
import { isFromEngine, type ToEngine } from '../shared/protocol.js';

const STORE = 'py-cell shared runtime ';

function storage(): Storage | null {
  try {
    return globalThis.localStorage;
  } catch {
    return null; // storage blocked
  }
}

/**
 * Whether Python can be shared between the pages of this site here: a browser with shared
 * workers that it keeps alive between pages, a page that is not cross-origin isolated (there
 * Stop interrupts in place in a worker of the page's own), the worker script on the page's
 * origin, storage for the runtime's generation, and `input()` able to wait by stack switching.
 */
export function canShareRuntime(script: string): boolean {
  return (checked[script] ??= sharable(script));
}

const checked: Record<string, boolean> = {};

function sharable(script: string): boolean {
  if (typeof SharedWorker !== 'function' || globalThis.crossOriginIsolated || !storage()) return false;
  if (new URL(script).origin !== location.origin || !('Suspending' in WebAssembly)) return false;
  let extended = false;
  try {
    // Only a browser that knows the option reads it; the bad URL then throws before any worker starts.
    const probe = {
      get extendedLifetime() {
        extended = true;
        return true;
      },
    };
    new SharedWorker('http://[', probe as WorkerOptions);
  } catch {
    // expected
  }
  return extended;
}

const generationOf = (scope: string) => Number(storage()?.getItem(STORE + scope)) || 0;

/** Moves the runtime of `scope` past generation `generation`, unless another page already has. */
function abandon(scope: string, generation: number): void {
  try {
    if (generationOf(scope) === generation) storage()?.setItem(STORE + scope, String(generation + 1));
  } catch {
    // storage full or blocked: the page still leaves the worker
  }
}

const REPLACED =
  'Another page of this site replaced the shared Python (a run there was stopped, or Python crashed); this page restores its sessions';

/**
 * A shared runtime for `scope` (the runtime files and settings), its engine in `script`. If the
 * script cannot be loaded (a site that copied an older py-cell's files), the page starts a Python
 * of its own with `fallback`, saying so in the console.
 */
export function sharedWorkerPort(script: string, scope: string, fallback: () => Promise<EnginePort>): EnginePort {
  let listener: (message: Parameters<Parameters<EnginePort['listen']>[0]>[0]) => void = () => undefined;
  let errorListener: (detail: string) => void = () => undefined;
  let replacedListener: (message: string) => void = () => undefined;
  let boot: ToEngine | null = null;
  let ready = false;
  /** A run of this page is executing: the runtime is busy with it. */
  let executing = false;
  let generation = 0;
  let worker: SharedWorker | null = null;
  /** Whether any shared worker has spoken: its script loads. */
  let heard = false;
  /** The page's own engine, once the shared worker's script failed to load. */
  let own: EnginePort | null = null;

  const connect = () => {
    generation = generationOf(scope);
    const options = { type: 'module', name: `py-cell ${scope} #${generation}`, extendedLifetime: true };
    const next = new SharedWorker(script, options as WorkerOptions);
    next.port.onmessage = (event: MessageEvent) => {
      if (next !== worker || !isFromEngine(event.data)) return;
      heard = true;
      const message = event.data;
      if (message.type === 'ready') ready = true;
      else if (message.type === 'started') executing = true;
      else if (message.type === 'result') executing = false;
      listener(message);
    };
    next.addEventListener('error', (event) => {
      event.preventDefault(); // the cells report it
      if (next !== worker) return;
      if (heard) errorListener(event instanceof ErrorEvent && event.message ? event.message : '');
      else void useOwn();
    });
    worker = next;
    if (boot) next.port.postMessage(boot);
  };
  const useOwn = async () => {
    console.warn(`py-cell: the shared runtime's script ${script} could not be started; this page starts a Python of its own.`);
    stopListening();
    leave();
    try {
      own = await fallback();
    } catch (error) {
      errorListener(error instanceof Error ? error.message : String(error));
      return;
    }
    own.listen(listener);
    own.onError(errorListener);
    if (boot) own.post(boot);
  };
  const leave = () => {
    worker?.port.postMessage({ type: 'detach' } satisfies ToEngine);
    worker?.port.close();
    worker = null;
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key !== STORE + scope || !worker || generationOf(scope) === generation) return;
    if (ready) {
      replacedListener(REPLACED);
      return;
    }
    leave(); // still booting: the boot goes to the new runtime, and nobody notices
    connect();
  };
  // A page that leaves while its code runs would leave Python busy with nobody to stop it.
  const onPageHide = () => {
    if (executing) abandon(scope, generation);
    leave();
  };
  // Back from the back-forward cache after `pagehide` left: the page restores its sessions.
  const onPageShow = (event: PageTransitionEvent) => {
    if (event.persisted && !worker) replacedListener(REPLACED);
  };
  const stopListening = () => {
    removeEventListener('storage', onStorage);
    removeEventListener('pagehide', onPageHide);
    removeEventListener('pageshow', onPageShow);
  };
  addEventListener('storage', onStorage);
  addEventListener('pagehide', onPageHide);
  addEventListener('pageshow', onPageShow);
  connect();
  return {
    get shared() {
      return own === null;
    },
    post: (message) => {
      if (message.type === 'boot') boot = message;
      if (own) own.post(message);
      else worker?.port.postMessage(message);
    },
    listen: (next) => (listener = next),
    onError: (next) => (errorListener = next),
    onReplaced: (next) => (replacedListener = next),
    terminate: () => {
      own?.terminate();
      stopListening();
      // Terminating is what a page does to a runtime it cannot use any more: no other page may
      // either. (After `pagehide` it is no longer this page's runtime.)
      if (worker) abandon(scope, generation);
      leave();
    },
  };
}
