/**
 * A FIFO queue that runs one task at a time, so the outputs of two runs never interleave.
 * A task whose signal is aborted before its turn is skipped.
 */
export class AbortedBeforeStart extends Error {
  override name = 'AbortedBeforeStart';
  constructor() {
    super('The task was cancelled before it started.');
  }
}

export class RunQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * Runs `task` after every task enqueued before it has settled. Rejects with
   * `AbortedBeforeStart` when `signal` is aborted before the task starts.
   */
  enqueue<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = (): Promise<T> => (signal?.aborted ? Promise.reject(new AbortedBeforeStart()) : task());
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
