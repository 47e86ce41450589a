/**
 * Restarting Python: the worker is replaced and every session restored by replaying, in order,
 * the runs that had completed (`SessionHistory`); then the run the restart is for (Stop, a time
 * limit, a crash) ends with a report of what happened. A crash between runs restarts at once,
 * and a crash right after such a restore (the replay crashed it again) restarts without
 * replaying, so it does not loop. See `docs/decisions/0004-stop-and-restore.md`.
 */
import { errorMessage, failure } from '../shared/errors.js';
import type { RunRequest, RunResult } from '../shared/protocol.js';
import type { ActiveRun } from './active-run.js';
import type { SessionHistory } from './history.js';

/** A run a restart ends, and why: Stop or a time limit (`stopped`), or a crash (`crashed`). */
export interface Ending {
  run: ActiveRun;
  kind: 'stopped' | 'crashed';
  reason: string;
}

/** What a restart needs of the client. */
export interface RestartHost {
  /** The run the engine is executing now, if any. */
  active(): ActiveRun | null;
  /** Terminates the worker and forgets its boot: the next `start()` boots a new one. */
  closeWorker(): void;
  /** Boots a worker. */
  start(): Promise<string>;
  /** Sends a run (a replayed one) to the worker `start()` booted. */
  send(request: RunRequest): Promise<RunResult>;
  /** Stop interrupts in place on this page (cross-origin isolated): else a restart for Stop says why it was needed. */
  readonly interruptible: boolean;
}

/** A crash between runs this soon after the restore for the last one was caused by that replay. */
const CRASH_LOOP_MS = 10_000;

export class Restarter {
  /** Set while a restart replays the history: runs wait for it. */
  private underWay: Promise<void> | null = null;
  /** When the last restart for a crash between runs finished restoring the sessions. */
  private idleCrashRestoredAt = -Infinity;

  constructor(
    private readonly history: SessionHistory,
    /** The client's counters (`RuntimeStats`) this keeps. */
    private readonly stats: { restarts: number; replayedRuns: number },
    private readonly host: RestartHost,
  ) {}

  /** The restart under way, if any: a run waits for it before it is sent. */
  get restoring(): Promise<void> | null {
    return this.underWay;
  }

  /**
   * Replaces the worker and restores every session by replaying, in order, the runs that had
   * completed; then ends the run the restart is for (if any) with a report of what happened.
   */
  restart(ending: Ending | null): Promise<void> {
    if (ending) ending.run.replaced = true;
    const restoring = (this.underWay ?? Promise.resolve()).then(() => this.replaceWorker(ending));
    this.underWay = restoring;
    void restoring.finally(() => {
      if (this.underWay === restoring) this.underWay = null;
    });
    return restoring;
  }

  /**
   * The interpreter or its worker died after booting. The run under way ends with a report once
   * Python is restarted and the sessions restored; with none under way (a task crashed it), the
   * restart happens at once; if that happens again right after such a restore, the replay itself
   * crashed it (a task it started again), so the next restart does not replay, or it would loop.
   */
  restartAfterCrash(message: string): void {
    const run = this.host.active();
    if (run && !run.replaced) {
      void this.restart({ run, kind: 'crashed', reason: message });
      return;
    }
    if (run) return; // its restart is already under way
    const again = performance.now() - this.idleCrashRestoredAt < CRASH_LOOP_MS;
    if (again) this.history.clear();
    console.warn(
      `py-cell: ${message} while no cell was running; Python is restarted${again ? ', without restoring the sessions: it crashed again right after the last restore' : ' and the sessions restored'}.`,
    );
    void this.restart(null).then(() => (this.idleCrashRestoredAt = again ? -Infinity : performance.now()));
  }

  /**
   * Another page replaced the shared runtime (its Stop, or a crash): the sessions are restored on
   * the new one; a run of this page under way there ends saying what happened, and one that was
   * waiting is sent again.
   */
  restartAfterReplacement(message: string): void {
    const run = this.host.active();
    if (run?.replaced) return;
    if (run?.started) {
      void this.restart({ run, kind: 'crashed', reason: message });
      return;
    }
    // A run of this page that was only waiting there runs once its sessions are restored.
    if (run) run.resend = true;
    void this.restart(null);
  }

  private async replaceWorker(ending: Ending | null): Promise<void> {
    const elapsedMs = ending?.run.started ? performance.now() - ending.run.startedAt : 0;
    this.host.closeWorker();
    this.stats.restarts++;
    let report: { replayed: RunRequest[]; problem: string | null };
    try {
      await this.host.start();
      report = await this.history.replay((request) => this.host.send(request));
    } catch (error) {
      report = { replayed: [], problem: errorMessage(error) };
    }
    this.stats.replayedRuns += report.replayed.length;
    if (!ending) return;
    const cells = report.replayed.map((request) => `${request.filename} (session ${request.session})`);
    const restored = cells.length
      ? `Python was restarted and the sessions restored by re-running ${cells.length} completed cell run${cells.length > 1 ? 's' : ''}: ${cells.join(', ')}.`
      : 'Python was restarted; no earlier cell needed re-running.';
    const why =
      ending.kind === 'stopped' && !this.host.interruptible
        ? ' (this page is not cross-origin isolated, so the run could not be interrupted in place)'
        : '';
    const problem = report.problem ? ` Restoring the sessions failed: ${report.problem}` : '';
    ending.run.endWith({ status: 'error', elapsedMs, error: failure(ending.kind, `${ending.reason}${why}. ${restored}${problem}`) });
  }
}
