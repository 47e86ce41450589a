/**
 * `<py-cell-array>`: an array shown as an array — header (type, shape, dtype), a table with
 * NumPy's formatting and summarisation, a heatmap, an image, and the repr as text.
 */
import { LitElement, css, html, nothing, unsafeCSS, type PropertyValues, type TemplateResult } from 'lit';
import { formatGroup } from '../../cell/array-format.js';
import type { ArrayPayload } from '../../runtime/index.js';
import { VIRIDIS_GRADIENT, viridis } from './colormap.js';

type ArrayImage = NonNullable<ArrayPayload['image']>;
type Heatmap = NonNullable<ArrayPayload['heatmap']>;

type View = 'table' | 'heatmap' | 'image' | 'text';

const ELLIPSIS = '…';

/** Positions (in `index`) and ellipsis markers along one axis. */
function axisCells(index: number[]): Array<number | null> {
  const cells: Array<number | null> = [];
  index.forEach((value, position) => {
    if (position > 0 && value - index[position - 1]! > 1) cells.push(null);
    cells.push(position);
  });
  return cells;
}

function paintImage(canvas: HTMLCanvasElement, { width, height, data }: ArrayImage): void {
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(data), width, height), 0, 0);
}

function paintHeatmap(canvas: HTMLCanvasElement, { rows, cols, data, min, max }: Heatmap): void {
  canvas.width = cols;
  canvas.height = rows;
  const pixels = new Uint8ClampedArray(rows * cols * 4);
  const span = max - min || 1;
  for (let i = 0; i < data.length; i++) {
    const value = data[i]!;
    const [r, g, b] = Number.isNaN(value) ? [128, 128, 128] : viridis((value - min) / span);
    pixels.set([r, g, b, 255], i * 4);
  }
  canvas.getContext('2d')!.putImageData(new ImageData(pixels, cols, rows), 0, 0);
  // Small grids are drawn with square, visible cells.
  const cell = Math.max(1, Math.floor(480 / Math.max(rows, cols)));
  canvas.style.width = `${cols * cell}px`;
}

export class PyCellArray extends LitElement {
  static override properties = {
    payload: { attribute: false },
    text: { attribute: false },
    view: { state: true },
  };

  declare payload: ArrayPayload | undefined;
  /** The object's repr, for the text view and Copy. */
  declare text: string;
  declare view: View;

  static override styles = css`
    :host {
      display: block;
      font: inherit;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.25em 0.75em;
      font-family: var(--py-cell-font-family, system-ui, sans-serif);
      font-size: 0.8125rem;
      color: var(--_muted, #59636e);
      margin-bottom: 0.25em;
    }
    .views {
      display: inline-flex;
      gap: 0.25em;
    }
    button {
      font: inherit;
      font-size: 0.75rem;
      border: 1px solid var(--_border, #d0d7de);
      background: transparent;
      color: inherit;
      border-radius: 4px;
      padding: 0 0.5em;
      cursor: pointer;
    }
    button[aria-pressed='true'] {
      background: var(--_accent, #2f6fd1);
      border-color: var(--_accent, #2f6fd1);
      color: var(--_accent-fg, #fff);
    }
    .scroll {
      overflow: auto;
      max-width: 100%;
    }
    table {
      border-collapse: collapse;
      font: inherit;
      margin: 0.25em 0;
    }
    th,
    td {
      padding: 0.05em 0.6em;
      white-space: pre;
      text-align: right;
    }
    th {
      color: var(--_muted, #59636e);
      font-weight: normal;
      border-bottom: 1px solid var(--_border, #d0d7de);
    }
    th.row {
      border-bottom: 0;
      border-right: 1px solid var(--_border, #d0d7de);
    }
    td.gap,
    th.gap {
      color: var(--_muted, #59636e);
      text-align: center;
    }
    .slice {
      color: var(--_muted, #59636e);
      margin-top: 0.5em;
    }
    canvas {
      display: block;
      max-width: 100%;
      image-rendering: pixelated;
      margin: 0.25em 0;
    }
    .scale {
      display: flex;
      align-items: center;
      gap: 0.5em;
      font-size: 0.75rem;
    }
    .bar {
      width: 12em;
      height: 0.6em;
      background: ${unsafeCSS(VIRIDIS_GRADIENT)};
      border-radius: 2px;
    }
    pre {
      margin: 0;
      font: inherit;
      white-space: pre-wrap;
    }
  `;

