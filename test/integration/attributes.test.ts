// The element against the attribute list (cell/attributes.ts), which the Markdown and Python
// integrations check fences with (test/unit/attributes.test.ts): every attribute the built
// element observes is on the list and every one on the list is observed, booleans as flags.
// No Python runs.
import { expect } from '@esm-bundle/chai';
import type { LitElement } from 'lit';
import { CELL_ATTRIBUTES } from '../../cell/attributes.js';
import '../../dist/py-cell.js';

describe('the attribute list and the element', () => {
  it('lists every attribute the element observes, and no other', () => {
    const element = customElements.get('py-cell') as unknown as typeof LitElement;
    expect([...element.observedAttributes].sort()).to.deep.equal(CELL_ATTRIBUTES.map((spec) => spec.name).sort());
  });

  it('has a flag exactly where the element has a Boolean property', () => {
    const element = customElements.get('py-cell') as unknown as typeof LitElement;
    for (const [property, options] of element.elementProperties) {
      if (options.attribute === false || options.state === true) continue;
      const name = typeof options.attribute === 'string' ? options.attribute : String(property).toLowerCase();
      const spec = CELL_ATTRIBUTES.find((attribute) => attribute.name === name);
      expect(spec?.kind === 'flag', name).to.equal(options.type === Boolean);
    }
  });
});
