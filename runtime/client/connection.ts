/**
 * One engine worker, seen from the page: boots it, numbers the runs sent to it, routes the
 * engine's messages to the run they belong to, and fails every pending run when the worker dies.
 * A new worker (after Stop, a crash or a failed boot) is a new `Connection`.
 */
import { failure } from '../errors.js';
import {
  isFromEngine,
  type BootOptions,
  type BootTimings,
  type FromEngine,
  type MimeBundle,
  type Progress,
  type RunRequest,
  type RunResult,
  type SnapshotUse,
  type StreamName,
  type ToEngine,
} from '../protocol.js';

/** The part of `Worker` the page uses; tests pass a stand-in. */
export interface WorkerLike {
  postMessage(message: ToEngine): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

/** What a run hears from the engine while it is under way. */
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

/** A run's result; `fatal` when the interpreter cannot be used any more. */
export type SentResult = RunResult & { fatal?: boolean };

/** What the engine reports when it is ready. */
export interface ReadyReport {
  version: string;
  timings: BootTimings;
  snapshot: SnapshotUse | undefined;
}

export interface ConnectionEvents {
  onProgress(progress: Progress): void;
  /** The worker failed to boot (`booted` false) or died after booting; pending runs have ended. */
  onFailure(message: string, booted: boolean): void;
}

interface Pending {
  handlers: RunHandlers;
  resolve(result: SentResult): void;
}

export class Connection {
  /** Resolves when the engine is ready; rejects when it cannot boot. */
  readonly ready: Promise<ReadyReport>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private booted = false;
  private closed = false;
  private rejectReady: (error: Error) => void = () => undefined;

  constructor(
    private readonly worker: WorkerLike,
    boot: BootOptions,
    private readonly events: ConnectionEvents,
  ) {
    let resolveReady: (report: ReadyReport) => void = () => undefined;
    this.ready = new Promise<ReadyReport>((resolve, reject) => {
      resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined); // whoever awaits it handles the failure
    const fail = (message: string) => {
      if (this.closed) return;
      const booted = this.booted;
      this.close(failure(booted ? 'crashed' : 'load', message));
      this.events.onFailure(message, booted);
    };
    worker.addEventListener('message', (event: MessageEvent) => {
      if (this.closed || !isFromEngine(event.data)) return;
      const message: FromEngine = event.data;
      if (message.type === 'ready') {
        this.booted = true;
        resolveReady({ version: message.version, timings: message.timings ?? {}, snapshot: message.snapshot });
      } else if (message.type === 'boot-error') {
        fail(`Could not start Python: ${message.message}`);
      } else if (message.type === 'progress') {
        this.events.onProgress(message.progress);
      } else {
        this.route(message);
      }
    });
    worker.addEventListener('error', (event: Event) => {
      const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
      fail(
        this.booted ? `The Python worker crashed${detail}.` : `Could not start the Python worker (runtime at ${boot.indexURL})${detail}.`,
      );
    });
    worker.postMessage({ type: 'boot', options: boot });
  }

  /** Sends a run to the engine; `handlers` hear its messages; `result` settles when it ends. */
  send(request: RunRequest, handlers: RunHandlers = {}): Promise<SentResult> {
    if (this.closed) return Promise.resolve({ status: 'error', elapsedMs: 0, error: failure('crashed', 'The Python worker was stopped.') });
    const id = this.nextId++;
    return new Promise<SentResult>((resolve) => {
      this.pending.set(id, { handlers, resolve });
      this.worker.postMessage({ type: 'run', id, ...request });
    });
  }

  /** Terminates the worker; a boot under way and runs still pending end with `error`. Idempotent. */
  close(error = failure('crashed', 'The Python worker was restarted.')): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.terminate();
    this.rejectReady(new Error(error.message));
    for (const [id, run] of this.pending) {
      this.pending.delete(id);
      run.resolve({ status: 'error', elapsedMs: 0, error });
    }
  }

  private route(message: Exclude<FromEngine, { type: 'ready' | 'boot-error' | 'progress' }>): void {
    const run = message.id === null ? undefined : this.pending.get(message.id);
    if (!run) {
      // Output written between runs (e.g. by a callback): keep it visible to developers.
      if (message.type === 'stream') for (const [name, text] of message.chunks) console[name === 'stderr' ? 'warn' : 'log'](text);
      return;
    }
    const { handlers } = run;
    switch (message.type) {
      case 'loading':
        handlers.onLoading?.(message.packages);
        break;
      case 'started':
        handlers.onStarted?.();
        break;
      case 'stream':
        handlers.onStream?.(message.chunks);
        break;
      case 'display':
        handlers.onDisplay?.(message.bundle);
        break;
      case 'canvas-frame':
        handlers.onCanvasFrame?.(message.canvas, message.frame);
        break;
      case 'result': {
        this.pending.delete(message.id);
        const { type: _type, id: _id, ...result } = message;
        run.resolve(result);
        break;
      }
    }
  }
}
