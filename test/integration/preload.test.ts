// configure({preload}) in real engines: which requests a page view makes, and when. Focus and the
// pointer are real (sendMouse moves the engine's own pointer).
import { expect } from '@esm-bundle/chai';
import { executeServerCommand, resetMouse, sendMouse } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import type { RuntimeClient } from '../../runtime/page/client.js';
import { addCell, freshRuntime, partText, waitFor, workerLoads } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The page's runtime clients, by registry key. */
const runtimes = () => [
  ...((globalThis as unknown as Record<symbol, Map<string, RuntimeClient> | undefined>)[Symbol.for('py-cell.runtimes')]?.entries() ?? []),
];

/** The page's runtimes that have started (booting, ready or failed), by mode. */
const started = () =>
  runtimes()
    .filter(([, client]) => client.state !== 'idle')
    .map(([key]) => key.split('|')[0]!);

/** Python's own files requested by the page so far (the worker's requests are not the page's). */
const pythonRequests = () =>
  workerLoads() + performance.getEntriesByType('resource').filter((entry) => /wasm-dist\//.test(entry.name)).length;

const runButton = (cell: PyCell) => cell.shadowRoot!.querySelector<HTMLButtonElement>('button.run')!;

describe('preload: Python starts before the first Run', () => {
  // Focus and intersection are the visible page's: an earlier test's window may be in front.
  before(async () => {
    await executeServerCommand('bring-to-front');
    expect(document.visibilityState).to.equal('visible');
  });
  beforeEach(() => freshRuntime());
  afterEach(async () => {
    configure({ preload: 'intent' });
    await resetMouse();
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
    freshRuntime();
    scrollTo(0, 0);
  });

  it('intent (default): a page view with no interaction loads no Python; focus starts it, and Run then answers without a boot', async () => {
    const before = pythonRequests();
    const cell = addCell('print("ready")\n6 * 7');
    await cell.updateComplete;
    await pause(1500);
    expect(started()).to.deep.equal([]);
    expect(pythonRequests()).to.equal(before);
    runButton(cell).focus();
    expect(started()).to.deep.equal(['worker']);
    const runtime = runtimes()[0]![1];
    await waitFor(() => runtime.state === 'ready', 'the preloaded runtime');
    const clicked = performance.now();
    runButton(cell).click();
    await waitFor(() => partText(cell, 'result') === '42', 'the output');
    const elapsed = performance.now() - clicked;
    console.log(`click to first output, the runtime preloaded: ${elapsed.toFixed(0)} ms`);
    expect(partText(cell, 'stdout')).to.equal('ready\n');
    expect(runtime.stats.restarts).to.equal(0);
    // After a preload the engine makes an unseen warm-up run before it is ready (not when a run waits)...
    expect(runtime.stats.bootTimings?.warmUp).to.be.a('number');
    // ...which left no session, no global, no output.
    const probe = addCell('import pycell._runner as r\nprint(sorted(r._sessions), sorted(k for k in globals() if k[0] != "_"))');
    await probe.run();
    expect(partText(probe, 'stdout')).to.equal("['default'] ['r']\n");
    expect(document.body.textContent + partText(cell, 'stdout')).not.to.contain('warm-up');
  });

  it('intent: the pointer resting on a cell starts it', async () => {
    const cell = addCell('1');
    await cell.updateComplete;
    const box = cell.getBoundingClientRect();
    await sendMouse({ type: 'move', position: [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)] });
    await waitFor(() => started().length > 0, 'a start on the resting pointer', 5000);
    expect(started()).to.deep.equal(['worker']);
  });

  it("'none': focus does not start Python; Run does", async () => {
    configure({ preload: 'none' });
    const cell = addCell('"ran"');
    await cell.updateComplete;
    runButton(cell).focus();
    await pause(500);
    expect(started()).to.deep.equal([]);
    await cell.run();
    expect(partText(cell, 'result')).to.equal("'ran'");
    expect(runtimes()[0]![1].stats.bootTimings).not.to.have.property('warmUp');
  });

  it('a main-thread cell is not preloaded (starting Python there would block the page)', async () => {
    const cell = addCell('1', { 'main-thread': '' });
    await cell.updateComplete;
    runButton(cell).focus();
    await pause(500);
    expect(started()).to.deep.equal([]);
  });

  it("'visible': a cell far below the viewport starts Python only when it scrolls near", async () => {
    configure({ preload: 'visible' });
    const spacer = document.createElement('div');
    spacer.style.height = '500vh';
    document.body.append(spacer);
    const cell = addCell('1');
    await cell.updateComplete;
    await pause(500);
    expect(started()).to.deep.equal([]);
    cell.scrollIntoView();
    await waitFor(() => started().length > 0, 'a start when the cell came into view', 5000);
    spacer.remove();
  });

  it("'eager': Python starts once the page is idle, with no interaction", async () => {
    addCell('1');
    configure({ preload: 'eager' });
    await waitFor(() => started().length > 0, 'an eager start', 5000);
    expect(started()).to.deep.equal(['worker']);
  });
});
