/**
 * The cell's toolbar (part `toolbar`): Run, an exercise's buttons, Stop while the cell runs or
 * waits, Retry when Python or a package could not be loaded, Reset once the code was edited, then
 * the status text, its announcement for screen readers, the progress bar and, at the end, Copy.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { isRetryable } from '../../runtime/index.js';
import { announcement, renderProgress, statusText, type RunState } from './status.js';

/** What the toolbar's buttons do. */
export interface ToolbarActions {
  run(): void;
  stop(): void;
  reset(): void;
}

export interface ToolbarOptions {
  /** The cell's run (its run controller). */
  state: RunState;
  /** An exercise's buttons (Check, Hint, Solution), after Run; `nothing` for a plain cell. */
  exerciseButtons: TemplateResult | typeof nothing;
  /** Whether Reset is offered: the code was edited, and the cell is not read-only. */
  resettable: boolean;
  /** The Copy button: copies the code; `copied` just after. */
  copy: { copied: boolean; action(): void };
}

/** Loading Python or a package failed: running again may work once the fault is gone. */
function canRetry({ status, outputs }: RunState): boolean {
  const last = outputs.at(-1);
  return status === 'error' && last?.kind === 'error' && isRetryable(last.error);
}

/** The toolbar of a cell in the state `options` describes. */
export function renderToolbar({ state, exerciseButtons, resettable, copy }: ToolbarOptions, actions: ToolbarActions): TemplateResult {
  const busy = state.status === 'loading' || state.status === 'running';
  const stop = html`<button
    part="stop-button"
    class="stop"
    type="button"
    title="Stop"
    ?disabled=${state.stopping}
    @click=${() => actions.stop()}
  >Stop</button>`;
  const retry = html`<button part="retry-button" class="retry" type="button" @click=${() => actions.run()}>Retry</button>`;
  const reset = html`<button
    part="reset-button"
    class="reset"
    type="button"
    title="Restore the original code"
    @click=${() => actions.reset()}
  >Reset</button>`;
  return html`
    <div part="toolbar" class="toolbar">
      <button part="run-button" class="run" type="button" title="Run (Shift+Enter or Ctrl+Enter in the code)" @click=${() => actions.run()}>
        ${busy ? 'Running' : 'Run'}
      </button>
      ${exerciseButtons}
      ${busy ? stop : nothing}
      ${canRetry(state) ? retry : nothing}
      ${resettable ? reset : nothing}
      <span part="status" class="status">${statusText(state)}</span>
      <span class="announcement" role="status">${announcement(state)}</span>
      ${renderProgress(state)}
      <button part="copy-button" class="copy" type="button" title="Copy the code" @click=${() => copy.action()}>
        ${copy.copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  `;
}
