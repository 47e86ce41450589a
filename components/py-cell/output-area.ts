/**
 * The output area (part `output`): a region labelled "Output of cell N", focusable to scroll it by
 * keyboard, holding the note on outputs computed when the page was built, the outputs, and the
 * field where the reader answers `input()`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { RunController } from '../controllers/run-controller.js';
import { renderItem } from '../outputs/render.js';
import { renderInputField } from './input-field.js';

/** What the area shows of the cell's run (its run controller). */
export type OutputState = Pick<RunController, 'outputs' | 'frames' | 'prerendered' | 'input' | 'answer'>;

export interface OutputAreaOptions {
  /** The cell's number in the page. */
  number: number;
  /** The code was edited. */
  edited: boolean;
  /** The cell's `trusted`. */
  trusted: boolean;
}

/** The selection inside the shadow root that `node` is in, as a live Range; `null` where the browser cannot say. */
function selectedRange(node: Node): Range | null {
  const root = node.getRootNode();
  const selection = getSelection();
  if (!(root instanceof ShadowRoot) || !selection || selection.rangeCount === 0 || !('getComposedRanges' in selection)) return null;
  const [composed] = selection.getComposedRanges({ shadowRoots: [root] });
  if (!composed || composed.collapsed) return null;
  const range = document.createRange();
  range.setStart(composed.startContainer, composed.startOffset);
  range.setEnd(composed.endContainer, composed.endOffset);
  return range;
}

/**
 * Copying long output copies its text. Firefox and WebKit copy text of the blocks laid out only
 * when scrolled into view (`content-visibility: auto`, long output) from the wrong lines,
 * so a selection that touches one is copied as the DOM's text of the range.
 */
function copyAsText(event: ClipboardEvent): void {
  const area = event.currentTarget as HTMLElement;
  const range = selectedRange(area);
  if (!range || !event.clipboardData || !area.contains(range.commonAncestorContainer)) return;
  const blocks = area.querySelectorAll('.ansi-lines, .lines');
  if (!Array.from(blocks).some((block) => range.intersectsNode(block))) return;
  event.clipboardData.setData('text/plain', range.toString());
  event.preventDefault();
}

export function renderOutputArea(state: OutputState, { number, edited, trusted }: OutputAreaOptions): TemplateResult {
  // Outputs computed when the page was built are shown only with the code they came from.
  const outputs = state.prerendered && edited ? [] : state.outputs;
  const context = { trusted, frames: state.frames };
  const note =
    state.prerendered && outputs.length ? html`<p part="prerendered" class="prerendered">Computed when the page was built</p>` : nothing;
  // Each stream item's place in the streams, the same from one render to the next while a loop
  // prints: the hidden marker counts what the model dropped from the start of the tail.
  let position = 0;
  const items = outputs.map((item) => {
    const start = position;
    if (item.kind === 'stream') position += item.text.length;
    else if (item.kind === 'hidden') position += item.chars;
    return renderItem(item, context, start);
  });
  const input = renderInputField(state.input, (line) => state.answer(line));
  const label = `Output of cell ${number}`;
  // Nothing between the parts, not even whitespace: an area without output is hidden (`:empty`).
  return html`<div part="output" class="output" role="region" aria-label=${label} tabindex="0" @copy=${copyAsText}>${note}${items}${input}</div>`;
}
