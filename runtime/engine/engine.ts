/**
 * The Python engine: dispatches the page's messages, stages Pyodide's boot and runs cells. It
 * talks only through `post` and `handle`, so the same class runs inside the dedicated worker
 * (`worker-host.ts`) and, for main-thread mode, on the page (`main-thread.ts`). It never touches
 * the DOM: what needs the page comes from the host's `page`. The pieces it stages:
 * `downloads.ts` (progress and stalls), `runtime-files.ts` (checks of the runtime files),
 * `interpreter.ts` (Pyodide's start), `snapshot.ts`, `package-loader.ts`, `canvases.ts`, and `python-bridge.ts` (the hooks Python calls).
 */
import type { loadPyodide as LoadPyodide, PyodideAPI } from 'pyodide';
import { errorMessage, failure } from '../shared/errors.js';
import { CANVAS_MIME, DOM_MIME } from '../shared/mime.js';
import { withPackageSources, type Lock } from '../shared/packages.js';
import type {
  BootOptions,
  BootTimings,
  FromEngine,
  MimeBundle,
  ProgressStage,
  RunRequest,
  RunResult,
  SnapshotUse,
  StreamName,
  ToEngine,
} from '../shared/protocol.js';
import { StreamBatcher } from './stream-batcher.js';
import { WorkerCanvases } from './canvases.js';
import { Downloads } from './downloads.js';
import { loaderOptions, PackageLoader } from './package-loader.js';
import { prefetchPackages } from './prefetch.js';
import { pythonHooks, sourceTextError, toPlain, wellFormed, type PageHost, type PyProxyLike, type Runner } from './python-bridge.js';
import { StandardInput } from './input.js';
import { startPython, watchFatal } from './interpreter.js';
import { checkRuntimeFiles } from './runtime-files.js';
import { afterRestoreCode, chooseSnapshot, loadedNames, snapshotUse, unpackSnapshot, type SnapshotInfo } from './snapshot.js';

export type { PageHost } from './python-bridge.js';

type Post = (message: FromEngine, transfer?: Transferable[]) => void;

/** Why a canvas cannot be made where the engine runs without a page or OffscreenCanvas (Node: the prerender). */
export const NO_CANVAS = 'A canvas needs a browser: this host has no OffscreenCanvas.';

/**
 * The unseen run that ends a boot no run waits for (a preload, `BootOptions.warmUp`): it prints
 * and shows a value, so the reader's first run takes paths that have already run once.
 */
const WARM_UP = { code: 'print("warm-up")\n[1, 2.5, "text", {"key": None}]', session: '\0warm-up', run: -1 };

/** Dependencies the engine reaches for; tests or other hosts may pass their own. */
export interface EngineHost {
  /** Imports Pyodide's loader module from the runtime folder. */
  importPyodide(url: string): Promise<{ loadPyodide: typeof LoadPyodide }>;
  /** The network, for every download of the engine. */
  fetch: typeof fetch;
  /** The page itself, when the engine runs on it (main-thread mode). */
  page?: PageHost;
  /** The page's `document` and `window` when reachable (main thread). */
  pageGlobal?: (name: 'document' | 'window') => unknown;
  /** Connects the synchronous bridge to the page's window; `null` when it cannot work. */
  connectPage?(): Promise<(Window & typeof globalThis) | null>;
  /** The reader's languages, most preferred first (a restored interpreter takes `LANG` from them). */
  languages: readonly string[];
}

/** What `py-cell-runtime.json` (written by the build) says about the runtime folder. */
interface RuntimeManifest {
  pyodideVersion: string;
  localPackages: string[];
  /** The author's wheels in the runtime folder that the lock file does not name. */
  wheels?: string[];
  /** The interpreter snapshots, one per kind of browser (with or without stack switching). */
  snapshots?: SnapshotInfo[];
}

/** A booted interpreter and what runs on it. */
interface Booted {
  pyodide: PyodideAPI;
  runner: Runner;
  packages: PackageLoader;
}

