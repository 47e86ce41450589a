// Sites built by real docs tools with py-cell's integrations (scripts/build-sites.mjs, run by
// `npm test` before the browsers): in each, the first cell imports the author's own library
// (a wheel the integration ships with the site) and runs, and an exercise made from the
// tool's markup can be checked.
import { expect } from '@esm-bundle/chai';
import type { PyCell } from '../../components/index.js';
import { openFrame, partText } from './helpers.js';

const pages = (await (await fetch('/test/sites/_build/sites.json')).json()) as Record<string, string>;
// The sites, listed once for scripts/build-sites.mjs and here (a specifier TypeScript leaves alone).
const list = '../../scripts/sites/list.mjs';
const { SITES } = (await import(list)) as { SITES: Array<{ name: string; docs: boolean }> };
const TOOLS = SITES.filter((site) => site.docs).map((site) => site.name);

describe('docs sites built with the integrations', () => {
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

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
