import { expect } from '@esm-bundle/chai';
import { SessionHistory } from '../../runtime/page/history.js';
import { failure } from '../../runtime/shared/errors.js';
import type { RunRequest, RunResult } from '../../runtime/shared/protocol.js';

const request = (code: string): RunRequest => ({ code, session: 'default', filename: `<cell ${code}>`, packages: [] });
const done: RunResult = { status: 'done', elapsedMs: 1 };
const raised = (type: string): RunResult => ({ status: 'error', elapsedMs: 1, error: { type, message: '', traceback: '' } });

describe('SessionHistory', () => {
  it('keeps runs whose code ran to an end: done, or any Python exception', () => {
    const history = new SessionHistory();
    history.record(request('a'), { started: true, stopped: false, result: done });
    for (const type of ['RuntimeError', 'KeyboardInterrupt', 'RunStopped', 'PackageLoadError']) {
      history.record(request(type), { started: true, stopped: false, result: raised(type) });
    }
    expect(history.size).to.equal(5);
  });

  it('never keeps a stopped run, a run that never started, or one py-cell failed', () => {
    const history = new SessionHistory();
    history.record(request('stopped'), { started: true, stopped: true, result: raised('KeyboardInterrupt') });
    history.record(request('waiting'), {
      started: false,
      stopped: false,
      result: { status: 'error', elapsedMs: 0, error: failure('package', 'no') },
    });
    history.record(request('crashed'), {
      started: true,
      stopped: false,
      result: { status: 'error', elapsedMs: 0, error: failure('crashed', 'gone') },
    });
    expect(history.size).to.equal(0);
  });

  it("never keeps an exercise's attempt, which starts from a fresh namespace", () => {
    const history = new SessionHistory();
    history.record(
      { ...request('total = 52'), exercise: { setup: 'numbers = [3]', check: null } },
      { started: true, stopped: false, result: done },
    );
    expect(history.size).to.equal(0);
  });

  it('replays in order past Python exceptions and keeps every replayed run', async () => {
    const history = new SessionHistory();
    for (const code of ['a', 'b', 'c']) history.record(request(code), { started: true, stopped: false, result: done });
    const sent: string[] = [];
    const report = await history.replay(async (r) => (sent.push(r.code), r.code === 'b' ? raised('RuntimeError') : done));
    expect(sent).to.deep.equal(['a', 'b', 'c']);
    expect(report).to.deep.equal({ replayed: [request('a'), request('b'), request('c')], problem: null });
    expect(history.size).to.equal(3);
  });

  it('ends a replay at a failure of py-cell, saying why', async () => {
    const history = new SessionHistory();
    for (const code of ['a', 'b', 'c']) history.record(request(code), { started: true, stopped: false, result: done });
    const report = await history.replay(async (r) =>
      r.code === 'b' ? { status: 'error', elapsedMs: 0, error: failure('crashed', 'the worker died') } : done,
    );
    expect(report).to.deep.equal({ replayed: [request('a')], problem: 'the worker died' });
    expect(history.size).to.equal(1);
  });
});
