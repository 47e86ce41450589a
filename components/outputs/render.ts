/**
 * Renders output items with Lit templates, which escape all text. One renderer per MIME type of
 * the output table (`OUTPUT_KINDS`, richest first): a bundle shows the first of them it holds.
 * Streams, errors and plain text are drawn with their ANSI colours (`ansi-lazy.ts`); charts and
 * math by elements that load their libraries on first use.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ALT_MIME, ARRAY_MIME, CANVAS_MIME, DOM_MIME, ERROR_MIME, OUTPUT_KINDS, REPR_SKIPPED, SVG_AS_IMAGE } from '../../runtime/index.js';
import { arrayText } from '../../cell/array-format.js';
import type { MimeBundle, OutputMime, RunError } from '../../runtime/index.js';
import './array-view.js';
import './canvas-view.js';
import './chart-view.js';
import './math-view.js';
import { DEFAULT_LIMITS, type OutputItem } from '../../cell/output-model.js';
import { isArrayPayload, isCanvasData, parseRunError } from '../../cell/validate.js';
import { ansiText } from './ansi-lazy.js';
import './rich-html.js';

/** What renderers may need beyond the bundle. */
export interface RenderContext {
  /** The cell trusts its HTML: no sanitising. */
  trusted: boolean;
  /** Latest frames of canvases, by canvas id. */
  frames: ReadonlyMap<number, ImageBitmap>;
}

/** Renders one MIME type's data; `null` when the data is not of the shape the type promises. */
type Renderer = (data: unknown, bundle: MimeBundle, context: RenderContext) => TemplateResult | null;

const text = (data: unknown) => (typeof data === 'string' ? data : String(data));

function base64Of(value: string): string {
  const bytes = new TextEncoder().encode(value);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The text alternative the bundle carries (`pycell.display(obj, alt=…)`, an `alt` in its metadata), else `fallback`. */
function altOf(bundle: MimeBundle, fallback: string): string {
  const alt = bundle[ALT_MIME];
  return typeof alt === 'string' && alt.trim() ? alt : fallback;
}

const image = (mime: string) => (data: unknown, bundle: MimeBundle) =>
  html`<img class="image" part="image" alt=${altOf(bundle, 'Image output')} src=${`data:${mime};base64,${text(data).replace(/\s/g, '')}`} />`;

const chart = (mime: string) => (data: unknown, bundle: MimeBundle) => {
  return html`<py-cell-chart exportparts="chart, hidden-output" .mime=${mime} .data=${data} .alt=${altOf(bundle, '')}></py-cell-chart>`;
};

/** MIME type to renderer: one for each type of `OUTPUT_KINDS` (the compiler checks), which says which is tried first. */
const RENDERERS: { readonly [Mime in OutputMime]: Renderer } = {
  [ERROR_MIME]: (data) => {
    const error = parseRunError(data);
    return error && renderError(error);
  },
  [DOM_MIME]: (data) => (data instanceof Node ? html`<div class="dom" part="dom">${data}</div>` : null),
  [CANVAS_MIME]: (data, _bundle, context) => {
    if (!isCanvasData(data)) return null;
    const { id, width, height } = data;
    const frame = context.frames.get(id) ?? null;
    return html`<py-cell-canvas exportparts="canvas" .width=${width} .height=${height} .frame=${frame} data-canvas=${id}></py-cell-canvas>`;
  },
  [ARRAY_MIME]: (data, bundle) => {
    if (!isArrayPayload(data)) return null;
    const payload = data;
    const repr = bundle[REPR_SKIPPED] ? arrayText(payload) : text(bundle['text/plain'] ?? '');
    return html`<py-cell-array exportparts="heatmap, image" .payload=${payload} .text=${repr}></py-cell-array>`;
  },
  'application/vnd.vegalite.v6+json': chart('application/vnd.vegalite.v6+json'),
  'application/vnd.vegalite.v5+json': chart('application/vnd.vegalite.v5+json'),
  'application/vnd.vegalite.v4+json': chart('application/vnd.vegalite.v4+json'),
  'application/vnd.vega.v6+json': chart('application/vnd.vega.v6+json'),
  'application/vnd.vega.v5+json': chart('application/vnd.vega.v5+json'),
  'application/vnd.plotly.v1+json': chart('application/vnd.plotly.v1+json'),
  'text/html': (data, bundle, context) =>
    html`<py-cell-html exportparts="hidden-output" .markup=${text(data)} .fallback=${text(bundle['text/plain'] ?? '')} .kind=${'html'} .trusted=${context.trusted}></py-cell-html>`,
  'image/svg+xml': (data, bundle, context) =>
    bundle[SVG_AS_IMAGE]
      ? html`<img class="image" part="image" alt=${altOf(bundle, 'SVG image output')} src=${`data:image/svg+xml;base64,${base64Of(text(data))}`} />`
      : html`<py-cell-html exportparts="hidden-output" .markup=${text(data)} .fallback=${text(bundle['text/plain'] ?? '')} .kind=${'svg'} .trusted=${context.trusted}></py-cell-html>`,
  'image/png': image('image/png'),
  'image/jpeg': image('image/jpeg'),
  'image/gif': image('image/gif'),
  'text/markdown': (data, bundle, context) =>
    html`<py-cell-html exportparts="hidden-output" .markup=${text(data)} .fallback=${text(bundle['text/plain'] ?? '')} .kind=${'markdown'} .trusted=${context.trusted}></py-cell-html>`,
  'text/latex': (data) => html`<py-cell-math exportparts="math" .source=${text(data)}></py-cell-math>`,
  'text/plain': (data) => html`<pre class="text">${ansiText(text(data))}</pre>`,
};

export function renderBundle(bundle: MimeBundle, context: RenderContext): TemplateResult | typeof nothing {
  for (const { mime } of OUTPUT_KINDS) {
    if (bundle[mime] === undefined) continue;
    const rendered = RENDERERS[mime](bundle[mime], bundle, context);
    if (rendered) return rendered;
  }
  return nothing;
}

/** 1234567 -> "1,234,567" (without Intl: its first use can block the page for ~100 ms). */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function renderError(error: RunError): TemplateResult {
  return html`<pre class="error" part="error" data-error-type=${error.type}>${ansiText(error.traceback || `${error.type}: ${error.message}`)}</pre>`;
}

/** `start`: where a stream item's text starts in its stream, as `renderOutputArea` counts it. */
export function renderItem(item: OutputItem, context: RenderContext, start = 0): TemplateResult | typeof nothing {
  switch (item.kind) {
    case 'stream':
      return html`<pre class="stream ${item.name}" part=${item.name}>${ansiText(item.text, start)}</pre>`;
    case 'result':
      return html`<div class="result" part="result">${renderBundle(item.bundle, context)}</div>`;
    case 'display':
      return html`<div class="display" part="display">${renderBundle(item.bundle, context)}</div>`;
    case 'error':
      return renderError(item.error);
    case 'left-out':
      return html`<div class="hidden-output" part="hidden-output" role="note">… output of an earlier run of this cell was left out …</div>`;
    case 'displays-hidden':
      return html`<div class="hidden-output" part="hidden-output" role="note">… ${thousands(item.count)} more displayed ${item.count === 1 ? 'object' : 'objects'} hidden: the first ${thousands(DEFAULT_LIMITS.displays)} are shown …</div>`;
    case 'hidden':
      return html`<div class="hidden-output" part="hidden-output" role="note">… ${thousands(item.lines)} lines hidden (${thousands(item.chars)} characters): the first and the last part of the output are kept …</div>`;
  }
}
