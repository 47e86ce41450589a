// Compiled by `npm run types` against the built package, as a user's project would see it: the
// import resolves through package.json's `exports` to the declaration files the build writes.
// A `@ts-expect-error` line fails the check if the error it expects goes away (types that
// resolve to `any` would make them all go away).
import {
  configure,
  PyCell,
  PyCellDoneEvent,
  PyCellRunEvent,
  PYODIDE_VERSION,
  type FailureKind,
  type PyCellRunResult,
  type RunError,
} from 'py-cell';

configure({ runtimeURL: '/static/pyodide/', timeout: 10 });
// @ts-expect-error configure() knows its options
configure({ runtimeUrl: '/static/pyodide/' });

const version: string = PYODIDE_VERSION;

// The events type-check on document, window and the element, with a read-only detail.
document.addEventListener('py-cell-done', (event) => {
  const result: PyCellRunResult = event.detail;
  const status: 'done' | 'error' | 'cancelled' = result.status;
  const error: RunError | undefined = event.detail.error;
  const kind: FailureKind | undefined = error?.failure;
  // @ts-expect-error detail is read-only
  event.detail = result;
  // @ts-expect-error status is not a number
  const wrong: number = event.detail.status;
  return [status, kind, wrong, version];
});
window.addEventListener('py-cell-run', (event) => {
  const code: string = event.detail.code;
  if (code.includes('import os')) event.preventDefault();
});
const cell = document.querySelector('py-cell');
if (cell instanceof PyCell) {
  cell.addEventListener('py-cell-done', (event: PyCellDoneEvent) => event.detail.elapsedMs);
  cell.addEventListener('py-cell-run', (event: PyCellRunEvent) => event.detail.code);
  void cell.run().then((result) => result.error?.traceback);
}
// The element is known to createElement.
const made: PyCell = document.createElement('py-cell');
made.session = 'intro';

// Page-wide wheels and a named session's earlier cells (the docs integrations' options).
configure({ packages: ['./wheels/mylib-1.0.0-py3-none-any.whl', 'numpy'], runEarlier: false });
// @ts-expect-error packages is a list
configure({ packages: './wheels/mylib-1.0.0-py3-none-any.whl' });
const wheelFailure: FailureKind = 'wheel';
void wheelFailure;
