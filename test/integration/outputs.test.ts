import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, longestTask, outputArea, partText, reportFromPage, waitFor } from './helpers.js';

type ArrayView = HTMLElement & { payload: { shape: number[]; dtype: string; summarized: boolean }; updateComplete: Promise<boolean> };

async function run(code: string, attributes: Record<string, string> = {}) {
  const cell = addCell(code, attributes);
  const result = await cell.run();
  await cell.updateComplete;
  return { cell, result };
}

/**
 * What copying each of `blocks` puts on the clipboard, selected as a reader's drag selects. Firefox
 * and WebKit copy off-screen `content-visibility: auto` blocks from the wrong lines on their own:
 * the output area's copy handler gives the text. What it puts on the clipboard is read as it sets
 * it: WebKit's DataTransfer of a synthetic copy event gives nothing back to the page that made it.
 */
function copiedText(blocks: HTMLElement[]): Array<string | null> {
  const setData = Object.getOwnPropertyDescriptor(DataTransfer.prototype, 'setData')!.value as (
    this: DataTransfer,
    format: string,
    data: string,
  ) => void;
  let written: string | null = null;
  DataTransfer.prototype.setData = function (format: string, data: string) {
    if (format === 'text/plain') written = data;
    setData.call(this, format, data);
  };
  try {
    return blocks.map((block) => {
      // setBaseAndExtent reaches into shadow trees in every engine (addRange not in WebKit).
      getSelection()!.removeAllRanges();
      getSelection()!.setBaseAndExtent(block, 0, block, block.childNodes.length);
      written = null;
      const copy = new ClipboardEvent('copy', { clipboardData: new DataTransfer(), bubbles: true, composed: true, cancelable: true });
      block.dispatchEvent(copy);
      expect(copy.defaultPrevented, 'the copy handler took the copy').to.equal(true);
      return written;
    });
  } finally {
    DataTransfer.prototype.setData = setData;
    getSelection()!.removeAllRanges();
  }
}

function arrayView(cell: PyCell, n = 0): ArrayView {
  const view = outputArea(cell)!.querySelectorAll<ArrayView>('py-cell-array')[n];
  if (!view) throw new Error(`no array view in: ${outputArea(cell)!.textContent}`);
  return view;
}

async function header(cell: PyCell, n = 0): Promise<string> {
  const view = arrayView(cell, n);
  await view.updateComplete;
  return view.shadowRoot!.querySelector('.summary')!.textContent;
}

/** The table's cells as text, row by row (header row included). */
async function table(cell: PyCell, n = 0): Promise<string[][]> {
  const view = arrayView(cell, n);
  await view.updateComplete;
  return Array.from(view.shadowRoot!.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((td) => td.textContent));
}

/** The shadow root holding the markup of the `n`th HTML, SVG or Markdown output. */
async function rich(cell: PyCell, n = 0): Promise<ShadowRoot> {
  const element = outputArea(cell)!.querySelectorAll<HTMLElement & { rendered: Promise<void> }>('py-cell-html')[n]!;
  await (element as unknown as { updateComplete: Promise<boolean> }).updateComplete;
  await element.rendered;
  return element.shadowRoot!.querySelector('.content')!.shadowRoot!;
}

// A 2x1 PNG (red, blue) made with zlib, so the bytes are a real image.
const PNG_MAKER = `
import struct, zlib
def png(width, height, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\\x00" + bytes(row) for row in rows)
    return (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
`;

