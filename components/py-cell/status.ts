/** What the toolbar says about a cell's run: the status text and the progress bar. */
import { html, nothing, type TemplateResult } from 'lit';
import type { RunController } from '../controllers/run-controller.js';

export type RunState = Pick<RunController, 'status' | 'progress' | 'loadingPackages' | 'queued' | 'stopping' | 'outputs'>;

const megabytes = (bytes: number) => (bytes / 1048576).toFixed(1);

/** The status text (part `status`). */
export function statusText({ status, progress, loadingPackages, queued, stopping }: RunState): string {
  if (stopping) return 'Stopping…';
  if (status === 'loading') {
    if (loadingPackages.length > 0) return `Loading ${loadingPackages.join(', ')}…`;
    if (progress?.stage === 'start') return 'Starting Python…';
    if (progress?.loaded !== undefined) {
      return `Loading Python… ${megabytes(progress.loaded)}${progress.total ? ` / ${megabytes(progress.total)}` : ''} MB`;
    }
    return 'Loading Python…';
  }
  if (status === 'running') return queued ? 'Waiting…' : 'Running…';
  if (status === 'error') return 'Error';
  return '';
}

/**
 * What screen readers hear, through a polite live region: each change of state once ("Running",
 * "Done", "Error: ZeroDivisionError"), not every progress step nor every line of output.
 */
export function announcement({ status, loadingPackages, queued, stopping, outputs }: RunState): string {
  if (stopping) return 'Stopping';
  if (status === 'loading') return loadingPackages.length > 0 ? 'Loading packages' : 'Loading Python';
  if (status === 'running') return queued ? 'Waiting' : 'Running';
  if (status === 'done') return 'Done';
  if (status === 'error') {
    const last = outputs.at(-1);
    return last?.kind === 'error' ? `Error: ${last.error.type}` : 'Error';
  }
  return '';
}

/** The progress bar (part `progress`) while Python or packages load: determinate when the size is known. */
export function renderProgress({ status, progress }: RunState): TemplateResult | typeof nothing {
  if (status !== 'loading') return nothing;
  return progress?.total && progress.loaded !== undefined
    ? html`<progress part="progress" max=${progress.total} .value=${progress.loaded} aria-label="Loading"></progress>`
    : html`<progress part="progress" aria-label="Loading"></progress>`;
}
