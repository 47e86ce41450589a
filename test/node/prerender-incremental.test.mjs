// `py-cell prerender --incremental` and `--jobs` (prerender/api.ts, prerender/inputs.ts, built
// into dist/prerender-cli.js): a cell's stored outputs are kept while nothing they depend on
// changed, a session with a changed cell runs whole, and pages prerendered at once are reported
// in order. Every cell prints a random number, so a cell that ran again stores other outputs
// than the one kept. Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const prerender = (...args) => {
  const run = spawnSync(process.execPath, ['dist/prerender-cli.js', 'prerender', ...args], { encoding: 'utf8' });
  return { code: run.status, output: run.stdout + run.stderr };
};

/** Each cell's stored data (JSON) in the page, in order. */
const stored = (page) =>
  [...readFileSync(page, 'utf8').matchAll(/<py-cell[^>]*>[\s\S]*?<\/py-cell>/g)].map(
    ([cell]) => /<script type="application\/vnd\.py-cell\.outputs\+json" data-py-cell-prerendered>(.*?)<\/script>/s.exec(cell)?.[1] ?? null,
  );

const cell = (code, attributes = '') => `<py-cell${attributes}>${code}</py-cell>`;
const page = (...cells) => `<!doctype html><html lang="en"><head><title>t</title></head><body>${cells.join('\n')}</body></html>`;

test('--incremental keeps the outputs of cells whose inputs did not change, and runs a changed session whole', () => {
  const folder = mkdtempSync(join(tmpdir(), 'py-cell-incremental-'));
  try {
    const a = join(folder, 'a.html');
    const b = join(folder, 'b.html');
    copyFileSync('test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl', join(folder, 'mylib-1.0.0-py3-none-any.whl'));
    const first = 'import random\nx = 1\nprint(random.random())';
    const second = 'print(x, random.random())';
    const other = cell('import random\nprint(random.random())', ' session="other"');
    const wheel = cell('import mylib, random\nprint(random.random())', ' session="lib" packages="./mylib-1.0.0-py3-none-any.whl"');
    writeFileSync(a, page(cell(first), cell(second), other, wheel));
    writeFileSync(b, page(cell('import random\nprint(random.random())'), cell('print(1)', ' packages="no/such/thing!"')));

    const full = prerender(folder);
    assert.equal(full.code, 0, full.output);
    assert.match(full.output, /b\.html: 2 cells, 1 error \(/, 'the invalid packages attribute is shown as the element shows it');
    const [a1, b1] = [stored(a), stored(b)];
    assert.ok(
      [...a1, ...b1].every((json) => json !== null && json.includes('"inputs":"')),
      'every cell stored, with its inputs',
    );

    // Nothing changed: every cell kept, the pages untouched, no Python started.
    const pages = [readFileSync(a, 'utf8'), readFileSync(b, 'utf8')];
    const again = prerender('--incremental', folder);
    assert.equal(again.code, 0, again.output);
    assert.match(again.output, /Prerendered 2 pages: 6 cells, 1 error, 0 left for the browser, 6 reused/);
    assert.match(again.output, /a\.html: 4 cells, 4 reused \(0\.0 s\)/);
    assert.deepEqual([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')], pages);

    // The second cell changed: its session runs whole (the first cell makes its state); the
    // other sessions and the other page are kept.
    writeFileSync(a, readFileSync(a, 'utf8').replace(second, 'print(x + 1, random.random())'));
    const changed = prerender('--incremental', folder);
    assert.equal(changed.code, 0, changed.output);
    assert.match(changed.output, /a\.html: 4 cells, 2 reused/);
    assert.match(changed.output, /, 4 reused, in /);
    const a2 = stored(a);
    assert.notEqual(a2[0], a1[0], 'the unchanged first cell of the changed session ran again');
    assert.match(a2[1], /2 0\.\d+/);
    assert.deepEqual([a2[2], a2[3]], [a1[2], a1[3]], 'the other sessions were kept');
    assert.deepEqual(stored(b), b1);

    // A wheel a cell installs is part of its inputs by its content, not its name.
    copyFileSync('test/fixtures/wheels/notawheel-1.0.0-py3-none-any.whl', join(folder, 'mylib-1.0.0-py3-none-any.whl'));
    const rebuilt = prerender('--incremental', folder);
    assert.match(rebuilt.output, /a\.html: 4 cells, 1 error, 3 reused/);
    assert.match(stored(a)[3], /not a zip file|UnusableWheel|BadZipFile/i);

    // Options that reach Python are inputs of every cell.
    const packages = prerender('--incremental', '--packages', 'micropip', folder);
    assert.match(packages.output, /, 0 reused, in /, packages.output);

    // --check compares with a fresh run, whatever is stored.
    const check = prerender('--check', '--incremental', folder);
    assert.equal(check.code, 1, check.output);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('--jobs prerenders pages at once and reports them in order; a bad --jobs is a usage error', () => {
  const folder = mkdtempSync(join(tmpdir(), 'py-cell-jobs-'));
  try {
    const names = ['p1', 'p2', 'p3', 'p4'];
    for (const [i, name] of names.entries()) writeFileSync(join(folder, `${name}.html`), page(cell(`print(${i} * 7)`), cell('1/0')));
    const run = prerender('--jobs', '2', folder);
    assert.equal(run.code, 0, run.output);
    const order = [...run.output.matchAll(/(p\d)\.html: 2 cells, 1 error/g)].map((match) => match[1]);
    assert.deepEqual(order, names);
    for (const [i, name] of names.entries()) assert.match(stored(join(folder, `${name}.html`))[0], new RegExp(`"text":"${i * 7}\\\\n"`));
    for (const bad of ['0', '1.5', 'two']) {
      const usage = prerender('--jobs', bad, folder);
      assert.equal(usage.code, 2, usage.output);
      assert.match(usage.output, /--jobs must be a whole number of at least 1/);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('the outputs cache (the Markdown plugins): a session whose every cell is cached does not run; one with a changed cell runs whole', async () => {
  const { prerenderCells } = await import(new URL('../../dist/prerender.js', import.meta.url).href);
  const cache = mkdtempSync(join(tmpdir(), 'py-cell-outputs-cache-'));
  try {
    const options = { cache, timeoutSeconds: 60 };
    const cells = [
      { code: 'import random\nx = random.random()\nprint(x)' },
      { code: 'print(x * 2)' },
      { code: 'import random\nprint(random.random())', attributes: { session: 'other' } },
    ];
    const page = join(cache, 'page.md');
    const first = await prerenderCells(cells, page, options);
    assert.deepEqual(
      first.report.cells.map(({ reused }) => reused ?? false),
      [false, false, false],
    );
    const again = await prerenderCells(cells, page, options);
    assert.deepEqual(
      again.report.cells.map(({ reused }) => reused ?? false),
      [true, true, true],
    );
    assert.deepEqual(again.outputs, first.outputs, 'the cached outputs are the stored ones');
    // The second cell changed: its session runs whole (the first cell makes the x it reads), the other session stays cached.
    const changed = await prerenderCells([cells[0], { code: 'print(x * 3)' }, cells[2]], page, options);
    assert.deepEqual(
      changed.report.cells.map(({ status, reused }) => [status, reused ?? false]),
      [
        ['done', false],
        ['done', false],
        ['done', true],
      ],
    );
    assert.notEqual(changed.outputs[0].json, first.outputs[0].json, 'the first cell ran again (a new random number)');
    assert.equal(changed.outputs[2].json, first.outputs[2].json);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});
