import { IntersectionController } from '@lit-labs/observers/intersection-controller.js';
import { MutationController } from '@lit-labs/observers/mutation-controller.js';
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { failure, isRetryable } from '../../runtime/errors.js';
import { currentConfig, getRuntime } from '../../runtime/index.js';
import { parsePackageList } from '../../runtime/packages.js';
import { parseTimeout, sessionName } from '../attributes.js';
import { RunController, type CellStatus } from '../controllers/run-controller.js';
import { CodeEditor, editorStyles } from '../editor/editor.js';
import { PyCellDoneEvent, PyCellRunEvent, type PyCellRunResult } from '../events.js';
import { renderItem } from '../outputs/render.js';
import { readSource } from '../source.js';
import { announcement, renderProgress, statusText } from './status.js';
import { styles } from './styles.js';

let cellCount = 0;

/**
 * Live, editable Python. All cells of a page share one Python runtime (Pyodide in a Web
 * Worker), started the first time a cell runs.
 *
 * @summary An editable Python cell that runs in the browser.
 *
 * @attr session - Cells with the same session share global variables; cells of different
 *   sessions are isolated. Default: the page's default session.
 * @attr autorun - Run once when the cell first scrolls into view.
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
 * @attr status - Reflected, read-only: `idle`, `loading`, `running`, `done` or `error`.
 *
 * @event py-cell-run - Before a run starts; cancelable. `detail: {code}`.
 * @event py-cell-done - After a run; `detail: {status, elapsedMs, error?}`.
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
 * @cssproperty --py-cell-font-family - Font of the toolbar.
 * @cssproperty --py-cell-code-font-family - Font of code and output.
 * @cssproperty --py-cell-code-font-size - Size of code and output. Default 0.875rem.
 * @cssproperty --py-cell-radius - Corner radius. Default 6px.
 * @cssproperty --py-cell-output-max-height - Output scrolls beyond this height. Default 32em.
 * @cssproperty --py-cell-token-keyword - Highlighting colour of keywords (also -string,
 *   -number, -comment, -function, -builtin, -operator).
 */
export class PyCell extends LitElement {
  static override styles = [styles, editorStyles];

  static override properties = {
    session: { type: String, reflect: true },
    autorun: { type: Boolean, reflect: true },
    packages: { type: String, reflect: true },
    readonly: { type: Boolean, reflect: true },
    timeout: { type: String, reflect: true },
    trusted: { type: Boolean, reflect: true },
    mainThread: { type: Boolean, reflect: true, attribute: 'main-thread' },
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
  /** Reflected run status. Read it; setting it has no effect on the run. */
  declare status: CellStatus;
  /** The code in the editor. */
  declare private _code: string;

  private readonly controller = new RunController(this, () => getRuntime(currentConfig(), this.mainThread ? 'main' : 'worker'));
  private readonly editor = new CodeEditor({
    onChange: (code) => (this._code = code),
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
  /** Runs whose `py-cell-done` a call of `run()` dispatches. */
  private readonly reported = new WeakSet<Promise<PyCellRunResult>>();
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
    this.status = 'idle';
    this._code = '';
    // Frameworks may fill the element after connecting it: follow the markup until it is edited.
    new MutationController(this, {
      config: { childList: true, characterData: true, subtree: true },
      skipInitial: true,
      callback: () => {
        if (this._code === this.original && !this.codeAssigned) this.readSourceFromMarkup();
      },
    });
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
    if (!this.sourceRead) this.readSourceFromMarkup();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Removed (not just moved, which reconnects at once): a waiting run is cancelled; a running
    // one completes silently.
    queueMicrotask(() => {
      if (this.isConnected) return;
      this.controller.cancelQueued();
      this.controller.release();
    });
  }

  private readSourceFromMarkup(): void {
    const source = readSource(this);
    this.sourceRead = true;
    this.original = source;
    if (!this.codeAssigned) this._code = source;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('autorun') && this.autorun && !this.autorunDone) this.visibility.observe(this);
    if (changed.has('timeout') && !parseTimeout(this.timeout).valid && this.warnedTimeout !== this.timeout) {
      this.warnedTimeout = this.timeout;
      console.warn(`<py-cell>: timeout="${this.timeout}" is not a positive number of seconds; running without a time limit.`, this);
    }
    this.status = this.controller.status;
  }

  /**
   * Runs the cell's code. Resolves when this run has finished with `{status, elapsedMs, error?}`;
   * never rejects for a Python error. Resolves with status `cancelled` when a `py-cell-run`
   * listener prevented it.
   */
  async run(): Promise<PyCellRunResult> {
    const code = this._code;
    const before = new PyCellRunEvent(code);
    if (!this.dispatchEvent(before)) return { status: 'cancelled', elapsedMs: 0 };
    const { names, invalid } = parsePackageList(this.packages);
    let result: PyCellRunResult;
    if (invalid.length > 0) {
      const message = `Invalid package name${invalid.length > 1 ? 's' : ''} in the packages attribute: ${invalid.map((name) => `'${name}'`).join(', ')}. Separate names with spaces or commas.`;
      result = this.controller.fail(failure('attribute', message));
    } else {
      const session = sessionName(this.session);
      if (!session.valid) console.warn('<py-cell>: the session attribute is empty; using the default session.', this);
      const pending = this.controller.run(
        {
          // A leading byte order mark is not code (Python drops it from files too).
          code: code.replace(/^\uFEFF/, ''),
          session: session.name,
          filename: `<cell ${this.cellNumber}>`,
          packages: names,
        },
        this.timeoutSeconds ?? currentConfig().timeout,
      );
      // A call that joined a waiting run shares its result; the first call reports it, once.
      if (this.reported.has(pending)) return pending;
      this.reported.add(pending);
      result = await pending;
    }
    this.dispatchEvent(new PyCellDoneEvent(result));
    return result;
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

  /** Restores the code written in the page. */
  reset(): void {
    this._code = this.original;
    this.codeAssigned = false;
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
    return html`
      <div part="base" class="base">
        ${this.editor.render(this._code, this.readonly)}
        <div part="toolbar" class="toolbar">
          <button part="run-button" class="run" type="button" title="Run (Shift+Enter)" @click=${() => void this.run()}>
            ${busy ? 'Running' : 'Run'}
          </button>
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
        <div part="output" class="output" role="region" aria-label=${`Output of cell ${this.cellNumber}`} tabindex="0">${this.controller.outputs.map((item) => renderItem(item, context))}</div>
      </div>
    `;
  }
}
