// Teaching: input() answered in a field in the cell, exercises (check, hints, solution) and edits
// kept across visits, in real Pyodide. Reading from the reader needs WebAssembly stack switching
// (Chromium, Firefox) on an ordinary page; WebKit has none, so there it is tested on a cross-origin
// isolated page (Atomics), and on an ordinary page for its clear error.
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import type { PyCell } from '../../components/py-cell/py-cell.js';
import { addCell, engine, keyboardDriven, outputArea, partText, reportFromPage, runtimeWhere, sleep, waitFor } from './helpers.js';

/** Whether this engine has WebAssembly stack switching (JSPI), with which Python waits on any page. */
const jspi = 'Suspending' in WebAssembly;

/** A test of reading from the reader on an ordinary page: where stack switching lets Python wait. */
const itWithJspi = (title: string, test: () => Promise<void>) => {
  if (jspi) it(`${title} (stack switching: Chromium, Firefox)`, test);
};

const field = (cell: PyCell) => cell.shadowRoot!.querySelector<HTMLInputElement>('[part="input"]');
const part = (cell: PyCell, name: string) => cell.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`);
const parts = (cell: PyCell, name: string) => Array.from(cell.shadowRoot!.querySelectorAll<HTMLElement>(`[part="${name}"]`));

/** The text of `node`, through the shadow roots inside it (sanitised outputs have their own). */
function deepText(node: Node): string {
  if (node instanceof Element && node.shadowRoot) return deepText(node.shadowRoot);
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (node instanceof HTMLStyleElement) return '';
  return Array.from(node.childNodes).map(deepText).join('');
}

/** Follows a cell's requests for input: the prompts it showed, in order. */
class Reader {
  readonly prompts: string[] = [];
  private answered = 0;

  constructor(private readonly cell: PyCell) {
    cell.addEventListener('py-cell-input', (event) => this.prompts.push(event.detail.prompt));
  }

  /** Waits for the next request, then types `line` and Enter into the field (`null`: Ctrl+D). */
  async type(line: string | null): Promise<HTMLInputElement> {
    this.answered++;
    await waitFor(() => this.prompts.length >= this.answered && field(this.cell) !== null, `request ${this.answered} for input`);
    const input = field(this.cell)!;
    if (keyboardDriven) {
      expect(this.cell.shadowRoot!.activeElement === input, 'the field has the focus').to.equal(true);
      if (line === null) {
        await sendKeys({ down: 'Control' });
        await sendKeys({ press: 'd' });
        await sendKeys({ up: 'Control' });
      } else {
        if (line) await sendKeys({ type: line });
        await sendKeys({ press: 'Enter' });
      }
    } else {
      // WebKit under WebDriver classic cannot hold Control: the same keydown, from the page.
      input.value = line ?? '';
      const key = line === null ? { key: 'd', ctrlKey: true } : { key: 'Enter' };
      input.dispatchEvent(new KeyboardEvent('keydown', { ...key, bubbles: true, composed: true, cancelable: true }));
    }
    return input;
  }
}

/** An exercise cell made of the parts an author writes in the markup. */
function addExercise(options: {
  code: string;
  setup?: string;
  check?: string;
  hints?: string[];
  solution?: string;
  attributes?: Record<string, string>;
}): PyCell {
  const cell = document.createElement('py-cell');
  cell.setAttribute('exercise', '');
  for (const [name, value] of Object.entries(options.attributes ?? {})) cell.setAttribute(name, value);
  const script = (code: string, role?: string) => {
    const element = document.createElement('script');
    element.type = 'text/x-python';
    if (role) element.setAttribute(`data-${role}`, '');
    element.textContent = code;
    cell.append(element);
  };
  if (options.setup !== undefined) script(options.setup, 'setup');
  script(options.code);
  if (options.check !== undefined) script(options.check, 'check');
  for (const hint of options.hints ?? []) {
    const template = document.createElement('template');
    template.setAttribute('data-hint', '');
    template.innerHTML = hint;
    cell.append(template);
  }
  if (options.solution !== undefined) script(options.solution, 'solution');
  document.body.append(cell);
  return cell;
}

const clearCells = () => {
  for (const cell of document.querySelectorAll('py-cell')) cell.remove();
};

describe('input()', () => {
  afterEach(clearCells);

  itWithJspi('asks in a field after the prompt; Enter echoes the line and Python receives it', async () => {
    // Python tells the page it has the line on a BroadcastChannel: measured on the page's clock.
    const cell = addCell(
      'name = input("Your name? ")\nfrom js import BroadcastChannel\nBroadcastChannel.new("py-cell-received").postMessage(name)\nprint(f"Hello, {name}!")',
    );
    const reader = new Reader(cell);
    let entered = 0;
    cell.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') entered = performance.now();
    });
    const channel = new BroadcastChannel('py-cell-received');
    const received = new Promise<number>((resolve) => (channel.onmessage = () => resolve(performance.now())));
    try {
      const running = cell.run();
      await waitFor(() => field(cell) !== null, 'the input field');
      expect(cell.status).to.equal('running');
      expect(partText(cell, 'stdout')).to.equal('Your name? ');
      const input = field(cell)!;
      expect(input.getAttribute('aria-label')).to.equal('Your name?');
      expect(input.type).to.equal('text');
      await reader.type('Ada');
      const result = await running;
      expect(result.status).to.equal('done');
      expect(reader.prompts).to.deep.equal(['Your name? ']);
      expect(partText(cell, 'stdout')).to.equal('Your name? Ada\nHello, Ada!\n');
      expect(field(cell), 'the field is gone').to.equal(null);
      const latency = (await received) - entered;
      console.log(`input() (${engine}): Enter to Python having the line (and telling the page): ${latency.toFixed(1)} ms`);
      expect(entered).to.be.above(0);
      expect(latency).to.be.within(0, 1000);
    } finally {
      channel.close();
    }
  });

  itWithJspi('reads sys.stdin by lines, to the end of input (Ctrl+D); input() at the end raises EOFError', async () => {
    const cell = addCell(
      'import sys\nfirst = sys.stdin.readline()\nrest = sys.stdin.read()\nprint(repr(first), repr(rest))\ntry:\n    input("more? ")\nexcept EOFError as error:\n    print("EOFError:", error)',
    );
    const reader = new Reader(cell);
    const running = cell.run();
    await reader.type('one');
    await reader.type('two');
    await reader.type('three');
    await reader.type(null);
    await reader.type(null);
    expect((await running).status).to.equal('done');
    expect(reader.prompts).to.deep.equal(['', '', '', '', 'more? ']);
    expect(partText(cell, 'stdout')).to.equal("one\ntwo\nthree\n\n'one\\n' 'two\\nthree\\n'\nmore? \nEOFError: EOF when reading a line\n");
  });

  itWithJspi('does not echo what getpass.getpass() is given, in a password field', async () => {
    const cell = addCell('import getpass\nsecret = getpass.getpass()\nprint(len(secret), secret == "hunter2")');
    const reader = new Reader(cell);
    const running = cell.run();
    await waitFor(() => field(cell) !== null, 'the password field');
    expect(field(cell)!.type).to.equal('password');
    await reader.type('hunter2');
    expect((await running).status).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('Password: \n7 True\n');
    expect(outputArea(cell)!.textContent).to.not.contain('hunter2');
  });

  itWithJspi('stops at once while waiting: KeyboardInterrupt, every variable kept, no restart (page not isolated)', async () => {
    expect(crossOriginIsolated).to.equal(false);
    const setup = addCell('kept = 41', { session: 'stop-wait' });
    await setup.run();
    const cell = addCell('kept += 1\nanswer = input("Waiting: ")', { session: 'stop-wait' });
    const running = cell.run();
    await waitFor(() => field(cell) !== null, 'the input field');
    const restarts = runtimeWhere('worker|').stats.restarts;
    const stopped = performance.now();
    cell.stop();
    const result = await running;
    const latency = performance.now() - stopped;
    console.log(`input() (${engine}): Stop while waiting to the run's end: ${latency.toFixed(1)} ms`);
    expect(result.status).to.equal('error');
    expect(result.error?.type).to.equal('KeyboardInterrupt');
    expect(result.error?.failure).to.equal(undefined);
    expect(latency).to.be.below(1000);
    expect(field(cell)).to.equal(null);
    expect(runtimeWhere('worker|').stats.restarts, 'no restart').to.equal(restarts);
    const check = addCell('kept', { session: 'stop-wait' });
    await check.run();
    expect(partText(check, 'result')).to.equal('42');
  });

  itWithJspi('does not count the wait against a time limit', async () => {
    const cell = addCell('line = input("slowly: ")\nprint("got", line)', { timeout: '1' });
    const reader = new Reader(cell);
    const running = cell.run();
    await waitFor(() => field(cell) !== null, 'the input field');
    await sleep(1600);
    await reader.type('late');
    const result = await running;
    expect(result.status, result.error?.message).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('slowly: late\ngot late\n');
  });

  itWithJspi('queues other cells behind a cell that waits', async () => {
    const asking = addCell('first = input("first? ")');
    const reader = new Reader(asking);
    const waiting = asking.run();
    await waitFor(() => field(asking) !== null, 'the input field');
    const other = addCell('print("after")');
    let settled = false;
    const next = other.run().then((result) => {
      settled = true;
      return result;
    });
    await sleep(500);
    expect(settled, 'the other cell waits its turn').to.equal(false);
    expect(partText(other, 'stdout')).to.equal('');
    await reader.type('yes');
    expect((await waiting).status).to.equal('done');
    expect((await next).status).to.equal('done');
    expect(partText(other, 'stdout')).to.equal('after\n');
  });

  itWithJspi('run again while it waits, or removed, a cell ends its wait: the page never hangs', async () => {
    const cell = addCell('print("asked", input("again? "))');
    const first = cell.run();
    await waitFor(() => field(cell) !== null, 'the first field');
    const reader = new Reader(cell); // the second run's requests
    const second = cell.run();
    expect((await first).error?.type, 'the first run').to.equal('KeyboardInterrupt');
    await reader.type('second');
    expect((await second).status).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('again? second\nasked second\n');
    const removed = addCell('input("gone? ")');
    const waiting = removed.run();
    await waitFor(() => field(removed) !== null, 'the field of the cell to remove');
    removed.remove();
    await waiting;
    const after = addCell('"still running"');
    await after.run();
    expect(partText(after, 'result')).to.equal("'still running'");
  });

  itWithJspi('replays a run with the lines it was given when Stop restarts Python, without asking again', async () => {
    const asking = addCell('x = input("x? ")\nprint("got", x)', { session: 'replayed' });
    const reader = new Reader(asking);
    const first = asking.run();
    await reader.type('7');
    expect((await first).status).to.equal('done');
    const loop = addCell('print("looping", flush=True)\nwhile True:\n    pass', { session: 'other' });
    const looping = loop.run();
    await waitFor(() => partText(loop, 'stdout').includes('looping'), 'the loop');
    const runtime = runtimeWhere('worker|');
    const { restarts, replayedRuns } = runtime.stats;
    loop.stop();
    const stopped = await looping;
    expect(stopped.error?.failure).to.equal('stopped');
    expect(runtime.stats.restarts).to.equal(restarts + 1);
    expect(runtime.stats.replayedRuns).to.be.above(replayedRuns);
    expect(reader.prompts, 'asked once, the first time').to.deep.equal(['x? ']);
    const check = addCell('x', { session: 'replayed' });
    await check.run();
    expect(partText(check, 'result')).to.equal("'7'");
  });

  itWithJspi('asks in a main-thread cell too', async () => {
    const cell = addCell('word = input("word? ")\nprint(word.upper())', { 'main-thread': '' });
    const reader = new Reader(cell);
    const running = cell.run();
    await reader.type('shout');
    expect((await running).status).to.equal('done');
    expect(partText(cell, 'stdout')).to.equal('word? shout\nSHOUT\n');
  });

  if (!jspi) {
    it('says what the browser lacks, and how to enable the fallback, where Python cannot wait (WebKit, page not isolated)', async () => {
      expect(crossOriginIsolated).to.equal(false);
      const cell = addCell('name = input("Your name? ")');
      const result = await cell.run();
      expect(result.status).to.equal('error');
      expect(result.error?.type).to.equal('RuntimeError');
      expect(result.error?.message).to.contain('stack switching');
      expect(result.error?.message).to.contain("configure({ inputServiceWorker: '/path/to/py-cell-sw.js' })");
      expect(field(cell)).to.equal(null);
      const after = addCell('1 + 1');
      await after.run();
      expect(partText(after, 'result')).to.equal('2');
    });
  }

  if (!jspi) {
    it("asks through py-cell's service worker where the site serves it, however long the reader takes (WebKit, page not isolated)", async () => {
      const data = await reportFromPage<{
        isolated: boolean;
        controlled: boolean;
        statuses: string[];
        errors: Array<string | null>;
        outputs: string[];
        stop: { type?: string; failure: string | null; ms: number };
        kept: string;
      }>('/test/pages/input-sw.html', 'py-cell-input-sw');
      console.log(`input() through the service worker (${engine}): Stop while waiting to the run's end: ${data.stop.ms.toFixed(1)} ms`);
      expect(data.isolated).to.equal(false);
      expect(data.controlled, 'the service worker controls the page').to.equal(true);
      expect(data.errors).to.deep.equal([null, null, null]);
      expect(data.statuses).to.deep.equal(['done', 'done', 'done']);
      expect(data.outputs[2], 'answered after the service worker held the request 20 s').to.equal('Slow? my time\ntook my time\n');
      expect(data.outputs[0]).to.equal('Name? Ada\nHello, Ada\n');
      expect(data.outputs[1]).to.contain("'one\\n' ''");
      expect(data.stop).to.include({ type: 'KeyboardInterrupt', failure: null });
      expect(data.stop.ms).to.be.below(1000);
      expect(data.kept, 'no restart: the variable is kept').to.equal('1');
    });
  }

  it('asks on a cross-origin isolated page, and stops there at once, variables kept (Atomics where there is no stack switching)', async () => {
    const data = await reportFromPage<{
      isolated: boolean;
      hello: string;
      prompts: string[];
      stop: { type?: string; failure?: string };
      stopMs: number;
      check: string;
    }>('/test/pages/input.html?coi=1', 'py-cell-input-page');
    console.log(`input() on an isolated page (${engine}): Stop while waiting to the run's end: ${data.stopMs.toFixed(1)} ms`);
    expect(data.isolated).to.equal(true);
    expect(data.hello).to.equal('Name? Ada\nHello, Ada\n');
    expect(data.prompts).to.deep.equal(['Name? ', 'Waiting? ']);
    expect(data.stop).to.deep.equal({ type: 'KeyboardInterrupt' });
    expect(data.stopMs).to.be.below(1000);
    expect(data.check).to.equal('42');
  });
});

