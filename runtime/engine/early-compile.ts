/**
 * Compiling Python's wasm while the snapshot downloads and unpacks. Pyodide fetches
 * `pyodide.asm.wasm` as soon as a start begins, but compiles it only when it instantiates the
 * module, after the snapshot is ready: the two waited one for the other (145-200 ms of a warm
 * start in Chromium). For one start, this compiles the browser's own response the moment it
 * arrives (so Chromium's compiled-code cache still applies) and hands Pyodide the compiled module
 * when it instantiates. Pyodide keeps a copy of the response: if the early compile fails (a server
 * that sends the wasm with another MIME type), Pyodide instantiates that copy as it always did.
 * Only in a worker, during the start, before any cell's code runs. See
 * docs/decisions/0016-warm-start-and-long-tasks.md.
 */

type Instantiated = WebAssembly.WebAssemblyInstantiatedSource;

/**
 * Arms the early compile of `wasmURL` for the start `start` makes (a call of Pyodide's
 * `loadPyodide`), and disarms it once the start settles.
 */
export async function withEarlyCompile<T>(wasmURL: string, start: () => Promise<T>): Promise<T> {
  const scope = globalThis as { fetch: typeof fetch };
  const wasm = WebAssembly as { instantiateStreaming: typeof WebAssembly.instantiateStreaming };
  const originalFetch = scope.fetch;
  const originalInstantiate = wasm.instantiateStreaming;
  let compiled: Promise<WebAssembly.Module> | null = null;
  const restore = () => {
    if (scope.fetch === earlyFetch) scope.fetch = originalFetch;
    if (wasm.instantiateStreaming === earlyInstantiate) wasm.instantiateStreaming = originalInstantiate;
  };
  const earlyFetch: typeof fetch = (input, init) => {
    const answer = originalFetch(input, init);
    if (compiled || String(input instanceof Request ? input.url : input) !== wasmURL) return answer;
    // The browser's own response is compiled; Pyodide gets a copy (read only if the compile fails).
    const copy = answer.then((response) => response.clone());
    compiled = answer.then((response) => WebAssembly.compileStreaming(response));
    compiled.catch(() => undefined); // Pyodide's own instantiation reports the failure
    return copy;
  };
  const earlyInstantiate = async (source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports): Promise<Instantiated> => {
    restore();
    const module = await compiled?.catch(() => null);
    if (!module) return originalInstantiate(source, imports);
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };
  scope.fetch = earlyFetch;
  wasm.instantiateStreaming = earlyInstantiate;
  try {
    return await start();
  } finally {
    restore();
  }
}

/** Whether this host compiles early: a worker (never the page's own globals) that can stream-compile. */
export const compilesEarly = (): boolean =>
  typeof WebAssembly.compileStreaming === 'function' &&
  typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
