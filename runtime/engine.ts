/**
 * The Python engine: boots Pyodide, loads packages, runs cells and streams their output.
 * It talks only through `post` and `handle`, so the same class runs inside the dedicated
 * worker (`worker.ts`) and, for main-thread mode, on the page. No DOM access here.
 */
import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import type { BootOptions, BootTimings, FromEngine, SnapshotUse, MimeBundle, Progress, PythonError, RunRequest, RunResult, ToEngine } from './protocol.js';
import { errorMessage } from './errors.js';
import { arrayPayload, type BufferViewLike, type PrintOptions } from './arrays.js';
import { CANVAS_MIME, DOM_MIME } from './mime.js';
import { importIndex, planPackages, withPackageSources, type Lock } from './packages.js';
import { PYCELL_FILES } from './python-sources.js';
import { StreamBatcher } from './stream-batcher.js';

type Post = (message: FromEngine, transfer?: Transferable[]) => void;
type PyProxyLike = { toJs(options?: object): unknown; destroy(): void };
type PyBufferLike = PyProxyLike & { getBuffer(type: 'dataview'): BufferViewLike & { release(): void } };
type Runner = {
  run(code: string, session: string, filename: string): Promise<PyProxyLike>;
  find_imports(code: string): PyProxyLike;
  setup(hooks: object): void;
};
type AnyCanvas = OffscreenCanvas | HTMLCanvasElement;

export const DOM_UNREACHABLE =
  "The page's DOM is not reachable from the worker. Either add the main-thread attribute to the cell (<py-cell main-thread>), " +
  'or serve the page cross-origin isolated (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp).';

/** Dependencies the engine reaches for; tests or other hosts may pass their own. */
export interface EngineHost {
  /** Imports Pyodide's loader module from the runtime folder. */
  importPyodide(url: string): Promise<{ loadPyodide: typeof LoadPyodide }>;
  fetch: typeof fetch;
  /** True on the page's main thread: DOM nodes can be displayed and canvases are live. */
  dom?: boolean;
  /** The page's `document` and `window` when reachable (main thread, or a synchronous bridge). */
  pageGlobal?(name: 'document' | 'window'): unknown;
  /** Connects the synchronous bridge to the page's window; `null` when it cannot work. */
  connectPage?(): Promise<(Window & typeof globalThis) | null>;
}

// Captured at load, before `worker.ts` replaces the worker's global fetch with `countingFetch`.
const nativeFetch = globalThis.fetch.bind(globalThis);

const defaultHost: EngineHost = {
  importPyodide: (url) => import(/* @vite-ignore */ url),
  fetch: nativeFetch,
};

const toPlain = { dict_converter: Object.fromEntries, create_pyproxies: false };

/** A failure that is not a Python exception (e.g. a package that cannot be loaded). */
function engineError(type: string, message: string): PythonError {
  return { type, message, traceback: `${type}: ${message}` };
}

/** What `py-cell-runtime.json` (written by the build) says about the runtime folder. */
interface RuntimeManifest {
  pyodideVersion: string;
  localPackages: string[];
  /** The interpreter snapshot (scripts/make-snapshot.mjs), gzipped; `bytes` unpacked. */
  snapshot?: { file: string; bytes: number; jspi?: boolean };
}

/** A runtime file itself failed: retrying without the snapshot cannot help. */
class RuntimeFileFailure extends Error {}

export class Engine {
  private pyodide: PyodideAPI | null = null;
  private runner: Runner | null = null;
  private booting: Promise<void> | null = null;
  private lock: Lock | null = null;
  private imports = new Map<string, string>();
  private options: BootOptions | null = null;
  private currentRun: number | null = null;
  private readonly batcher: StreamBatcher;
  private progressStage: Progress['stage'] = 'download';
  private lastProgress = 0;
  private nextCanvas = 1;
  /** Worker canvases of the current run, committed as frames to the page. */
  private readonly canvases = new Map<number, OffscreenCanvas>();
  private commitTimer: ReturnType<typeof setInterval> | null = null;
  /** Milliseconds each boot phase took, in order (see `BootTimings`). */
  private readonly timings: BootTimings = {};
  private snapshotUse: SnapshotUse = { used: false, reason: 'not booted' };

