/**
 * Standard input for Python. A request for a line goes to the page, which shows a field in the
 * cell; the answer comes back on the best channel the browser has:
 *   message         Python is suspended with WebAssembly stack switching (`run_sync`) while the
 *                   page answers by message: Chromium and Firefox, any page;
 *   atomics         the worker blocks on a buffer shared with the page, which writes the answer
 *                   into it: cross-origin isolated pages without stack switching (Safari);
 *   service-worker  the worker makes a synchronous request that py-cell's service worker holds
 *                   until the page hands it the answer: Safari without isolation, where the
 *                   site serves the service worker.
 * A run replayed after a restart gets the answers it had the first time, then the end of input.
 */
import { resetInputBuffer, waitForInputReply } from '../shared/input-buffer.js';
import type { FromEngine, InputReply } from '../shared/protocol.js';

/** Why `input()` cannot work here, and how a site makes it work. */
export const NO_INPUT =
  "input() cannot wait for an answer in this browser: it has neither WebAssembly stack switching (JSPI, as in Chromium and Firefox) nor, on this page, SharedArrayBuffer (a cross-origin isolated page: headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp). A site can enable py-cell's fallback by serving dist/py-cell-sw.js and calling configure({ inputServiceWorker: '/path/to/py-cell-sw.js' }).";

/** Why `input()` cannot work in a main-thread cell here (the page's thread must never block). */
export const NO_INPUT_ON_PAGE =
  'input() in a main-thread cell needs WebAssembly stack switching (JSPI, as in Chromium and Firefox), which this browser lacks: the page itself cannot wait. Run the cell in the worker (without the main-thread attribute) to ask the reader.';

/** What Python gets back: an answer, or why there is none. */
export type InputResult = InputReply | { error: string };

export interface StandardInputOptions {
  /** Shared with the page for the `atomics` channel. */
  buffer: Int32Array | null;
  /** The service worker's endpoint for the `service-worker` channel. */
  url: string | null;
  /** Python runs on the page's own thread, which must never block: only stack switching will do. */
  onPage?: boolean;
  /** A blocking GET (tests pass a stand-in). */
  getSync?: (url: string) => string;
}

function getSync(url: string): string {
  const request = new XMLHttpRequest();
  request.open('GET', url, false);
  request.send();
  if (request.status !== 200) throw new Error(`py-cell's service worker answered ${request.status} for ${url}`);
  return request.responseText;
}

export class StandardInput {
  private nextRequest = 1;
  /** Tells this engine's requests from those of other engines and tabs the service worker serves. */
  private readonly prefix = Math.random().toString(36).slice(2);
  /** Requests waiting for the page's answer on the `message` channel, by name. */
  private readonly pending = new Map<string, (reply: InputReply) => void>();
  /** Recorded answers of replayed runs, by run. */
  private readonly scripts = new Map<number, Array<string | null>>();

  constructor(
    private readonly post: (message: FromEngine) => void,
    /** Set at boot, when the page has said which channels it offers. */
    readonly options: StandardInputOptions = { buffer: null, url: null },
  ) {}

  /** Run `run` is a replay: answer its requests from `inputs`, then with the end of input. */
  script(run: number, inputs: Array<string | null>): void {
    this.scripts.set(run, [...inputs]);
  }

  /** Run `run` is over. */
  end(run: number): void {
    this.scripts.delete(run);
  }

  /**
   * Python asks for a line for run `run`. With `canSuspend` (stack switching works where Python
   * is), the answer is a promise Python waits for with `run_sync`; otherwise it blocks.
   */
  request(run: number | null, prompt: string, password: boolean, canSuspend: boolean): Promise<InputReply> | InputResult {
    const script = run === null ? undefined : this.scripts.get(run);
    if (script) {
      const line = script.shift();
      return line === undefined || line === null ? { eof: true } : { line };
    }
    const { buffer, url, onPage } = this.options;
    const channel = canSuspend ? 'message' : onPage ? null : buffer ? 'atomics' : url ? 'service-worker' : null;
    if (!channel) return { error: onPage ? NO_INPUT_ON_PAGE : NO_INPUT };
    const request = `${this.prefix}-${this.nextRequest++}`;
    if (channel === 'atomics') resetInputBuffer(buffer!);
    this.post({ type: 'input-request', id: run, prompt, password, channel, request });
    if (channel === 'message') return new Promise<InputReply>((resolve) => this.pending.set(request, resolve));
    if (channel === 'atomics') return waitForInputReply(buffer!);
    const endpoint = new URL(url!);
    endpoint.searchParams.set('request', request);
    // The service worker answers a request it held for a while with `retry` (a browser may end a
    // fetch that stays open too long); the request is then made again.
    for (;;) {
      const reply = JSON.parse((this.options.getSync ?? getSync)(endpoint.href)) as InputReply | { retry: true };
      if (!('retry' in reply)) return reply;
    }
  }

  /** The page answered request `request` on the `message` channel. */
  answer(request: string, reply: InputReply): void {
    const pending = this.pending.get(request);
    this.pending.delete(request);
    pending?.(reply);
  }
}
