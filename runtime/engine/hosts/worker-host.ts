/**
 * Wires an `Engine` to the dedicated worker it runs in. The page's first message is the boot
 * message, carrying the port of a private channel: the engine talks only through it. Anything
 * else posted to the worker is ignored.
 */
import { Engine, type EngineHost } from '../engine.js';
import { isFatalError } from '../interpreter.js';
import type { ToEngine } from '../../shared/protocol.js';

/** What a worker's global scope (dedicated or shared) offers the engine. */
interface EngineScope {
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  fetch: typeof fetch;
}

interface WorkerScope extends EngineScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<ToEngine | undefined>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
}

/**
 * An engine made at home in the worker whose global scope is `scope` (a dedicated worker here, the
 * shared runtime's worker in `shared-worker.ts`): every fetch there reports its bytes as progress,
 * and Pyodide's fatal errors are the engine's to report.
 */
export function engineInScope(scope: EngineScope, post: ConstructorParameters<typeof Engine>[0], host: Partial<EngineHost> = {}): Engine {
  // Captured before it is replaced below: the engine's downloads go to the real network.
  const network = scope.fetch.bind(scope);
  const engine = new Engine(post, { fetch: network, ...host });
  // Every fetch in this worker (Pyodide's runtime files and packages) reports its bytes as progress.
  scope.fetch = engine.fetch;
  // Pyodide throws its fatal errors into callbacks nobody awaits: they are the engine's to report,
  // not uncaught errors of the worker (which the page would take for a dead worker).
  scope.addEventListener('unhandledrejection', (event) => {
    if (!isFatalError(event.reason)) return;
    event.preventDefault();
    engine.noteFatal(event.reason);
  });
  scope.addEventListener('error', (event) => {
    if (!isFatalError(event.error)) return;
    event.preventDefault();
    engine.noteFatal(event.error);
  });
  return engine;
}

export function startWorker(host: Partial<EngineHost> = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  let port: MessagePort | null = null;
  const engine = engineInScope(scope, (message, transfer) => port?.postMessage(message, transfer ?? []), host);
  scope.addEventListener('message', (event) => {
    const [channel] = event.ports;
    if (port || !channel || event.data?.type !== 'boot') return;
    port = channel;
    port.onmessage = (message: MessageEvent<ToEngine>) => engine.handle(message.data);
    engine.handle(event.data);
  });
}
