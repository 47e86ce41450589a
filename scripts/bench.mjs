#!/usr/bin/env node
// `npm run bench`: measures py-cell against the floor (raw Pyodide from the same wasm-dist/,
// loadPyodide + runPython on the main thread, no element), in headless Debian Chromium with a
// fresh profile for every cold run, and the first-output figures in Firefox ESR too (puppeteer-core
// over WebDriver BiDi; Firefox has no long-task entries, so no blocking figures there). Prints
// medians (min-max) and ratios to the floor in the same browser, and writes
// bench-results/latest.json. RUNS=5 by default. Needs `npm run build` first. It also times
// `py-cell prerender` per page and loads a prerendered page (test/bench/_prerendered.html, written
// from prerender-source.html): when its output is visible, against its first paint.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startDevServer } from '@web/dev-server';
import puppeteer from 'puppeteer-core';
import { firefoxPath, launchOptions } from './browsers.mjs';
import { launchChromium } from './chromium.mjs';

const RUNS = Number(process.env.RUNS) || 5;
/**
 * BENCH_ONLY=intent: only the preload and package scenarios, with the floor and the plain cell
 * they are compared with. BENCH_ONLY=prerender: only the prerender figures and the floor; BENCH_ONLY=renderers: only the
 * prerendered pages, with each renderer's first use (test/bench/renderers-source.html);
 * BENCH_ONLY=site: only \`py-cell prerender\` on a generated site (SITE_PAGES pages, default 500).
 * BENCH_ONLY=warm: only the first outputs against the floor (Chromium and Firefox), the 30-cell
 * page and the warm page (floods, arrays). BENCH_ONLY=next: only the "next page" scenario.
 */
const ONLY = process.env.BENCH_ONLY ?? '';
// A failure ends the run (the dev server below would otherwise keep Node waiting, holding the browser lock).
process.on('uncaughtException', (error) => {
  console.error(error);
  process.exit(1);
});
// The ~3 MB wheel of the package scenario (generated modules, not NumPy: no CDN here).
execFileSync('python3', ['test/bench/make-wheel.py', 'bench-results'], { stdio: 'ignore' });
const TRACE = process.env.BENCH_TRACE === '1';
let servedBytes = 0;
/** Requests for the runtime's files (wasm-dist/) and the worker, answered or revalidated (the "next page" scenario). */
let runtimeRequests = 0;

