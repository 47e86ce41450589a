import { expect } from '@esm-bundle/chai';
import { prefetchPackages } from '../../runtime/engine/prefetch.js';
import type { WheelIndex } from '../../runtime/engine/wheel-index.js';
import type { Lock } from '../../runtime/shared/packages.js';
import type { SnapshotPackage } from '../../runtime/engine/snapshot.js';
import { parseWheelFile, type WheelFile } from '../../runtime/shared/wheels.js';

const INDEX = 'http://site.test/wasm-dist/';
const entry = (name: string, fileName: string, imports: string[], depends: string[] = []) => ({
  name,
  file_name: fileName,
  imports,
  depends,
  sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
});
const lock: Lock = {
  info: {},
  packages: {
    numpy: entry('numpy', 'numpy-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl', ['numpy']),
    'scikit-learn': entry(
      'scikit-learn',
      'https://cdn.test/scikit_learn-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl',
      ['sklearn'],
      ['numpy'],
    ),
    pillow: entry('Pillow', 'pillow-1.0-py3-none-any.whl', ['PIL']),
  },
};
const MYLIB = parseWheelFile('http://site.test/wheels/mylib-1.0-py3-none-any.whl')!;

/** The author's wheels, as the engine indexes them; `byModule` counts its reads. */
function authorWheels(wheels: WheelFile[], modules: Record<string, WheelFile>) {
  let reads = 0;
  const index = {
    wheels,
    byName: (name: string) => wheels.find((wheel) => wheel.name === name),
    byModule: () => {
      reads++;
      return Promise.resolve(new Map(Object.entries(modules)));
    },
  } as unknown as WheelIndex;
  return { index, reads: () => reads };
}

async function prefetched(
  hints: { packages: string[]; code: string[] },
  pagePackages: string[] = [],
  wheels = authorWheels([], {}),
  held?: SnapshotPackage[],
) {
  const started: Array<[string, string | undefined]> = [];
  const urls = await prefetchPackages(
    lock,
    { indexURL: INDEX, pagePackages, authorWheels: wheels.index },
    hints,
    (url, integrity) => started.push([url, integrity]),
    held,
  );
  expect(urls).to.deep.equal(started.map(([url]) => url));
  return started;
}

describe('prefetchPackages', () => {
  it('skips the packages the interpreter snapshot holds, lock file packages and wheels alike', async () => {
    const wheels = authorWheels([MYLIB], { mylib: MYLIB });
    const held = [
      { name: 'NumPy', version: '2.0', imports: ['numpy'] },
      { name: 'mylib', version: '1.0', imports: ['mylib'] },
    ];
    const started = await prefetched({ packages: ['Pillow'], code: ['import numpy, mylib, sklearn'] }, [MYLIB.url], wheels, held);
    expect(started.map(([url]) => url)).to.deep.equal([
      `${INDEX}pillow-1.0-py3-none-any.whl`,
      'https://cdn.test/scikit_learn-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl',
    ]);
    // Code that imports only what the snapshot holds reads no wheel's module list.
    const reads = authorWheels([MYLIB], { mylib: MYLIB });
    expect(await prefetched({ packages: [], code: ['import mylib'] }, [MYLIB.url], reads, held)).to.deep.equal([]);
    expect(reads.reads()).to.equal(0);
  });

  it('starts the lock files packages that the cells import or name, with their dependencies and integrity values', async () => {
    const started = await prefetched({ packages: ['Pillow'], code: ['import sklearn, os', 'from numpy import array'] });
    const integrity = 'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=';
    expect(started).to.deep.equal([
      [`${INDEX}pillow-1.0-py3-none-any.whl`, integrity],
      ['https://cdn.test/scikit_learn-1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl', integrity],
      [`${INDEX}numpy-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl`, integrity],
    ]);
  });

  it("starts a cell's own wheel URL, and a page-wide wheel only when a cell imports one of its modules", async () => {
    const own = 'http://site.test/own-1.0-py3-none-any.whl';
    const notImported = authorWheels([MYLIB], { mylib: MYLIB });
    expect(await prefetched({ packages: [own], code: ['import json'] }, [MYLIB.url], notImported)).to.deep.equal([[own, undefined]]);
    const imported = authorWheels([MYLIB], { mylib_extras: MYLIB });
    expect(await prefetched({ packages: [], code: ['import mylib_extras'] }, [MYLIB.url], imported)).to.deep.equal([
      [MYLIB.url, undefined],
    ]);
  });

  it('reads no wheel directory when no cell imports anything, and starts nothing for unknown names', async () => {
    const wheels = authorWheels([MYLIB], {});
    expect(await prefetched({ packages: ['no-such-package'], code: ['x = 1'] }, [MYLIB.url], wheels)).to.deep.equal([]);
    expect(wheels.reads()).to.equal(0);
  });
});