describe('rich outputs', () => {
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  describe('display protocol', () => {
    it('tries _repr_html_ before repr, and display() shows several objects in order', async () => {
      const { cell } = await run(
        'class A:\n    def _repr_html_(self): return "<b>bold</b>"\n    def __repr__(self): return "A()"\nfrom pycell import display\ndisplay(A(), [1, 2])\nprint("after")',
      );
      const blocks = Array.from(outputArea(cell)!.children).map((element) => element.getAttribute('part'));
      expect(blocks).to.deep.equal(['display', 'display', 'stdout']);
      expect((await rich(cell)).querySelector('b')!.textContent).to.equal('bold');
      expect(partText(cell, 'display')).to.contain('[1, 2]');
    });

    it('uses _repr_mimebundle_ first, then falls through the repr methods in order', async () => {
      const { cell } = await run(
        [
          'class M:',
          '    def _repr_mimebundle_(self, **kw): return {"text/markdown": "*md*", "text/plain": "M"}',
          '    def _repr_html_(self): return "<i>html loses</i>"',
          'class S:',
          '    def _repr_svg_(self): return \'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect id="r" width="4" height="4"/></svg>\'',
          '    def _repr_markdown_(self): return "md loses"',
          'class L:',
          '    def _repr_latex_(self): return r"$\\alpha$"',
          'from pycell import display',
          'display(M(), S(), L())',
        ].join('\n'),
      );
      expect((await rich(cell, 0)).querySelector('i') === null, 'the bundle wins over _repr_html_').to.equal(true);
      expect((await rich(cell, 0)).querySelector('em')?.textContent).to.equal('md');
      expect((await rich(cell, 1)).querySelector('svg rect#r') !== null, 'the SVG').to.equal(true);
      // LaTeX is typeset by KaTeX (test/integration/math-charts.test.ts); its MathML keeps the source.
      await waitFor(
        () => outputArea(cell)!.querySelector('py-cell-math')?.shadowRoot?.querySelector('math annotation') != null,
        'the formula',
      );
      expect(outputArea(cell)!.querySelector('py-cell-math')!.shadowRoot!.querySelector('math annotation')!.textContent).to.equal(
        '\\alpha',
      );
    });

    it('shows the traceback of a raising repr method for that object only', async () => {
      const { cell, result } = await run(
        'class Bad:\n    def _repr_html_(self):\n        raise ValueError("no html today")\nfrom pycell import display\ndisplay(Bad(), "fine")\n"last"',
      );
      expect(result.status).to.equal('done');
      const error = partText(cell, 'error');
      expect(error).to.contain('ValueError: no html today');
      expect(error).to.match(/File "<cell \d+>", line 3, in _repr_html_/);
      expect(partText(cell, 'display')).to.contain("'fine'");
      expect(partText(cell, 'result')).to.equal("'last'");
    });

    it('renders PNG, JPEG, GIF and SVG bytes as images, and _repr_png_', async () => {
      // The browser's own encoder makes the JPEG: every engine decodes what it encodes.
      const drawn = document.createElement('canvas');
      drawn.width = drawn.height = 1;
      drawn.getContext('2d')!.fillRect(0, 0, 1, 1);
      const jpeg = drawn.toDataURL('image/jpeg').split(',')[1]!;
      const { cell } = await run(
        PNG_MAKER +
          [
            'from pycell import display',
            'import base64',
            'red_blue = png(2, 1, [[255, 0, 0, 0, 0, 255]])',
            'class P:',
            '    def _repr_png_(self): return red_blue',
            'gif = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==")',
            `jpeg = base64.b64decode("${jpeg}")`,
            'display(red_blue, P(), gif, jpeg, b\'<svg xmlns="http://www.w3.org/2000/svg" width="3" height="3"></svg>\')',
          ].join('\n'),
      );
      const images = Array.from(outputArea(cell)!.querySelectorAll<HTMLImageElement>('img.image'));
      expect(images.map((img) => img.src.slice(0, 22))).to.deep.equal([
        'data:image/png;base64,',
        'data:image/png;base64,',
        'data:image/gif;base64,',
        'data:image/jpeg;base64',
        'data:image/svg+xml;bas',
      ]);
      await Promise.all(images.map((img) => img.decode()));
      expect([images[0]!.naturalWidth, images[0]!.naturalHeight]).to.deep.equal([2, 1]);
      const canvas = document.createElement('canvas');
      const context = canvas.getContext('2d')!;
      const pixel = () => {
        context.clearRect(0, 0, 1, 1);
        context.drawImage(images[1]!, 0, 0);
        return Array.from(context.getImageData(0, 0, 1, 1).data);
      };
      // WebKit, busy, may draw an image that decode() said was ready as transparent for a moment.
      await waitFor(() => pixel()[3] !== 0, 'the image drawn on a canvas', 3000).catch(() => undefined);
      expect(pixel()).to.deep.equal([255, 0, 0, 255]);
      expect(images[2]!.naturalWidth).to.equal(1);
      expect(images[3]!.naturalWidth).to.equal(1);
      expect(images[4]!.naturalWidth).to.equal(3);
      expect(getComputedStyle(images[0]!).maxWidth).to.equal('100%');
    });
  });

  describe('arrays', () => {
    it('shows a 2-D float64 memoryview as a table with NumPy formatting', async () => {
      const { cell } = await run(
        'import array\nmemoryview(array.array("d", [0, 0.5, 1.25, -2, 3, float("nan")])).cast("B").cast("d", [2, 3])',
      );
      expect(await header(cell)).to.equal('memoryview · shape (2, 3) · float64');
      expect(await table(cell)).to.deep.equal([
        ['', '0', '1', '2'],
        ['0', ' 0.', '0.5', '1.25'],
        ['1', '-2.', '3. ', ' nan'],
      ]);
    });

    it('names every dtype family the NumPy way', async () => {
      const formats: Array<[string, string, string]> = [
        ['b', 'int8', '[-1, 2]'],
        ['B', 'uint8', '[1, 2]'],
        ['h', 'int16', '[-1, 2]'],
        ['H', 'uint16', '[1, 2]'],
        ['i', 'int32', '[-1, 2]'],
        ['I', 'uint32', '[1, 2]'],
        ['l', 'int32', '[-1, 2]'],
        ['q', 'int64', '[-2**63, 2**63 - 1]'],
        ['Q', 'uint64', '[0, 2**64 - 1]'],
        ['f', 'float32', '[0.1, 2]'],
        ['d', 'float64', '[0.1, 2]'],
      ];
      const code = ['import array', 'from pycell import display']
        .concat(formats.map(([code, , values]) => `display(array.array("${code}", ${values}))`))
        .concat('display(memoryview(bytes([1, 0, 1])).cast("?"), memoryview(bytes([0, 60, 0, 188])).cast("e"))')
        .join('\n');
      const { cell } = await run(code);
      for (const [n, [, dtype]] of formats.entries()) expect(await header(cell, n), dtype).to.equal(`array.array · shape (2,) · ${dtype}`);
      expect(await table(cell, 7)).to.deep.equal([
        ['0', '-9223372036854775808'],
        ['1', ' 9223372036854775807'],
      ]);
      expect((await table(cell, 8))[1]![1]).to.equal('18446744073709551615');
      expect((await table(cell, 9)).map((row) => row[1])).to.deep.equal(['0.1', '2. ']); // float32 0.1 prints as 0.1
      expect(await header(cell, 11)).to.equal('memoryview · shape (3,) · bool');
      expect((await table(cell, 11)).map((row) => row[1])).to.deep.equal([' True', 'False', ' True']);
      expect(await header(cell, 12)).to.equal('memoryview · shape (2,) · float16');
      expect((await table(cell, 12)).map((row) => row[1])).to.deep.equal([' 1.', '-1.']);
    });

    it('summarises exactly past the threshold: 1000 elements in full, 1001 with an ellipsis', async () => {
      const { cell } = await run(
        'import array\nfrom pycell import display\ndisplay(array.array("i", range(1000)), array.array("i", range(1001)))',
      );
      expect((await header(cell, 0)).includes('summarised')).to.equal(false);
      expect(await table(cell, 0)).to.have.length(1000);
      expect(await header(cell, 1)).to.equal('array.array · shape (1001,) · int32 · summarised');
      expect((await table(cell, 1)).map((row) => row.join('|'))).to.deep.equal([
        '0|   0',
        '1|   1',
        '2|   2',
        '⋮|⋮',
        '998| 998',
        '999| 999',
        '1000|1000',
      ]);
    });

    it('handles empty arrays, 0-d and shapes with a zero', async () => {
      const { cell } = await run(
        [
          'import array',
          'from pycell import display',
          'display(array.array("d"))',
          'display(memoryview(array.array("d", [2.5])).cast("B").cast("d", []))',
          'import ctypes',
          'display(memoryview((ctypes.c_double * 3 * 0)()))  # ctypes arrays export shape (0, 3)',
        ].join('\n'),
      );
      expect(await header(cell, 0)).to.equal('array.array · shape (0,) · float64');
      expect(arrayView(cell, 0).shadowRoot!.textContent).to.contain('empty array');
      expect(await header(cell, 1)).to.equal('memoryview · shape () · float64');
      expect(await table(cell, 1)).to.deep.equal([['2.5']]);
      expect(await header(cell, 2)).to.equal('memoryview · shape (0, 3) · float64');
      expect(arrayView(cell, 2).shadowRoot!.textContent).to.contain('empty array');
    });

    it('shows 3-D arrays as labelled 2-D slices, summarised on every axis', async () => {
      const { cell } = await run('import array\nmemoryview(array.array("h", range(2 * 3 * 4))).cast("B").cast("h", [2, 3, 4])');
      const view = arrayView(cell);
      await view.updateComplete;
      const labels = Array.from(view.shadowRoot!.querySelectorAll('.slice')).map((element) => element.textContent);
      expect(labels).to.deep.equal(['[0, :, :]', '[1, :, :]']);
      // Rows of both slices, each after its header row.
      expect((await table(cell))[5]).to.deep.equal(['0', '12', '13', '14', '15']);

      const big = await run('memoryview(bytes(11 * 10 * 10)).cast("b", [11, 10, 10])');
      const bigView = arrayView(big.cell);
      await bigView.updateComplete;
      const bigLabels = Array.from(bigView.shadowRoot!.querySelectorAll('.slice')).map((element) => element.textContent);
      expect(bigLabels).to.deep.equal(['[0, :, :]', '[1, :, :]', '[2, :, :]', '⋮', '[8, :, :]', '[9, :, :]', '[10, :, :]']);
      expect(await header(big.cell)).to.equal('memoryview · shape (11, 10, 10) · int8 · summarised');
    });

    it('offers a heatmap with a colour scale for 2-D arrays and an image for H×W×3 uint8', async () => {
      const { cell } = await run(
        'import array\nfrom pycell import display\nramp = memoryview(array.array("d", range(12))).cast("B").cast("d", [3, 4])\npixels = memoryview(bytes([255, 0, 0, 0, 255, 0] * 2)).cast("B", [2, 2, 3])\ndisplay(ramp, pixels)',
      );
      const heat = arrayView(cell, 0);
      heat.shadowRoot!.querySelector<HTMLButtonElement>('button[data-view="heatmap"]')!.click();
      await heat.updateComplete;
      const canvas = heat.shadowRoot!.querySelector('canvas')!;
      expect([canvas.width, canvas.height]).to.deep.equal([4, 3]);
      const corner = Array.from(canvas.getContext('2d')!.getImageData(0, 0, 1, 1).data);
      const far = Array.from(canvas.getContext('2d')!.getImageData(3, 2, 1, 1).data);
      expect(corner).to.deep.equal([68, 1, 84, 255]); // viridis at the minimum
      expect(far).to.deep.equal([253, 231, 37, 255]); // and at the maximum
      expect(heat.shadowRoot!.querySelector('.scale')!.textContent).to.match(/^0\..*11\./);
      // Its text alternative: shape, dtype and range.
      expect(canvas.getAttribute('aria-label')).to.equal('Heatmap of a 3 × 4 float64 array, values from 0. to 11.');

      const image = arrayView(cell, 1);
      await image.updateComplete;
      expect(image.shadowRoot!.querySelector('button[aria-pressed="true"]')!.textContent).to.equal('Image');
      const pixelsCanvas = image.shadowRoot!.querySelector('canvas')!;
      expect(Array.from(pixelsCanvas.getContext('2d')!.getImageData(1, 0, 1, 1).data)).to.deep.equal([0, 255, 0, 255]);
    });

    it('exports the heatmap, image and canvas parts of nested views to the page', async () => {
      const style = document.createElement('style');
      style.textContent = '.parts::part(heatmap), .parts::part(image), .parts::part(canvas) { outline: 3px solid rgb(1, 2, 3); }';
      document.head.append(style);
      try {
        const { cell } = await run(
          'import array, pycell\nfrom pycell import display\nramp = memoryview(array.array("d", range(12))).cast("B").cast("d", [3, 4])\npixels = memoryview(bytes([255, 0, 0] * 4)).cast("B", [2, 2, 3])\ndisplay(ramp, pixels)\nc = pycell.canvas(4, 4)',
          { class: 'parts' },
        );
        const heat = arrayView(cell, 0);
        heat.shadowRoot!.querySelector<HTMLButtonElement>('button[data-view="heatmap"]')!.click();
        await heat.updateComplete;
        const image = arrayView(cell, 1);
        await image.updateComplete;
        const drawing = outputArea(cell)!.querySelector<HTMLElement & { updateComplete: Promise<boolean> }>('py-cell-canvas')!;
        await drawing.updateComplete;
        const outlines = [
          heat.shadowRoot!.querySelector('canvas[part="heatmap"]')!,
          image.shadowRoot!.querySelector('canvas[part="image"]')!,
          drawing.shadowRoot!.querySelector('canvas[part="canvas"]')!,
        ].map((element) => getComputedStyle(element).outlineColor);
        expect(outlines).to.deep.equal(['rgb(1, 2, 3)', 'rgb(1, 2, 3)', 'rgb(1, 2, 3)']);
      } finally {
        style.remove();
      }
    });

    it('keeps the repr one click away', async () => {
      const { cell } = await run('import array\narray.array("i", [1, 2])');
      const view = arrayView(cell);
      view.shadowRoot!.querySelector<HTMLButtonElement>('button[data-view="text"]')!.click();
      await view.updateComplete;
      expect(view.shadowRoot!.querySelector('pre')!.textContent).to.equal("array('i', [1, 2])");
    });

    it('falls back to repr for buffers it does not show (unicode arrays, bytes)', async () => {
      const { cell } = await run('import array\nfrom pycell import display\ndisplay(array.array("w", "hi"), b"plain bytes")');
      expect(outputArea(cell)!.querySelector('py-cell-array') === null, 'no array view').to.equal(true);
      expect(partText(cell, 'display')).to.equal("array('w', 'hi')b'plain bytes'");
    });

    it('displays a 10^7-element array as fast as a small one: the buffer is read in place', async () => {
      await run('import array\nsmall = array.array("d", [1.0] * 10)\nhuge = array.array("d", [0.5]) * 10**7', { session: 'speed' });
      const time = async (name: string) => {
        const cell = addCell(name, { session: 'speed' });
        const start = performance.now();
        await cell.run();
        await cell.updateComplete;
        await arrayView(cell).updateComplete;
        return { ms: performance.now() - start, cell };
      };
      const small = await time('small');
      const huge = await time('huge');
      console.log(`display of 10 elements: ${small.ms.toFixed(0)} ms; of 10^7 elements: ${huge.ms.toFixed(0)} ms`);
      expect(await header(huge.cell)).to.equal('array.array · shape (10000000,) · float64 · summarised');
      expect((await table(huge.cell)).map((row) => row.join('|'))).to.deep.equal([
        '0|0.5',
        '1|0.5',
        '2|0.5',
        '⋮|⋮',
        '9999997|0.5',
        '9999998|0.5',
        '9999999|0.5',
      ]);
      // Its repr would list 10^7 elements; the text view formats the summary instead.
      const view = arrayView(huge.cell);
      view.shadowRoot!.querySelector<HTMLButtonElement>('button[data-view="text"]')!.click();
      await view.updateComplete;
      expect(view.shadowRoot!.querySelector('pre')!.textContent).to.equal('[0.5, 0.5, 0.5, ..., 0.5, 0.5, 0.5]');
      expect(huge.ms).to.be.below(1000);
    });
  });

  describe('sanitising', () => {
    beforeEach(() => {
      (window as unknown as { pwned?: string[] }).pwned = [];
    });

    it('keeps every kind of script injection inert', async () => {
      const payloads = [
        '<script>window.pwned.push("script")</script>',
        '<img src="data:," onerror="window.pwned.push(\'onerror\')">',
        '<a id="js" href="javascript:window.pwned.push(\'link\')">click</a>',
        '<svg><script>window.pwned.push("svg script")</script><circle onload="window.pwned.push(\'svg onload\')"/></svg>',
        '<iframe srcdoc="<script>parent.pwned.push(\'iframe\')</script>"></iframe>',
        '<form action="javascript:window.pwned.push(\'form\')"><button id="submit">go</button></form>',
        '<div style="position:fixed;inset:0;z-index:99999;background:red" id="cover">cover</div>',
        '<style>body { display: none !important } * { color: red !important }</style><b>styled</b>',
      ];
      const code = [
        'from pycell import display',
        'class H:',
        '    def __init__(self, s): self.s = s',
        '    def _repr_html_(self): return self.s',
      ]
        .concat(payloads.map((payload) => `display(H(${JSON.stringify(payload)}))`))
        .concat(
          'class V:\n    def _repr_svg_(self): return \'<svg xmlns="http://www.w3.org/2000/svg" onload="window.pwned.push(1)"><script>window.pwned.push(2)</script><a href="javascript:window.pwned.push(3)"><text id="t">x</text></a></svg>\'\ndisplay(V())',
        )
        .join('\n');
      const { cell } = await run(code);
      const roots = await Promise.all(payloads.map((_, n) => rich(cell, n)));
      const svgRoot = await rich(cell, payloads.length);
      roots[2]!.querySelector<HTMLAnchorElement>('#js')?.click();
      expect(roots[5]!.querySelector('form') === null, 'forms removed: one would navigate the page away').to.equal(true);
      roots[5]!.querySelector<HTMLButtonElement>('#submit')?.click();
      (svgRoot.querySelector('a') as unknown as HTMLElement | null)?.dispatchEvent(new MouseEvent('click'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((window as unknown as { pwned: string[] }).pwned).to.deep.equal([]);
      expect(roots.some((root) => root.querySelector('script, iframe, [onerror], [onload]') !== null)).to.equal(false);
      expect(roots[2]!.querySelector('#js')?.getAttribute('href') ?? null).to.equal(null);
      // Styles stay inside the output: the page is still visible and uncoloured.
      expect(getComputedStyle(document.body).display).to.equal('block');
      expect(getComputedStyle(document.body).color).not.to.equal('rgb(255, 0, 0)');
      expect(roots[7]!.querySelector('b')!.textContent).to.equal('styled');
      // A fixed-position cover is confined to its own output box.
      const cover = roots[6]!.querySelector<HTMLElement>('#cover')!.getBoundingClientRect();
      expect(cover.height).to.be.below(window.innerHeight / 2);
      const hit = document.elementFromPoint(window.innerWidth - 5, window.innerHeight - 5);
      expect(Boolean(hit?.closest('py-cell')), 'the page corner is not covered by output').to.equal(false);
    });

    it('inserts HTML as is, scripts included, when the cell is trusted', async () => {
      const { cell } = await run(
        'class H:\n    def _repr_html_(self): return "<b id=t>trusted</b><script>window.pwned.push(\'ran\')</script>"\nH()',
        { trusted: '' },
      );
      const root = await rich(cell);
      expect(root.querySelector('#t')!.textContent).to.equal('trusted');
      await waitFor(() => (window as unknown as { pwned: string[] }).pwned.length > 0, 'the trusted script');
      expect((window as unknown as { pwned: string[] }).pwned).to.deep.equal(['ran']);
    });
  });

  describe('coloured text and tables', () => {
    /** WCAG contrast of two computed colours, `rgb(r, g, b)`. */
    function contrast(a: string, b: string): number {
      const luminance = (colour: string) => {
        const [r, g, b] = colour
          .match(/\d+(\.\d+)?/g)!
          .slice(0, 3)
          .map((v) => (Number(v) / 255 <= 0.04045 ? Number(v) / 255 / 12.92 : ((Number(v) / 255 + 0.055) / 1.055) ** 2.4));
        return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
      };
      const [x, y] = [luminance(a), luminance(b)];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    }

    /** Each styled span of a part: its text, classes, and the contrast of its colour against what is behind it. */
    function spans(cell: PyCell, part: string) {
      const block = outputArea(cell)!.querySelector<HTMLElement>(`[part="${part}"]`)!;
      return Array.from(block.querySelectorAll('span'), (span) => {
        const style = getComputedStyle(span);
        const own = style.backgroundColor !== 'rgba(0, 0, 0, 0)';
        const behind = own ? style.backgroundColor : getComputedStyle(block).backgroundColor;
        const fallback = behind === 'rgba(0, 0, 0, 0)' ? getComputedStyle(outputArea(cell)!).backgroundColor : behind;
        return { text: span.textContent, classes: span.className, weight: style.fontWeight, contrast: contrast(style.color, fallback) };
      });
    }

    // No control character other than tab and newline may reach the page's text.
    const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/; // eslint-disable-line no-control-regex -- what the test looks for

    it('colours standard output, standard error and tracebacks: red, bold, 256 colours, 24-bit, background, reset', async () => {
      const { cell, result } = await run(
        [
          'import sys',
          'print("\\x1b[31mred\\x1b[0m \\x1b[1mbold\\x1b[0m \\x1b[38;5;208morange\\x1b[0m \\x1b[38;2;255;0;128mpink\\x1b[0m \\x1b[44mon blue\\x1b[0m plain")',
          'print("\\x1b[33mwarned\\x1b[0m", file=sys.stderr)',
          'raise ValueError("\\x1b[35mmagenta\\x1b[0m message")',
        ].join('\n'),
      );
      expect(result.error!.type).to.equal('ValueError');
      // The colours are drawn by a chunk loaded on the first output with a sequence.
      await waitFor(() => outputArea(cell)!.querySelector('[part="error"] span') !== null, 'the coloured text');
      expect(partText(cell, 'stdout')).to.equal('red bold orange pink on blue plain\n');
      expect(partText(cell, 'stderr')).to.equal('warned\n');
      expect(partText(cell, 'error')).to.include('ValueError: magenta message');
      expect(outputArea(cell)!.textContent).not.to.match(CONTROLS);
      const out = spans(cell, 'stdout');
      expect(out.map(({ text, classes }) => `${classes}:${text}`)).to.deep.equal([
        'ansi-fg-1:red',
        'ansi-bold:bold',
        'ansi-rgb:orange',
        'ansi-rgb:pink',
        'ansi-bg-4:on blue',
      ]);
      expect(out[1]!.weight).to.equal('700');
      const [err] = spans(cell, 'stderr');
      expect(`${err!.classes}:${err!.text}`).to.equal('ansi-fg-3:warned');
      const [traceback] = spans(cell, 'error');
      expect(`${traceback!.classes}:${traceback!.text}`).to.equal('ansi-fg-5:magenta');
      for (const span of [...out, err!, traceback!]) expect(span.contrast, `${span.text}: contrast`).to.be.at.least(4.5);
    });

    it('drops titles, hyperlinks and cursor moves: no link, no title change, no escape characters', async () => {
      const title = document.title;
      const { cell } = await run(
        [
          'import sys',
          'print("\\x1b]0;pwned\\x07title \\x1b]8;;javascript:alert(1)\\x07click\\x1b]8;;\\x07 \\x1b[2J\\x1b[Hcursor \\x1b]8;;https://example.test/\\x1b\\\\link\\x1b]8;;\\x1b\\\\")',
          'print("\\x1b]2;pwned too\\x1b\\\\\\x1b[31;1mstill red\\x1b[0m\\x07", file=sys.stderr)',
          'raise RuntimeError("\\x1b]0;pwned\\x07\\x1b[10;10Hmoved")',
        ].join('\n'),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(document.title).to.equal(title);
      expect(partText(cell, 'stdout')).to.equal('title click cursor link\n');
      expect(partText(cell, 'stderr')).to.equal('still red\n');
      expect(partText(cell, 'error')).to.include('RuntimeError: moved');
      expect(outputArea(cell)!.textContent).not.to.match(CONTROLS);
      expect(outputArea(cell)!.querySelectorAll('a, [href]').length, 'links').to.equal(0);
    });

    it('reads a sequence split across two prints', async () => {
      const { cell } = await run('import time\nprint("one \\x1b[3", end="", flush=True)\ntime.sleep(0.3)\nprint("1mred\\x1b[0m two")');
      expect(partText(cell, 'stdout')).to.equal('one red two\n');
      expect(spans(cell, 'stdout').map(({ text, classes }) => `${classes}:${text}`)).to.deep.equal(['ansi-fg-1:red']);
    });

    it('renders 40,000 characters of escapes without a long task, and copies as text', async () => {
      // 490 lines of 10 characters, each in another colour than the one before: 39,690 characters, 4,400 spans.
      const cell = addCell(
        'for r in range(490):\n    print("".join(f"\\x1b[{30 + (r + i) % 8};{1 + i % 2}mX" for i in range(10)))  # 81 characters a line',
      );
      const { longest } = await longestTask(() => cell.run());
      await cell.updateComplete;
      // The stream is kept as a head and a tail (20,000 characters each), cut between two sequences.
      const blocks = Array.from(outputArea(cell)!.querySelectorAll<HTMLElement>('[part="stdout"]'));
      const expected = 'XXXXXXXXXX\n'.repeat(490);
      expect(partText(cell, 'stdout')).to.equal(expected);
      await waitFor(() => outputArea(cell)!.querySelector('[part="stdout"] span[class*="ansi-fg-"]') !== null, 'the colours drawn');
      expect(outputArea(cell)!.querySelectorAll('[part="stdout"] span[class*="ansi-fg-"]').length).to.be.greaterThan(4000);
      if (longest !== null) {
        console.log(`40,000 characters of escapes (4,400 spans): longest main-thread task ${longest.toFixed(0)} ms`);
        expect(longest).to.be.below(100);
      }
      // Selected and copied, the output is its text: no escapes, no lines added between the blocks it
      // is drawn in, in every engine.
      expect(copiedText(blocks)).to.deep.equal(blocks.map((block) => block.textContent));
    });

    it('draws a flood of plain lines in blocks kept between renders, without a long task, and copies it as text', async () => {
      const cell = addCell('for i in range(10**5):\n    print(i)');
      const { longest } = await longestTask(() => cell.run());
      await cell.updateComplete;
      await waitFor(() => outputArea(cell)!.querySelectorAll('[part="stdout"] .lines').length > 100, 'the blocks of lines drawn');
      const blocks = Array.from(outputArea(cell)!.querySelectorAll<HTMLElement>('[part="stdout"]'));
      // The head and the tail the model keeps, and nothing else: the DOM's text is the model's.
      expect(blocks[0]!.textContent.startsWith('0\n1\n2\n')).to.equal(true);
      expect(blocks.at(-1)!.textContent.endsWith('99998\n99999\n')).to.equal(true);
      expect(blocks.map((block) => block.textContent.length)).to.deep.equal([20_000, 20_000]);
      if (longest !== null) {
        console.log(`10^5 printed lines: longest main-thread task ${longest.toFixed(0)} ms`);
        expect(longest).to.be.below(100);
      }
      expect(copiedText(blocks)).to.deep.equal(blocks.map((block) => block.textContent));
    });

    // What pandas 2 returns from `_repr_html_` for DataFrame({"count": [1, 20, 300], "ratio": [0.5, -1.25, 3.0], "name": ["ant", "bee", "cat"]}).
    const FRAME_HTML = [
      '<div>',
      '<style scoped>',
      '    .dataframe tbody tr th:only-of-type {',
      '        vertical-align: middle;',
      '    }',
      '',
      '    .dataframe tbody tr th {',
      '        vertical-align: top;',
      '    }',
      '',
      '    .dataframe thead th {',
      '        text-align: right;',
      '    }',
      '</style>',
      '<table border="1" class="dataframe">',
      '  <thead>',
      '    <tr style="text-align: right;">',
      '      <th></th>',
      '      <th>count</th>',
      '      <th>ratio</th>',
      '      <th>name</th>',
      '    </tr>',
      '  </thead>',
      '  <tbody>',
      ...[
        ['0', '1', '0.50', 'ant'],
        ['1', '20', '-1.25', 'bee'],
        ['2', '300', '3.00', 'cat'],
      ].flatMap(([index, count, ratio, name]) => [
        '    <tr>',
        `      <th>${index}</th>`,
        `      <td>${count}</td>`,
        `      <td>${ratio}</td>`,
        `      <td>${name}</td>`,
        '    </tr>',
      ]),
      '  </tbody>',
      '</table>',
      '</div>',
    ].join('\n');

    it('shows a pandas-like table with numbers aligned right, a styled header and subtle borders; a wide one scrolls inside the cell', async () => {
      const { cell } = await run(
        [
          'class Frame:',
          '    def __init__(self, html): self.html = html',
          '    def _repr_html_(self): return self.html',
          'wide = "<table border=\\"1\\" class=\\"dataframe\\"><thead><tr><th></th>" + "".join(f"<th>column {i}</th>" for i in range(60)) + "</tr></thead><tbody><tr><th>0</th>" + "".join(f"<td>{i * 1.5:.2f}</td>" for i in range(60)) + "</tr></tbody></table>"',
          'from pycell import display',
          `display(Frame(${JSON.stringify(FRAME_HTML)}), Frame(wide))`,
        ].join('\n'),
      );
      const root = await rich(cell);
      const cells = Array.from(root.querySelectorAll('tbody tr:first-child > *'), (element) => ({
        text: element.textContent,
        align: getComputedStyle(element).textAlign,
      }));
      expect(cells).to.deep.equal([
        { text: '0', align: 'right' },
        { text: '1', align: 'right' },
        { text: '0.50', align: 'right' },
        { text: 'ant', align: 'left' },
      ]);
      expect(getComputedStyle(root.querySelectorAll('tbody td')[4]!).textAlign, '-1.25').to.equal('right');
      const header = getComputedStyle(root.querySelector('thead th:nth-child(2)')!);
      expect(Number(header.fontWeight)).to.be.at.least(600);
      expect(header.backgroundColor).not.to.equal('rgba(0, 0, 0, 0)');
      const td = getComputedStyle(root.querySelector('td')!);
      expect([td.borderTopStyle, td.borderTopWidth]).to.deep.equal(['solid', '1px']);
      expect(td.borderTopColor).to.equal(getComputedStyle(outputArea(cell)!).borderTopColor);
      // The wide table scrolls inside its output; neither the cell nor the page grows.
      const element = outputArea(cell)!.querySelectorAll('py-cell-html')[1]!;
      const frame = element.shadowRoot!.querySelector<HTMLElement>('.frame')!;
      await rich(cell, 1);
      expect(frame.scrollWidth).to.be.greaterThan(frame.clientWidth);
      // A keyboard can scroll it (the frame is focusable while it overflows); the narrow table's is not.
      await waitFor(() => frame.tabIndex === 0, 'the wide frame to be focusable');
      expect(outputArea(cell)!.querySelector('py-cell-html')!.shadowRoot!.querySelector('.frame')!.hasAttribute('tabindex')).to.equal(
        false,
      );
      // pandas' empty corner cell is no header without a name.
      expect(root.querySelector('thead th')!.getAttribute('role')).to.equal('presentation');
      expect(cell.getBoundingClientRect().width).to.be.at.most(document.documentElement.clientWidth);
      expect(document.documentElement.scrollWidth).to.be.at.most(document.documentElement.clientWidth);
    });
  });

  describe('canvas and DOM', () => {
    it('draws on a canvas from the worker, and the pixels reach the page', async () => {
      const { cell } = await run(
        'import pycell\nc = pycell.canvas(20, 10)\nctx = c.getContext("2d")\nctx.fillStyle = "rgb(0, 128, 255)"\nctx.fillRect(0, 0, 10, 10)',
      );
      const view = outputArea(cell)!.querySelector<HTMLElement & { canvas: HTMLCanvasElement; updateComplete: Promise<boolean> }>(
        'py-cell-canvas',
      )!;
      await view.updateComplete;
      await waitFor(() => view.canvas.getContext('2d')!.getImageData(5, 5, 1, 1).data[3] === 255, 'the frame');
      expect(Array.from(view.canvas.getContext('2d')!.getImageData(5, 5, 1, 1).data)).to.deep.equal([0, 128, 255, 255]);
      expect(Array.from(view.canvas.getContext('2d')!.getImageData(15, 5, 1, 1).data)).to.deep.equal([0, 0, 0, 0]);
      expect([view.canvas.width, view.canvas.height]).to.deep.equal([20, 10]);
    });

    it('says how to reach the DOM when the page is not cross-origin isolated', async () => {
      expect(crossOriginIsolated).to.equal(false);
      const direct = await run('import pycell\npycell.document');
      expect(direct.result.error!.type).to.equal('RuntimeError');
      expect(direct.result.error!.message).to.contain('main-thread');
      expect(direct.result.error!.message).to.contain('Cross-Origin-Opener-Policy: same-origin');
      const viaJs = await run('from js import document');
      expect(viaJs.result.error!.type).to.equal('ImportError');
      expect(partText(viaJs.cell, 'error')).to.contain('main-thread');
    });

    it('gives worker Python the page DOM synchronously on a cross-origin isolated page', async () => {
      const data = await reportFromPage<{
        isolated: boolean;
        target: string;
        write: { status: string; result: string; error: string };
        jsImport: { status: string; error: string };
      }>('/test/pages/dom-bridge.html?coi=1', 'py-cell-dom-bridge');
      expect(data.isolated).to.equal(true);
      expect(data.write.error).to.equal('');
      expect(data.write.status).to.equal('done');
      expect(data.target).to.equal('written by worker Python');
      expect(data.write.result).to.equal("'/test/pages/dom-bridge.html'");
      expect(data.jsImport.error).to.contain('pycell.document');
    });
  });
});
