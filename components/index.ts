/**
 * py-cell: the `<py-cell>` element and its configuration. Importing this module registers the
 * element (once per page, even when two copies of the bundle are loaded). What it exports is the
 * whole public API, documented in the README.
 */
import { configure as configureRuntime } from '../runtime/index.js';
import { refreshSchemes } from './color-scheme.js';
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
export { currentConfig, PYODIDE_VERSION, type PreloadMode, type PyCellConfig } from '../runtime/index.js';

/**
 * Overrides where py-cell finds its files and page-wide settings. Relative URLs resolve against
 * the page. Call it before the first cell runs; cells that already use a runtime keep it. A new
 * `colorScheme` applies to the cells on the page at once.
 */
export const configure: typeof configureRuntime = (config) => {
  configureRuntime(config);
  if ('colorScheme' in config) refreshSchemes();
};

if (!customElements.get('py-cell')) customElements.define('py-cell', PyCell);

declare global {
  interface HTMLElementTagNameMap {
    'py-cell': PyCell;
  }
}
