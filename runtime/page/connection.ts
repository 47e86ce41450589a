/**
 * One engine worker, seen from the page: boots it, numbers the runs sent to it, routes the
 * engine's messages to the run they belong to, and fails every pending run when the worker dies.
 * A new worker (after Stop, a crash or a failed boot) is a new `Connection`.
 */
import { failure } from '../shared/errors.js';
import type { EnginePort } from '../shared/engine-port.js';
import type {
  BootOptions,
  BootTimings,
  FromEngine,
  InputReply,
  MimeBundle,
  Progress,
  RunRequest,
  RunResult,
  SnapshotUse,
  StreamName,
} from '../shared/protocol.js';

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
  /** Python asks the reader for a line (`input()`); the answer goes back on `ask.channel`. */
  onInput?(ask: InputAsk): void;
}

/** A request for input, as the engine made it. */
export type InputAsk = Extract<FromEngine, { type: 'input-request' }>;

/** A run's result; `fatal` when the interpreter cannot be used any more. */
export type SentResult = RunResult & { fatal?: boolean };

/** What the engine reports when it is ready. */
export interface ReadyReport {
  version: string;
  timings: BootTimings;
  snapshot: SnapshotUse | undefined;
  /** A shared runtime that another page had started. */
  joined: boolean;
}

export interface ConnectionEvents {
  onProgress(progress: Progress): void;
  /**
   * The worker failed to boot (`booted` false) or died after booting, or the interpreter died
   * while no run was executing (`crash`). Runs still pending have ended.
   */
  onFailure(message: string, booted: boolean): void;
  /** A request for input that no run shows a field for (a replay, a finished run's task). */
  onUnansweredInput(ask: InputAsk): void;
  /** Another page replaced the shared runtime (`EnginePort.onReplaced`). Runs still pending have ended. */
  onReplaced(message: string): void;
}

interface Pending {
  handlers: RunHandlers;
  owner: object | undefined;
  resolve(result: SentResult): void;
}

/** How many finished runs still receive the output of tasks they started. */
const LATE_OUTPUT_RUNS = 64;

export class Connection {
  /** Resolves when the engine is ready; rejects when it cannot boot. */
  readonly ready: Promise<ReadyReport>;
  private readonly pending = new Map<number, Pending>();
  /** Recently finished runs: tasks their code started may still write (`asyncio`, callbacks). */
  private readonly finished = new Map<number, { handlers: RunHandlers; owner: object | undefined }>();
  private nextId = 1;
  private booted = false;
  private closed = false;
  private rejectReady: (error: Error) => void = () => undefined;

  constructor(
    private readonly engine: EnginePort,
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
    engine.listen((message) => {
      if (this.closed) return;
      if (message.type === 'ready') {
        this.booted = true;
        resolveReady({
          version: message.version,
          timings: message.timings ?? {},
          snapshot: message.snapshot,
          joined: message.joined === true,
        });
      } else if (message.type === 'boot-error') {
        fail(`Could not start Python: ${message.message}`);
      } else if (message.type === 'progress') {
        this.events.onProgress(message.progress);
      } else if (message.type === 'fatal') {
        fail(`Python crashed (${message.message})`);
      } else {
        this.route(message);
      }
    });
    engine.onError((detail) => {
      const why = detail ? `: ${detail}` : '';
      fail(this.booted ? `The Python worker crashed${why}` : `Could not start the Python worker (runtime at ${boot.indexURL})${why}.`);
    });
    engine.onReplaced?.((message) => {
      if (this.closed) return;
      this.close(failure('crashed', `${message}.`));
      this.events.onReplaced(message);
    });
    engine.post({ type: 'boot', options: boot });
  }

  /** Whether a run that has not started can be cancelled without replacing the engine (a shared runtime). */
  get cancellable(): boolean {
    return this.engine.shared === true;
  }

  /**
   * Asks a shared runtime to drop the pending run if it has not started; it then ends with a
   * `stopped` failure. The page sends one run at a time, so the pending run is the newest.
   */
  cancel(): void {
    const id = [...this.pending.keys()].pop();
    if (id !== undefined && !this.closed) this.engine.post({ type: 'cancel', id });
  }

  /** Sends a run to the engine; `handlers` hear its messages; `result` settles when it ends. */
  send(request: RunRequest, handlers: RunHandlers = {}, owner?: object): Promise<SentResult> {
    if (this.closed) return Promise.resolve({ status: 'error', elapsedMs: 0, error: failure('crashed', 'The Python worker was stopped.') });
    const id = this.nextId++;
    return new Promise<SentResult>((resolve) => {
      this.pending.set(id, { handlers, owner, resolve });
      this.engine.post({ type: 'run', id, ...request });
    });
  }

  /** Answers request `request` for input, which came on the `message` channel. */
  answerInput(request: string, reply: InputReply): void {
    if (!this.closed) this.engine.post({ type: 'input-reply', request, reply });
  }

  /** Output that tasks of `owner`'s finished runs write later goes nowhere (the cell is gone). */
  release(owner: object): void {
    for (const [id, run] of this.finished) if (run.owner === owner) this.finished.delete(id);
  }

  /** Terminates the worker; a boot under way and runs still pending end with `error`. Idempotent. */
  close(error = failure('crashed', 'The Python worker was restarted.')): void {
    if (this.closed) return;
    this.closed = true;
    this.engine.terminate();
    this.rejectReady(new Error(error.message));
    for (const [id, run] of this.pending) {
      this.pending.delete(id);
      run.resolve({ status: 'error', elapsedMs: 0, error });
    }
  }

  private route(message: Exclude<FromEngine, { type: 'ready' | 'boot-error' | 'progress' | 'fatal' }>): void {
    if (message.id === null) {
      // Output written outside any run (e.g. by a callback): keep it visible to developers.
      if (message.type === 'stream') for (const [name, text] of message.chunks) console[name === 'stderr' ? 'warn' : 'log'](text);
      if (message.type === 'input-request') this.events.onUnansweredInput(message);
      return;
    }
    const run = this.pending.get(message.id);
    const handlers = run?.handlers ?? this.finished.get(message.id)?.handlers;
    if (!handlers) return;
    switch (message.type) {
      case 'stream':
        handlers.onStream?.(message.chunks);
        break;
      case 'display':
        handlers.onDisplay?.(message.bundle);
        break;
      case 'canvas-frame':
        handlers.onCanvasFrame?.(message.canvas, message.frame);
        break;
      case 'loading':
        if (run) handlers.onLoading?.(message.packages);
        break;
      case 'started':
        if (run) handlers.onStarted?.();
        break;
      case 'input-request':
        if (run && handlers.onInput) handlers.onInput(message);
        else this.events.onUnansweredInput(message);
        break;
      case 'result': {
        if (!run) break;
        this.pending.delete(message.id);
        this.finished.set(message.id, { handlers, owner: run.owner });
        for (const id of this.finished.keys()) {
          if (this.finished.size <= LATE_OUTPUT_RUNS) break;
          this.finished.delete(id);
        }
        const { type: _type, id: _id, ...result } = message;
        run.resolve(result);
        break;
      }
    }
  }
}