  constructor() {
    super();
    this.view = 'table';
    this.text = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('payload') && this.payload) {
      this.view = this.payload.image && this.payload.shape.length === 3 ? 'image' : 'table';
    }
  }

  protected override updated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (!canvas || !this.payload) return;
    const { image, heatmap } = this.payload;
    if (this.view === 'image' && image) paintImage(canvas, image);
    if (this.view === 'heatmap' && heatmap) paintHeatmap(canvas, heatmap);
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.text);
    } catch {
      this.view = 'text'; // Clipboard refused (insecure context): show the text to select instead.
    }
  }

  private renderTable(p: ArrayPayload): TemplateResult {
    const { shape, index, values, kind, bits, printOptions } = p;
    const per = kind === 'c' ? 2 : 1;
    if (p.size === 0) return html`<div class="slice">empty array</div>`;
    if (shape.length === 0) {
      return html`<table><tr><td>${formatGroup(kind, bits, values, printOptions)[0]}</td></tr></table>`;
    }
    const rowsIdx = shape.length === 1 ? index[0]! : index[shape.length - 2]!;
    const colsIdx = shape.length === 1 ? [0] : index[shape.length - 1]!;
    const sliceSize = rowsIdx.length * colsIdx.length * per;
    const leading = shape.slice(0, Math.max(0, shape.length - 2));
    const leadingIdx = index.slice(0, leading.length);
    const slices: Array<{ label: string | null; offset: number; gap: boolean }> = [];
    const walk = (dim: number, prefix: number[], positions: number[], gap: boolean) => {
      if (dim === leading.length) {
        const flat = positions.reduce((acc, pos, d) => acc * leadingIdx[d]!.length + pos, 0);
        slices.push({ label: leading.length ? `[${[...prefix, ':', ':'].join(', ')}]` : null, offset: flat * sliceSize, gap });
        return;
      }
      axisCells(leadingIdx[dim]!).forEach((position, i, all) => {
        if (position === null) return;
        const gapBefore = i > 0 && all[i - 1] === null;
        walk(dim + 1, [...prefix, leadingIdx[dim]![position]!], [...positions, position], gap || gapBefore);
      });
    };
    walk(0, [], [], false);
    const rowCells = axisCells(rowsIdx);
    const colCells = axisCells(colsIdx);
    const one = shape.length === 1;
    return html`${slices.map((slice) => {
      // Each column shares one format, as NumPy shares one per array.
      const columns = colsIdx.map((_, c) => {
        const group: Array<number | string> = [];
        for (let r = 0; r < rowsIdx.length; r++) {
          const at = slice.offset + (r * colsIdx.length + c) * per;
          group.push(...values.slice(at, at + per));
        }
        return formatGroup(kind, bits, group, printOptions);
      });
      return html`
        ${slice.gap ? html`<div class="slice">⋮</div>` : nothing}
        ${slice.label ? html`<div class="slice">${slice.label}</div>` : nothing}
        <table>
          ${
            one
              ? nothing
              : html`<tr>
                  <td class="corner"></td>
                  ${colCells.map((c) => (c === null ? html`<th scope="col" class="gap">${ELLIPSIS}</th>` : html`<th scope="col">${colsIdx[c]}</th>`))}
                </tr>`
          }
          ${rowCells.map((r) =>
            r === null
              ? html`<tr>
                  <th scope="row" class="row gap">⋮</th>
                  ${colCells.map(() => html`<td class="gap">⋮</td>`)}
                </tr>`
              : html`<tr>
                  <th scope="row" class="row">${rowsIdx[r]}</th>
                  ${colCells.map((c) => (c === null ? html`<td class="gap">${ELLIPSIS}</td>` : html`<td>${columns[c]![r]}</td>`))}
                </tr>`,
          )}
        </table>
      `;
    })}`;
  }

  private renderHeatmap({ min, max, rows, cols }: Heatmap, p: ArrayPayload): TemplateResult {
    const [low, high] = formatGroup('f', 64, [min, max], p.printOptions).map((t) => t.trim());
    const sampled = rows < p.shape[0]! || cols < p.shape[1]!;
    const label = `Heatmap of a ${p.shape.join(' × ')} ${p.dtype} array, values from ${low} to ${high}${sampled ? `, as block means on a ${rows} × ${cols} grid` : ''}`;
    return html`<canvas part="heatmap" role="img" aria-label=${label}></canvas>
      <div class="scale">${low}<span class="bar"></span>${high}${sampled ? html`<span>(block means on a ${rows}×${cols} grid)</span>` : nothing}</div>`;
  }

  protected override render() {
    const p = this.payload;
    if (!p) return nothing;
    const views: Array<[View, string]> = [['table', 'Table']];
    if (p.heatmap) views.push(['heatmap', 'Heatmap']);
    if (p.image) views.push(['image', 'Image']);
    views.push(['text', 'Text']);
    const shape = p.shape.length === 1 ? `(${p.shape[0]},)` : `(${p.shape.join(', ')})`;
    return html`
      <div class="head">
        <span class="summary">${p.typeName} · shape ${shape} · ${p.dtype}${p.summarized ? ' · summarised' : ''}</span>
        <span class="views" role="group" aria-label="View">
          ${views.map(
            ([view, label]) =>
              html`<button type="button" data-view=${view} aria-pressed=${this.view === view ? 'true' : 'false'} @click=${() => (this.view = view)}>${label}</button>`,
          )}
          <button type="button" class="copy" title="Copy the repr as text" @click=${() => void this.copy()}>Copy</button>
        </span>
      </div>
      <div class="scroll">
        ${
          this.view === 'table'
            ? this.renderTable(p)
            : this.view === 'heatmap' && p.heatmap
              ? this.renderHeatmap(p.heatmap, p)
              : this.view === 'image'
                ? html`<canvas part="image" role="img" aria-label="The array as an image"></canvas>`
                : html`<pre>${this.text}</pre>`
        }
      </div>
    `;
  }
}

if (!customElements.get('py-cell-array')) customElements.define('py-cell-array', PyCellArray);
