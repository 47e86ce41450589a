import { expect } from '@esm-bundle/chai';
import { RuntimeClient, type WorkerLike } from '../../runtime/client.js';
import type { FromEngine, ToEngine } from '../../runtime/protocol.js';

/** A stand-in worker: answers boot and run requests the way the engine does. */
class FakeWorker implements WorkerLike {
  readonly received: ToEngine[] = [];
  private messageListeners: Array<(event: MessageEvent) => void> = [];
  private errorListeners: Array<(event: Event) => void> = [];
  terminated = false;
  constructor(private readonly behaviour: { bootError?: string; crashOnBoot?: boolean; runMs?: number } = {}) {}

  addEventListener(type: string, listener: (event: never) => void): void {
    if (type === 'message') this.messageListeners.push(listener as (event: MessageEvent) => void);
    if (type === 'error') this.errorListeners.push(listener as (event: Event) => void);
  }

  emit(message: FromEngine): void {
    for (const listener of this.messageListeners) listener(new MessageEvent('message', { data: message }));
  }

  postMessage(message: ToEngine): void {
    this.received.push(message);
    setTimeout(() => {
      if (message.type === 'boot') {
        if (this.behaviour.crashOnBoot) {
          for (const listener of this.errorListeners) listener(new ErrorEvent('error', { message: 'script failed' }));
        } else if (this.behaviour.bootError) {
          this.emit({ type: 'boot-error', message: this.behaviour.bootError });
        } else {
          this.emit({ type: 'progress', progress: { stage: 'download', loaded: 10, total: 100 } });
          this.emit({ type: 'ready', version: 'test' });
        }
      } else if (message.type === 'run') {
        this.emit({ type: 'started', id: message.id });
        this.emit({ type: 'stream', id: message.id, chunks: [['stdout', `${message.code}\n`]] });
        setTimeout(() => {
          this.emit({ type: 'stream', id: message.id, chunks: [['stderr', 'end\n']] });
          this.emit({ type: 'result', id: message.id, status: 'done', elapsedMs: 1, value: { 'text/plain': message.code } });
        }, this.behaviour.runMs ?? 5);
      }
    }, 1);
  }

  terminate(): void {
    this.terminated = true;
  }
}

const boot = { indexURL: 'http://runtime.test/', packageURL: 'http://packages.test/', expectedVersion: 'test' };
const request = (code: string) => ({ code, session: 'default', filename: '<cell 1>', packages: [] });

describe('RuntimeClient', () => {
  it('creates the worker on the first run only, once for all runs', async () => {
    const workers: FakeWorker[] = [];
    const client = new RuntimeClient({ boot, createWorker: () => (workers.push(new FakeWorker()), workers.at(-1)!) });
    expect(workers).to.have.length(0);
    expect(client.state).to.equal('idle');
    await Promise.all([client.run(request('a')), client.run(request('b'))]);
    expect(workers).to.have.length(1);
    expect(client.state).to.equal('ready');
    expect(workers[0]!.received.map((message) => message.type)).to.deep.equal(['boot', 'run', 'run']);
  });

  it('sends one run at a time and routes each output to its own run', async () => {
    const worker = new FakeWorker({ runMs: 20 });
    const client = new RuntimeClient({ boot, createWorker: () => worker });
    const outputs: Record<string, string[]> = { a: [], b: [], c: [] };
    const order: string[] = [];
    const results = await Promise.all(
      ['a', 'b', 'c'].map((code) =>
        client.run(request(code), {
          onStarted: () => order.push(code),
          onStream: (chunks) => outputs[code]!.push(...chunks.map(([name, text]) => `${name}:${text}`)),
        }),
      ),
    );
    expect(order).to.deep.equal(['a', 'b', 'c']);
    expect(outputs).to.deep.equal({
      a: ['stdout:a\n', 'stderr:end\n'],
      b: ['stdout:b\n', 'stderr:end\n'],
      c: ['stdout:c\n', 'stderr:end\n'],
    });
    expect(results.map((result) => result.status)).to.deep.equal(['done', 'done', 'done']);
    // The second run was only sent after the first one's result.
    const runIds = worker.received.filter((message) => message.type === 'run').map((message) => (message as { id: number }).id);
    expect(runIds).to.deep.equal([1, 2, 3]);
  });

  it('reports boot progress to subscribers', async () => {
    const client = new RuntimeClient({ boot, createWorker: () => new FakeWorker() });
    const seen: number[] = [];
    client.onProgress((progress) => seen.push(progress.loaded ?? -1));
    await client.run(request('x'));
    expect(seen).to.deep.equal([10]);
  });

  it('turns a failed boot into an error result for every waiting run, and retries afresh', async () => {
    const workers: FakeWorker[] = [];
    let fail = true;
    const client = new RuntimeClient({
      boot,
      createWorker: () => (workers.push(new FakeWorker(fail ? { bootError: 'wasm missing' } : {})), workers.at(-1)!),
    });
    const results = await Promise.all([client.run(request('a')), client.run(request('b'))]);
    for (const result of results) {
      expect(result.status).to.equal('error');
      expect(result.status === 'error' && result.error?.message).to.contain('wasm missing');
    }
    expect(client.state).to.equal('failed');
    expect(workers[0]!.terminated).to.equal(true);
    fail = false;
    const retry = await client.run(request('c'));
    expect(retry.status).to.equal('done');
    expect(workers).to.have.length(2);
  });

  it('names the runtime when the worker script itself fails', async () => {
    const client = new RuntimeClient({ boot, createWorker: () => new FakeWorker({ crashOnBoot: true }) });
    const result = await client.run(request('a'));
    expect(result.status).to.equal('error');
    expect(result.status === 'error' && result.error?.message).to.contain('http://runtime.test/');
  });

  it('cancels a run aborted before its turn', async () => {
    const client = new RuntimeClient({ boot, createWorker: () => new FakeWorker({ runMs: 20 }) });
    const abort = new AbortController();
    const first = client.run(request('a'));
    const second = client.run(request('b'), {}, abort.signal);
    abort.abort();
    expect((await first).status).to.equal('done');
    expect(await second).to.deep.equal({ status: 'cancelled', elapsedMs: 0 });
  });
});
