/**
 * Answering Python's `input()` on the channel the engine waits on (`runtime/engine/input.ts` says
 * which it picks): a message to the worker (WebAssembly stack switching), the buffer shared with
 * the worker, which blocks on it with Atomics (cross-origin isolated pages), or py-cell's service
 * worker, which holds the worker's synchronous request until the page posts it the answer.
 */
import { writeInputReply } from '../shared/input-buffer.js';
import type { InputReply } from '../shared/protocol.js';
import type { Connection, InputAsk } from './connection.js';

/**
 * Sends `reply` to the request for input `ask` on the channel it came with: through `connection`
 * (the current worker, if any) for `message`, into `inputBuffer` (if there is one) for `atomics`,
 * else to the page's service worker.
 */
export function sendInputReply(ask: InputAsk, reply: InputReply, connection: Connection | null, inputBuffer: Int32Array | null): void {
  if (ask.channel === 'message') connection?.answerInput(ask.request, reply);
  else if (ask.channel === 'atomics' && inputBuffer) writeInputReply(inputBuffer, reply);
  else globalThis.navigator.serviceWorker.controller?.postMessage({ pyCellInput: ask.request, reply });
}
