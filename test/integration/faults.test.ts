import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, engine, partText, runtimeWhere, sleep, waitFor } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

const summary = { injected: 0, survived: 0, restored: 0, lost: 0 };
const unhandled: unknown[] = [];
window.addEventListener('unhandledrejection', (event) => unhandled.push(event.reason));
window.addEventListener('error', (event) => unhandled.push(event.message));

/** Code that makes Pyodide itself fail, not Python: each once left every cell waiting forever. */
const CRASHES: Record<string, string> = {
  'a JavaScript stack overflow in repr()': 'l = []\nfor _ in range(10**5):\n    l = [l]\nl',
  'os._exit(0)': 'import os\nos._exit(0)',
  'os.abort()': 'import os\nos.abort()',
  'a segmentation fault': 'import faulthandler\nfaulthandler._sigsegv()',
  'unbounded recursion past a raised recursion limit, inside try/except':
    'import sys\nsys.setrecursionlimit(10**6)\ndef f():\n    return f()\ntry:\n    f()\nexcept RecursionError:\n    pass',
};

/** Runs a cell against a faulty runtime; it must end in `error` (never stuck) naming `url`. */
async function faulty(runtimeURL: string, expected: RegExp, extra: Record<string, unknown> = {}): Promise<PyCell> {
  configure({ runtimeURL, stallTimeout: 2, ...extra });
  const cell = addCell('print("never")');
  summary.injected++;
  const result = await cell.run();
  await cell.updateComplete;
  expect(result.status).to.equal('error');
  expect(cell.status).to.equal('error');
  expect(result.error!.failure).to.equal('load');
  expect(result.error!.message).to.match(expected);
  expect(partText(cell, 'error')).to.match(expected);
  expect(Boolean(cell.shadowRoot!.querySelector('[part="retry-button"]')), 'a Retry button').to.equal(true);
  summary.survived++;
  return cell;
}

/** A broken snapshot costs time, never the run: Python starts normally and says why. */
async function fallsBack(runtimeURL: string, reason: RegExp): Promise<void> {
  configure({ runtimeURL, stallTimeout: 30 });
  const cell = addCell('print("started anyway")');
  summary.injected++;
  const result = await cell.run();
  await cell.updateComplete;
  expect(result.status, partText(cell, 'error')).to.equal('done');
  expect(partText(cell, 'stdout')).to.equal('started anyway\n');
  const use = runtimeWhere(`|${new URL(runtimeURL, location.href).href}|`).stats.snapshot;
  expect(use?.used).to.equal(false);
  expect(use && !use.used ? use.reason : '').to.match(reason);
  summary.survived++;
}

