/**
 * A folder of cells' stored outputs, one file per cell named by its digest (`inputs.ts`: its
 * code, the earlier cells of its session, the runtime, py-cell, the options and the wheels'
 * content), for builds that render Markdown anew each time (the markdown-it plugin in VitePress,
 * the remark plugin): a cell whose digest is there, in a session whose every cell is there, is not
 * run. The folder may be deleted at any time; nothing else reads it.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { wholeSessions, type CellDigest } from './inputs.js';
import type { PageCell } from './page-html.js';

/** What a cell's run left: its stored outputs, and what the report says of it. */
export interface CachedCell {
  json: string;
  texts: Array<[string, string]>;
  status: 'done' | 'error';
  reason?: string;
}

const file = (folder: string, digest: string) => join(folder, `${digest}.json`);

/** A cached cell, or `null` when there is none (or the file is not one this module wrote). */
async function read(folder: string, digest: string): Promise<CachedCell | null> {
  try {
    const entry = JSON.parse(await readFile(file(folder, digest), 'utf8')) as Partial<CachedCell>;
    const texts = entry.texts;
    const valid =
      typeof entry.json === 'string' &&
      (entry.status === 'done' || entry.status === 'error') &&
      Array.isArray(texts) &&
      texts.every((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string');
    return valid
      ? { json: entry.json!, texts, status: entry.status!, ...(typeof entry.reason === 'string' ? { reason: entry.reason } : {}) }
      : null;
  } catch {
    return null;
  }
}

/**
 * The cached cells of `cells` (by number), leaving out every session that has a cell not cached
 * (`wholeSessions`).
 */
export async function cachedCells(
  folder: string,
  cells: readonly PageCell[],
  digestOf: (cell: PageCell) => CellDigest | null,
): Promise<Map<number, CachedCell>> {
  const found = new Map<number, CachedCell>();
  await Promise.all(
    cells.map(async (cell) => {
      const digest = digestOf(cell);
      const entry = digest ? await read(folder, digest.digest) : null;
      if (entry) found.set(cell.number, entry);
    }),
  );
  return wholeSessions(found, cells, digestOf);
}

/** Keeps a cell's outputs under its digest (written whole, then renamed: a reader never sees half a file). */
export async function cacheCell(folder: string, digest: string, entry: CachedCell): Promise<void> {
  await mkdir(folder, { recursive: true });
  const partial = `${file(folder, digest)}.${process.pid}.partial`;
  await writeFile(partial, JSON.stringify(entry));
  await rename(partial, file(folder, digest));
}
