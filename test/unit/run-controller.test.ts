import { expect } from '@esm-bundle/chai';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClientRunResult, RunHandlers } from '../../runtime/page/client.js';
import type { InputReply, RunRequest } from '../../runtime/shared/protocol.js';
import { RunController, STREAM_RENDER_MS, type RuntimeLike } from '../../components/controllers/run-controller.js';

class Host implements ReactiveControllerHost {
  updates = 0;
  addController(_controller: ReactiveController): void {}
  removeController(_controller: ReactiveController): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

/** A stand-in runtime whose runs the test finishes by hand. */
class StandInRuntime implements RuntimeLike {
  state: RuntimeLike['state'] = 'idle';
  calls: Array<{ request: RunRequest; handlers: RunHandlers; finish: (result: ClientRunResult) => void }> = [];
  signals: AbortSignal[] = [];
  run(request: RunRequest, handlers: RunHandlers = {}, options: { signal?: AbortSignal } = {}): Promise<ClientRunResult> {
    if (options.signal) this.signals.push(options.signal);
    return new Promise((resolve) => this.calls.push({ request, handlers, finish: resolve }));
  }
  onProgress(): () => void {
    return () => undefined;
  }
  stopped: object[] = [];
  stop(token: object): void {
    this.stopped.push(token);
  }
  released: object[] = [];
  release(owner: object): void {
    this.released.push(owner);
  }
  answers: InputReply[] = [];
  answerInput(_token: object | undefined, reply: InputReply): void {
    this.answers.push(reply);
  }
}

const request = (code: string): RunRequest => ({ code, session: 'default', filename: '<cell 1>', packages: [] });

describe('RunController', () => {
  it('goes loading -> running -> done and collects outputs in order', async () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const statuses: string[] = [];
    const done = controller.run(request('print(1)'));
    statuses.push(controller.status);
    const call = runtime.calls[0]!;
    call.handlers.onStarted!();
    statuses.push(controller.status);
    call.handlers.onStream!([['stdout', '1\n']]);
    call.handlers.onStream!([
      ['stdout', '2\n'],
      ['stderr', 'oops\n'],
    ]);
    call.finish({ status: 'done', elapsedMs: 3, value: { 'text/plain': '42' } });
    const result = await done;
    statuses.push(controller.status);
    expect(statuses).to.deep.equal(['loading', 'running', 'done']);
    expect(result).to.deep.equal({ status: 'done', elapsedMs: 3 });
    expect(controller.outputs).to.deep.equal([
      { kind: 'stream', name: 'stdout', text: '1\n2\n' },
      { kind: 'stream', name: 'stderr', text: 'oops\n' },
      { kind: 'result', bundle: { 'text/plain': '42' } },
    ]);
  });

  it("renders a run's first output at once, and a flood after it at most every STREAM_RENDER_MS", async () => {
    const runtime = new StandInRuntime();
    runtime.state = 'ready';
    const host = new Host();
    const controller = new RunController(host, () => runtime);
    const done = controller.run(request('print(1)'));
    const call = runtime.calls[0]!;
    call.handlers.onStarted!();
    call.handlers.onStream!([['stdout', 'first\n']]);
    expect(controller.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: 'first\n' }]);
    const updates = host.updates;
    for (let i = 0; i < 50; i++) call.handlers.onStream!([['stdout', `${i}\n`]]);
    expect(controller.outputs).to.have.length(1);
    expect((controller.outputs[0] as { text: string }).text).to.equal('first\n');
    expect(host.updates).to.equal(updates);
    await new Promise((resolve) => setTimeout(resolve, STREAM_RENDER_MS + 20));
    expect((controller.outputs[0] as { text: string }).text.split('\n')).to.have.length(52);
    expect(host.updates).to.equal(updates + 1);
    call.finish({ status: 'done', elapsedMs: 1 });
    await done;
  });

  it('takes a flood of 20,000 displays in a few renders, keeping the first of them in order (issue 21)', async () => {
    const runtime = new StandInRuntime();
    runtime.state = 'ready';
    const host = new Host();
    const controller = new RunController(host, () => runtime);
    const done = controller.run(request('for i in range(20_000): pycell.display(i)'));
    const call = runtime.calls[0]!;
    call.handlers.onStarted!();
    const updates = host.updates;
    const start = performance.now();
    for (let i = 0; i < 20_000; i++) call.handlers.onDisplay!({ 'text/plain': String(i) });
    expect(performance.now() - start, 'the page is not blocked by the flood').to.be.below(500);
    expect(host.updates - updates, 'the first display renders at once, the rest wait').to.equal(1);
    call.finish({ status: 'done', elapsedMs: 1 });
    await done;
    const displays = controller.outputs.filter((item) => item.kind === 'display');
    expect(displays).to.have.length(1000);
    expect(displays[999]).to.deep.equal({ kind: 'display', bundle: { 'text/plain': '999' } });
    expect(controller.outputs.at(-1)).to.deep.equal({ kind: 'displays-hidden', count: 19_000 });
  });

  it('starts as running when the runtime is ready, and reports errors', async () => {
    const runtime = new StandInRuntime();
    runtime.state = 'ready';
    const controller = new RunController(new Host(), () => runtime);
    const done = controller.run(request('1/0'));
    expect(controller.status).to.equal('running');
    const error = { type: 'ZeroDivisionError', message: 'division by zero', traceback: 'Traceback...', line: 1 };
    runtime.calls[0]!.finish({ status: 'error', elapsedMs: 1, error });
    expect(await done).to.deep.equal({ status: 'error', elapsedMs: 1, error });
    expect(controller.status).to.equal('error');
    expect(controller.outputs.at(-1)).to.deep.equal({ kind: 'error', error });
  });

  it('joins a second request to a run that has not started, with the newer code', async () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const first = controller.run(request('old'));
    const second = controller.run(request('new'));
    expect(second).to.equal(first);
    expect(runtime.calls).to.have.length(1);
    expect(runtime.calls[0]!.request.code).to.equal('new');
    runtime.calls[0]!.finish({ status: 'done', elapsedMs: 0 });
    await first;
  });

  it('never joins edited code to a waiting trusted run: that run is cancelled, the new one goes to the plain runtime', async () => {
    const trustedRuntime = new StandInRuntime();
    const plainRuntime = new StandInRuntime();
    const controller = new RunController(new Host(), (trusted) => (trusted ? trustedRuntime : plainRuntime));
    void controller.run(request('author'), null, true);
    expect(controller.trusted).to.equal(true);
    expect(trustedRuntime.calls[0]!.request.code).to.equal('author');
    void controller.run(request('edited'), null, false);
    expect(trustedRuntime.calls.map((call) => call.request.code)).to.deep.equal(['author']);
    expect(plainRuntime.calls.map((call) => call.request.code)).to.deep.equal(['edited']);
    expect(controller.trusted, 'the outputs shown now are the plain run’s').to.equal(false);
    expect(trustedRuntime.signals[0]?.aborted, 'the waiting trusted run is cancelled').to.equal(true);
  });

  it('queues a new run behind a running one; the stale run’s output is left out, with a note', async () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const first = controller.run(request('a'));
    runtime.calls[0]!.handlers.onStarted!();
    const second = controller.run(request('b'));
    expect(runtime.calls).to.have.length(2);
    runtime.calls[0]!.handlers.onStream!([['stdout', 'stale']]);
    runtime.calls[0]!.handlers.onDisplay!({ 'text/plain': 'stale too' });
    runtime.calls[0]!.finish({ status: 'done', elapsedMs: 1, value: { 'text/plain': 'stale' } });
    await first;
    expect(controller.outputs).to.deep.equal([{ kind: 'left-out' }]);
    runtime.calls[1]!.handlers.onStarted!();
    runtime.calls[1]!.handlers.onStream!([['stdout', 'fresh']]);
    runtime.calls[1]!.finish({ status: 'done', elapsedMs: 1 });
    await second;
    expect(controller.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: 'fresh' }]);
    expect(controller.status).to.equal('done');
  });

  it('keeps a finished run’s late output (a task it started) in the cell until the cell runs again', async () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const first = controller.run(request('start a task'));
    const { handlers } = runtime.calls[0]!;
    handlers.onStarted!();
    runtime.calls[0]!.finish({ status: 'done', elapsedMs: 1 });
    await first;
    handlers.onStream!([['stdout', 'tick 1\n']]);
    handlers.onDisplay!({ 'text/plain': 'shown later' });
    // The display came within the render window of the stream: it renders with the next batch.
    await new Promise((resolve) => setTimeout(resolve, STREAM_RENDER_MS + 20));
    expect(controller.outputs).to.deep.equal([
      { kind: 'stream', name: 'stdout', text: 'tick 1\n' },
      { kind: 'display', bundle: { 'text/plain': 'shown later' } },
    ]);
    expect(controller.status).to.equal('done');
    const second = controller.run(request('again'));
    runtime.calls[1]!.handlers.onStarted!();
    handlers.onStream!([['stdout', 'tick 2\n']]);
    handlers.onStream!([['stdout', 'tick 3\n']]);
    runtime.calls[1]!.handlers.onStream!([['stdout', 'mine\n']]);
    runtime.calls[1]!.finish({ status: 'done', elapsedMs: 1 });
    await second;
    expect(controller.outputs).to.deep.equal([{ kind: 'left-out' }, { kind: 'stream', name: 'stdout', text: 'mine\n' }]);
  });

  it('shows a field for input(), echoes the line after the prompt, and answers the runtime', async () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const done = controller.run(request('input()'));
    const { handlers, finish } = runtime.calls[0]!;
    handlers.onStarted!();
    handlers.onStream!([['stdout', 'Name? ']]);
    handlers.onInput!({ type: 'input-request', id: 1, prompt: 'Name? ', password: false, channel: 'message', request: 'r-1' });
    expect(controller.input).to.deep.equal({ prompt: 'Name? ', password: false });
    expect(controller.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: 'Name? ' }]);
    controller.answer('Ada');
    expect(controller.input).to.equal(null);
    expect(controller.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: 'Name? Ada\n' }]);
    handlers.onInput!({ type: 'input-request', id: 1, prompt: 'Password: ', password: true, channel: 'message', request: 'r-2' });
    controller.answer('secret');
    handlers.onInput!({ type: 'input-request', id: 1, prompt: '', password: false, channel: 'message', request: 'r-3' });
    controller.answer(null);
    expect(runtime.answers).to.deep.equal([{ line: 'Ada' }, { line: 'secret' }, { eof: true }]);
    expect(controller.outputs).to.deep.equal([{ kind: 'stream', name: 'stdout', text: 'Name? Ada\n\n\n' }]);
    finish({ status: 'done', elapsedMs: 1 });
    await done;
  });

  it('ends the input of a stale run: the newer run waits behind it', async () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    void controller.run(request('a'));
    runtime.calls[0]!.handlers.onStarted!();
    void controller.run(request('b'));
    runtime.calls[0]!.handlers.onInput!({
      type: 'input-request',
      id: 1,
      prompt: '? ',
      password: false,
      channel: 'message',
      request: 'r-1',
    });
    expect(controller.input).to.equal(null);
    expect(runtime.answers).to.deep.equal([{ eof: true }]);
  });

  it('run again, or removed, while the field waits: the waiting run is interrupted and the field goes', () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const ask = { type: 'input-request', id: 1, prompt: '? ', password: false, channel: 'message', request: 'r-1' } as const;
    void controller.run(request('a'));
    runtime.calls[0]!.handlers.onStarted!();
    runtime.calls[0]!.handlers.onInput!(ask);
    expect(controller.input).to.deep.equal({ prompt: '? ', password: false });
    void controller.run(request('a again'));
    expect(controller.input).to.equal(null);
    expect(runtime.answers).to.deep.equal([{ interrupt: true }]);
    runtime.calls[1]!.handlers.onStarted!();
    runtime.calls[1]!.handlers.onInput!({ ...ask, id: 2, request: 'r-2' });
    controller.abandonInput(); // the cell was removed
    expect(controller.input).to.equal(null);
    expect(runtime.answers).to.deep.equal([{ interrupt: true }, { interrupt: true }]);
    controller.abandonInput();
    expect(runtime.answers, 'nothing to end any more').to.have.length(2);
  });

  it('shows a failure without running anything', () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const error = { type: 'ValueError', message: 'bad', traceback: 'ValueError: bad' };
    expect(controller.fail(error)).to.deep.equal({ status: 'error', elapsedMs: 0, error });
    expect(controller.status).to.equal('error');
    expect(runtime.calls).to.have.length(0);
  });
});

