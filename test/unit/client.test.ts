import { expect } from '@esm-bundle/chai';
import { RuntimeClient, type ClientRunResult } from '../../runtime/page/client.js';
import type { RunResult } from '../../runtime/shared/protocol.js';
import { StandInWorker, type StandInBehaviour } from './stand-in-worker.js';

const boot = { indexURL: 'http://runtime.test/', packageURL: 'http://packages.test/', expectedVersion: 'test', stallTimeoutMs: 30_000 };
const request = (code: string, session = 'default') => ({ code, session, filename: `<cell ${code}>`, packages: [] });

/** A client whose workers are stand-ins, kept in `workers` in the order they were created. */
function clientWith(behaviour: StandInBehaviour = {}, options: { interruptBuffer?: Int32Array; interruptGraceMs?: number } = {}) {
  const workers: StandInWorker[] = [];
  const client = new RuntimeClient({
    boot,
    interruptBuffer: null,
    ...options,
    createEngine: () => (workers.push(new StandInWorker(behaviour)), workers.at(-1)!),
  });
  return { client, workers };
}

const errorOf = (result: ClientRunResult) => (result as RunResult).error;

/** Resolves once the worker has started running `code`. */
async function running(workers: StandInWorker[], code: string): Promise<void> {
  while (!workers.at(-1)?.ran.includes(code)) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('RuntimeClient', () => {
  it('creates the worker on the first run only, once for all runs', async () => {
    const { client, workers } = clientWith();
    expect(workers).to.have.length(0);
    expect(client.state).to.equal('idle');
    await Promise.all([client.run(request('a')), client.run(request('b'))]);
    expect(workers).to.have.length(1);
    expect(client.state).to.equal('ready');
    expect(workers[0]!.received.map((message) => message.type)).to.deep.equal(['boot', 'run', 'run']);
  });

  it('asks for a warm-up run only when the boot is a preload (no run asked for yet)', async () => {
    const bootOf = (worker: StandInWorker) => worker.received.find((message) => message.type === 'boot');
    const preloaded = clientWith();
    await preloaded.client.start();
    const warm = bootOf(preloaded.workers[0]!);
    expect(warm?.type === 'boot' && warm.options.warmUp).to.equal(true);
    // A run asked for right after start() (a cell's Run starts the runtime, then queues the run).
    const onRun = clientWith();
    void onRun.client.start();
    await onRun.client.run(request('a'));
    const cold = bootOf(onRun.workers[0]!);
    expect(cold?.type === 'boot' && cold.options.warmUp).to.equal(false);
  });

  it('posts no run before the previous run has its result, and routes each output to its own run', async () => {
    const { client, workers } = clientWith({ runMs: 20 });
    const outputs: Record<string, string[]> = { a: [], b: [], c: [] };
    const results = await Promise.all(
      ['a', 'b', 'c'].map((code) =>
        client.run(request(code), { onStream: (chunks) => outputs[code]!.push(...chunks.map(([name, text]) => `${name}:${text}`)) }),
      ),
    );
    expect(workers[0]!.maxInFlight).to.equal(1);
    expect(workers[0]!.ran).to.deep.equal(['a', 'b', 'c']);
    expect(outputs).to.deep.equal({
      a: ['stdout:a\n', 'stderr:end\n'],
      b: ['stdout:b\n', 'stderr:end\n'],
      c: ['stdout:c\n', 'stderr:end\n'],
    });
    expect(results.map((result) => result.status)).to.deep.equal(['done', 'done', 'done']);
  });

  it('routes output that a finished run’s task writes later to that run, never to the run executing now', async () => {
    const { client } = clientWith({ runMs: 1 });
    const outputs: Record<string, string[]> = { late: [], next: [] };
    const collect = (code: string) => ({
      onStream: (chunks: Array<[string, string]>) => outputs[code]!.push(...chunks.map(([, text]) => text)),
    });
    await client.run(request('late'), collect('late'));
    await client.run(request('next', 'other'), collect('next'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outputs).to.deep.equal({ late: ['late\n', 'end\n', 'late\n'], next: ['next\n', 'end\n'] });
  });

  it('asks the cell for input, answers Python, and replays the answers after a restart', async () => {
    const { client, workers } = clientWith();
    const token = {};
    const asked: string[] = [];
    const result = await client.run(
      request('ask 2'),
      {
        onInput: (ask) => {
          asked.push(ask.prompt);
          setTimeout(() => client.answerInput(token, { line: `answer ${asked.length}` }), 5);
        },
      },
      { token },
    );
    expect(asked).to.deep.equal(['line 1? ', 'line 2? ']);
    expect((result as RunResult).value).to.deep.equal({ 'text/plain': 'answer 1,answer 2' });
    // Stop restarts Python: the replay gets the same answers, without asking again.
    const loop = {};
    const looping = client.run(request('loop'), {}, { token: loop });
    await running(workers, 'loop');
    client.stop(loop);
    await looping;
    const replayed = workers[1]!.received.find((message) => message.type === 'run' && message.code === 'ask 2');
    expect(replayed && 'inputs' in replayed && replayed.inputs).to.deep.equal(['answer 1', 'answer 2']);
    expect(workers[1]!.asked).to.deep.equal([]);
  });

  it('stops a run waiting for input with KeyboardInterrupt, without a restart, even without isolation', async () => {
    const { client, workers } = clientWith();
    const token = {};
    let stopping = 0;
    const waiting = client.run(request('ask 1'), { onInput: () => client.stop(token), onStopping: () => stopping++ }, { token });
    const error = errorOf(await waiting)!;
    expect(error.type).to.equal('KeyboardInterrupt');
    expect(error.failure).to.equal(undefined);
    expect(error.traceback).to.match(/Stopped; the session's variables are kept\.\n$/);
    expect(stopping).to.equal(1);
    expect(workers).to.have.length(1);
    expect(client.stats).to.include({ restarts: 0, interrupts: 1 });
  });

  it('answers with the interrupt a request for input that comes after Stop (isolated page: no field, no restart)', async () => {
    const { client, workers } = clientWith({}, { interruptBuffer: new Int32Array(1), interruptGraceMs: 5000 });
    const token = {};
    let fields = 0;
    const result = await client.run(request('ask 1'), { onStarted: () => client.stop(token), onInput: () => fields++ }, { token });
    expect(errorOf(result)?.type).to.equal('KeyboardInterrupt');
    expect(fields, 'no field shown for a run being stopped').to.equal(0);
    expect(workers).to.have.length(1);
  });

  it('does not count the wait for the reader against the time limit', async () => {
    const { client } = clientWith();
    const token = {};
    const result = await client.run(
      request('ask 1'),
      { onInput: () => setTimeout(() => client.answerInput(token, { line: 'late' }), 300) },
      { token, timeoutSeconds: 0.1 },
    );
    expect(result.status).to.equal('done');
  });

  it('ends the input of a run nobody shows a field for', async () => {
    const { client } = clientWith();
    const result = await client.run(request('ask 1'));
    expect(errorOf(result)?.type).to.equal('EOFError');
  });

  it('reports boot progress to subscribers', async () => {
    const { client } = clientWith();
    const seen: number[] = [];
    client.onProgress((progress) => seen.push(progress.loaded ?? -1));
    await client.run(request('x'));
    expect(seen).to.deep.equal([10]);
  });

  it('turns a failed boot into a load failure for every waiting run, and retries afresh', async () => {
    const workers: StandInWorker[] = [];
    let fail = true;
    const client = new RuntimeClient({
      boot,
      interruptBuffer: null,
      createEngine: () => (workers.push(new StandInWorker(fail ? { bootError: 'wasm missing' } : {})), workers.at(-1)!),
    });
    const results = await Promise.all([client.run(request('a')), client.run(request('b'))]);
    for (const result of results) {
      expect(errorOf(result)?.failure).to.equal('load');
      expect(errorOf(result)?.message).to.contain('wasm missing');
    }
    expect(client.state).to.equal('failed');
    expect(workers[0]!.terminated).to.equal(true);
    fail = false;
    expect((await client.run(request('c'))).status).to.equal('done');
    expect(workers).to.have.length(2);
    const revalidated = workers[1]!.received[0]!;
    expect(revalidated.type === 'boot' && revalidated.options.revalidate).to.equal(true);
  });

  it('names the runtime when the worker script itself fails', async () => {
    const { client } = clientWith({ crashOnBoot: true });
    const result = await client.run(request('a'));
    expect(errorOf(result)?.failure).to.equal('load');
    expect(errorOf(result)?.message).to.contain('http://runtime.test/');
  });

  it('cancels a run aborted before its turn', async () => {
    const { client } = clientWith({ runMs: 20 });
    const abort = new AbortController();
    const first = client.run(request('a'));
    const second = client.run(request('b'), {}, { signal: abort.signal });
    abort.abort();
    expect((await first).status).to.equal('done');
    expect(await second).to.deep.equal({ status: 'cancelled', elapsedMs: 0 });
  });

  it('stops a run by restarting the worker and replaying the completed runs in order; queued runs go on', async () => {
    const { client, workers } = clientWith();
    await client.run(request('a = 1', 'one'));
    await client.run(request('raise ValueError', 'one'));
    await client.run(request('b = 2', 'two'));
    const token = {};
    const stopping: string[] = [];
    const looping = client.run(request('loop', 'one'), { onStopping: () => stopping.push('stopping') }, { token });
    const after = client.run(request('after'));
    await running(workers, 'loop');
    client.stop(token);
    const result = await looping;
    expect(stopping).to.deep.equal(['stopping']);
    expect(errorOf(result)?.failure).to.equal('stopped');
    expect(errorOf(result)?.type).to.equal('RunStopped');
    expect(errorOf(result)?.message).to.match(
      /^Stopped \(this page is not cross-origin isolated.*re-running 3 completed cell runs: <cell a = 1> \(session one\), <cell raise ValueError> \(session one\), <cell b = 2> \(session two\)\.$/,
    );
    expect(workers[0]!.terminated).to.equal(true);
    expect((await after).status).to.equal('done');
    expect(workers[1]!.ran).to.deep.equal(['a = 1', 'raise ValueError', 'b = 2', 'after']);
    expect(client.stats).to.include({ restarts: 1, replayedRuns: 3, interrupts: 0 });
  });

  it('replays past a Python exception of any name, including RuntimeError, and keeps the history whole', async () => {
    const { client, workers } = clientWith();
    for (const code of ['a = 1', 'raise RuntimeError', 'raise PackageLoadError', 'b = 2']) await client.run(request(code));
    for (const round of [1, 2]) {
      const token = {};
      const looping = client.run(request('loop'), {}, { token });
      await running(workers, 'loop');
      client.stop(token);
      const message = errorOf(await looping)!.message;
      expect(message, `round ${round}`).to.contain('re-running 4 completed cell runs');
      expect(message, `round ${round}`).not.to.contain('Restoring the sessions failed');
    }
    expect(workers[2]!.ran).to.deep.equal(['a = 1', 'raise RuntimeError', 'raise PackageLoadError', 'b = 2']);
  });

  it('interrupts in place where it can: KeyboardInterrupt with the reason, no restart, the run not replayed', async () => {
    const { client, workers } = clientWith({}, { interruptBuffer: new Int32Array(1), interruptGraceMs: 50 });
    await client.run(request('a = 1'));
    const token = {};
    const looping = client.run(request('loop'), {}, { token });
    await running(workers, 'loop');
    client.stop(token);
    const error = errorOf(await looping)!;
    expect(error.type).to.equal('KeyboardInterrupt');
    expect(error.failure).to.equal(undefined);
    expect(error.message).to.equal('Stopped');
    expect(error.traceback).to.match(/KeyboardInterrupt\nStopped; the session's variables are kept\.\n$/);
    expect(workers).to.have.length(1);
    expect(client.stats).to.include({ restarts: 0, interrupts: 1 });
    // A later restart replays what completed, not the interrupted run.
    const stuck = {};
    const stuckRun = client.run(request('stuck'), {}, { token: stuck });
    await running(workers, 'stuck');
    client.stop(stuck);
    expect(errorOf(await stuckRun)?.message).to.contain('Python did not respond to the interrupt');
    expect(workers[1]!.ran).to.deep.equal(['a = 1']);
  });

  it('gives Python that took the interrupt one more grace period to end the run, and no more', async () => {
    // Its end arrives after the grace period, as on a busy machine: still a KeyboardInterrupt in place.
    const slow = clientWith({ slowStopMs: 80 }, { interruptBuffer: new Int32Array(1), interruptGraceMs: 50 });
    const token = {};
    const slowRun = slow.client.run(request('slow to stop'), {}, { token });
    await running(slow.workers, 'slow to stop');
    slow.client.stop(token);
    expect(errorOf(await slowRun)?.type).to.equal('KeyboardInterrupt');
    expect(slow.workers).to.have.length(1);
    // Code that catches KeyboardInterrupt and goes on is replaced after the second period.
    const { client, workers } = clientWith({}, { interruptBuffer: new Int32Array(1), interruptGraceMs: 50 });
    const catcher = {};
    const started = performance.now();
    const catching = client.run(request('catches the interrupt'), {}, { token: catcher });
    await running(workers, 'catches the interrupt');
    client.stop(catcher);
    const error = errorOf(await catching)!;
    expect(error.failure).to.equal('stopped');
    expect(error.message).to.contain('Python did not end the run after the interrupt');
    expect(performance.now() - started).to.be.at.least(100);
    expect(workers).to.have.length(2);
  });

  it('stops a run at its time limit, counted from when Python starts it', async () => {
    const { client } = clientWith();
    const result = await client.run(request('loop'), {}, { timeoutSeconds: 0.05 });
    expect(errorOf(result)?.failure).to.equal('stopped');
    expect(errorOf(result)?.message).to.match(/^Stopped after 0\.05 s \(the cell's time limit\)/);
  });

  it('takes a time limit beyond what a timer can wait as the longest wait, not as none', async () => {
    const { client } = clientWith();
    for (const timeoutSeconds of [3_000_000, 1e12]) {
      expect((await client.run(request('quick'), {}, { timeoutSeconds })).status, String(timeoutSeconds)).to.equal('done');
    }
  });

  it('replaces an interpreter that crashed running a cell, and says so once the sessions are restored', async () => {
    const { client, workers } = clientWith();
    await client.run(request('a = 1'));
    const fatal = await client.run(request('fatal'));
    expect(errorOf(fatal)?.failure).to.equal('crashed');
    expect(errorOf(fatal)?.type).to.equal('PythonCrashed');
    expect(errorOf(fatal)?.message).to.equal(
      'Python crashed (RangeError: Maximum call stack size exceeded). Python was restarted and the sessions restored by re-running 1 completed cell run: <cell a = 1> (session default).',
    );
    expect(workers).to.have.length(2);
    expect((await client.run(request('next'))).status).to.equal('done');
    expect(workers).to.have.length(2);
    expect(workers[1]!.ran).to.deep.equal(['a = 1', 'next']);
  });

  it('ends the running run when the worker dies, restoring the sessions as after Stop', async () => {
    const { client, workers } = clientWith();
    await client.run(request('a = 1'));
    const crashed = await client.run(request('crash'));
    expect(errorOf(crashed)?.failure).to.equal('crashed');
    expect(errorOf(crashed)?.message).to.match(
      /^The Python worker crashed: out of memory\. Python was restarted and the sessions restored by re-running 1/,
    );
    expect((await client.run(request('next'))).status).to.equal('done');
    expect(workers[1]!.ran).to.deep.equal(['a = 1', 'next']);
  });

  it('restarts at once when Python crashes between runs, and does not replay into the same crash again', async () => {
    const { client, workers } = clientWith();
    await client.run(request('a = 1'));
    await client.run(request('fatal later')); // a task it started crashes Python after the run
    while (workers.length < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    // The first restart replayed both runs, and the replayed task crashed it again: the second
    // restart replays nothing.
    expect(workers[1]!.ran).to.deep.equal(['a = 1', 'fatal later']);
    expect((await client.run(request('next'))).status).to.equal('done');
    expect(workers[2]!.ran).to.deep.equal(['next']);
    expect(workers).to.have.length(3);
  });

  it('dispose() ends a boot under way: the waiting run fails instead of hanging', async () => {
    const { client, workers } = clientWith({ silentBoot: true });
    const waiting = client.run(request('a'));
    while (!workers[0]?.received.length) await new Promise((resolve) => setTimeout(resolve, 1));
    client.dispose();
    const result = await waiting;
    expect(errorOf(result)?.failure).to.equal('load');
    expect(errorOf(result)?.message).to.equal('The Python runtime was disposed.');
    expect(workers[0].terminated).to.equal(true);
  });

  it('dispose() terminates the worker and ends the run under way', async () => {
    const { client, workers } = clientWith();
    const looping = client.run(request('loop'));
    await running(workers, 'loop');
    client.dispose();
    expect(errorOf(await looping)?.failure).to.equal('crashed');
    expect(workers[0]!.terminated).to.equal(true);
    expect(client.state).to.equal('idle');
  });
});
