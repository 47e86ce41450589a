import { expect } from '@esm-bundle/chai';
import { addCell, outputArea, partText, runtimeWhere, waitFor } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure, currentConfig } = (await import(bundle)) as typeof import('../../components/index.js');

const WHEELS = '/test/fixtures/wheels/';
const MYLIB = `${WHEELS}mylib-1.0.0-py3-none-any.whl`;
const TESTEXT = `${WHEELS}pycell_testext-0.1.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl`;
const absolute = (path: string) => new URL(path, location.href).href;

// The author's library and a compiled extension, page-wide; and a broken page-wide wheel, which
// must trouble only the cell that imports it.
configure({ packages: [MYLIB, TESTEXT, `${WHEELS}notawheel-1.0.0-py3-none-any.whl`] });

/** The distributions installed in the session, by name. */
const INSTALLED = 'import importlib.metadata as m\nsorted(d.metadata["Name"] for d in m.distributions())';

describe("the author's own wheels", () => {
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  it('makes page-wide wheel URLs absolute against the page', () => {
    expect(currentConfig().packages).to.deep.equal([
      absolute(MYLIB),
      absolute(TESTEXT),
      absolute(`${WHEELS}notawheel-1.0.0-py3-none-any.whl`),
    ]);
    expect(() => configure({ packages: ['numpy', 'not a name'] })).to.throw(
      TypeError,
      "'packages' must be an array of package names and wheel URLs",
    );
    // A wheel URL the loader could not read a name from is refused here, not dropped later.
    expect(() => configure({ packages: ['./wheels/mylib.whl'] })).to.throw(TypeError, 'name-version-python-abi-platform.whl');
    expect(currentConfig().packages).to.have.length(3);
  });

  it('loads a page-wide wheel when a cell first imports one of its modules, not before', async () => {
    const plain = addCell(INSTALLED);
    await plain.run();
    expect(partText(plain, 'result')).not.to.contain('mylib');
    // mylib_extras is the wheel's second top-level module: the names come from the wheel itself.
    const extras = addCell('import mylib_extras\nprint(mylib_extras.LOUD)');
    const result = await extras.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(extras, 'stdout')).to.equal('HELLO, EVERYONE!\n');
    const again = addCell('import mylib\nmylib.greet("docs"), mylib.__version__');
    await again.run();
    expect(partText(again, 'result')).to.equal("('Hello, docs!', '1.0.0')");
  });

  it('loads a compiled extension built for Pyodide, whose buffer shows as an array', async () => {
    const cell = addCell('import pycell_testext as t\nprint(t.add(2, 3), t.greet("wasm"))\nt.matrix(2, 3)', { session: 'ext' });
    const result = await cell.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('5 Hello, wasm!\n');
    const view = outputArea(cell)!.querySelector<HTMLElement & { updateComplete: Promise<unknown> }>('py-cell-array');
    expect(view, 'an array view').to.not.equal(null);
    await view!.updateComplete;
    expect(view!.shadowRoot!.querySelector('.summary')!.textContent).to.equal('pycell_testext.Matrix · shape (2, 3) · float64');
    const rows = Array.from(view!.shadowRoot!.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((td) => td.textContent));
    expect(rows.at(-1)).to.deep.equal(['1', '3.', '4.', '5.']);
    // Installed into an interpreter restored from the build's snapshot.
    expect(runtimeWhere(absolute(TESTEXT)).stats.snapshot).to.deep.equal({ used: true });
  });

  it('loads a wheel named by URL in the packages attribute, relative to the page', async () => {
    const cell = addCell('import mylib.shapes\nmylib.shapes.square(2)', { packages: `.${MYLIB}`, session: 'by-url' });
    const result = await cell.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(cell, 'result')).to.equal('[[0, 1], [2, 3]]');
  });

  it('fails a run with the URL and the reason for a wrong platform, a 404 or a file that is not a wheel; the page goes on', async () => {
    const wrong = `${WHEELS}wrongabi-1.0.0-cp312-cp312-manylinux_2_17_x86_64.whl`;
    const abi = addCell('1', { packages: wrong });
    const abiResult = await abi.run();
    expect(abiResult.error!.type).to.equal('UnusableWheel');
    expect(abiResult.error!.message).to.contain(absolute(wrong));
    expect(abiResult.error!.message).to.contain('cp312-cp312-manylinux_2_17_x86_64');
    expect(abiResult.error!.message).to.contain('cp314-cp314-pyemscripten_2026_0_wasm32');
    await abi.updateComplete;
    expect(abi.shadowRoot!.querySelector('[part="retry-button"]'), 'no Retry for a wheel that cannot work').to.equal(null);

    const missing = `${WHEELS}missing-1.0.0-py3-none-any.whl`;
    const gone = addCell('1', { packages: missing });
    const goneResult = await gone.run();
    expect(goneResult.error!.message).to.equal(`Could not load the wheel ${absolute(missing)}: the server answered HTTP 404 Not Found.`);
    expect(partText(gone, 'error')).to.contain(absolute(missing));

    const text = addCell('import notawheel');
    const textResult = await text.run();
    expect(textResult.error!.message).to.equal(
      `Could not load the wheel ${absolute(`${WHEELS}notawheel-1.0.0-py3-none-any.whl`)}: it is not a wheel (not a zip archive).`,
    );

    const bad = addCell('1', { packages: 'http://[bad/x-1-py3-none-any.whl' });
    expect((await bad.run()).error!.type).to.equal('InvalidAttribute');

    const fine = addCell('import mylib\nmylib.greet()');
    await fine.run();
    expect(partText(fine, 'result')).to.equal("'Hello, world!'");
  });

  it('keeps a compiled extension and its objects through Stop and replay', async () => {
    const first = addCell('import pycell_testext as t\nm = memoryview(t.matrix(2, 3))\nm.tolist()', { session: 'replay' });
    await first.run();
    expect(partText(first, 'result')).to.equal('[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]');
    const loop = addCell('while True:\n    pass', { session: 'replay' });
    const looping = loop.run();
    await waitFor(() => loop.status === 'running', 'the loop to run');
    loop.stop();
    expect((await looping).error!.type).to.equal('RunStopped');
    const after = addCell('t.add(m.shape[0], m.shape[1]), m.format', { session: 'replay' });
    const result = await after.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(after, 'result')).to.equal("(5, 'd')");
  });
});

describe('wheels in the runtime folder', () => {
  it('finds a wheel the lock file does not know by its name and by its modules', async () => {
    configure({ runtimeURL: '/faults/local-wheels/wasm-dist/', packages: [] });
    const byName = addCell(INSTALLED, { packages: 'mylib' });
    await byName.run();
    expect(partText(byName, 'result')).to.contain("'mylib'");
    const byModule = addCell('import pycell_testext\npycell_testext.add(40, 2)', { session: 'local' });
    const result = await byModule.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(byModule, 'result')).to.equal('42');
    byName.remove();
    byModule.remove();
  });
});