describe('exercises', () => {
  afterEach(clearCells);

  const SQUARES = {
    setup: 'numbers = [3, 1, 4, 1, 5]\nprint("setup output is hidden")',
    check: 'assert total == 52, "total should be the sum of the squares: 52"',
    hints: ['Square each number with <code>n * n</code>.', 'Then add them up with <code>sum()</code>.'],
    solution: 'total = sum(n * n for n in numbers)',
  };

  it('says Correct when the check passes, and fires py-cell-check', async () => {
    const cell = addExercise({ ...SQUARES, code: 'total = sum(n * n for n in numbers)\nprint("mine")' });
    const events: Array<{ correct: boolean; message: string; attempts: number }> = [];
    cell.addEventListener('py-cell-check', (event) => events.push({ ...event.detail }));
    const verdict = await cell.check();
    expect(verdict).to.deep.equal({ correct: true, message: 'Correct', attempts: 1 });
    expect(events).to.deep.equal([{ correct: true, message: 'Correct', attempts: 1 }]);
    expect(part(cell, 'feedback')!.textContent).to.contain('Correct');
    expect(part(cell, 'feedback')!.getAttribute('role')).to.equal('status');
    expect(partText(cell, 'stdout'), 'the setup prints nothing visible').to.equal('mine\n');
    expect(part(cell, 'check-button')!.textContent.trim()).to.equal('Check');
  });

  it("shows the check's assert message when it fails, counting attempts", async () => {
    const cell = addExercise({ ...SQUARES, code: 'total = sum(numbers)' });
    const first = await cell.check();
    expect(first).to.deep.equal({ correct: false, message: 'total should be the sum of the squares: 52', attempts: 1 });
    expect(part(cell, 'feedback')!.textContent).to.equal('total should be the sum of the squares: 52');
    const second = await cell.check();
    expect(second.attempts).to.equal(2);
  });

  it("shows an error in the learner's code as usual, and the attempt is not correct", async () => {
    const cell = addExercise({ ...SQUARES, code: 'total = sum(n * n for n in numbrs)' });
    const verdict = await cell.check();
    expect(verdict.correct).to.equal(false);
    expect(verdict.message).to.contain('NameError');
    expect(partText(cell, 'error')).to.contain("NameError: name 'numbrs' is not defined");
  });

  it('runs nothing while blanks are left, on Run and on Check', async () => {
    const cell = addExercise({ ...SQUARES, code: 'total = ______' });
    const run = await cell.run();
    expect(run.status).to.equal('error');
    expect(run.error?.failure).to.equal('blanks');
    expect(part(cell, 'feedback')!.textContent).to.equal('Fill in the blanks (______) first.');
    const verdict = await cell.check();
    expect(verdict).to.deep.equal({ correct: false, message: 'Fill in the blanks (______) first.', attempts: 0 });
    expect(partText(cell, 'stdout')).to.equal('');
    expect(partText(cell, 'error')).to.equal('');
  });

  it('starts every Run and Check from a fresh namespace, apart from other cells', async () => {
    const outside = addCell('shared = "from another cell"');
    await outside.run();
    const cell = addExercise({
      code: 'print(sorted(name for name in globals() if not name.startswith("__")))\nleftover = 1',
      setup: 'given = 2',
      check: 'assert leftover == 1',
    });
    await cell.run();
    await cell.run();
    expect(await cell.check()).to.deep.equal({ correct: true, message: 'Correct', attempts: 1 });
    expect(partText(cell, 'stdout')).to.equal("['given']\n");
  });

  it('gives the check code pycell.answer: the last value, what was printed, the code', async () => {
    const code = 'print("hi")\nprint("there")\n2 * 3';
    const cell = addExercise({
      code,
      check: [
        'from pycell import answer',
        'assert answer.result == 6, repr(answer.result)',
        'assert answer.stdout == "hi\\nthere\\n", repr(answer.stdout)',
        `assert answer.code == ${JSON.stringify(code)}, repr(answer.code)`,
      ].join('\n'),
    });
    expect(await cell.check()).to.deep.equal({ correct: true, message: 'Correct', attempts: 1 });
    const none = addExercise({ code: 'x = 1', check: 'import pycell\nassert pycell.answer.result is None' });
    expect((await none.check()).correct).to.equal(true);
  });

  it('reveals the hints one at a time, in order, sanitised', async () => {
    const cell = addExercise({
      ...SQUARES,
      code: 'total = 0',
      hints: [...SQUARES.hints, 'Last <img src="x" onerror="window.hintRan = true">'],
    });
    await cell.updateComplete;
    const button = () => part(cell, 'hint-button');
    expect(button()!.textContent.trim()).to.equal('Hint 1 of 3');
    expect(parts(cell, 'hint')).to.have.length(0);
    for (let shown = 1; shown <= 3; shown++) {
      button()!.click();
      await cell.updateComplete;
      await waitFor(
        () => parts(cell, 'hint').length === shown && deepText(parts(cell, 'hint')[shown - 1]!).includes(shown === 3 ? 'Last' : 'with'),
        `hint ${shown}`,
      );
      if (shown < 3) expect(button()!.textContent.trim()).to.equal(`Hint ${shown + 1} of 3`);
    }
    expect(button(), 'no more hints').to.equal(null);
    expect(parts(cell, 'hint').map(deepText)).to.deep.equal([
      'Hint 1Square each number with n * n.',
      'Hint 2Then add them up with sum().',
      'Hint 3Last ',
    ]);
    await sleep(100);
    expect((window as { hintRan?: boolean }).hintRan).to.equal(undefined);
  });

  it('offers the solution after solution-after failed checks (default 1; 0 at once; also once solved), and puts it in the editor', async () => {
    const byDefault = addExercise({ ...SQUARES, code: 'total = 0' });
    await byDefault.updateComplete;
    expect(part(byDefault, 'solution-button'), 'not before a failed check').to.equal(null);
    await byDefault.check();
    const button = part(byDefault, 'solution-button')!;
    expect(button.textContent.trim()).to.equal('Solution');
    button.click();
    await byDefault.updateComplete;
    expect(part(byDefault, 'solution')!.querySelector('pre')!.textContent).to.equal(SQUARES.solution);
    expect(part(byDefault, 'solution-button')!.getAttribute('aria-expanded')).to.equal('true');
    const put = Array.from(part(byDefault, 'solution')!.querySelectorAll('button')).find((b) => b.textContent === 'Put it in the editor')!;
    put.click();
    await byDefault.updateComplete;
    expect(byDefault.code).to.equal(SQUARES.solution);
    expect((await byDefault.check()).correct).to.equal(true);

    const atOnce = addExercise({ ...SQUARES, code: 'total = 0', attributes: { 'solution-after': '0' } });
    await atOnce.updateComplete;
    expect(part(atOnce, 'solution-button'), 'solution-after="0"').to.not.equal(null);

    const afterTwo = addExercise({ ...SQUARES, code: 'total = 0', attributes: { 'solution-after': '2' } });
    await afterTwo.check();
    expect(part(afterTwo, 'solution-button'), 'one failed check of two').to.equal(null);
    await afterTwo.check();
    expect(part(afterTwo, 'solution-button'), 'two failed checks').to.not.equal(null);

    const solved = addExercise({ ...SQUARES, code: SQUARES.solution, attributes: { 'solution-after': '5' } });
    await solved.check();
    expect(part(solved, 'solution-button'), 'solved').to.not.equal(null);
  });

  it('marks py-cell failures apart from a check that raised a RuntimeError', async () => {
    const cell = addExercise({ code: 'x = 1', check: 'raise RuntimeError("the check itself broke")' });
    const verdict = await cell.check();
    expect(verdict).to.deep.equal({ correct: false, message: 'Not yet: RuntimeError: the check itself broke', attempts: 1 });
    expect(part(cell, 'retry-button')).to.equal(null);
  });

  it('checks with the builtins Python started with, whatever another cell patched', async () => {
    const patcher = addCell('import builtins\nreal_sum = builtins.sum\nbuiltins.sum = lambda *args, **kwargs: 0', { session: 'patcher' });
    expect((await patcher.run()).status).to.equal('done');
    try {
      const cell = addExercise({ ...SQUARES, code: SQUARES.solution });
      expect(await cell.check()).to.deep.equal({ correct: true, message: 'Correct', attempts: 1 });
    } finally {
      expect((await addCell('builtins.sum = real_sum', { session: 'patcher' }).run()).status).to.equal('done');
    }
  });

  it("keeps every exercise's verdict from learner code that replaces py-cell's machinery in another exercise", async () => {
    const cheat = addExercise({
      code: [
        'import pycell, pycell._exercise as exercise, pycell._runner as runner',
        'pycell.kept_machinery = (exercise.verdict, exercise.learner_error, runner._hidden, runner.run)',
        'passed = lambda *args, **kwargs: {"correct": True, "message": "Correct"}',
        'exercise.verdict = exercise.learner_error = passed',
        'async def nothing_raised(*args, **kwargs):',
        '    return None',
        'runner._hidden = nothing_raised',
        'real_run = runner.run',
        'async def every_check_passes(code, session, filename, run, setup=None, check=None):',
        '    if check is None:',
        '        return await real_run(code, session, filename, run, setup, check)',
        '    return {"status": "done", "elapsedMs": 0, "check": passed()}',
        'runner.run = every_check_passes',
      ].join('\n'),
      check: 'pass',
    });
    try {
      expect((await cheat.run()).status).to.equal('done');
      const wrong = addExercise({ ...SQUARES, code: 'total = 0' });
      expect(await wrong.check()).to.deep.equal({ correct: false, message: 'total should be the sum of the squares: 52', attempts: 1 });
      const broken = addExercise({ ...SQUARES, code: 'total = undefined_name' });
      expect(await broken.check()).to.deep.equal({
        correct: false,
        message: "Not yet: your code raised NameError: name 'undefined_name' is not defined",
        attempts: 1,
      });
    } finally {
      const restore = addCell(
        'import pycell, pycell._exercise as exercise, pycell._runner as runner\n' +
          'exercise.verdict, exercise.learner_error, runner._hidden, runner.run = pycell.kept_machinery',
        { session: 'restorer' },
      );
      expect((await restore.run()).status).to.equal('done');
    }
  });

  it('keeps exercise namespaces apart from every session, session="exercise N" included', async () => {
    const cell = addExercise({
      code: 'mine = 1\nprint(sorted(name for name in globals() if not name.startswith("__")))',
      setup: 'given = 2',
      check: 'assert mine == 1',
    });
    await cell.updateComplete;
    const number = /\d+$/.exec(outputArea(cell)!.getAttribute('aria-label')!)![0];
    const session = { session: `exercise ${number}` };
    expect((await addCell('kept = "a session variable"', session).run()).status).to.equal('done');
    expect(await cell.check()).to.deep.equal({ correct: true, message: 'Correct', attempts: 1 });
    expect(partText(cell, 'stdout')).to.equal("['given', 'mine']\n");
    const after = addCell('print(sorted(name for name in globals() if not name.startswith("__")))', session);
    expect((await after.run()).status).to.equal('done');
    expect(partText(after, 'stdout'), "the session's variables, and nothing of the exercise").to.equal("['kept']\n");
  });

  it("fails the check, saying why, when the learner's code raises KeyboardInterrupt or SystemExit", async () => {
    const interrupted = addExercise({ ...SQUARES, code: 'raise KeyboardInterrupt' });
    expect(await interrupted.check()).to.deep.equal({
      correct: false,
      message: 'Not yet: your code raised KeyboardInterrupt.',
      attempts: 1,
    });
    expect(part(interrupted, 'feedback')!.textContent).to.equal('Not yet: your code raised KeyboardInterrupt.');
    const exited = addExercise({ ...SQUARES, code: 'import sys\nsys.exit(3)' });
    expect(await exited.check()).to.deep.equal({ correct: false, message: 'Not yet: your code raised SystemExit: 3', attempts: 1 });
    const fromCheck = addExercise({ code: 'def f():\n    raise KeyboardInterrupt', check: 'f()' });
    expect(await fromCheck.check()).to.deep.equal({ correct: false, message: 'Not yet: KeyboardInterrupt.', attempts: 1 });
  });

  itWithJspi('counts no attempt when the reader stops a check (Stop while the code waits for input)', async () => {
    const cell = addExercise({ ...SQUARES, code: 'total = int(input("Total? "))' });
    const checked = cell.check();
    await waitFor(() => field(cell) !== null, 'the input field');
    cell.stop();
    const verdict = await checked;
    expect(verdict).to.include({ correct: false, attempts: 0 });
    expect(part(cell, 'feedback')!.textContent).to.equal('');
  });
});

