import { IntersectionController } from '@lit-labs/observers/intersection-controller.js';
import { MutationController } from '@lit-labs/observers/mutation-controller.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { isRetryable } from '../../runtime/index.js';
import type { CheckVerdict } from '../../runtime/index.js';
import type { RuntimeClient } from '../../runtime/index.js';
import { currentConfig, getRuntime, onConfigure } from '../../runtime/index.js';
import { parseTimeout, sessionName } from '../../cell/attributes.js';
import { RunController, type CellStatus, type InputField } from '../controllers/run-controller.js';
import { CellMemory, storageKey } from '../controllers/persistence.js';
import { PreloadController } from '../controllers/preload.js';
import { CodeEditor, editorStyles } from '../editor/editor.js';
import { Exercise, exerciseStyles } from '../exercise/exercise.js';
import {
  PyCellCheckEvent,
  PyCellDoneEvent,
  PyCellInputEvent,
  PyCellRunEvent,
  type PyCellCheckResult,
  type PyCellRunResult,
} from '../events.js';
import { renderItem } from '../outputs/render.js';
import { readExercise, readSource } from '../../cell/source.js';
import { renderInputField } from './input-field.js';
import { storedOutputs } from './show-stored-outputs.js';
import { pageNeeds, prepareRun } from '../../cell/run-request.js';
import { announcement, renderProgress, statusText } from './status.js';
import { styles } from './styles.js';

let cellCount = 0;

/** Restores every cell's saved work (set by the class, which may reach its private parts). */
let restoreSavedWork = (): void => undefined;
// `configure({ persist: true })` often runs after the cells in the markup were upgraded. Called
// here, at the top level, rather than in the class's static block: minified, a call there became
// a `var` inside the block, which Rollup 4 (and so Vite) wrongly hoists out of it when an app
// bundles dist/py-cell.js, dropping the class that `var` shadows.
onConfigure(() => restoreSavedWork());

