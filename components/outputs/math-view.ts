/**
 * `<py-cell-math>`: LaTeX output (`text/latex`, what `_repr_latex_` returns, as SymPy does),
 * typeset by KaTeX from the math chunk (`math.ts`), loaded the first time a cell shows a formula.
 * Until then, and if it cannot load, the source shows as text.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';

export class PyCellMath extends LitElement {
  static override properties = { source: { attribute: false }, typesetSource: { state: true } };

  declare source: string;
  /** The source now typeset in `.typeset`; until it is the current one, the source shows as text. */
  declare typesetSource: string | null;
  /** Settles when the latest source is typeset (or shown as source). */
  rendered: Promise<void> = Promise.resolve();

  static override styles = css`
    :host {
      display: block;
      max-width: 100%;
      overflow-x: auto;
    }
    [hidden] {
      display: none;
    }
    .latex {
      margin: 0;
      white-space: pre-wrap;
      font-family: var(--py-cell-code-font-family, ui-monospace, monospace);
    }
  `;

  constructor() {
    super();
    this.source = '';
    this.typesetSource = null;
  }

  protected override render() {
    const ready = this.typesetSource === this.source;
    return html`<div class="latex" ?hidden=${ready}>${this.source}</div><div class="typeset" part="math" ?hidden=${!ready}></div>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('source')) this.rendered = this.draw().catch((error: unknown) => console.warn('py-cell: math not typeset', error));
  }

  private async draw(): Promise<void> {
    const { source } = this;
    const math = await import('./math.js');
    if (source !== this.source) return; // superseded
    const root = this.renderRoot as ShadowRoot;
    if (!root.querySelector('style[data-math]')) {
      const style = document.createElement('style');
      style.dataset.math = '';
      style.textContent = math.MATH_STYLE;
      root.append(style);
    }
    const typeset = document.createElement('div');
    math.typesetLatex(typeset, source);
    await math.adoptMathStyle(root);
    if (source !== this.source) return;
    root.querySelector('.typeset')!.replaceChildren(...typeset.childNodes);
    this.typesetSource = source;
    await this.updateComplete;
  }
}

if (!customElements.get('py-cell-math')) customElements.define('py-cell-math', PyCellMath);
