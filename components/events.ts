/**
 * The events `<py-cell>` dispatches: one class each, with a read-only `detail`. All bubble and
 * cross shadow-root boundaries, so a page can listen on `document` or `window`, and they are
 * declared in `GlobalEventHandlersEventMap` so such listeners type-check.
 */
import type { RunError } from '../runtime/index.js';

/** The outcome of one run, as `run()` resolves it and `py-cell-done` carries it. */
export interface PyCellRunResult {
  /** `done`, `error`, or `cancelled` when a `py-cell-run` listener called `preventDefault()`. */
  readonly status: 'done' | 'error' | 'cancelled';
  /** How long Python executed the code, in milliseconds (0 when it never started). */
  readonly elapsedMs: number;
  /** What went wrong, when `status` is `error`: a Python exception or a failure of py-cell itself. */
  readonly error?: RunError;
}

/** Fired before a run starts; cancelable: `preventDefault()` stops the run. */
export class PyCellRunEvent extends Event {
  static readonly eventName = 'py-cell-run';
  /** The code that is about to run. */
  readonly detail: { readonly code: string };
  constructor(code: string) {
    super(PyCellRunEvent.eventName, { bubbles: true, composed: true, cancelable: true });
    this.detail = { code };
  }
}

/** Fired after a run has finished; `detail` is the run's result. */
export class PyCellDoneEvent extends Event {
  static readonly eventName = 'py-cell-done';
  /** The run's result, as `run()` resolves it. */
  readonly detail: PyCellRunResult;
  constructor(result: PyCellRunResult) {
    super(PyCellDoneEvent.eventName, { bubbles: true, composed: true });
    this.detail = result;
  }
}

/** The verdict of an exercise's check, as `check()` resolves it and `py-cell-check` carries it. */
export interface PyCellCheckResult {
  /** The check code raised nothing. */
  readonly correct: boolean;
  /** "Correct", or why not: the check's assertion message, what was raised, or why no check ran. */
  readonly message: string;
  /** Checks of this exercise so far (in this visit, or kept with `persist`). */
  readonly attempts: number;
}

/** Fired after an exercise's check ran; `detail` is its verdict, for course platforms to record. */
export class PyCellCheckEvent extends Event {
  static readonly eventName = 'py-cell-check';
  readonly detail: PyCellCheckResult;
  constructor(result: PyCellCheckResult) {
    super(PyCellCheckEvent.eventName, { bubbles: true, composed: true });
    this.detail = result;
  }
}

/** Fired when Python waits for the reader (`input()`, `sys.stdin`, `getpass`) and a field appears. */
export class PyCellInputEvent extends Event {
  static readonly eventName = 'py-cell-input';
  /** What Python asked with: the prompt written before the field (may be empty). */
  readonly detail: { readonly prompt: string };
  constructor(prompt: string) {
    super(PyCellInputEvent.eventName, { bubbles: true, composed: true });
    this.detail = { prompt };
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'py-cell-run': PyCellRunEvent;
    'py-cell-done': PyCellDoneEvent;
    'py-cell-input': PyCellInputEvent;
    'py-cell-check': PyCellCheckEvent;
  }
}
