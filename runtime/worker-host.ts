/** Wires an `Engine` to the dedicated worker it runs in. */
import { Engine, type EngineHost } from './engine.js';
import type { FromEngine, ToEngine } from './protocol.js';

interface WorkerScope {
  postMessage(message: FromEngine, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToEngine>) => void): void;
  fetch: typeof fetch;
}

export function startWorker(host: Partial<EngineHost> = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  const engine = new Engine((message, transfer) => scope.postMessage(message, transfer ?? []), host);
  // Every fetch in this worker (Pyodide's runtime files and packages) reports its bytes as progress.
  scope.fetch = engine.countingFetch;
  scope.addEventListener('message', (event) => engine.handle(event.data));
}
