import { expect } from '@esm-bundle/chai';
import { fallbackTexts } from '../../cell/stored-outputs.js';
import { DEFAULT_PRINT_OPTIONS, type ArrayPayload } from '../../runtime/shared/array-payload.js';
import * as mime from '../../runtime/shared/mime.js';
import { ALT_MIME, ARRAY_MIME, ERROR_MIME, OUTPUT_KINDS, REPR_SKIPPED } from '../../runtime/shared/mime.js';

const PYTHON_MODULE = 'runtime/python/pycell/_mime.py';

/** The text `runtime/python/pycell/_mime.py` must have: Python's part of `mime.ts`, made from it. */
function pythonModule(): string {
  const string = (value: string) => JSON.stringify(value);
  // A module namespace lists its exports in name order.
  const constants = Object.entries(mime as Record<string, unknown>).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  const repr = OUTPUT_KINDS.flatMap((kind) => ('repr' in kind ? [`    (${string(kind.repr)}, ${string(kind.mime)}),`] : []));
  const binary = OUTPUT_KINDS.flatMap((kind) => ('binary' in kind ? [string(kind.mime)] : []));
  return [
    '"""py-cell\'s MIME types and its display table, made from runtime/shared/mime.ts: do not edit.',
    '',
    'test/unit/output-kinds.test.ts fails until this file is the text it makes from that table.',
    '"""',
    '',
    ...constants.map(([name, value]) => `${name} = ${string(value)}`),
    '',
    '# The repr methods tried, in this order (the first ones are the richest), and the type each gives.',
    'REPR_METHODS = (',
    ...repr,
    ')',
    '# Types whose data a repr method may give as bytes: sent base64-encoded.',
    `BINARY_MIME = {${binary.join(', ')}}`,
    '',
  ].join('\n');
}

describe('the output table', () => {
  it('lists each MIME type once', () => {
    const types = OUTPUT_KINDS.map((kind) => kind.mime);
    expect(new Set(types).size, types.join(' ')).to.equal(types.length);
  });

  it(`is where Python's display table comes from (${PYTHON_MODULE})`, async () => {
    const response = await fetch(new URL(`../../${PYTHON_MODULE}`, import.meta.url));
    expect(response.status).to.equal(200);
    const expected = pythonModule();
    expect(await response.text(), `${PYTHON_MODULE} must be this text:\n${expected}`).to.equal(expected);
  });

  it('gives a reader without JavaScript the own text of a bundle first, then nothing for an image, then its text/plain', () => {
    const array: ArrayPayload = {
      typeName: 'array.array',
      dtype: 'int32',
      kind: 'i',
      bits: 32,
      shape: [2],
      size: 2,
      summarized: false,
      index: [[0, 1]],
      values: [1, 20],
      printOptions: DEFAULT_PRINT_OPTIONS,
    };
    const texts = fallbackTexts(
      [
        { kind: 'display', bundle: { 'image/png': 'AAAA', 'text/markdown': '# Notes', 'text/plain': 'N' } },
        { kind: 'display', bundle: { 'image/svg+xml': '<svg/>', 'text/html': '<b>bold</b>', 'text/plain': 'S' } },
        { kind: 'display', bundle: { 'image/webp': 'AAAA', 'text/plain': 'Figure(640x480)' } },
        { kind: 'display', bundle: { 'text/latex': '$x$', 'text/plain': 'x' } },
        { kind: 'display', bundle: { 'text/latex': '$y^2$', 'text/plain': '<__main__.F object at 0x1f2e3d>' } },
        {
          kind: 'display',
          bundle: {
            'application/vnd.vegalite.v5+json': '{"title": {"text": "Rain"}, "description": "Bars"}',
            'text/plain': 'alt.Chart(...)',
          },
        },
        { kind: 'display', bundle: { 'application/vnd.plotly.v1+json': { layout: { title: 'Visits' } }, 'text/plain': 'Figure({})' } },
        { kind: 'display', bundle: { 'image/png': 'AAAA', [ALT_MIME]: 'A red square', 'text/plain': '<Figure>' } },
        { kind: 'display', bundle: { [ERROR_MIME]: '{"type": "E", "message": "m", "traceback": "t"}' } },
        { kind: 'result', bundle: { [ARRAY_MIME]: array, 'text/plain': 'a real repr' } },
        { kind: 'result', bundle: { [ARRAY_MIME]: array, [REPR_SKIPPED]: '1', 'text/plain': '<list of [2] d>' } },
      ],
      (markup) => markup.replace(/<[^>]+>/g, ''),
    );
    expect(texts.map(([, text]) => text)).to.deep.equal([
      '# Notes',
      'bold',
      'x',
      '$y^2$',
      'Chart: Rain. Bars',
      'Chart: Visits',
      'A red square',
      'a real repr',
      '[ 1, 20]',
    ]);
  });
});
