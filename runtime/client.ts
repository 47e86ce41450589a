/**
 * The page side of the runtime: starts the engine on first need, numbers requests, queues runs
 * (FIFO, one at a time), routes the engine's messages to the run they belong to, and stops
 * runs: through Pyodide's interrupt buffer on cross-origin isolated pages, otherwise by
 * replacing the worker and restoring every session by replaying the runs that completed in it.
 */
import type { BootOptions, BootTimings, FromEngine, SnapshotUse, MimeBundle, Progress, RunRequest, RunResult, StreamName, ToEngine } from './protocol.js';
import { errorMessage } from './errors.js';
import { isFromEngine } from './protocol.js';
import { RunQueue } from './queue.js';

/** The part of `Worker` the client uses; tests pass a stand-in. */
export interface WorkerLike {
  postMessage(message: ToEngine): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface RunHandlers {
  /** Packages are being loaded for this run. */
  onLoading?(packages: string[]): void;
  /** Python started executing this run's code. */
  onStarted?(): void;
  /** Output, in order, batched. */
  onStream?(chunks: Array<[StreamName, string]>): void;
  /** An object shown with `pycell.display()`. */
  onDisplay?(bundle: MimeBundle): void;
  /** A new frame of a canvas this run created. */
  onCanvasFrame?(canvas: number, frame: ImageBitmap): void;
  /** The run is being stopped (the worker may be restarting). */
  onStopping?(): void;
}

export interface RunOptions {
  /** Aborting before the run's turn cancels it. */
  signal?: AbortSignal;
  /** Time limit in seconds, counted from when Python starts the code. */
  timeoutSeconds?: number | null;
  /** Identifies the run for `stop()`; any object. */
  token?: object;
}

/** Result of a run as the client reports it: a run can also be cancelled before it starts. */
export type ClientRunResult = RunResult | { status: 'cancelled'; elapsedMs: 0 };

export type RuntimeState = 'idle' | 'booting' | 'ready' | 'failed';

export interface RuntimeClientOptions {
  boot: BootOptions;
  /** Creates the engine's worker. Called when the runtime is first needed, never earlier. */
  createWorker: () => WorkerLike | Promise<WorkerLike>;
  /** Whether stops can interrupt Python in place (needs SharedArrayBuffer). Default: isolation. */
  canInterrupt?: boolean;
  /** How long an interrupt may take before the worker is replaced, in ms. Default 1000. */
  interruptGraceMs?: number;
}

interface PendingRun {
  request: RunRequest;
  handlers: RunHandlers;
  resolve(result: RunResult): void;
  token: object | undefined;
  started: boolean;
  startedAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  timeoutSeconds: number | null;
  /** Why the run is being stopped, once it is. */
  stopReason: string | null;
}

/** What happened to the runtime, for the fault summary and for tests. */
export interface RuntimeStats {
  restarts: number;
  replayedRuns: number;
  interrupts: number;
  /** Phases of the last successful boot, in ms, and `total`: from `start()` to ready, on the page. */
  bootTimings?: BootTimings & { total?: number };
  /** Whether the last boot restored the interpreter snapshot, and if not, why. */
  snapshot?: SnapshotUse;
}

/** Errors of runs that must never be replayed: stopped runs, and runs that broke the interpreter. */
const NOT_REPLAYED = new Set(['KeyboardInterrupt', 'RunStopped', 'FatalError']);

export class RuntimeClient {
  readonly queue = new RunQueue();
  readonly stats: RuntimeStats = { restarts: 0, replayedRuns: 0, interrupts: 0 };
  private worker: WorkerLike | null = null;
  private booted: Promise<string> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, PendingRun>();
  private readonly progressListeners = new Set<(progress: Progress) => void>();
  private _state: RuntimeState = 'idle';
  private lastProgress: Progress | null = null;
  /** Boot attempts so far, and the last one that failed: runs queued before it fail with it. */
  private bootAttempts = 0;
  private lastFailure: { attempt: number; message: string } | null = null;
  /** Runs that completed in the current interpreter, in order: replayed after a restart. */
  private readonly history: RunRequest[] = [];
  private readonly interrupt: Int32Array | null;
  /** Runs asked to stop before they were sent to the engine. */
  private readonly stoppedEarly = new WeakSet<object>();
  /** Set while a restart replays the history: runs wait for it. */
  private restoring: Promise<void> | null = null;
  private bootStartedAt = 0;

