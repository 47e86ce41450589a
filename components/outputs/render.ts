/**
 * Renders output items with Lit templates, which escape all text. One renderer per MIME type;
 * the richest MIME type in a bundle that has a renderer wins.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { MimeBundle, PythonError } from '../../runtime/protocol.js';
import type { OutputItem } from './output-model.js';

type Renderer = (data: string) => TemplateResult;

/** MIME type to renderer, richest first. */
export const renderers: Array<[string, Renderer]> = [
  ['text/plain', (data) => html`<pre class="text">${data}</pre>`],
];

export function renderBundle(bundle: MimeBundle): TemplateResult | typeof nothing {
  for (const [mime, render] of renderers) {
    const data = bundle[mime];
    if (data !== undefined) return render(data);
  }
  return nothing;
}

export function renderError(error: PythonError): TemplateResult {
  return html`<pre class="error" part="error" data-error-type=${error.type}>${error.traceback || `${error.type}: ${error.message}`}</pre>`;
}

export function renderItem(item: OutputItem): TemplateResult | typeof nothing {
  switch (item.kind) {
    case 'stream':
      return html`<pre class="stream ${item.name}" part=${item.name}>${item.text}</pre>`;
    case 'result':
      return html`<div class="result" part="result">${renderBundle(item.bundle)}</div>`;
    case 'display':
      return html`<div class="display" part="display">${renderBundle(item.bundle)}</div>`;
    case 'error':
      return renderError(item.error);
  }
}
