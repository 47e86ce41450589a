/**
 * The Python engine: dispatches the page's messages, boots Pyodide once and runs cells. It
 * talks only through `post` and `handle`, so the same class runs inside the dedicated worker
 * (`worker-host.ts`) and, for main-thread mode, on the page (`main-thread.ts`). It never touches
 * the DOM: what needs the page comes from the host's `page` (`host.ts`). The pieces it uses:
 * `boot.ts` (the boot's stages), `warm-up.ts`, `downloads.ts` (progress and stalls),
 * `package-loader.ts`, `canvases.ts`, `input.ts`, and `python-bridge.ts` (the hooks Python calls).
 */
import { errorMessage, failure } from '../shared/errors.js';
import { CANVAS_MIME, DOM_MIME } from '../shared/mime.js';
import type {
  BootOptions,
  BootTimings,
  FromEngine,
  MimeBundle,
  ProgressStage,
  RunRequest,
  RunResult,
  StreamName,
  ToEngine,
} from '../shared/protocol.js';
import { bootPython, type BootContext, type Booted } from './boot.js';
import { WorkerCanvases } from './canvases.js';
import { Downloads } from './downloads.js';
import { withDefaults, type EngineHost } from './host.js';
import { StandardInput } from './input.js';
import { sourceTextError, toPlain, wellFormed, type PyProxyLike } from './python-bridge.js';
import { StreamBatcher } from './stream-batcher.js';
import { warmUp, WARM_UP_RUN } from './warm-up.js';

export type { EngineHost } from './host.js';
export type { PageHost } from './python-bridge.js';

type Post = (message: FromEngine, transfer?: Transferable[]) => void;

/** Why a canvas cannot be made where the engine runs without a page or OffscreenCanvas (Node: the prerender). */
export const NO_CANVAS = 'A canvas needs a browser: this host has no OffscreenCanvas.';

/** One interpreter and the messages about it: `handle` what the page sends; everything else goes to `post`. */
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
    this.host = withDefaults(host);
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
    } else if (message.type === 'run') {
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

  /** Drops the globals of `sessions` once Python is up (a shared runtime's page has left). */
  forget(sessions: Iterable<string>): void {
    const names = [...sessions];
    void this.booting?.then(
      ({ runner }) => {
        if (this.fatal === null) for (const session of names) runner.forget(wellFormed(session));
      },
      () => undefined,
    );
  }

  /** Boots Pyodide once; later calls share the first boot. */
  boot(options: BootOptions): Promise<unknown> {
    this.booting ??= bootPython(options, this.bootContext()).then(
      async (booted) => {
        if (options.warmUp) await warmUp(booted.runner, this.timings);
        this.post({ type: 'ready', version: booted.pyodide.version, timings: this.timings, snapshot: booted.snapshot });
        return booted;
      },
      (error: unknown) => {
        this.post({ type: 'boot-error', message: errorMessage(error) });
        throw error;
      },
    );
    return this.booting;
  }

  /** What the boot uses of this engine; Python's output, canvases and input come back here. */
  private bootContext(): BootContext {
    return {
      host: this.host,
      downloads: this.downloads,
      input: this.input,
      post: (message) => this.post(message),
      timings: this.timings,
      targets: {
        write: (name, text, run) => this.write(name, text, run),
        display: (bundle, run) => this.display(bundle, run),
        createCanvas: (width, height, run) => this.createCanvas(width, height, run),
        requestInput: (prompt, password, run, canSuspend) => {
          this.batcher.flush(); // the prompt shows before the field
          return this.input.request(run, prompt, password, canSuspend);
        },
      },
      setProgressStage: (stage) => (this.progressStage = stage),
      onFatal: (error) => this.noteFatal(error),
    };
  }

  /** Output of run `run` (`null`: written outside any run); a batch holds one run's output. */
  private write(name: StreamName, text: string, run: number | null): void {
    if (run === WARM_UP_RUN) return;
    if (run !== this.batchRun) {
      this.batcher.flush();
      this.batchRun = run;
    }
    this.batcher.write(name, text);
  }

  private display(bundle: MimeBundle, run: number | null): void {
    if (run === WARM_UP_RUN) return;
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
