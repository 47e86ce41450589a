/**
 * Wires an `Engine` to the dedicated worker it runs in. The page's first message is the boot
 * message, carrying the port of a private channel: the engine talks only through it. Anything
 * else posted to the worker is ignored.
 */
import { Engine, type EngineHost } from '../engine.js';
import { isFatalError } from '../interpreter.js';
import type { ToEngine } from '../../shared/protocol.js';

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent<ToEngine | undefined>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  fetch: typeof fetch;
}

export function startWorker(host: Partial<EngineHost> = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  // Captured before it is replaced below: the engine's downloads go to the real network.
  const network = scope.fetch.bind(scope);
  let port: MessagePort | null = null;
  const engine = new Engine((message, transfer) => port?.postMessage(message, transfer ?? []), { fetch: network, ...host });
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
  scope.addEventListener('message', (event) => {
    const [channel] = event.ports;
    if (port || !channel || event.data?.type !== 'boot') return;
    port = channel;
    port.onmessage = (message: MessageEvent<ToEngine>) => engine.handle(message.data);
    engine.handle(event.data);
  });
}
