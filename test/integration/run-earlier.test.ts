import { expect } from '@esm-bundle/chai';
import { addCell, partText } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

/** The order in which runs finish, by the cells' `id`s. */
function doneOrder(): string[] {
  const order: string[] = [];
  document.addEventListener('py-cell-done', (event) => order.push((event.target as Element).id));
  return order;
}

describe('a named session runs its earlier cells first', () => {
  afterEach(() => {
    configure({ runEarlier: true });
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  it('runs, in page order, the earlier cells of the session that have not run; each shows its own output', async () => {
    const order = doneOrder();
    const a = addCell('x = 1\nprint("a")', { session: 'tour', id: 'a' });
    const other = addCell('print("other session")', { session: 'elsewhere' });
    const plain = addCell('print("default session")');
    const exercise = addCell('print("an exercise is not a step of the tour")', { session: 'tour', exercise: '' });
    const b = addCell('y = x + 1\nprint("b")', { session: 'tour', id: 'b' });
    const c = addCell('x + y', { session: 'tour', id: 'c' });
    const after = addCell('print("after")', { session: 'tour' });
    const result = await c.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(order).to.deep.equal(['a', 'b', 'c']);
    expect(partText(a, 'stdout')).to.equal('a\n');
    expect(partText(b, 'stdout')).to.equal('b\n');
    expect(partText(c, 'result')).to.equal('3');
    for (const cell of [other, plain, exercise, after]) expect(cell.status).to.equal('idle');
    // They have run now: running the last cell again runs nothing else.
    await c.run();
    expect(order).to.deep.equal(['a', 'b', 'c', 'c']);
  });

  it('keeps the default session as it was, and is turned off by configure({runEarlier: false})', async () => {
    const first = addCell('z = 10');
    const second = addCell('z');
    expect((await second.run()).error!.type).to.equal('NameError');
    expect(first.status).to.equal('idle');
    configure({ runEarlier: false });
    const named = addCell('w = 1', { session: 'off' });
    const later = addCell('w', { session: 'off' });
    expect((await later.run()).error!.type).to.equal('NameError');
    expect(named.status).to.equal('idle');
    expect(() => configure({ runEarlier: 'yes' as never })).to.throw(TypeError, "'runEarlier' must be true or false");
  });
});