  private readonly host: EngineHost;

  constructor(
    private readonly post: Post,
    host: Partial<EngineHost> = {},
  ) {
    this.host = { ...defaultHost, ...host };
    this.batcher = new StreamBatcher((chunks) => this.post({ type: 'stream', id: this.currentRun, chunks }));
  }

  /** Handles one message from the page. Never throws; failures are posted back. */
  handle(message: ToEngine): void {
    if (message.type === 'boot') {
      this.boot(message.options).catch(() => undefined);
    } else if (message.type === 'run') {
      const { id, ...request } = message;
      this.run(id, request).then(
        (result) => this.post({ type: 'result', id, ...result }),
        // Not a Python exception: the interpreter itself failed and must be replaced.
        (error: unknown) =>
          this.post({
            type: 'result',
            id,
            fatal: true,
            status: 'error',
            elapsedMs: 0,
            error: engineError('FatalError', `Python stopped working (${errorMessage(error)}); it is restarted and the sessions restored.`),
          }),
      );
    }
  }

  /** A fetch that reports bytes received to the page as progress. */
  /** A download that receives nothing for this long is abandoned with an error naming it. */
  stallTimeoutMs = 30_000;

  /**
   * A fetch that reports bytes received to the page as progress, and gives up on a download
   * that stalls (no headers or no bytes for `stallTimeoutMs`) with an error naming the URL.
   */
  readonly countingFetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const abort = new AbortController();
    const stallError = () => new Error(`No data from ${url} for ${Math.round(this.stallTimeoutMs / 1000)} s: the server does not answer.`);
    let timer = setTimeout(() => abort.abort(stallError()), this.stallTimeoutMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => abort.abort(stallError()), this.stallTimeoutMs);
    };
    let response: Response;
    try {
      const cache: RequestInit = this.options?.revalidate ? { cache: 'no-cache' } : {};
      response = await this.host.fetch(input, { ...cache, ...init, signal: abort.signal });
    } catch (error) {
      clearTimeout(timer);
      throw abort.signal.aborted ? abort.signal.reason : error;
    }
    if (!response.ok || !response.body) {
      clearTimeout(timer);
      return response;
    }
    const encoded = response.headers.get('content-encoding');
    const length = Number(response.headers.get('content-length'));
    const total = !encoded && length > 0 ? length : undefined;
    const detail = url.slice(url.lastIndexOf('/') + 1);
    let loaded = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform: (chunk, controller) => {
        touch();
        loaded += chunk.byteLength;
        const now = performance.now();
        if (now - this.lastProgress > 50 || loaded === total) {
          this.lastProgress = now;
          this.progress({ stage: this.progressStage, detail, loaded, total });
        }
        controller.enqueue(chunk);
      },
      flush: () => clearTimeout(timer),
      // Pull from the network even while the reader waits (Pyodide reads the stdlib only once
      // the wasm is instantiated): a stall is the server's silence, not the reader's.
    }, undefined, { highWaterMark: Number.POSITIVE_INFINITY });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  private progress(progress: Progress): void {
    this.post({ type: 'progress', progress });
  }

  /** Boots Pyodide once; later calls share the first boot. */
  boot(options: BootOptions): Promise<void> {
    this.booting ??= this.doBoot(options).then(
      () => this.post({ type: 'ready', version: this.pyodide!.version, timings: this.timings, snapshot: this.snapshotUse }),
      (error: unknown) => {
        const message = errorMessage(error);
        this.post({ type: 'boot-error', message });
        throw error;
      },
    );
    return this.booting;
  }

  private async doBoot(options: BootOptions): Promise<void> {
    this.options = options;
    const { indexURL, packageURL, expectedVersion } = options;
    const bootStart = performance.now();
    let phaseStart = bootStart;
    const phase = (name: keyof BootTimings) => {
      const now = performance.now();
      this.timings[name] = Math.round((now - phaseStart) * 10) / 10;
      phaseStart = now;
    };
    if (options.stallTimeoutMs) this.stallTimeoutMs = options.stallTimeoutMs;

    // Stage 1: the loader, the lock file and the list of wheels present in wasm-dist/, at once.
    this.progress({ stage: 'download', detail: 'pyodide.mjs' });
    const loaderURL = new URL('pyodide.mjs', indexURL).href;
    const lockURL = new URL('pyodide-lock.json', indexURL).href;
    const manifestURL = new URL('py-cell-runtime.json', indexURL).href;
    const [loader, lock, manifest] = await Promise.all([
      this.host.importPyodide(loaderURL).catch((error: unknown) => {
        throw new Error(`Could not load the Python runtime from ${loaderURL}: ${String(error)}`);
      }),
      this.fetchJSON<Lock>(lockURL),
      this.fetchJSON<RuntimeManifest>(manifestURL).catch((): RuntimeManifest => ({
        pyodideVersion: expectedVersion,
        localPackages: [],
      })),
    ]);
    if (manifest.pyodideVersion !== expectedVersion) {
      throw new Error(
        `Version mismatch: py-cell was built for Pyodide ${expectedVersion} but ${indexURL} holds Pyodide ${manifest.pyodideVersion}. Rebuild py-cell or copy the matching wasm-dist/.`,
      );
    }
    this.lock = withPackageSources(lock, manifest.localPackages, packageURL);
    this.imports = importIndex(this.lock);
    // The snapshot downloads while the checks run and Pyodide fetches the wasm and the stdlib.
    let snapshot: Promise<Uint8Array> | null = null;
    if (options.snapshot === false) this.snapshotUse = { used: false, reason: 'turned off' };
    else if (!manifest.snapshot) this.snapshotUse = { used: false, reason: `${indexURL} has no snapshot` };
    else if (manifest.snapshot.jspi && !('Suspending' in WebAssembly)) {
      // The interpreter records at start whether it can suspend (time.sleep, run_sync needs it).
      this.snapshotUse = { used: false, reason: 'the snapshot was made with WebAssembly stack switching, which this browser lacks' };
    }
    else {
      const { file, bytes } = manifest.snapshot;
      snapshot = this.fetchSnapshot(new URL(file, indexURL).href, bytes).then((data) => {
        this.timings.snapshotReady = Math.round(performance.now() - bootStart);
        return data;
      });
      snapshot.catch(() => undefined);
    }
    phase('loader');
    // Pyodide only logs a missing stdlib or wasm and then waits forever; these checks name the
    // file instead. They run beside the start rather than before it, which they would delay.
    const checks = Promise.all(['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide.asm.mjs'].map((file) => this.checkFile(new URL(file, indexURL).href)));
    checks.catch(() => undefined);

    if (this.host.connectPage) {
      await checks;
      const page = await this.host.connectPage();
      if (page) this.host.pageGlobal = (name) => (name === 'window' ? page : page.document);
    }

    // Stage 2: download and compile the wasm, unpack the standard library, start the interpreter
    // (or restore it from the snapshot, falling back to a normal start if that fails).
    let pyodide: PyodideAPI;
    try {
      pyodide = await this.startInterpreter(loader.loadPyodide, snapshot, phase, checks);
      if (snapshot) this.snapshotUse = { used: true };
    } catch (error) {
      if (!snapshot || error instanceof RuntimeFileFailure) throw error;
      this.snapshotUse = { used: false, reason: `the snapshot failed (${errorMessage(error)}); Python started normally` };
      console.warn(`py-cell: ${this.snapshotUse.reason}`);
      pyodide = await this.startInterpreter(loader.loadPyodide, null, phase, checks);
    }
    if (this.snapshotUse.used) this.afterRestore(pyodide);
    if (options.interruptBuffer) pyodide.setInterruptBuffer(options.interruptBuffer);
    if (pyodide.version !== expectedVersion) {
      throw new Error(
        `Version mismatch: py-cell was built for Pyodide ${expectedVersion} but ${indexURL} holds Pyodide ${pyodide.version}.`,
      );
    }

    // Stage 3: py-cell's own Python helpers.
    const runner = pyodide.pyimport('pycell._runner') as unknown as Runner;
    runner.setup({
      emitStream: (name: string, text: string) => this.batcher.write(name === 'stderr' ? 'stderr' : 'stdout', text),
      emitDisplay: (bundle: PyProxyLike) => this.display(bundle.toJs(toPlain) as MimeBundle),
      arrayPayload: (obj: PyBufferLike, meta: PyProxyLike) => this.arrayPayload(obj, meta),
      createCanvas: (width: number, height: number) => this.createCanvas(width, height),
      pageGlobal: (name: 'document' | 'window') => this.host.pageGlobal?.(name) ?? DOM_UNREACHABLE,
      domUnreachable: this.host.pageGlobal
        ? "In a worker cell, Python's js module is the worker's own global scope: the page's DOM is pycell.document and pycell.window."
        : DOM_UNREACHABLE,
      ...(this.host.dom ? { isDomNode: (value: unknown) => typeof Node !== 'undefined' && value instanceof Node } : {}),
    });
    this.pyodide = pyodide;
    this.runner = runner;
    this.progressStage = 'packages';
    phase('helpers');
    this.progress({ stage: 'ready' });
  }

  /**
   * What a restored interpreter must not share with the one the snapshot was made in (headless
   * Chromium, at build time): the random seed, which every page would otherwise share, and the
   * `LANG` a normal start takes from the browser's language (Emscripten's default environment).
   */
  private afterRestore(pyodide: PyodideAPI): void {
    const lang = `${(globalThis.navigator?.languages?.[0] || 'C').replace('-', '_')}.UTF-8`;
    const scope = pyodide.toPy({}) as unknown as PyProxyLike;
    try {
      pyodide.runPython(
        `import os, sys\nos.environ['LANG'] = ${JSON.stringify(lang)}\nif 'random' in sys.modules: sys.modules['random'].seed()`,
        { globals: scope as never },
      );
    } finally {
      scope.destroy();
    }
  }

  /** One attempt at starting Pyodide: restored from `snapshot` when given. */
  private async startInterpreter(
    loadPyodide: typeof LoadPyodide,
    snapshot: Promise<Uint8Array> | null,
    phase: (name: keyof BootTimings) => void,
    checks: Promise<unknown>,
  ): Promise<PyodideAPI> {
    const { indexURL } = this.options!;
    // Pyodide logs a failed wasm instantiation and waits forever: watch for it and fail instead.
    const watch = this.watchInstantiation(() => phase('wasm'));
    const checked = checks.then(() => new Promise<never>(() => undefined), (error: unknown) => Promise.reject(new RuntimeFileFailure(errorMessage(error))));
    // A failed instantiation of a missing file: the check's 404 says more than the compile error.
    const failed = watch.failed.catch(async (error: unknown) => {
      await checks.catch((checkError: unknown) => Promise.reject(new RuntimeFileFailure(errorMessage(checkError))));
      throw error;
    });
    const pyodide = await Promise.race([failed, checked, loadPyodide({
      indexURL,
      lockFileContents: this.lock as never,
      packageBaseUrl: indexURL,
      checkAPIVersion: true,
      ...(snapshot ? { _loadSnapshot: snapshot } : {}),
      fsInit: async (FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void }, info: { sitePackages: string }) => {
        phase('stdlib');
        this.progress({ stage: 'start' });
        for (const [file, source] of Object.entries(PYCELL_FILES)) {
          const path = `${info.sitePackages}/${file}`;
          FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
          FS.writeFile(path, source);
        }
      },
    } as Parameters<typeof LoadPyodide>[0])]).finally(watch.restore);
    phase('interpreter');
    return pyodide;
  }

  /**
   * Downloads the interpreter snapshot and unpacks it as it arrives. The file is gzip; a server
   * that already decoded it (Content-Encoding: gzip for `.gz` files) is handled too.
   */
  private async fetchSnapshot(url: string, bytes: number): Promise<Uint8Array> {
    const response = await this.countingFetch(url);
    if (!response.ok || !response.body) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
    const reader = response.body.getReader();
    const first = await reader.read();
    const head = first.value ?? new Uint8Array(0);
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        if (head.byteLength) controller.enqueue(head);
        if (first.done) controller.close();
      },
      pull: async (controller) => {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const gzip = head[0] === 0x1f && head[1] === 0x8b;
    const unpacked = gzip ? body.pipeThrough(new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>) : body;
    const data = new Uint8Array(bytes);
    let offset = 0;
    const chunks = unpacked.getReader();
    for (let next = await chunks.read(); !next.done; next = await chunks.read()) {
      if (offset + next.value.byteLength > bytes) throw new Error(`${url} is larger than the ${bytes} bytes the manifest gives`);
      data.set(next.value, offset);
      offset += next.value.byteLength;
    }
    if (offset !== bytes) throw new Error(`${url} is truncated: ${offset} of ${bytes} bytes`);
    return data;
  }

  /** Fails with a clear message when a runtime file is missing. */
  private async checkFile(url: string): Promise<void> {
    let response: Response;
    try {
      response = await this.countingFetch(url, { method: 'HEAD' });
    } catch (error) {
      throw new Error(`Could not reach ${url}: ${errorMessage(error)}`);
    }
    if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
  }

  /**
   * Wraps `WebAssembly.instantiateStreaming` and `instantiate` while Pyodide boots, so that a
   * truncated or corrupted `pyodide.asm.wasm` fails the boot with its URL instead of hanging.
   */
  private watchInstantiation(onInstantiated: () => void): { failed: Promise<never>; restore: () => void } {
    const wasm = WebAssembly as unknown as Record<'instantiateStreaming' | 'instantiate', (...args: unknown[]) => Promise<unknown>>;
    const original = { instantiateStreaming: wasm.instantiateStreaming, instantiate: wasm.instantiate };
    let fail: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const url = new URL('pyodide.asm.wasm', this.options!.indexURL).href;
    for (const name of ['instantiateStreaming', 'instantiate'] as const) {
      if (!original[name]) continue;
      wasm[name] = (...args: unknown[]) =>
        original[name]!.apply(WebAssembly, args).then(
          (result) => {
            onInstantiated();
            return result;
          },
          (error: unknown) => {
            fail(new RuntimeFileFailure(`Could not compile ${url} (truncated or corrupted?): ${errorMessage(error)}`));
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

  private display(bundle: MimeBundle): void {
    this.batcher.flush();
    this.post({ type: 'display', id: this.currentRun, bundle });
  }

  /** Reads an object's buffer in place (no copy) and returns the array view's payload. */
  private arrayPayload(obj: PyBufferLike, meta: PyProxyLike): unknown {
    const info = meta.toJs(toPlain) as {
      typeName: string;
      dtype?: string;
      printOptions?: Partial<PrintOptions>;
      format: string;
      itemsize: number;
      shape: number[];
    };
    if (info.shape.includes(0)) {
      // Nothing to read: describe the empty array without touching memory.
      const empty = { format: info.format, itemsize: info.itemsize, shape: info.shape, strides: info.shape.map(() => 0), offset: 0, data: new DataView(new ArrayBuffer(0)) };
      return arrayPayload(empty, info) ?? undefined;
    }
    let view: (BufferViewLike & { release(): void }) | null = null;
    try {
      view = obj.getBuffer('dataview');
      return arrayPayload(view, info) ?? undefined;
    } catch {
      return undefined; // an unreadable buffer falls back to repr()
    } finally {
      view?.release();
    }
  }

  private createCanvas(width: number, height: number): AnyCanvas {
    if (this.host.dom) {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      this.display({ [DOM_MIME]: canvas, 'text/plain': `<canvas ${width}x${height}>` });
      return canvas;
    }
    const id = this.nextCanvas++;
    const canvas = new OffscreenCanvas(width, height);
    this.canvases.set(id, canvas);
    this.display({ [CANVAS_MIME]: { id, width, height }, 'text/plain': `<canvas ${width}x${height}>` });
    // Frames go out whenever the code yields to the event loop (e.g. awaits), and at the end.
    this.commitTimer ??= setInterval(() => void this.commitCanvases(), 100);
    return canvas;
  }

  /** Sends the current picture of every canvas of the run to the page. */
  private async commitCanvases(): Promise<void> {
    const run = this.currentRun;
    await Promise.all(
      Array.from(this.canvases, async ([id, canvas]) => {
        try {
          const frame = await createImageBitmap(canvas);
          this.post({ type: 'canvas-frame', id: run, canvas: id, frame }, [frame]);
        } catch {
          // A canvas nobody drew on has nothing to show yet.
        }
      }),
    );
  }

  private async fetchJSON<T>(url: string): Promise<T> {
    let response: Response;
    try {
      response = await this.countingFetch(url);
    } catch (error) {
      throw new Error(`Could not fetch ${url}: ${String(error)}`);
    }
    if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}`);
    return (await response.json()) as T;
  }

  /** Loads the packages a run needs; returns an error for the cell when one cannot be had. */
  private async loadPackages(id: number, request: RunRequest): Promise<PythonError | null> {
    const pyodide = this.pyodide!;
    const lock = this.lock!;
    const found = this.runner!.find_imports(request.code);
    const imports = found.toJs() as string[];
    found.destroy();
    const loaded = (key: string) => key in pyodide.loadedPackages || lock.packages[key]!.name in pyodide.loadedPackages;
    const plan = planPackages(lock, request.packages, imports, loaded, this.imports);
    if (plan.unknown.length > 0) {
      const names = plan.unknown.map((name) => `'${name}'`).join(', ');
      return engineError(
        'PackageNotFoundError',
        `No package ${names} in the package index of Pyodide ${pyodide.version} (${new URL('pyodide-lock.json', this.options!.indexURL).href}).`,
      );
    }
    if (plan.load.length === 0) return null;
    this.post({ type: 'loading', id, packages: plan.load });
    const messages: string[] = [];
    try {
      await pyodide.loadPackage(plan.load, {
        messageCallback: () => undefined,
        errorCallback: (message) => messages.push(message),
        checkIntegrity: true,
      });
    } catch (error) {
      messages.push(errorMessage(error));
    }
    const missing = plan.load.filter((key) => !loaded(key));
    if (missing.length === 0) return null;
    const where = missing
      .map((key) => `'${key}' from ${new URL(lock.packages[key]!.file_name, this.options!.indexURL).href}`)
      .join(', ');
    const why = messages.length ? ` (${messages.join('; ')})` : '';
    return engineError(
      'PackageLoadError',
      `Could not load package ${where}${why}. Packages that are not in wasm-dist/ come from the package URL, which must be reachable.`,
    );
  }

  private async run(id: number, request: RunRequest): Promise<RunResult> {
    if (!this.booting) return { status: 'error', elapsedMs: 0, error: engineError('RuntimeError', 'The runtime was not started.') };
    try {
      await this.booting;
    } catch (error) {
      return { status: 'error', elapsedMs: 0, error: engineError('RuntimeError', errorMessage(error)) };
    }
    const packageError = await this.loadPackages(id, request);
    if (packageError) return { status: 'error', elapsedMs: 0, error: packageError };

    this.currentRun = id;
    this.batcher.reset();
    this.post({ type: 'started', id });
    let proxy: PyProxyLike | null = null;
    try {
      proxy = await this.runner!.run(request.code, request.session, request.filename);
      return proxy.toJs(toPlain) as RunResult;
    } finally {
      proxy?.destroy();
      this.batcher.flush();
      if (this.canvases.size > 0) {
        await this.commitCanvases();
        this.canvases.clear();
      }
      if (this.commitTimer !== null) clearInterval(this.commitTimer);
      this.commitTimer = null;
      this.currentRun = null;
    }
  }
}
