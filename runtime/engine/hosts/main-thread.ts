/**
 * Main-thread mode: the engine runs on the page itself, behind the same port as a worker's
 * engine, so the client treats both alike. Python's `js` module is the page: DOM access is
 * synchronous, and long computations block the page. This is the page host the engine gets:
 * its canvases are live elements and DOM nodes can be shown. Loaded on first use.
 */
import type { EnginePort } from '../../shared/engine-port.js';
import { Engine } from '../engine.js';
import type { FromEngine } from '../../shared/protocol.js';

export function mainThreadEngine(): EnginePort {
  let deliver: (message: FromEngine) => void = () => undefined;
  // Messages are delivered asynchronously and in order, as a worker's would be (no cloning:
  // bundles may hold DOM nodes).
  const engine = new Engine((message) => queueMicrotask(() => deliver(message)), {
    page: {
      createCanvas: (width, height) => Object.assign(document.createElement('canvas'), { width, height }),
      isNode: (value) => value instanceof Node,
    },
    pageGlobal: (name) => globalThis[name],
  });
  return {
    post: (message) => queueMicrotask(() => engine.handle(message)),
    listen: (listener) => (deliver = listener),
    onError: () => undefined, // an error on the page is the page's own
    terminate: () => undefined,
  };
}
