// `py-cell assets <folder>` (prerender/assets.ts, built into dist/prerender-cli.js): exactly the
// files a site serves, idempotent, with a version stamp and a --check for CI. Needs `npm run build`.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { files } from './files.mjs';

const cli = (...args) => spawnSync(process.execPath, ['dist/prerender-cli.js', 'assets', ...args], { encoding: 'utf8' });

test('py-cell assets copies exactly what a site serves, once, and --check tells a stale folder', () => {
  const target = mkdtempSync(join(tmpdir(), 'py-cell-assets-'));
  try {
    const first = cli(target);
    assert.equal(first.status, 0, first.stderr);
    const copied = files(target);
    for (const wanted of [
      'dist/py-cell.js',
      'dist/py-cell-worker.js',
      'dist/py-cell-main-thread.js',
      'dist/py-cell-plotly.js',
      'dist/katex/katex.css',
      'dist/katex/fonts/KaTeX_Main-Regular.woff2',
      'wasm-dist/pyodide.mjs',
      'wasm-dist/pyodide.asm.wasm',
      'wasm-dist/python_stdlib.zip',
      'wasm-dist/pyodide-lock.json',
      'wasm-dist/py-cell-runtime.json',
      'py-cell-assets.json',
    ])
      assert.ok(copied.includes(wanted), `${wanted} is served`);
    assert.ok(
      copied.some((path) => /^dist\/py-cell-vega-[\w-]+\.js$/.test(path)),
      'the Vega chunk',
    );
    const unwanted = copied.filter((path) =>
      /\.map$|\.d\.ts$|README\.md$|package\.json$|prerender|markdown-it|remark|\/types\//.test(path),
    );
    assert.deepEqual(unwanted, []);
    // What the package serves from dist/ is every file the element can load, and nothing else.
    const served = files('dist')
      .filter((path) => /^py-cell(-[\w-]+)?\.js$|^katex\//.test(path))
      .map((path) => `dist/${path}`);
    assert.deepEqual(
      copied.filter((path) => path.startsWith('dist/')),
      served,
    );
    const stamp = JSON.parse(readFileSync(join(target, 'py-cell-assets.json'), 'utf8'));
    assert.equal(stamp.version, JSON.parse(readFileSync('package.json', 'utf8')).version);
    assert.equal(Object.keys(stamp.files).length, copied.length - 1);
    // Again: nothing to do; --check agrees.
    assert.match(cli(target).stdout, /: 0 written, 0 removed, \d+ unchanged/);
    assert.equal(cli('--check', target).status, 0);
    // A changed file and a leftover from an older version: --check fails naming both, a run mends them.
    writeFileSync(join(target, 'dist/py-cell.js'), 'stale');
    writeFileSync(join(target, 'dist/py-cell-old-chunk.js'), 'old');
    const stale = cli('--check', target);
    assert.equal(stale.status, 1);
    assert.match(stale.stdout, /stale: dist\/py-cell\.js/);
    assert.match(stale.stdout, /extra: dist\/py-cell-old-chunk\.js/);
    assert.match(cli(target).stdout, /: 1 written, 1 removed/);
    assert.deepEqual(files(target), copied);
    assert.equal(cli('--check', target).status, 0);
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
});

test('py-cell assets without a folder prints its usage', () => {
  const result = cli();
  assert.equal(result.status, 2);
  assert.match(result.stderr, /py-cell assets \[--check\] <folder>/);
  assert.ok(
    execFileSync(process.execPath, ['dist/prerender-cli.js', '--help'], { encoding: 'utf8' }).includes('py-cell assets puts exactly'),
  );
});
