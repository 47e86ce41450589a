/**
 * A cell's saved work (`persist`): what the reader typed and did there, kept across visits
 * (`CellMemory`) under a key that stays with the cell (`cell/saved-work.ts`; page-cells.ts says
 * where the cell is), brought back once, never over an edit: when the cell connects, or when
 * `configure({persist: true})` comes after it (page-cells.ts). The page's path is the one the
 * cell first connected on, so a client-side navigation does not move its work; a change waiting
 * to be saved is saved when the cell leaves the page, and nothing after that.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { legacyKey, savedWorkKey, type SavedCell, type SavedWorkPlace } from '../../cell/saved-work.js';
import { CellMemory, type CellMemoryOptions } from '../controllers/persistence.js';

export interface SavedWorkOptions extends Omit<CellMemoryOptions, 'key' | 'legacyKey'> {
  /** The code as written in the page. */
  original(): string;
  /** Where the cell is, its page's path being `path` (page-cells.ts `savedWorkPlace`). */
  place(path: string): SavedWorkPlace;
  /** Whether the cell is as the page made it: its code neither edited nor set by a script. */
  untouched(): boolean;
  /** Puts back what the reader left. */
  bringBack(saved: SavedCell): void;
}

export class SavedWork implements ReactiveController {
  private restored = false;
  /** The page's path when the cell first connected. */
  private path: string | null = null;
  /** The cell's place, once asked for: the same while its `id` and code as written are. */
  private pinned: { id: string; original: string; place: SavedWorkPlace } | null = null;
  private readonly memory: CellMemory;

  constructor(
    private readonly host: ReactiveControllerHost & Element,
    private readonly work: SavedWorkOptions,
  ) {
    this.memory = new CellMemory({
      enabled: work.enabled,
      read: work.read,
      ...(work.storage ? { storage: work.storage } : {}),
      key: () => savedWorkKey(this.place()),
      legacyKey: () => legacyKey(this.place()),
    });
    host.addController(this);
  }

  hostConnected(): void {
    this.path ??= location.pathname;
  }

  hostDisconnected(): void {
    this.memory.flush();
  }

  /**
   * Where the cell's work is kept. Asked once (again only if its `id` or code as written
   * changes): a cell added before it later in this page view does not move it.
   */
  private place(): SavedWorkPlace {
    const id = this.host.id;
    const original = this.work.original();
    if (this.pinned?.id !== id || this.pinned.original !== original) {
      this.pinned = { id, original, place: this.work.place((this.path ??= location.pathname)) };
    }
    return this.pinned.place;
  }

  /** Brings back what the reader typed and did here on an earlier visit (once, before any edit). */
  restore(): void {
    if (this.restored || !this.work.untouched()) return;
    const saved = this.memory.load();
    if (!saved) return;
    this.restored = true;
    this.work.bringBack(saved);
  }

  /** Keeps what the cell holds now, shortly: only while the cell is in the page. */
  schedule(): void {
    if (!this.host.isConnected) return;
    this.place(); // while the cell is in the page, which says where it is
    this.memory.schedule();
  }
}
