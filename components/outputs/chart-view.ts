/**
 * `<py-cell-chart>`: a chart bundle (Altair's Vega-Lite, Vega, Plotly) drawn by its library, each
 * a chunk of its own loaded the first time a cell shows such a chart (`vega.ts`, `plotly.ts`). It
 * follows the cell's colour scheme (read from the cell's text colour, so an author's or a site's
 * colours count), fits the cell's width, and keeps its library's interaction (tooltips; zoom and
 * pan where the library has them). Its text alternative is the chart's title and description, or
 * the `alt` given to `pycell.display()`. A spec that cannot be drawn shows why, with its text.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { chartSpec, chartText } from '../../cell/chart-text.js';
import { refusalStyles } from './refusal.js';
import { chartLibrary } from '../../runtime/index.js';
import { schemeChanges } from '../color-scheme.js';

/** The cell's scheme, from the text colour it gives the chart: light text means a dark background. */
function isDark(element: Element): boolean {
  const match = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(getComputedStyle(element).color);
  if (!match) return false;
  const [r, g, b] = match.slice(1).map(Number) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 140;
}

export class PyCellChart extends LitElement {
  static override properties = {
    mime: { attribute: false },
    data: { attribute: false },
    alt: { attribute: false },
    problem: { state: true },
  };

  declare mime: string;
  /** The bundle's data for `mime`: the spec, as JSON text or an object. */
  declare data: unknown;
  /** The text alternative the author gave, if any. */
  declare alt: string;
  /** Why the chart is not drawn, when it is not. */
  declare problem: string | null;
  /** Settles when the latest spec is drawn (or refused). */
  rendered: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;
  private drawnDark: boolean | null = null;

  static override styles = [
    refusalStyles,
    css`
    :host {
      display: block;
      max-width: 100%;
    }
    .chart {
      margin: 0;
      max-width: 100%;
      overflow-x: auto;
    }
  `,
  ];

  constructor() {
    super();
    this.mime = '';
    this.data = null;
    this.alt = '';
    this.problem = null;
  }

  /** What a screen reader hears for the chart. */
  get label(): string {
    return this.alt || chartText(this.mime, this.data) || 'Chart with no title or description';
  }

  protected override render() {
    return html`<figure class="chart" part="chart" role="figure" aria-label=${this.label}><div class="target"></div></figure>
      ${
        this.problem === null
          ? nothing
          : html`<div class="hidden-output" part="hidden-output" role="note">… this chart could not be drawn (${this.problem}); its text follows …</div>
            <pre>${this.label}</pre>`
      }`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('mime') || changed.has('data')) this.redraw();
  }

  private redraw = (): void => {
    this.rendered = this.draw();
  };

  private async draw(): Promise<void> {
    const { mime, data } = this;
    const library = chartLibrary(mime);
    const parsed = chartSpec(data);
    this.release?.();
    this.release = null;
    if (!library) {
      this.problem = `${mime} is not a chart type`;
      return;
    }
    if ('problem' in parsed) {
      this.problem = parsed.problem;
      return;
    }
    const target = this.renderRoot.querySelector<HTMLElement>('.target')!;
    const dark = isDark(this);
    try {
      const release =
        library === 'plotly'
          ? await (await import('./plotly.js')).drawPlotly(target, parsed.spec, dark)
          : await (await import('./vega.js')).drawVega(target, parsed.spec, library, dark);
      if (mime !== this.mime || data !== this.data) {
        release();
        return;
      }
      this.release = release;
      this.drawnDark = dark;
      this.problem = null;
    } catch (error) {
      target.replaceChildren();
      this.problem = error instanceof Error ? error.message : String(error);
    }
  }

  /** The scheme changed: drawn again in the other one, if the cell's colours followed. */
  private schemeChanged = (): void => {
    if (this.drawnDark !== null && this.drawnDark !== isDark(this)) this.redraw();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    schemeChanges.addEventListener('change', this.schemeChanged);
    if (this.hasUpdated && !this.release) this.redraw(); // moved back into a document
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    schemeChanges.removeEventListener('change', this.schemeChanged);
    // The library's view and its listeners go with the chart.
    this.release?.();
    this.release = null;
  }
}

if (!customElements.get('py-cell-chart')) customElements.define('py-cell-chart', PyCellChart);
