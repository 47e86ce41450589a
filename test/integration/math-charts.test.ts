// Math, charts and coloured text, from the exact bundles SymPy, Altair and Plotly return
// (test/fixtures/bundles/library_bundles.py: stand-ins that return those bundles, not the
// libraries), in worker cells, main-thread cells and stored (prerendered) outputs, each with a
// hostile variant. KaTeX, vega-embed and plotly.js are the real renderers, loaded from dist/.
import { expect } from '@esm-bundle/chai';
import { codeHash } from '../../cell/stored-outputs.js';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, addStoredCell, outputArea, partText, waitFor } from './helpers.js';

type Rendered = HTMLElement & { rendered: Promise<void>; updateComplete: Promise<boolean> };

let fixture = '';
before(async () => {
  fixture = await (await fetch('/test/fixtures/bundles/library_bundles.py')).text();
});

async function run(code: string, attributes: Record<string, string> = {}): Promise<PyCell> {
  const cell = addCell(`${fixture}\n${code}`, attributes);
  const result = await cell.run();
  await cell.updateComplete;
  expect(result.status, `${result.status}: ${partText(cell, 'error')}`).to.equal('done');
  return cell;
}

/** The shadow root of the `n`th `tag` in the cell's output, once it has drawn. */
async function drawn(cell: PyCell, tag: 'py-cell-chart' | 'py-cell-math', n = 0): Promise<{ element: Rendered; root: ShadowRoot }> {
  await waitFor(() => outputArea(cell)!.querySelectorAll(tag).length > n && customElements.get(tag) !== undefined, `a ${tag}`, 30_000);
  const element = outputArea(cell)!.querySelectorAll<Rendered>(tag)[n]!;
  await element.updateComplete;
  await element.rendered;
  return { element, root: element.shadowRoot! };
}

/** The chart's target, once its library has put a drawing in it (or said why not). */
async function chartOf(cell: PyCell, n = 0): Promise<{ target: HTMLElement; label: string; problem: string }> {
  const { element, root } = await drawn(cell, 'py-cell-chart', n);
  const target = root.querySelector<HTMLElement>('.target')!;
  await waitFor(
    () => target.querySelector('svg') !== null || root.querySelector('[part="hidden-output"]') !== null,
    'the chart drawn',
    60_000,
  );
  return {
    target,
    label: root.querySelector('figure')!.getAttribute('aria-label') ?? '',
    problem: (element as unknown as { problem: string | null }).problem ?? '',
  };
}

/** Every `href` (and `xlink:href`) in a tree, shadow roots included, but style sheets'. */
function hrefs(root: ParentNode): string[] {
  const found: string[] = [];
  for (const element of root.querySelectorAll(':not(link[rel="stylesheet"])')) {
    for (const name of ['href', 'xlink:href']) if (element.hasAttribute(name)) found.push(element.getAttribute(name)!);
    if (element.shadowRoot) found.push(...hrefs(element.shadowRoot));
  }
  return found;
}

const LATEX = 'SympyLikeLatex()';
const ALTAIR = 'AltairLikeChart()';
const PLOTLY = 'PlotlyLikeFigure()';

