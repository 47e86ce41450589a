import { expect } from '@esm-bundle/chai';
import type { StreamName } from '../../runtime/shared/protocol.js';
import { StreamBatcher } from '../../runtime/engine/stream-batcher.js';

function setup(maxChars = 100) {
  let now = 0;
  const sent: Array<Array<[StreamName, string]>> = [];
  const timers: Array<() => void> = [];
  const batcher = new StreamBatcher((chunks) => sent.push(chunks), {
    now: () => now,
    schedule: (callback) => timers.push(callback),
    intervalMs: 16,
    maxChars,
  });
  return { batcher, sent, timers, advance: (ms: number) => (now += ms) };
}

describe('StreamBatcher', () => {
  it('sends the first write at once', () => {
    const { batcher, sent } = setup();
    batcher.write('stdout', 'hello');
    expect(sent).to.deep.equal([[['stdout', 'hello']]]);
  });

  it('sends at once a write after a flush that had nothing to send (code that then blocks would hold it)', () => {
    const { batcher, sent, advance } = setup();
    batcher.write('stdout', 'a');
    advance(100);
    batcher.flush(); // e.g. before a display, or when the output changes hands between runs
    batcher.write('stdout', 'b');
    expect(sent).to.deep.equal([[['stdout', 'a']], [['stdout', 'b']]]);
  });

  it('batches writes that come quickly, joining the same stream, keeping order', () => {
    const { batcher, sent, advance } = setup();
    batcher.write('stdout', 'a');
    batcher.write('stdout', 'b');
    batcher.write('stderr', 'c');
    batcher.write('stdout', 'd');
    expect(sent).to.have.length(1);
    advance(20);
    batcher.write('stdout', 'e');
    expect(sent).to.deep.equal([
      [['stdout', 'a']],
      [
        ['stdout', 'b'],
        ['stderr', 'c'],
        ['stdout', 'de'],
      ],
    ]);
  });

  it('flushes a full batch without waiting', () => {
    const { batcher, sent } = setup();
    batcher.write('stdout', 'x');
    batcher.write('stdout', 'y'.repeat(150));
    expect(sent).to.have.length(2);
    expect(sent[1]![0]![1]).to.have.length(150);
  });

  it('schedules a flush for held output, and flush() sends the rest', () => {
    const { batcher, sent, timers } = setup();
    batcher.write('stdout', 'a');
    batcher.write('stdout', 'b');
    expect(timers).to.have.length(1);
    timers[0]!();
    expect(sent).to.deep.equal([[['stdout', 'a']], [['stdout', 'b']]]);
    batcher.flush();
    expect(sent).to.have.length(2);
  });

  it('sends the first write after reset() at once, however recent the last flush', () => {
    const { batcher, sent } = setup();
    batcher.write('stdout', 'end of one run');
    batcher.reset();
    batcher.write('stdout', 'start of the next');
    expect(sent).to.deep.equal([[['stdout', 'end of one run']], [['stdout', 'start of the next']]]);
  });

  it('ignores empty writes', () => {
    const { batcher, sent } = setup();
    batcher.write('stdout', '');
    expect(sent).to.have.length(0);
  });

  it('keeps a chatty loop to a few messages', () => {
    const { batcher, sent, advance } = setup(1 << 20);
    for (let i = 0; i < 10_000; i++) {
      batcher.write('stdout', `${i}\n`.slice(0, 1));
      advance(0.01);
    }
    batcher.flush();
    expect(sent.length).to.be.below(10);
    expect(
      sent
        .flat()
        .map(([, text]) => text)
        .join(''),
    ).to.have.length(10_000);
  });
});
