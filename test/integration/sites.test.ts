// Sites built by real docs tools with py-cell's integrations (scripts/build-sites.mjs, run by
// `npm test` before the browsers): in each, the first cell imports the author's own library
// (a wheel the integration ships with the site) and runs, and an exercise made from the
// tool's markup can be checked.
import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/index.js';
import { openFrame, partText, until } from './helpers.js';

const pages = (await (await fetch('/test/sites/_build/sites.json')).json()) as Record<string, string>;
// The sites, listed once for scripts/build-sites.mjs and here (a specifier TypeScript leaves alone).
const list = '../../scripts/sites/list.mjs';
const { SITES } = (await import(list)) as { SITES: Array<{ name: string; docs: boolean }> };
const TOOLS = SITES.filter((site) => site.docs).map((site) => site.name);

// Every test opens its site in frames; none outlives its test.
afterEach(() => {
  for (const frame of document.querySelectorAll('iframe')) frame.remove();
});

describe('docs sites built with the integrations', () => {
  it('built every site, each listed in scripts/sites/list.mjs', () => {
    expect(TOOLS.length, 'docs sites on the list').to.be.above(0);
    expect(Object.keys(pages)).to.include.members(TOOLS);
    const listed = SITES.map((site) => site.name);
    expect(Object.keys(pages).filter((name) => !listed.includes(name))).to.deep.equal([]);
  });

  for (const tool of TOOLS) {
    it(`${tool}: a cell imports the author's library, and an exercise is checked`, async () => {
      const view = await openFrame(pages[tool]!);
      const cells: PyCell[] = Array.from(view.document.querySelectorAll<PyCell>('py-cell'));
      const first = cells[0]!;
      await first.updateComplete;
      expect(first.code).to.equal('import mylib\nprint(mylib.greet("docs"))');
      const result = await first.run();
      expect(result.status, result.error?.message).to.equal('done');
      expect(partText(first, 'stdout')).to.equal('Hello, docs!\n');
      const exercise = cells.find((cell) => cell.exercise);
      expect(exercise, 'an exercise').to.not.equal(undefined);
      await exercise!.updateComplete;
      exercise!.code = 'pass';
      expect((await exercise!.check()).correct, 'a wrong answer').to.equal(false);
      exercise!.code = exercise!.querySelector('script[data-solution]')!.textContent;
      const right = await exercise!.check();
      expect(right.correct, right.message).to.equal(true);
    });
  }
});

describe('docs sites with JavaScript off (progressive enhancement)', () => {
  /** The page in a frame whose scripts never run: what a reader without JavaScript sees. */
  async function withoutScripts(url: string): Promise<Document> {
    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', 'allow-same-origin');
    frame.style.cssText = 'width: 900px; height: 700px; border: 0';
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.src = url;
    document.body.append(frame);
    await loaded;
    return frame.contentDocument!;
  }

  const PRERENDERED = ['sphinx-prerendered', 'mkdocs-prerendered', 'remark-prerendered'];
  // Docs sites whose Markdown plugin prerenders their cells as the site is built.
  const PRERENDERED_BY_PLUGIN = ['docusaurus', 'vitepress', 'starlight'];
  for (const tool of [...TOOLS, ...PRERENDERED]) {
    it(`${tool}: the code shows, coloured where the site colours code; an exercise's solution does not`, async () => {
      const url = pages[tool] ?? `/test/sites/_build/${tool}/index.html`;
      const page = await withoutScripts(url);
      const cells = Array.from(page.querySelectorAll('py-cell'));
      expect(cells.length, 'cells').to.be.above(1);
      expect(page.defaultView!.customElements.get('py-cell'), 'no script ran').to.equal(undefined);
      const first = cells[0] as HTMLElement;
      const shown = first.innerText;
      expect(shown).to.include('import mylib');
      expect(shown).to.include('print(mylib.greet("docs"))');
      expect(first.getBoundingClientRect().height, 'the code takes room on the page').to.be.above(20);
      const exercise = cells.find((cell) => cell.hasAttribute('exercise')) as HTMLElement;
      const solution = exercise.querySelector('script[data-solution]')!.textContent.trim();
      expect(solution.length).to.be.above(0);
      const starting = exercise.querySelector('pre')!.textContent;
      const hidden = solution.split('\n').filter((line) => line.trim() !== '' && !starting.includes(line.trim()));
      expect(hidden.length, 'a line of the solution that the starting code lacks').to.be.above(0);
      for (const line of hidden) expect(exercise.innerText).to.not.include(line.trim());
      expect(exercise.innerText.trim().length, "the exercise's starting code").to.be.above(0);
      if (PRERENDERED.includes(tool) || PRERENDERED_BY_PLUGIN.includes(tool)) {
        // The stored outputs under the code.
        expect(shown.indexOf('Hello, docs!'), shown).to.be.above(shown.indexOf('print(mylib.greet("docs"))'));
      }
      if (/^(sphinx|mkdocs)/.test(tool)) {
        // Highlighted by the site (Pygments through Sphinx or superfences), not plain text.
        expect(first.querySelectorAll('pre span').length, 'highlighted tokens').to.be.above(2);
      }
    });
  }
});

