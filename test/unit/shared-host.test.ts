import { expect } from '@esm-bundle/chai';
import { SharedHost, type SharedEngine } from '../../runtime/engine/hosts/shared-host.js';
import type { FromEngine, RunRequest, ToEngine } from '../../runtime/shared/protocol.js';

/** An engine that records what it is asked; the test answers for it through `host.fromEngine`. */
class StandInEngine implements SharedEngine {
  readonly handled: ToEngine[] = [];
  readonly forgotten: string[] = [];
  handle(message: ToEngine): void {
    this.handled.push(message);
  }
  forget(sessions: Iterable<string>): void {
    this.forgotten.push(...sessions);
  }
  /** The runs sent so far, as the engine saw them. */
  get runs(): Array<Extract<ToEngine, { type: 'run' }>> {
    return this.handled.filter((message): message is Extract<ToEngine, { type: 'run' }> => message.type === 'run');
  }
}

const BOOT = { indexURL: 'x', packageURL: 'y', expectedVersion: 'z', stallTimeoutMs: 1000 };
const request = (code: string, session = 'default'): RunRequest => ({ code, session, filename: '<cell 1>', packages: [] });

function setUp() {
  const host = new SharedHost();
  const engine = new StandInEngine();
  host.attach(engine);
  const page = () => {
    const heard: FromEngine[] = [];
    const send = host.connect({ postMessage: (message) => heard.push(message) });
    return { heard, send };
  };
  return { host, engine, page };
}

describe('SharedHost (a shared runtime, one engine for many pages)', () => {
  it('boots once; a page that connects later joins without a boot of its own', () => {
    const { host, engine, page } = setUp();
    const first = page();
    first.send({ type: 'boot', options: BOOT });
    host.fromEngine({ type: 'progress', progress: { stage: 'start' } });
    host.fromEngine({ type: 'ready', version: '1', timings: { wasm: 5 } });
    const second = page();
    second.send({ type: 'boot', options: BOOT });
    expect(engine.handled.filter((message) => message.type === 'boot')).to.have.length(1);
    expect(first.heard).to.deep.equal([
      { type: 'progress', progress: { stage: 'start' } },
      { type: 'ready', version: '1', timings: { wasm: 5 } },
    ]);
    expect(second.heard).to.deep.equal([{ type: 'ready', version: '1', timings: {}, joined: true }]);
  });

  it("sends runs one at a time in the order they came, in each page's own sessions, and answers with the page's ids", () => {
    const { host, engine, page } = setUp();
    const [one, two] = [page(), page()];
    one.send({ type: 'run', id: 1, ...request('a = 1') });
    two.send({ type: 'run', id: 1, ...request('a = 2') });
    expect(engine.runs.map((run) => run.code)).to.deep.equal(['a = 1']);
    const [first] = engine.runs;
    host.fromEngine({ type: 'stream', id: first!.id, chunks: [['stdout', 'out']] });
    host.fromEngine({ type: 'result', id: first!.id, status: 'done', elapsedMs: 1 });
    expect(engine.runs.map((run) => run.code)).to.deep.equal(['a = 1', 'a = 2']);
    const sessions = engine.runs.map((run) => run.session);
    expect(sessions[0]).to.not.equal(sessions[1]);
    expect(sessions.every((session) => session.endsWith('/default'))).to.equal(true);
    expect(one.heard).to.deep.equal([
      { type: 'stream', id: 1, chunks: [['stdout', 'out']] },
      { type: 'result', id: 1, status: 'done', elapsedMs: 1 },
    ]);
    expect(two.heard).to.deep.equal([]);
  });

  it('cancels a run that waits, not one under way', () => {
    const { engine, page } = setUp();
    const [one, two] = [page(), page()];
    one.send({ type: 'run', id: 4, ...request('while True: pass') });
    two.send({ type: 'run', id: 9, ...request('print(1)') });
    one.send({ type: 'cancel', id: 4 });
    two.send({ type: 'cancel', id: 9 });
    expect(one.heard).to.deep.equal([]);
    expect(two.heard).to.have.length(1);
    expect(two.heard[0]).to.include({ type: 'result', id: 9, status: 'error' });
    expect(engine.runs).to.have.length(1);
  });

  it("drops a page that leaves: its waiting runs, its sessions' globals, its late output", () => {
    const { host, engine, page } = setUp();
    const [one, two] = [page(), page()];
    one.send({ type: 'run', id: 1, ...request('x = 1', 'lesson') });
    const [running] = engine.runs;
    one.send({ type: 'run', id: 2, ...request('x') });
    one.send({ type: 'detach' });
    two.send({ type: 'run', id: 1, ...request('y = 1') });
    host.fromEngine({ type: 'result', id: running!.id, status: 'done', elapsedMs: 1 });
    expect(engine.runs.map((run) => run.code)).to.deep.equal(['x = 1', 'y = 1']);
    expect(engine.forgotten.sort()).to.deep.equal([running!.session, running!.session.replace('lesson', 'default')].sort());
    expect(one.heard).to.deep.equal([]);
  });

  it('tells every page when the interpreter dies, and a page that connects after', () => {
    const { host, engine, page } = setUp();
    const [one, two] = [page(), page()];
    one.send({ type: 'run', id: 3, ...request('import os; os.abort()') });
    host.fromEngine({ type: 'result', id: engine.runs[0]!.id, fatal: true, status: 'error', elapsedMs: 0 });
    expect(one.heard.map((message) => message.type)).to.deep.equal(['result']);
    expect(two.heard).to.deep.equal([{ type: 'fatal', message: 'the interpreter died' }]);
    const later = page();
    later.send({ type: 'boot', options: BOOT });
    expect(later.heard).to.deep.equal([{ type: 'fatal', message: 'the interpreter died' }]);
    two.send({ type: 'run', id: 1, ...request('print(1)') });
    expect(two.heard.at(-1), 'a run sent to a dead engine hears it, never waits').to.deep.equal({
      type: 'fatal',
      message: 'the interpreter died',
    });
    expect(engine.runs).to.have.length(1);
  });

  it("answers end of input for a task's request that no run owns", () => {
    const { host, engine } = setUp();
    host.fromEngine({ type: 'input-request', id: null, prompt: '', password: false, channel: 'message', request: 'r1' });
    expect(engine.handled).to.deep.equal([{ type: 'input-reply', request: 'r1', reply: { eof: true } }]);
  });
});
