/**
 * Guards around Pyodide's start. Pyodide only logs a missing standard library, or a wasm file
 * that does not compile, and then waits forever; these guards turn both into a failure that
 * names the file.
 */
import { errorMessage } from '../shared/errors.js';

/** A runtime file itself is missing or broken: starting again without the snapshot cannot help. */
export class RuntimeFileFailure extends Error {
  override name = 'RuntimeFileFailure';
}

/** The files whose absence Pyodide does not report. */
export const CHECKED_FILES = ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide.asm.mjs'] as const;

/**
 * Checks that every file of `CHECKED_FILES` is in `indexURL` (with `check`, a HEAD request),
 * beside the start rather than before it, which it would delay. Rejects with the first failure.
 */
export function checkRuntimeFiles(indexURL: string, check: (url: string) => Promise<void>): Promise<void> {
  const checks = Promise.all(CHECKED_FILES.map((file) => check(new URL(file, indexURL).href))).then(() => undefined);
  checks.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
  return checks;
}

type Instantiate = (...args: unknown[]) => Promise<unknown>;
type WasmNamespace = Record<'instantiateStreaming' | 'instantiate', Instantiate | undefined>;

/**
 * Wraps `WebAssembly.instantiateStreaming` and `instantiate` while Pyodide starts: `failed`
 * rejects (with a `RuntimeFileFailure` naming `wasmURL`) when the wasm does not compile, and
 * `onInstantiated` is called when it does. `restore` puts the originals back.
 */
export function watchInstantiation(
  wasmURL: string,
  onInstantiated: () => void,
  wasm: WasmNamespace = WebAssembly as unknown as WasmNamespace,
): { failed: Promise<never>; restore: () => void } {
  const original = { instantiateStreaming: wasm.instantiateStreaming, instantiate: wasm.instantiate };
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  for (const name of ['instantiateStreaming', 'instantiate'] as const) {
    const call = original[name];
    if (!call) continue;
    wasm[name] = (...args: unknown[]) =>
      call.apply(wasm, args).then(
        (result) => {
          onInstantiated();
          return result;
        },
        (error: unknown) => {
          fail(new RuntimeFileFailure(`Could not compile ${wasmURL} (truncated or corrupted?): ${errorMessage(error)}`));
          throw error;
        },
      );
  }
  return {
    failed,
    restore: () => {
      wasm.instantiateStreaming = original.instantiateStreaming;
      wasm.instantiate = original.instantiate;
    },
  };
}

/**
 * What `start()` resolves with, unless a guard fails first: a failed file check (its 404 says
 * more than the compile error of a missing file) or a wasm that does not compile.
 */
export async function guardedStart<T>(
  wasmURL: string,
  checks: Promise<void>,
  onInstantiated: () => void,
  start: () => Promise<T>,
): Promise<T> {
  const watch = watchInstantiation(wasmURL, onInstantiated);
  const checkFailure = (error: unknown) => Promise.reject(new RuntimeFileFailure(errorMessage(error)));
  const checked = checks.then(() => new Promise<never>(() => undefined), checkFailure);
  const compileFailed = watch.failed.catch(async (error: unknown) => {
    await checks.catch(checkFailure);
    throw error;
  });
  try {
    return await Promise.race([compileFailed, checked, start()]);
  } finally {
    watch.restore();
  }
}
