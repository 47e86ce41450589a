import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import type { PyCellDoneEvent, PyCellRunEvent } from '../../components/events.js';
import { addCell, keyboardDriven, partText, waitFor, workerLoads } from './helpers.js';

const textarea = (cell: PyCell) => cell.shadowRoot!.querySelector('textarea')!;
const button = (cell: PyCell, part: string) => cell.shadowRoot!.querySelector<HTMLButtonElement>(`[part="${part}"]`);

/** A test that types: in the engines whose automation delivers keys as a reader types them. */
const itWithKeyboard = (title: string, test: () => Promise<void>) => {
  if (keyboardDriven) it(`${title} (typed through the DevTools Protocol or WebDriver BiDi)`, test);
};

describe('<py-cell> element', () => {
  afterEach(() => {
    for (const cell of document.querySelectorAll('py-cell')) cell.remove();
  });

  // First, while the runtime is not started yet.
  it('goes idle -> loading -> running -> done, with py-cell-run and py-cell-done events', async () => {
    const cell = addCell('print("hi")');
    await cell.updateComplete;
    expect(cell.getAttribute('status')).to.equal('idle');
    const statuses: string[] = [];
    new MutationObserver(() => statuses.push(cell.getAttribute('status')!)).observe(cell, { attributeFilter: ['status'] });
    const events: Array<PyCellRunEvent | PyCellDoneEvent> = [];
    document.addEventListener('py-cell-run', (event) => events.push(event), { once: true });
    document.addEventListener('py-cell-done', (event) => events.push(event), { once: true });
    const result = await cell.run();
    await cell.updateComplete;
    expect(statuses).to.deep.equal(['loading', 'running', 'done']);
    expect(events.map((event) => event.type)).to.deep.equal(['py-cell-run', 'py-cell-done']);
    const [runEvent, doneEvent] = events as [PyCellRunEvent, PyCellDoneEvent];
    expect([runEvent.bubbles, runEvent.composed, runEvent.cancelable]).to.deep.equal([true, true, true]);
    expect(runEvent.detail.code).to.equal('print("hi")');
    expect([doneEvent.bubbles, doneEvent.composed]).to.deep.equal([true, true]);
    expect(doneEvent.detail).to.deep.equal(result);
    expect(result.status).to.equal('done');
    expect(result.elapsedMs).to.be.a('number').and.to.be.at.least(0);
  });

  it('offers Retry only when py-cell failed to load something, never for a Python exception of any name', async () => {
    const retry = (cell: PyCell) => Boolean(button(cell, 'retry-button'));
    for (const code of [
      'raise RuntimeError("user error")',
      'class PackageLoadError(Exception):\n    pass\nraise PackageLoadError("mine")',
    ]) {
      const cell = addCell(code);
      const result = await cell.run();
      await cell.updateComplete;
      expect(result.status).to.equal('error');
      expect(result.error!.failure, code).to.equal(undefined);
      expect(retry(cell), code).to.equal(false);
    }
    const missing = addCell('1', { packages: 'no-such-package' });
    await missing.run();
    await missing.updateComplete;
    expect(retry(missing), 'a package that does not exist').to.equal(false);
  });

  it('does not run when py-cell-run is cancelled', async () => {
    const cell = addCell('print("should not run")');
    cell.addEventListener('py-cell-run', (event) => event.preventDefault(), { once: true });
    const result = await cell.run();
    expect(result).to.deep.equal({ status: 'cancelled', elapsedMs: 0 });
    expect(cell.status).to.equal('idle');
    expect(partText(cell, 'stdout')).to.equal('');
  });

  itWithKeyboard('runs on Shift+Enter and Ctrl+Enter typed in the editor', async () => {
    const cell = addCell('');
    await cell.updateComplete;
    textarea(cell).focus();
    await sendKeys({ type: 'print("typed")' });
    expect(cell.code).to.equal('print("typed")');
    const done = new Promise<PyCellDoneEvent>((resolve) => cell.addEventListener('py-cell-done', resolve, { once: true }));
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    expect((await done).detail.status).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('typed\n');
    expect(cell.code).to.equal('print("typed")');

    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: '"again"' });
    const again = new Promise<PyCellDoneEvent>((resolve) => cell.addEventListener('py-cell-done', resolve, { once: true }));
    await sendKeys({ down: 'Control' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Control' });
    await again;
    expect(partText(cell, 'result')).to.equal("'again'");
  });

  itWithKeyboard('indents with Tab and lets Escape leave the editor', async () => {
    const cell = addCell('if True:');
    const after = document.createElement('button');
    after.textContent = 'next on the page';
    document.body.append(after);
    await cell.updateComplete;
    const area = textarea(cell);
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'x = 1' });
    expect(cell.code).to.equal('if True:\n    x = 1');
    await sendKeys({ press: 'Tab' });
    expect(cell.code).to.equal('if True:\n    x = 1    ');
    expect(cell.shadowRoot!.activeElement === area, 'focus in the textarea').to.equal(true);
    await sendKeys({ press: 'Escape' });
    expect(cell.shadowRoot!.activeElement?.getAttribute('part')).to.equal('run-button');
    // From the Run button, Tab moves on through the page as usual.
    await sendKeys({ press: 'Tab' });
    expect(cell.shadowRoot!.activeElement?.getAttribute('part')).to.equal('reset-button');
    await sendKeys({ press: 'Tab' });
    expect(cell.shadowRoot!.activeElement?.getAttribute('part')).to.equal('copy-button');
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement === after, 'focus on the next page element').to.equal(true);
    after.remove();
  });

  it('shows Reset once edited, and Reset restores the original code', async () => {
    const cell = addCell('    original = 1\n');
    await cell.updateComplete;
    expect(cell.code).to.equal('original = 1');
    expect(button(cell, 'reset-button') === null, 'no Reset button').to.equal(true);
    cell.code = 'edited = 2';
    await cell.updateComplete;
    expect(textarea(cell).value).to.equal('edited = 2');
    button(cell, 'reset-button')!.click();
    await cell.updateComplete;
    expect(cell.code).to.equal('original = 1');
    expect(textarea(cell).value).to.equal('original = 1');
    expect(button(cell, 'reset-button') === null, 'no Reset button').to.equal(true);
  });

  it('is read-only with the readonly attribute, and still runs', async () => {
    const cell = addCell('"ro"', { readonly: '' });
    await cell.updateComplete;
    expect(textarea(cell).readOnly).to.equal(true);
    await cell.run();
    expect(partText(cell, 'result')).to.equal("'ro'");
  });

  it('runs an autorun cell once, when it scrolls into view', async () => {
    const spacer = document.createElement('div');
    spacer.style.height = '300vh';
    document.body.append(spacer);
    const cell = addCell('print("autoran")', { autorun: '' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(cell.status).to.equal('idle');
    cell.scrollIntoView();
    await waitFor(() => cell.status === 'done', 'the autorun');
    expect(partText(cell, 'stdout')).to.equal('autoran\n');
    window.scrollTo(0, 0);
    cell.scrollIntoView();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(partText(cell, 'stdout')).to.equal('autoran\n');
    spacer.remove();
  });

  it('works inside another element’s shadow root', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const cell = addCell('print("in a shadow root")\n1 < 2', {}, root);
    const done = new Promise<PyCellDoneEvent>((resolve) => host.addEventListener('py-cell-done', resolve, { once: true }));
    await cell.run();
    expect((await done).detail.status).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('in a shadow root\n');
    expect(partText(cell, 'result')).to.equal('True');
    host.remove();
  });

  it('tolerates a second copy of the bundle on the page, sharing the runtime', async () => {
    const before = workerLoads();
    const secondCopy = '../../dist/py-cell.js?copy=2';
    await import(secondCopy);
    const cell = addCell('"still works"');
    await cell.run();
    expect(partText(cell, 'result')).to.equal("'still works'");
    expect(workerLoads()).to.equal(before);
  });

  it('warns about an invalid timeout and an empty session, and runs anyway', async () => {
    const warnings: unknown[][] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      const cell = addCell('"ok"', { timeout: 'abc', session: '' });
      await cell.updateComplete;
      expect(cell.timeoutSeconds).to.equal(null);
      const result = await cell.run();
      expect(result.status).to.equal('done');
      expect(warnings.some(([message, element]) => String(message).includes('timeout="abc"') && element === cell)).to.equal(true);
      expect(warnings.some(([message]) => String(message).includes('session'))).to.equal(true);
    } finally {
      console.warn = original;
    }
  });

  it('announces each change of state once, not every line of output; the output is a labelled region', async () => {
    const cell = addCell('for i in range(200):\n    print(i)\n1 / 0');
    await cell.updateComplete;
    const live = cell.shadowRoot!.querySelector('[role="status"]')!;
    const heard: string[] = [];
    new MutationObserver(() => heard.push(live.textContent)).observe(live, { childList: true, characterData: true, subtree: true });
    await cell.run();
    await cell.updateComplete;
    const announced = heard.filter((text, i) => text && text !== heard[i - 1]);
    expect(announced.at(-1)).to.equal('Error: ZeroDivisionError');
    expect(announced.filter((text) => text.startsWith('Running'))).to.have.length(1);
    expect(
      announced.every((text) => /^(Loading Python|Waiting|Running|Error: ZeroDivisionError)$/.test(text)),
      announced.join(' / '),
    ).to.equal(true);
    const output = cell.shadowRoot!.querySelector('[part="output"]')!;
    expect([output.getAttribute('role'), output.getAttribute('aria-live')]).to.deep.equal(['region', null]);
    expect(output.getAttribute('aria-label')).to.match(/^Output of cell \d+$/);
    expect(textarea(cell).getAttribute('aria-label')).to.equal('Python code');
  });

  itWithKeyboard('is operable by keyboard alone, with the focus always visible', async () => {
    const before = document.createElement('button');
    before.textContent = 'before the cell';
    document.body.append(before);
    const cell = addCell('import array\nmemoryview(array.array("d", range(6))).cast("B").cast("d", [2, 3])');
    await cell.updateComplete;
    const active = () => cell.shadowRoot!.activeElement;
    try {
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(active()?.getAttribute('part')).to.equal('textarea');
      await sendKeys({ press: 'Escape' }); // Tab indents in the editor; Escape leaves it
      expect(active()?.getAttribute('part')).to.equal('run-button');
      expect(getComputedStyle(active()!).outlineStyle).to.equal('solid');
      await sendKeys({ press: 'Enter' });
      await waitFor(() => cell.status === 'done', 'the run');
      await cell.updateComplete;
      await sendKeys({ press: 'Tab' });
      expect(active()?.getAttribute('part')).to.equal('copy-button');
      expect(getComputedStyle(active()!).outlineStyle).to.equal('solid');
      await sendKeys({ press: 'Tab' });
      expect(active()?.getAttribute('part')).to.equal('output');
      expect(getComputedStyle(active()!).outlineStyle).to.equal('solid');
      await sendKeys({ press: 'Tab' });
      const view = active() as HTMLElement & { shadowRoot: ShadowRoot };
      expect(view.localName).to.equal('py-cell-array');
      const button = () => view.shadowRoot.activeElement as HTMLButtonElement;
      expect(button().dataset['view']).to.equal('table');
      while (button().dataset['view'] !== 'text') await sendKeys({ press: 'Tab' });
      expect(getComputedStyle(button()).outlineStyle).not.to.equal('none');
      await sendKeys({ press: 'Enter' });
      await (view as unknown as { updateComplete: Promise<boolean> }).updateComplete;
      expect(view.shadowRoot.querySelector('pre')?.textContent).to.match(/^<memory at 0x[0-9a-f]+>$/);
    } finally {
      before.remove();
    }
  });

  it('fires py-cell-done once for a run that a second run() joined', async () => {
    const first = addCell('import time\ntime.sleep(0.3)');
    const cell = addCell('"one"');
    const done: string[] = [];
    cell.addEventListener('py-cell-done', (event) => done.push(event.detail.status));
    const running = first.run();
    const calls = [cell.run(), cell.run()];
    const results = await Promise.all(calls);
    await running;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(results.map((result) => result.status)).to.deep.equal(['done', 'done']);
    expect(done).to.deep.equal(['done']);
  });

  it('Copy puts the code on the clipboard and says so; where the page may not write there, it selects the code', async () => {
    const cell = addCell('print("copied")');
    await cell.updateComplete;
    const clipboard = navigator.clipboard;
    const original = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(clipboard), 'writeText')!;
    let written: string | null = null;
    Object.defineProperty(clipboard, 'writeText', { configurable: true, value: (text: string) => ((written = text), Promise.resolve()) });
    try {
      button(cell, 'copy-button')!.click();
      await waitFor(() => button(cell, 'copy-button')!.textContent.trim() === 'Copied', 'Copied', 2000);
      expect(written).to.equal('print("copied")');
      expect(button(cell, 'copy-button')!.title).to.equal('Copy the code');
      Object.defineProperty(clipboard, 'writeText', {
        configurable: true,
        value: () => Promise.reject(new DOMException('denied', 'NotAllowedError')),
      });
      cell.code = 'x = 1';
      await cell.updateComplete;
      button(cell, 'copy-button')!.click();
      await waitFor(() => cell.shadowRoot!.activeElement === textarea(cell), 'the code selected', 2000);
      expect([textarea(cell).selectionStart, textarea(cell).selectionEnd]).to.deep.equal([0, 5]);
    } finally {
      delete (clipboard as unknown as Record<string, unknown>).writeText;
      expect(Object.getOwnPropertyDescriptor(Object.getPrototypeOf(clipboard), 'writeText')).to.deep.equal(original);
      cell.remove();
    }
  });

  it('spreads the first renders of many cells over tasks, each showing its code until it renders', async () => {
    const container = document.createElement('div');
    document.body.append(container);
    try {
      // Cells upgraded at once, as a page that defines 60 cells upgrades them: in one task.
      container.innerHTML = Array.from({ length: 60 }, (_, n) => `<py-cell>print(${n})</py-cell>`).join('');
      const cells = Array.from(container.querySelectorAll<PyCell>('py-cell'));
      const rendered = () => cells.filter((cell) => cell.shadowRoot?.querySelector('[part="base"]')).length;
      // This task's microtasks run the first renders it has time for, not all of them.
      for (let i = 0; i < 20; i++) await Promise.resolve();
      const inFirstTask = rendered();
      expect(inFirstTask, 'rendered in the first task').to.be.below(60);
      // One not yet rendered shows its own markup: its code.
      const waiting = cells[59]!;
      const slot = waiting.shadowRoot!.querySelector('slot');
      expect(
        slot
          ?.assignedNodes()
          .map((node) => node.textContent)
          .join(''),
      ).to.equal('print(59)');
      await Promise.all(cells.map((cell) => cell.updateComplete));
      expect(rendered()).to.equal(60);
      // Rendered, it no longer shows its markup but its editor.
      expect(Array.from(waiting.shadowRoot!.children).some((element) => element.localName === 'slot')).to.equal(false);
      expect(waiting.shadowRoot!.querySelector('textarea')!.value).to.equal('print(59)');
    } finally {
      container.remove();
    }
  });

  it('shows one-line code on one line, with no empty line under it', async () => {
    const one = addCell('print(1)');
    const two = addCell('print(1)\nprint(2)');
    await Promise.all([one.updateComplete, two.updateComplete]);
    const height = (cell: PyCell) => cell.shadowRoot!.querySelector('[part="editor"]')!.getBoundingClientRect().height;
    const pre = getComputedStyle(one.shadowRoot!.querySelector('.highlight')!);
    const line = parseFloat(pre.lineHeight);
    expect(height(two) - height(one)).to.be.closeTo(line, 1);
    expect(height(one)).to.be.closeTo(line + parseFloat(pre.paddingTop) + parseFloat(pre.paddingBottom), 1);
    one.remove();
    two.remove();
  });
});
