/**
 * The module `SharedWorker` that hosts the engine of a shared runtime: every page of a site that
 * uses the same runtime files connects to it (`shared-host.ts` serves them), and in browsers
 * that keep it alive between pages (`extendedLifetime`) the next page finds Python started.
 * Built to `dist/py-cell-shared-worker.js`; the page side is `runtime/page/shared-port.ts`.
 */
import { isToEngine } from '../../shared/protocol.js';
import { SharedHost } from './shared-host.js';
import { engineInScope } from './worker-host.js';

interface SharedScope {
  addEventListener(type: 'connect', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  fetch: typeof fetch;
}

const scope = globalThis as unknown as SharedScope;
const host = new SharedHost();
host.attach(engineInScope(scope, host.fromEngine));
scope.addEventListener('connect', (event) => {
  const [port] = event.ports;
  if (!port) return;
  const handle = host.connect(port);
  port.onmessage = (message: MessageEvent<unknown>) => {
    if (isToEngine(message.data)) handle(message.data);
  };
});
