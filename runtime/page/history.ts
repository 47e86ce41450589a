/**
 * The runs that completed in the current interpreter, in order, and their replay: after Python
 * is restarted (Stop on a page that is not cross-origin isolated, a time limit, a crash), running
 * them again restores every session's variables. See `docs/decisions/0004-stop-and-restore.md`.
 */
import { errorMessage, isFailure } from '../shared/errors.js';
import type { RunRequest, RunResult } from '../shared/protocol.js';

/** How a run ended, as far as its replay is concerned. */
export interface RunOutcome {
  /** Python started executing the code. */
  started: boolean;
  /** Stop or a time limit ended it: replaying it would loop again. */
  stopped: boolean;
  result: RunResult;
}

export interface ReplayReport {
  /** The runs replayed, in order. */
  replayed: RunRequest[];
  /** Why the replay ended early, if it did. */
  problem: string | null;
}

export class SessionHistory {
  private runs: RunRequest[] = [];

  /** How many runs a replay would repeat. */
  get size(): number {
    return this.runs.length;
  }

  /**
   * Keeps `request` when its code ran to an end: done, or a Python exception (which it raises
   * again on replay, as the first time). Never a stopped run, nor one py-cell failed, nor an
   * exercise's attempt (each starts afresh: nothing after it depends on it).
   */
  record(request: RunRequest, outcome: RunOutcome): void {
    if (request.exercise) return;
    if (outcome.started && !outcome.stopped && !isFailure(outcome.result.error)) this.runs.push(request);
  }

  /** The interpreter and its sessions are gone: nothing to replay. */
  clear(): void {
    this.runs = [];
  }

  /**
   * Runs every recorded run again with `send`, in order, into a fresh interpreter, keeping each
   * in the history. Ends early when `send` throws or py-cell fails (the new interpreter is
   * unusable); Python exceptions are expected and do not end it.
   */
  async replay(send: (request: RunRequest) => Promise<RunResult>): Promise<ReplayReport> {
    const runs = this.runs;
    this.runs = [];
    const replayed: RunRequest[] = [];
    try {
      for (const request of runs) {
        const result = await send(request);
        if (isFailure(result.error)) return { replayed, problem: result.error!.message };
        replayed.push(request);
        this.runs.push(request);
      }
    } catch (error) {
      return { replayed, problem: errorMessage(error) };
    }
    return { replayed, problem: null };
  }
}
