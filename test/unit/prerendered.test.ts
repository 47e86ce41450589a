import { expect } from '@esm-bundle/chai';
import { codeHash, fallbackTexts, readPrerendered, serializePrerendered, type PrerenderedData } from '../../cell/stored-outputs.js';
import type { OutputItem } from '../../cell/output-model.js';
import { readSource } from '../../cell/source.js';

const data = (code: string, outputs: OutputItem[]): PrerenderedData => ({
  version: 1,
  hash: codeHash(code),
  pyodide: '314.0.7',
  status: 'done',
  outputs,
});

describe('prerendered outputs: the stored format', () => {
  it('hashes code with 64-bit FNV-1a (the published test vectors), one UTF-16 unit at a time', () => {
    expect(codeHash('')).to.equal('cbf29ce484222325');
    expect(codeHash('a')).to.equal('af63dc4c8601ec8c');
    expect(codeHash('foobar')).to.equal('85944171f73967e8');
    expect(codeHash('print(1)')).not.to.equal(codeHash('print(2)'));
  });

  it('round-trips every kind of item, typed arrays as lists, NaN and the infinities, and text that ends a script', () => {
    const outputs: OutputItem[] = [
      { kind: 'stream', name: 'stdout', text: '</script><!-- \u2028 &amp;\n' },
      { kind: 'hidden', lines: 3, chars: 40 },
      {
        kind: 'display',
        bundle: {
          'application/vnd.py-cell.array': { values: [1, NaN, Infinity, -Infinity], heatmap: { data: new Float64Array([0.5, NaN]) } },
          'text/plain': 'array',
        },
      },
      { kind: 'result', bundle: { 'text/plain': '42' } },
      { kind: 'error', error: { type: 'ZeroDivisionError', message: 'division by zero', traceback: 'Traceback…' } },
    ];
    const json = serializePrerendered(data('x', outputs));
    expect(json).not.to.include('<');
    expect(json).not.to.include('\u2028');
    const read = readPrerendered(json, 'x');
    if (!('outputs' in read)) throw new Error(`not read: ${JSON.stringify(read)}`);
    expect(read.outputs[0]).to.deep.equal(outputs[0]);
    const bundle = (read.outputs[2] as { bundle: Record<string, { values: number[]; heatmap: { data: number[] } }> }).bundle;
    expect(bundle['application/vnd.py-cell.array']!.values).to.deep.equal([1, NaN, Infinity, -Infinity]);
    expect(bundle['application/vnd.py-cell.array']!.heatmap.data).to.deep.equal([0.5, NaN]);
    expect(read.outputs.slice(3)).to.deep.equal(outputs.slice(3));
  });

  it('says why data is not shown: stale for other code, invalid for unknown or malformed data; never throws', () => {
    const good = serializePrerendered(data('x', [{ kind: 'stream', name: 'stdout', text: 'a' }]));
    expect(readPrerendered(good, 'y')).to.deep.equal({ stale: true });
    expect(readPrerendered('{', 'x')).to.have.property('invalid');
    expect(readPrerendered('null', 'x')).to.have.property('invalid');
    expect(readPrerendered(good.replace('"version":1', '"version":2'), 'x')).to.deep.equal({ invalid: 'version 2, expected 1' });
    const item = (value: unknown) => JSON.stringify({ version: 1, hash: codeHash('x'), outputs: [value] });
    for (const bad of [
      { kind: 'stream', name: 'stdin', text: 'a' },
      { kind: 'stream', name: 'stdout', text: 1 },
      { kind: 'result', bundle: {} },
      { kind: 'result', bundle: { 'not a mime type': 'x' } },
      { kind: 'error', error: { type: 'E' } },
      { kind: 'hidden', lines: -1, chars: 0 },
      { kind: 'left-out' },
      'text',
    ]) {
      expect(readPrerendered(item(bad), 'x'), JSON.stringify(bad)).to.deep.equal({ invalid: 'an output item is malformed' });
    }
  });

  it('gives a reader without JavaScript the text of each output, not reprs that say nothing', () => {
    const texts = fallbackTexts(
      [
        { kind: 'stream', name: 'stderr', text: 'warn\n' },
        { kind: 'result', bundle: { 'text/html': '<b>x</b>', 'text/plain': 'X()' } },
        { kind: 'display', bundle: { 'image/png': 'AAAA', 'text/plain': "b'\\x89PNG'" } },
        { kind: 'display', bundle: { 'text/markdown': '# Notes', 'text/plain': '<__main__.Notes object at 0x1f2e>' } },
        { kind: 'result', bundle: { 'text/plain': '<__main__.Thing object at 0xabc>' } },
        { kind: 'error', error: { type: 'E', message: 'm', traceback: '' } },
      ],
      (markup) => markup.replace(/<[^>]+>/g, ''),
    );
    expect(texts).to.deep.equal([
      ['stderr', 'warn\n'],
      ['result', 'x'],
      ['display', '# Notes'],
      ['error', 'E: m'],
    ]);
  });

  it('a cell written as text reads its code without what the command wrote into it', () => {
    const cell = document.createElement('div');
    cell.innerHTML =
      '\n  x = 1 &lt; 2\n  <!-- a comment -->x<script type="application/vnd.py-cell.outputs+json" data-py-cell-prerendered>{}</script><div data-py-cell-prerendered><pre>True</pre></div>\n';
    expect(readSource(cell)).to.equal('x = 1 < 2\nx');
  });
});
