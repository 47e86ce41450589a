/** The outputs `py-cell prerender` stored in a cell's markup, read once they are checked. */
import type { OutputItem } from '../../cell/output-model.js';
import { storedData } from '../../cell/source.js';
import { readPrerendered } from '../../cell/stored-outputs.js';

let warned = false;

/**
 * The stored outputs of the cell `host` whose code is `code`; `null` when it has none, or when
 * they are not for this code or not well formed (the page hears that once, in the console).
 */
export function storedOutputs(host: Element, code: string): OutputItem[] | null {
  const data = storedData(host);
  if (data === null) return null;
  const read = readPrerendered(data, code);
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
