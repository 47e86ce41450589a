/**
 * The shared buffer through which the page answers `input()` when the engine waits with
 * `Atomics.wait` (cross-origin isolated pages without WebAssembly stack switching). Layout, in
 * 32-bit words: [0] state (0 waiting, 1 answered), [1] kind (1 line, 2 end of input, 3 Stop),
 * [2] the line's length; then the line's UTF-16 code units.
 */
import type { InputReply } from './protocol.js';

const HEADER_WORDS = 3;
/** The longest line the buffer holds; a longer answer is cut to it. */
export const INPUT_MAX_CHARS = 65_536;

/** A new buffer, shared with the engine at boot (it needs SharedArrayBuffer). */
export function createInputBuffer(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(HEADER_WORDS * 4 + INPUT_MAX_CHARS * 2));
}

/** The page writes the reader's answer and wakes the engine. */
export function writeInputReply(buffer: Int32Array, reply: InputReply): void {
  const line = 'line' in reply ? reply.line.slice(0, INPUT_MAX_CHARS) : '';
  const units = new Uint16Array(buffer.buffer, HEADER_WORDS * 4, INPUT_MAX_CHARS);
  for (let i = 0; i < line.length; i++) units[i] = line.charCodeAt(i);
  Atomics.store(buffer, 1, 'line' in reply ? 1 : 'eof' in reply ? 2 : 3);
  Atomics.store(buffer, 2, line.length);
  Atomics.store(buffer, 0, 1);
  Atomics.notify(buffer, 0);
}

/** The engine, before it asks: nothing answered yet. */
export function resetInputBuffer(buffer: Int32Array): void {
  Atomics.store(buffer, 0, 0);
}

/** The engine waits (blocking its thread) for the page's answer, then reads it. */
export function waitForInputReply(buffer: Int32Array): InputReply {
  while (Atomics.load(buffer, 0) === 0) Atomics.wait(buffer, 0, 0);
  const kind = Atomics.load(buffer, 1);
  if (kind === 2) return { eof: true };
  if (kind === 3) return { interrupt: true };
  const length = Atomics.load(buffer, 2);
  const units = new Uint16Array(buffer.buffer, HEADER_WORDS * 4, length);
  let line = '';
  for (let i = 0; i < length; i += 8192) line += String.fromCharCode(...units.subarray(i, i + 8192));
  return { line };
}
