// Every kind of output has a bound, live or stored (issue 21, findings 4 and 9): displays per run,
// stored items and streams, array payloads whose table would be far larger than their data, canvases.
import { expect } from '@esm-bundle/chai';
import { appendDisplay, appendOutputs, DEFAULT_LIMITS, type OutputEvent, type OutputItem } from '../../cell/output-model.js';
import { codeHash, readPrerendered, serializePrerendered } from '../../cell/stored-outputs.js';
import { isArrayPayload, isCanvasData, MAX_CANVAS_SIDE } from '../../cell/validate.js';

const stored = (outputs: unknown[]) =>
  serializePrerendered({ version: 1, hash: codeHash('x'), pyodide: '314.0.7', status: 'done', outputs: outputs as OutputItem[] });

const payload = (shape: number[], index: number[][], values: number[]) => ({
  typeName: 'numpy.ndarray',
  dtype: 'int64',
  kind: 'i',
  bits: 64,
  shape,
  size: shape.reduce((a, b) => a * b, 1),
  summarized: false,
  index,
  values,
  printOptions: {},
});

describe('output bounds', () => {
  it('keeps the first displays of a run and counts the rest in one marker', () => {
    let items: OutputItem[] = [];
    for (let i = 0; i < DEFAULT_LIMITS.displays + 250; i++) items = appendDisplay(items, { 'text/plain': String(i) });
    expect(items.filter((item) => item.kind === 'display')).to.have.length(DEFAULT_LIMITS.displays);
    expect(items.at(-1)).to.deep.equal({ kind: 'displays-hidden', count: 250 });
  });

  it('appends 20,000 displays with streams between them in order, bounded', () => {
    const events: OutputEvent[] = Array.from({ length: 20_000 }, (_, i): OutputEvent =>
      i % 2 ? { kind: 'display', bundle: { 'text/plain': String(i) } } : { kind: 'stream', chunks: [['stdout', `${i}\n`]] },
    );
    const items = appendOutputs([], events);
    expect(items.find((item) => item.kind === 'displays-hidden')).to.deep.equal({
      kind: 'displays-hidden',
      count: 10_000 - DEFAULT_LIMITS.displays,
    });
    // Past the bound, the streams between hidden displays join into one block ending at the last print.
    const last = items.at(-1);
    expect(last?.kind === 'stream' && last.text.endsWith('\n19996\n19998\n')).to.equal(true);
    expect(items.filter((item) => item.kind === 'display')).to.have.length(DEFAULT_LIMITS.displays);
    expect(items[0]).to.deep.equal({ kind: 'stream', name: 'stdout', text: '0\n' });
    expect(items[1]).to.deep.equal({ kind: 'display', bundle: { 'text/plain': '1' } });
  });

  it('stored outputs get the bounds of live ones: streams cut to head and tail, displays counted', () => {
    const flood = 'x'.repeat(3_000_000);
    const displays = Array.from({ length: DEFAULT_LIMITS.displays + 5 }, (_, i) => ({
      kind: 'display',
      bundle: { 'text/plain': String(i) },
    }));
    const read = readPrerendered(stored([{ kind: 'stream', name: 'stdout', text: flood }, ...displays]), 'x');
    if (!('outputs' in read)) throw new Error(`not read: ${JSON.stringify(read)}`);
    const text = read.outputs.flatMap((item) => (item.kind === 'stream' ? [item.text] : [])).join('');
    expect(text.length).to.equal(DEFAULT_LIMITS.head + DEFAULT_LIMITS.tail);
    expect(read.outputs.find((item) => item.kind === 'hidden')).to.deep.equal({ kind: 'hidden', lines: 0, chars: flood.length - 40_000 });
    expect(read.outputs.at(-1)).to.deep.equal({ kind: 'displays-hidden', count: 5 });
  });

  it('refuses stored data with more items than a live run keeps', () => {
    const items = Array.from({ length: 50_000 }, () => ({ kind: 'left-out' }));
    expect(readPrerendered(stored(items), 'x'))
      .to.have.property('invalid')
      .that.matches(/more than \d+ output items/);
  });

  it('refuses an array payload whose table is larger than its data (7 dimensions of 10 from 300 bytes)', () => {
    const seven = payload(Array<number>(7).fill(10), Array<number[]>(7).fill([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), [1, 2, 3]);
    expect(isArrayPayload(seven)).to.equal(false);
    expect(
      isArrayPayload(
        payload(
          [2, 2],
          [
            [0, 1],
            [0, 1],
          ],
          [1, 2, 3, 4],
        ),
      ),
    ).to.equal(true);
    expect(
      isArrayPayload(
        payload(
          [2, 2],
          [
            [1, 0],
            [0, 1],
          ],
          [1, 2, 3, 4],
        ),
      ),
      'indices out of order',
    ).to.equal(false);
    expect(
      isArrayPayload(
        payload(
          [2, 2],
          [
            [0, 2],
            [0, 1],
          ],
          [1, 2, 3, 4],
        ),
      ),
      'index past the shape',
    ).to.equal(false);
    expect(
      isArrayPayload({
        ...payload(
          [2, 2],
          [
            [0, 1],
            [0, 1],
          ],
          [1, 2, 3, 4],
        ),
        size: 5,
      }),
      'size not the shape',
    ).to.equal(false);
    expect(isArrayPayload(payload([], [], [7])), '0-d').to.equal(true);
    expect(isArrayPayload(payload([0], [[]], [])), 'empty').to.equal(true);
  });

  it('refuses a canvas larger than a page can paint', () => {
    expect(isCanvasData({ id: 1, width: 300, height: 150 })).to.equal(true);
    expect(isCanvasData({ id: 1, width: 60_000, height: 60_000 })).to.equal(false);
    expect(isCanvasData({ id: 1, width: MAX_CANVAS_SIDE + 1, height: 1 })).to.equal(false);
  });
});
