import type { MimeBundle, PythonError, StreamName } from '../../runtime/protocol.js';

/** One item in a cell's output area. */
export type OutputItem =
  | { kind: 'stream'; name: StreamName; text: string }
  /** The value of the last expression. */
  | { kind: 'result'; bundle: MimeBundle }
  /** An object shown with `pycell.display()`. */
  | { kind: 'display'; bundle: MimeBundle }
  | { kind: 'error'; error: PythonError };

/**
 * Appends streamed chunks, joining each to the previous item when it is text of the same
 * stream, so a loop of prints renders as one block. Returns a new array (Lit sees the change).
 */
export function appendStream(items: OutputItem[], chunks: Array<[StreamName, string]>): OutputItem[] {
  const next = items.slice();
  for (const [name, text] of chunks) {
    const last = next[next.length - 1];
    if (last?.kind === 'stream' && last.name === name) next[next.length - 1] = { ...last, text: last.text + text };
    else next.push({ kind: 'stream', name, text });
  }
  return next;
}
