/**
 * Errors a run can end with. A Python exception keeps Python's own name in `type`. A failure of
 * py-cell itself (Python could not be loaded, a package could not be had, the run was stopped,
 * the interpreter crashed) is made here, and only here, with `failure` set: Python code can raise
 * an exception of any name, but it cannot set `failure`, so the page branches on that mark alone.
 */
import type { FailureKind, RunError } from './protocol.js';

/** The `type` shown for each kind of failure; none is the name of a Python built-in exception. */
const FAILURE_TYPES: Record<FailureKind, string> = {
  load: 'PythonLoadError',
  package: 'PackageLoadError',
  'unknown-package': 'PackageNotFoundError',
  wheel: 'UnusableWheel',
  stopped: 'RunStopped',
  crashed: 'PythonCrashed',
  attribute: 'InvalidAttribute',
  blanks: 'BlanksToFill',
};

/** A failure of py-cell itself, with `message` written for the reader (shown as is). */
export function failure(kind: FailureKind, message: string): RunError {
  return { type: FAILURE_TYPES[kind], message, traceback: message, failure: kind };
}

/** Whether `error` is a failure of py-cell itself rather than a Python exception. */
export function isFailure(error: RunError | undefined): boolean {
  return error?.failure !== undefined;
}

/** Loading Python or a package failed: running again may work once the fault is gone. */
export function isRetryable(error: RunError | undefined): boolean {
  return error?.failure === 'load' || error?.failure === 'package';
}

/** The message of anything thrown: an Error's message, or the value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
