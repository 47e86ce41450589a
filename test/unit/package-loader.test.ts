import { expect } from '@esm-bundle/chai';
import { PackageLoader, type PackageInstaller } from '../../runtime/engine/package-loader.js';
import type { Lock } from '../../runtime/shared/packages.js';
import { parseWheelFile } from '../../runtime/shared/wheels.js';

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
    const loader = new PackageLoader(stand, lock, { indexURL: 'http://runtime.test/' });
    const heard: string[][] = [];
    expect(await loader.load(['scikit-learn'], ['numpy', 'json'], (names) => heard.push(names))).to.equal(null);
    expect(calls).to.deep.equal([['scikit-learn', 'numpy']]);
    expect(heard).to.deep.equal([['scikit-learn', 'numpy']]);
    expect(await loader.load([], ['numpy', 'sklearn'], () => heard.push(['again']))).to.equal(null);
    expect(calls).to.have.length(1);
  });

  it('names a package the index does not have, without loading anything', async () => {
    const { stand, calls } = installer([]);
    const error = await new PackageLoader(stand, lock, { indexURL: 'http://runtime.test/' }).load(['nope'], [], () => undefined);
    expect(error?.failure).to.equal('unknown-package');
    expect(error?.message).to.equal(
      "No package 'nope' in the package index of Pyodide 314.0.7 (http://runtime.test/pyodide-lock.json), nor a wheel of that name in the runtime folder or configure({packages}).",
    );
    expect(calls).to.have.length(0);
  });

  it('names the URL and the reason of a package that cannot be loaded', async () => {
    const { stand } = installer(['numpy']);
    const error = await new PackageLoader(stand, lock, { indexURL: 'http://runtime.test/' }).load(['scikit-learn'], [], () => undefined);
    expect(error?.failure).to.equal('package');
    expect(error?.message).to.match(
      /^Could not load package 'scikit-learn' from https:\/\/cdn\.test\/scikit_learn-1\.0\.whl \(scikit-learn: HTTP 404\)\./,
    );
  });
});

describe('PackageLoader with wheels', () => {
  const platform = { python: '3.14.2', abiVersion: '2026_0', platform: 'emscripten_5_0_3', arch: 'wasm32' };
  const base = new URL('/test/fixtures/wheels/', location.href).href;
  const mylib = parseWheelFile(`${base}mylib-1.0.0-py3-none-any.whl`)!;

  /** Pyodide's installer: a wheel URL loads under its file name's first part, as Pyodide files it. */
  function wheelInstaller() {
    const calls: string[][] = [];
    const stand: PackageInstaller = {
      version: '314.0.7',
      loadedPackages: {},
      async loadPackage(names, options) {
        calls.push(names);
        for (const name of names) {
          const response = await fetch(name);
          if (response.ok && (await response.text()).startsWith('PK')) {
            (stand.loadedPackages as Record<string, string>)[name.split('/').pop()!.split('-')[0]!] = name;
          } else {
            options.errorCallback(`Failed to install ${name}`);
          }
        }
      },
    };
    return { stand, calls };
  }

  it('loads a page-wide wheel when a cell imports one of its modules, and only then', async () => {
    const { stand, calls } = wheelInstaller();
    const loader = new PackageLoader(stand, lock, { indexURL: 'http://runtime.test/', platform, pagePackages: [mylib.url] });
    expect(await loader.load([], ['json'], () => undefined)).to.equal(null);
    expect(calls).to.have.length(0);
    const heard: string[][] = [];
    expect(await loader.load([], ['mylib_extras'], (names) => heard.push(names))).to.equal(null);
    expect(calls).to.deep.equal([[mylib.url]]);
    expect(heard).to.deep.equal([['mylib']]);
    expect(await loader.load(['mylib'], ['mylib'], () => undefined)).to.equal(null);
    expect(calls).to.have.length(1);
  });

  it("reads no wheel's module list for a run that imports nothing new", async () => {
    const { stand } = wheelInstaller();
    const requested: string[] = [];
    const counting: typeof fetch = (input, init) => (
      requested.push(input instanceof Request ? input.url : input.toString()),
      fetch(input, init)
    );
    const loader = new PackageLoader(stand, lock, {
      indexURL: 'http://runtime.test/',
      platform,
      pagePackages: [mylib.url],
      fetch: counting,
    });
    expect(await loader.load([], [], () => undefined)).to.equal(null);
    expect(requested).to.deep.equal([]);
    expect(await loader.load([], ['mylib_extras'], () => undefined)).to.equal(null);
    expect(requested).to.include(mylib.url);
  });

  it('loads page-wide package names before every run, as if every cell listed them', async () => {
    const { stand, calls } = installer(['numpy']);
    const loader = new PackageLoader(stand, lock, { indexURL: 'http://runtime.test/', pagePackages: ['numpy'] });
    expect(await loader.load([], [], () => undefined)).to.equal(null);
    expect(await loader.load([], [], () => undefined)).to.equal(null);
    expect(calls).to.deep.equal([['numpy']]);
  });

  it('names the URL and the reason of a wheel that cannot be used, loading nothing for a wrong ABI', async () => {
    const { stand, calls } = wheelInstaller();
    const loader = new PackageLoader(stand, lock, { indexURL: 'http://runtime.test/', platform, fetch });
    const wrong = `${base}wrongabi-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl`;
    const abi = await loader.load([wrong], [], () => undefined);
    expect(abi?.failure).to.equal('wheel');
    expect(abi?.message).to.equal(
      `Cannot use ${wrong}: it is built for cp312-cp312-manylinux_2_17_x86_64, but Pyodide's Python 3.14 needs a pure-Python wheel (py3-none-any) or one built for Pyodide (cp314-cp314-pyemscripten_2026_0_wasm32).`,
    );
    expect(calls).to.have.length(0);
    const missing = `${base}missing-1.0.0-py3-none-any.whl`;
    expect((await loader.load([missing], [], () => undefined))?.message).to.equal(
      `Could not load the wheel ${missing}: the server answered HTTP 404 Not Found.`,
    );
    const text = `${base}notawheel-1.0.0-py3-none-any.whl`;
    expect((await loader.load([text], [], () => undefined))?.message).to.equal(
      `Could not load the wheel ${text}: it is not a wheel (not a zip archive).`,
    );
    expect((await loader.load([`${base}mylib.whl`], [], () => undefined))?.message).to.match(/its file name is not a wheel's/);
  });
});