describe('fault suite: injected faults never leave a cell stuck', () => {
  after(async () => {
    // Every fault but the crashes (which the cells' own code causes) was served by the server.
    const injectedOnServer = Number(await (await fetch('/faults/count/')).text());
    expect(injectedOnServer).to.be.at.least(summary.injected - Object.keys(CRASHES).length);
    expect(unhandled.map(String)).to.deep.equal([]);
    // The suite's summary line.
    console.log(
      `fault suite: ${summary.injected} faults injected, ${summary.survived} survived, ${summary.restored} sessions restored, ${summary.lost} data lost`,
    );
  });

  it('names the URL of a missing wasm file', async () => {
    await faulty(
      '/faults/missing-wasm/wasm-dist/',
      /Could not load http:\/\/[^ ]+\/faults\/missing-wasm\/wasm-dist\/pyodide\.asm\.wasm: HTTP 404/,
    );
  });

  it('names the URL of a truncated wasm file', async () => {
    await faulty(
      '/faults/truncated-wasm/wasm-dist/',
      /Could not compile http:\/\/[^ ]+\/faults\/truncated-wasm\/wasm-dist\/pyodide\.asm\.wasm \(truncated or corrupted\?\)/,
    );
  });

  it('refuses a runtime folder of another Pyodide version', async () => {
    await faulty(
      '/faults/mismatch/wasm-dist/',
      /Version mismatch: py-cell was built for Pyodide 314\.0\.7 but http:\/\/[^ ]+\/faults\/mismatch\/wasm-dist\/ holds Pyodide 0\.0\.1/,
    );
  });

  it('gives up on a runtime server that does not answer', async () => {
    await faulty('/faults/stall/wasm-dist/', /No data from http:\/\/[^ ]+\/faults\/stall\/wasm-dist\/[^ ]+ for 2 s/);
  });

  it('starts Python normally when the snapshot is missing', async () => {
    await fallsBack(
      '/faults/missing-snapshot/wasm-dist/',
      /the snapshot failed \(Could not load http:\/\/[^ ]+\/py-cell-snapshot(-nojspi)?\.gz: HTTP 404\); Python started normally/,
    );
  });

  it('starts Python normally when the snapshot is truncated', async () => {
    await fallsBack('/faults/truncated-snapshot/wasm-dist/', /the snapshot failed \(.+\); Python started normally/);
  });

  it('starts Python normally when the snapshot is not a snapshot', async () => {
    await fallsBack('/faults/corrupt-snapshot/wasm-dist/', /the snapshot failed \(.*invalid magic number.*\); Python started normally/);
  });

  it('retries with the Retry button once the fault is gone', async () => {
    // The server's fault stays fixed for the other engines of the run: one per engine.
    const cell = await faulty(
      `/faults/flaky-${engine}/wasm-dist/`,
      new RegExp(`faults/flaky-${engine}/wasm-dist/pyodide\\.asm\\.wasm: HTTP 404`),
    );
    await fetch(`/faults/fix/flaky-${engine}`);
    cell.code = 'print("recovered")';
    cell.shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click();
    await waitFor(() => cell.status !== 'error', 'the retry to start');
    await waitFor(() => cell.status === 'done' || cell.status === 'error', 'the retried run');
    expect(cell.status, partText(cell, 'error')).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('recovered\n');
  });

  it('names a package URL that does not answer, and the runtime goes on', async () => {
    configure({ runtimeURL: '/wasm-dist/', packageURL: '/faults/stall/packages/', stallTimeout: 2 });
    const setup = addCell('kept = {"a": 1, "b": [2, 3]}\ncount = 3', { session: 'data' });
    await setup.run();
    const cell = addCell('import numpy');
    summary.injected++;
    const result = await cell.run();
    expect(result.error!.type).to.equal('PackageLoadError');
    expect(result.error!.message).to.match(/'numpy' from http:\/\/[^ ]+\/faults\/stall\/packages\/numpy-[^ ]+\.whl/);
    expect(result.error!.message).to.contain('does not answer');
    summary.survived++;
    const after = addCell('kept, count', { session: 'data' });
    await after.run();
    expect(partText(after, 'result')).to.equal("({'a': 1, 'b': [2, 3]}, 3)");
  });

  for (const [what, code] of Object.entries(CRASHES)) {
    it(`survives a crash of Python (${what}): restarted, the sessions restored, the next cell runs`, async () => {
      // The runtime of the package test above, whose sessions the stop test below checks.
      configure({ runtimeURL: '/wasm-dist/', packageURL: '/faults/stall/packages/', stallTimeout: 2 });
      const setup = addCell('kept = 41', { session: 'crash' });
      await setup.run();
      summary.injected++;
      const start = performance.now();
      const crash = addCell(code, { session: 'crash' });
      const next = addCell('print("the next cell ran")');
      const [result, after] = await Promise.all([crash.run(), next.run()]);
      const took = performance.now() - start;
      expect(result.status).to.equal('error');
      expect(result.error!.failure).to.equal('crashed');
      expect(result.error!.message).to.match(
        /^Python crashed \(.+\)\. Python was restarted and the sessions restored by re-running \d+ completed cell runs?: /,
      );
      expect(partText(crash, 'error')).to.contain('Python crashed');
      expect(after.status).to.equal('done');
      expect(partText(next, 'stdout')).to.equal('the next cell ran\n');
      expect(took, 'crash to the next cell done').to.be.below(10_000);
      summary.survived++;
      const check = addCell('kept + 1', { session: 'crash' });
      await check.run();
      if (partText(check, 'result') === '42') summary.restored++;
      else summary.lost++;
      expect(partText(check, 'result')).to.equal('42');
    });
  }

  it('restores the sessions after a stop, losing no data', async () => {
    const loop = addCell('while True:\n    pass', { session: 'data' });
    const running = loop.run();
    await waitFor(() => loop.status === 'running', 'the loop');
    await new Promise((resolve) => setTimeout(resolve, 200));
    summary.injected++;
    loop.stop();
    const result = await running;
    expect(result.error!.type).to.equal('RunStopped');
    summary.survived++;
    const check = addCell('[name for name in ("kept", "count") if name not in globals()]', { session: 'data' });
    await check.run();
    const missing = JSON.parse(partText(check, 'result').replace(/'/g, '"')) as string[];
    summary.restored++;
    summary.lost += missing.length;
    expect(missing).to.deep.equal([]);
  });
  it('survives a crash of Python while no cell runs (a timer calling into Python), and the next cell runs', async () => {
    configure({ runtimeURL: '/wasm-dist/', packageURL: '/faults/stall/packages/', stallTimeout: 2 });
    const absolute = (path: string) => new URL(path, location.href).href;
    const runtime = runtimeWhere(`worker|${absolute('/wasm-dist/')}|${absolute('/faults/stall/packages/')}|2|`);
    const restarts = runtime.stats.restarts;
    summary.injected++;
    const timer = addCell(
      'import js, os\nfrom pyodide.ffi import create_once_callable\njs.setTimeout(create_once_callable(lambda: os._exit(0)), 300)\n"armed"',
      { session: 'idle' },
    );
    await timer.run();
    expect(partText(timer, 'result')).to.equal("'armed'");
    // Replaying the sessions re-arms the timer, which crashes Python again right after the
    // restore: the second restart does not replay (it would loop), so there are two.
    await waitFor(() => runtime.stats.restarts >= restarts + 2, 'the restarts after the crashes', 30_000);
    await sleep(1000);
    expect(runtime.stats.restarts).to.equal(restarts + 2);
    const next = addCell('print("the next cell ran")');
    const result = await next.run();
    expect(result.status).to.equal('done');
    expect(partText(next, 'stdout')).to.equal('the next cell ran\n');
    summary.survived++;
  });
});
