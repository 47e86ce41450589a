// Steady over long sessions: many runs, many cells, restarts, removed cells. What every engine can
// observe is checked everywhere; heap sizes and garbage collection are read through the Chrome
// DevTools Protocol, in Chromium only.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, engine, freshRuntime, partText, runtimeWhere, sleep, waitFor } from './helpers.js';

/** What the `heap` server command reports (Chromium): bytes used after a garbage collection. */
interface Heap {
  page: number;
  workers: number[];
}
/** Collects garbage and measures the heaps, in Chromium; `null` elsewhere. */
const heap = async () => (await executeServerCommand<Heap | false, undefined>('heap')) || null;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

// Workers made and terminated by this page, whatever made them.
const workers = { made: 0, terminated: 0 };
const NativeWorker = globalThis.Worker;
globalThis.Worker = class extends NativeWorker {
  constructor(...args: ConstructorParameters<typeof Worker>) {
    super(...args);
    workers.made++;
  }
  override terminate(): void {
    workers.terminated++;
    super.terminate();
  }
};

/** Python's view of itself: WebAssembly memory and the objects the collector tracks. */
const PROBE = 'import gc, pyodide_js\ngc.collect()\n[pyodide_js._module.HEAP8.length, len(gc.get_objects())]';

async function probe(session: string): Promise<{ memory: number; objects: number }> {
  const cell = addCell(PROBE, { session });
  await cell.run();
  const [memory, objects] = JSON.parse(partText(cell, 'result')) as [number, number];
  cell.remove();
  return { memory, objects };
}

/** The page's worker runtime, seen from inside (what it keeps between runs). */
function internals(): { progressListeners: Set<unknown>; connection: { finished: Map<number, unknown> } | null } {
  return runtimeWhere('worker|') as unknown as ReturnType<typeof internals>;
}

/**
 * Removes the cells, in a function of its own: a suspended async test keeps the last value of its
 * loop variable alive, which would hold one removed cell.
 */
function removeAll(cells: PyCell[]): void {
  for (const cell of cells) cell.remove();
  cells.length = 0;
}