/**
 * Live, editable Python. All cells of a page share one Python runtime (Pyodide in a Web
 * Worker), started when the reader is about to run a cell: the pointer rests on one, or focus
 * enters one (`configure({preload})` changes when), else at the first run.
 *
 * @summary An editable Python cell that runs in the browser.
 *
 * @attr session - Cells with the same session share global variables; cells of different
 *   sessions are isolated. Default: the page's default session. In a named session, running a
 *   cell first runs the session's earlier cells that have not run in this page view, in page
 *   order (`configure({runEarlier: false})` turns that off).
 * @attr autorun - Run once when the cell first scrolls into view (not when it shows outputs
 *   computed when the page was built).
 * @attr packages - Packages to load before running, separated by spaces or commas (imports in
 *   the code are found and loaded anyway).
 * @attr readonly - The code cannot be edited (it can still run).
 * @attr timeout - Time limit of a run, in seconds: the run is stopped as by Stop. An invalid value
 *   warns in the console and means no limit. Default: `configure({timeout})`, else none.
 * @attr trusted - The author trusts this cell's output: HTML, SVG and Markdown are inserted
 *   without sanitising, and scripts in them run. Without it, output is sanitised with DOMPurify.
 * @attr main-thread - Run in an interpreter on the page's main thread, where Python's `js`
 *   module is the page itself (`from js import document`). Main-thread cells share one
 *   interpreter, separate from the worker's; long computations freeze the page there.
 * @attr exercise - An exercise: hidden setup code, a Check button, hints and a solution, all read
 *   from the markup (`<script type="text/x-python" data-setup | data-check | data-solution>`,
 *   `<template data-hint>`). Every Run and Check starts from a fresh namespace.
 * @attr solution-after - Failed checks after which the Solution button appears (`0`: from the
 *   start). Default 1.
 * @attr persist - Keep the reader's code, and an exercise's progress, in `localStorage` across
 *   visits (`configure({persist: true})` does it for every cell of the page).
 * @attr status - Reflected, read-only: `idle`, `loading`, `running`, `done` or `error`.
 *
 * @event py-cell-run - Before a run starts; cancelable. `detail: {code}`.
 * @event py-cell-done - After a run; `detail: {status, elapsedMs, error?}`.
 * @event py-cell-input - Python waits for the reader (`input()`) and a field appears; `detail: {prompt}`.
 * @event py-cell-check - An exercise was checked; `detail: {correct, message, attempts}`.
 *
 * @csspart base - The cell's frame.
 * @csspart editor - The code area (highlighted code under a transparent textarea).
 * @csspart textarea - The textarea that receives the typing.
 * @csspart toolbar - The bar holding the buttons and the status.
 * @csspart run-button - The Run button.
 * @csspart reset-button - The Reset button, shown once the code was edited.
 * @csspart stop-button - The Stop button, shown while the cell runs or waits.
 * @csspart retry-button - The Retry button, shown when Python or a package could not be loaded.
 * @csspart status - The status text.
 * @csspart progress - The progress bar shown while Python or packages load.
 * @csspart output - The output area (a region labelled "Output of cell N"; focusable to scroll it by keyboard).
 * @csspart stdout - A block of standard output.
 * @csspart stderr - A block of standard error.
 * @csspart result - The value of the last expression.
 * @csspart display - An object shown with `pycell.display()`.
 * @csspart error - A Python traceback or another error.
 * @csspart hidden-output - The marker where a flood of output was left out.
 * @csspart prerendered - The note above outputs computed when the page was built (`py-cell prerender`), shown until the cell runs.
 * @csspart input - The field where the reader answers `input()`, after its prompt.
 * @csspart check-button - An exercise's Check button.
 * @csspart hint-button - The button revealing an exercise's next hint ("Hint 1 of 2").
 * @csspart hint - A hint revealed.
 * @csspart solution-button - The button showing (or hiding) an exercise's solution.
 * @csspart solution - The solution's code, with a button putting it into the editor.
 * @csspart feedback - An exercise's verdict (`role="status"`): "Correct", or why not.
 * @csspart image - An image output, or an array shown as an image.
 * @csspart heatmap - An array shown as a heatmap.
 * @csspart canvas - A canvas Python draws on (`pycell.canvas()`).
 * @csspart dom - A DOM node shown from main-thread Python.
 *
 * @cssproperty --py-cell-background - Background of the code. Default #fbfbfc (dark #161b22).
 * @cssproperty --py-cell-foreground - Text colour.
 * @cssproperty --py-cell-border-color - Frame and separator colour.
 * @cssproperty --py-cell-accent - Run button and focus colour.
 * @cssproperty --py-cell-accent-foreground - Text on the Run button.
 * @cssproperty --py-cell-muted - Status text colour.
 * @cssproperty --py-cell-output-background - Background of the output area.
 * @cssproperty --py-cell-stderr-color - Colour of standard error.
 * @cssproperty --py-cell-error-color - Colour of errors.
 * @cssproperty --py-cell-error-background - Background of errors.
 * @cssproperty --py-cell-success-color - Colour of an exercise's "Correct".
 * @cssproperty --py-cell-font-family - Font of the toolbar.
 * @cssproperty --py-cell-code-font-family - Font of code and output.
 * @cssproperty --py-cell-code-font-size - Size of code and output. Default 0.875rem.
 * @cssproperty --py-cell-radius - Corner radius. Default 6px.
 * @cssproperty --py-cell-output-max-height - Output scrolls beyond this height. Default 32em.
 * @cssproperty --py-cell-token-keyword - Highlighting colour of keywords (also -string,
 *   -number, -comment, -function, -builtin, -operator).
 */
export class PyCell extends LitElement {
  static override styles = [styles, editorStyles, exerciseStyles];

  static override properties = {
    session: { type: String, reflect: true },
    autorun: { type: Boolean, reflect: true },
    packages: { type: String, reflect: true },
    readonly: { type: Boolean, reflect: true },
    timeout: { type: String, reflect: true },
    trusted: { type: Boolean, reflect: true },
    mainThread: { type: Boolean, reflect: true, attribute: 'main-thread' },
    exercise: { type: Boolean, reflect: true },
    solutionAfter: { type: Number, reflect: true, attribute: 'solution-after' },
    persist: { type: Boolean, reflect: true },
    status: { type: String, reflect: true },
    _code: { state: true },
  };

  /** Session name; cells with the same session share globals. `null`: the default session. */
  declare session: string | null;
  /** Run once when first scrolled into view. */
  declare autorun: boolean;
  /** Packages to load before running (space- or comma-separated). */
  declare packages: string | null;
  /** Whether the code is read-only. */
  declare readonly: boolean;
  /** Time limit in seconds, as written in the attribute. See `timeoutSeconds`. */
  declare timeout: string | null;
  /** The author trusts this cell's HTML output: it is inserted without sanitising. */
  declare trusted: boolean;
  /** Run on the page's main thread (synchronous DOM access), in the main-thread interpreter. */
  declare mainThread: boolean;
  /** An exercise: setup, check, hints and solution come from the markup (`data-*` children). */
  declare exercise: boolean;
  /** Failed checks after which the solution is offered (0: from the start). Default 1. */
  declare solutionAfter: number;
  /** Keep the reader's code (and an exercise's progress) across visits, in `localStorage`. */
  declare persist: boolean;
  /** Reflected run status. Read it; setting it has no effect on the run. */
  declare status: CellStatus;
  /** The code in the editor. */
  declare private _code: string;

