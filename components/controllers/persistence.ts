/**
 * What a reader did in a cell, kept in `localStorage` across visits (`persist`): the edited code,
 * and an exercise's progress, under the key `cell/saved-work.ts` makes. What is read back is
 * checked first: anything py-cell could not have written is ignored, with one console warning.
 * Storage that is blocked or full never breaks the cell: it works unsaved, with one console
 * warning per page.
 */
import { parseSavedWork, type SavedCell } from '../../cell/saved-work.js';

export type { SavedCell } from '../../cell/saved-work.js';

let warned = false;

function warnOnce(error: unknown): void {
  if (warned) return;
  warned = true;
  console.warn(
    'py-cell: the browser does not let the page keep what readers type (localStorage); cells work, but forget edits on reload.',
    error,
  );
}

export interface CellMemoryOptions {
  /** Whether the cell keeps anything (its `persist` attribute, or the page's setting). */
  enabled(): boolean;
  /** The cell's storage key (`savedWorkKey`). */
  key(): string;
  /** Where the same work was kept before (`legacyKey`): read once, then moved to `key()`. */
  legacyKey?(): string | null;
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
  /** This cell warned of a stored value py-cell did not write. */
  private warnedInvalid = false;

  constructor(private readonly options: CellMemoryOptions) {
    this.storage = options.storage ?? (() => localStorage);
  }

  /** What the reader left here on an earlier visit, if the cell keeps anything. */
  load(): SavedCell | null {
    if (!this.options.enabled()) return null;
    const key = this.options.key();
    let text: string | null;
    let moved: string | null = null;
    try {
      text = this.storage().getItem(key);
      const legacy = text === null ? (this.options.legacyKey?.() ?? null) : null;
      if (legacy !== null) {
        text = this.storage().getItem(legacy);
        if (text !== null) moved = legacy;
      }
    } catch (error) {
      warnOnce(error);
      return null;
    }
    if (text === null) return null;
    const { saved, problem } = parseSavedWork(text);
    if (problem !== null && !this.warnedInvalid) {
      this.warnedInvalid = true;
      console.warn(`py-cell: ignored saved work py-cell did not write (${problem}) in localStorage "${moved ?? key}".`);
    }
    if (moved !== null && saved) this.move(moved, key, saved);
    return saved;
  }

  /** Keeps `saved`, read under an older key, under the cell's key, and forgets the older one. */
  private move(from: string, to: string, saved: SavedCell): void {
    try {
      this.storage().setItem(to, JSON.stringify(saved));
      this.storage().removeItem(from);
    } catch (error) {
      warnOnce(error);
    }
  }

  /** Saves now what waits to be saved, if anything. */
  flush(): void {
    if (this.timer !== null) this.save();
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
