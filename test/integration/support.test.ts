// The README's browser support table, checked against what this engine does.
import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, engine, freshRuntime, partText, runtimeWhere } from './helpers.js';

const COLUMNS = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'Safari (WebKit)' } as const;

/** The support table's cells for this engine, by the first words of each row. */
async function readmeColumn(): Promise<Map<string, string>> {
  const readme = await (await fetch('/README.md')).text();
  const lines = readme.split('\n');
  const header = lines.findIndex((line) => line.startsWith('| | Chromium | Firefox | Safari (WebKit) |'));
  expect(header, 'the support table in the README').to.be.above(-1);
  const column = ['', ...Object.values(COLUMNS)].indexOf(COLUMNS[engine]);
  const rows = new Map<string, string>();
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    rows.set(cells[0]!, cells[column]!);
  }
  return rows;
}

const says = (rows: Map<string, string>, row: string): boolean => {
  const key = [...rows.keys()].find((name) => name.startsWith(row));
  expect(key, `a row "${row}..."`).to.not.equal(undefined);
  return rows.get(key!)!.startsWith('yes');
};

describe(`the README's browser support table, for ${engine}`, () => {
  it('says whether this engine starts from a snapshot and has stack switching, as it does', async () => {
    freshRuntime();
    const rows = await readmeColumn();
    const cell = addCell('import pyodide.ffi\npyodide.ffi.can_run_sync()');
    const started = performance.now();
    await cell.run();
    const firstOutput = performance.now() - started;
    const stackSwitching = partText(cell, 'result') === 'True';
    expect(says(rows, 'Stack switching'), 'stack switching').to.equal(stackSwitching);
    const snapshot = runtimeWhere('worker|').stats.snapshot;
    expect(says(rows, 'Fast start from the interpreter snapshot'), JSON.stringify(snapshot)).to.equal(snapshot?.used === true);
    console.log(
      `${engine}: a new runtime's first output in ${firstOutput.toFixed(0)} ms (files cached; snapshot ${snapshot?.used ? 'used' : 'not used'})`,
    );
  });

  it('says whether input() waits for the reader on this page (not isolated, no service worker), in worker and main-thread cells', async () => {
    const rows = await readmeColumn();
    /** Whether a field appears, or the run ends with the error saying why it cannot. */
    const asks = async (cell: PyCell): Promise<boolean> => {
      const asked = new Promise<boolean>((resolve) => cell.addEventListener('py-cell-input', () => resolve(true), { once: true }));
      const running = cell.run();
      const answer = await Promise.race([asked, running.then(() => false)]);
      if (answer) cell.stop();
      const result = await running;
      if (!answer) expect(result.error?.message).to.contain('stack switching');
      cell.remove();
      return answer;
    };
    expect(crossOriginIsolated).to.equal(false);
    expect(says(rows, '`input()` on any page'), 'worker').to.equal(await asks(addCell('input("?")')));
    expect(says(rows, '`input()` in `main-thread` cells'), 'main thread').to.equal(
      await asks(addCell('input("?")', { 'main-thread': '' })),
    );
  });
});
