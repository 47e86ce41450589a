/** The outputs `py-cell prerender` stored in a cell's markup, read once they are checked. */
import { PRERENDERED_TYPE, readPrerendered } from '../outputs/prerendered.js';
import type { OutputItem } from '../outputs/output-model.js';

let warned = false;

/**
 * The stored outputs of the cell `host` whose code is `code`; `null` when it has none, or when
 * they are not for this code or not well formed (the page hears that once, in the console).
 */
export function storedOutputs(host: Element, code: string): OutputItem[] | null {
  const data = Array.from(host.children).find((child) => child.localName === 'script' && child.getAttribute('type') === PRERENDERED_TYPE);
  if (!data) return null;
  const read = readPrerendered(data.textContent, code);
  if ('outputs' in read) return read.outputs;
  if (!warned) {
    warned = true;
    const why = 'stale' in read ? 'its code was changed after they were computed' : `they are not valid (${read.invalid})`;
    console.warn(
      `<py-cell>: the outputs py-cell prerender stored in this cell are ignored: ${why} (reported for the first such cell only).`,
      host,
    );
  }
  return null;
}
