/**
 * Starting Pyodide: the wasm, the standard library and py-cell's own Python files, restored from
 * the interpreter snapshot when there is one, and started normally when the restore fails.
 */
import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import { errorMessage } from '../shared/errors.js';
import type { Lock } from '../shared/packages.js';
import { PYCELL_FILES } from './python-sources.js';
import { guardedStart, RuntimeFileFailure } from './runtime-files.js';

/** The phases of a start, in order: the wasm instantiated, the file system ready, Python started. */
export type StartPhase = 'wasm' | 'stdlib' | 'interpreter';

export interface StartOptions {
  loadPyodide: typeof LoadPyodide;
  indexURL: string;
  lock: Lock;
  /** The runtime files' checks (`checkRuntimeFiles`): a failed one fails the start. */
  checks: Promise<void>;
  /** The unpacked snapshot to restore, or `null` to start Python normally. */
  snapshot: Promise<Uint8Array> | null;
  onPhase: (phase: StartPhase) => void;
}

/**
 * Starts Python; `restoreError` says why the snapshot could not be restored (Python then started
 * normally). A missing or broken runtime file fails at once: starting again cannot help.
 */
export async function startPython(options: StartOptions): Promise<{ pyodide: PyodideAPI; restoreError: string | null }> {
  if (!options.snapshot) return { pyodide: await attempt(options, null), restoreError: null };
  try {
    return { pyodide: await attempt(options, options.snapshot), restoreError: null };
  } catch (error) {
    if (error instanceof RuntimeFileFailure) throw error;
    const restoreError = errorMessage(error);
    console.warn(`py-cell: the snapshot failed (${restoreError}); Python started normally`);
    return { pyodide: await attempt(options, null), restoreError };
  }
}

/** One start of Pyodide: restored from `snapshot` when given. */
async function attempt(
  { loadPyodide, indexURL, lock, checks, onPhase }: StartOptions,
  snapshot: Promise<Uint8Array> | null,
): Promise<PyodideAPI> {
  const wasmURL = new URL('pyodide.asm.wasm', indexURL).href;
  const pyodide = await guardedStart(
    wasmURL,
    checks,
    () => onPhase('wasm'),
    () =>
      loadPyodide({
        indexURL,
        lockFileContents: lock,
        packageBaseUrl: indexURL,
        checkAPIVersion: true,
        ...(snapshot ? { _loadSnapshot: snapshot } : {}),
        fsInit: (FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void }, info: { sitePackages: string }) => {
          onPhase('stdlib');
          for (const [file, source] of Object.entries(PYCELL_FILES)) {
            const path = `${info.sitePackages}/${file}`;
            FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
            FS.writeFile(path, source);
          }
        },
        // Pyodide's types lack the private `_loadSnapshot`, and `Lock` is the part of its Lockfile we read.
      } as unknown as Parameters<typeof LoadPyodide>[0]),
  );
  onPhase('interpreter');
  return pyodide;
}

/** Whether `error` is one Pyodide raised on its fatal-error path (a crash, an abort, an exit). */
export function isFatalError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { pyodide_fatal_error?: unknown }).pyodide_fatal_error === true;
}

/**
 * Calls `onFatal` when the interpreter dies. Pyodide's fatal-error path (a JavaScript stack
 * overflow, `os._exit`, `abort`, a segfault) throws into a callback nobody awaits, so a run's
 * promise would never settle; Pyodide's internal `_api.on_fatal` hook hears it first. It is not
 * public API: the worker also listens for unhandled errors marked `pyodide_fatal_error`.
 */
export function watchFatal(pyodide: PyodideAPI, onFatal: (error: unknown) => void): void {
  const api = (pyodide as unknown as { _api?: { on_fatal?: (error: unknown) => void } })._api;
  if (!api) return;
  const previous = api.on_fatal;
  api.on_fatal = (error) => {
    previous?.(error);
    onFatal(error);
  };
}
