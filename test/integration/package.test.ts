import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { PyCell } from '../../components/index.js';
import { openFrame, partText } from './helpers.js';

/** Runs the first cell of the page in a frame; resolves with its stdout, or the error. */
async function runFirstCell(url: string): Promise<{ stdout: string; view: Window & typeof globalThis }> {
  const view = await openFrame(url);
  const cell = view.document.querySelector('py-cell') as PyCell;
  await cell.updateComplete;
  const result = await cell.run();
  expect(result.status, result.error?.message).to.equal('done');
  return { stdout: partText(cell, 'stdout'), view };
}

describe('the npm package', () => {
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it('exports exactly the documented API', async () => {
    const bundle = '../../dist/py-cell.js';
    const module = (await import(bundle)) as typeof import('../../components/index.js');
    expect(Object.keys(module).sort()).to.deep.equal([
      'PYODIDE_VERSION',
      'PyCell',
      'PyCellCheckEvent',
      'PyCellDoneEvent',
      'PyCellInputEvent',
      'PyCellRunEvent',
      'configure',
      'currentConfig',
    ]);
  });

  it('runs a cell from the packed package installed into a fresh project', async () => {
    const { stdout } = await runFirstCell('/test/sites/_build/package/index.html');
    expect(stdout).to.equal('from npm (3, 14)\n');
  });

  it("runs a cell from a Rollup bundle that imports 'py-cell' through the exports map", async () => {
    const { stdout, view } = await runFirstCell('/test/sites/_build/package/bundled.html');
    expect(stdout).to.equal('bundled\n');
    expect((view as unknown as { bundledPyCell: unknown }).bundledPyCell).to.equal(view.customElements.get('py-cell'));
  });

  it('runs a cell with py-cell.js from another origin (a CDN), with no configure() call', async () => {
    const origin = await executeServerCommand<string, undefined>('cdn-origin');
    expect(origin).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(origin).to.not.equal(location.origin);
    const { stdout, view } = await runFirstCell(`/test/pages/cdn.html?from=${encodeURIComponent(origin)}`);
    expect(stdout).to.equal('from a CDN emscripten\n');
    const module = await (view as unknown as { pyCellModule: Promise<typeof import('../../components/index.js')> }).pyCellModule;
    expect(module.currentConfig().runtimeURL).to.equal(`${origin}/wasm-dist/`);
    expect(module.currentConfig().workerURL).to.equal(`${origin}/dist/py-cell-worker.js`);
  });
});
