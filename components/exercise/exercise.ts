/**
 * An exercise cell's state and what it shows beside the editor: the Check, Hint and Solution
 * buttons, the verdict (part `feedback`), the hints revealed so far (part `hint`) and the
 * solution (part `solution`). The checks themselves run in the reader's browser: nothing here
 * is secret from the reader.
 */
import { css, html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { CheckVerdict } from '../../runtime/index.js';
import { highlightPython } from '../editor/highlight.js';
import type { ExerciseParts } from '../../cell/source.js';
import '../outputs/rich-html.js';

/** What is kept of an exercise between visits (with `persist`). */
export interface ExerciseProgress {
  attempts: number;
  failed: number;
  solved: boolean;
}

export interface ExerciseActions {
  check(): void;
  /** Puts the solution's code into the editor. */
  useSolution(code: string): void;
}

export class Exercise {
  /** Checks done, and how many of them failed. */
  attempts = 0;
  failed = 0;
  solved = false;
  /** The verdict shown in part `feedback`. */
  verdict: CheckVerdict | null = null;
  hintsShown = 0;
  solutionShown = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    readonly parts: ExerciseParts,
  ) {}

  /** Records a check's verdict; returns the count of checks so far. */
  record(verdict: CheckVerdict): number {
    this.attempts++;
    if (!verdict.correct) this.failed++;
    this.solved ||= verdict.correct;
    this.show(verdict);
    return this.attempts;
  }

  /** Shows a verdict without counting a check (blanks left, say). */
  show(verdict: CheckVerdict | null): void {
    this.verdict = verdict;
    this.host.requestUpdate();
  }

  restore(progress: ExerciseProgress): void {
    ({ attempts: this.attempts, failed: this.failed, solved: this.solved } = progress);
    this.host.requestUpdate();
  }

  get progress(): ExerciseProgress {
    return { attempts: this.attempts, failed: this.failed, solved: this.solved };
  }

  /** The Check button, the next hint's button and, after enough failed checks, the solution's. */
  renderButtons(actions: ExerciseActions, solutionAfter: number): TemplateResult {
    const { hints, solution, check } = this.parts;
    const solutionOffered = solution !== null && (solutionAfter <= 0 || this.failed >= solutionAfter || this.solved);
    return html`${
      check !== null
        ? html`<button part="check-button" class="check" type="button" @click=${() => actions.check()}>Check</button>`
        : nothing
    }
    ${
      this.hintsShown < hints.length
        ? html`<button part="hint-button" type="button" @click=${(event: Event) => void this.revealHint(event.currentTarget as HTMLElement)}>Hint ${this.hintsShown + 1} of ${hints.length}</button>`
        : nothing
    }
    ${
      solutionOffered
        ? html`<button part="solution-button" type="button" aria-expanded=${this.solutionShown ? 'true' : 'false'} @click=${() => this.toggleSolution()}>${this.solutionShown ? 'Hide the solution' : 'Solution'}</button>`
        : nothing
    }`;
  }

  /** The verdict, the hints shown and the solution, between the toolbar and the output. */
  renderPanel(actions: ExerciseActions, trusted: boolean): TemplateResult {
    const { verdict } = this;
    const solution = this.parts.solution;
    return html`<div part="feedback" class="feedback ${verdict ? (verdict.correct ? 'correct' : 'incorrect') : ''}" role="status">${
      verdict ? html`${verdict.correct ? '✓ ' : ''}${verdict.message}` : nothing
    }</div>
      ${this.parts.hints
        .slice(0, this.hintsShown)
        .map(
          (hint, n) =>
            html`<div part="hint" class="hint" tabindex="-1"><span class="label">Hint ${n + 1}</span><py-cell-html .markup=${hint} .kind=${'html'} .trusted=${trusted} .math=${true}></py-cell-html></div>`,
        )}
      ${
        this.solutionShown && solution !== null
          ? html`<div part="solution" class="solution">
            <pre><code>${highlightPython(solution)}</code></pre>
            <button type="button" @click=${() => actions.useSolution(solution)}>Put it in the editor</button>
          </div>`
          : nothing
      }`;
  }

  /** Shows the next hint; after the last one, whose button goes, the focus moves to that hint. */
  private async revealHint(button: HTMLElement): Promise<void> {
    this.hintsShown = Math.min(this.hintsShown + 1, this.parts.hints.length);
    this.host.requestUpdate();
    if (this.hintsShown < this.parts.hints.length) return;
    await this.host.updateComplete;
    const root = button.getRootNode() as ShadowRoot;
    Array.from(root.querySelectorAll<HTMLElement>('[part="hint"]')).at(-1)?.focus();
  }

  private toggleSolution(): void {
    this.solutionShown = !this.solutionShown;
    this.host.requestUpdate();
  }
}

export const exerciseStyles = css`
  /* Empty, it takes no room but stays a live region, so that a verdict is announced. */
  .feedback:empty {
    padding: 0;
    border-top: 0;
  }
  .feedback {
    padding: 0.4em 1em;
    border-top: 1px solid var(--_border);
    font-size: 0.875rem;
  }
  .feedback.correct {
    color: var(--_success);
    font-weight: 600;
  }
  .feedback.incorrect {
    color: var(--_error);
  }
  .hint,
  .solution {
    padding: 0.4em 1em;
    border-top: 1px solid var(--_border);
    font-size: 0.875rem;
  }
  .hint .label {
    font-weight: 600;
    color: var(--_muted);
    margin-right: 0.5em;
  }
  .solution pre {
    margin: 0 0 0.4em;
    font-family: var(--py-cell-code-font-family, ui-monospace, SFMono-Regular, Menlo, Consolas, monospace);
    font-size: var(--py-cell-code-font-size, 0.875rem);
    white-space: pre-wrap;
  }
`;
