/**
 * Messages between the page (`client.ts`) and the Python engine (`engine.ts`, normally inside
 * the dedicated worker `worker.ts`). Every request that expects an answer carries an `id`; every
 * answer about a run carries the id of that run.
 */

/**
 * A MIME bundle: MIME type to data. Standard types carry strings (binary data base64-encoded);
 * py-cell's own types (`mime.ts`) carry structured values.
 */
export type MimeBundle = Record<string, unknown>;

/**
 * Failures of py-cell itself, as opposed to Python exceptions: `load` (Python could not be
 * loaded), `package` (a package could not be loaded), `unknown-package` (no such package in the
 * index), `stopped` (Stop or a time limit), `crashed` (the interpreter or its worker died),
 * `attribute` (an invalid attribute of the cell), `blanks` (an exercise still has blanks to fill
 * in: nothing ran).
 */
export type FailureKind = 'load' | 'package' | 'unknown-package' | 'wheel' | 'stopped' | 'crashed' | 'attribute' | 'blanks';

/**
 * What a run ended with, formatted for people and structured for programs: a Python exception,
 * or a failure of py-cell itself (made only by `errors.ts`, with `failure` set).
 */
export interface RunError {
  /** Exception class name, e.g. `ZeroDivisionError`; for a failure, e.g. `RunStopped`. */
  readonly type: string;
  /** `str(exception)`, or what failed. */
  readonly message: string;
  /** The traceback as Python prints it, without Pyodide's own frames; for a failure, the message. */
  readonly traceback: string;
  /** Line in the cell's code where the error was raised, when it was raised in that cell. */
  readonly line?: number;
  /** Set only when py-cell itself failed, never for a Python exception. */
  readonly failure?: FailureKind;
}

/** Where a run stands when it ends. */
export type RunStatus = 'done' | 'error';

export interface BootOptions {
  /** Absolute URL of the folder holding Pyodide's files (`pyodide.mjs`, wasm, stdlib, lock file). */
  indexURL: string;
  /** Absolute URL packages are fetched from when `wasm-dist/` does not hold them. */
  packageURL: string;
  /**
   * Page-wide packages (`configure({packages})`): absolute wheel URLs, whose modules load when a
   * cell first imports one, and names, loaded before every run. Default none.
   */
  packages?: string[];
  /** The Pyodide version this bundle was built for; boot fails loudly on a mismatch. */
  expectedVersion: string;
  /** A download that receives nothing for this long fails, naming its URL. */
  stallTimeoutMs: number;
  /** Restore the interpreter from `py-cell-snapshot.gz` when the runtime folder has one. Default true. */
  snapshot?: boolean;
  /**
   * Set when the previous boot failed (a Retry): every runtime file is revalidated with the
   * server (`cache: 'no-cache'`), so a failure the browser cached is not replayed.
   */
  revalidate?: boolean;
  /** Shared with the page: writing 2 makes Python raise KeyboardInterrupt (isolated pages). */
  interruptBuffer?: Int32Array | null;
  /** Shared with the page: where it writes the reader's answers to `input()` when the engine
   * cannot suspend Python and waits with Atomics instead (isolated pages without stack switching). */
  inputBuffer?: Int32Array | null;
  /** py-cell's service worker answers `input()` here, by a synchronous request (the last resort). */
  inputURL?: string | null;
  /** What the page's cells will likely need: downloaded while Python starts. Default: nothing. */
  prefetch?: PrefetchHints;
  /**
   * No run waits for this boot (a preload): end it with an unseen run, so that the first real
   * run does not pay for code running for the first time. Default: false.
   */
  warmUp?: boolean;
}

/** The page's cells' `packages` (names, absolute wheel URLs) and their code, whose imports are scanned. */
export interface PrefetchHints {
  packages: string[];
  code: string[];
}

/** The reader's answer to `input()`: a line, the end of input (Ctrl+D), or Stop. */
export type InputReply = { line: string } | { eof: true } | { interrupt: true };

/** How a request for input is answered: by message, in the shared buffer, or to the service worker. */
export type InputChannel = 'message' | 'atomics' | 'service-worker';

export interface RunRequest {
  /** Python source, already dedented. */
  code: string;
  /** Namespace name; cells with the same session share globals. */
  session: string;
  /** File name used in tracebacks, e.g. `<cell 3>`. */
  filename: string;
  /** Packages to load before the run (names, or absolute wheel URLs), in addition to those found in the imports. */
  packages: string[];
  /**
   * The answers `input()` got when this run first ran, replayed in order (`null`: end of input);
   * when they run out, input ends. Set only when a restart replays the run.
   */
  inputs?: Array<string | null>;
  /**
   * An exercise's attempt: it runs in a fresh namespace of its own (never a session's: `session`
   * is then unused), with the builtins Python started with; `setup` runs first without showing
   * its output, and with `check` the check code runs last and the result says whether the
   * attempt is correct.
   */
  exercise?: { setup: string; check: string | null };
}

/** An exercise check's verdict. */
export interface CheckVerdict {
  correct: boolean;
  /** "Correct", or why not: the check's assertion message, or what was raised. */
  message: string;
}

/** What the page sends the engine. A new message needs its entry in `TO_ENGINE_TYPES` (the compiler says so). */
export type ToEngine =
  | { type: 'boot'; options: BootOptions }
  | ({ type: 'run'; id: number } & RunRequest)
  /** The answer to the pending request for input (the `message` channel). */
  | { type: 'input-reply'; request: string; reply: InputReply }
  /**
   * A shared runtime only (`shared-host.ts`): drop run `id` if it has not started; it then ends
   * with a `stopped` failure. A dedicated engine ignores it.
   */
  | { type: 'cancel'; id: number }
  /** A shared runtime only: this page leaves; its queued runs and its sessions are dropped. */
  | { type: 'detach' };

