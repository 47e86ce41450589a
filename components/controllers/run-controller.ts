/**
 * The run state machine of one cell: status, outputs and progress, driven by the shared runtime.
 * The runtime is passed in, so unit tests drive it with a stand-in.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { appendOutputs, finishOutputs, type OutputEvent, type OutputItem } from '../../cell/output-model.js';
import type { CheckVerdict, ClientRunResult, Progress, RunError, RunRequest, RuntimeClient } from '../../runtime/index.js';
import type { PyCellRunResult } from '../events.js';

/** How often streamed and displayed output is rendered, at most. */
export const STREAM_RENDER_MS = 50;

/** A run's result, and an exercise check's verdict when it had one. */
export type RunOutcome = PyCellRunResult & { check?: CheckVerdict };

/** What the element reflects in its `status` attribute. */
export type CellStatus = 'idle' | 'loading' | 'running' | 'done' | 'error';

export type RuntimeLike = Pick<RuntimeClient, 'run' | 'state' | 'onProgress' | 'stop' | 'release' | 'answerInput'>;

/** A request for a line, shown as a field while the run waits for the reader. */
export interface InputField {
  prompt: string;
  /** `getpass()`: what the reader types is not shown. */
  password: boolean;
}

export class RunController implements ReactiveController {
  status: CellStatus = 'idle';
  outputs: OutputItem[] = [];
  /** Boot or package progress while `status` is `loading`. */
  progress: Progress | null = null;
  /** Packages being loaded for the current run. */
  loadingPackages: string[] = [];
  /** Whether the current run is waiting in the page's queue. */
  queued = false;
  /** Latest frame of each canvas the current run drew on. */
  frames = new Map<number, ImageBitmap>();
  /** Stop was asked for and is under way (the worker may be restarting). */
  stopping = false;
  /** The run waits for the reader to answer `input()`. */
  input: InputField | null = null;
  /** `outputs` were computed when the page was built (`py-cell prerender`); no run has replaced them. */
  prerendered = false;
  /**
   * `outputs` are the author's alone, to insert unsanitised: they came from a run in the trusted
   * runtime (which runs nothing but trusted cells' unedited code), or from the page's markup.
   */
  trusted = false;

  private pendingRun: Promise<RunOutcome> | null = null;
  private outputQueue: OutputEvent[] = [];
  private streamTimer: ReturnType<typeof setTimeout> | null = null;
  /** When streamed output was last rendered (`performance.now()`). */
  private streamRendered = -Infinity;
  private pendingRequest: RunRequest | null = null;
  private started = false;
  private abort: AbortController | null = null;
  private token: object | null = null;
  private runtimeInUse: RuntimeLike | null = null;
  private generation = 0;
  private unsubscribe: (() => void) | null = null;
  /** Earlier runs whose late output this run's output already notes as left out. */
  private leftOutFrom = new Set<number>();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly runtime: (trusted: boolean) => RuntimeLike,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private set(
    changes: Partial<
      Pick<
        RunController,
        'status' | 'outputs' | 'progress' | 'loadingPackages' | 'queued' | 'stopping' | 'input' | 'prerendered' | 'trusted'
      >
    >,
  ): void {
    Object.assign(this, changes);
    this.host.requestUpdate();
  }

  /**
   * Shows outputs computed when the page was built, until the cell first runs (never after);
   * `trusted` when the cell's markup says so (they are part of the page, as its markup is).
   */
  showPrerendered(outputs: OutputItem[], trusted = false): void {
    if (this.generation === 0 && this.status === 'idle') this.set({ outputs, prerendered: true, trusted });
  }

  /** Shows an error without running anything (e.g. invalid attributes). */
  fail(error: RunError): PyCellRunResult {
    this.set({ status: 'error', outputs: [{ kind: 'error', error }], progress: null, queued: false, prerendered: false, trusted: false });
    return { status: 'error', elapsedMs: 0, error };
  }

