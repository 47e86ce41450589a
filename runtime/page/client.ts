/**
 * The page side of the runtime: starts the engine on first need, queues runs (FIFO, one at a
 * time, so the outputs of two runs never interleave), and stops runs: through Pyodide's interrupt
 * buffer on cross-origin isolated pages, otherwise by replacing the worker and restoring every
 * session by replaying the runs that completed in it. The worker itself is a `Connection`; the
 * runs to replay are a `SessionHistory`.
 */
import { errorMessage, failure } from '../shared/errors.js';
import type {
  BootOptions,
  BootTimings,
  InputReply,
  PrefetchHints,
  Progress,
  RunRequest,
  RunResult,
  SnapshotUse,
} from '../shared/protocol.js';
import { AbortedBeforeStart, RunQueue } from './queue.js';
import { createInputBuffer, writeInputReply } from '../shared/input-buffer.js';
import { Connection, type InputAsk, type RunHandlers } from './connection.js';
import type { EnginePort } from '../shared/engine-port.js';
import { SessionHistory } from './history.js';
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
  /** How long an interrupt may take before the worker is replaced, in ms. Default 1000. */
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
}

/** A run a restart ends, and why: Stop or a time limit (`stopped`), or a crash (`crashed`). */
interface Ending {
  run: ActiveRun;
  kind: 'stopped' | 'crashed';
  reason: string;
}

/** A crash between runs this soon after the restore for the last one was caused by that replay. */
const CRASH_LOOP_MS = 10_000;

/** The run the engine is executing now (the queue lets only one through at a time). */
interface ActiveRun {
  token: object | undefined;
  handlers: RunHandlers;
  started: boolean;
  startedAt: number;
  limit: TimeLimit | null;
  /** The request for input the reader has not answered yet. */
  waiting: InputAsk | null;
  /** The answers the reader gave (`null`: end of input), replayed if the run is. */
  inputs: Array<string | null>;
  /** Why the run is being stopped, once it is. */
  stopReason: string | null;
  /** Its worker is being replaced: the restart, not the engine, ends it. */
  replaced: boolean;
  /** Ends the run with this result. */
  end(result: RunResult): void;
}

export class RuntimeClient {
  readonly stats: RuntimeStats = { restarts: 0, replayedRuns: 0, interrupts: 0 };
  private readonly queue = new RunQueue();
  private readonly history = new SessionHistory();
  private readonly progressListeners = new Set<(progress: Progress) => void>();
  private readonly interrupt: Int32Array | null;
  private readonly inputBuffer: Int32Array | null;
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
  /** Runs asked to stop before they were sent to the engine. */
  private readonly stoppedEarly = new WeakSet();
  /** Set while a restart replays the history: runs wait for it. */
  private restoring: Promise<void> | null = null;
  /** When the last restart for a crash between runs finished restoring the sessions. */
  private idleCrashRestoredAt = -Infinity;

