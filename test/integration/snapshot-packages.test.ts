// Issue 14, part 4: a snapshot made with packages installed and imported. `npm test` makes one
// with the pure-Python test wheel mylib (`npm run snapshot:test`); the runtime folder here is
// wasm-dist/ with the test wheels and that snapshot (fault-middleware.mjs, `snapshot-packages`),
// and the server logs every wheel GET.
import { expect } from '@esm-bundle/chai';
import { addCell, freshRuntime, partText, runtimeWhere } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

const RUNTIME = '/faults/snapshot-packages/wasm-dist/';
/** Downloads of wheels under this runtime folder (GETs without a range: not reads of a module list). */
const wheelDownloads = async (): Promise<string[]> =>
  ((await (await fetch('/faults/requests/snapshot-packages')).json()) as Array<{ file: string; range: string | null }>)
    .filter((request) => request.range === null)
    .map((request) => request.file);

// Only mylib: the boot's prefetch reads the module lists of the folder's wheels for any import
// it cannot place, the standard library's included.
const USES_MYLIB = 'import mylib, mylib.shapes\nprint(mylib.greet("snapshot"), mylib.shapes.square(2))';
// mylib was imported before the snapshot; mylib.shapes and the metadata come from its files.
const INSPECTS_MYLIB = `import sys, importlib.metadata
print(sys.modules["mylib"].__file__, importlib.metadata.version("mylib"))`;

describe('a snapshot made with packages in it', () => {
  afterEach(() => {
    configure({ snapshot: true });
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
    freshRuntime();
  });

  it('starts with the package imported and its files in place, and downloads no wheel for it', async () => {
    configure({ runtimeURL: RUNTIME, snapshot: true });
    const before = (await wheelDownloads()).length;
    const cell = addCell(USES_MYLIB);
    const result = await cell.run();
    expect(result.status, partText(cell, 'error')).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('Hello, snapshot! [[0, 1], [2, 3]]\n');
    expect(runtimeWhere(RUNTIME).stats.snapshot).to.deep.equal({ used: true, packages: ['mylib 1.0.0'] });
    // A cell that names it: still nothing to load.
    const named = addCell('mylib.__name__', { packages: 'mylib' });
    expect((await named.run()).status).to.equal('done');
    const downloads = (await wheelDownloads()).slice(before);
    expect(downloads, downloads.join(', ')).to.deep.equal([]);
    const inspect = addCell(INSPECTS_MYLIB);
    await inspect.run();
    expect(partText(inspect, 'stdout')).to.match(/^\/lib\/python3\.14\/site-packages\/mylib\/__init__\.py 1\.0\.0\n$/);
  });

  // (Its wheel may come from the browser's cache: the first test read it.)
  it('falls back to loading the package when the snapshot is not used', async () => {
    configure({ runtimeURL: RUNTIME, snapshot: false });
    const cell = addCell(USES_MYLIB);
    const result = await cell.run();
    expect(result.status, partText(cell, 'error')).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('Hello, snapshot! [[0, 1], [2, 3]]\n');
    expect(runtimeWhere(RUNTIME).stats.snapshot).to.deep.equal({ used: false, reason: 'turned off' });
    const inspect = addCell(INSPECTS_MYLIB);
    await inspect.run();
    expect(partText(inspect, 'stdout')).to.contain(' 1.0.0\n');
  });
});
