/**
 * A FIFO queue that runs one task at a time, so the outputs of two runs never interleave.
 * A task whose signal is aborted before its turn is skipped.
 */
export class AbortedBeforeStart extends Error {
  constructor() {
    super('The task was cancelled before it started.');
    this.name = 'AbortedBeforeStart';
  }
}

export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private active = false;

  /** Tasks waiting for their turn (not counting the running one). */
  get size(): number {
    return this.waiting;
  }

  /** Whether a task is running now. */
  get busy(): boolean {
    return this.active;
  }

  /**
   * Runs `task` after every task enqueued before it has settled. Rejects with
   * `AbortedBeforeStart` when `signal` is aborted before the task starts.
   */
  enqueue<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.waiting++;
    const run = async (): Promise<T> => {
      this.waiting--;
      if (signal?.aborted) throw new AbortedBeforeStart();
      this.active = true;
      try {
        return await task();
      } finally {
        this.active = false;
      }
    };
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
