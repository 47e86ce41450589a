/**
 * `<py-cell-html>`: HTML, SVG or Markdown output, sanitised with DOMPurify unless the cell is
 * `trusted`. The markup goes into a shadow root of its own, attached to an element inside a
 * frame that paints within its box (`contain: paint`): its styles stay inside it, and no rule of
 * it, `:host{position: fixed !important}` included, can reach the frame, so whatever it does
 * stays inside its cell. Markup too large to show without blocking the page (`markup-limits.ts`)
 * is shown as its text instead.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { refusalStyles } from './refusal.js';

/** The output's own defaults, first in its shadow root (its styles may override them), with those of tables (`tables.ts`). */
const CONTENT_STYLE = ':host { display: block; } img, svg, video, canvas { max-width: 100%; height: auto; }';

/** Longer markup is not even measured (the measure itself would take tens of ms): too large. */
const MAX_MARKUP_LENGTH = 1024 * 1024;

export class PyCellHtml extends LitElement {
  static override properties = {
    markup: { attribute: false },
    kind: { attribute: false },
    trusted: { attribute: false },
    fallback: { attribute: false },
    math: { attribute: false },
    refused: { state: true },
  };

  declare markup: string;
  declare kind: 'html' | 'svg' | 'markdown';
  declare trusted: boolean;
  /** The output's text, shown when the markup is too large. */
  declare fallback: string;
  /** Typeset formulas written in its text (`$…$`, `\(…\)`, …), as exercise hints do; Markdown's are typeset always. */
  declare math: boolean;
  /** Why the markup is not shown, when it is too large. */
  declare refused: string | null;
  /** Settles when the latest markup is in place. */
  rendered: Promise<void> = Promise.resolve();

  static override styles = [
    refusalStyles,
    css`
    :host {
      display: block;
      max-width: 100%;
    }
    .frame {
      contain: paint;
      position: relative;
      overflow: auto;
      max-width: 100%;
    }
    .frame:focus-visible {
      outline: 2px solid var(--_accent, #2f6fd1);
      outline-offset: -2px;
    }
  `,
  ];

  constructor() {
    super();
    this.markup = '';
    this.kind = 'html';
    this.trusted = false;
    this.fallback = '';
    this.math = false;
    this.refused = null;
  }

  protected override render() {
    return this.refused === null
      ? html`<div class="frame"><div class="content"></div></div>`
      : html`<div class="hidden-output" part="hidden-output" role="note">… this ${this.kind === 'markdown' ? 'Markdown' : this.kind.toUpperCase()} output is too large to show without blocking the page (${this.refused}); its text follows …</div>
          ${this.fallback ? html`<pre>${this.fallback}</pre>` : nothing}`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('markup') || changed.has('kind') || changed.has('trusted')) this.rendered = this.place();
  }

  private async place(): Promise<void> {
    const { markup, kind, trusted } = this;
    const { sanitizedFragment, trustedFragment, markdownToHTML, markdownTooComplex, markupTooLarge, prepareTables, TABLE_STYLE } =
      await import('./sanitize.js');
    if (markup !== this.markup || kind !== this.kind || trusted !== this.trusted) return; // superseded
    this.refused =
      markup.length > MAX_MARKUP_LENGTH
        ? `${(markup.length / 1048576).toFixed(1)} MB; at most 1 MB`
        : kind === 'markdown'
          ? markdownTooComplex(markup)
          : null;
    const source = this.refused === null ? (kind === 'markdown' ? markdownToHTML(markup) : markup) : '';
    this.refused ??= markupTooLarge(source);
    await this.updateComplete;
    if (this.refused !== null) return;
    const fragment = trusted ? trustedFragment(source) : sanitizedFragment(source, kind === 'svg' ? 'svg' : 'html');
    prepareTables(fragment);
    const formulas = fragment.querySelector('.py-cell-tex') !== null || (this.math && /[$\\]/.test(fragment.textContent));
    const math = formulas ? await import('./math.js') : null;
    if (markup !== this.markup || kind !== this.kind || trusted !== this.trusted) return; // superseded
    const typeset = math?.typesetIn(fragment, this.math) ?? false;
    const host = this.renderRoot.querySelector('.content')!;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const base = document.createElement('style');
    base.textContent = CONTENT_STYLE + TABLE_STYLE + (typeset ? math!.MATH_STYLE : '');
    root.replaceChildren(base, fragment);
    if (typeset) await math!.adoptMathStyle(root);
    this.scrolling.observe(host);
    this.scrolling.observe(this.renderRoot.querySelector('.frame')!);
  }

  /** Makes the frame focusable while its content overflows it (a wide table), so a keyboard can scroll it. */
  private scrolling = new ResizeObserver(() => {
    const frame = this.renderRoot.querySelector<HTMLElement>('.frame');
    if (frame && (frame.scrollWidth > frame.clientWidth || frame.scrollHeight > frame.clientHeight)) frame.tabIndex = 0;
    else frame?.removeAttribute('tabindex');
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in a document (moved): watch the frame again, if its markup is in place.
    for (const element of this.renderRoot.querySelectorAll('.frame, .content')) this.scrolling.observe(element);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.scrolling.disconnect();
  }
}

if (!customElements.get('py-cell-html')) customElements.define('py-cell-html', PyCellHtml);
