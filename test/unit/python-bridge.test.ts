import { expect } from '@esm-bundle/chai';
import { sourceTextError, wellFormed } from '../../runtime/engine/python-bridge.js';

describe('text Python cannot receive', () => {
  it('reports an unpaired surrogate in the code as a SyntaxError at its line and column', () => {
    const error = sourceTextError("x = 1\ns = '\ud800'", '<cell 3>');
    expect(error).to.deep.equal({
      type: 'SyntaxError',
      message: '(unicode error) the code holds an unpaired surrogate U+D800 at line 2, column 6, which is not text',
      traceback:
        '  File "<cell 3>", line 2\nSyntaxError: (unicode error) the code holds an unpaired surrogate U+D800 at line 2, column 6, which is not text\n',
      line: 2,
    });
    expect(sourceTextError('\udc00', '<cell 1>')?.line).to.equal(1);
  });

  it('accepts well-formed text, non-BMP characters included', () => {
    expect(sourceTextError('s = "\u{1F600} \u{10348}"\nt = "é"', '<cell 1>')).to.equal(null);
  });

  it('makes a session name well-formed', () => {
    expect(wellFormed('a\ud800b\u{1F600}')).to.equal('a\uFFFDb\u{1F600}');
  });
});
