/**
 * The page side of the runtime: starts the engine on first need, numbers requests, queues runs
 * (FIFO, one at a time) and routes the engine's messages to the run they belong to.
 */
import type { BootOptions, FromEngine, MimeBundle, Progress, RunRequest, RunResult, StreamName, ToEngine } from './protocol.js';
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
}

/** Result of a run as the client reports it: a run can also be cancelled before it starts. */
export type ClientRunResult = RunResult | { status: 'cancelled'; elapsedMs: 0 };

export type RuntimeState = 'idle' | 'booting' | 'ready' | 'failed';

export interface RuntimeClientOptions {
  boot: BootOptions;
  /** Creates the engine's worker. Called when the runtime is first needed, never earlier. */
  createWorker: () => WorkerLike | Promise<WorkerLike>;
}

interface PendingRun {
  handlers: RunHandlers;
  resolve(result: RunResult): void;
}

export class RuntimeClient {
  readonly queue = new RunQueue();
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

  constructor(private readonly options: RuntimeClientOptions) {}

  get state(): RuntimeState {
    return this._state;
  }

  /** Where the runtime is, as last reported. */
  get progress(): Progress | null {
    return this.lastProgress;
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
    const attempt = ++this.bootAttempts;
    this.booted = new Promise<string>((resolve, reject) => {
      Promise.resolve()
        .then(() => this.options.createWorker())
        .then(
          (worker) => this.attach(worker, attempt, resolve, reject),
          (error: unknown) => {
            this.booted = null;
            this._state = 'failed';
            const message = `Could not start the Python worker: ${describe(error)}`;
            this.lastFailure = { attempt, message };
            reject(new Error(message));
          },
        );
    });
    return this.booted;
  }

  private attach(worker: WorkerLike, attempt: number, resolve: (version: string) => void, reject: (error: Error) => void): void {
    {
      this.worker = worker;
      const fail = (message: string) => {
        if (this.worker !== worker) return;
        worker.terminate();
        this.worker = null;
        this.booted = null;
        this._state = 'failed';
        this.lastFailure = { attempt, message };
        reject(new Error(message));
        this.failPending(message);
      };
      worker.addEventListener('message', (event: MessageEvent) => {
        if (this.worker !== worker || !isFromEngine(event.data)) return;
        const message: FromEngine = event.data;
        if (message.type === 'ready') {
          this._state = 'ready';
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
            : `Could not start the Python worker (${this.workerDescription()})${detail}.`,
        );
      });
      worker.postMessage({ type: 'boot', options: this.options.boot });
    }
  }

  private workerDescription(): string {
    return `runtime at ${this.options.boot.indexURL}`;
  }

  private failPending(message: string): void {
    for (const [id, run] of this.pending) {
      this.pending.delete(id);
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
        const { type: _type, id: _id, ...result } = message;
        run.resolve(result);
        break;
      }
    }
  }

  /**
   * Queues a run. Resolves when it has finished, with `status: 'cancelled'` when `signal` was
   * aborted before its turn; never rejects for a Python error or a failed boot.
   */
  async run(request: RunRequest, handlers: RunHandlers = {}, signal?: AbortSignal): Promise<ClientRunResult> {
    // A run queued before a boot failed gets that failure; the next run after it boots afresh.
    const attemptsSeen = this.bootAttempts;
    try {
      return await this.queue.enqueue(() => {
        if (this.lastFailure && this.lastFailure.attempt > attemptsSeen && !this.booted) {
          throw new Error(this.lastFailure.message);
        }
        return this.execute(request, handlers);
      }, signal);
    } catch (error) {
      if (signal?.aborted) return { status: 'cancelled', elapsedMs: 0 };
      const message = describe(error);
      return { status: 'error', elapsedMs: 0, error: { type: 'RuntimeError', message, traceback: message } };
    }
  }

  private async execute(request: RunRequest, handlers: RunHandlers): Promise<RunResult> {
    await this.start();
    const id = this.nextId++;
    return new Promise<RunResult>((resolve) => {
      this.pending.set(id, { handlers, resolve });
      this.worker!.postMessage({ type: 'run', id, ...request });
    });
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