/** `download`: runtime files arrive; `start`: Python starts (or is restored); `packages`: a run's packages load. */
export type ProgressStage = 'download' | 'start' | 'packages';

/** Progress of the runtime boot or of a package download. */
export interface Progress {
  stage: ProgressStage;
  /** Human-readable detail, e.g. a file or package name. */
  detail?: string;
  /** Bytes received so far, when known. */
  loaded?: number;
  /** Total bytes expected, when known. */
  total?: number;
}

/**
 * How long each boot phase took, in ms, in the order they run: `loader` (pyodide.mjs, the lock
 * file and the manifest), `wasm` (download,
 * compile and instantiate pyodide.asm.wasm), `stdlib` (from instantiation until the file system
 * is ready, including the standard library), `interpreter` (Python's start and Pyodide's own
 * imports; with a snapshot, its restore), `helpers` (py-cell's Python helpers), `warmUp` (an
 * unseen first run, only when no run was waiting: a preload). `snapshotReady` is not a phase: the
 * time from the boot's start until the snapshot was downloaded and unpacked.
 */
export type BootTimings = Partial<Record<'loader' | 'wasm' | 'stdlib' | 'interpreter' | 'helpers' | 'snapshotReady' | 'warmUp', number>>;

/**
 * How the interpreter was started: restored from the memory snapshot (`packages`: those the
 * snapshot holds, as name and version), or started normally (`reason`: the snapshot was turned
 * off, is absent, or failed and the normal start took over).
 */
export type SnapshotUse = { used: true; packages?: string[] } | { used: false; reason: string };

export type StreamName = 'stdout' | 'stderr';

export interface RunResult {
  status: RunStatus;
  /** Wall time of the Python execution itself (not queueing, boot or package loads). */
  elapsedMs: number;
  /** The displayed value of the last expression, if any. */
  value?: MimeBundle;
  error?: RunError;
  /** An exercise check's verdict. */
  check?: CheckVerdict;
}

/**
 * What the engine sends the page. A new message needs its entry in `FROM_ENGINE_TYPES`, without
 * which the page would drop it (the compiler says so), and a type of its own.
 */
export type FromEngine =
  | { type: 'progress'; progress: Progress }
  /** `joined`: a shared runtime that another page had started (its boot cost this page nothing). */
  | { type: 'ready'; version: string; timings?: BootTimings; snapshot?: SnapshotUse; joined?: boolean }
  | { type: 'boot-error'; message: string }
  /** Packages for run `id` are being loaded. */
  | { type: 'loading'; id: number; packages: string[] }
  /** Run `id` started executing Python. */
  | { type: 'started'; id: number }
  /** Output of run `id` (or `null` for output written between runs), in order. */
  | { type: 'stream'; id: number | null; chunks: Array<[StreamName, string]> }
  | { type: 'display'; id: number | null; bundle: MimeBundle }
  /** A new frame of canvas `canvas` (see `CANVAS_MIME`) drawn by run `id`. */
  | { type: 'canvas-frame'; id: number | null; canvas: number; frame: ImageBitmap }
  /** Run `id` asks the reader for a line: answered on `channel`, naming `request` (unique to this page and engine). */
  | { type: 'input-request'; id: number | null; prompt: string; password: boolean; channel: InputChannel; request: string }
  /** The interpreter died while no run was executing (a task's crash): the page replaces it. */
  | { type: 'fatal'; message: string }
  /** `fatal`: the interpreter cannot be used any more (the page replaces it). */
  | ({ type: 'result'; id: number; fatal?: boolean } & RunResult);

/** Whether `T` is a union of more than one type (`boolean` when some members are subtypes of others). */
type IsUnion<T, All = T> = T extends unknown ? ([All] extends [T] ? false : true) : never;

/**
 * A table of the types of the messages `Message`, one entry each, which the compiler checks: an
 * entry missing or one too many fails to compile, and so does a type two messages share (its
 * entry's type is then the complaint), which a receiver would take for one another.
 */
export type MessageTypes<Message extends { type: string }> = {
  readonly [Type in Message['type']]: true extends IsUnion<Extract<Message, { type: Type }>> ? `two messages are named '${Type}'` : true;
};

/** Every type of message the engine sends: `isFromEngine` accepts these and nothing else. */
export const FROM_ENGINE_TYPES: MessageTypes<FromEngine> = {
  progress: true,
  ready: true,
  'boot-error': true,
  loading: true,
  started: true,
  stream: true,
  display: true,
  'canvas-frame': true,
  'input-request': true,
  fatal: true,
  result: true,
};

/** Every type of message the page sends the engine (checked like `FROM_ENGINE_TYPES`). */
export const TO_ENGINE_TYPES: MessageTypes<ToEngine> = {
  boot: true,
  run: true,
  'input-reply': true,
  cancel: true,
  detach: true,
};

/** Type guard for messages coming from the engine. */
export function isFromEngine(value: unknown): value is FromEngine {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(FROM_ENGINE_TYPES, type);
}

/** Type guard for messages coming from a page (a shared runtime hears any page of its origin). */
export function isToEngine(value: unknown): value is ToEngine {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(TO_ENGINE_TYPES, type);
}
