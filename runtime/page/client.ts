/**
 * The page side of the runtime: starts the engine on first need, queues runs (FIFO, one at a
 * time, so the outputs of two runs never interleave), hands the reader's answers to `input()`
 * to the run under way, and asks for runs to stop. The worker itself is a `Connection`; the run
 * under way an `ActiveRun`; stopping it a `RunStopper`; replacing the worker and restoring every
 * session a `Restarter`, which replays the `SessionHistory`.
 */
import { errorMessage, failure } from '../shared/errors.js';
import type {
  BootOptions,
  BootTimings,
  InputReply,
  PrefetchHints,
  Progress,
  RunRequest,
  RunError,
  RunResult,
  SnapshotUse,
} from '../shared/protocol.js';
import { createInputBuffer } from '../shared/input-buffer.js';
import type { EnginePort } from '../shared/engine-port.js';
import { ActiveRun } from './active-run.js';
import { Connection, type InputAsk, type RunHandlers } from './connection.js';
import { SessionHistory } from './history.js';
import { sendInputReply } from './input-channels.js';
import { AbortedBeforeStart, RunQueue } from './queue.js';
import { Restarter } from './restart.js';
import { RunStopper } from './stop.js';
import { TimeLimit } from './time-limit.js';

export type { RunHandlers } from './connection.js';
export type { EnginePort } from '../shared/engine-port.js';

export interface RunOptions {
  /** Aborting before the run's turn cancels it. */
  signal?: AbortSignal;
  /** Time limit in seconds, counted from when Python starts the code. */
  timeoutSeconds?: number | null;
  /** Identifies the run for `stop()`; any object. */
  token?: object;
  /** What the run's output is for (a cell): `release(owner)` when it is gone. */
  owner?: object;
}

/** Result of a run as the client reports it: a run can also be cancelled before it starts. */
export type ClientRunResult = RunResult | { status: 'cancelled'; elapsedMs: 0 };

export type RuntimeState = 'idle' | 'booting' | 'ready' | 'failed';

export interface RuntimeClientOptions {
  boot: BootOptions;
  /** Starts an engine (its worker). Called when the runtime is first needed, never earlier. */
  createEngine: () => EnginePort | Promise<EnginePort>;
  /**
   * Shared with the engine: writing 2 makes Python raise KeyboardInterrupt, so Stop interrupts in
   * place. Default: a new one on cross-origin isolated pages (it needs SharedArrayBuffer), else
   * `null` (Stop restarts Python).
   */
  interruptBuffer?: Int32Array | null;
  /**
   * How long an interrupt may take before the worker is replaced, in ms; Python that took it
   * (the buffer cleared) gets one more such period to end the run. Default 1000.
   */
  interruptGraceMs?: number;
  /**
   * Shared with the engine for answers to `input()` it waits for with Atomics. Default: a new one
   * on cross-origin isolated pages, else `null`.
   */
  inputBuffer?: Int32Array | null;
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
  /** The runtime is shared by the site's pages (`'started'` by this page, or `'joined'`), else absent. */
  shared?: 'started' | 'joined';
}

export class RuntimeClient {
  readonly stats: RuntimeStats = { restarts: 0, replayedRuns: 0, interrupts: 0 };
  private readonly queue = new RunQueue();
  private readonly history = new SessionHistory();
  private readonly progressListeners = new Set<(progress: Progress) => void>();
  private readonly interrupt: Int32Array | null;
  private readonly inputBuffer: Int32Array | null;
  private readonly restarter: Restarter;
  private readonly stopper: RunStopper;
  private connection: Connection | null = null;
  private booted: Promise<string> | null = null;
  private prefetch: PrefetchHints | null = null;
  /** Runs asked of this runtime so far: a boot before the first is a preload. */
  private runsAsked = 0;
  private active: ActiveRun | null = null;
  private _state: RuntimeState = 'idle';
  /** Boot attempts so far, and the last one that failed: runs queued before it fail with it. */
  private bootAttempts = 0;
  private lastFailure: { attempt: number; message: string } | null = null;

