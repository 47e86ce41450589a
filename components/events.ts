/** The events `<py-cell>` dispatches. All bubble and cross shadow-root boundaries. */

/** The outcome of one run, as `run()` resolves it and `py-cell-done` carries it. */
export interface PyCellRunResult {
  /** `done`, `error`, or `cancelled` when a `py-cell-run` listener called `preventDefault()`. */
  status: 'done' | 'error' | 'cancelled';
  /** How long Python executed the code, in milliseconds (0 when it never started). */
  elapsedMs: number;
  /** What went wrong, when `status` is `error`. */
  error?: { type: string; message: string; traceback: string; line?: number };
}

/** Fired before a run starts; cancelable: `preventDefault()` stops the run. */
export class PyCellRunEvent extends Event {
  static readonly eventName = 'py-cell-run';
  constructor(readonly code: string) {
    super(PyCellRunEvent.eventName, { bubbles: true, composed: true, cancelable: true });
  }
  /** The code that is about to run. */
  get detail(): { code: string } {
    return { code: this.code };
  }
}

/** Fired after a run has finished; `detail` is the run's result. */
export class PyCellDoneEvent extends Event {
  static readonly eventName = 'py-cell-done';
  constructor(readonly detail: PyCellRunResult) {
    super(PyCellDoneEvent.eventName, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'py-cell-run': PyCellRunEvent;
    'py-cell-done': PyCellDoneEvent;
  }
}
