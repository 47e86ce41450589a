/**
 * The seam between the two sides: the engine as the page's client sees it, whatever hosts it (a
 * dedicated worker, the page's own thread, a Node worker thread, or a test's stand-in).
 */
import type { FromEngine, ToEngine } from './protocol.js';

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
  /**
   * A runtime that other pages share (`runtime/page/shared-port.ts`): a run that has not started
   * can be cancelled there (`cancel`) without replacing Python for every page.
   */
  shared?: boolean;
  /** Calls `listener` when another page replaced the shared runtime: this page restores its sessions on a new one. */
  onReplaced?(listener: (message: string) => void): void;
  /** Where py-cell's service worker answers `input()` for this engine, if it does. */
  inputURL?: string | null;
}

/** The part of `Worker` a port needs. */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'error', listener: (event: Event) => void): void;
  terminate(): void;
}