export class Engine {
  private readonly host: EngineHost;
  private readonly downloads: Downloads;
  private readonly canvases: WorkerCanvases;
  private readonly batcher: StreamBatcher;
  private readonly input: StandardInput;
  private progressStage: ProgressStage = 'download';
  private booting: Promise<Booted> | null = null;
  /** The run the output held in `batcher` belongs to. */
  private batchRun: number | null = null;
  /** Milliseconds each boot phase took, in order (see `BootTimings`). */
  private readonly timings: BootTimings = {};
  private snapshot: SnapshotUse = { used: false, reason: 'not booted' };
  /** Why the interpreter died, once it has: nothing may call into it again. */
  private fatal: string | null = null;
  /** Rejects when the interpreter dies; every run races it (a crashed run never settles). */
  private readonly died: Promise<never>;
  private die: (error: unknown) => void = () => undefined;
  /** A run is executing Python (its result reports a crash; otherwise the engine says so). */
  private running = false;

  constructor(
    private readonly post: Post,
    host: Partial<EngineHost> = {},
  ) {
    this.host = {
      importPyodide: (url) => import(/* @vite-ignore */ url),
      fetch: globalThis.fetch.bind(globalThis),
      // Hosts without a navigator (Node) have no language preference.
      languages: typeof navigator === 'undefined' ? [] : navigator.languages,
      ...host,
    };
    this.downloads = new Downloads({
      fetch: this.host.fetch,
      onProgress: (detail, loaded, total) =>
        this.post({ type: 'progress', progress: { stage: this.progressStage, detail, loaded, total } }),
    });
    this.canvases = new WorkerCanvases({ frame: (id, canvas, frame) => this.post({ type: 'canvas-frame', id, canvas, frame }, [frame]) });
    this.batcher = new StreamBatcher((chunks) => this.post({ type: 'stream', id: this.batchRun, chunks }));
    this.input = new StandardInput((message) => this.post(message), { buffer: null, url: null, onPage: this.host.page !== undefined });
    this.died = new Promise<never>((_, reject) => (this.die = reject));
    this.died.catch(() => undefined); // observed by the runs that race it
  }

  /**
   * The interpreter died (Pyodide's fatal-error path). The run under way, if any, ends as fatal;
   * otherwise the page hears it at once, so it can replace the interpreter before the next run.
   */
  noteFatal(error: unknown): void {
    if (this.fatal !== null) return;
    this.fatal = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.die(error);
    if (!this.running) this.post({ type: 'fatal', message: this.fatal });
  }

  /** The fetch every download of this engine goes through (the worker makes it its global fetch). */
  get fetch(): typeof fetch {
    return this.downloads.fetch;
  }