const server = await startDevServer({
  config: {
    rootDir: process.cwd(),
    port: Number(process.env.BENCH_PORT) || 8123,
    hostname: '127.0.0.1',
    nodeResolve: false,
    watch: false,
    middleware: [
      async function countBytes(context, next) {
        await next();
        // HEAD answers carry a Content-Length but no body.
        if (context.method !== 'HEAD') servedBytes += Number(context.response.length) || 0;
        if (/\/wasm-dist\/|py-cell-(shared-)?worker/.test(context.path)) runtimeRequests += 1;
      },
      // Byte ranges, as CDNs and most static hosts serve them (@web/dev-server ignores Range):
      // py-cell reads a large page-wide wheel's module list from its end.
      async function ranges(context, next) {
        await next();
        context.set('Accept-Ranges', 'bytes');
        const range = /^bytes=(\d+)-(\d*)$/.exec(context.get('range'));
        if (!range || context.method !== 'GET' || context.status !== 200) return;
        const file = join(process.cwd(), normalize(decodeURIComponent(context.path)));
        if (!file.startsWith(process.cwd()) || !existsSync(file)) return;
        const bytes = readFileSync(file);
        const start = Number(range[1]);
        const end = Math.min(range[2] ? Number(range[2]) : bytes.length - 1, bytes.length - 1);
        if (start > end) return;
        context.status = 206;
        context.set('Content-Range', `bytes ${start}-${end}/${bytes.length}`);
        context.body = bytes.subarray(start, end + 1);
      },
    ],
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const base = `http://127.0.0.1:${server.config.port}/test/bench/`;

/**
 * Loads a benchmark page and returns its report. With BENCH_TRACE=1 a Chromium trace is taken
 * too, as a check on the pages' PerformanceObserver: `traceBlockingMs` sums, over the page's
 * main-thread tasks from the commit of its navigation to the report, their time beyond 50 ms. Tracing slows every figure down, so it is off by default.
 */
async function load(browser, page) {
  const tab = await browser.newPage();
  // disabled-by-default-devtools.timeline holds the RunTask events. (The `toplevel` category,
  // tried first, records every process's tasks and lost events: 738 ms where the observer saw 5232.)
  if (TRACE) await tab.tracing.start({ categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  await tab.goto(base + page);
  await tab.waitForFunction(() => document.title === 'done', { timeout: 180_000 });
  const result = await tab.evaluate(() => window.__bench);
  if (TRACE) {
    const trace = JSON.parse(Buffer.from(await tab.tracing.stop()).toString('utf8'));
    const events = trace.traceEvents ?? trace;
    // The page's own main thread from the commit of its navigation on (not about:blank's).
    const commit = events.find((e) => e.name === 'CommitLoad' && e.args?.data?.url?.startsWith(base));
    if (!commit) throw new Error(`no CommitLoad event for ${page} in the trace`);
    const tasks = events
      .filter((e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === commit.pid && e.tid === commit.tid && e.ts + e.dur >= commit.ts)
      .map((e) => e.dur / 1000);
    result.traceBlockingMs = Math.round(tasks.reduce((sum, ms) => sum + Math.max(0, ms - 50), 0));
  }
  await tab.close();
  return result;
}

/** `use(browser)` with a browser (`engine`) on a fresh profile, closed and deleted after. */
async function inFreshProfile(engine, use) {
  const profile = mkdtempSync(join(tmpdir(), 'py-cell-bench-'));
  const launch = () =>
    engine === 'firefox'
      ? puppeteer.launch({ ...launchOptions.firefox(), userDataDir: profile })
      : launchChromium({ userDataDir: profile });
  let browser = await launch();
  // The same profile in a new browser: its caches on disk, nothing alive (no shared runtime).
  const relaunch = async () => {
    await browser.close();
    browser = await launch();
    return browser;
  };
  try {
    return await use(browser, relaunch);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * A cold load in a fresh profile, then a warm load in the same browser (in Chromium the shared
 * runtime the cold load started is still alive), then, with `restarted`, a load in the same
 * profile after the browser restarted (the caches on disk; a new Python).
 */
function coldAndWarm(page, engine = 'chromium', { restarted = false } = {}) {
  return inFreshProfile(engine, async (browser, relaunch) => {
    servedBytes = 0;
    const cold = await load(browser, page);
    cold.bytes = servedBytes;
    const warm = await load(browser, page);
    return { cold, warm, restarted: restarted ? await load(await relaunch(), page) : null };
  });
}

/**
 * The next page: in a fresh profile, page A runs a cell (Python starts), then its link is clicked
 * and page B runs its cell at once. B's figures, and how many runtime files B requested.
 */
function nextPage(engine = 'chromium') {
  return inFreshProfile(engine, async (browser) => {
    const tab = await browser.newPage();
    await tab.goto(`${base}next-a.html`);
    await tab.waitForFunction(() => document.title === 'ready', { timeout: 60_000 });
    runtimeRequests = 0;
    await tab.click('#next');
    await tab.waitForFunction(() => document.title === 'done', { timeout: 60_000 });
    const result = await tab.evaluate(() => window.__bench);
    return { ...result, runtimeRequests };
  });
}

/**
 * Preload 'intent', cold profile: the bytes of a page view with no interaction (3 s after load),
 * then the pointer rests on the cell until the runtime it started is ready, then, `pauseMs`
 * later, a click on Run: click (pointerdown) to first output.
 */
function intentRun(pauseMs) {
  return inFreshProfile('chromium', async (browser) => {
    servedBytes = 0;
    const tab = await browser.newPage();
    await tab.goto(base + 'intent.html', { waitUntil: 'load' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idle = await tab.evaluate(() => window.__idle());
    const idleBytes = servedBytes;
    if (idle.started) throw new Error('intent page: Python started with no interaction');
    await tab.hover('#c');
    await tab.waitForFunction(() => window.__ready === true, { timeout: 180_000 });
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const run = await tab.evaluateHandle(() => document.getElementById('c').shadowRoot.querySelector('button.run'));
    await run.click();
    await tab.waitForFunction(() => document.title === 'done', { timeout: 180_000 });
    const result = await tab.evaluate(() => window.__bench);
    return { ...result, idleBytes };
  });
}

/**
 * `py-cell prerender` on copies of the demo pages (in a scratch folder) and on the benchmark's
 * prerendered page: seconds per page, as the command reports each.
 */
function prerenderPages() {
  const scratch = mkdtempSync(join(tmpdir(), 'py-cell-prerender-'));
  try {
    const pages = readdirSync('demo').filter((name) => name.endsWith('.html') && !name.startsWith('_') && name !== 'index.html');
    for (const page of pages) copyFileSync(join('demo', page), join(scratch, page));
    copyFileSync('test/bench/prerender-source.html', 'test/bench/_prerendered.html');
    copyFileSync('test/bench/renderers-source.html', 'test/bench/_prerendered-renderers.html');
    const started = performance.now();
    const output = execFileSync(
      'node',
      [
        'dist/prerender-cli.js',
        'prerender',
        // One page at a time: the figure is a page's own time.
        '--jobs',
        '1',
        ...pages.map((page) => join(scratch, page)),
        'test/bench/_prerendered.html',
        'test/bench/_prerendered-renderers.html',
      ],
      {
        encoding: 'utf8',
      },
    );
    const seconds = [...output.matchAll(/^\S+\.html: .*\(([\d.]+) s\)$/gm)].map((match) => Number(match[1]));
    if (seconds.length !== pages.length + 2) throw new Error(`prerender: ${output}`);
    return { seconds, wall: (performance.now() - started) / 1000 };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A generated docs page: prose, three cells in two sessions, their code varied by `n`. */
const sitePage = (n) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Page ${n}</title></head>
<body><main><h1>Page ${n}</h1>
<p>${'Some prose about the example below. '.repeat(20)}</p>
<py-cell>import math
values = [math.sqrt(k) for k in range(${1000 + n})]
print(f"{len(values)} values, the last {values[-1]:.3f}")</py-cell>
<p>${'More prose between the cells. '.repeat(10)}</p>
<py-cell>sum(values) / len(values)</py-cell>
<py-cell session="words">words = "the quick brown fox jumps over the lazy dog ${n}".split()
sorted(words, key=len)</py-cell>
</main></body></html>
`;

/**
 * \`py-cell prerender\` on a generated site of SITE_PAGES pages (default 500): the full build with
 * --jobs 1 and with --jobs 2 (each on a fresh copy), then with --incremental a rebuild with
 * nothing changed and one with one page changed. Wall-clock seconds of each command.
 */
function prerenderSite() {
  const count = Number(process.env.SITE_PAGES) || 500;
  const scratch = mkdtempSync(join(tmpdir(), 'py-cell-site-'));
  const fresh = (name) => {
    const folder = join(scratch, name);
    mkdirSync(folder);
    for (let n = 1; n <= count; n++) writeFileSync(join(folder, `page-${String(n).padStart(3, '0')}.html`), sitePage(n));
    return folder;
  };
  const timed = (...args) => {
    const started = performance.now();
    const output = execFileSync('node', ['dist/prerender-cli.js', 'prerender', '--quiet', ...args], { encoding: 'utf8' });
    return { seconds: (performance.now() - started) / 1000, summary: output.trim().split('\n').at(-1) };
  };
  try {
    const one = timed('--jobs', '1', fresh('one'));
    const site = fresh('two');
    const two = timed('--jobs', '2', site);
    if (!two.summary.includes(` ${count * 3} cells, 0 errors`)) throw new Error(`site: ${two.summary}`);
    const unchanged = timed('--incremental', site);
    const changedPage = join(site, `page-${String(Math.ceil(count / 2)).padStart(3, '0')}.html`);
    writeFileSync(changedPage, readFileSync(changedPage, 'utf8').replace('sum(values) / len(values)', 'max(values)'));
    const onePage = timed('--incremental', site);
    process.stderr.write(`site of ${count} pages: ${[one, two, unchanged, onePage].map((run) => run.summary).join(' | ')}\n`);
    return { count, one: one.seconds, two: two.seconds, unchanged: unchanged.seconds, onePage: onePage.seconds };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const samples = {};
const add = (name, value) => (samples[name] ??= []).push(value);
// Prerendering a generated site, once (minutes): BENCH_ONLY=site for this alone.
if (!ONLY || ONLY === 'site') {
  const site = prerenderSite();
  add(`prerender ${site.count} pages: full build, --jobs 1 (s)`, site.one);
  add(`prerender ${site.count} pages: full build, --jobs 2 (s)`, site.two);
  add(`prerender ${site.count} pages: --jobs 2 against --jobs 1 (ratio)`, site.two / site.one);
  add(`prerender ${site.count} pages: --incremental, nothing changed (s)`, site.unchanged);
  add(`prerender ${site.count} pages: --incremental, one page changed (s)`, site.onePage);
}
for (let run = 0; run < (ONLY === 'site' ? 0 : RUNS); run++) {
  if (!ONLY || ONLY === 'next') {
    for (const engine of firefoxPath ? ['chromium', 'firefox'] : ['chromium']) {
      const next = await nextPage(engine);
      if (!next.fresh) throw new Error(`next page (${engine}): page B saw page A's globals`);
      const name = engine === 'chromium' ? 'next page' : 'firefox next page';
      add(`${name}: Run on B to first output (ms)`, next.runToOutputMs);
      add(`${name}: link click on A to output on B (ms)`, next.clickToOutputMs);
      add(`${name}: of which, click to B's navigation start (ms)`, next.clickToNavigationMs);
      add(`${name}: of which, B's navigation start to Run (page load) (ms)`, next.navigationToRunMs);
      add(`${name}: runtime files requested on B`, next.runtimeRequests);
    }
    if (ONLY === 'next') {
      process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
      continue;
    }
  }
  if (ONLY !== 'warm') {
    // Outputs computed at build time: the command's time per page, then the page in a cold profile.
    const prerendered = prerenderPages();
    for (const seconds of prerendered.seconds) add('prerender: command, seconds per page', seconds);
    add('prerender: command, whole run per page (s)', prerendered.wall / prerendered.seconds.length);
    const { cold: built } = await coldAndWarm('_prerendered.html');
    if (built.pythonRequests !== 0 || built.firstVisibleMs === null) throw new Error(`prerendered page: ${JSON.stringify(built)}`);
    add('prerendered page: output visible, cold (ms)', built.firstVisibleMs);
    if (built.firstPaintMs !== null) add('prerendered page: first contentful paint, cold (ms)', built.firstPaintMs);
    add('prerendered page: bytes served, cold', built.bytes);
    // Each renderer's first use, from stored outputs (no Python), cold: from navigation to drawn.
    const { cold: renderers } = await coldAndWarm('_prerendered-renderers.html');
    for (const name of ['ansi', 'math', 'vega', 'plotly']) {
      if (renderers.drawnMs[name] === undefined) throw new Error(`renderers page: ${name} not drawn: ${JSON.stringify(renderers)}`);
      add(`renderer ${name}: drawn after navigation, cold (ms)`, renderers.drawnMs[name]);
      add(`renderer ${name}: bytes fetched, cold`, renderers.rendererBytes[name]);
    }
    add('renderers page: element loaded (ms)', renderers.elementLoadedMs);
  }
  if (ONLY === 'prerender' || ONLY === 'renderers') {
    const { cold, warm } = await coldAndWarm('floor.html');
    add('floor cold first output (ms)', cold.firstOutputMs);
    add('floor warm first output (ms)', warm.firstOutputMs);
    add('floor cold bytes served', cold.bytes);
    process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
    continue;
  }
  if (ONLY !== 'warm') {
    const intent = await intentRun(0);
    add('preload intent: bytes with no interaction', intent.idleBytes);
    add('preload intent: click to first output, click when ready (ms)', intent.clickToOutputMs);
    add('preload intent: click to first output, click 1 s after (ms)', (await intentRun(1000)).clickToOutputMs);
  }
  // Alternate which system goes first.
  const order = (run % 2 ? ['cell', 'cell-no-snapshot', 'floor'] : ['floor', 'cell-no-snapshot', 'cell']).filter(
    (system) => !ONLY || system !== 'cell-no-snapshot',
  );
  for (const system of order) {
    const { cold, warm, restarted } = await coldAndWarm(
      system === 'cell-no-snapshot' ? 'cell.html?snapshot=0' : `${system}.html`,
      'chromium',
      {
        restarted: true,
      },
    );
    if (system !== 'floor') {
      const expected = system === 'cell';
      if (cold.snapshot?.used !== expected || warm.snapshot?.used !== expected)
        throw new Error(`${system}: snapshot use ${JSON.stringify(cold.snapshot)}`);
      for (const [name, ms] of Object.entries(cold.boot)) add(`${system} cold boot: ${name} (ms)`, ms);
      for (const [name, ms] of Object.entries(warm.boot)) add(`${system} warm boot: ${name} (ms)`, ms);
      for (const [name, ms] of Object.entries(restarted.boot)) add(`${system} warm boot, browser restarted: ${name} (ms)`, ms);
    }
    add(`${system} cold first output (ms)`, cold.firstOutputMs);
    add(`${system} warm first output (ms)`, warm.firstOutputMs);
    add(`${system} warm first output, browser restarted (ms)`, restarted.firstOutputMs);
    add(`${system} cold main-thread blocking (ms)`, cold.blockingMs);
    if (system !== 'floor') {
      add(`${system} cold longest main-thread task (ms)`, cold.longestTaskMs);
      add(`${system} warm longest main-thread task (ms)`, warm.longestTaskMs);
    }
    if (TRACE) add(`${system} cold main-thread blocking, trace (ms)`, cold.traceBlockingMs);
    add(`${system} cold bytes served`, cold.bytes);
  }
  // Firefox ESR: the first-output figures, against raw Pyodide in Firefox.
  if (firefoxPath) {
    for (const system of run % 2 ? ['cell', 'floor'] : ['floor', 'cell']) {
      const { cold, warm } = await coldAndWarm(`${system}.html`, 'firefox');
      if (system === 'cell' && cold.snapshot?.used !== true) throw new Error(`Firefox cell: snapshot use ${JSON.stringify(cold.snapshot)}`);
      add(`firefox ${system} cold first output (ms)`, cold.firstOutputMs);
      add(`firefox ${system} warm first output (ms)`, warm.firstOutputMs);
    }
  }
  // A cell importing the ~3 MB wheel, cold, against the plain cell's cold first output.
  if (ONLY !== 'warm') {
    const { cold: withPackage } = await coldAndWarm('package.html');
    add('cell importing a 3 MB wheel, cold first output (ms)', withPackage.firstOutputMs);
  }
  if (ONLY && ONLY !== 'warm') {
    process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
    continue;
  }
  const { cold: thirty, warm: thirtyWarm } = await coldAndWarm('thirty.html');
  if (!thirty.ok || thirty.workers !== 1) throw new Error(`30-cell page: outputs ok=${thirty.ok}, workers=${thirty.workers}`);
  add('30 cells, all outputs, cold (ms)', thirty.allOutputsMs);
  add('30 cells main-thread blocking (ms)', thirty.blockingMs);
  add('30 cells, longest main-thread task, cold (ms)', thirty.longestTaskMs);
  add('30 cells, longest main-thread task, warm (ms)', thirtyWarm.longestTaskMs);
  if (TRACE) add('30 cells main-thread blocking, trace (ms)', thirty.traceBlockingMs);
  const { warm } = await coldAndWarm('warm.html');
  if (!warm.linesOk || !warm.arrayOk) throw new Error('warm page: output check failed');
  add('warm run() of `pass`, median (ms)', warm.runMedianMs);
  add('warm run() of `pass`, p95 (ms)', warm.runP95Ms);
  add('10^5 lines rendered (ms)', warm.linesMs);
  add('10^5 lines, longest task (ms)', warm.linesLongestMs);
  add('10^7-element array displayed (ms)', warm.arrayMs);
  process.stderr.write(`run ${run + 1}/${RUNS} done\n`);
}
await server.stop();

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const row = (name) => {
  const values = samples[name];
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
};
// BENCH_ONLY=site measures no floor: its figures have no ratio to it.
const floorRow = (name) => (samples[name] ? row(name).median : undefined);
const floor = {
  cold: floorRow('floor cold first output (ms)'),
  warm: floorRow('floor warm first output (ms)'),
  restarted: floorRow('floor warm first output, browser restarted (ms)'),
  bytes: floorRow('floor cold bytes served'),
};
const ratios = {
  'prerendered page: output visible, cold (ms)': floor.cold,
  'prerendered page: bytes served, cold': floor.bytes,
  'preload intent: bytes with no interaction': floor.bytes,
  'cell importing a 3 MB wheel, cold first output (ms)':
    samples['cell cold first output (ms)'] && row('cell cold first output (ms)').median,
  'cell cold first output (ms)': floor.cold,
  'cell warm first output (ms)': floor.warm,
  'cell warm first output, browser restarted (ms)': floor.restarted,
  'cell-no-snapshot warm first output, browser restarted (ms)': floor.restarted,
  'cell cold bytes served': floor.bytes,
  'cell-no-snapshot cold first output (ms)': floor.cold,
  'cell-no-snapshot warm first output (ms)': floor.warm,
  'cell-no-snapshot cold bytes served': floor.bytes,
  '30 cells, all outputs, cold (ms)': samples['cell cold first output (ms)'] && row('cell cold first output (ms)').median,
  ...(samples['firefox floor cold first output (ms)'] && {
    'firefox cell cold first output (ms)': row('firefox floor cold first output (ms)').median,
    'firefox cell warm first output (ms)': row('firefox floor warm first output (ms)').median,
  }),
};
const bundle = readFileSync('dist/py-cell.js');
const table = Object.keys(samples).map((name) => {
  const { median: m, min, max } = row(name);
  const against = ratios[name];
  return {
    name,
    median: Math.round(m * 10) / 10,
    min: Math.round(min * 10) / 10,
    max: Math.round(max * 10) / 10,
    ratio: against ? Math.round((m / against) * 100) / 100 : null,
  };
});
table.push({
  name: 'element bundle, minified + gzipped (KB)',
  median: Math.round(gzipSync(bundle).length / 102.4) / 10,
  min: null,
  max: null,
  ratio: null,
});

const pad = (value, width) => String(value ?? '').padStart(width);
console.log(`py-cell benchmark: ${RUNS} runs, medians (min-max); ratio to the floor (raw Pyodide) where it applies`);
console.log(`${'scenario'.padEnd(42)}${pad('median', 10)}${pad('min', 10)}${pad('max', 10)}${pad('ratio', 8)}`);
for (const r of table)
  console.log(`${r.name.padEnd(42)}${pad(r.median, 10)}${pad(r.min, 10)}${pad(r.max, 10)}${pad(r.ratio === null ? '' : `${r.ratio}x`, 8)}`);
mkdirSync('bench-results', { recursive: true });
writeFileSync('bench-results/latest.json', `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, table, samples }, null, 2)}\n`);
console.log('written: bench-results/latest.json');
