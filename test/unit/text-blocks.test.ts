// Long output while a loop prints (issue 26, item 3): the output area keeps the blocks of lines a
// stream still holds from one render to the next, and its text is always the model's.
import { expect } from '@esm-bundle/chai';
import { render } from 'lit';
import { appendStream, type OutputItem, type OutputLimits } from '../../cell/output-model.js';
import { renderOutputArea, type OutputState } from '../../components/py-cell/output-area.js';
import { TextBlocks } from '../../components/outputs/text-blocks.js';

const lines = (from: number, count: number) => Array.from({ length: count }, (_, i) => `line ${from + i}\n`).join('');

function area(outputs: OutputItem[], container: HTMLElement): void {
  const state = { outputs, frames: new Map(), prerendered: false, input: null, answer: () => undefined } as unknown as OutputState;
  render(renderOutputArea(state, { number: 1, edited: false, trusted: false }), container);
}

describe('long output in blocks of lines', () => {
  it('draws 32 lines a block, the unfinished ones inline, with exactly the text given', () => {
    const blocks = new TextBlocks();
    const text = lines(0, 100) + 'partial';
    const root = blocks.draw(text, 0);
    expect(root.textContent).to.equal(text);
    const spans = [...root.querySelectorAll('.lines')];
    expect(spans).to.have.length(3);
    expect(spans[0]!.textContent).to.equal(lines(0, 32));
    expect(root.lastChild?.nodeType).to.equal(Node.TEXT_NODE);
    expect(root.lastChild?.textContent).to.equal(lines(96, 4) + 'partial');
  });

  it('keeps the blocks the text still holds when its start is cut and lines come', () => {
    const blocks = new TextBlocks();
    const first = lines(0, 200);
    const root = blocks.draw(first, 0);
    const middle = root.querySelectorAll('.lines')[3]!; // lines 96-127
    // The model dropped the first 50 lines and 60 came: the text starts 50 lines further on.
    const dropped = lines(0, 50).length;
    const second = lines(50, 210);
    blocks.draw(second, dropped);
    expect(root.textContent).to.equal(second);
    expect(middle.parentNode).to.equal(root);
    expect(middle.textContent).to.equal(lines(96, 32));
    // What was left of the block the cut went through is a block of its own, before the kept ones.
    expect(root.querySelector('.lines')!.textContent).to.equal(lines(50, 14));
  });

  it('draws anew what no longer matches, so the text is never stale', () => {
    const blocks = new TextBlocks();
    const root = blocks.draw(lines(0, 100), 0);
    const changed = lines(0, 40) + 'changed\n' + lines(41, 59);
    blocks.draw(changed, 0);
    expect(root.textContent).to.equal(changed);
    blocks.draw('short', 0);
    expect(root.textContent).to.equal('short');
  });

  it('keeps most of the tail in place across renders of a flood, through the output model', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    const limits: OutputLimits = { head: 5_000, tail: 10_000, displays: 10 };
    let items: OutputItem[] = [];
    let next = 0;
    const print = (count: number) => {
      items = appendStream(items, [['stdout', lines(next, count)]], limits);
      next += count;
    };
    print(2_000);
    area(items, container);
    // The drawing is a chunk loaded by the first long output: until then the text is one text node.
    expect(container.querySelector('pre.stream:last-of-type')!.textContent).to.equal((items.at(-1) as { text: string }).text);
    for (let tries = 0; !container.querySelector('.lines') && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    const pres = () => [...container.querySelectorAll('pre.stream')];
    const tailBlocks = () => [...pres().at(-1)!.querySelectorAll('.lines')];
    const before = tailBlocks();
    expect(before.length).to.be.greaterThan(20);
    print(100);
    area(items, container);
    const after = tailBlocks();
    const kept = after.filter((block) => before.includes(block));
    // 100 lines came and 100 went: all but the blocks at the two ends stay.
    expect(kept.length).to.be.at.least(after.length - 6);
    const tail = items.at(-1) as Extract<OutputItem, { kind: 'stream' }>;
    expect(pres().at(-1)!.textContent).to.equal(tail.text);
    expect(tail.text.endsWith(`line ${next - 1}\n`)).to.equal(true);
    container.remove();
  });
});