describe('VitePress: a base, its own navigation, hydration, prerendered outputs', () => {
  type Logged = Window & typeof globalThis & { __logged: string[]; __stayed?: boolean };

  it('runs under the base, hydrates its prerendered outputs without a mismatch, and keeps them and runs cells after a client-side link and back', async () => {
    const view = (await openFrame(pages['vitepress']!)) as Logged;
    // The element came from the site's base, through the Vite plugin, not from the bundle.
    const loaded = performance.getEntriesByType.call(view.performance, 'resource').map((entry) => entry.name);
    expect(loaded.some((url) => url.endsWith('/test/sites/_build/vitepress/py-cell/dist/py-cell.js'))).to.equal(true);
    const first = view.document.querySelector<PyCell>('py-cell')!;
    await first.updateComplete;
    // `{{ … }}` in code is the code's, not Vue's.
    const braces = Array.from(view.document.querySelectorAll<PyCell>('py-cell')).find((cell) => cell.code.includes('{{'));
    expect(braces?.code).to.equal('text = "{{ not Vue }}"\ntext');
    // Vue has hydrated the page (it marks the app's container) before the reader clicks.
    await until(() => view.document.querySelector<Element & { __vue_app__?: unknown }>('#app')?.__vue_app__);
    expect(
      view.__logged.filter((line) => /hydrat|mismatch/i.test(line)),
      view.__logged.join('\n'),
    ).to.deep.equal([]);
    // The outputs the build stored (the markdown-it plugin's prerender), before anything runs.
    expect(partText(first, 'stdout')).to.equal('Hello, docs!\n');
    expect(partText(braces!, 'result')).to.equal("'{{ not Vue }}'");
    view.__stayed = true;
    view.document.querySelector<HTMLAnchorElement>('a[href$="next.html"]')!.click();
    const next = await until(() =>
      Array.from(view.document.querySelectorAll<PyCell>('py-cell')).find((cell) => cell.code.startsWith('print("next page"')),
    );
    expect(view.__stayed, 'a client-side navigation, not a page load').to.equal(true);
    // A page Vue renders in the browser has its stored outputs too.
    await next.updateComplete;
    expect(partText(next, 'stdout')).to.equal('next page 42\n');
    const result = await next.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(next, 'stdout')).to.equal('next page 42\n');
    expect(
      view.__logged.filter((line) => /hydrat|mismatch/i.test(line)),
      view.__logged.join('\n'),
    ).to.deep.equal([]);
    view.__stayed = true;
    view.history.back();
    const back = await until(() =>
      Array.from(view.document.querySelectorAll<PyCell>('py-cell')).find((cell) => cell.code.startsWith('import mylib')),
    );
    expect(view.__stayed, 'back, without a page load').to.equal(true);
    await back.updateComplete;
    expect(partText(back, 'stdout'), 'the stored outputs, after the navigation').to.equal('Hello, docs!\n');
    const again = await back.run();
    expect(again.status, again.error?.message).to.equal('done');
    expect(partText(back, 'stdout')).to.equal('Hello, docs!\n');
    expect(
      view.__logged.filter((line) => /hydrat|mismatch/i.test(line)),
      view.__logged.join('\n'),
    ).to.deep.equal([]);
  });
});