  /**
   * Queues a run. A second request while this cell's run is still waiting for its turn joins
   * that run (with the newer code); a request while it executes queues another run. With
   * `trusted`, the run goes to the trusted runtime and its outputs are inserted unsanitised: only
   * for a `trusted` cell's unedited code (the element decides). A waiting run of the other kind is
   * cancelled, never joined: edited code never reaches the trusted runtime.
   */
  run(request: RunRequest, timeoutSeconds: number | null = null, trusted = false): Promise<RunOutcome> {
    if (this.pendingRun && !this.started && this.pendingRequest) {
      if (this.trusted === trusted) {
        Object.assign(this.pendingRequest, request);
        return this.pendingRun;
      }
      this.cancelQueued();
    }
    // Run again while the field waits: the waiting run ends as by Stop, and the new one follows.
    this.abandonInput();
    const generation = ++this.generation;
    const runtime = this.runtime(trusted);
    const current = () => generation === this.generation;
    this.started = false;
    this.pendingRequest = { ...request };
    this.abort = new AbortController();
    const token = (this.token = {});
    this.runtimeInUse = runtime;
    this.unsubscribe?.();
    this.unsubscribe = runtime.onProgress((progress) => {
      if (current() && this.status === 'loading') this.set({ progress });
    });
    this.frames = new Map();
    this.set({
      status: runtime.state === 'ready' ? 'running' : 'loading',
      outputs: [],
      progress: null,
      loadingPackages: [],
      queued: true,
      stopping: false,
      prerendered: false,
      trusted,
    });
    const result = runtime
      .run(
        this.pendingRequest,
        {
          onLoading: (packages) => current() && this.set({ status: 'loading', loadingPackages: packages, queued: false }),
          onStarted: () => {
            if (!current()) return;
            this.outputQueue = [];
            this.leftOutFrom = new Set();
            this.started = true;
            this.set({ status: 'running', outputs: [], progress: null, loadingPackages: [], queued: false });
          },
          onStream: (chunks) => (current() ? this.queueOutput({ kind: 'stream', chunks }) : this.leftOut(generation)),
          onStopping: () => current() && this.set({ stopping: true, input: null }),
          onInput: ({ prompt, password }) => {
            // A stale run (the cell was run again meanwhile) gets the end of input: the newer
            // run waits behind it, and nobody would answer.
            if (!current()) {
              runtime.answerInput(token, { eof: true });
              return;
            }
            this.flushOutput(); // the prompt, then the field
            this.set({ input: { prompt, password } });
          },
          onDisplay: (bundle) => {
            if (!current()) {
              this.leftOut(generation);
              return;
            }
            this.queueOutput({ kind: 'display', bundle }); // in order with the streams
          },
          onCanvasFrame: (canvas, frame) => {
            if (!current()) return;
            this.frames.get(canvas)?.close();
            this.frames = new Map(this.frames).set(canvas, frame);
            this.host.requestUpdate();
          },
        },
        { signal: this.abort.signal, timeoutSeconds, token, owner: this },
      )
      .then((outcome) => this.finish(outcome, current()));
    this.pendingRun = result;
    return result;
  }

  /**
   * Output of a task that run `generation` started arrived after a newer run of this cell began:
   * it is not this run's output. Says so once per earlier run.
   */
  private leftOut(generation: number): void {
    if (this.leftOutFrom.has(generation)) return;
    this.leftOutFrom.add(generation);
    this.flushOutput();
    this.set({ outputs: [...this.outputs, { kind: 'left-out' }] });
  }

  /**
   * Streams arrive in batches up to ~60 a second, displays one message each; the page takes them
   * in at most every `STREAM_RENDER_MS`, so a flood of either costs a few renders a second, not
   * one per message. Output after a quiet spell (a run's first line) renders at once.
   */
  private queueOutput(event: OutputEvent): void {
    this.outputQueue.push(event);
    if (this.streamTimer !== null) return;
    const wait = this.streamRendered + STREAM_RENDER_MS - performance.now();
    if (wait <= 0) this.flushOutput();
    else this.streamTimer = setTimeout(() => this.flushOutput(), wait);
  }

  private flushOutput(): void {
    if (this.streamTimer !== null) clearTimeout(this.streamTimer);
    this.streamTimer = null;
    if (this.outputQueue.length === 0) return;
    this.streamRendered = performance.now();
    const events = this.outputQueue;
    this.outputQueue = [];
    this.set({ outputs: appendOutputs(this.outputs, events) });
  }

  private finish(outcome: ClientRunResult, isCurrent: boolean): RunOutcome {
    if (isCurrent) this.flushOutput();
    if (isCurrent) {
      this.pendingRun = null;
      this.pendingRequest = null;
      this.unsubscribe?.();
      this.unsubscribe = null;
    }
    if (outcome.status === 'cancelled') {
      if (isCurrent) this.set({ status: 'idle', queued: false, progress: null });
      return { status: 'cancelled', elapsedMs: 0 };
    }
    if (isCurrent) {
      const outputs = finishOutputs(this.outputs, outcome);
      this.set({ status: outcome.status, outputs, progress: null, loadingPackages: [], queued: false, stopping: false, input: null });
    }
    return {
      status: outcome.status,
      elapsedMs: outcome.elapsedMs,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.check ? { check: outcome.check } : {}),
    };
  }

  /**
   * The reader answered the field: a line, or the end of input (`null`, Ctrl+D). The line is
   * shown after the prompt, as a terminal echoes it (not for `getpass()`).
   */
  answer(line: string | null): void {
    const field = this.input;
    if (!field) return;
    this.set({ input: null });
    this.queueOutput({ kind: 'stream', chunks: [['stdout', `${line === null || field.password ? '' : line}\n`]] });
    this.flushOutput();
    this.runtimeInUse?.answerInput(this.token ?? undefined, line === null ? { eof: true } : { line });
  }

  /**
   * Ends the wait for the reader, if the run waits, with a `KeyboardInterrupt` (the cell runs
   * again, or is removed, and nobody will answer).
   */
  abandonInput(): void {
    if (!this.input) return;
    this.set({ input: null });
    this.runtimeInUse?.answerInput(this.token ?? undefined, { interrupt: true });
  }

  /** The cell is gone: late output of its runs' tasks is no longer delivered to it. */
  release(): void {
    this.runtimeInUse?.release(this);
  }

  /** Cancels this cell's run if it has not started yet. */
  cancelQueued(): void {
    if (!this.started) this.abort?.abort();
  }

  /** Stops this cell's run: cancels it while it waits, stops Python while it runs. */
  stop(): void {
    if (!this.pendingRun) return;
    this.abort?.abort(); // still waiting for its turn
    if (this.token && this.runtimeInUse) this.runtimeInUse.stop(this.token); // sent, or about to be
  }
}
