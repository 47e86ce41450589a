/**
 * The runtime's public face: everything the element (`components/`) uses of the runtime, and
 * nothing else. The page side (`page/`: one client per page and configuration, the worker's
 * start) and the shared protocol (`shared/`: messages, errors, output kinds) are re-exported
 * here; the engine (`engine/`) is reached only through the hosts the page starts.
 */
export {
  configure,
  currentConfig,
  disposeRuntimes,
  getRuntime,
  onConfigure,
  PRELOAD_MODES,
  PYODIDE_VERSION,
  type PreloadMode,
  type PyCellConfig,
  type RuntimeMode,
} from './page/registry.js';
export type { ClientRunResult, RuntimeClient } from './page/client.js';
export { failure, isRetryable } from './shared/errors.js';
export {
  ALT_MIME,
  ARRAY_MIME,
  CANVAS_MIME,
  chartLibrary,
  DOM_MIME,
  ERROR_MIME,
  OUTPUT_KINDS,
  REPR_SKIPPED,
  SVG_AS_IMAGE,
  type OutputMime,
} from './shared/mime.js';
export type { ArrayPayload, DtypeKind, PrintOptions } from './shared/array-payload.js';
export type { CheckVerdict, FailureKind, MimeBundle, Progress, RunError, RunRequest, StreamName } from './shared/protocol.js';
