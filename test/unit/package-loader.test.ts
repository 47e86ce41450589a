import { expect } from '@esm-bundle/chai';
import { PackageLoader, type PackageInstaller } from '../../runtime/engine/package-loader.js';
import type { Lock } from '../../runtime/packages.js';

const lock: Lock = {
  info: {},
  packages: {
    numpy: { name: 'numpy', file_name: 'numpy-2.0-cp314-wasm32.whl', imports: ['numpy'], depends: [] },
    'scikit-learn': { name: 'scikit-learn', file_name: 'https://cdn.test/scikit_learn-1.0.whl', imports: ['sklearn'], depends: ['numpy'] },
  },
};

/** Pyodide's installer, loading what `available` lists and failing the rest with `message`. */
function installer(available: string[], message = 'HTTP 404') {
  const calls: string[][] = [];
  const stand: PackageInstaller = {
    version: '314.0.7',
    loadedPackages: {},
    async loadPackage(names, options) {
      calls.push(names);
      for (const name of names) {
        if (available.includes(name)) (stand.loadedPackages as Record<string, string>)[name] = 'default channel';
        else options.errorCallback(`${name}: ${message}`);
      }
    },
  };
  return { stand, calls };
}

describe('PackageLoader', () => {
  it('loads the requested packages and those the imports need, once', async () => {
    const { stand, calls } = installer(['numpy', 'scikit-learn']);
    const loader = new PackageLoader(stand, lock, 'http://runtime.test/');
    const heard: string[][] = [];
    expect(await loader.load(['scikit-learn'], ['numpy', 'json'], (names) => heard.push(names))).to.equal(null);
    expect(calls).to.deep.equal([['scikit-learn', 'numpy']]);
    expect(heard).to.deep.equal([['scikit-learn', 'numpy']]);
    expect(await loader.load([], ['numpy', 'sklearn'], () => heard.push(['again']))).to.equal(null);
    expect(calls).to.have.length(1);
  });

  it('names a package the index does not have, without loading anything', async () => {
    const { stand, calls } = installer([]);
    const error = await new PackageLoader(stand, lock, 'http://runtime.test/').load(['nope'], [], () => undefined);
    expect(error?.failure).to.equal('unknown-package');
    expect(error?.message).to.equal("No package 'nope' in the package index of Pyodide 314.0.7 (http://runtime.test/pyodide-lock.json).");
    expect(calls).to.have.length(0);
  });

  it('names the URL and the reason of a package that cannot be loaded', async () => {
    const { stand } = installer(['numpy']);
    const error = await new PackageLoader(stand, lock, 'http://runtime.test/').load(['scikit-learn'], [], () => undefined);
    expect(error?.failure).to.equal('package');
    expect(error?.message).to.match(
      /^Could not load package 'scikit-learn' from https:\/\/cdn\.test\/scikit_learn-1\.0\.whl \(scikit-learn: HTTP 404\)\./,
    );
  });
});
