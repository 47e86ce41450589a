import { expect } from '@esm-bundle/chai';
import { AbortedBeforeStart, RunQueue } from '../../runtime/page/queue.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('RunQueue', () => {
  it('runs tasks one at a time in FIFO order', async () => {
    const queue = new RunQueue();
    const log: string[] = [];
    const task = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => {
        log.push(`start ${name}`);
        setTimeout(() => {
          log.push(`end ${name}`);
          resolve(name);
        }, ms);
      });
    const results = await Promise.all([queue.enqueue(task('a', 20)), queue.enqueue(task('b', 1)), queue.enqueue(task('c', 5))]);
    expect(results).to.deep.equal(['a', 'b', 'c']);
    expect(log).to.deep.equal(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('goes on after a task fails', async () => {
    const queue = new RunQueue();
    const failed = queue.enqueue(() => Promise.reject(new Error('boom')));
    const next = queue.enqueue(async () => 'next');
    expect(await failed.catch((error: Error) => error.message)).to.equal('boom');
    expect(await next).to.equal('next');
  });

  it('skips a task aborted before its turn', async () => {
    const queue = new RunQueue();
    let release!: () => void;
    const first = queue.enqueue(() => new Promise<void>((resolve) => (release = resolve)));
    const abort = new AbortController();
    let ran = false;
    const second = queue.enqueue(async () => {
      ran = true;
    }, abort.signal);
    await tick();
    abort.abort();
    await tick();
    release();
    await first;
    const error = await second.catch((e: unknown) => e);
    expect(error).to.be.instanceOf(AbortedBeforeStart);
    expect(ran).to.equal(false);
  });
});
