/**
 * One page's interpreter for `py-cell prerender`: a Node worker thread running the engine, booted
 * once, then the page's cells in order, each collected into the output items a live cell would
 * show, by the cell layer's own output model (`cell/output-model.ts`).
 */
import { Worker } from 'node:worker_threads';
import { appendDisplay, appendStream, finishOutputs, type OutputItem } from '../cell/output-model.js';
import { NO_CANVAS } from '../runtime/engine/engine.js';
import { NO_INPUT } from '../runtime/engine/input.js';
import { CANVAS_MIME, DOM_MIME } from '../runtime/shared/mime.js';
import type { BootOptions, FromEngine, RunRequest, RunResult, ToEngine } from '../runtime/shared/protocol.js';
import { PYODIDE_VERSION } from '../runtime/shared/version.js';

export interface PageRunnerOptions {
  /** `file:` URL of the runtime folder (`wasm-dist/`), ending in `/`. */
  indexURL: string;
  /** `file:` URL of the built worker (`dist/prerender-worker.js`). */
  workerURL: URL;
  /** A cell running longer is interrupted (KeyboardInterrupt), then its interpreter ended. */
  timeoutSeconds: number;
  /** Restore the interpreter from the build's snapshot, when it fits this Node. */
  snapshot: boolean;
  /** Where packages the runtime folder lacks come from (as `configure({packageURL})`), ending in `/`. */
  packageURL: string;
  /** Page-wide packages (`configure({packages})`): names and absolute wheel URLs. */
  packages: string[];
}

/** What one cell's run gave: its outputs, or why the cell needs a browser and was left as it was. */
export type CellOutcome =
  | { status: 'done' | 'error'; outputs: OutputItem[]; elapsedMs: number; timedOut: boolean; needsPage?: undefined }
  | { needsPage: string; status?: undefined };

/** How long an interrupted cell gets to stop before its interpreter is ended. */
const GRACE_MS = 5000;

export class PageRunner {
  private readonly worker: Worker;
  private readonly interrupt = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private current: {
    id: number;
    outputs: OutputItem[];
    needsPage: string | null;
    settle: (outcome: CellOutcome | Error) => void;
  } | null = null;
  private booted: Promise<string>;
  private dead: string | null = null;
  /** The run under way was interrupted for running past the time limit. */
  private interrupted = false;

  constructor(private readonly options: PageRunnerOptions) {
    this.worker = new Worker(options.workerURL, { workerData: { packageURL: options.packageURL } });
    let ready: (version: string) => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.booted = new Promise<string>((resolve, reject) => ((ready = resolve), (failed = reject)));
    this.booted.catch(() => undefined);
    this.worker.on('message', (message: FromEngine) => {
      if (message.type === 'ready') ready(message.version);
      else if (message.type === 'boot-error') failed(new Error(message.message));
      else this.take(message);
    });
    this.worker.on('error', (error: Error) => this.end(`the interpreter's thread failed: ${error.message}`, failed));
    this.worker.on('exit', () => this.end('the interpreter ended', failed));
    const boot: BootOptions = {
      indexURL: options.indexURL,
      packageURL: options.packageURL,
      expectedVersion: PYODIDE_VERSION,
      stallTimeoutMs: 60_000,
      snapshot: options.snapshot,
      interruptBuffer: this.interrupt,
      packages: options.packages,
    };
    this.send({ type: 'boot', options: boot });
  }

  /** The Pyodide version, once Python has started; rejects when it cannot start. */
  get ready(): Promise<string> {
    return this.booted;
  }

  private send(message: ToEngine): void {
    this.worker.postMessage(message);
  }

  /** The thread ended or failed: the run under way, if any, fails with why (a time limit's reason is kept). */
  private end(reason: string, failed: (error: Error) => void): void {
    this.dead ??= reason;
    failed(new Error(this.dead));
    this.current?.settle(new Error(this.dead));
  }

  private take(message: FromEngine): void {
    const run = this.current;
    if (message.type === 'fatal') {
      this.dead = `the interpreter crashed: ${message.message}`;
      run?.settle(new Error(this.dead));
      return;
    }
    if (!run || !('id' in message) || message.id !== run.id) return; // output of no run, or of a task after its run
    if (message.type === 'stream') {
      run.outputs = appendStream(run.outputs, message.chunks);
    } else if (message.type === 'display') {
      if (message.bundle[CANVAS_MIME] !== undefined || message.bundle[DOM_MIME] !== undefined) run.needsPage ??= 'it draws on a canvas';
      else run.outputs = appendDisplay(run.outputs, message.bundle);
    } else if (message.type === 'input-request') {
      run.needsPage ??= 'it asks for input()';
      this.send({ type: 'input-reply', request: message.request, reply: { interrupt: true } });
    } else if (message.type === 'result') {
      run.settle(this.outcome(run, message));
    }
  }

  private outcome(run: { outputs: OutputItem[]; needsPage: string | null }, result: RunResult & { fatal?: boolean }): CellOutcome {
    const message = result.error?.message ?? '';
    if (message.includes(NO_INPUT)) run.needsPage ??= 'it asks for input()';
    if (message.includes(NO_CANVAS)) run.needsPage ??= 'it draws on a canvas';
    if (run.needsPage) return { needsPage: run.needsPage };
    const outputs = finishOutputs(run.outputs, result);
    return { status: result.status, outputs, elapsedMs: result.elapsedMs, timedOut: this.interrupted };
  }

  /** Runs one cell; rejects when the interpreter cannot run it (it died, or would not stop). */
  async run(request: RunRequest): Promise<CellOutcome> {
    await this.booted;
    if (this.dead) throw new Error(this.dead);
    const id = this.nextId++;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise<CellOutcome>((resolve, reject) => {
        this.current = {
          id,
          outputs: [],
          needsPage: null,
          settle: (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)),
        };
        Atomics.store(this.interrupt, 0, 0);
        this.interrupted = false;
        this.send({ type: 'run', id, ...request });
        timer = setTimeout(() => {
          this.interrupted = true;
          Atomics.store(this.interrupt, 0, 2); // KeyboardInterrupt, at Python's next check
          timer = setTimeout(() => {
            this.dead = `a cell ran past ${this.options.timeoutSeconds} s and did not stop when interrupted`;
            void this.worker.terminate();
          }, GRACE_MS);
        }, this.options.timeoutSeconds * 1000);
      });
    } finally {
      clearTimeout(timer);
      this.current = null;
    }
  }

  async close(): Promise<void> {
    this.dead ??= 'closed';
    await this.worker.terminate();
  }
}
