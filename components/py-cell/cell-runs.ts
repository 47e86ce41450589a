/**
 * A cell's Runs and Checks, each from the cancelable `py-cell-run` to `py-cell-done`: the run
 * request, the earlier cells of a named session before the cell's first run in this page view,
 * the run itself (a call that joins a waiting run shares its result, reported once), and for an
 * exercise its verdict, recorded and announced with `py-cell-check`; and what becomes of a run
 * when its cell is removed from the page.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { currentConfig, type CheckVerdict } from '../../runtime/index.js';
import { prepareRun } from '../../cell/run-request.js';
import type { RunController } from '../controllers/run-controller.js';
import type { Exercise } from '../exercise/exercise.js';
import { PyCellCheckEvent, PyCellDoneEvent, PyCellRunEvent, type PyCellCheckResult, type PyCellRunResult } from '../events.js';
import { runEarlierInSession, type PageCellElement } from './page-cells.js';

/** What a run reads of its cell's public face (its properties), when it starts. */
export interface RunningCell extends PageCellElement, ReactiveControllerHost {
  /** The validated `timeout` in seconds, or `null` for none. */
  readonly timeoutSeconds: number | null;
}

export interface CellRunsOptions {
  /** The cell's number in the page (its file name in tracebacks, its exercise's namespace). */
  number: number;
  /** The cell's run state machine. */
  controller: RunController;
  /** The cell's exercise, if it is one (read once `py-cell-run` was not cancelled). */
  exercise(): Exercise | null;
  /** The exercise's checks so far (0 before it is read). */
  attempts(): number;
  /** A check was recorded: the exercise's progress changed. */
  recorded(): void;
}

/** A Run or a Check's outcome: the run's result, and for a check that ran, its verdict. */
export interface Attempt {
  result: PyCellRunResult;
  verdict?: CheckVerdict;
}

/** The Runs and Checks of one cell. */
export class CellRuns implements ReactiveController {
  /** Whether a run of this cell has started in this page view (see `runEarlier`). */
  ranInView = false;
  /** Runs whose `py-cell-done` a call of `runOrCheck()` dispatches. */
  private readonly reported = new WeakSet<Promise<PyCellRunResult>>();

  constructor(
    private readonly cell: RunningCell,
    private readonly options: CellRunsOptions,
  ) {
    cell.addController(this);
  }

  hostDisconnected(): void {
    // Removed (not just moved, which reconnects at once): a waiting run is cancelled; a running
    // one completes silently; one waiting for the reader is interrupted (nobody can answer).
    queueMicrotask(() => {
      if (this.cell.isConnected) return;
      this.options.controller.cancelQueued();
      this.options.controller.abandonInput();
      this.options.controller.release();
    });
  }

  /** A Check, as `check()` resolves it: the verdict, or why there is none, and the checks so far. */
  async check(): Promise<PyCellCheckResult> {
    const { result, verdict } = await this.runOrCheck(true);
    const attempts = this.options.attempts();
    if (verdict) return { correct: verdict.correct, message: verdict.message, attempts };
    return {
      correct: false,
      message: result.error?.message ?? (result.status === 'cancelled' ? 'The run was cancelled.' : 'Nothing was checked.'),
      attempts,
    };
  }

  /** A Run or a Check: the events, the request, and for a check, its verdict. */
  async runOrCheck(checking: boolean): Promise<Attempt> {
    const { cell, options } = this;
    const code = cell.code;
    if (!cell.dispatchEvent(new PyCellRunEvent(code))) return { result: { status: 'cancelled', elapsedMs: 0 } };
    const exercise = options.exercise();
    const prepared = prepareRun({
      code,
      session: cell.session,
      packages: cell.packages,
      number: options.number,
      exercise: exercise?.parts ?? null,
      checking,
      base: document.baseURI,
    });
    let result: PyCellRunResult;
    let verdict: CheckVerdict | undefined;
    const firstRun = !this.ranInView;
    this.ranInView = true; // first: the earlier cells' own runs must not come back here
    if (firstRun && !exercise) runEarlierInSession(cell);
    if (prepared.error) {
      result = options.controller.fail(prepared.error);
    } else if (prepared.blanks) {
      exercise?.show({ correct: false, message: prepared.blanks.message });
      result = { status: 'error', elapsedMs: 0, error: prepared.blanks };
    } else {
      exercise?.show(null);
      const pending = options.controller.run(prepared.request, cell.timeoutSeconds ?? currentConfig().timeout, cell.authorTrusted);
      // A call that joined a waiting run shares its result; the first call reports it, once.
      if (this.reported.has(pending)) return { result: await pending };
      this.reported.add(pending);
      ({ check: verdict, ...result } = await pending);
      if (exercise && verdict) {
        const attempts = exercise.record(verdict);
        options.recorded();
        cell.dispatchEvent(new PyCellCheckEvent({ correct: verdict.correct, message: verdict.message, attempts }));
      }
    }
    cell.dispatchEvent(new PyCellDoneEvent(result));
    return { result, ...(verdict ? { verdict } : {}) };
  }
}
