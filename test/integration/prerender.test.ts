// Outputs computed at build time by `py-cell prerender`: pages the command wrote
// (scripts/sites/prerender.mjs, before the test runner: the demo pages and a page with every
// kind of output) show their outputs before any Python download, Run replaces them, a reader
// without JavaScript sees their text, and stored data that is stale or tampered with is ignored
// safely. The command's exit codes are checked in Chromium only: the command runs in Node, the
// same whatever browser runs the tests.
import { expect } from '@esm-bundle/chai';
import type { RuntimeClient } from '../../runtime/page/client.js';
import { executeServerCommand } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import type { OutputItem } from '../../cell/output-model.js';
import { codeHash, fallbackTexts, PRERENDERED_TYPE } from '../../cell/stored-outputs.js';
import { addStoredCell, engine, openFrame, outputArea, partText, waitFor } from './helpers.js';

const pages = (await (await fetch('/test/_build/prerendered.json')).json()) as string[];

/** Resource requests of a frame's page for Python's runtime (the worker script, anything in wasm-dist/). */
const pythonRequests = (view: Window) =>
  view.performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /py-cell-worker|\/wasm-dist\//.test(name));

/** The text of a cell's streams, plain values and errors, in order. */
const outputText = (cell: PyCell) =>
  Array.from(outputArea(cell)?.querySelectorAll('pre') ?? [])
    .map((element) => element.textContent)
    .join('');

/** The shadow root holding the markup of the `n`th HTML, SVG or Markdown output, once rendered. */
async function rich(cell: PyCell, n = 0): Promise<ShadowRoot> {
  type Rich = HTMLElement & { rendered: Promise<void>; updateComplete: Promise<boolean> };
  const element = outputArea(cell)!.querySelectorAll<Rich>('py-cell-html')[n]!;
  await element.updateComplete;
  await element.rendered;
  return element.shadowRoot!.querySelector('.content')!.shadowRoot!;
}

