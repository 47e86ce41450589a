import { expect } from '@esm-bundle/chai';
import { TimeLimit } from '../../runtime/page/time-limit.js';
import { NO_INPUT, NO_INPUT_ON_PAGE, StandardInput } from '../../runtime/engine/input.js';
import { resetInputBuffer, waitForInputReply, writeInputReply } from '../../runtime/shared/input-buffer.js';
import type { FromEngine, InputReply } from '../../runtime/shared/protocol.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('standard input, engine side', () => {
  it('suspends on a promise the page answers by message, after telling the page what it asks', async () => {
    const posted: FromEngine[] = [];
    const input = new StandardInput((message) => posted.push(message));
    const answer = input.request(7, 'Name? ', false, true) as Promise<InputReply>;
    const request = (posted[0] as { request: string }).request;
    expect(posted).to.deep.equal([{ type: 'input-request', id: 7, prompt: 'Name? ', password: false, channel: 'message', request }]);
    expect(request).to.match(/^[0-9a-z]+-1$/);
    input.answer(request, { line: 'Ada' });
    expect(await answer).to.deep.equal({ line: 'Ada' });
  });

  it('answers each request by its name: a task and a run may both wait', async () => {
    const posted: FromEngine[] = [];
    const input = new StandardInput((message) => posted.push(message));
    const task = input.request(1, 'task? ', false, true) as Promise<InputReply>;
    const run = input.request(2, 'run? ', false, true) as Promise<InputReply>;
    const [first, second] = posted.map((message) => (message as { request: string }).request) as [string, string];
    input.answer(second, { line: 'for the run' });
    input.answer(first, { eof: true });
    input.answer(first, { line: 'answered twice: ignored' });
    expect(await run).to.deep.equal({ line: 'for the run' });
    expect(await task).to.deep.equal({ eof: true });
  });

  it('answers a replayed run from what it was told the first time, then with the end of input', () => {
    const posted: FromEngine[] = [];
    const input = new StandardInput((message) => posted.push(message));
    input.script(3, ['one', null, 'three']);
    expect([1, 2, 3, 4].map(() => input.request(3, '', false, true))).to.deep.equal([
      { line: 'one' },
      { eof: true },
      { line: 'three' },
      { eof: true },
    ]);
    expect(posted).to.deep.equal([]);
    input.end(3);
  });

  it('asks py-cell’s service worker with a blocking request where Python cannot suspend', () => {
    const asked: string[] = [];
    const input = new StandardInput(() => undefined, {
      buffer: null,
      url: 'http://page.test/__py-cell-input__',
      getSync: (url) => (asked.push(url), JSON.stringify({ line: 'from the service worker' })),
    });
    expect(input.request(1, 'x? ', true, false)).to.deep.equal({ line: 'from the service worker' });
    expect(asked).to.have.length(1);
    expect(asked[0]).to.match(/^http:\/\/page\.test\/__py-cell-input__\?request=[0-9a-z]+-1$/);
  });

  it('asks the service worker again when it answers `retry` (a request held too long)', () => {
    const replies = [{ retry: true }, { retry: true }, { line: 'after a long think' }];
    const input = new StandardInput(() => undefined, {
      buffer: null,
      url: 'http://page.test/__py-cell-input__',
      getSync: () => JSON.stringify(replies.shift()),
    });
    expect(input.request(1, '', false, false)).to.deep.equal({ line: 'after a long think' });
    expect(replies).to.deep.equal([]);
  });

  it('names its requests apart from those of other engines (the service worker serves every tab)', () => {
    const names = [1, 2].map(() => {
      const posted: FromEngine[] = [];
      void new StandardInput((message) => posted.push(message)).request(1, '', false, true);
      return (posted[0] as { request: string }).request;
    });
    expect(names[0]).to.not.equal(names[1]);
  });

  it('never blocks the page itself: a main-thread cell without stack switching is told to use the worker', () => {
    const posted: FromEngine[] = [];
    const shared = new Int32Array(new ArrayBuffer(16));
    const input = new StandardInput((message) => posted.push(message), { buffer: shared, url: 'http://page.test/x', onPage: true });
    expect(input.request(1, '', false, false)).to.deep.equal({ error: NO_INPUT_ON_PAGE });
    expect(posted).to.deep.equal([]);
    expect(NO_INPUT_ON_PAGE).to.contain('main-thread').and.contain('stack switching');
  });

  it('says what the browser lacks, and how a site enables the fallback, where nothing can wait', () => {
    const input = new StandardInput(() => undefined);
    expect(input.request(1, '', false, false)).to.deep.equal({ error: NO_INPUT });
    expect(NO_INPUT).to.contain('stack switching').and.contain('cross-origin isolated').and.contain('inputServiceWorker');
  });
});

describe('the shared input buffer', () => {
  // Atomics work on an unshared buffer too, as long as nothing waits: written before it is read.
  const buffer = () => new Int32Array(new ArrayBuffer(3 * 4 + 65_536 * 2));

  it('carries a line, the end of input and Stop', () => {
    for (const reply of [{ line: 'héllo \u{1F600} wörld' }, { line: '' }, { eof: true }, { interrupt: true }] as InputReply[]) {
      const shared = buffer();
      resetInputBuffer(shared);
      writeInputReply(shared, reply);
      expect(waitForInputReply(shared)).to.deep.equal(reply);
    }
  });
});

describe('TimeLimit', () => {
  it('counts only while running, and keeps the time left across a pause', async () => {
    let expired = 0;
    const limit = new TimeLimit(0.12, () => expired++);
    limit.start();
    await sleep(60);
    limit.pause();
    await sleep(150); // waiting for the reader: not counted
    expect(expired).to.equal(0);
    limit.start();
    await sleep(30);
    expect(expired).to.equal(0);
    await sleep(80);
    expect(expired).to.equal(1);
  });
});
