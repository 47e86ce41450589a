/**
 * Page side of the synchronous DOM bridge (cross-origin isolated pages only): starts the
 * bridged worker with coincident's Worker class, which answers the worker's synchronous
 * requests for the page's `window`. Loaded as its own chunk, only on isolated pages.
 */
import coincident from 'coincident/window/main';
import type { WorkerLike } from '../shared/engine-port.js';

export function createBridgedWorker(url: string): WorkerLike {
  const { Worker } = coincident();
  return new Worker(url, { type: 'module', name: 'py-cell' });
}