  private readonly controller = new RunController(this, () => this.runtime());
  private readonly editor = new CodeEditor({
    onChange: (code) => {
      this._code = code;
      this.memory.schedule();
    },
    onRun: () => void this.run(),
    onLeave: () => this.renderRoot.querySelector<HTMLButtonElement>('button.run')?.focus(),
  });
  /** Runs the cell once when it first scrolls into view (observing only while `autorun` waits). */
  private readonly visibility = new IntersectionController(this, {
    target: null,
    callback: (entries) => {
      if (!this.autorunDone && entries.some((entry) => entry.isIntersecting)) {
        this.autorunDone = true;
        this.visibility.unobserve(this);
        void this.run();
      }
    },
  });
  private readonly cellNumber = ++cellCount;
  private original = '';
  private sourceRead = false;
  private codeAssigned = false;
  private autorunDone = false;
  /** Whether a run of this cell has started in this page view (see `runEarlier`). */
  private ranInView = false;
  /** What an earlier visit left was brought back (`persist`). */
  private restored = false;
  /** The field for input() the page was last told about. */
  private shownInput: InputField | null = null;
  /** Runs whose `py-cell-done` a call of `run()` dispatches. */
  private readonly reported = new WeakSet<Promise<PyCellRunResult>>();
  /** The exercise's parts and progress, once the cell is one. */
  private practice: Exercise | null = null;
  /** What the reader typed and did here, kept across visits (`persist`). */
  private readonly memory = new CellMemory({
    enabled: () => this.persist || currentConfig().persist,
    key: () =>
      storageKey(location.pathname, this.id || `cell ${Array.from(document.querySelectorAll('py-cell')).indexOf(this)}`, this.original),
    read: () => ({
      ...(this._code !== this.original ? { code: this._code } : {}),
      ...(this.practice ? { exercise: this.practice.progress } : {}),
    }),
  });
  private warnedTimeout: string | null = null;

  constructor() {
    super();
    this.session = null;
    this.autorun = false;
    this.packages = null;
    this.readonly = false;
    this.timeout = null;
    this.trusted = false;
    this.mainThread = false;
    this.exercise = false;
    this.solutionAfter = 1;
    this.persist = false;
    this.status = 'idle';
    this._code = '';
    // The worker's runtime starts before the first Run (`configure({preload})`); not again after a failure.
    new PreloadController(this, { mode: () => currentConfig().preload, eligible: () => !this.mainThread, start: () => this.runtime() });
    // Frameworks may fill the element after connecting it: follow the markup until it is edited.
    new MutationController(this, {
      config: { childList: true, characterData: true, subtree: true },
      skipInitial: true,
      callback: () => {
        if (this._code === this.original && !this.codeAssigned) this.readSourceFromMarkup();
      },
    });
  }

  /**
   * The cell's runtime. One that has not started starts now (a worker's downloading, meanwhile,
   * what the page's cells will need); not after a failure, which the next run retries.
   */
  private runtime(): RuntimeClient {
    const runtime = getRuntime(currentConfig(), this.mainThread ? 'main' : 'worker');
    if (runtime.state === 'idle' && !this.mainThread) void runtime.start(pageNeeds(document.querySelectorAll('py-cell'), document.baseURI));
    return runtime;
  }

  /** The current code (edited or not). Setting it replaces the editor's content. */
  get code(): string {
    return this._code;
  }
  set code(value: string) {
    this.codeAssigned = true;
    // JavaScript callers may pass anything; the editor needs text.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
    this._code = String(value);
  }

  /** The code as written in the page, which Reset restores. */
  get originalCode(): string {
    return this.original;
  }

