// The real sites' own themes (issue 22): each generator's dark toggle, clicked as a reader clicks
// it, turns the cells dark and back (VitePress, Docusaurus, Starlight, Sphinx with Furo, Material
// for MkDocs); a light-only theme (alabaster, pydata-sphinx-theme 0.7, MkDocs' own) keeps light
// cells; and on every docs site a hostile stylesheet (what themes set on their text: alignment,
// case, spacing, line height, white space) leaves the cell's layout as it was. The sites are
// built by scripts/build-sites.mjs; test/integration/color-scheme.test.ts has the same rules on a
// page of stand-ins.
import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/index.js';
import { openFrame, until, waitFor } from './helpers.js';

const pages = (await (await fetch('/test/sites/_build/sites.json')).json()) as Record<string, string>;
const list = '../../scripts/sites/list.mjs';
const { SITES } = (await import(list)) as { SITES: Array<{ name: string; docs: boolean }> };
const TOOLS = SITES.filter((site) => site.docs).map((site) => site.name);

const isDark = (cell: PyCell) => cell.matches(':state(dark)');

interface Toggle {
  /** The site's own control for its colour scheme. */
  control: (document: Document) => HTMLElement | null;
  /** Whether the site shows its dark scheme now. */
  dark: (document: Document) => boolean;
  /** Where the control cannot be used: sets the scheme as it would. */
  set?: (document: Document, dark: boolean) => void;
}

const TOGGLES: Record<string, Toggle> = {
  vitepress: {
    control: (document) => document.querySelector<HTMLElement>('.VPNavBar button.VPSwitchAppearance'),
    dark: (document) => document.documentElement.classList.contains('dark'),
  },
  docusaurus: {
    control: (document) => document.querySelector<HTMLElement>('.navbar button[aria-label^="Switch between dark and light mode"]'),
    dark: (document) => document.documentElement.dataset['theme'] === 'dark',
  },
  'sphinx-furo': {
    // Debian's furo (2022.12.07+dfsg) ships its script unbundled: an ES module that Sphinx loads
    // as a classic script, so it fails to parse and the toggle does nothing. What the toggle sets
    // (and what Furo's inline script sets from the reader's stored choice) is set here instead.
    control: () => null,
    set: (document, dark) => {
      document.body.dataset['theme'] = dark ? 'dark' : 'light';
    },
    dark: (document) => document.body.dataset['theme'] === 'dark',
  },
  starlight: {
    // A <select> (auto, dark, light): chosen as a reader chooses, by its change event.
    control: () => null,
    set: (document, dark) => {
      const select = document.querySelector<HTMLSelectElement>('starlight-theme-select select')!;
      select.value = dark ? 'dark' : 'light';
      select.dispatchEvent(new Event('change'));
    },
    dark: (document) => document.documentElement.dataset['theme'] === 'dark',
  },
  'mkdocs-material': {
    control: (document) => document.querySelector<HTMLElement>('label[for^="__palette_"]:not([hidden])'),
    dark: (document) => document.body.dataset['mdColorScheme'] === 'slate',
  },
};
const LIGHT_ONLY = ['sphinx', 'sphinx-pydata', 'mkdocs'];

describe("the sites' own themes", () => {
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it('every theme on the list is a site that was built', () => {
    expect(TOOLS).to.include.members([...Object.keys(TOGGLES), ...LIGHT_ONLY]);
  });

  for (const [tool, toggle] of Object.entries(TOGGLES)) {
    it(`${tool}: the site's dark toggle turns the cells dark, and back`, async () => {
      const view = await openFrame(pages[tool]!);
      const cells = Array.from(view.document.querySelectorAll<PyCell>('py-cell'));
      await Promise.all(cells.map((cell) => cell.updateComplete));
      /**
       * Clicks the site's toggle until it shows `dark` (toggles cycle through two or three modes),
       * each click once the last one has shown (a click before the framework hydrated the toggle
       * does nothing, and two clicks before it renders again may count as one).
       */
      const turn = async (dark: boolean) => {
        toggle.set?.(view.document, dark);
        for (let click = 0; click < 6 && toggle.dark(view.document) !== dark; click++) {
          const control = await until(() => toggle.control(view.document), `${tool}'s toggle`);
          const before = control.outerHTML;
          control.click();
          await waitFor(
            () => toggle.control(view.document)?.outerHTML !== before || toggle.dark(view.document) === dark,
            'the toggle to change',
            2000,
          ).catch(
            () => undefined, // not hydrated yet: the next round clicks again
          );
        }
        expect(toggle.dark(view.document), `${tool} shows its ${dark ? 'dark' : 'light'} scheme`).to.equal(dark);
        await waitFor(() => cells.every((cell) => isDark(cell) === dark), `every cell ${dark ? 'dark' : 'light'}`, 3000);
      };
      await turn(false);
      await turn(true);
      await turn(false);
    });
  }

  for (const tool of LIGHT_ONLY) {
    it(`${tool}: a light-only theme keeps light cells`, async () => {
      const view = await openFrame(pages[tool]!);
      const cells = Array.from(view.document.querySelectorAll<PyCell>('py-cell'));
      await Promise.all(cells.map((cell) => cell.updateComplete));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(cells.filter(isDark).length, 'dark cells').to.equal(0);
    });
  }

  for (const tool of TOOLS) {
    it(`${tool}: a hostile stylesheet leaves the cell's layout as it was`, async () => {
      const view = await openFrame(pages[tool]!);
      const cell = view.document.querySelector<PyCell>('py-cell')!;
      await cell.updateComplete;
      /** What the reader sees of the cell: its parts' sizes and text settings. */
      const layout = () =>
        ['editor', 'toolbar', 'run-button'].map((part) => {
          const element = cell.shadowRoot!.querySelector(`[part~="${part}"]`)!;
          const style = getComputedStyle(element);
          const box = element.getBoundingClientRect();
          return [
            part,
            Math.round(box.width),
            Math.round(box.height),
            style.textAlign,
            style.textTransform,
            style.letterSpacing,
            style.wordSpacing,
            style.lineHeight,
            style.whiteSpace,
          ];
        });
      // A scrollbar from the longer page would narrow everything: it is there from the start.
      view.document.documentElement.style.overflowY = 'scroll';
      const before = layout();
      const hostile = view.document.createElement('style');
      hostile.textContent =
        'html, body, main, article, section, div, p { text-align: center; text-transform: uppercase; letter-spacing: 0.3em; word-spacing: 1em; line-height: 3; white-space: pre; }';
      view.document.head.append(hostile);
      expect(getComputedStyle(cell.parentElement!).textAlign, 'the stylesheet applies around the cell').to.equal('center');
      expect(layout()).to.deep.equal(before);
    });
  }
});
