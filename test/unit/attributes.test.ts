import { expect } from '@esm-bundle/chai';
import { parseTimeout, sessionName } from '../../cell/attributes.js';
import { parsePackageList } from '../../runtime/shared/packages.js';

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
