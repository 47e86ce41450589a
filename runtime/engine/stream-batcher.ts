/** Batches a run's standard output and error into few messages, flushed on a clock passed in. */
import type { StreamName } from '../shared/protocol.js';

export interface StreamBatcherOptions {
  /** Clock in milliseconds; a stand-in can be passed by tests. */
  now?: () => number;
  /** Schedules a callback; used to flush output written by code that yields to the event loop. */
  schedule?: (callback: () => void, ms: number) => unknown;
  /** Output written within this many ms of the previous flush is held back and batched. */
  intervalMs?: number;
  /** A batch holding this many characters is flushed at once. */
  maxChars?: number;
}

/**
 * Batches stdout/stderr writes so a chatty loop sends a few messages per second instead of one
 * per `print`, while keeping every write in order and sending output promptly when writes are
 * rare. Consecutive writes to the same stream are joined.
 *
 * While Python runs synchronously the worker's event loop is blocked, so a write is flushed at
 * once when the last flush is older than `intervalMs`; the timer only helps code that yields.
 */
export class StreamBatcher {
  private chunks: Array<[StreamName, string]> = [];
  private chars = 0;
  private lastFlush = -Infinity;
  private timer: unknown = null;
  private readonly now: () => number;
  private readonly schedule: (callback: () => void, ms: number) => unknown;
  private readonly intervalMs: number;
  private readonly maxChars: number;

  constructor(
    private readonly send: (chunks: Array<[StreamName, string]>) => void,
    options: StreamBatcherOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.schedule = options.schedule ?? ((callback, ms) => setTimeout(callback, ms));
    this.intervalMs = options.intervalMs ?? 16;
    this.maxChars = options.maxChars ?? 1 << 18;
  }

  write(name: StreamName, text: string): void {
    if (!text) return;
    const last = this.chunks[this.chunks.length - 1];
    if (last && last[0] === name) last[1] += text;
    else this.chunks.push([name, text]);
    this.chars += text.length;
    if (this.chars >= this.maxChars || this.now() - this.lastFlush >= this.intervalMs) {
      this.flush();
    } else if (this.timer === null) {
      this.timer = this.schedule(() => {
        this.timer = null;
        this.flush();
      }, this.intervalMs);
    }
  }

  /** Starts afresh (a new run): its first write is sent at once. */
  reset(): void {
    this.flush();
    this.lastFlush = -Infinity;
  }

  /**
   * Sends everything held back, if anything. With nothing held back it changes nothing: the next
   * write is sent at once if the last output went out long enough ago.
   */
  flush(): void {
    if (this.chunks.length === 0) return;
    this.lastFlush = this.now();
    const chunks = this.chunks;
    this.chunks = [];
    this.chars = 0;
    this.send(chunks);
  }
}