  /** The validated `timeout` in seconds, or `null` for no limit. */
  get timeoutSeconds(): number | null {
    return parseTimeout(this.timeout).seconds;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.sourceRead) {
      this.readSourceFromMarkup();
      this.restore();
    }
  }

  /** Brings back what the reader typed and did here on an earlier visit (once, before any edit). */
  private restore(): void {
    if (this.restored || this.codeAssigned || this._code !== this.original) return;
    const saved = this.memory.load();
    if (!saved) return;
    this.restored = true;
    if (typeof saved.code === 'string') this._code = saved.code;
    if (saved.exercise) this.exercisePart?.restore(saved.exercise);
    this.requestUpdate();
  }

  static {
    restoreSavedWork = () => {
      for (const cell of Array.from(document.querySelectorAll('py-cell'))) if (cell instanceof PyCell) cell.restore();
    };
  }

  /** The exercise this cell is (with `exercise`), its parts read from the markup once. */
  private get exercisePart(): Exercise | null {
    if (!this.exercise) return null;
    this.practice ??= new Exercise(this, readExercise(this));
    return this.practice;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Removed (not just moved, which reconnects at once): a waiting run is cancelled; a running
    // one completes silently; one waiting for the reader is interrupted (nobody can answer).
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.controller.cancelQueued();
      this.controller.abandonInput();
      this.controller.release();
    });
  }

  private readSourceFromMarkup(): void {
    const source = readSource(this);
    this.sourceRead = true;
    this.original = source;
    if (!this.codeAssigned) this._code = source;
    const stored = storedOutputs(this, source);
    if (stored) this.controller.showPrerendered(stored);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Outputs computed when the page was built stand in for an autorun: Python does not start for them.
    if (changed.has('autorun') && this.autorun && !this.autorunDone && !this.controller.prerendered) this.visibility.observe(this);
    if (changed.has('timeout') && !parseTimeout(this.timeout).valid && this.warnedTimeout !== this.timeout) {
      this.warnedTimeout = this.timeout;
      console.warn(`<py-cell>: timeout="${this.timeout}" is not a positive number of seconds; running without a time limit.`, this);
    }
    this.status = this.controller.status;
  }

  protected override updated(): void {
    const field = this.controller.input;
    if (field === this.shownInput) return;
    const hadField = this.shownInput !== null;
    this.shownInput = field;
    const focusHere = this.matches(':focus-within') || document.activeElement === null || document.activeElement === document.body;
    if (!field) {
      // The field went with the focus in it: the focus stays in the cell, on its output.
      if (hadField && focusHere) this.renderRoot.querySelector<HTMLElement>('[part="output"]')?.focus();
      return;
    }
    // A new field for input(): focused unless the reader is busy elsewhere on the page; the page is told.
    if (focusHere) this.renderRoot.querySelector<HTMLInputElement>('input.stdin')?.focus();
    this.dispatchEvent(new PyCellInputEvent(field.prompt));
  }

  /**
   * Runs the cell's code. Resolves when this run has finished with `{status, elapsedMs, error?}`;
   * never rejects for a Python error. Resolves with status `cancelled` when a `py-cell-run`
   * listener prevented it. An exercise runs its setup first, in a namespace of its own.
   */
  async run(): Promise<PyCellRunResult> {
    return (await this.attempt(false)).result;
  }

  /**
   * Checks an exercise: runs its setup, the code and its check code in a fresh namespace, shows
   * the verdict and fires `py-cell-check`. Resolves with the verdict and the checks done so far;
   * `correct` is false, with the reason, when the check could not run (blanks left, a cancelled
   * or failed run). On a cell without `exercise`, or without check code, it only runs the code.
   */
  async check(): Promise<PyCellCheckResult> {
    const { result, verdict } = await this.attempt(true);
    const attempts = this.practice?.attempts ?? 0;
    if (verdict) return { correct: verdict.correct, message: verdict.message, attempts };
    return {
      correct: false,
      message: result.error?.message ?? (result.status === 'cancelled' ? 'The run was cancelled.' : 'Nothing was checked.'),
      attempts,
    };
  }

  /** A Run or a Check: the events, the request, and for a check, its verdict. */
  private async attempt(checking: boolean): Promise<{ result: PyCellRunResult; verdict?: CheckVerdict }> {
    const code = this._code;
    if (!this.dispatchEvent(new PyCellRunEvent(code))) return { result: { status: 'cancelled', elapsedMs: 0 } };
    const exercise = this.exercisePart;
    const prepared = prepareRun({
      code,
      session: this.session,
      packages: this.packages,
      number: this.cellNumber,
      exercise: exercise?.parts ?? null,
      checking,
      base: document.baseURI,
    });
    let result: PyCellRunResult;
    let verdict: CheckVerdict | undefined;
    if (!exercise && !this.ranInView) this.runEarlierCells();
    this.ranInView = true;
    if (prepared.error) {
      result = this.controller.fail(prepared.error);
    } else if (prepared.blanks) {
      exercise?.show({ correct: false, message: prepared.blanks.message });
      result = { status: 'error', elapsedMs: 0, error: prepared.blanks };
    } else {
      exercise?.show(null);
      const pending = this.controller.run(prepared.request, this.timeoutSeconds ?? currentConfig().timeout);
      // A call that joined a waiting run shares its result; the first call reports it, once.
      if (this.reported.has(pending)) return { result: await pending };
      this.reported.add(pending);
      ({ check: verdict, ...result } = await pending);
      if (exercise && verdict) {
        const attempts = exercise.record(verdict);
        this.memory.schedule();
        this.dispatchEvent(new PyCellCheckEvent({ correct: verdict.correct, message: verdict.message, attempts }));
      }
    }
    this.dispatchEvent(new PyCellDoneEvent(result));
    return { result, ...(verdict ? { verdict } : {}) };
  }

  /**
   * Runs, in page order, the earlier cells of this cell's named session that have not run in this
   * page view (configure's `runEarlier`); each shows its own output. Their runs are queued before
   * this one, so this cell runs after them.
   */
  private runEarlierCells(): void {
    if (!currentConfig().runEarlier || this.session === null || !sessionName(this.session).valid) return;
    this.ranInView = true; // the earlier cells' own runs must not come back here
    for (const cell of (this.getRootNode() as ParentNode).querySelectorAll('py-cell')) {
      if (cell === this) break;
      if (!cell.ranInView && !cell.exercise && cell.session === this.session && cell.mainThread === this.mainThread) void cell.run();
    }
  }

  /**
   * Stops this cell's run: a waiting run is cancelled; a running one is interrupted
   * (cross-origin isolated pages: `KeyboardInterrupt`, variables kept) or Python is restarted
   * and every session restored by re-running the cells that had completed. `run()` then
   * resolves with status `error` and the report.
   */
  stop(): void {
    this.controller.stop();
  }

  /** Restores the code written in the page, and forgets the reader's saved edit. */
  reset(): void {
    this._code = this.original;
    this.codeAssigned = false;
    this.memory.schedule();
  }

  /** Loading Python or a package failed: running again may work once the fault is gone. */
  private canRetry(): boolean {
    const last = this.controller.outputs.at(-1);
    return last?.kind === 'error' && isRetryable(last.error);
  }

  protected override render() {
    const edited = this._code !== this.original;
    const busy = this.controller.status === 'loading' || this.controller.status === 'running';
    const context = { trusted: this.trusted, frames: this.controller.frames };
    // Outputs computed when the page was built are shown only with the code they came from.
    const prerendered = this.controller.prerendered;
    const outputs = prerendered && edited ? [] : this.controller.outputs;
    const exercise = this.exercisePart;
    const actions = {
      check: () => void this.check(),
      useSolution: (code: string) => {
        this._code = code;
        this.memory.schedule();
      },
    };
    return html`
      <div part="base" class="base">
        ${this.editor.render(this._code, this.readonly)}
        <div part="toolbar" class="toolbar">
          <button part="run-button" class="run" type="button" title="Run (Shift+Enter)" @click=${() => void this.run()}>
            ${busy ? 'Running' : 'Run'}
          </button>
          ${exercise ? exercise.renderButtons(actions, this.solutionAfter) : nothing}
          ${
            busy
              ? html`<button part="stop-button" class="stop" type="button" title="Stop" ?disabled=${this.controller.stopping} @click=${() => this.stop()}>Stop</button>`
              : nothing
          }
          ${
            this.controller.status === 'error' && this.canRetry()
              ? html`<button part="retry-button" class="retry" type="button" @click=${() => void this.run()}>Retry</button>`
              : nothing
          }
          ${
            edited && !this.readonly
              ? html`<button part="reset-button" class="reset" type="button" title="Restore the original code" @click=${() => this.reset()}>Reset</button>`
              : nothing
          }
          <span part="status" class="status">${statusText(this.controller)}</span>
          <span class="announcement" role="status">${announcement(this.controller)}</span>
          ${renderProgress(this.controller)}
        </div>
        ${exercise ? exercise.renderPanel(actions, this.trusted) : nothing}
        <div part="output" class="output" role="region" aria-label=${`Output of cell ${this.cellNumber}`} tabindex="0">${prerendered && outputs.length ? html`<p part="prerendered" class="prerendered">Computed when the page was built</p>` : nothing}${outputs.map((item) => renderItem(item, context))}${renderInputField(this.controller.input, (line) => this.controller.answer(line))}</div>
      </div>
    `;
  }
}