  constructor(private readonly options: RuntimeClientOptions) {
    const isolated = globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function';
    this.interrupt =
      options.interruptBuffer !== undefined ? options.interruptBuffer : isolated ? new Int32Array(new SharedArrayBuffer(4)) : null;
    this.inputBuffer = options.inputBuffer !== undefined ? options.inputBuffer : isolated ? createInputBuffer() : null;
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
        onFailure: (message, booted) => {
          if (this.connection !== connection) return;
          this.connection = null;
          if (booted) this.crashed(message);
          else failed(message);
        },
      },
    );
    this.connection = connection;
    const report = await connection.ready;
    this._state = 'ready';
    this.stats.bootTimings = { ...report.timings, total: Math.round(performance.now() - startedAt) };
    if (report.snapshot) this.stats.snapshot = report.snapshot;
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
    while (this.restoring) await this.restoring;
    await this.start();
    if (token && this.stoppedEarly.has(token)) return { status: 'cancelled', elapsedMs: 0 };
    const connection = this.connection!;
    if (this.interrupt) Atomics.store(this.interrupt, 0, 0);
    let end: (result: RunResult) => void = () => undefined;
    const ended = new Promise<RunResult>((resolve) => (end = resolve));
    const run: ActiveRun = {
      token,
      handlers,
      started: false,
      startedAt: 0,
      limit: null,
      waiting: null,
      inputs: [],
      stopReason: null,
      replaced: false,
      end,
    };
    if (timeoutSeconds)
      run.limit = new TimeLimit(timeoutSeconds, () => this.stopActive(run, `Stopped after ${timeoutSeconds} s (the cell's time limit)`));
    this.active = run;
    const sent = connection.send(
      request,
      {
        ...handlers,
        onStarted: () => {
          run.started = true;
          run.startedAt = performance.now();
          run.limit?.start();
          handlers.onStarted?.();
        },
        onInput: (ask) => {
          // The time limit does not count the reader's thinking.
          run.waiting = ask;
          run.limit?.pause();
          // Stop (or the time limit) came while Python was asking: the answer is the interrupt.
          if (run.stopReason) this.answer(run, { interrupt: true });
          else if (handlers.onInput) handlers.onInput(ask);
          else this.answer(run, { eof: true });
        },
      },
      owner,
    );
    void sent.then(({ fatal, ...result }) => {
      if (run.replaced) return; // the restart that replaces the worker ends the run with its report
      // The interpreter died running this code: replace it; the restart ends the run.
      if (fatal) void this.restart({ run, kind: 'crashed', reason: `Python crashed (${result.error?.message ?? 'no reason given'})` });
      else end(this.withStopReason(run, result));
    });
    const result = await ended;
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
    if (run && run.token === token) this.answer(run, reply);
  }

  private answer(run: ActiveRun, reply: InputReply): void {
    const ask = run.waiting;
    if (!ask) return;
    run.waiting = null;
    if ('line' in reply) run.inputs.push(reply.line);
    else if ('eof' in reply) run.inputs.push(null);
    this.sendAnswer(ask, reply);
    if (!run.stopReason) run.limit?.start();
  }

  /** Sends an answer to a request for input on the channel the engine waits on. */
  private sendAnswer(ask: InputAsk, reply: InputReply): void {
    if (ask.channel === 'message') this.connection?.answerInput(ask.request, reply);
    else if (ask.channel === 'atomics' && this.inputBuffer) writeInputReply(this.inputBuffer, reply);
    else globalThis.navigator.serviceWorker.controller?.postMessage({ pyCellInput: ask.request, reply });
  }

  /** A run interrupted by Stop ends with `KeyboardInterrupt`: say why, and that nothing was lost. */
  private withStopReason(run: ActiveRun, result: RunResult): RunResult {
    if (!run.stopReason || result.error?.type !== 'KeyboardInterrupt' || result.error.failure) return result;
    const traceback = `${result.error.traceback}${run.stopReason}; the session's variables are kept.\n`;
    return { ...result, error: { ...result.error, message: run.stopReason, traceback } };
  }

  /** The output of `owner`'s runs is no longer wanted (the cell was removed): drop its late output. */
  release(owner: object): void {
    this.connection?.release(owner);
  }

  /** Stops the run identified by `token` (running or waiting). */
  stop(token: object): void {
    this.stoppedEarly.add(token);
    if (this.active?.token === token) this.stopActive(this.active, 'Stopped');
  }

  private stopActive(run: ActiveRun, reason: string): void {
    if (this.active !== run || run.stopReason) return;
    run.stopReason = reason;
    run.limit?.pause();
    run.handlers.onStopping?.();
    if (run.waiting || (this.interrupt && run.started)) {
      // Waiting for input, Python is answered with KeyboardInterrupt, on any page; running, it is
      // interrupted through the shared buffer (isolated pages).
      if (run.waiting) this.answer(run, { interrupt: true });
      else if (this.interrupt) Atomics.store(this.interrupt, 0, 2); // SIGINT: Python raises KeyboardInterrupt
      this.stats.interrupts++;
      setTimeout(() => {
        if (this.active === run) void this.restart({ run, kind: 'stopped', reason: `${reason}; Python did not respond to the interrupt` });
      }, this.options.interruptGraceMs ?? 1000);
    } else {
      void this.restart({ run, kind: 'stopped', reason });
    }
  }

  /**
   * Replaces the worker and restores every session by replaying, in order, the runs that had
   * completed; then ends the run the restart is for (if any) with a report of what happened.
   */
  private restart(ending: Ending | null): Promise<void> {
    if (ending) ending.run.replaced = true;
    const restoring = (this.restoring ?? Promise.resolve()).then(() => this.replaceWorker(ending));
    this.restoring = restoring;
    void restoring.finally(() => {
      if (this.restoring === restoring) this.restoring = null;
    });
    return restoring;
  }

  private async replaceWorker(ending: Ending | null): Promise<void> {
    const elapsedMs = ending?.run.started ? performance.now() - ending.run.startedAt : 0;
    const old = this.connection;
    this.connection = null;
    this.booted = null;
    this._state = 'idle';
    old?.close();
    this.stats.restarts++;
    let report: { replayed: RunRequest[]; problem: string | null };
    try {
      await this.start();
      report = await this.history.replay((request) => this.connection!.send(request));
    } catch (error) {
      report = { replayed: [], problem: errorMessage(error) };
    }
    this.stats.replayedRuns += report.replayed.length;
    if (!ending) return;
    const cells = report.replayed.map((request) => `${request.filename} (session ${request.session})`);
    const restored = cells.length
      ? `Python was restarted and the sessions restored by re-running ${cells.length} completed cell run${cells.length > 1 ? 's' : ''}: ${cells.join(', ')}.`
      : 'Python was restarted; no earlier cell needed re-running.';
    const why =
      ending.kind === 'stopped' && !this.interrupt
        ? ' (this page is not cross-origin isolated, so the run could not be interrupted in place)'
        : '';
    const problem = report.problem ? ` Restoring the sessions failed: ${report.problem}` : '';
    ending.run.end({ status: 'error', elapsedMs, error: failure(ending.kind, `${ending.reason}${why}. ${restored}${problem}`) });
  }

  /**
   * The interpreter or its worker died after booting. The run under way ends with a report once
   * Python is restarted and the sessions restored; with none under way (a task crashed it), the
   * restart happens at once; if that happens again right after such a restore, the replay itself
   * crashed it (a task it started again), so the next restart does not replay, or it would loop.
   */
  private crashed(message: string): void {
    const run = this.active;
    if (run && !run.replaced) {
      void this.restart({ run, kind: 'crashed', reason: message });
      return;
    }
    if (run) return; // its restart is already under way
    const again = performance.now() - this.idleCrashRestoredAt < CRASH_LOOP_MS;
    if (again) this.history.clear();
    console.warn(
      `py-cell: ${message} while no cell was running; Python is restarted${again ? ', without restoring the sessions: it crashed again right after the last restore' : ' and the sessions restored'}.`,
    );
    void this.restart(null).then(() => (this.idleCrashRestoredAt = again ? -Infinity : performance.now()));
  }

  /** Ends this runtime: the worker is terminated and runs still under way end with `error`. */
  dispose(): void {
    this.connection?.close(failure('crashed', 'The Python runtime was disposed.'));
    this.connection = null;
    this.booted = null;
    this._state = 'idle';
    this.history.clear();
  }
}
