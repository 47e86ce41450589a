// Packages download while Python starts: the page's cells name them (`packages`) or import them,
// the lock file says which files they are. The runtime folder here is wasm-dist/ with a lock file
// that lists two test wheels as its own packages (fault-middleware.mjs, `lock-wheels`), as it
// lists NumPy when wasm-dist/ holds it; the server logs every wheel GET with its time.
import { expect } from '@esm-bundle/chai';
import type { RuntimeClient } from '../../runtime/page/client.js';
import { addCell, freshRuntime, partText, waitFor } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

const TESTEXT = 'pycell_testext-0.1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl';
const MYLIB = 'mylib-1.0.0-py3-none-any.whl';

interface WheelRequest {
  file: string;
  at: number;
  range: string | null;
}
const wheelRequests = async (): Promise<WheelRequest[]> => (await fetch('/faults/requests/lock-wheels')).json() as Promise<WheelRequest[]>;

const onlyRuntime = (): RuntimeClient => {
  const registry = (globalThis as unknown as Record<symbol, Map<string, RuntimeClient>>)[Symbol.for('py-cell.runtimes')]!;
  expect(registry.size).to.equal(1);
  return registry.values().next().value!;
};

describe('packages download while Python starts', () => {
  before(() => configure({ runtimeURL: '/faults/lock-wheels/wasm-dist/' }));
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
    freshRuntime();
  });

  it("fetches the packages the page's cells import or name during the boot, once, and the run installs them without downloading again", async () => {
    const before = (await wheelRequests()).length;
    const plain = addCell('print("no packages here")');
    const ext = addCell('import pycell_testext as t\nt.add(2, 3)');
    const named = addCell('print("named")', { packages: 'mylib' });
    await Promise.all([plain, ext, named].map((cell) => cell.updateComplete));
    // Intent starts the runtime (preload.test.ts tests real focus); nothing has run. A focusin
    // event, as focus entering the cell makes, also when this page is not the one in front.
    plain.dispatchEvent(new FocusEvent('focusin'));
    const runtime = onlyRuntime();
    await waitFor(() => runtime.state === 'ready', 'the boot');
    const readyAt = Date.now();
    const early = (await wheelRequests()).slice(before);
    expect(early.map((request) => request.file).sort()).to.deep.equal([MYLIB, TESTEXT]);
    for (const request of early) {
      expect(request.range).to.equal(null);
      expect(request.at, `${request.file} requested before the boot ended`).to.be.at.most(readyAt);
    }
    const result = await ext.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(ext, 'result')).to.equal('5');
    await named.run();
    expect(partText(named, 'stdout')).to.equal('named\n');
    // Installed from the bytes fetched at boot: no second download.
    expect((await wheelRequests()).slice(before)).to.have.length(2);
  });

  it('fetches nothing for a page whose cells need no package', async () => {
    const before = (await wheelRequests()).length;
    const cell = addCell('import math\nmath.floor(2.5)');
    const result = await cell.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(cell, 'result')).to.equal('2');
    expect((await wheelRequests()).slice(before)).to.deep.equal([]);
  });
});