describe('prerendered outputs (py-cell prerender)', () => {
  it('the build prerendered every demo page and the page with every kind of output', () => {
    expect(pages).to.include('/demo/_prerendered-basics.html');
    expect(pages).to.include('/test/pages/_prerendered-all-outputs.html');
    expect(pages.length).to.be.greaterThan(5);
  });

  for (const page of pages) {
    it(`${page}: outputs are shown before Python is asked for, with the note, and match the no-JavaScript text`, async () => {
      const frame = document.createElement('iframe');
      const view = await openFrame(page, frame);
      try {
        const cells = Array.from(view.document.querySelectorAll<PyCell>('py-cell'));
        await Promise.all(cells.map((cell) => cell.updateComplete));
        let shown = 0;
        for (const cell of cells) {
          const data = cell.querySelector(`script[type="${PRERENDERED_TYPE}"]`);
          const note = outputArea(cell)?.querySelector('[part="prerendered"]');
          if (!data) {
            expect(note, 'a cell without stored outputs has no note').to.equal(null);
            continue;
          }
          const stored = JSON.parse(data.textContent) as { outputs: unknown[] };
          if (stored.outputs.length === 0) continue;
          shown++;
          expect(note?.textContent, 'the note').to.equal('Computed when the page was built');
          expect(cell.status).to.equal('idle');
          // Every line of the fallback's streams and errors is in what the element shows (values
          // shown richly have their text/plain in the fallback: an array's repr, an object's).
          const plain = Array.from(cell.querySelectorAll('.py-cell-prerendered > pre:not(.py-cell-result, .py-cell-display)'));
          const lines = plain.flatMap((pre) => pre.textContent.split('\n'));
          for (const line of lines.filter((text) => text.trim() && !text.startsWith('…'))) {
            expect(outputText(cell), `cell output of ${page}`).to.include(line.trim());
          }
          // The fallback (absent when no output has text: an image) is in the light DOM, which a
          // defined element does not show.
          const fallback = cell.querySelector<HTMLElement>('.py-cell-prerendered');
          if (fallback) expect(fallback.getClientRects().length, 'fallback hidden').to.equal(0);
          else
            expect(
              fallbackTexts(stored.outputs as OutputItem[], () => 'html'),
              'no fallback',
            ).to.deep.equal([]);
        }
        const expected = cells.filter((cell) =>
          /"outputs":\[\{/.test(cell.querySelector(`script[type="${PRERENDERED_TYPE}"]`)?.textContent ?? ''),
        ).length;
        expect(shown, 'cells showing prerendered outputs').to.equal(expected);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(pythonRequests(view), 'requests for Python').to.deep.equal([]);
      } finally {
        frame.remove();
      }
    });
  }

  it('every kind of output is rendered from the stored data as live output is, and a canvas cell is left to run', async () => {
    const frame = document.createElement('iframe');
    const view = await openFrame('/test/pages/_prerendered-all-outputs.html', frame);
    try {
      const cells = Array.from(view.document.querySelectorAll<PyCell>('py-cell'));
      await Promise.all(cells.map((cell) => cell.updateComplete));
      const [streams, richCell, mathCharts, png, arrays, canvas, flood, error, missing, readonly] = cells;
      expect(partText(streams!, 'stdout')).to.equal('standard output\n');
      expect(partText(streams!, 'stderr')).to.equal('standard error\n');
      expect(partText(streams!, 'result')).to.equal("{'a value': [1, 2.5, None]}");
      const html = outputArea(richCell!)!.querySelectorAll('py-cell-html');
      expect(html.length, 'HTML, SVG and Markdown').to.equal(3);
      // The page writes this cell as text, so its markup was parsed as the cell's children: the code reads "A table", as live.
      expect((await rich(richCell!)).textContent).to.include('A tablexy12a link');
      // Math, a Vega-Lite chart and a Plotly figure drawn from the stored bundles, with no Python; colours kept.
      const area = outputArea(mathCharts!)!;
      await waitFor(() => {
        const charts = Array.from(area.querySelectorAll('py-cell-chart'), (chart) => chart.shadowRoot?.querySelector('.target svg'));
        return (
          charts.length === 2 && charts.every(Boolean) && area.querySelector('py-cell-math')?.shadowRoot?.querySelector('.katex') != null
        );
      }, 'the stored math and charts drawn');
      expect(area.querySelector('py-cell-chart')!.shadowRoot!.querySelector('figure')!.getAttribute('aria-label')).to.equal(
        'Chart: Rainfall by month. Bars of rainfall in millimetres for January to March.',
      );
      await waitFor(() => area.querySelector('[part="stdout"] .ansi-fg-2') !== null, 'the stored colours');
      expect(partText(mathCharts!, 'stdout')).to.equal('passed failed 256 colours true colour\n');
      // Readers without JavaScript get the chart's words, the formula's source and the text without escapes.
      const fallback = mathCharts!.querySelector('.py-cell-prerendered')!.textContent;
      expect(fallback).to.include('passed failed 256 colours true colour');
      expect(fallback).to.include('Chart: Rainfall by month. Bars of rainfall');
      expect(fallback).to.include('Chart: Visitors per day');
      // The formula's object has no repr of its own: its LaTeX source stands for it.
      expect(fallback).to.include('\\frac{a^{2} + b^{2}}{\\sqrt{c}}');
      expect(fallback).to.not.include('\x1b');
      expect(outputArea(png!)!.querySelector<HTMLImageElement>('img[part="image"]')!.src).to.match(/^data:image\/png;base64,/);
      const views = outputArea(arrays!)!.querySelectorAll('py-cell-array');
      expect(views.length, 'array views').to.equal(3);
      expect(outputArea(canvas!)!.children.length, 'the canvas cell shows nothing yet').to.equal(0);
      expect(canvas!.querySelector(`script[type="${PRERENDERED_TYPE}"]`)).to.equal(null);
      expect(outputArea(flood!)!.querySelector('[part="hidden-output"]')?.textContent).to.match(/lines hidden/);
      expect(partText(flood!, 'stdout')).to.include('a line of output that floods the cell 4999');
      expect(outputArea(error!)!.querySelector('[part="error"]')?.getAttribute('data-error-type')).to.equal('ZeroDivisionError');
      expect(partText(error!, 'error')).to.include('ratio(1, 0)');
      expect(partText(missing!, 'error')).to.include("No package 'no-such-package'");
      expect(partText(readonly!, 'result')).to.equal("'a read-only cell'");
    } finally {
      frame.remove();
    }
  });

  it('Run replaces the stored outputs with live ones; an edit hides them, Reset brings them back', async () => {
    const frame = document.createElement('iframe');
    const view = await openFrame('/demo/_prerendered-basics.html', frame);
    try {
      const cell = view.document.querySelector<PyCell>('py-cell')!;
      await cell.updateComplete;
      const stored = partText(cell, 'stdout');
      expect(stored).to.include('step 4');
      cell.code = `${cell.originalCode}\n`;
      await cell.updateComplete;
      expect(outputArea(cell)!.children.length, 'outputs of other code are not shown').to.equal(0);
      cell.reset();
      await cell.updateComplete;
      expect(partText(cell, 'stdout')).to.equal(stored);
      const result = await cell.run();
      expect(result.status).to.equal('done');
      await cell.updateComplete;
      expect(outputArea(cell)!.querySelector('[part="prerendered"]'), 'the note is gone').to.equal(null);
      expect(partText(cell, 'stdout')).to.equal(stored);
      // Started by Run: its own worker, or (Chromium) the site's shared one, which it may have joined.
      const runtimes = (view as unknown as Record<symbol, Map<string, RuntimeClient> | undefined>)[Symbol.for('py-cell.runtimes')];
      expect(
        [...(runtimes?.values() ?? [])].map((client) => client.state),
        'Python was started by Run',
      ).to.deep.equal(['ready']);
    } finally {
      frame.remove();
    }
  });

  it('a reader without JavaScript sees the text of every output', async () => {
    // A sandboxed frame runs no script: the element is never defined and its light DOM shows.
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-same-origin');
    frame.style.cssText = 'width: 900px; height: 700px';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.src = '/demo/_prerendered-basics.html';
    document.body.append(frame);
    await loaded;
    try {
      const doc = frame.contentDocument!;
      expect(frame.contentWindow!.customElements.get('py-cell'), 'no script ran').to.equal(undefined);
      const text = doc.body.innerText;
      expect(text).to.include('step 0');
      expect(text).to.include('a warning');
      expect(text).to.include("{'answer': 42, 'primes': [2, 3, 5, 7]}");
    } finally {
      frame.remove();
    }
  });

  describe('stored data that is stale, unknown or tampered with', () => {
    const stored = (code: string, outputs: unknown, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ version: 1, hash: codeHash(code), pyodide: 'x', status: 'done', outputs, ...extra });

    afterEach(() => document.querySelectorAll('py-cell').forEach((cell) => cell.remove()));

    it('well-formed data for the code is shown, sanitised as live output is (unless trusted)', async () => {
      const hostile = '<img src="x" onerror="window.__pwned = 1"><b>bold</b>';
      const cell = addStoredCell('1', stored('1', [{ kind: 'result', bundle: { 'text/html': hostile, 'text/plain': 'x' } }]));
      await cell.updateComplete;
      const root = await rich(cell);
      expect(root.querySelector('b')?.textContent).to.equal('bold');
      expect(root.innerHTML).not.to.include('onerror');
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });

    it('is ignored, with one console warning for the page, never thrown', async () => {
      const warnings: unknown[][] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args);
      try {
        const text = [{ kind: 'stream', name: 'stdout', text: 'stored\n' }];
        const cells = [
          addStoredCell('print(1)', 'not json {'),
          addStoredCell('print(1)', stored('print(1)', text, { version: 2 })),
          addStoredCell('print(1)', stored('print(1)', [{ kind: 'script', text: 'x' }])),
          addStoredCell('print(1)', stored('print(1)', [{ kind: 'stream', name: 'stdin', text: 'x' }])),
          addStoredCell('print(2)', stored('print(1)', text)), // stale: the code changed
          addStoredCell('print(1)', '[]'),
        ];
        await Promise.all(cells.map((cell) => cell.updateComplete));
        for (const cell of cells) {
          expect(outputArea(cell)!.children.length, 'nothing shown').to.equal(0);
          expect(cell.status).to.equal('idle');
        }
        expect(warnings.length, 'one warning for the page').to.equal(1);
        expect(String(warnings[0]![0])).to.include('ignored');
        const valid = addStoredCell('print(1)', stored('print(1)', text));
        await valid.updateComplete;
        expect(partText(valid, 'stdout')).to.equal('stored\n');
      } finally {
        console.warn = warn;
      }
    });

    it('the code of a cell written as text is read without what the command wrote into it', async () => {
      const cell = document.createElement('py-cell');
      cell.innerHTML = `print("a &lt; b")<script type="${PRERENDERED_TYPE}" data-py-cell-prerendered>${stored('print("a < b")', [{ kind: 'stream', name: 'stdout', text: 'a < b\n' }])}</script><div data-py-cell-prerendered class="py-cell-prerendered"><pre>a &lt; b</pre></div>`;
      document.body.append(cell);
      await cell.updateComplete;
      expect(cell.code).to.equal('print("a < b")');
      expect(partText(cell, 'stdout')).to.equal('a < b\n');
    });
  });

  describe('the command', () => {
    before(function () {
      if (engine !== 'chromium') this.skip(); // Node runs it: once is enough
    });

    it('--check exits 1 on pages without stored outputs, naming page and cell, and 0 once they are prerendered', async () => {
      type Run = { code: number; output: string; pages: string[] };
      const fresh = await executeServerCommand<Run, object>('prerender-cli', { pages: ['demo/basics.html'], args: ['--check'] });
      expect(fresh.code, fresh.output).to.equal(1);
      expect(fresh.output).to.match(/demo_basics\.html: 3 cells, 3 changed/);
      expect(fresh.output).to.include('cell 1: changed: it has no stored outputs');
      const written = await executeServerCommand<Run, object>('prerender-cli', { pages: ['demo/basics.html'], args: [] });
      expect(written.code, written.output).to.equal(0);
      const checked = await executeServerCommand<Run, object>('prerender-cli', {
        pages: ['demo/basics.html'],
        args: ['--check'],
        again: true,
      });
      expect(checked.code, checked.output).to.equal(0);
      expect(checked.output).to.match(/Checked 1 page: 3 cells, 0 errors, 0 left for the browser, 0 changed, in [\d.]+ s/);
    });

    it('--fail-on-error exits 1 when a cell raised, naming it, and 0 when none did', async () => {
      type Run = { code: number; output: string };
      const failing = await executeServerCommand<Run, object>('prerender-cli', { pages: ['demo/errors.html'], args: ['--fail-on-error'] });
      expect(failing.code, failing.output).to.equal(1);
      expect(failing.output).to.include('cell 1: raised ZeroDivisionError: division by zero');
      const passing = await executeServerCommand<Run, object>('prerender-cli', {
        pages: ['demo/sessions.html'],
        args: ['--fail-on-error'],
      });
      expect(passing.code, passing.output).to.equal(0);
      const usage = await executeServerCommand<Run, object>('prerender-cli', { pages: [], args: ['--timeout', '0'] });
      expect(usage.code, usage.output).to.equal(2);
    });

    it('cell code gets no more of the build machine than a browser gives: no environment, processes or other files, and no paths in the page', async () => {
      type Run = { code: number; output: string; pages: string[] };
      const run = await executeServerCommand<Run, object>('prerender-cli', { pages: ['test/pages/prerender-hostile.html'], args: [] });
      expect(run.code, run.output).to.equal(0);
      expect(run.output).to.match(/6 cells, 4 errors/);
      expect(run.output).to.include('cell 1: raised UnusableWheel');
      for (const cell of [3, 4, 5])
        expect(run.output).to.include(`cell ${cell}: raised JsException: Error: Access to this API has been restricted`);
      const page = await (await fetch(run.pages[0]!)).text();
      expect(page).to.include('environment: 0 [');
      expect(page).to.not.include('ran-a-42');
      expect(page).to.not.include('root:'); // /etc/passwd
      expect(page).to.include('the page goes on');
      // The wheel the build could not find is named, but not where the build looked for it.
      expect(page).to.include('missing-1.0.0-py3-none-any.whl');
      expect(page).to.not.match(/file:|\/test\/fixtures\/|\/test\/_build\//);
      const written = await fetch('/written-by-a-cell.txt');
      expect(written.status, 'a cell wrote a file').to.equal(404);
    });

    it('a cell that runs past --timeout is interrupted and the page goes on', async () => {
      type Run = { code: number; output: string };
      const run = await executeServerCommand<Run, object>('prerender-cli', {
        pages: ['test/pages/prerender-timeout.html'],
        args: ['--timeout', '2'],
      });
      expect(run.code, run.output).to.equal(0);
      expect(run.output).to.include('cell 1: raised KeyboardInterrupt');
      expect(run.output).to.include('ran past 2 s');
      expect(run.output).to.match(/prerender-timeout\.html: 2 cells, 1 error/);
    });
  });
});
