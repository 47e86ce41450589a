/** Wires an `Engine` to the dedicated worker it runs in. */
import { Engine, type EngineHost } from './engine/engine.js';
import type { FromEngine, ToEngine } from './protocol.js';

interface WorkerScope {
  postMessage(message: FromEngine, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<ToEngine>) => void): void;
  fetch: typeof fetch;
}

export function startWorker(host: Partial<EngineHost> = {}): void {
  const scope = globalThis as unknown as WorkerScope;
  // Captured before it is replaced below: the engine's downloads go to the real network.
  const network = scope.fetch.bind(scope);
  const engine = new Engine((message, transfer) => scope.postMessage(message, transfer ?? []), { fetch: network, ...host });
  // Every fetch in this worker (Pyodide's runtime files and packages) reports its bytes as progress.
  scope.fetch = engine.fetch;
  scope.addEventListener('message', (event) => engine.handle(event.data));
}
