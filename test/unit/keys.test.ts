import { expect } from '@esm-bundle/chai';
import { indent, newline, outdent, type Edit } from '../../components/editor/keys.js';

function apply(value: string, edit: Edit) {
  const text = value.slice(0, edit.from) + edit.insert + value.slice(edit.to);
  return { text, selected: text.slice(edit.selectionStart, edit.selectionEnd), caret: edit.selectionStart };
}

describe('editor keys', () => {
  it('Tab inserts four spaces at the caret', () => {
    expect(apply('ab', indent('ab', 1, 1))).to.deep.equal({ text: 'a    b', selected: '', caret: 5 });
  });

  it('Tab indents every selected line', () => {
    const value = 'a\nb\nc';
    const result = apply(value, indent(value, 0, 3));
    expect(result.text).to.equal('    a\n    b\nc');
    expect(result.selected).to.equal('a\n    b');
  });

  it('Shift+Tab removes up to four spaces from every selected line', () => {
    const value = '      a\n  b\nc';
    const result = apply(value, outdent(value, 6, 11));
    expect(result.text).to.equal('  a\nb\nc');
  });

  it('Shift+Tab at a line without indentation changes nothing', () => {
    const value = 'x = 1';
    expect(apply(value, outdent(value, 2, 2)).text).to.equal('x = 1');
  });

  it('Enter keeps the indentation, one level deeper after a colon', () => {
    const value = 'def f():\n    if x:';
    expect(apply(value, newline(value, 8, 8)).text).to.equal('def f():\n    \n    if x:');
    expect(apply(value, newline(value, value.length, value.length)).text).to.equal(`${value}\n        `);
    expect(apply('    y = 1', newline('    y = 1', 9, 9)).text).to.equal('    y = 1\n    ');
  });
});
