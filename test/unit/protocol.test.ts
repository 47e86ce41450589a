import { expect } from '@esm-bundle/chai';
import { isFromEngine } from '../../runtime/shared/protocol.js';

describe('protocol', () => {
  it('recognises engine messages', () => {
    expect(isFromEngine({ type: 'result', id: 1, status: 'done', elapsedMs: 1 })).to.equal(true);
    expect(isFromEngine({ type: 'stream', id: null, chunks: [] })).to.equal(true);
  });

  it('rejects anything else', () => {
    for (const value of [null, undefined, 'result', 3, {}, { type: 'run' }, { type: 'boot' }]) {
      expect(isFromEngine(value), JSON.stringify(value)).to.equal(false);
    }
  });
});