describe('RunController with outputs computed when the page was built', () => {
  it('shows them until the first run, which replaces them; never after a run', () => {
    const runtime = new StandInRuntime();
    const controller = new RunController(new Host(), () => runtime);
    const stored = [{ kind: 'stream' as const, name: 'stdout' as const, text: 'stored\n' }];
    controller.showPrerendered(stored);
    expect(controller.prerendered).to.equal(true);
    expect(controller.outputs).to.deep.equal(stored);
    expect(controller.status).to.equal('idle');
    void controller.run(request('print(1)'));
    expect(controller.prerendered).to.equal(false);
    expect(controller.outputs).to.deep.equal([]);
    runtime.calls[0]!.finish({ status: 'done', elapsedMs: 1 });
    controller.showPrerendered(stored);
    expect(controller.prerendered, 'not after a run').to.equal(false);
  });

  it('does not show them after an error shown without a run (an invalid attribute)', () => {
    const controller = new RunController(new Host(), () => new StandInRuntime());
    controller.fail({ type: 'InvalidAttribute', message: 'bad', traceback: 'bad', failure: 'attribute' });
    controller.showPrerendered([{ kind: 'stream', name: 'stdout', text: 'stored\n' }]);
    expect(controller.prerendered).to.equal(false);
    expect(controller.outputs.map((item) => item.kind)).to.deep.equal(['error']);
  });
});
