/**
 * How the page reaches an engine. For a worker, the engine's messages travel on a
 * `MessageChannel` whose far end is handed over with the boot message and held only by the
 * engine: what Python code in the worker posts with `js.postMessage` arrives on the worker's own
 * channel, which the page does not read, so it can never pass for the engine.
 */
import type { EnginePort, WorkerLike } from '../shared/engine-port.js';
import { isFromEngine } from '../shared/protocol.js';

/** The engine in `worker`, over a private channel opened by the boot message. */
export function workerPort(worker: WorkerLike): EnginePort {
  const channel = new MessageChannel();
  return {
    post: (message) => {
      if (message.type === 'boot') worker.postMessage(message, [channel.port2]);
      else channel.port1.postMessage(message);
    },
    listen: (listener) => {
      channel.port1.onmessage = (event: MessageEvent) => {
        if (isFromEngine(event.data)) listener(event.data);
      };
    },
    onError: (listener) => {
      worker.addEventListener('error', (event) => {
        event.preventDefault(); // the cells report it; it is not an uncaught error of the page
        listener(event instanceof ErrorEvent && event.message ? event.message : '');
      });
    },
    terminate: () => {
      channel.port1.close();
      worker.terminate();
    },
  };
}
