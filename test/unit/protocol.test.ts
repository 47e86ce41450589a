import { expect } from '@esm-bundle/chai';
import {
  FROM_ENGINE_TYPES,
  isFromEngine,
  TO_ENGINE_TYPES,
  type FromEngine,
  type MessageTypes,
  type Progress,
} from '../../runtime/shared/protocol.js';

describe('protocol', () => {
  it('recognises engine messages', () => {
    expect(isFromEngine({ type: 'result', id: 1, status: 'done', elapsedMs: 1 })).to.equal(true);
    expect(isFromEngine({ type: 'stream', id: null, chunks: [] })).to.equal(true);
  });

  it('recognises every type of message the engine sends', () => {
    for (const type of Object.keys(FROM_ENGINE_TYPES)) expect(isFromEngine({ type }), type).to.equal(true);
  });

  it('rejects anything else', () => {
    for (const value of [
      null,
      undefined,
      'result',
      3,
      {},
      { type: 'run' },
      { type: 'boot' },
      { type: 'toString' },
      { type: 'constructor' },
    ]) {
      expect(isFromEngine(value), JSON.stringify(value)).to.equal(false);
    }
  });

  it('rejects the messages the page sends', () => {
    for (const type of Object.keys(TO_ENGINE_TYPES)) expect(isFromEngine({ type }), type).to.equal(false);
  });

  it('checks the table of message types against the messages when compiling', () => {
    // `tsc -p test` fails when one of these compiles: the table must list each type once, and
    // no two messages may share a type.
    const { progress: _, ...missing } = FROM_ENGINE_TYPES;
    // @ts-expect-error -- a type left out
    const short: MessageTypes<FromEngine> = missing;
    // @ts-expect-error -- a type no message has
    const long: MessageTypes<FromEngine> = { ...FROM_ENGINE_TYPES, extra: true };
    const doubled: MessageTypes<FromEngine | { type: 'progress'; id: number; done: number }> = {
      ...FROM_ENGINE_TYPES,
      // @ts-expect-error -- a second message named `progress` (a run's own progress, say)
      progress: true,
    };
    const extended: MessageTypes<FromEngine | { type: 'progress'; progress: Progress; id: number }> = {
      ...FROM_ENGINE_TYPES,
      // @ts-expect-error -- also when one of them is the other with more
      progress: true,
    };
    expect([short, long, doubled, extended]).to.have.length(4);
  });
});