describe('steady over long sessions', () => {
  before(() => freshRuntime());
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  it('runs 1,000 times in one session with memory and Python objects flat after warm-up, nothing left subscribed', async () => {
    const cell = addCell('n += 1\nprint("run", n)\nresult = [i * i for i in range(200)]\nlen(result), n', { session: 'soak' });
    const setup = addCell('n = 0', { session: 'soak' });
    await setup.run();
    const samples: Array<{ run: number; memory: number; objects: number; heap: Heap | null }> = [];
    const started = performance.now();
    for (let run = 1; run <= 1000; run++) {
      const result = await cell.run();
      expect(result.status).to.equal('done');
      if (run === 200 || run === 600 || run === 1000) samples.push({ run, ...(await probe('soak')), heap: await heap() });
    }
    const perRun = (performance.now() - started) / 1000;
    expect(partText(cell, 'stdout')).to.equal('run 1000\n');
    expect(partText(cell, 'result')).to.equal('(200, 1000)');
    for (const sample of samples) {
      const heaps = sample.heap ? `, page heap ${mb(sample.heap.page)}, worker heap ${sample.heap.workers.map(mb).join(' + ')}` : '';
      console.log(`soak (${engine}) after ${sample.run} runs: wasm memory ${mb(sample.memory)}, ${sample.objects} Python objects${heaps}`);
    }
    console.log(`soak (${engine}): ${perRun.toFixed(1)} ms per run`);
    const [warm, middle, last] = samples as [(typeof samples)[0], (typeof samples)[0], (typeof samples)[0]];
    // WebAssembly memory never shrinks: flat means it stopped growing.
    expect(last.memory, 'wasm memory').to.equal(middle.memory);
    // Python objects: the same within noise, far from the 800 runs in between.
    expect(Math.abs(last.objects - warm.objects), 'Python objects').to.be.below(200);
    if (warm.heap && last.heap) {
      expect(last.heap.page - warm.heap.page, 'page heap growth').to.be.below(2 * 2 ** 20);
      expect(last.heap.workers[0]! - warm.heap.workers[0]!, 'worker heap growth').to.be.below(2 * 2 ** 20);
    }
    const runtime = internals();
    expect(runtime.progressListeners.size, 'progress listeners left').to.equal(0);
    expect(runtime.connection!.finished.size, 'finished runs remembered').to.be.at.most(64);
  });

  it('holds 200 cells on one page, and releases the outputs of removed cells', async () => {
    const cells = Array.from({ length: 200 }, (_, n) => addCell(`print(${n})\n"x" * 1000 + "${n}"`, { session: `many-${n % 5}` }));
    const results = await Promise.all(cells.map((cell) => cell.run()));
    expect(results.every((result) => result.status === 'done')).to.equal(true);
    cells.forEach((cell, n) => expect(partText(cell, 'stdout'), `cell ${n}`).to.equal(`${n}\n`));
    // What each cell rendered, held weakly: removing the cells must let it go.
    const rendered = cells.map((cell) => new WeakRef(cell.shadowRoot!.querySelector('[part="result"]')!));
    removeAll(cells);
    const reachable = () => rendered.filter((ref) => ref.deref() !== undefined).length;
    if (!(await heap())) return; // garbage collection on demand: Chromium only
    // Chromium lets removed nodes go at the page's next rendering update, which a page in the
    // background never has: they are counted there, then looked at as a reader's visible page.
    const hidden = document.visibilityState === 'hidden' ? reachable() : null;
    await executeServerCommand('bring-to-front');
    const shown = performance.now();
    let kept = reachable();
    while (kept > 0 && performance.now() - shown < 5000) {
      await sleep(100);
      await heap();
      kept = reachable();
    }
    const background = hidden === null ? '' : ` (${hidden} while the page was in the background)`;
    console.log(`soak (${engine}): outputs of 200 removed cells still reachable: ${kept}${background}`);
    expect(kept).to.equal(0);
  });

  it('finishes 50 runs queued across 5 sessions in order, losing nothing', async () => {
    const setup = addCell('import builtins\nbuiltins.order = []');
    await setup.run();
    const cells = Array.from({ length: 50 }, (_, n) =>
      addCell(`import builtins\nbuiltins.order.append(${n})\nvalue_${n % 5} = ${n}\nprint(${n})\n${n} * 3`, { session: `queue-${n % 5}` }),
    );
    const results = await Promise.all(cells.map((cell) => cell.run()));
    expect(results.map((result) => result.status)).to.deep.equal(Array(50).fill('done'));
    cells.forEach((cell, n) => {
      expect(partText(cell, 'stdout'), `cell ${n}`).to.equal(`${n}\n`);
      expect(partText(cell, 'result'), `cell ${n}`).to.equal(String(n * 3));
    });
    const order = addCell('import builtins\nbuiltins.order');
    await order.run();
    expect(partText(order, 'result')).to.equal(`[${Array.from({ length: 50 }, (_, n) => n).join(', ')}]`);
    const last = addCell('value_4', { session: 'queue-4' });
    await last.run();
    expect(partText(last, 'result')).to.equal('49');
  });

  it('terminates the old worker at every restart', async () => {
    // A runtime of its own: a restart replays every completed run, and the runs above are many.
    freshRuntime();
    await addCell('"started"', { session: 'restarts' }).run();
    const before = { ...workers };
    for (let stop = 0; stop < 5; stop++) {
      const loop: PyCell = addCell('while True:\n    pass', { session: 'restarts' });
      const running = loop.run();
      await waitFor(() => loop.status === 'running' && Boolean(loop.shadowRoot!.querySelector('[part="stop-button"]')), 'the loop');
      await sleep(100);
      loop.stop();
      expect((await running).error!.failure).to.equal('stopped');
    }
    const made = workers.made - before.made;
    const terminated = workers.terminated - before.terminated;
    console.log(`soak (${engine}): 5 restarts made ${made} workers and terminated ${terminated}`);
    expect(made).to.equal(5);
    expect(terminated).to.equal(5);
    const after = addCell('"still here"');
    await after.run();
    expect(partText(after, 'result')).to.equal("'still here'");
  });
});
