/**
 * The Python engine: boots Pyodide, loads packages, runs cells and streams their output.
 * It talks only through `post` and `handle`, so the same class runs inside the dedicated
 * worker (`worker.ts`) and, for main-thread mode, on the page. No DOM access here.
 */
import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import type { BootOptions, FromEngine, MimeBundle, Progress, PythonError, RunRequest, RunResult, ToEngine } from './protocol.js';
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
      response = await this.host.fetch(input, { ...init, signal: abort.signal });
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
    });
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
      () => this.post({ type: 'ready', version: this.pyodide!.version }),
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
      this.fetchJSON<{ pyodideVersion: string; localPackages: string[] }>(manifestURL).catch(() => ({
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
    await Promise.all(['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide.asm.mjs'].map((file) => this.checkFile(new URL(file, indexURL).href)));

    if (this.host.connectPage) {
      const page = await this.host.connectPage();
      if (page) this.host.pageGlobal = (name) => (name === 'window' ? page : page.document);
    }

    // Stage 2: download and compile the wasm, unpack the standard library, start the interpreter.
    // Pyodide logs a failed wasm instantiation and waits forever: watch for it and fail instead.
    const watch = this.watchInstantiation();
    const pyodide = await Promise.race([watch.failed, loader.loadPyodide({
      indexURL,
      lockFileContents: this.lock as never,
      packageBaseUrl: indexURL,
      checkAPIVersion: true,
      fsInit: async (FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void }, info: { sitePackages: string }) => {
        this.progress({ stage: 'start' });
        for (const [file, source] of Object.entries(PYCELL_FILES)) {
          const path = `${info.sitePackages}/${file}`;
          FS.mkdirTree(path.slice(0, path.lastIndexOf('/')));
          FS.writeFile(path, source);
        }
      },
    } as Parameters<typeof LoadPyodide>[0])]).finally(watch.restore);
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
    this.progress({ stage: 'ready' });
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
  private watchInstantiation(): { failed: Promise<never>; restore: () => void } {
    const wasm = WebAssembly as unknown as Record<'instantiateStreaming' | 'instantiate', (...args: unknown[]) => Promise<unknown>>;
    const original = { instantiateStreaming: wasm.instantiateStreaming, instantiate: wasm.instantiate };
    let fail: (error: Error) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const url = new URL('pyodide.asm.wasm', this.options!.indexURL).href;
    for (const name of ['instantiateStreaming', 'instantiate'] as const) {
      if (!original[name]) continue;
      wasm[name] = (...args: unknown[]) =>
        original[name]!.apply(WebAssembly, args).catch((error: unknown) => {
          fail(new Error(`Could not compile ${url} (truncated or corrupted?): ${errorMessage(error)}`));
          throw error;
        });
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
