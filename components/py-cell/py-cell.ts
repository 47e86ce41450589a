/**
 * The `<py-cell>` element: its public API (the class's JSDoc makes custom-elements.json), its code
 * and editor, and its render. Runs, toolbar, output area and page-wide jobs live beside it.
 */
import { html, nothing, type PropertyValues } from 'lit';
import { currentConfig } from '../../runtime/index.js';
import { parseTimeout } from '../../cell/attributes.js';
import { readExercise } from '../../cell/source.js';
import { RunController, type CellStatus } from '../controllers/run-controller.js';
import { PreloadController } from '../controllers/preload.js';
import { CodeEditor, editorStyles } from '../editor/editor.js';
import { Exercise, exerciseStyles } from '../exercise/exercise.js';
import type { PyCellCheckResult, PyCellRunResult } from '../events.js';
import { AutorunController } from './autorun.js';
import { CellRuns } from './cell-runs.js';
import { CopyCode } from './copy-code.js';
import { SchemeController } from '../color-scheme.js';
import { InputFocusController } from './input-focus.js';
import { MarkupSource } from './markup-source.js';
import { renderOutputArea } from './output-area.js';
import { SlicedFirstRender } from './first-render.js';
import { enrol, runtimeFor, savedWorkPlace } from './page-cells.js';
import { SavedWork } from './saved-work.js';
import { styles } from './styles.js';
import { renderToolbar } from './toolbar.js';

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
 *   Trusted cells run in a worker of their own, where no other code ever runs (their sessions
 *   are not the plain cells'); once the reader edits the code, it runs as a plain cell's would,
 *   in the page's worker, with its output sanitised.
 * @attr main-thread - Run in an interpreter on the page's main thread, where Python's `js`
 *   module is the page itself (`from js import document`). Main-thread cells share one
 *   interpreter, separate from the worker's; long computations freeze the page there.
 * @attr exercise - An exercise: hidden setup code, a Check button, hints and a solution, all read
 *   from the markup (`<script type="text/x-python" data-setup | data-check | data-solution>`,
 *   `<template data-hint>`). Every Run and Check starts from a fresh namespace.
 * @attr solution-after - Failed checks after which the Solution button appears (`0`: from the
 *   start). Default 1.
 * @attr persist - Keep the reader's code, and an exercise's progress, in `localStorage` across
 *   visits (`configure({persist: true})` does it for every cell of the page). The work is kept
 *   under the page's path and the cell's `id`, else what the page wrote in the cell, so adding or
 *   removing other cells does not move it.
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
 * @csspart copy-button - The Copy button, at the end of the toolbar: copies the code ("Copied" for two seconds).
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
 * @csspart chart - A chart (Vega-Lite, Vega, Plotly): a figure labelled by the chart's title and description, or the `alt` given to `pycell.display()`.
 * @csspart math - A LaTeX output typeset by KaTeX (`text/latex`, `_repr_latex_`).
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
export class PyCell extends SlicedFirstRender {
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

  private readonly controller = new RunController(this, (trusted) => runtimeFor(this, trusted));
  private readonly editor = new CodeEditor({
    onChange: (code) => this.edit(code),
    onRun: () => void this.run(),
    onLeave: () => this.renderRoot.querySelector<HTMLButtonElement>('button.run')?.focus(),
  });
  private readonly autorunner = new AutorunController(this, () => void this.run());
  private readonly copier = new CopyCode(this, () => this._code);
  /** The cell's number in the page; the page-wide jobs get a handle on the cell's state. */
  private readonly cellNumber = enrol(this, { ranInView: () => this.runs.ranInView, restore: () => this.memory.restore() });
  private readonly runs = new CellRuns(this, {
    number: this.cellNumber,
    controller: this.controller,
    exercise: () => this.exercisePart,
    attempts: () => this.practice?.attempts ?? 0,
    recorded: () => this.memory.schedule(),
  });
  /** A script set the code (`code = …`): the markup is no longer followed, nor saved work brought back. */
  private codeAssigned = false;
  /** The code as written in the page (`originalCode`), and the outputs stored with it. */
  private readonly source = new MarkupSource(this, {
    // Frameworks may fill the element after connecting it: follow the markup until it is edited.
    following: () => this._code === this.originalCode && !this.codeAssigned,
    read: (source, stored) => {
      if (!this.codeAssigned) this._code = source;
      if (stored) this.controller.showPrerendered(stored, this.trusted);
    },
  });
  /** The exercise's parts and progress, once the cell is one. */
  private practice: Exercise | null = null;
  /** What the reader typed and did here, kept across visits (`persist`). */
  private readonly memory = new SavedWork(this, {
    enabled: () => this.persist || currentConfig().persist,
    original: () => this.originalCode,
    place: (path) => savedWorkPlace(this, path),
    read: () => ({
      ...(this._code !== this.originalCode ? { code: this._code } : {}),
      ...(this.practice ? { exercise: this.practice.progress } : {}),
    }),
    untouched: () => !this.codeAssigned && this._code === this.originalCode,
    bringBack: (saved) => {
      if (typeof saved.code === 'string') this._code = saved.code;
      if (saved.exercise) this.exercisePart?.restore(saved.exercise);
      this.requestUpdate();
    },
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
    new PreloadController(this, {
      mode: () => currentConfig().preload,
      eligible: () => !this.mainThread,
      start: () => runtimeFor(this, this.authorTrusted),
    });
    new InputFocusController(this, () => this.controller.input);
    new SchemeController(this, this.attachInternals());
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
    return this.source.original;
  }

  /**
   * The cell is `trusted` and its code is the author's (not edited, not brought back from saved
   * work): only then does it run in the trusted runtime and its output go in unsanitised.
   */
  get authorTrusted(): boolean {
    return this.trusted && this._code === this.originalCode;
  }

  /** The validated `timeout` in seconds, or `null` for no limit. */
  get timeoutSeconds(): number | null {
    return parseTimeout(this.timeout).seconds;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.source.readFirst()) this.memory.restore();
  }

  /** The exercise this cell is (with `exercise`), its parts read from the markup once. */
  private get exercisePart(): Exercise | null {
    if (!this.exercise) return null;
    this.practice ??= new Exercise(this, readExercise(this));
    return this.practice;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Outputs computed when the page was built stand in for an autorun: Python does not start for them.
    if (changed.has('autorun') && this.autorun && !this.controller.prerendered) this.autorunner.watch();
    if (changed.has('timeout') && !parseTimeout(this.timeout).valid && this.warnedTimeout !== this.timeout) {
      this.warnedTimeout = this.timeout;
      console.warn(`<py-cell>: timeout="${this.timeout}" is not a positive number of seconds; running without a time limit.`, this);
    }
    this.status = this.controller.status;
  }

  /**
   * Runs the cell's code. Resolves when this run has finished with `{status, elapsedMs, error?}`;
   * never rejects for a Python error. Resolves with status `cancelled` when a `py-cell-run`
   * listener prevented it. An exercise runs its setup first, in a namespace of its own.
   */
  async run(): Promise<PyCellRunResult> {
    return (await this.runs.runOrCheck(false)).result;
  }

  /**
   * Checks an exercise: runs its setup, the code and its check code in a fresh namespace, shows
   * the verdict and fires `py-cell-check`. Resolves with the verdict and the checks done so far;
   * `correct` is false, with the reason, when the check could not run (blanks left, a cancelled
   * or failed run). On a cell without `exercise`, or without check code, it only runs the code.
   */
  check(): Promise<PyCellCheckResult> {
    return this.runs.check();
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

  /** The reader's edit (typed, or an exercise's solution put in): kept for the next visit (`persist`). */
  private edit(code: string): void {
    this._code = code;
    this.memory.schedule();
  }

  /** Restores the code written in the page, and forgets the reader's saved edit. */
  reset(): void {
    this._code = this.originalCode;
    this.codeAssigned = false;
    this.memory.schedule();
  }

  protected override render() {
    const edited = this._code !== this.originalCode;
    const exercise = this.exercisePart;
    const actions = { check: () => void this.check(), useSolution: (code: string) => this.edit(code) };
    const exerciseButtons = exercise ? exercise.renderButtons(actions, this.solutionAfter) : nothing;
    const copy = { copied: this.copier.copied, action: () => void this.copier.copy() };
    const toolbar = renderToolbar({ state: this.controller, exerciseButtons, resettable: edited && !this.readonly, copy }, this);
    return html`
      <div part="base" class="base">
        ${this.editor.render(this._code, this.readonly)}
        ${toolbar}
        ${exercise ? exercise.renderPanel(actions, this.trusted) : nothing}
        ${renderOutputArea(this.controller, { number: this.cellNumber, edited, trusted: this.controller.trusted })}
      </div>
    `;
  }
}
