// The cells' colour scheme follows the site's (issue 22): the page behind each cell, whatever
// attribute a site's toggle sets (VitePress `html.dark`, Docusaurus and Starlight
// `html[data-theme]`, Material for MkDocs `[data-md-color-scheme]`, Furo `body[data-theme]`), a
// light-only page keeps light cells, `configure({ colorScheme })` fixes it; and a site's styles do
// not leak into a cell.
import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { openFrame, waitFor } from './helpers.js';

type View = Window & typeof globalThis & { document: Document };

const isDark = (cell: PyCell) => cell.matches(':state(dark)');
const background = (cell: PyCell) => getComputedStyle(cell.shadowRoot!.querySelector('.base')!).backgroundColor;

describe('colour scheme and the site’s styles', () => {
  let frame: HTMLIFrameElement;
  let view: View;
  let cell: PyCell;

  beforeEach(async () => {
    frame = document.createElement('iframe');
    view = await openFrame('/test/pages/scheme.html', frame);
    cell = view.document.getElementById('cell') as PyCell;
    await cell.updateComplete;
  });
  afterEach(() => frame.remove());

  /** Flips a site's toggle and waits for the cell to follow. */
  async function toggled(change: () => void, dark: boolean, what: string): Promise<void> {
    change();
    await waitFor(() => isDark(cell) === dark, `${what}: the cell ${dark ? 'dark' : 'light'}`, 3000);
  }

  it('follows each generator’s own dark toggle and back', async () => {
    expect(isDark(cell), 'a light page').to.equal(false);
    const light = background(cell);
    const root = view.document.documentElement;
    const body = view.document.body;
    await toggled(() => root.classList.add('vitepress', 'dark'), true, 'VitePress html.dark');
    expect(background(cell)).to.not.equal(light);
    await toggled(() => root.classList.remove('dark'), false, 'VitePress light');
    await toggled(() => root.setAttribute('data-theme', 'dark'), true, 'Docusaurus/Starlight html[data-theme=dark]');
    await toggled(() => root.setAttribute('data-theme', 'light'), false, 'Docusaurus light');
    await toggled(() => body.setAttribute('data-md-color-scheme', 'slate'), true, 'Material slate');
    await toggled(() => body.setAttribute('data-md-color-scheme', 'default'), false, 'Material default');
    await toggled(() => body.setAttribute('data-theme', 'dark'), true, 'Furo body[data-theme=dark]');
    await toggled(() => body.setAttribute('data-theme', 'light'), false, 'Furo light');
  });

  it('keeps light cells on a light-only page when the reader prefers dark, and follows a page that offers dark', async function () {
    frame.style.colorScheme = 'dark';
    await waitFor(() => view.matchMedia('(prefers-color-scheme: dark)').matches, 'the frame in the dark scheme', 3000).catch(() => null);
    if (!view.matchMedia('(prefers-color-scheme: dark)').matches) this.skip(); // WebKit: a frame keeps the light scheme
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(isDark(cell), 'a white page with no color-scheme').to.equal(false);
    await toggled(() => (view.document.documentElement.style.colorScheme = 'light dark'), true, 'a page offering dark');
  });

  it('configure({ colorScheme }) fixes the scheme, or follows a selector', async () => {
    const { configure } = (await view.eval('import("/dist/py-cell.js")')) as typeof import('../../components/index.js');
    await toggled(() => configure({ colorScheme: 'dark' }), true, "'dark'");
    await toggled(() => configure({ colorScheme: 'light' }), false, "'light'");
    await toggled(() => configure({ colorScheme: '.night' }), false, 'a selector nothing matches');
    await toggled(() => view.document.body.classList.add('night'), true, 'a selector that matches');
    configure({ colorScheme: 'auto' });
  });

  it('a site’s styles do not leak into the code or the output', async () => {
    const hostile = view.document.getElementById('hostile') as PyCell;
    await hostile.updateComplete;
    const code = hostile.shadowRoot!.querySelector<HTMLElement>('[part="editor"]')!;
    const style = getComputedStyle(code);
    expect([style.textAlign, style.textTransform, style.letterSpacing, style.wordSpacing]).to.deep.equal([
      'start',
      'none',
      'normal',
      '0px',
    ]);
    expect(parseFloat(style.lineHeight) / parseFloat(style.fontSize)).to.be.below(2);
    // The same as a cell on a page with no such styles: alignment, case, spacing and line height.
    const plain = view.document.getElementById('cell') as PyCell;
    const look = (target: PyCell, part: string) => {
      const computed = getComputedStyle(target.shadowRoot!.querySelector(`[part="${part}"]`)!);
      return [
        computed.textAlign,
        computed.textTransform,
        computed.letterSpacing,
        computed.wordSpacing,
        computed.lineHeight,
        computed.whiteSpace,
      ];
    };
    for (const part of ['editor', 'toolbar', 'output']) expect(look(hostile, part), part).to.deep.equal(look(plain, part));
  });
});
