/**
 * A cell's saved work (`persist`): what the reader typed and did there, kept across visits
 * (`CellMemory`, under the key page-cells.ts makes) and brought back once, never over an edit:
 * when the cell connects, or when `configure({persist: true})` comes after it (page-cells.ts).
 */
import { CellMemory, type CellMemoryOptions, type SavedCell } from '../controllers/persistence.js';

export interface SavedWorkOptions extends CellMemoryOptions {
  /** Whether the cell is as the page made it: its code neither edited nor set by a script. */
  untouched(): boolean;
  /** Puts back what the reader left. */
  bringBack(saved: SavedCell): void;
}

export class SavedWork extends CellMemory {
  private restored = false;

  constructor(private readonly work: SavedWorkOptions) {
    super(work);
  }

  /** Brings back what the reader typed and did here on an earlier visit (once, before any edit). */
  restore(): void {
    if (this.restored || !this.work.untouched()) return;
    const saved = this.load();
    if (!saved) return;
    this.restored = true;
    this.work.bringBack(saved);
  }
}