describe('math, charts and coloured text', () => {
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  for (const mode of ['worker', 'main-thread'] as const) {
    const attributes: Record<string, string> = mode === 'main-thread' ? { 'main-thread': '' } : {};

    describe(`in a ${mode} cell`, () => {
      it("typesets _repr_latex_ (SymPy's) with KaTeX: HTML for the eye, MathML with the source for screen readers", async () => {
        const cell = await run(LATEX, attributes);
        const { root } = await drawn(cell, 'py-cell-math');
        expect(root.querySelector('.katex .katex-html .mfrac')).to.not.equal(null);
        expect(root.querySelector('math annotation')?.textContent).to.equal('\\displaystyle \\frac{a^{2} + b^{2}}{\\sqrt{c}}');
        expect(root.querySelector('.latex')?.hasAttribute('hidden')).to.equal(true);
        // KaTeX's own style applies (self-hosted in dist/katex/), so the fraction is laid out as one.
        expect(getComputedStyle(root.querySelector('.katex')!).fontFamily).to.include('KaTeX_Main');
      });

      it("draws an Altair chart's Vega-Lite v5 bundle as SVG, labelled by its title and description, with no eval", async () => {
        const cell = await run(ALTAIR, attributes);
        const { target, label, problem } = await chartOf(cell);
        expect(problem).to.equal('');
        expect(target.querySelectorAll('svg .mark-rect path').length).to.equal(3);
        expect(label).to.equal('Chart: Rainfall by month. Bars of rainfall in millimetres for January to March.');
        expect(partText(cell, 'result')).to.not.include('VegaLite 5 object');
      });

      it("draws a Plotly figure's bundle with plotly.js, its title as the text alternative", async () => {
        const cell = await run(PLOTLY, attributes);
        const { target, label, problem } = await chartOf(cell);
        expect(problem).to.equal('');
        expect(target.querySelector('.main-svg .scatterlayer .trace')).to.not.equal(null);
        expect(label).to.equal('Chart: Visitors per day');
        // plotly.js's mode bar styles reached the chart's shadow root.
        const modebar = target.querySelector('.modebar-container');
        if (modebar) expect(getComputedStyle(modebar).position).to.equal('absolute');
      });
    });
  }

  it('draws Vega-Lite v4 and v6 and Vega v5 bundles too', async () => {
    const cell = await run(
      [
        'from pycell import display',
        'display(AltairLikeChart(altair_like_spec("v4"), "application/vnd.vegalite.v4+json"))',
        'display(AltairLikeChart(altair_like_spec("v6"), "application/vnd.vegalite.v6+json"))',
        'display(AltairLikeChart({"$schema": "https://vega.github.io/schema/vega/v5.json", "width": 100, "height": 50, "description": "A Vega rectangle",',
        '  "marks": [{"type": "rect", "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0}, "width": {"value": 50}, "height": {"value": 20}, "fill": {"value": "steelblue"}}}}]},',
        '  "application/vnd.vega.v5+json"))',
      ].join('\n'),
    );
    for (const n of [0, 1, 2]) {
      const { target, problem } = await chartOf(cell, n);
      expect(problem, `chart ${n}`).to.equal('');
      expect(target.querySelector('svg'), `chart ${n}`).to.not.equal(null);
    }
    expect((await chartOf(cell, 2)).label).to.equal('Chart: A Vega rectangle');
  });

  it('shows a formula KaTeX cannot typeset as its source, with the reason; math in Markdown output is typeset, code is not', async () => {
    const cell = await run(
      [
        'from pycell import display',
        'display(SympyLikeLatex(r"$\\frac{1}{$"))',
        'class Notes:',
        '    def _repr_markdown_(self):',
        '        return "Euler: $e^{i\\\\pi} + 1 = 0$, cost `$5` and $$\\\\sum_{k=1}^n k$$ and a_b_c"',
        'display(Notes())',
      ].join('\n'),
    );
    const { root } = await drawn(cell, 'py-cell-math');
    expect(root.querySelector('.math-error code')?.textContent).to.equal('$\\frac{1}{$');
    expect(root.querySelector('.math-reason')?.textContent).to.match(/not typeset: .+/);
    const html = outputArea(cell)!.querySelector<Rendered>('py-cell-html')!;
    await html.updateComplete;
    await html.rendered;
    const content = html.shadowRoot!.querySelector('.content')!.shadowRoot!;
    expect(Array.from(content.querySelectorAll('math annotation'), (node) => node.textContent)).to.deep.equal([
      'e^{i\\pi} + 1 = 0',
      '\\sum_{k=1}^n k',
    ]);
    expect(content.querySelector('code')?.textContent).to.equal('$5');
    expect(content.textContent).to.include('a_b_c');
  });

  it('takes an image’s text alternative from display(alt=…) and from the bundle’s metadata', async () => {
    const cell = await run(
      [
        'from pycell import display',
        'import base64',
        'GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")',
        'class Plot:',
        '    def _repr_mimebundle_(self, include=None, exclude=None):',
        '        return {"image/gif": GIF, "text/plain": "<Plot>"}, {"image/gif": {"alt": "A one-pixel plot"}}',
        'display(Plot())',
        'display(GIF, alt="A white pixel")',
        'display(AltairLikeChart(altair_like_spec(title=None, description=None)), alt="Rain, by month")',
      ].join('\n'),
    );
    const images = Array.from(outputArea(cell)!.querySelectorAll('img'), (img) => img.alt);
    expect(images).to.deep.equal(['A one-pixel plot', 'A white pixel']);
    expect((await chartOf(cell)).label).to.equal('Rain, by month');
  });

  it('follows the cell’s colour scheme: a dark cell gets light axes and text in both libraries', async () => {
    const dark = { style: '--py-cell-foreground: #e6edf3; --py-cell-output-background: #0d1117; --py-cell-background: #161b22' };
    const cell = await run('from pycell import display\ndisplay(AltairLikeChart(), PlotlyLikeFigure())', dark);
    const vega = (await chartOf(cell, 0)).target;
    const label = vega.querySelector<SVGTextElement>('.role-axis-label text')!;
    expect(label.getAttribute('fill')).to.equal('#fff');
    const plotly = (await chartOf(cell, 1)).target;
    expect(getComputedStyle(plotly.querySelector('.xtick text')!).fill).to.equal('rgb(230, 237, 243)');
    const light = await run('AltairLikeChart()');
    expect((await chartOf(light)).target.querySelector('.role-axis-label text')!.getAttribute('fill')).to.not.equal('#fff');
  });

  it('a chart stays drawn when Stop restarts Python and replays the sessions, and draws again when its cell runs again', async () => {
    const chart = await run('AltairLikeChart()');
    await chartOf(chart);
    const loop = addCell('while True: pass');
    const running = loop.run();
    await waitFor(() => loop.status === 'running', 'the loop running');
    loop.stop();
    await running;
    expect((await chartOf(chart)).target.querySelectorAll('svg .mark-rect path').length).to.equal(3);
    const again = await chart.run();
    expect(again.status).to.equal('done');
    expect((await chartOf(chart)).target.querySelectorAll('svg .mark-rect path').length).to.equal(3);
  });

  describe('hostile variants', () => {
    it('a Vega-Lite spec with javascript: links, an eval-only option and an href expression makes no script URL', async () => {
      const cell = await run(
        [
          'spec = altair_like_spec()',
          'spec["encoding"]["href"] = {"value": "javascript:window.__pwned=1"}',
          'spec["usermeta"] = {"embedOptions": {"ast": False, "actions": True, "loader": {"baseURL": "javascript:"}}}',
          'spec["transform"] = [{"calculate": "\'javascript:\' + \'window.__pwned=2\'", "as": "link"}]',
          'spec["encoding"]["tooltip"] = {"value": "<img src=x onerror=window.__pwned=3>"}',
          'AltairLikeChart(spec)',
        ].join('\n'),
      );
      const { target } = await chartOf(cell);
      const path = target.querySelector<SVGElement>('svg .mark-rect path')!;
      path.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      path.dispatchEvent(new MouseEvent('pointermove', { bubbles: true, clientX: 10, clientY: 10 }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(hrefs(document).filter((href) => /^\s*javascript:/i.test(href))).to.deep.equal([]);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      expect(document.querySelector('#vg-tooltip-element img')).to.equal(null);
      expect(target.querySelector('.vega-actions')).to.equal(null);
    });

    it('LaTeX with \\href{javascript:…} and \\url makes no link', async () => {
      const cell = await run('SympyLikeLatex(r"$\\href{javascript:window.__pwned=1}{click} + \\url{javascript:alert(1)}$")');
      const { root } = await drawn(cell, 'py-cell-math');
      expect(root.querySelector('a')).to.equal(null);
      expect(hrefs(root)).to.deep.equal([]);
      expect(root.textContent).to.include('click');
    });

    it('a Plotly figure with a javascript: link in its text and a config that would send data away makes no script URL', async () => {
      const cell = await run(
        [
          'fig = plotly_like_figure(annotations=[{"text": "<a href=\\"javascript:window.__pwned=1\\">click</a>", "x": 2, "y": 15, "showarrow": False}])',
          'fig["layout"]["title"] = {"text": "<a href=\\"javascript:window.__pwned=2\\">title</a>"}',
          'fig["config"] = {"showLink": True, "plotlyServerURL": "https://exfiltrate.test", "showSendToCloud": True, "linkText": "Send"}',
          'PlotlyLikeFigure(fig)',
        ].join('\n'),
      );
      const { target } = await chartOf(cell);
      expect(target.textContent).to.include('click');
      expect(hrefs(target).filter((href) => /^\s*javascript:/i.test(href))).to.deep.equal([]);
      expect(target.textContent).to.not.include('Send');
    });

    it('escape sequences that set a title, make a hyperlink or move the cursor are dropped, never shown raw or obeyed', async () => {
      const title = document.title;
      const cell = await run(
        'print("\\x1b]0;pwned\\x07\\x1b]8;;javascript:window.__pwned=1\\x1b\\\\click\\x1b]8;;\\x1b\\\\ \\x1b[2J\\x1b[H\\x1b[31mred\\x1b[0m\\x1bP+q\\x1b\\\\end")',
      );
      await waitFor(() => outputArea(cell)!.querySelector('.ansi-fg-1') !== null, 'the coloured text');
      expect(partText(cell, 'stdout')).to.equal('click redend\n');
      expect(document.title).to.equal(title);
      expect(hrefs(cell.shadowRoot!)).to.deep.equal([]);
    });
  });

  describe('stored outputs (as py-cell prerender writes them)', () => {
    it('draws stored charts and math when the page loads, with no Python', async () => {
      const code = 'chart';
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.20.1.json',
        data: { values: [{ a: 1 }, { a: 2 }] },
        mark: 'point',
        encoding: { x: { field: 'a', type: 'quantitative' } },
        title: 'Stored',
      };
      const outputs = [
        { kind: 'display', bundle: { 'application/vnd.vegalite.v5+json': JSON.stringify(spec), 'text/plain': 'alt.Chart(...)' } },
        { kind: 'display', bundle: { 'application/vnd.plotly.v1+json': { data: [{ type: 'bar', x: [1, 2], y: [3, 1] }], layout: {} } } },
        { kind: 'result', bundle: { 'text/latex': '$x^2$', 'text/plain': 'x**2' } },
      ];
      const cell = addStoredCell(code, JSON.stringify({ version: 1, hash: codeHash(code), pyodide: 'x', status: 'done', outputs }));
      await cell.updateComplete;
      expect((await chartOf(cell, 0)).target.querySelectorAll('svg .mark-symbol path').length).to.equal(2);
      expect((await chartOf(cell, 1)).label).to.equal('Chart with no title or description');
      expect((await drawn(cell, 'py-cell-math')).root.querySelector('math annotation')?.textContent).to.equal('x^2');
      expect(cell.status).to.not.equal('running');
    });
  });
});
