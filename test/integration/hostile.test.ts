// Broken and hostile code and output, as an adversarial author or reader would write them (page
// not cross-origin isolated). Each case once hung the page, leaked into another cell or covered
// the page.
import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, longestTask, outputArea, partText, runtimeWhere, sleep } from './helpers.js';

const bundle = '../../dist/py-cell.js';
const { configure } = (await import(bundle)) as typeof import('../../components/index.js');

type Pwned = { pwned: string[] };
const pwned = () => (window as unknown as Pwned).pwned;

async function run(code: string, attributes: Record<string, string> = {}) {
  const cell = addCell(code, attributes);
  const result = await cell.run();
  await cell.updateComplete;
  return { cell, result };
}

/** The shadow roots holding the markup of every HTML, SVG and Markdown output of `cell`. */
async function markupRoots(cell: PyCell): Promise<ShadowRoot[]> {
  const elements = Array.from(outputArea(cell)!.querySelectorAll<HTMLElement & { rendered: Promise<void> }>('py-cell-html'));
  for (const element of elements) {
    await (element as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    await element.rendered;
  }
  return elements.map((element) => element.shadowRoot!.querySelector('.content')?.shadowRoot).filter((root): root is ShadowRoot => !!root);
}

/** True when no output covers the page's corners and centre. */
function pageUncovered(): boolean {
  const points: Array<[number, number]> = [
    [2, 2],
    [window.innerWidth - 3, 2],
    [2, window.innerHeight - 3],
    [window.innerWidth - 3, window.innerHeight - 3],
  ];
  return points.every(([x, y]) => !document.elementFromPoint(x, y)?.closest('py-cell'));
}

describe('broken and hostile code and output', () => {
  beforeEach(() => {
    (window as unknown as Pwned).pwned = [];
  });
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  it('keeps the output of a background task in the cell that started it, never in the cell running now', async () => {
    const starter = addCell(
      [
        'import asyncio, pycell',
        'class H:',
        '    def _repr_html_(self): return "<b class=from-task>task</b><img src=x onerror=\\"window.pwned.push(\'task html\')\\">"',
        'async def tick():',
        '    for i in range(8):',
        '        await asyncio.sleep(0.15)',
        '        print("tick", i)',
        '        pycell.display(H())',
        'task = asyncio.ensure_future(tick())',
        '"started"',
      ].join('\n'),
      { session: 'tasks' },
    );
    await starter.run();
    const trusted = addCell('import asyncio\nawait asyncio.sleep(1.5)\nprint("mine")\n"trusted done"', { trusted: '' });
    const result = await trusted.run();
    await sleep(300);
    await trusted.updateComplete;
    expect(result.status).to.equal('done');
    expect(partText(trusted, 'stdout')).to.equal('mine\n');
    expect(partText(trusted, 'result')).to.equal("'trusted done'");
    expect(outputArea(trusted)!.querySelector('py-cell-html'), 'no HTML from the task in the trusted cell').to.equal(null);
    expect(pwned()).to.deep.equal([]);
    // The task's output went to the cell that started it, sanitised.
    await starter.updateComplete;
    expect(partText(starter, 'stdout')).to.match(/^tick 0\ntick 1\n/);
    const roots = await markupRoots(starter);
    expect(roots.length).to.be.at.least(2);
    expect(roots.every((root) => root.querySelector('[onerror]') === null)).to.equal(true);
  });

  it('notes that a task of an earlier run wrote after the cell ran again, and drops what it wrote', async () => {
    const cell = addCell(
      'import asyncio\nasync def later():\n    await asyncio.sleep(0.5)\n    print("from the first run")\nasyncio.ensure_future(later())\n1',
    );
    await cell.run();
    cell.code = 'import asyncio\nawait asyncio.sleep(1)\n2';
    await cell.run();
    await cell.updateComplete;
    expect(partText(cell, 'stdout')).to.equal('');
    expect(partText(cell, 'hidden-output')).to.contain('output of an earlier run of this cell was left out');
    expect(partText(cell, 'result')).to.equal('2');
  });

  it('ignores messages that Python code forges for the engine (js.postMessage)', async () => {
    const forger = addCell(
      [
        'import asyncio, js',
        'from pyodide.ffi import to_js',
        'def post(message):',
        '    js.postMessage(to_js(message, dict_converter=js.Object.fromEntries))',
        'async def forge():',
        '    await asyncio.sleep(0.4)',
        '    for i in range(1, 200):',
        '        post({"type": "display", "id": i, "bundle": {"text/html": "<b id=forged>forged</b><img src=x onerror=\\"window.pwned.push(\'forged\')\\">"}})',
        '        post({"type": "stream", "id": i, "chunks": [["stdout", "forged output\\\\n"]]})',
        '        post({"type": "result", "id": i, "status": "done", "elapsedMs": 0, "value": {"text/plain": "forged result"}})',
        'asyncio.ensure_future(forge())',
      ].join('\n'),
    );
    await forger.run();
    const victim = addCell('import asyncio\nawait asyncio.sleep(1.2)\n"real result"', { trusted: '' });
    const result = await victim.run();
    await victim.updateComplete;
    expect(result.status).to.equal('done');
    expect(partText(victim, 'result')).to.equal("'real result'");
    expect(partText(victim, 'stdout')).to.equal('');
    expect(outputArea(victim)!.querySelector('py-cell-html')).to.equal(null);
    expect(pwned()).to.deep.equal([]);
  });

  /** A trusted cell that has run: its own unsanitised output keeps its event handler. */
  async function trustedCell() {
    const cell = addCell('class Own:\n    def _repr_html_(self): return \'<span class=own onclick="void 0">own</span>\'\nOwn()', {
      trusted: '',
    });
    expect((await cell.run()).status).to.equal('done');
    await cell.updateComplete;
    const [root] = await markupRoots(cell);
    expect(root?.querySelector('.own')?.getAttribute('onclick'), 'a trusted cell keeps its own handlers').to.equal('void 0');
    return cell;
  }

  /** Nothing but the trusted cell's own output reached it, and no script ran. */
  async function untouched(cell: PyCell) {
    await sleep(600);
    await cell.updateComplete;
    const roots = await markupRoots(cell);
    expect(roots, 'one HTML output: its own').to.have.length(1);
    expect(roots[0]!.querySelector('img')).to.equal(null);
    expect(partText(cell, 'stdout')).to.equal('');
    expect(partText(cell, 'result')).to.equal('');
    expect(pwned()).to.deep.equal([]);
  }

  it('keeps a trusted cell out of reach of a plain cell that sets the run id Python reports (current_run 1 to 500)', async () => {
    const trusted = await trustedCell();
    const forger = addCell(
      [
        'import pycell',
        'from pycell import _display',
        'class Evil:',
        `    def _repr_html_(self): return '<img src=x onerror="window.pwned.push(\\'run id\\')">'`,
        'for i in range(1, 501):',
        '    _display.current_run.set(i)',
        '    pycell.display(Evil())',
        '    print("forged", i)',
      ].join('\n'),
    );
    await forger.run();
    await untouched(trusted);
  });

  it('keeps a trusted cell out of reach of a plain cell that takes the engine’s port (MessagePort.prototype.postMessage)', async () => {
    const trusted = await trustedCell();
    const script = `
      const post = MessagePort.prototype.postMessage;
      let taken = false;
      MessagePort.prototype.postMessage = function (message, transfer) {
        if (!taken && message?.type === 'result') {
          taken = true;
          setTimeout(() => {
            for (let id = 1; id < 500; id++) {
              post.call(this, { type: 'display', id, bundle: { 'text/html': '<img src=x onerror="window.pwned.push(1)">' } });
              post.call(this, { type: 'stream', id, chunks: [['stdout', 'forged']] });
              post.call(this, { type: 'result', id, status: 'done', elapsedMs: 0, value: { 'text/plain': 'forged' } });
            }
          }, 200);
        }
        return post.call(this, message, transfer);
      };`;
    const forger = addCell(`from pyodide.code import run_js\nrun_js(${JSON.stringify(script)})\n"armed"`);
    await forger.run();
    await untouched(trusted);
  });

  it('runs a trusted cell’s edited code as a plain cell’s: in the page’s worker, its output sanitised', async () => {
    const trusted = await trustedCell();
    const plain = addCell('shared_with_plain = 42');
    await plain.run();
    trusted.code = [
      'class Evil:',
      `    def _repr_html_(self): return '<img src=x onerror="window.pwned.push(\\'edited\\')"><span class=mark>edited</span>'`,
      'print(shared_with_plain)',
      'Evil()',
    ].join('\n');
    expect(trusted.authorTrusted).to.equal(false);
    expect((await trusted.run()).status).to.equal('done');
    await trusted.updateComplete;
    expect(partText(trusted, 'stdout'), 'ran in the page’s worker').to.equal('42\n');
    const roots = await markupRoots(trusted);
    expect(roots.at(-1)?.querySelector('.mark')).to.not.equal(null);
    expect(roots.at(-1)?.querySelector('img')?.getAttribute('onerror') ?? null).to.equal(null);
    await sleep(300);
    expect(pwned()).to.deep.equal([]);
    // The author's code again (Reset): back in the trusted worker, unsanitised.
    trusted.code = trusted.originalCode;
    expect(trusted.authorTrusted).to.equal(true);
    expect((await trusted.run()).status).to.equal('done');
    await trusted.updateComplete;
    const [own] = await markupRoots(trusted);
    expect(own?.querySelector('.own')?.getAttribute('onclick')).to.equal('void 0');
  });

  it('keeps untrusted HTML, SVG and Markdown inside its cell, whatever its CSS and HTML say', async () => {
    const cover =
      ':host { contain: none !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; width: 100vw !important; height: 100vh !important; background: red !important; }';
    const html = `<style>${cover}</style><div style="position:fixed;inset:0;background:red">cover</div>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>${cover}</style><rect width="10" height="10"/></svg>`;
    const markdown = `# Title\\n\\n<style>${cover}</style>\\n\\ntext`;
    const layers =
      '<button id="open-popover" popovertarget="p">open</button><div popover id="p" style="inset:0;width:100vw;height:100vh;background:red">popover</div>' +
      '<button id="open-dialog" commandfor="d" command="show-modal">open</button><dialog id="d" style="width:100vw;height:100vh;background:red">dialog</dialog>' +
      '<a id="link" href="https://example.test/">away</a>';
    const code = [
      'from pycell import display',
      'class R:',
      '    def __init__(self, mime, s): self.mime, self.s = mime, s',
      '    def _repr_mimebundle_(self): return {self.mime: self.s}',
      `display(R("text/html", ${JSON.stringify(html)}))`,
      `display(R("image/svg+xml", ${JSON.stringify(svg)}))`,
      `display(R("text/markdown", "${markdown}"))`,
      `display(R("text/html", ${JSON.stringify(layers)}))`,
    ].join('\n');
    const { cell } = await run(code);
    const roots = await markupRoots(cell);
    expect(roots).to.have.length(4);
    await sleep(50);
    expect(pageUncovered(), 'the page is not covered by output').to.equal(true);
    const controls = roots[3]!;
    controls.querySelector<HTMLButtonElement>('#open-popover')!.click();
    controls.querySelector<HTMLButtonElement>('#open-dialog')!.click();
    await sleep(50);
    expect(controls.querySelector('[popover], [popovertarget], [commandfor], [command]')).to.equal(null);
    expect(controls.querySelector(':popover-open')).to.equal(null);
    expect(controls.querySelector<HTMLDialogElement>('dialog')!.open).to.equal(false);
    expect(pageUncovered(), 'no popover or modal dialog covers the page').to.equal(true);
    // A link opens a new tab, without a handle on this page, instead of leaving it.
    const link = controls.querySelector('#link')!;
    expect([link.getAttribute('target'), link.getAttribute('rel')]).to.deep.equal(['_blank', 'noopener noreferrer']);
  });

  it('shows deeply nested or huge HTML and Markdown as text, without blocking the page (measured in Chromium)', async () => {
    const code = [
      'from pycell import display',
      'class R:',
      '    def __init__(self, mime, s, text): self.mime, self.s, self.text = mime, s, text',
      '    def _repr_mimebundle_(self): return {self.mime: self.s, "text/plain": self.text}',
      'display(R("text/html", "<div>" * 20000 + "deep" + "</div>" * 20000, "deeply nested html"))',
      'display(R("text/html", "<p>x</p>" * 100000, "a hundred thousand paragraphs"))',
      'display(R("text/markdown", "\\n".join(" " * (2 * i) + "- item" for i in range(1000)), "a thousand nested lists"))',
      'display(R("text/html", "<b>fine</b>", "small"))',
    ].join('\n');
    const { value, longest } = await longestTask(async () => {
      const { cell } = await run(code);
      await markupRoots(cell);
      await sleep(50);
      return cell;
    });
    if (longest !== null) {
      console.log(`nested and huge outputs: longest main-thread task ${longest.toFixed(0)} ms`);
      expect(longest).to.be.below(100);
    }
    const markers = Array.from(outputArea(value)!.querySelectorAll('py-cell-html')).map(
      (element) => element.shadowRoot!.querySelector('[part="hidden-output"]')?.textContent ?? '',
    );
    expect(markers[0]).to.match(/too large to show without blocking the page \(nested 20000 deep; at most 512\)/);
    expect(markers[1]).to.match(/\(100000 elements; at most 10000\)/);
    expect(markers[2]).to.match(/Markdown output is too large .*indented 1998 columns deep/);
    expect(markers[3]).to.equal('');
    const texts = Array.from(outputArea(value)!.querySelectorAll('py-cell-html')).map(
      (element) => element.shadowRoot!.querySelector('pre')?.textContent ?? '',
    );
    expect(texts.slice(0, 3)).to.deep.equal(['deeply nested html', 'a hundred thousand paragraphs', 'a thousand nested lists']);
  });

  it('takes a time limit too long for a timer as the longest a timer waits, from the attribute and configure()', async () => {
    const { result } = await run('1 + 1', { timeout: '3000000' });
    expect(result.status).to.equal('done');
    configure({ timeout: 1e9 });
    try {
      const { result: configured, cell } = await run('import time\ntime.sleep(0.2)\n"slept"');
      expect(configured.status).to.equal('done');
      expect(partText(cell, 'result')).to.equal("'slept'");
    } finally {
      configure({ timeout: null });
    }
  });

  it('reports an unpaired surrogate in the code as a SyntaxError in that cell only, without a restart', async () => {
    const runtime = runtimeWhere('worker|');
    await run('before = "kept"', { session: 'text' });
    const restarts = runtime.stats.restarts;
    const cell = addCell('');
    cell.code = "x = 1\ns = '\ud800'";
    const result = await cell.run();
    await cell.updateComplete;
    expect(result.error!.type).to.equal('SyntaxError');
    expect(result.error!.failure).to.equal(undefined);
    expect(result.error!.line).to.equal(2);
    expect(partText(cell, 'error')).to.contain('unpaired surrogate U+D800 at line 2');
    expect(runtime.stats.restarts).to.equal(restarts);
    const { cell: check } = await run('before', { session: 'text' });
    expect(partText(check, 'result')).to.equal("'kept'");
  });

  it('refuses package names that objects inherit, like any unknown package', async () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const { result } = await run('1', { packages: name });
      expect(result.error!.failure, name).to.equal('unknown-package');
      expect(result.error!.message, name).to.contain(`'${name}'`);
    }
  });

  it('lets only the engine produce py-cell’s own kinds of output: from Python they are dropped, and bad data shows as text', async () => {
    const code = [
      'class R:',
      '    def __init__(self, mime, data): self.mime, self.data = mime, data',
      '    def _repr_mimebundle_(self): return {self.mime: self.data, "text/plain": f"plain {self.mime}"}',
      'from pycell import display',
      'display(R("application/vnd.py-cell.array", "x"))',
      'display(R("application/vnd.py-cell.error+json", \'{"type": "Forged", "message": "m", "traceback": "FAKE ERROR"}\'))',
      'display(R("application/vnd.py-cell.canvas", {"id": "x"}))',
      'display(R("application/vnd.py-cell.dom", "<b>x</b>"))',
    ].join('\n');
    const { cell, result } = await run(code);
    expect(result.status).to.equal('done');
    expect(partText(cell, 'error')).to.equal('');
    expect(outputArea(cell)!.querySelector('py-cell-array, py-cell-canvas, [part="dom"]')).to.equal(null);
    expect(partText(cell, 'display')).to.equal(
      'plain application/vnd.py-cell.arrayplain application/vnd.py-cell.error+jsonplain application/vnd.py-cell.canvasplain application/vnd.py-cell.dom',
    );
  });
});