  constructor(private readonly options: RuntimeClientOptions) {
    const isolated = globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function';
    this.interrupt =
      options.interruptBuffer !== undefined ? options.interruptBuffer : isolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
    this.inputBuffer = options.inputBuffer !== undefined ? options.inputBuffer : isolated ? createInputBuffer() : null;
    this.restarter = new Restarter(this.history, this.stats, {
      active: () => this.active,
      closeWorker: () => this.closeWorker(),
      start: () => this.start(),
      send: (request) => this.connection!.send(request),
      interruptible: this.interrupt !== null,
    });
    const graceMs = options.interruptGraceMs ?? 1000;
    const cancel = () => {
      if (!this.connection?.cancellable) return false;
      this.connection.cancel();
      return true;
    };
    this.stopper = new RunStopper(this.interrupt, graceMs, this.restarter, () => this.active, this.stats, cancel);
  }

  get state(): RuntimeState {
    return this._state;
  }

  /** Subscribes to boot and package progress; returns the unsubscribe function. */
  onProgress(listener: (progress: Progress) => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /**
   * Starts the runtime if it is not started; resolves with the Pyodide version when it is ready.
   * After a failed boot the next call starts afresh. `prefetch`: what the page's cells will
   * likely need, downloaded while Python starts (kept for later boots, after a crash or Stop).
   */
  start(prefetch?: PrefetchHints): Promise<string> {
    if (prefetch) this.prefetch = prefetch;
    if (!this.booted) {
      this.booted = this.boot();
      this.booted.catch(() => undefined); // callers handle the failure; an unobserved one is not reported
    }
    return this.booted;
  }

  private async boot(): Promise<string> {
    this._state = 'booting';
    const startedAt = performance.now();
    const attempt = ++this.bootAttempts;
    // After a failed boot, every runtime file is revalidated: a failure the browser cached is not replayed.
    const revalidate = this.lastFailure !== null && this.lastFailure.attempt === attempt - 1;
    const failed = (message: string) => {
      this.booted = null;
      this._state = 'failed';
      this.lastFailure = { attempt, message };
      return new Error(message);
    };
    let engine: EnginePort;
    try {
      engine = await this.options.createEngine();
    } catch (error) {
      throw failed(`Could not start the Python worker: ${errorMessage(error)}`);
    }
    const connection = new Connection(
      engine,
      {
        ...this.options.boot,
        interruptBuffer: this.interrupt,
        inputBuffer: this.inputBuffer,
        inputURL: engine.inputURL ?? null,
        revalidate,
        ...(this.prefetch ? { prefetch: this.prefetch } : {}),
        warmUp: this.runsAsked === 0,
      },
      {
        onProgress: (progress) => this.progressListeners.forEach((listener) => listener(progress)),
        // Nobody shows a field for it (a replay past its recorded answers, a finished run's task).
        onUnansweredInput: (ask) => this.sendAnswer(ask, { eof: true }),
        onReplaced: (message) => {
          if (this.connection !== connection) return;
          this.connection = null;
          this.restarter.restartAfterReplacement(message);
        },
        onFailure: (message, booted) => {
          if (this.connection !== connection) return;
          this.connection = null;
          if (booted) this.restarter.restartAfterCrash(message);
          else failed(message);
        },
      },
    );
    this.connection = connection;
    const report = await connection.ready;
    this._state = 'ready';
    this.stats.bootTimings = { ...report.timings, total: Math.round(performance.now() - startedAt) };
    if (report.snapshot) this.stats.snapshot = report.snapshot;
    if (engine.shared) this.stats.shared = report.joined ? 'joined' : 'started';
    else delete this.stats.shared;
    return report.version;
  }

  /**
   * Queues a run. Resolves when it has finished, with `status: 'cancelled'` when `signal` was
   * aborted before its turn; never rejects for a Python error or a failed boot.
   */
  async run(request: RunRequest, handlers: RunHandlers = {}, options: RunOptions = {}): Promise<ClientRunResult> {
    const { signal, timeoutSeconds = null, token, owner } = options;
    this.runsAsked++;
    // A run queued before a boot failed gets that failure; the next run after it boots afresh.
    const attemptsSeen = this.bootAttempts;
    try {
      return await this.queue.enqueue(() => {
        if (this.lastFailure && this.lastFailure.attempt > attemptsSeen && !this.booted) throw new Error(this.lastFailure.message);
        return this.execute(request, handlers, timeoutSeconds, token, owner);
      }, signal);
    } catch (error) {
      if (error instanceof AbortedBeforeStart) return { status: 'cancelled', elapsedMs: 0 };
      return { status: 'error', elapsedMs: 0, error: failure('load', errorMessage(error)) };
    }
  }

  private async execute(
    request: RunRequest,
    handlers: RunHandlers,
    timeoutSeconds: number | null,
    token: object | undefined,
    owner: object | undefined,
  ): Promise<ClientRunResult> {
    while (this.restarter.restoring) await this.restarter.restoring;
    await this.start();
    if (token && this.stopper.wasStopped(token)) return { status: 'cancelled', elapsedMs: 0 };
    const connection = this.connection!;
    this.stopper.clearInterrupt();
    const run = new ActiveRun(token, handlers, (ask, reply) => this.sendAnswer(ask, reply));
    if (timeoutSeconds)
      run.limit = new TimeLimit(timeoutSeconds, () =>
        this.stopper.stopRun(run, `Stopped after ${timeoutSeconds} s (the cell's time limit)`),
      );
    this.active = run;
    const send = (to: Connection) =>
      void to.send(request, run.engineHandlers(), owner).then(async ({ fatal, ...result }) => {
        if (run.replaced) return; // the restart that replaces the worker ends the run with its report
        if (run.resend) {
          // Another page replaced the shared runtime before this run started: it runs on the new one.
          run.resend = false;
          try {
            while (this.restarter.restoring) await this.restarter.restoring;
            await this.start();
            // Stop came while it waited: the restart ended it (set during the awaits above).
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
            if (run.replaced) return;
            if (run.stopReason) run.endWith({ status: 'error', elapsedMs: 0, error: failure('stopped', run.stopReason) });
            else send(this.connection!);
          } catch (error) {
            run.endWith({ status: 'error', elapsedMs: 0, error: failure('load', errorMessage(error)) });
          }
          return;
        }
        // The interpreter died running this code: replace it; the restart ends the run.
        if (fatal)
          void this.restarter.restart({ run, kind: 'crashed', reason: `Python crashed (${result.error?.message ?? 'no reason given'})` });
        else run.endWith(run.withStopReason(result));
      });
    send(connection);
    const result = await run.ended;
    this.active = null;
    run.limit?.pause();
    const replayable = run.inputs.length > 0 ? { ...request, inputs: run.inputs } : request;
    this.history.record(replayable, { started: run.started, stopped: run.stopReason !== null, result });
    return result;
  }

  /**
   * The reader answered the active run's request for input (the cell calls this through
   * `RunHandlers.answer`), or Stop did.
   */
  answerInput(token: object | undefined, reply: InputReply): void {
    const run = this.active;
    if (run && run.token === token) run.answer(reply);
  }

  /** Sends an answer to a request for input on the channel the engine waits on. */
  private sendAnswer(ask: InputAsk, reply: InputReply): void {
    sendInputReply(ask, reply, this.connection, this.inputBuffer);
  }

  /** The output of `owner`'s runs is no longer wanted (the cell was removed): drop its late output. */
  release(owner: object): void {
    this.connection?.release(owner);
  }

  /** Stops the run identified by `token` (running or waiting). */
  stop(token: object): void {
    this.stopper.stop(token);
  }

  /** Terminates the worker (`error`: what runs still under way end with) and forgets it: the next run boots a new one. */
  private closeWorker(error?: RunError): void {
    const old = this.connection;
    this.connection = null;
    this.booted = null;
    this._state = 'idle';
    old?.close(error);
  }

  /** Ends this runtime: the worker is terminated and runs still under way end with `error`. */
  dispose(): void {
    this.closeWorker(failure('crashed', 'The Python runtime was disposed.'));
    this.history.clear();
  }
}
