/**
 * The JavaScript side of py-cell's Python helpers (`python/pycell/`): the shape of the runner
 * module the engine calls, and the hooks Python calls back (streams, display, arrays read in
 * place, canvases, the page's globals). Proxies Python passes in are converted and released here.
 */
import { arrayPayload, type BufferViewLike } from './arrays.js';
import type { PrintOptions } from '../shared/array-payload.js';
import type { MimeBundle, RunError, StreamName } from '../shared/protocol.js';

export type PyProxyLike = { toJs(options?: object): unknown; destroy(): void };
type PyBufferLike = PyProxyLike & { getBuffer(type: 'dataview'): BufferViewLike & { release(): void } };

/** `pycell._runner`'s functions, as the engine calls them (Python functions: no `this`). */
export interface Runner {
  run: (code: string, session: string, filename: string, run: number, setup?: string, check?: string | null) => Promise<PyProxyLike>;
  find_imports: (code: string) => PyProxyLike;
  setup: (hooks: object) => void;
  forget: (session: string) => void;
}

/** What the engine needs of the page when it runs on it (main-thread mode). */
export interface PageHost {
  /** A live `<canvas>` of `width` x `height` for Python to draw on; shown as itself. */
  createCanvas(width: number, height: number): unknown;
  /** Whether `value` is a DOM node (shown as itself). */
  isNode(value: unknown): boolean;
}

/** Converts Python dicts to plain objects and never leaves a proxy behind. */
export const toPlain = { dict_converter: Object.fromEntries, create_pyproxies: false };

export const DOM_UNREACHABLE =
  "The page's DOM is not reachable from the worker. Either add the main-thread attribute to the cell (<py-cell main-thread>), " +
  'or serve the page cross-origin isolated (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp).';

const BRIDGED_JS_HINT =
  "In a worker cell, Python's js module is the worker's own global scope: the page's DOM is pycell.document and pycell.window.";

/**
 * Where Python's output goes. `run` is the run whose code (or a task it started) produced it:
 * Python tells, so a background task's output never passes for the run executing now.
 */
export interface HookTargets {
  write(name: StreamName, text: string, run: number | null): void;
  display(bundle: MimeBundle, run: number | null): void;
  createCanvas(width: number, height: number, run: number | null): unknown;
  /** A line for `input()`: a promise when Python can suspend (`canSuspend`), else the answer. */
  requestInput(prompt: string, password: boolean, run: number | null, canSuspend: boolean): unknown;
  page: PageHost | undefined;
  pageGlobal: ((name: 'document' | 'window') => unknown) | undefined;
}

/** The hooks object handed to `pycell._runner.setup()`. */
export function pythonHooks(targets: HookTargets): object {
  const { page, pageGlobal } = targets;
  return {
    emitStream: (name: string, text: string, run: number | null) =>
      targets.write(name === 'stderr' ? 'stderr' : 'stdout', text, run ?? null),
    emitDisplay: (bundle: PyProxyLike, run: number | null) => targets.display(bundle.toJs(toPlain) as MimeBundle, run ?? null),
    arrayPayload: readArray,
    createCanvas: (width: number, height: number, run: number | null) => targets.createCanvas(width, height, run ?? null),
    requestInput: (prompt: string, password: boolean, run: number | null, canSuspend: boolean) =>
      targets.requestInput(prompt, password, run ?? null, canSuspend),
    pageGlobal: (name: 'document' | 'window') => pageGlobal?.(name) ?? DOM_UNREACHABLE,
    domUnreachable: pageGlobal ? BRIDGED_JS_HINT : DOM_UNREACHABLE,
    ...(page ? { isDomNode: (value: unknown) => page.isNode(value) } : {}),
  };
}

/** Reads an object's buffer in place (no copy) and returns the array view's payload. */
function readArray(obj: PyBufferLike, meta: PyProxyLike): unknown {
  const info = meta.toJs(toPlain) as {
    typeName: string;
    dtype?: string;
    printOptions?: Partial<PrintOptions>;
    format: string;
    itemsize: number;
    shape: number[];
  };
  if (info.shape.includes(0)) {
    // Nothing to read: describe the empty array without touching memory.
    const empty = {
      format: info.format,
      itemsize: info.itemsize,
      shape: info.shape,
      strides: info.shape.map(() => 0),
      offset: 0,
      data: new DataView(new ArrayBuffer(0)),
    };
    return arrayPayload(empty, info) ?? undefined;
  }
  let view: (BufferViewLike & { release(): void }) | null = null;
  try {
    view = obj.getBuffer('dataview');
    return arrayPayload(view, info) ?? undefined;
  } catch {
    return undefined; // an unreadable buffer falls back to repr()
  } finally {
    view?.release();
  }
}

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The error for code Python cannot receive: a JavaScript string may hold an unpaired surrogate,
 * which is not text (Pyodide cannot convert it, and Python could not decode such a file). It is
 * reported the way Python reports undecodable source, as a `SyntaxError` at its line.
 */
export function sourceTextError(code: string, filename: string): RunError | null {
  const found = UNPAIRED_SURROGATE.exec(code);
  if (!found) return null;
  const before = code.slice(0, found.index);
  const line = before.split('\n').length;
  const column = found.index - before.lastIndexOf('\n');
  const unit = found[0].charCodeAt(0).toString(16).toUpperCase();
  const message = `(unicode error) the code holds an unpaired surrogate U+${unit} at line ${line}, column ${column}, which is not text`;
  return { type: 'SyntaxError', message, traceback: `  File "${filename}", line ${line}\nSyntaxError: ${message}\n`, line };
}

/** `text` with each unpaired surrogate replaced by U+FFFD, as `String.prototype.toWellFormed` does. */
export function wellFormed(text: string): string {
  return text.replace(new RegExp(UNPAIRED_SURROGATE.source, 'g'), '\uFFFD');
}