describe('persist', () => {
  afterEach(() => {
    clearCells();
    localStorage.clear();
  });

  /** Opens `url` in `frame`, or reloads it (a reader's visit, then the next); its document once py-cell is defined. */
  async function loadOrReload(frame: HTMLIFrameElement, url: string): Promise<Document> {
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    if (frame.isConnected) frame.contentWindow!.location.reload();
    else {
      frame.src = url;
      document.body.append(frame);
    }
    await loaded;
    await frame.contentWindow!.customElements.whenDefined('py-cell');
    return frame.contentDocument!;
  }

  /** Types `text` at the end of the cell's editor, as a reader would (an input event). */
  async function edit(cell: PyCell, text: string): Promise<void> {
    await cell.updateComplete;
    const textarea = part(cell, 'textarea') as HTMLTextAreaElement;
    textarea.value += text;
    textarea.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: text }));
    await cell.updateComplete;
  }

  it("keeps the reader's code and an exercise's progress across a reload; Reset forgets the edit", async () => {
    const frame = document.createElement('iframe');
    const load = async () => {
      const doc = await loadOrReload(frame, '/test/pages/persist.html');
      const [plain, exercise] = ['plain', 'exercise'].map((id) => doc.getElementById(id) as PyCell);
      await plain!.updateComplete;
      await exercise!.updateComplete;
      return { plain: plain!, exercise: exercise! };
    };
    try {
      let page = await load();
      expect(page.plain.code).to.equal('x = 1');
      await edit(page.plain, '\nprint(x)');
      expect(await page.exercise.check()).to.include({ correct: false, attempts: 1 });
      page.exercise.code = 'total = 6';
      expect(await page.exercise.check()).to.include({ correct: true, attempts: 2 });
      await sleep(400); // saved 250 ms after the last change

      page = await load();
      expect(page.plain.code).to.equal('x = 1\nprint(x)');
      expect(part(page.exercise, 'solution-button'), 'solved before: the solution is offered').to.not.equal(null);
      expect(await page.exercise.check()).to.include({ attempts: 3 });

      page.plain.reset();
      await sleep(400);
      page = await load();
      expect(page.plain.code).to.equal('x = 1');
    } finally {
      frame.remove();
    }
  });

  it('keeps the code of every cell with configure({ persist: true }), even when it comes after the cells upgraded', async () => {
    const frame = document.createElement('iframe');
    const load = async () => {
      const cell = (await loadOrReload(frame, '/test/pages/persist-config.html')).getElementById('page-wide') as PyCell;
      await waitFor(() => cell.hasUpdated, 'the cell');
      await cell.updateComplete;
      return cell;
    };
    try {
      let cell = await load();
      expect(cell.persist, 'no persist attribute').to.equal(false);
      await edit(cell, '\nz * 2');
      await sleep(400);
      cell = await load();
      await waitFor(() => cell.code !== 'z = 3', 'the saved code', 5000);
      expect(cell.code).to.equal('z = 3\nz * 2');
    } finally {
      frame.remove();
    }
  });

  it('does not show an edit saved for other code in the page (the example changed)', async () => {
    const first = addCell('print("version 1")', { id: 'changing', persist: '' });
    await edit(first, '  # mine');
    await sleep(400);
    first.remove();
    const changed = addCell('print("version 2")', { id: 'changing', persist: '' });
    expect(changed.code).to.equal('print("version 2")');
    changed.remove();
    const same = addCell('print("version 1")', { id: 'changing', persist: '' });
    expect(same.code).to.equal('print("version 1")  # mine');
  });

  it('keeps saved work with its cell when cells are added or removed around it: the key is its id, else what the page wrote in it', async () => {
    const PLACEHOLDER = '# your code here';
    /** A visit: the cells written `above`, then two exercises and two cells that start with the same code. */
    const visit = async (above: string[], withFirst = true) => {
      for (const code of above) addCell(code, { persist: '' });
      const exercise = (n: number) =>
        addExercise({ code: PLACEHOLDER, check: `assert answer == ${n}, "not yet"`, attributes: { persist: '' } });
      const cells = {
        first: withFirst ? exercise(1) : null,
        second: exercise(2),
        plain: addCell(PLACEHOLDER, { persist: '' }),
        twin: addCell(PLACEHOLDER, { persist: '' }),
      };
      for (const cell of Object.values(cells)) await cell?.updateComplete;
      return cells;
    };
    let page = await visit([]);
    page.second.code = 'answer = 2';
    expect(await page.second.check()).to.include({ correct: true, attempts: 1 });
    await edit(page.twin, '\nmine = 1');
    await sleep(400);
    clearCells();

    page = await visit(['print("a cell the author added at the top")', 'x = 1']);
    expect(page.first!.code, 'the first exercise').to.equal(PLACEHOLDER);
    expect(page.second.code, 'the second exercise').to.equal('answer = 2');
    expect(page.plain.code).to.equal(PLACEHOLDER);
    expect(page.twin.code).to.equal(`${PLACEHOLDER}\nmine = 1`);
    expect((await page.first!.check()).attempts, "the first exercise's checks").to.equal(1);
    expect((await page.second.check()).attempts, "the second exercise's checks").to.equal(2);
    await sleep(400);
    clearCells();

    page = await visit([], false);
    expect(page.second.code).to.equal('answer = 2');
    expect(page.plain.code).to.equal(PLACEHOLDER);
    expect(page.twin.code).to.equal(`${PLACEHOLDER}\nmine = 1`);
    expect((await page.second.check()).attempts).to.equal(3);
  });

  it('saves an edit made just before a client-side navigation under the page it was made on, and nothing once the cell is gone', async () => {
    const here = location.href;
    const cell = addCell('spa = 1', { persist: '' });
    await edit(cell, '\nspa += 1');
    history.pushState(null, '', '/elsewhere/next-page.html');
    try {
      cell.remove(); // the router's next view replaces the cell
      await sleep(400);
      cell.reset(); // a script, on a cell no longer in the page
      await sleep(400);
    } finally {
      history.replaceState(null, '', here);
    }
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i)!);
    expect(
      keys.filter((key) => key.includes('elsewhere')),
      'nothing under the next page',
    ).to.deep.equal([]);
    expect(keys, 'one entry').to.have.length(1);
    expect(keys[0]).to.contain(`py-cell:${location.pathname}#`);
    expect(addCell('spa = 1', { persist: '' }).code).to.equal('spa = 1\nspa += 1');
  });

  it('validates saved work when it reads it: a tampered entry is ignored, with one warning', async () => {
    const exercise = () =>
      addExercise({ code: 'total = 0', check: 'assert total == 6', solution: 'total = 6', attributes: { persist: '' } });
    const first = exercise();
    await first.updateComplete;
    first.code = 'total = 1';
    expect(await first.check()).to.include({ correct: false, attempts: 1 });
    await sleep(400);
    clearCells();
    expect(localStorage.length).to.equal(1);
    const key = localStorage.key(0)!;
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(String(args[0]));
    try {
      for (const progress of [
        { attempts: '1e9', failed: 0, solved: false },
        { attempts: 1, failed: 0, solved: 'no' },
        { attempts: 1e9, failed: 0, solved: false },
        { attempts: -1, failed: 0, solved: false },
      ]) {
        localStorage.setItem(key, JSON.stringify({ code: 42, exercise: progress }));
        const cell = exercise();
        await cell.updateComplete;
        expect(cell.code, JSON.stringify(progress)).to.equal('total = 0');
        expect(part(cell, 'solution-button'), 'not solved').to.equal(null);
        expect((await cell.check()).attempts, JSON.stringify(progress)).to.equal(1);
        cell.remove();
        localStorage.clear();
      }
    } finally {
      console.warn = warn;
    }
    expect(
      warnings.filter((text) => text.includes('saved work')),
      'one warning for each tampered entry',
    ).to.have.length(4);
  });

  it('keeps nothing without persist', async () => {
    const cell = addCell('y = 2', { id: 'forgetful' });
    await edit(cell, '\ny');
    await sleep(400);
    expect(localStorage.length).to.equal(0);
  });

  it('works unsaved when storage is blocked, with one warning for the page', async () => {
    const setItem = Object.getOwnPropertyDescriptor(Storage.prototype, 'setItem')!;
    const warn = console.warn;
    const warnings: string[] = [];
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
    console.warn = (...args: unknown[]) => void warnings.push(String(args[0]));
    try {
      const cells = [addCell('a = 1', { persist: '' }), addCell('b = 2', { persist: '' })];
      for (const cell of cells) await edit(cell, '\nprint("edited")');
      await sleep(400);
      const result = await cells[1]!.run();
      expect(result.status).to.equal('done');
      expect(partText(cells[1]!, 'stdout')).to.equal('edited\n');
    } finally {
      Object.defineProperty(Storage.prototype, 'setItem', setItem);
      console.warn = warn;
    }
    expect(warnings.filter((text) => text.includes('localStorage'))).to.have.length(1);
  });
});
