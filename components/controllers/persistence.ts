/**
 * What a reader did in a cell, kept in `localStorage` across visits (`persist`): the edited code,
 * and an exercise's progress. The key is made from the page's path, the cell's `id` (or its
 * position among the page's cells) and a hash of the code as written in the page, so a changed
 * example never shows a stale edit. Storage that is blocked or full never breaks the cell: it
 * works unsaved, with one console warning per page.
 */
import type { ExerciseProgress } from '../exercise/exercise.js';

export interface SavedCell {
  code?: string;
  exercise?: ExerciseProgress;
}

let warned = false;

function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(
    'py-cell: the browser does not let the page keep what readers type (localStorage); cells work, but forget edits on reload.',
    error,
  );
}

/** FNV-1a, 32 bits: enough to tell an edited example from the one the key was made for. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

/** The storage key of a cell: page, identity in the page, and the code it was written with. */
export function storageKey(path: string, identity: string, original: string): string {
  return `py-cell:${path}#${identity}:${hash(original)}`;
}

export interface CellMemoryOptions {
  /** Whether the cell keeps anything (its `persist` attribute, or the page's setting). */
  enabled(): boolean;
  /** The cell's storage key (`storageKey`). */
  key(): string;
  /** What to keep now. */
  read(): SavedCell;
  /** Where it is kept (tests pass a stand-in). Default `localStorage`. */
  storage?: () => Storage;
}

/** Memories with a change not yet saved: saved at once if the page goes away first. */
const unsaved = new Set<CellMemory>();
let savingOnExit = false;

/** One cell's memory: loaded when it connects, saved shortly after each change. */
export class CellMemory {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly storage: () => Storage;

  constructor(private readonly options: CellMemoryOptions) {
    this.storage = options.storage ?? (() => localStorage);
  }

  /** What the reader left here on an earlier visit, if the cell keeps anything. */
  load(): SavedCell | null {
    if (!this.options.enabled()) return null;
    let text: string | null;
    try {
      text = this.storage().getItem(this.options.key());
    } catch (error) {
      warnOnce(error);
      return null;
    }
    try {
      const value: unknown = text === null ? null : JSON.parse(text);
      return typeof value === 'object' && value !== null ? value : null;
    } catch {
      return null; // not what py-cell wrote: the cell starts afresh
    }
  }

  /** Keeps what `read()` gives, 250 ms after the last change (at once if the page is left). */
  schedule(): void {
    if (!this.options.enabled()) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), 250);
    unsaved.add(this);
    if (!savingOnExit && typeof addEventListener === 'function') {
      savingOnExit = true;
      addEventListener('pagehide', () => unsaved.forEach((memory) => memory.save()));
    }
  }

  /** Keeps what `read()` gives now; nothing to keep removes the entry. */
  save(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    unsaved.delete(this);
    try {
      const value = this.options.read();
      if (Object.keys(value).length === 0) this.storage().removeItem(this.options.key());
      else this.storage().setItem(this.options.key(), JSON.stringify(value));
    } catch (error) {
      warnOnce(error);
    }
  }
}
