// Accessibility, measured with axe-core over every demo page and a page with every kind of output,
// in the light and the dark colour scheme, after every cell has run. Each page is loaded in an
// iframe; an iframe's `prefers-color-scheme` follows the `color-scheme` of its element.
import { expect } from '@esm-bundle/chai';
import { executeServerCommand } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { sleep, waitFor } from './helpers.js';

const PAGES = [
  '/demo/index.html',
  '/demo/basics.html',
  '/demo/sessions.html',
  '/demo/isolated.html',
  '/demo/errors.html',
  '/demo/autorun.html',
  '/demo/special-characters.html',
  '/demo/outputs.html',
  '/demo/lesson.html',
  '/test/pages/all-outputs.html',
  // As a reader first sees them, with the outputs `py-cell prerender` stored (scripts/sites/prerender.mjs): no cell runs.
  '/test/pages/_prerendered-all-outputs.html',
  '/demo/_prerendered-outputs.html',
];

interface AxeResult {
  violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[]; failureSummary: string }> }>;
}
type AxeWindow = Window & { axe: { run(context: Document, options: object): Promise<AxeResult> }; customElements: CustomElementRegistry };

async function openPage(path: string): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  frame.style.cssText = 'width: 1000px; height: 800px; color-scheme: light; border: 0';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  frame.src = path;
  document.body.append(frame);
  await loaded;
  return frame;
}

function addScript(doc: Document, src: string): Promise<unknown> {
  const script = doc.createElement('script');
  script.src = src;
  const loaded = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = reject;
  });
  doc.head.append(script);
  return loaded;
}

/** Every violation, one line each: rule, impact, where, and what axe says is wrong. */
function violationLines(result: AxeResult): string[] {
  return result.violations.flatMap((violation) =>
    violation.nodes.map(
      (node) => `${violation.id} (${violation.impact}) at ${JSON.stringify(node.target)}: ${node.failureSummary.replace(/\s+/g, ' ')}`,
    ),
  );
}

/** Whether an iframe's colour scheme follows its element's `color-scheme` (not in WebKit). */
async function schemeFollowsFrame(): Promise<boolean> {
  const frame = document.createElement('iframe');
  frame.style.colorScheme = 'dark';
  frame.srcdoc = '<p>scheme</p>';
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const dark = frame.contentWindow!.matchMedia('(prefers-color-scheme: dark)').matches;
  frame.remove();
  return dark;
}

describe('accessibility (axe-core)', () => {
  let schemes = ['light'];
  before(async () => {
    // A frame follows its scheme at its next style update, which a page in the background (after
    // another test closed a window it opened) may not get in Firefox.
    await executeServerCommand('bring-to-front');
    if (await schemeFollowsFrame()) schemes = ['light', 'dark'];
    else console.log('accessibility: this engine cannot switch a frame to the dark scheme; checked in light only');
  });

  for (const path of PAGES) {
    const prerendered = path.includes('/_prerendered-');
    const when = prerendered ? 'before any cell runs' : 'after every cell ran';
    it(`finds nothing on ${path}, light and dark (dark where the engine can switch a frame), ${when}`, async () => {
      const frame = await openPage(path);
      try {
        const win = frame.contentWindow as AxeWindow;
        const doc = frame.contentDocument!;
        await win.customElements.whenDefined('py-cell');
        await addScript(doc, '/node_modules/axe-core/axe.min.js');
        /** axe's violations in each scheme, one line each, labelled. */
        const check = async (when: string): Promise<string[]> => {
          const lines: string[] = [];
          for (const scheme of schemes) {
            frame.style.colorScheme = scheme;
            // The frame follows its element's scheme at its next style update.
            const dark = () => win.matchMedia('(prefers-color-scheme: dark)').matches;
            await waitFor(() => dark() === (scheme === 'dark'), `the ${scheme} scheme in the page`, 5000);
            await sleep(50);
            const result = await win.axe.run(doc, { resultTypes: ['violations'] });
            lines.push(...violationLines(result).map((line) => `${scheme} scheme, ${when}: ${line}`));
          }
          frame.style.colorScheme = 'light';
          return lines;
        };
        const violations: string[] = [];
        // A cell asking for input is checked while it waits (its field, its Run button), then answered, as a reader would.
        doc.addEventListener('py-cell-input', (event) => {
          const cell = event.target as PyCell;
          void check('waiting for input()').then((lines) => {
            violations.push(...lines);
            const field = cell.shadowRoot!.querySelector<HTMLInputElement>('[part="input"]')!;
            field.value = 'Ada';
            field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
          });
        });
        for (const cell of prerendered ? [] : Array.from(doc.querySelectorAll<PyCell>('py-cell'))) {
          await cell.run();
          // Exercises: checked twice, then every hint and the solution (where offered) opened.
          if (!cell.exercise) continue;
          await cell.check();
          await cell.check();
          const button = (name: string) => cell.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${name}"]`);
          for (let hint = button('hint-button'); hint; hint = button('hint-button')) {
            hint.click();
            await cell.updateComplete;
          }
          button('solution-button')?.click();
          await cell.updateComplete;
        }
        await sleep(300); // late frames, lazily loaded renderers
        violations.push(...(await check(when)));
        expect(violations).to.deep.equal([]);
      } finally {
        frame.remove();
      }
    });
  }
});
