/**
 * Stopping a run (Stop, or its time limit). Waiting for input, Python is answered with
 * KeyboardInterrupt, on any page; running, it is interrupted through Pyodide's interrupt buffer
 * on cross-origin isolated pages; either way the worker is replaced if Python does not respond in
 * time. Elsewhere, and for a run that has not started its code, the stop is a restart.
 */
import type { ActiveRun } from './active-run.js';
import type { Restarter } from './restart.js';

export class RunStopper {
  /** Runs asked to stop before they were sent to the engine. */
  private readonly stoppedEarly = new WeakSet();

  constructor(
    /** Shared with the engine: writing 2 makes Python raise KeyboardInterrupt; `null`: Stop restarts Python. */
    private readonly interrupt: Int32Array | null,
    /** How long an interrupt may take before the worker is replaced, in ms. */
    private readonly graceMs: number,
    private readonly restarter: Restarter,
    /** The run the engine is executing now, if any. */
    private readonly active: () => ActiveRun | null,
    /** The client's counter (`RuntimeStats`) this keeps. */
    private readonly stats: { interrupts: number },
    /** Asks a shared runtime to drop the run if it has not started; false where it cannot. */
    private readonly cancel: () => boolean = () => false,
  ) {}

  /** Before a run is sent: an interrupt left from an earlier run does not stop it. */
  clearInterrupt(): void {
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
  }

  /** Stops the run identified by `token`: now if it is under way, else when its turn comes. */
  stop(token: object): void {
    this.stoppedEarly.add(token);
    const run = this.active();
    if (run?.token === token) this.stopRun(run, 'Stopped');
  }

  /** Whether Stop was asked for the run identified by `token` (checked before it is sent). */
  wasStopped(token: object): boolean {
    return this.stoppedEarly.has(token);
  }

  /** Stops `run`, if it is still the one under way and not already stopping, saying `reason`. */
  stopRun(run: ActiveRun, reason: string): void {
    if (this.active() !== run || run.stopReason) return;
    run.stopReason = reason;
    run.limit?.pause();
    run.handlers.onStopping?.();
    if (run.waiting || (this.interrupt && run.started)) {
      // Waiting for input, Python is answered with KeyboardInterrupt, on any page; running, it is
      // interrupted through the shared buffer (isolated pages).
      const buffer = run.waiting ? null : this.interrupt;
      // SIGINT (2): Python raises KeyboardInterrupt.
      if (buffer) Atomics.store(buffer, 0, 2);
      else run.answer({ interrupt: true });
      this.stats.interrupts++;
      const restart = (why: string) => {
        if (this.active() === run) void this.restarter.restart({ run, kind: 'stopped', reason: `${reason}; ${why}` });
      };
      setTimeout(() => {
        if (this.active() !== run) return;
        // Python clears the buffer when it takes the interrupt: it is responding, and its answer
        // may be on its way (a busy machine), so it gets one more grace period, and no more (code
        // that catches KeyboardInterrupt and goes on is replaced then).
        if (buffer && Atomics.load(buffer, 0) === 0)
          setTimeout(() => restart('Python did not end the run after the interrupt'), this.graceMs);
        else restart('Python did not respond to the interrupt');
      }, this.graceMs);
    } else if (!run.started && this.cancel()) {
      // A shared runtime, busy with another page's run or loading packages: the run is dropped
      // there; if the runtime does not even answer (its Python is stuck), it is replaced.
      setTimeout(() => {
        if (this.active() === run)
          void this.restarter.restart({ run, kind: 'stopped', reason: `${reason}; the shared Python did not answer` });
      }, this.graceMs);
    } else {
      void this.restarter.restart({ run, kind: 'stopped', reason });
    }
  }
}
