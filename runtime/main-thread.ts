/**
 * Main-thread mode: the engine runs on the page itself, behind the same message interface as
 * the worker, so the client treats both alike. Python's `js` module is the page: DOM access is
 * synchronous, and long computations block the page. This is the page host the engine gets:
 * its canvases are live elements and DOM nodes can be shown. Loaded on first use.
 */
import type { WorkerLike } from './client/connection.js';
import { Engine } from './engine/engine.js';
import type { ToEngine } from './protocol.js';

export function createMainThreadPort(): WorkerLike {
  const listeners: Array<(event: MessageEvent) => void> = [];
  // Messages are delivered asynchronously and in order, as a worker's would be (no cloning).
  const engine = new Engine(
    (message) => queueMicrotask(() => listeners.forEach((listener) => listener({ data: message } as MessageEvent))),
    {
      page: {
        createCanvas: (width, height) => Object.assign(document.createElement('canvas'), { width, height }),
        isNode: (value) => value instanceof Node,
      },
      pageGlobal: (name) => globalThis[name],
    },
  );
  return {
    postMessage: (message: ToEngine) => queueMicrotask(() => engine.handle(message)),
    addEventListener: (type: string, listener: (event: never) => void) => {
      if (type === 'message') listeners.push(listener as (event: MessageEvent) => void);
    },
    terminate: () => undefined,
  };
}