  /** Handles one message from the page. Never throws; failures are posted back. */
  handle(message: ToEngine): void {
    if (message.type === 'boot') {
      this.boot(message.options).catch(() => undefined);
    } else if (message.type === 'input-reply') {
      this.input.answer(message.request, message.reply);
    } else {
      const { type: _run, id, ...request } = message;
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
            error: failure('crashed', this.fatal ?? errorMessage(error)),
          }),
      );
    }
  }

  /** Boots Pyodide once; later calls share the first boot. */
  boot(options: BootOptions): Promise<unknown> {
    this.booting ??= this.stageBoot(options).then(
      async (booted) => {
        if (options.warmUp) await this.warmUp(booted.runner);
        this.post({ type: 'ready', version: booted.pyodide.version, timings: this.timings, snapshot: this.snapshot });
        return booted;
      },
      (error: unknown) => {
        this.post({ type: 'boot-error', message: errorMessage(error) });
        throw error;
      },
    );
    return this.booting;
  }

  private async stageBoot(options: BootOptions): Promise<Booted> {
    const { indexURL, packageURL, expectedVersion } = options;
    this.downloads.stallTimeoutMs = options.stallTimeoutMs;
    this.downloads.revalidate = options.revalidate === true;
    this.input.options.buffer = options.inputBuffer ?? null;
    this.input.options.url = options.inputURL ?? null;
    const bootStart = performance.now();
    let phaseStart = bootStart;
    const phase = (name: keyof BootTimings) => {
      const now = performance.now();
      this.timings[name] = Math.round((now - phaseStart) * 10) / 10;
      phaseStart = now;
    };

    // Stage 1: the loader, the lock file and the build's manifest, at once.
    this.post({ type: 'progress', progress: { stage: 'download', detail: 'pyodide.mjs' } });
    const loaderURL = new URL('pyodide.mjs', indexURL).href;
    const [loader, lock, manifest] = await Promise.all([
      this.host.importPyodide(loaderURL).catch((error: unknown) => {
        throw new Error(`Could not load the Python runtime from ${loaderURL}: ${errorMessage(error)}`);
      }),
      this.downloads.json<Lock>(new URL('pyodide-lock.json', indexURL).href),
      this.downloads
        .json<RuntimeManifest>(new URL('py-cell-runtime.json', indexURL).href)
        .catch((): RuntimeManifest => ({ pyodideVersion: expectedVersion, localPackages: [] })),
    ]);
    const mismatch = (found: string) =>
      new Error(
        `Version mismatch: py-cell was built for Pyodide ${expectedVersion} but ${indexURL} holds Pyodide ${found}. Rebuild py-cell or copy the matching wasm-dist/.`,
      );
    if (manifest.pyodideVersion !== expectedVersion) throw mismatch(manifest.pyodideVersion);
    const sources = withPackageSources(lock, manifest.localPackages, packageURL);
    const loading = loaderOptions(indexURL, lock.info, manifest.wheels ?? [], options.packages ?? [], this.downloads.fetch);
    // The snapshot downloads while the files are checked and Pyodide fetches the wasm and stdlib.
    const chosen = chooseSnapshot(manifest.snapshots, options.snapshot !== false, indexURL);
    // What the page's cells will need downloads while Python starts, but for the snapshot's packages.
    if (options.prefetch) {
      const held = 'packages' in chosen ? chosen.packages : [];
      void prefetchPackages(sources, loading, options.prefetch, (url, sri) => this.downloads.prefetch(url, sri), held);
    }
    const snapshot = 'url' in chosen ? this.downloadSnapshot(chosen.url, chosen.bytes, bootStart) : null;
    phase('loader');
    const checks = checkRuntimeFiles(indexURL, (url) => this.downloads.check(url));
    if (this.host.connectPage) {
      await checks;
      const page = await this.host.connectPage();
      if (page) this.host.pageGlobal = (name) => (name === 'window' ? page : page.document);
    }

    // Stage 2: download and compile the wasm, unpack the standard library, start the interpreter
    // (or restore it from the snapshot, falling back to a normal start if that fails).
    const { pyodide, restoreError } = await startPython({
      loadPyodide: loader.loadPyodide.bind(loader),
      indexURL,
      lock: sources,
      checks,
      snapshot,
      onPhase: (name) => {
        phase(name);
        if (name === 'stdlib') this.post({ type: 'progress', progress: { stage: 'start' } });
      },
    });
    this.snapshot = snapshotUse(chosen, restoreError);
    if (this.snapshot.used) {
      this.runPython(pyodide, afterRestoreCode(this.host.languages));
      // Installed in the snapshot: neither py-cell's loader nor Pyodide's installs them again.
      const loaded = pyodide.loadedPackages as Record<string, string>;
      for (const name of loadedNames('packages' in chosen ? chosen.packages : [])) loaded[name] = 'py-cell snapshot';
    }
    // With a buffer, Python calls into JavaScript every so often to look at it. On a page that is
    // not isolated nobody can write to this one, but the calls let a worker that is terminated
    // while Python loops actually stop: WebKit does not stop a worker inside a WebAssembly loop.
    pyodide.setInterruptBuffer(options.interruptBuffer ?? new Int32Array(1));
    if (pyodide.version !== expectedVersion) throw mismatch(pyodide.version);

    // Stage 3: py-cell's own Python helpers.
    const runner = pyodide.pyimport('pycell._runner') as unknown as Runner;
    runner.setup(
      pythonHooks({
        write: (name, text, run) => this.write(name, text, run),
        display: (bundle, run) => this.display(bundle, run),
        createCanvas: (width, height, run) => this.createCanvas(width, height, run),
        requestInput: (prompt, password, run, canSuspend) => {
          this.batcher.flush(); // the prompt shows before the field
          return this.input.request(run, prompt, password, canSuspend);
        },
        page: this.host.page,
        pageGlobal: this.host.pageGlobal,
      }),
    );
    this.progressStage = 'packages';
    watchFatal(pyodide, (error) => this.noteFatal(error));
    phase('helpers');
    return { pyodide, runner, packages: new PackageLoader(pyodide, sources, loading) };
  }

  private downloadSnapshot(url: string, bytes: number, bootStart: number): Promise<Uint8Array> {
    const data = this.downloads.fetch(url).then(async (response) => {
      const unpacked = await unpackSnapshot(response, url, bytes);
      this.timings.snapshotReady = Math.round(performance.now() - bootStart);
      return unpacked;
    });
    data.catch(() => undefined); // a failed snapshot is reported by the start that awaits it
    return data;
  }

  /** Runs `code` in a scope of its own, which is then destroyed. */
  private runPython(pyodide: PyodideAPI, code: string): void {
    const scope = pyodide.toPy({}) as unknown as PyProxyLike;
    try {
      pyodide.runPython(code, { globals: scope as never });
    } finally {
      scope.destroy();
    }
  }

  /** Runs `WARM_UP` and drops its output and its session. A failure only leaves the first run slower. */
  private async warmUp(runner: Runner): Promise<void> {
    const start = performance.now();
    try {
      runner.find_imports(WARM_UP.code).destroy();
      const result = await runner.run(WARM_UP.code, WARM_UP.session, '<cell warm-up>', WARM_UP.run);
      result.toJs(toPlain);
      result.destroy();
      runner.forget(WARM_UP.session);
    } catch {
      // nothing to report: the reader asked for nothing
    }
    this.timings.warmUp = Math.round((performance.now() - start) * 10) / 10;
  }

  /** Output of run `run` (`null`: written outside any run); a batch holds one run's output. */
  private write(name: StreamName, text: string, run: number | null): void {
    if (run === WARM_UP.run) return;
    if (run !== this.batchRun) {
      this.batcher.flush();
      this.batchRun = run;
    }
    this.batcher.write(name, text);
  }

  private display(bundle: MimeBundle, run: number | null): void {
    if (run === WARM_UP.run) return;
    this.batcher.flush();
    this.post({ type: 'display', id: run, bundle });
  }

  /** A canvas for Python: a live element on the page, else an OffscreenCanvas sent as frames. */
  private createCanvas(width: number, height: number, run: number | null): unknown {
    const description = `<canvas ${width}x${height}>`;
    if (!this.host.page && typeof OffscreenCanvas === 'undefined') throw new Error(NO_CANVAS);
    if (this.host.page) {
      const canvas = this.host.page.createCanvas(width, height);
      this.display({ [DOM_MIME]: canvas, 'text/plain': description }, run);
      return canvas;
    }
    const { id, canvas } = this.canvases.add(width, height, run);
    this.display({ [CANVAS_MIME]: { id, width, height }, 'text/plain': description }, run);
    return canvas;
  }

  private async run(id: number, request: RunRequest): Promise<RunResult> {
    let booted: Booted;
    try {
      if (!this.booting) throw new Error('The runtime was not started.');
      booted = await this.booting;
    } catch (error) {
      return { status: 'error', elapsedMs: 0, error: failure('load', errorMessage(error)) };
    }
    if (this.fatal !== null) throw new Error(this.fatal); // it died between runs: touch nothing
    // Strings Python cannot receive: never let them reach Pyodide, whose conversion would fail.
    const textError = sourceTextError(request.code, request.filename);
    if (textError) return { status: 'error', elapsedMs: 0, error: textError };
    const session = wellFormed(request.session);
    const found = booted.runner.find_imports(request.code);
    const imports = found.toJs() as string[];
    found.destroy();
    const packageError = await booted.packages.load(request.packages, imports, (packages) => this.post({ type: 'loading', id, packages }));
    if (packageError) return { status: 'error', elapsedMs: 0, error: packageError };

    this.batcher.reset();
    if (request.inputs) this.input.script(id, request.inputs);
    this.post({ type: 'started', id });
    let proxy: PyProxyLike | null = null;
    this.running = true;
    try {
      const { setup, check } = request.exercise ?? {};
      // `undefined` is Python's None; JavaScript's `null` would reach Python as `jsnull`.
      proxy = await Promise.race([booted.runner.run(request.code, session, request.filename, id, setup, check ?? undefined), this.died]);
      return proxy.toJs(toPlain) as RunResult;
    } finally {
      this.running = false;
      this.input.end(id);
      proxy?.destroy();
      this.batcher.flush();
      await this.canvases.end();
    }
  }
}