  constructor(private readonly options: RuntimeClientOptions) {
    const canInterrupt = options.canInterrupt ?? (globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function');
    this.interrupt = canInterrupt ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  get state(): RuntimeState {
    return this._state;
  }

  /** Where the runtime is, as last reported. */
  get progress(): Progress | null {
    return this.lastProgress;
  }

  /** Whether Stop interrupts Python in place (keeping every variable) rather than restarting. */
  get interruptible(): boolean {
    return this.interrupt !== null;
  }

  /** Subscribes to boot and package progress; returns the unsubscribe function. */
  onProgress(listener: (progress: Progress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /**
   * Starts the runtime if it is not started; resolves with the Pyodide version when it is ready.
   * After a failed boot the next call starts afresh.
   */
  start(): Promise<string> {
    if (this.booted) return this.booted;
    this._state = 'booting';
    this.bootStartedAt = performance.now();
    const attempt = ++this.bootAttempts;
    this.booted = new Promise<string>((resolve, reject) => {
      Promise.resolve()
        .then(() => this.options.createWorker())
        .then(
          (worker) => this.attach(worker, attempt, resolve, reject),
          (error: unknown) => {
            this.booted = null;
            this._state = 'failed';
            const message = `Could not start the Python worker: ${errorMessage(error)}`;
            this.lastFailure = { attempt, message };
            reject(new Error(message));
          },
        );
    });
    // Callers handle the failure; this keeps an unobserved failed boot from being reported.
    this.booted.catch(() => undefined);
    return this.booted;
  }

  private attach(worker: WorkerLike, attempt: number, resolve: (version: string) => void, reject: (error: Error) => void): void {
    this.worker = worker;
    const fail = (message: string) => {
      if (this.worker !== worker) return;
      worker.terminate();
      this.worker = null;
      this.booted = null;
      const wasReady = this._state === 'ready';
      this._state = 'failed';
      if (!wasReady) this.lastFailure = { attempt, message };
      // The interpreter and its sessions are gone; the next boot starts clean.
      if (wasReady) this.history.length = 0;
      reject(new Error(message));
      this.failPending(message);
    };
    worker.addEventListener('message', (event: MessageEvent) => {
      if (this.worker !== worker || !isFromEngine(event.data)) return;
      const message: FromEngine = event.data;
      if (message.type === 'ready') {
        this._state = 'ready';
        this.stats.bootTimings = { ...message.timings, total: Math.round(performance.now() - this.bootStartedAt) };
        if (message.snapshot) this.stats.snapshot = message.snapshot;
        resolve(message.version);
      } else if (message.type === 'boot-error') {
        fail(`Could not start Python: ${message.message}`);
      } else {
        this.route(message);
      }
    });
    worker.addEventListener('error', (event: Event) => {
      const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
      fail(
        this._state === 'ready'
          ? `The Python worker crashed${detail}.`
          : `Could not start the Python worker (runtime at ${this.options.boot.indexURL})${detail}.`,
      );
    });
    const revalidate = this.lastFailure !== null && this.lastFailure.attempt === attempt - 1;
    worker.postMessage({ type: 'boot', options: { ...this.options.boot, interruptBuffer: this.interrupt, revalidate } });
  }

  private failPending(message: string): void {
    for (const [id, run] of this.pending) {
      this.pending.delete(id);
      if (run.timer) clearTimeout(run.timer);
      run.resolve({ status: 'error', elapsedMs: 0, error: { type: 'RuntimeError', message, traceback: message } });
    }
  }

  private route(message: FromEngine): void {
    if (message.type === 'progress') {
      this.lastProgress = message.progress;
      for (const listener of this.progressListeners) listener(message.progress);
      return;
    }
    if (message.type === 'ready' || message.type === 'boot-error') return;
    const run = message.id === null ? undefined : this.pending.get(message.id);
    if (!run) {
      // Output written between runs (e.g. by a callback): keep it visible to developers.
      if (message.type === 'stream') for (const [name, text] of message.chunks) console[name === 'stderr' ? 'warn' : 'log'](text);
      return;
    }
    switch (message.type) {
      case 'loading':
        run.handlers.onLoading?.(message.packages);
        break;
      case 'started':
        run.started = true;
        run.startedAt = performance.now();
        if (run.timeoutSeconds) {
          const seconds = run.timeoutSeconds;
          run.timer = setTimeout(() => this.stopRun(message.id, `Stopped after ${seconds} s (the cell's time limit)`), seconds * 1000);
        }
        run.handlers.onStarted?.();
        break;
      case 'stream':
        run.handlers.onStream?.(message.chunks);
        break;
      case 'display':
        run.handlers.onDisplay?.(message.bundle);
        break;
      case 'canvas-frame':
        run.handlers.onCanvasFrame?.(message.canvas, message.frame);
        break;
      case 'result': {
        this.pending.delete(message.id);
        if (run.timer) clearTimeout(run.timer);
        const { type: _type, id: _id, fatal, ...result } = message;
        if (run.stopReason && result.error?.type === 'KeyboardInterrupt') {
          result.error = { ...result.error, message: run.stopReason, traceback: `${result.error.traceback}${run.stopReason}; the session's variables are kept.\n` };
        }
        if (fatal) {
          // The interpreter cannot go on: replace it, restoring the sessions, before the next run.
          void this.restart(`${result.error?.message ?? 'Python failed'}`, null);
        }
        run.resolve(result);
        break;
      }
    }
  }

  /**
   * Queues a run. Resolves when it has finished, with `status: 'cancelled'` when `signal` was
   * aborted before its turn; never rejects for a Python error or a failed boot.
   */
  async run(request: RunRequest, handlers: RunHandlers = {}, options: RunOptions | AbortSignal = {}): Promise<ClientRunResult> {
    const { signal, timeoutSeconds = null, token } = options instanceof AbortSignal ? { signal: options } : options;
    // A run queued before a boot failed gets that failure; the next run after it boots afresh.
    const attemptsSeen = this.bootAttempts;
    try {
      return await this.queue.enqueue(() => {
        if (this.lastFailure && this.lastFailure.attempt > attemptsSeen && !this.booted) {
          throw new Error(this.lastFailure.message);
        }
        return this.execute(request, handlers, timeoutSeconds, token);
      }, signal);
    } catch (error) {
      if (signal?.aborted) return { status: 'cancelled', elapsedMs: 0 };
      const message = errorMessage(error);
      return { status: 'error', elapsedMs: 0, error: { type: 'RuntimeError', message, traceback: message } };
    }
  }

  private async execute(request: RunRequest, handlers: RunHandlers, timeoutSeconds: number | null, token: object | undefined): Promise<ClientRunResult> {
    while (this.restoring) await this.restoring;
    await this.start();
    if (token && this.stoppedEarly.has(token)) return { status: 'cancelled', elapsedMs: 0 };
    const entry = this.newEntry(request, handlers, token, timeoutSeconds);
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
    const result = await this.send(entry);
    // Runs whose code executed to an end (done, or a Python error) rebuild a session on replay.
    if (entry.started && !entry.stopReason && !(result.error && NOT_REPLAYED.has(result.error.type))) this.history.push(request);
    return result;
  }

  /** Stops the run identified by `token` (running or waiting). Resolves when it has stopped. */
  stop(token: object): void {
    this.stoppedEarly.add(token);
    for (const [id, run] of this.pending) if (run.token === token) this.stopRun(id, 'Stopped');
  }

  private stopRun(id: number, reason: string): void {
    const run = this.pending.get(id);
    if (!run || run.stopReason) return;
    run.stopReason = reason;
    if (run.timer) clearTimeout(run.timer);
    run.handlers.onStopping?.();
    if (this.interrupt && run.started) {
      this.stats.interrupts++;
      Atomics.store(this.interrupt, 0, 2); // SIGINT: Python raises KeyboardInterrupt
      setTimeout(() => {
        if (this.pending.get(id) === run) void this.restart(`${reason}; Python did not respond to the interrupt`, id);
      }, this.options.interruptGraceMs ?? 1000);
    } else {
      void this.restart(reason, id);
    }
  }

  /**
   * Replaces the worker and restores every session by replaying, in order, the runs that had
   * completed; then ends the stopped run `id` (if any) with a report of what happened.
   */
  private restart(reason: string, id: number | null): Promise<void> {
    const previous = this.restoring ?? Promise.resolve();
    const restoring = previous.then(() => this.doRestart(reason, id));
    this.restoring = restoring;
    void restoring.finally(() => {
      if (this.restoring === restoring) this.restoring = null;
    });
    return restoring;
  }

  private async doRestart(reason: string, id: number | null): Promise<void> {
    const stopped = id === null ? undefined : this.pending.get(id);
    if (id !== null) this.pending.delete(id);
    const elapsedMs = stopped?.started ? performance.now() - stopped.startedAt : 0;
    const old = this.worker;
    this.worker = null;
    this.booted = null;
    this._state = 'idle';
    old?.terminate();
    this.failPending('The Python worker was restarted.');
    this.stats.restarts++;
    const replay = this.history.splice(0);
    const replayed: string[] = [];
    let problem = '';
    try {
      await this.start();
      for (const request of replay) {
        const result = await this.replayRun(request);
        replayed.push(`${request.filename} (session ${request.session})`);
        this.history.push(request);
        if (result.error?.type === 'RuntimeError') throw new Error(result.error.message);
      }
    } catch (error) {
      problem = ` Restoring the sessions failed: ${errorMessage(error)}`;
    }
    this.stats.replayedRuns += replayed.length;
    if (!stopped) return;
    const restored = replayed.length
      ? `Python was restarted and the sessions restored by re-running ${replayed.length} completed cell run${replayed.length > 1 ? 's' : ''}: ${replayed.join(', ')}.`
      : 'Python was restarted; no earlier cell needed re-running.';
    const why = this.interrupt ? '' : ' (this page is not cross-origin isolated, so the run could not be interrupted in place)';
    const message = `${reason}${why}. ${restored}${problem}`;
    stopped.resolve({ status: 'error', elapsedMs, error: { type: 'RunStopped', message, traceback: message } });
  }

  private replayRun(request: RunRequest): Promise<RunResult> {
    return this.send(this.newEntry(request, {}, undefined, null));
  }

  private newEntry(request: RunRequest, handlers: RunHandlers, token: object | undefined, timeoutSeconds: number | null): PendingRun {
    return { request, handlers, resolve: () => undefined, token, started: false, startedAt: 0, timer: null, timeoutSeconds, stopReason: null };
  }

  /** Sends a run to the engine; resolves with its result. */
  private send(entry: PendingRun): Promise<RunResult> {
    const id = this.nextId++;
    return new Promise<RunResult>((resolve) => {
      entry.resolve = resolve;
      this.pending.set(id, entry);
      this.worker!.postMessage({ type: 'run', id, ...entry.request });
    });
  }
}
