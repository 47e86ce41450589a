/**
 * The format of a cell's saved work (`persist`) in `localStorage`: the key, which stays with its
 * cell whatever other cells are added or removed, and the value, checked when it is read (the
 * reader, or any script of the origin, can write anything there).
 *
 * Keys, `<path>` being the page's path when the cell first connected, `<hash>` a hash of the code
 * as the page wrote it (so an edit saved for an example the author changed is not shown):
 *
 *     py-cell:<path>#id=<the cell's id, URI-encoded>:<hash>
 *     py-cell:<path>#code=<hash of what the page wrote in the cell>:<n>
 *
 * the second for a cell without an `id`: what the page wrote in it is its code, and an exercise's
 * setup and check code too; `n` counts the cells before it in the page that were written the
 * same (0 for the first). py-cell 0.1's key was `py-cell:<path>#<id or "cell <position>">:<hash>`:
 * an `id` key of that form is read once and moved (`legacyKey`), a position key is not.
 *
 * Value: JSON `{"code"?: string, "exercise"?: {"attempts", "failed", "solved"}}`.
 */

/** What is kept of an exercise: checks done, how many failed, whether one passed. */
export interface SavedProgress {
  attempts: number;
  failed: number;
  solved: boolean;
}

/** What is kept of a cell: the reader's code (when edited), an exercise's progress. */
export interface SavedCell {
  code?: string;
  exercise?: SavedProgress;
}

/** Where a cell's work is kept: what its key is made of. */
export interface SavedWorkPlace {
  /** The page's path when the cell first connected. */
  path: string;
  /** The cell's `id`; `''` when it has none. */
  id: string;
  /** The code as written in the page. */
  code: string;
  /** What the page wrote in the cell: its code, and an exercise's setup and check code. */
  written: string;
  /** How many cells before it in the page were written the same. */
  occurrence: number;
}

/** More checks than any reader does: a larger count is not one py-cell wrote. */
export const MAX_ATTEMPTS = 1_000_000;

/** FNV-1a, 32 bits: enough to tell an edited example from the one the key was made for. */
export function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** The storage key of a cell's saved work. */
export function savedWorkKey(place: SavedWorkPlace): string {
  const { path, id } = place;
  if (id) return `py-cell:${path}#id=${encodeURIComponent(id)}:${hash(place.code)}`;
  return `py-cell:${path}#code=${hash(place.written)}:${place.occurrence}`;
}

/**
 * The key the same cell's work had in py-cell 0.1, read once and moved: only a cell's `id` (the
 * position a cell without one had there is no identity; its work is not brought back).
 */
export function legacyKey(place: SavedWorkPlace): string | null {
  return place.id && !/^cell -?\d+$/.test(place.id) ? `py-cell:${place.path}#${place.id}:${hash(place.code)}` : null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isCount = (value: unknown, max: number): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= max;

/** An exercise's kept progress, if it is one py-cell could have written. */
function readProgress(value: unknown): SavedProgress | null {
  if (!isRecord(value)) return null;
  const { attempts, failed, solved } = value;
  if (!isCount(attempts, MAX_ATTEMPTS) || !isCount(failed, attempts) || typeof solved !== 'boolean') return null;
  // A solved exercise passed a check: not every check failed.
  if (solved && failed >= attempts) return null;
  return { attempts, failed, solved };
}

/**
 * Reads a stored value: what py-cell could have written of it (`saved`, `null` when nothing),
 * and what was left out, if anything (`problem`). Never throws.
 */
export function parseSavedWork(text: string): { saved: SavedCell | null; problem: string | null } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { saved: null, problem: 'not JSON' };
  }
  if (!isRecord(value)) return { saved: null, problem: 'not an object' };
  const saved: SavedCell = {};
  const problems: string[] = [];
  if ('code' in value) {
    if (typeof value.code === 'string') saved.code = value.code;
    else problems.push('"code" is not text');
  }
  if ('exercise' in value) {
    const progress = readProgress(value.exercise);
    if (progress) saved.exercise = progress;
    else problems.push(`"exercise" is not an exercise's progress`);
  }
  return { saved: Object.keys(saved).length > 0 ? saved : null, problem: problems.length > 0 ? problems.join('; ') : null };
}
