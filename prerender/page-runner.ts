/**
 * One page's interpreter for `py-cell prerender`: the engine on a worker thread of a sandboxed
 * process (`sandbox.ts`), booted once, then the page's cells in order, each collected into the
 * output items a live cell would show, by the cell layer's own output model (`cell/output-model.ts`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appendDisplay, appendStream, finishOutputs, type OutputItem } from '../cell/output-model.js';
import { NO_CANVAS } from '../runtime/engine/engine.js';
import { NO_INPUT } from '../runtime/engine/input.js';
import { CANVAS_MIME, DOM_MIME } from '../runtime/shared/mime.js';
import type { BootOptions, FromEngine, RunRequest, RunResult, ToEngine } from '../runtime/shared/protocol.js';
import { PYODIDE_VERSION } from '../runtime/shared/version.js';
import type { FromSandbox, ToSandbox } from './sandbox.js';

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
  /** `file:` URLs of the wheels the page's cells name: the only files outside the runtime its code may read. */
  wheels: string[];
}

/**
 * What the sandboxed process may read: the package's built files, the runtime folder, the `ws`
 * package Pyodide's Node loader imports, and the page's wheels. It may write nothing and start
 * no process; its worker thread is allowed (the engine runs there).
 */
function permissions(options: PageRunnerOptions): string[] {
  const files = [dirname(fileURLToPath(options.workerURL)) + sep];
  if (options.indexURL.startsWith('file:')) files.push(fileURLToPath(options.indexURL));
  const ws = createRequire(options.workerURL).resolve('ws');
  files.push(ws.slice(0, ws.lastIndexOf(`${sep}ws${sep}`) + 4));
  for (const url of [...options.wheels, ...options.packages]) if (url.startsWith('file:')) files.push(fileURLToPath(url));
  // One flag per path (Node 20 reads only the first of a comma-separated list); a path with a
  // comma is left out (Node would split it), and reading it fails in the cell.
  const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
  const reads = files.filter((file) => !file.includes(',')).map((file) => `--allow-fs-read=${file}`);
  return [flag, '--allow-worker', '--no-warnings', ...reads];
}

/** What one cell's run gave: its outputs, or why the cell needs a browser and was left as it was. */
export type CellOutcome =
  | { status: 'done' | 'error'; outputs: OutputItem[]; elapsedMs: number; timedOut: boolean; needsPage?: undefined }
  | { needsPage: string; status?: undefined };

/** What the last error of `outputs` raised, in a line: `ValueError: bad value`; `undefined` if none. */
export function raised(outputs: readonly OutputItem[]): string | undefined {
  const error = outputs.filter((item) => item.kind === 'error').at(-1);
  return error?.kind === 'error' ? `${error.error.type}: ${error.error.message.split('\n')[0]}` : undefined;
}

/** How long an interrupted cell gets to stop before its interpreter is ended. */
const GRACE_MS = 5000;

export class PageRunner {
  private readonly sandbox: ChildProcess;
  /** Messages held until the sandbox listens. */
  private held: ToSandbox[] | null = [];
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
    // An empty environment, and the permissions above: no secrets, no processes, no other files.
    this.sandbox = fork(fileURLToPath(new URL('prerender-sandbox.js', options.workerURL)), [options.workerURL.href, options.packageURL], {
      env: {},
      execArgv: permissions(options),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let ready: (version: string) => void = () => undefined;
    let failed: (error: Error) => void = () => undefined;
    this.booted = new Promise<string>((resolve, reject) => ((ready = resolve), (failed = reject)));
    this.booted.catch(() => undefined);
    this.sandbox.on('message', (received: FromSandbox) => {
      if ('listening' in received) {
        for (const message of this.held ?? []) this.sandbox.send(message);
        this.held = null;
      } else if ('threadError' in received) {
        this.end(`the interpreter's thread failed: ${received.threadError}`, failed);
      } else {
        const message = received.engine;
        if (message.type === 'ready') ready(message.version);
        else if (message.type === 'boot-error') failed(new Error(message.message));
        else this.take(message);
      }
    });
    this.sandbox.on('error', (error: Error) => this.end(`the interpreter's process failed: ${error.message}`, failed));
    this.sandbox.on('exit', () => this.end('the interpreter ended', failed));
    const boot: BootOptions = {
      indexURL: options.indexURL,
      packageURL: options.packageURL,
      expectedVersion: PYODIDE_VERSION,
      stallTimeoutMs: 60_000,
      snapshot: options.snapshot,
      interruptBuffer: new Int32Array(new SharedArrayBuffer(4)), // replaced by the sandbox's own
      packages: options.packages,
    };
    this.send({ type: 'boot', options: boot });
  }

  /** The Pyodide version, once Python has started; rejects when it cannot start. */
  get ready(): Promise<string> {
    return this.booted;
  }

  private send(message: ToEngine): void {
    this.post({ engine: message });
  }

  private post(message: ToSandbox): void {
    if (this.held) this.held.push(message);
    else if (this.sandbox.connected) this.sandbox.send(message);
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
        this.post({ interrupt: 0 });
        this.interrupted = false;
        this.send({ type: 'run', id, ...request });
        timer = setTimeout(() => {
          this.interrupted = true;
          this.post({ interrupt: 2 }); // KeyboardInterrupt, at Python's next check
          timer = setTimeout(() => {
            this.dead = `a cell ran past ${this.options.timeoutSeconds} s and did not stop when interrupted`;
            this.sandbox.kill('SIGKILL');
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
    if (this.sandbox.exitCode !== null || this.sandbox.signalCode !== null) return;
    const exited = new Promise((resolve) => this.sandbox.once('exit', resolve));
    this.sandbox.kill('SIGKILL');
    await exited;
  }
}
