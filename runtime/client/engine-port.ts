/**
 * How the page reaches an engine. For a worker, the engine's messages travel on a
 * `MessageChannel` whose far end is handed over with the boot message and held only by the
 * engine: what Python code in the worker posts with `js.postMessage` arrives on the worker's own
 * channel, which the page does not read, so it can never pass for the engine.
 */
import { isFromEngine, type FromEngine, type ToEngine } from '../protocol.js';

/** The engine as the page sees it: a worker, the main-thread engine, or a test's stand-in. */
export interface EnginePort {
  /** Sends a message to the engine. */
  post(message: ToEngine): void;
  /** Calls `listener` with every message the engine sends, and with nothing else. */
  listen(listener: (message: FromEngine) => void): void;
  /** Calls `listener` when the engine's worker fails (its script, or an uncaught error). */
  onError(listener: (detail: string) => void): void;
  /** Ends the engine. */
  terminate(): void;
  /** Where py-cell's service worker answers `input()` for this engine, if it does. */
  inputURL?: string | null;
}

/** The part of `Worker` a port needs. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

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
