/**
 * A run's time limit, counted while Python runs: it stops counting while the run waits for the
 * reader to answer `input()`. A browser timer waits at most 2^31 - 1 ms (about 24.8 days; a longer
 * delay fires at once): longer limits wait that long.
 */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export class TimeLimit {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private startedAt = 0;
  private remainingMs: number;

  constructor(
    readonly seconds: number,
    private readonly expire: () => void,
  ) {
    this.remainingMs = seconds * 1000;
  }

  /** Counts on. */
  start(): void {
    if (this.timer !== null) return;
    this.startedAt = performance.now();
    this.timer = setTimeout(this.expire, Math.min(this.remainingMs, LONGEST_TIMER_MS));
  }

  /** Stops counting, keeping the time left. */
  pause(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.remainingMs -= performance.now() - this.startedAt;
  }
}
