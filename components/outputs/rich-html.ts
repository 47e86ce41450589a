/**
 * `<py-cell-html>`: HTML, SVG or Markdown output in its own shadow root, so its styles stay
 * inside it, painted inside its own box (`contain: paint`), so it cannot cover the page.
 * Sanitised with DOMPurify unless the cell is `trusted`.
 */
import { LitElement, css, type PropertyValues } from 'lit';

export class PyCellHtml extends LitElement {
  static override properties = {
    markup: { attribute: false },
    kind: { attribute: false },
    trusted: { attribute: false },
  };

  declare markup: string;
  declare kind: 'html' | 'svg' | 'markdown';
  declare trusted: boolean;
  /** Settles when the latest markup is in place. */
  rendered: Promise<void> = Promise.resolve();

  static override styles = css`
    :host {
      display: block;
      contain: paint;
      position: relative;
      overflow: auto;
      max-width: 100%;
    }
    img,
    svg,
    video,
    canvas {
      max-width: 100%;
      height: auto;
    }
  `;

  constructor() {
    super();
    this.markup = '';
    this.kind = 'html';
    this.trusted = false;
  }

  protected override render() {
    return undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('markup') || changed.has('kind') || changed.has('trusted')) this.rendered = this.place();
  }

  private async place(): Promise<void> {
    const { markup, kind, trusted } = this;
    const { sanitizedFragment, trustedFragment, markdownToHTML } = await import('./sanitize.js');
    if (markup !== this.markup || kind !== this.kind || trusted !== this.trusted) return; // superseded
    const source = kind === 'markdown' ? markdownToHTML(markup) : markup;
    const fragment = trusted ? trustedFragment(source) : sanitizedFragment(source, kind === 'svg' ? 'svg' : 'html');
    const root = this.renderRoot;
    for (const node of Array.from(root.childNodes)) if (!(node instanceof HTMLStyleElement)) node.remove();
    root.appendChild(fragment);
  }
}

if (!customElements.get('py-cell-html')) customElements.define('py-cell-html', PyCellHtml);
