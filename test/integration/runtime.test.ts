import { expect } from '@esm-bundle/chai';
import type { Progress } from '../../runtime/shared/protocol.js';
import { getRuntime } from '../../runtime/page/registry.js';
import { addCell, freshRuntime, partText, waitFor, workerLoads } from './helpers.js';

// The element's own configuration (the bundle's URLs): its runtime is the one this key names.
const bundle = '../../dist/py-cell.js';
const { currentConfig } = (await import(bundle)) as typeof import('../../components/index.js');

describe('py-cell against real Pyodide in the worker', () => {
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  it('starts nothing at import or when a cell is added', async () => {
    addCell('1 + 1');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(workerLoads()).to.equal(0);
    expect(document.querySelector('py-cell')!.status).to.equal('idle');
  });

  it("reports the start's downloads as one progress, against the sizes the runtime's manifest lists", async () => {
    freshRuntime();
    const seen: Progress[] = [];
    const stop = getRuntime(currentConfig()).onProgress((progress) => seen.push(progress));
    const result = await addCell('1 + 1').run();
    stop();
    expect(result.status, result.error?.message).to.equal('done');
    type Manifest = { startFiles: Record<string, number>; snapshots: Array<{ bytes: number; packedBytes: number }> };
    const manifest = (await (await fetch('/wasm-dist/py-cell-runtime.json')).json()) as Manifest;
    const files = Object.values(manifest.startFiles).reduce((sum, bytes) => sum + bytes, 0);
    const totals = manifest.snapshots.flatMap((snapshot) => [files + snapshot.packedBytes, files + snapshot.bytes]);
    const start = seen.filter((progress) => progress.detail === 'Python');
    expect(start.length, JSON.stringify(seen.slice(0, 5))).to.be.above(1);
    // No restart per file: the bytes only grow, and the total is the whole start from the first report.
    for (let i = 1; i < start.length; i++) expect(start[i]!.loaded!).to.be.at.least(start[i - 1]!.loaded!);
    expect(totals).to.include(start[0]!.total);
    expect(start.at(-1)!.loaded).to.equal(start.at(-1)!.total);
    // Every other download report of the start is of a small file (the lock file, the manifest).
    for (const other of seen.filter((progress) => progress.stage === 'download' && progress.detail !== 'Python'))
      expect(other.total ?? 0, other.detail).to.be.below(200_000);
  });

  it('streams print output before the run ends, then shows the last expression', async () => {
    const cell = addCell('import time\nprint("first")\ntime.sleep(2)\nprint("second")\n6 * 7');
    const done = cell.run();
    await waitFor(() => partText(cell, 'stdout').includes('first'), 'the first line');
    expect(cell.status).to.equal('running');
    expect(partText(cell, 'stdout')).not.to.contain('second');
    const result = await done;
    expect(result.status).to.equal('done');
    expect(result.elapsedMs).to.be.greaterThan(1500);
    expect(partText(cell, 'stdout')).to.equal('first\nsecond\n');
    expect(partText(cell, 'result')).to.equal('42');
    expect(cell.status).to.equal('done');
  });

  it('streams output printed before a computation that never yields', async () => {
    const cell = addCell('import time\nprint("first")\nt = time.time()\nwhile time.time() - t < 2:\n    pass\n"end"');
    const done = cell.run();
    // Its newline, written separately within the batching interval, may follow at the end.
    await waitFor(() => partText(cell, 'stdout').startsWith('first'), 'the first line', 60_000);
    expect(cell.status).to.equal('running');
    await done;
    expect(partText(cell, 'stdout')).to.equal('first\n');
    expect(partText(cell, 'result')).to.equal("'end'");
  });

  it('shows the last expression as a notebook does; a trailing semicolon hides it', async () => {
    const shown = addCell('x = [1, "two", None]\nx');
    const hidden = addCell('y = 5\ny * 2;');
    const none = addCell('None');
    await Promise.all([shown.run(), hidden.run(), none.run()]);
    expect(partText(shown, 'result')).to.equal("[1, 'two', None]");
    expect(partText(hidden, 'result')).to.equal('');
    expect(partText(none, 'result')).to.equal('');
  });

  it('keeps stderr apart from stdout, in order', async () => {
    const cell = addCell('import sys\nprint("out 1")\nprint("err 1", file=sys.stderr)\nprint("out 2")');
    await cell.run();
    const blocks = Array.from(cell.shadowRoot!.querySelectorAll('[part="output"] > *')).map(
      (element) => `${element.getAttribute('part')}:${element.textContent}`,
    );
    expect(blocks).to.deep.equal(['stdout:out 1\n', 'stderr:err 1\n', 'stdout:out 2\n']);
    expect(getComputedStyle(cell.shadowRoot!.querySelector('.stderr')!).color).not.to.equal(
      getComputedStyle(cell.shadowRoot!.querySelector('.stdout')!).color,
    );
  });

  it('reports a traceback with the cell’s line numbers and no Pyodide frames', async () => {
    const cell = addCell('def ratio(a, b):\n    return a / b\n\nprint("before")\nratio(1, 0)');
    const result = await cell.run();
    expect(result.status).to.equal('error');
    expect(result.error!.type).to.equal('ZeroDivisionError');
    expect(result.error!.line).to.equal(2);
    const traceback = partText(cell, 'error');
    expect(traceback).to.match(/^Traceback \(most recent call last\):\n {2}File "<cell \d+>", line 5, in <module>/);
    expect(traceback).to.match(/File "<cell \d+>", line 2, in ratio\n {4}return a \/ b/);
    expect(traceback).to.contain('ZeroDivisionError: division by zero');
    expect(traceback).not.to.match(/_pyodide|pyodide\/|eval_code|pycell/);
    expect(partText(cell, 'stdout')).to.equal('before\n');
    expect(cell.status).to.equal('error');
  });

  it('reports a syntax error at its line', async () => {
    const cell = addCell('x = 1\ny = (\nprint(x)');
    const result = await cell.run();
    expect(result.error!.type).to.equal('SyntaxError');
    expect(result.error!.line).to.equal(2);
    expect(partText(cell, 'error')).to.match(/File "<cell \d+>", line 2/);
  });

  it('shares globals between cells of one session and isolates other sessions', async () => {
    const setA = addCell('shared = "a"', { session: 'a' });
    const readA = addCell('shared', { session: 'a' });
    const readB = addCell('shared', { session: 'b' });
    const setDefault = addCell('in_default = 1');
    const readDefault = addCell('in_default + 1');
    const readDefaultFromA = addCell('in_default', { session: 'a' });
    await Promise.all([setA.run(), readA.run(), readB.run(), setDefault.run(), readDefault.run(), readDefaultFromA.run()]);
    expect(partText(readA, 'result')).to.equal("'a'");
    expect(partText(readB, 'error')).to.contain("NameError: name 'shared' is not defined");
    expect(partText(readDefault, 'result')).to.equal('2');
    expect(partText(readDefaultFromA, 'error')).to.contain("NameError: name 'in_default' is not defined");
  });

  it('runs ten cells at once in queue order, each keeping its own output', async () => {
    addCell('order = []', { session: 'ten' });
    const cells = Array.from({ length: 10 }, (_, n) =>
      addCell(`order.append(${n})\nfor i in range(50):\n    print(f"cell ${n} line {i}")\nlen(order)`, { session: 'ten' }),
    );
    const setup = document.querySelector('py-cell')!;
    const results = await Promise.all([setup.run(), ...cells.map((cell) => cell.run())]);
    expect(results.every((result) => result.status === 'done')).to.equal(true);
    cells.forEach((cell, n) => {
      const expected = Array.from({ length: 50 }, (_, i) => `cell ${n} line ${i}\n`).join('');
      expect(partText(cell, 'stdout'), `cell ${n}`).to.equal(expected);
      expect(partText(cell, 'result'), `cell ${n}`).to.equal(String(n + 1));
    });
    expect(workerLoads()).to.equal(1);
  });

  it('runs code with < and & written raw in a text/x-python script', async () => {
    const cell = addCell('print(1 < 2, 6 & 3, "<b>&amp;</b>")\n"<i>" + "&"');
    await cell.run();
    expect(partText(cell, 'stdout')).to.equal('True 2 <b>&amp;</b>\n');
    expect(partText(cell, 'result')).to.equal("'<i>&'");
    expect(cell.shadowRoot!.querySelector('[part="output"] b, [part="output"] i') === null, 'no markup from printed text').to.equal(true);
  });

  it('says clearly when a package does not exist', async () => {
    const cell = addCell('print("never")', { packages: 'no-such-package' });
    const result = await cell.run();
    expect(result.status).to.equal('error');
    expect(result.error!.type).to.equal('PackageNotFoundError');
    expect(result.error!.failure).to.equal('unknown-package');
    expect(result.error!.message).to.contain("'no-such-package'");
    expect(result.error!.message).to.match(/pyodide-lock\.json/);
    expect(partText(cell, 'error')).to.contain('no-such-package');
    expect(partText(cell, 'stdout')).to.equal('');
  });

  it('says clearly when the packages attribute is malformed', async () => {
    const cell = addCell('1', { packages: 'no such;pkg' });
    const result = await cell.run();
    expect(result.status).to.equal('error');
    expect(result.error!.failure).to.equal('attribute');
    expect(partText(cell, 'error')).to.contain("'such;pkg'");
  });

  it('booted exactly one runtime for all of the above', () => {
    expect(workerLoads()).to.equal(1);
  });
});
