/**
 * The page's cells taken together: each cell's number, where its saved work is kept (by what the
 * page wrote in it when it has no `id`), bringing back every cell's saved work when
 * `configure({persist: true})` comes late, the earlier cells of a named session to run first, and
 * the runtime a cell runs in, started with what the page's worker cells will need. A cell enrols once, lending a small handle
 * onto its state; nothing here reaches into a cell's private fields.
 */
import { currentConfig, getRuntime, onConfigure, type RuntimeClient } from '../../runtime/index.js';
import { sessionName } from '../../cell/attributes.js';
import { pageNeeds, type CellNeeds } from '../../cell/run-request.js';
import type { SavedWorkPlace } from '../../cell/saved-work.js';
import { readExercise } from '../../cell/source.js';

/** What page-wide jobs use of a cell's public face: its properties, and `run()`. */
export interface PageCellElement extends Element, CellNeeds {
  readonly session: string | null;
  readonly exercise: boolean;
  /** The code as written in the page. */
  readonly originalCode: string;
  /** The cell is `trusted` and its code is the author's: it runs in the trusted runtime. */
  readonly authorTrusted: boolean;
  run(): Promise<unknown>;
}

/** What a cell lends the page-wide jobs of its own state, when it enrols. */
export interface PageCellHandle {
  /** Whether a run of the cell has started in this page view. */
  ranInView(): boolean;
  /** Brings back what the reader left in the cell on an earlier visit (`persist`), if still due. */
  restore(): void;
}

/** The handles of the cells made by this copy of the element. */
const handles = new WeakMap<Element, PageCellHandle>();
let enrolled = 0;

/** The page's cells, in document order. */
const cellsIn = (root: ParentNode) => root.querySelectorAll<PageCellElement>('py-cell');

/** Brings back every cell's saved work. */
function restoreSavedWork(): void {
  for (const cell of Array.from(cellsIn(document))) handles.get(cell)?.restore();
}

// `configure({ persist: true })` often runs after the cells in the markup were upgraded. Called at
// the top level, never in a class's static block: minified, a call there became a `var` inside the
// block, which Rollup 4 (and so Vite) wrongly hoists out of it when an app bundles dist/py-cell.js,
// dropping the class that `var` shadows.
onConfigure(() => restoreSavedWork());

/**
 * Enrols a cell (once, when it is made) with its handle. Returns its number, counted from 1 in the
 * order cells are made: its output's label ("Output of cell N") and its file name in tracebacks.
 */
export function enrol(cell: PageCellElement, handle: PageCellHandle): number {
  handles.set(cell, handle);
  return ++enrolled;
}

/**
 * Where a cell's saved work (`persist`) is kept, `path` being its page's path when it first
 * connected: its `id`, else what the page wrote in it (its code, and an exercise's setup and
 * check code) and how many cells before it in the page were written the same. Adding or removing
 * other cells does not change it; only cells written alike are told apart by their order.
 */
export function savedWorkPlace(cell: PageCellElement, path: string): SavedWorkPlace {
  const written = writtenIn(cell);
  let occurrence = 0;
  if (!cell.id) {
    for (const other of cellsIn(cell.getRootNode() as ParentNode)) {
      if (other === cell) break;
      if (other.originalCode === cell.originalCode && writtenIn(other) === written) occurrence++;
    }
  }
  return { path, id: cell.id, code: cell.originalCode, written, occurrence };
}

/** What the page wrote in a cell: its code, and an exercise's setup and check code. */
function writtenIn(cell: PageCellElement): string {
  if (!cell.exercise) return cell.originalCode;
  const { setup, check } = readExercise(cell);
  return `${cell.originalCode}\0${setup}\0${check ?? ''}`;
}

/**
 * Runs, in page order, the earlier cells of `cell`'s named session that have not run in this page
 * view (configure's `runEarlier`); each shows its own output. Their runs are queued before the
 * cell's own, so it runs after them. The cell marks itself as run before calling this, so that the
 * earlier cells' runs do not come back to it.
 */
export function runEarlierInSession(cell: PageCellElement): void {
  if (!currentConfig().runEarlier || cell.session === null || !sessionName(cell.session).valid) return;
  for (const other of cellsIn(cell.getRootNode() as ParentNode)) {
    if (other === cell) break;
    const handle = handles.get(other);
    if (handle && !handle.ranInView() && !other.exercise && other.session === cell.session && sameRuntime(other, cell)) {
      void other.run();
    }
  }
}

function sameRuntime(a: PageCellElement, b: PageCellElement): boolean {
  return a.mainThread === b.mainThread && (a.mainThread || a.authorTrusted === b.authorTrusted);
}

/**
 * The runtime of a cell: the page's worker; with `trusted` (`trusted` true: the cell is `trusted`
 * and runs its author's code) a worker of its own where nothing else ever runs, since code in a
 * worker can forge any message its engine sends; with `main-thread` the main-thread interpreter.
 * One that has not started starts now (a worker's downloading, meanwhile, what the page's cells
 * will need); not after a failure, which the next run retries.
 */
export function runtimeFor({ mainThread }: { readonly mainThread: boolean }, trusted: boolean): RuntimeClient {
  const runtime = getRuntime(currentConfig(), mainThread ? 'main' : trusted ? 'trusted' : 'worker');
  if (runtime.state === 'idle' && !mainThread) void runtime.start(pageNeeds(cellsIn(document), document.baseURI));
  return runtime;
}