describe('Docusaurus: a baseUrl, its own navigation, hydration', () => {
  type Logged = Window & typeof globalThis & { __logged: string[]; __stayed?: boolean };
  const REACT = /hydrat|mismatch|Minified React error/i;

  it('runs under the baseUrl, hydrates its prerendered outputs without a mismatch, and keeps them and runs cells after client-side links to the next page and home', async () => {
    const view = (await openFrame(pages['docusaurus']!)) as Logged;
    // The element came from the site's baseUrl, put there by the Docusaurus plugin.
    const loaded = performance.getEntriesByType.call(view.performance, 'resource').map((entry) => entry.name);
    expect(loaded.some((url) => url.endsWith('/test/sites/_build/docusaurus/py-cell/dist/py-cell.js'))).to.equal(true);
    const first = view.document.querySelector<PyCell>('py-cell')!;
    await first.updateComplete;
    // `{ … }` in code is the code's, not JSX.
    const braces = Array.from(view.document.querySelectorAll<PyCell>('py-cell')).find((cell) => cell.code.includes('{'));
    expect(braces?.code).to.equal('text = "{not JSX}"\ntext');
    // React has hydrated the page (it marks the root container) before the reader clicks.
    await until(
      () => Object.keys(view.document.getElementById('__docusaurus') ?? {}).some((key) => key.startsWith('__reactContainer')),
      'React to hydrate',
    );
    // Hydration runs its effects after marking the root; give a mismatch its moment to be logged.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      view.__logged.filter((line) => REACT.test(line)),
      view.__logged.join('\n'),
    ).to.deep.equal([]);
    // The outputs the build stored (the remark plugin's prerender), before anything runs.
    expect(partText(first, 'stdout')).to.equal('Hello, docs!\n');
    view.__stayed = true;
    view.document.querySelector<HTMLAnchorElement>('article a[href$="/next"]')!.click();
    const next = await until(
      () => Array.from(view.document.querySelectorAll<PyCell>('py-cell')).find((cell) => cell.code.startsWith('print("next page"')),
      'the next page',
    );
    expect(view.__stayed, 'a client-side navigation, not a page load').to.equal(true);
    // A page React renders in the browser has its stored outputs too.
    await next.updateComplete;
    expect(partText(next, 'stdout')).to.equal('next page 42\n');
    const result = await next.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(next, 'stdout')).to.equal('next page 42\n');
    // Home through the navbar (WebKit's history.back() skips entries a script's click pushed).
    view.__stayed = true;
    view.document.querySelector<HTMLAnchorElement>('a.navbar__brand')!.click();
    const back = await until(
      () => Array.from(view.document.querySelectorAll<PyCell>('py-cell')).find((cell) => cell.code.startsWith('import mylib')),
      'the first page again',
    );
    expect(view.__stayed, 'home, without a page load').to.equal(true);
    await back.updateComplete;
    expect(partText(back, 'stdout'), 'the stored outputs, after the navigation').to.equal('Hello, docs!\n');
    const again = await back.run();
    expect(again.status, again.error?.message).to.equal('done');
    expect(partText(back, 'stdout')).to.equal('Hello, docs!\n');
    expect(
      view.__logged.filter((line) => REACT.test(line)),
      view.__logged.join('\n'),
    ).to.deep.equal([]);
  });

  it('a translated build: the French page loads py-cell from its own locale, shows its stored outputs and runs', async () => {
    const view = await openFrame(`${pages['docusaurus']!}fr/`);
    expect(view.document.documentElement.lang).to.equal('fr');
    const loaded = performance.getEntriesByType.call(view.performance, 'resource').map((entry) => entry.name);
    expect(loaded.some((url) => url.endsWith('/test/sites/_build/docusaurus/fr/py-cell/dist/py-cell.js'))).to.equal(true);
    const first = view.document.querySelector<PyCell>('py-cell')!;
    await first.updateComplete;
    expect(partText(first, 'stdout'), 'the stored outputs').to.equal('Hello, docs!\n');
    const result = await first.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(first, 'stdout')).to.equal('Hello, docs!\n');
  });
});

describe('Astro Starlight: prerendered outputs', () => {
  it('shows the outputs stored at build time before anything runs, on the first page and on the one its link opens, and runs', async () => {
    const frame = document.createElement('iframe');
    const view = await openFrame(pages['starlight']!, frame);
    const first = view.document.querySelector<PyCell>('py-cell')!;
    await first.updateComplete;
    expect(partText(first, 'stdout'), 'the stored outputs').to.equal('Hello, docs!\n');
    expect(first.shadowRoot!.querySelector('[part~="prerendered"]'), 'marked as computed when the page was built').to.not.equal(null);
    // Starlight's links load the next page (Astro renders Markdown to static HTML: nothing hydrates it).
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    view.document.querySelector<HTMLAnchorElement>('main a[href$="next/"]')!.click();
    await loaded;
    const next = frame.contentWindow as Window & typeof globalThis;
    await next.customElements.whenDefined('py-cell');
    const cell = next.document.querySelector<PyCell>('py-cell')!;
    await cell.updateComplete;
    expect(partText(cell, 'stdout'), "the next page's stored outputs").to.equal('next page\n');
    const result = await cell.run();
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('next page\n');
    expect(cell.shadowRoot!.querySelector('[part~="prerendered"]'), 'a fresh run is not marked').to.equal(null);
  });
});
