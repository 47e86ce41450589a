/**
 * py-cell: the `<py-cell>` element and its configuration. Importing this module registers the
 * element (once per page, even when two copies of the bundle are loaded). What it exports is the
 * whole public API, documented in the README.
 */
import { PyCell } from './py-cell/py-cell.js';

export { PyCell } from './py-cell/py-cell.js';
export {
  PyCellCheckEvent,
  PyCellDoneEvent,
  PyCellInputEvent,
  PyCellRunEvent,
  type PyCellCheckResult,
  type PyCellRunResult,
} from './events.js';
export type { CellStatus } from './controllers/run-controller.js';
export type { FailureKind, RunError } from '../runtime/index.js';
export { configure, currentConfig, PYODIDE_VERSION, type PreloadMode, type PyCellConfig } from '../runtime/index.js';

if (!customElements.get('py-cell')) customElements.define('py-cell', PyCell);

declare global {
  interface HTMLElementTagNameMap {
    'py-cell': PyCell;
  }
}
