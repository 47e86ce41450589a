import { expect } from '@esm-bundle/chai';
import { addCell, partText } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure, currentConfig } = (await import(bundle)) as typeof import('../../components/index.js');

// A page whose package URL answers 404 for every wheel, as an unreachable index would.
configure({ packageURL: '/no-package-index-here/' });

describe('packages from the package URL', () => {
  it('uses the configured package URL, resolved against the page', () => {
    expect(currentConfig().packageURL).to.equal(new URL('/no-package-index-here/', location.href).href);
    expect(currentConfig().runtimeURL).to.equal(new URL('/wasm-dist/', location.href).href);
  });

  it('names the package and its URL when an import needs a package that cannot be fetched', async () => {
    const cell = addCell('import numpy as np\nnp.arange(3)');
    const result = await cell.run();
    expect(result.status).to.equal('error');
    expect(result.error!.type).to.equal('PackageLoadError');
    expect(result.error!.failure).to.equal('package');
    await cell.updateComplete;
    expect(Boolean(cell.shadowRoot!.querySelector('[part="retry-button"]')), 'a Retry button').to.equal(true);
    const expectedURL = new URL('/no-package-index-here/numpy-', location.href).href;
    expect(result.error!.message).to.contain("'numpy'");
    expect(result.error!.message).to.contain(expectedURL);
    expect(partText(cell, 'error')).to.contain(expectedURL);
  });

  it('still runs code that needs no package afterwards', async () => {
    const cell = addCell('import json\njson.dumps({"a": 1})');
    await cell.run();
    expect(partText(cell, 'result')).to.equal('\'{"a": 1}\'');
  });
});
