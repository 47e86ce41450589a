/**
 * The engine's downloads: one `fetch` that reports the bytes received as progress and gives up on
 * a download whose server goes silent, naming its URL. The worker installs it as its global
 * `fetch`, so Pyodide's own requests (runtime files, packages) go through it too.
 */
import { errorMessage } from '../shared/errors.js';

export interface DownloadsOptions {
  /** The network. */
  fetch: typeof fetch;
  /**
   * Bytes of `file` received so far: at most every 50 ms, and when the file is complete. The
   * files of the start (`plan`) are reported together, as `Python`: their bytes against their sum.
   */
  onProgress(file: string, loaded: number, total: number | undefined): void;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

/** How often progress is reported while bytes arrive. */
const PROGRESS_INTERVAL_MS = 50;
/** How long a prefetched file waits to be asked for before its bytes are let go (the HTTP cache may still have them). */
const PREFETCH_KEEP_MS = 10 * 60_000;

/**
 * What to do when a runtime file is not where py-cell looks: usually a bundler moved py-cell.js
 * away from `wasm-dist/`, or the site does not serve that folder.
 */
export const MOVED_HINT =
  ". Is py-cell's wasm-dist/ folder served there? If a bundler moved py-cell.js, or the site serves the folders elsewhere, " +
  "tell py-cell where they are: configure({ runtimeURL: '/…/wasm-dist/', workerURL: '/…/dist/py-cell-worker.js' })";

/** A GET with no range: what a prefetched file can answer. */
const plainGet = (input: RequestInfo | URL, init?: RequestInit) =>
  (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase() === 'GET' && !new Headers(init?.headers).has('range');

export class Downloads {
  /** A download that receives nothing (no headers, no bytes) for this long fails. Set at boot. */
  stallTimeoutMs: number | null = null;
  /** Revalidate every file with the server, so a failure the browser cached is not replayed. */
  revalidate = false;
  private lastProgress = -Infinity;
  private readonly now: () => number;
  /** The files of the start, by absolute URL: their size, and the bytes received of each. */
  private readonly planned = new Map<string, { bytes: number; decodedBytes: number; encoded: boolean; loaded: number }>();

  constructor(private readonly options: DownloadsOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The files the start downloads, with their sizes as the runtime's manifest lists them: from
   * now on their progress is one figure, all their bytes received against the sum of their sizes.
   * `decodedBytes` is a file's size when a server sends it encoded anyway (a gzip file served with
   * `Content-Encoding: gzip` arrives unpacked); a body is counted as it arrives, decoded.
   */
  plan(files: ReadonlyArray<{ url: string; bytes: number; decodedBytes?: number }>): void {
    for (const { url, bytes, decodedBytes } of files)
      this.planned.set(url, { bytes, decodedBytes: decodedBytes ?? bytes, encoded: false, loaded: 0 });
  }

  /** The start's bytes received, and their total (each file's size as it is being sent). */
  private startProgress(): [number, number] {
    let loaded = 0;
    let total = 0;
    for (const file of this.planned.values()) {
      const size = file.encoded ? file.decodedBytes : file.bytes;
      total += size;
      loaded += Math.min(file.loaded, size);
    }
    return [loaded, total];
  }

  /** Files downloaded ahead of their use (`prefetch`), by absolute URL, until a GET takes them. */
  private readonly early = new Map<string, { integrity: string | undefined; response: Promise<Response | null> }>();

  /**
   * Starts downloading `url` now, in full. The next plain GET of it (asking for the same
   * `integrity`) is answered with these bytes; if the prefetch failed, that GET goes to the network.
   */
  prefetch(url: string, integrity?: string): void {
    if (this.early.has(url)) return;
    const response = this.network(url, integrity ? { integrity } : {}).then(
      async (answer) =>
        answer.ok
          ? new Response(await answer.arrayBuffer(), { status: answer.status, statusText: answer.statusText, headers: answer.headers })
          : null,
      () => null,
    );
    this.early.set(url, { integrity, response });
    setTimeout(() => this.early.delete(url), PREFETCH_KEEP_MS);
  }

  /** `fetch`, with progress and stall detection on the response body; prefetched files are answered from memory. */
  readonly fetch: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const early = this.early.get(url);
    if (early && early.integrity === init?.integrity && plainGet(input, init)) {
      this.early.delete(url);
      const response = await early.response;
      if (response) return response;
    }
    return this.network(input, init);
  };

  private readonly network: typeof fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const abort = new AbortController();
    const watchdog = this.watchdog(url, abort);
    let response: Response;
    try {
      const cache: RequestInit = this.revalidate ? { cache: 'no-cache' } : {};
      response = await this.options.fetch(input, { ...cache, ...init, signal: abort.signal });
    } catch (error) {
      watchdog.stop();
      throw abort.signal.aborted ? abort.signal.reason : error;
    }
    if (!response.ok || !response.body) {
      watchdog.stop();
      return response;
    }
    const encoded = response.headers.get('content-encoding');
    const length = Number(response.headers.get('content-length'));
    const total = !encoded && length > 0 ? length : undefined;
    const file = url.slice(url.lastIndexOf('/') + 1);
    const planned = this.planned.get(url);
    if (planned) {
      planned.encoded = encoded !== null;
      planned.loaded = 0;
    }
    // The body is counted on a copy, and the caller gets the response itself: a response the
    // browser fetched keeps what a constructed one loses (Chromium keeps the compiled code of a
    // wasm file only for a response from its HTTP cache, so a copy would compile it every visit).
    const counted = response.clone().body;
    let loaded = 0;
    const count = async (reader: ReadableStreamDefaultReader<Uint8Array>) => {
      try {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          watchdog.touch();
          loaded += chunk.value.byteLength;
          if (planned) planned.loaded = loaded;
          const [startLoaded, startTotal] = planned ? this.startProgress() : [0, 0];
          const now = this.now();
          if (now - this.lastProgress > PROGRESS_INTERVAL_MS || loaded === total || (planned && startLoaded === startTotal)) {
            this.lastProgress = now;
            if (planned) this.options.onProgress('Python', startLoaded, startTotal);
            else this.options.onProgress(file, loaded, total);
          }
        }
      } catch {
        // The response itself fails the same way, and its reader reports it.
      } finally {
        watchdog.stop();
      }
    };
    // Read at once, so the network is pulled even while the response's reader waits (Pyodide
    // reads the stdlib only once the wasm is instantiated): a stall is the server's silence, not
    // the reader's.
    if (counted) void count(counted.getReader());
    return response;
  };

  /** Fetches and parses a JSON file; fails with its URL named, and the fix when the runtime is not served there. */
  async json<T>(url: string): Promise<T> {
    let response: Response;
    try {
      response = await this.fetch(url);
    } catch (error) {
      throw new Error(`Could not fetch ${url}: ${errorMessage(error)}`, { cause: error });
    }
    if (!response.ok) throw new Error(`Could not fetch ${url}: HTTP ${response.status}${MOVED_HINT}`);
    const text = await response.text();
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      // A site's fallback page answering for a file it does not have: the runtime is not there.
      if (/^\s*</.test(text))
        throw new Error(`${url} answered with an HTML page, not py-cell's runtime file${MOVED_HINT}`, { cause: error });
      throw new Error(`${url} is not JSON (${errorMessage(error)})`, { cause: error });
    }
  }

  /** Fails with the URL named when `url` is missing (a HEAD request). */
  async check(url: string): Promise<void> {
    let response: Response;
    try {
      response = await this.fetch(url, { method: 'HEAD' });
    } catch (error) {
      throw new Error(`Could not reach ${url}: ${errorMessage(error)}`, { cause: error });
    }
    if (!response.ok) throw new Error(`Could not load ${url}: HTTP ${response.status}`);
  }

  /** Aborts the download when nothing arrives for `stallTimeoutMs`; `touch` on every sign of life. */
  private watchdog(url: string, abort: AbortController): { touch(): void; stop(): void } {
    const limit = this.stallTimeoutMs;
    if (limit === null) return { touch: () => undefined, stop: () => undefined };
    const expire = () => abort.abort(new Error(`No data from ${url} for ${Math.round(limit / 1000)} s: the server does not answer.`));
    let timer = setTimeout(expire, limit);
    return {
      touch: () => {
        clearTimeout(timer);
        timer = setTimeout(expire, limit);
      },
      stop: () => clearTimeout(timer),
    };
  }
}
