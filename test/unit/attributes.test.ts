import { expect } from '@esm-bundle/chai';
import { ATTRIBUTE_TABLE, CELL_ATTRIBUTES, fenceAttributeProblem, parseTimeout, sessionName } from '../../cell/attributes.js';
import { cellFromFence, PyCellSyntaxError } from '../../integrations/markdown/shared.js';
import { parsePackageList } from '../../runtime/shared/packages.js';

/** Attributes and values every integration accepts or refuses alike (`null`: written bare). */
const VALUES = (await (await fetch('/test/fixtures/cells/attribute-values.json')).json()) as {
  valid: Array<[string, string | null]>;
  invalid: Array<[string, string | null]>;
};

describe('attribute parsing', () => {
  it('timeout: positive seconds are valid, absence means no limit', () => {
    expect(parseTimeout(null)).to.deep.equal({ seconds: null, valid: true });
    expect(parseTimeout('2.5')).to.deep.equal({ seconds: 2.5, valid: true });
    expect(parseTimeout(' 10 ')).to.deep.equal({ seconds: 10, valid: true });
  });

  it('timeout: anything else is invalid and means no limit', () => {
    for (const bad of ['abc', '', '0', '-3', 'Infinity', 'NaN', '1e400']) {
      expect(parseTimeout(bad), bad).to.deep.equal({ seconds: null, valid: false });
    }
  });

  it('session: absent or blank is the default session', () => {
    expect(sessionName(null)).to.deep.equal({ name: 'default', valid: true });
    expect(sessionName('')).to.deep.equal({ name: 'default', valid: false });
    expect(sessionName('  ')).to.deep.equal({ name: 'default', valid: false });
    expect(sessionName('analysis')).to.deep.equal({ name: 'analysis', valid: true });
  });

  it('packages: split on spaces and commas, invalid tokens reported', () => {
    expect(parsePackageList(null)).to.deep.equal({ names: [], invalid: [] });
    expect(parsePackageList(' numpy, pandas  scikit-learn,,numpy ')).to.deep.equal({
      names: ['numpy', 'pandas', 'scikit-learn'],
      invalid: [],
    });
    expect(parsePackageList('no such;pkg')).to.deep.equal({ names: ['no'], invalid: ['such;pkg'] });
  });
});

// The element's side (its declared attributes against the list) is test/integration/attributes.test.ts:
// the unit tests cannot load the element's source (Prism is CommonJS), the built element can.
describe('the attribute list (cell/attributes.ts)', () => {
  it('is what the Python integrations read: attributes.json is up to date', async () => {
    const file = (await (await fetch('/integrations/python/py_cell_docs/attributes.json')).json()) as Record<string, unknown>;
    const { about: _about, ...table } = file;
    expect(table, 'run node scripts/gen-attributes.mjs').to.deep.equal(JSON.parse(JSON.stringify(ATTRIBUTE_TABLE)));
  });

  it('has a valid case in test/fixtures/cells/attribute-values.json for every attribute a fence may set', () => {
    const named = new Set(VALUES.valid.map(([name]) => name.toLowerCase()));
    expect(CELL_ATTRIBUTES.filter((spec) => spec.fence && !named.has(spec.name)).map((spec) => spec.name)).to.deep.equal([]);
  });

  it('accepts in a fence what every integration accepts', () => {
    for (const [name, value] of VALUES.valid) expect(fenceAttributeProblem(name, value), `${name}=${String(value)}`).to.equal(null);
  });

  it('refuses in a fence what every integration refuses, naming the attribute', () => {
    for (const [name, value] of VALUES.invalid) {
      expect(fenceAttributeProblem(name, value), `${name}=${String(value)}`).to.include(`\`${name}\``);
    }
  });

  it('is how the Markdown plugins check a fence', () => {
    const cell = cellFromFence('py-cell', 'session=intro autorun timeout=2.5 data-x', 'x');
    expect(cell?.attributes.map(({ name }) => name)).to.deep.equal(['session', 'autorun', 'timeout', 'data-x']);
    expect(() => cellFromFence('py-cell', 'timeout=soon', 'x')).to.throw(PyCellSyntaxError, 'positive number of seconds');
    expect(() => cellFromFence('py-cell', 'status=idle', 'x')).to.throw(PyCellSyntaxError, 'unknown attribute `status`');
  });

  // The plugins in their tools (markdown-it's `html`, remark's VFileMessage, MDX with React) are
  // test/node/markdown-plugins.test.mjs. The Python integrations accept them (raw HTML is on there).
  it('refuses main-thread, trusted and style in a fence unless the site allows them, naming the option', () => {
    const off = { on: false, name: 'raw HTML (`html: true`)' };
    const on = { on: true, name: 'raw HTML (`html: true`)' };
    for (const [meta, name] of [
      ['main-thread', 'main-thread'],
      ['trusted', 'trusted'],
      ['style="position:fixed"', 'style'],
      ['TRUSTED', 'TRUSTED'],
    ] as const) {
      const names = (cell: ReturnType<typeof cellFromFence>) => cell?.attributes.map((attribute) => attribute.name);
      const refused = `the attribute \`${name}\` is refused`;
      expect(fenceAttributeProblem(name, meta.includes('=') ? 'position:fixed' : null), meta).to.equal(null);
      expect(() => cellFromFence('py-cell', `autorun ${meta}`, 'x'), meta).to.throw(PyCellSyntaxError, refused);
      expect(() => cellFromFence('py-cell', meta, 'x'), meta).to.throw(PyCellSyntaxError, 'pass `allowDangerousAttributes: true`');
      expect(() => cellFromFence('py-cell', meta, 'x', {}, off), meta).to.throw(PyCellSyntaxError, 'or turn on raw HTML (`html: true`)');
      expect(names(cellFromFence('py-cell', `autorun ${meta}`, 'x', { allowDangerousAttributes: true })), meta).to.deep.equal([
        'autorun',
        name,
      ]);
      expect(names(cellFromFence('py-cell', meta, 'x', {}, on)), meta).to.deep.equal([name]);
      expect(names(cellFromFence('py-cell', meta, 'x', { allowDangerousAttributes: true }, off)), meta).to.deep.equal([name]);
      expect(() => cellFromFence('py-cell', meta, 'x', { allowDangerousAttributes: false }, on), meta).to.throw(PyCellSyntaxError, refused);
    }
  });
});
