/** `<py-cell-canvas>`: shows the frames a worker-side canvas (OffscreenCanvas) commits. */
import { LitElement, css, html, type PropertyValues } from 'lit';

export class PyCellCanvas extends LitElement {
  static override properties = {
    width: { type: Number },
    height: { type: Number },
    frame: { attribute: false },
  };

  declare width: number;
  declare height: number;
  /** The latest frame; drawn when set. */
  declare frame: ImageBitmap | null;

  static override styles = css`
    :host {
      display: block;
    }
    canvas {
      display: block;
      max-width: 100%;
      height: auto;
    }
  `;

  constructor() {
    super();
    this.width = 300;
    this.height = 150;
    this.frame = null;
  }

  /** The visible canvas (pixels can be read back from it). */
  get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  protected override render() {
    return html`<canvas part="canvas" width=${this.width} height=${this.height} role="img" aria-label="Drawing from Python"></canvas>`;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('frame') || !this.frame || !this.canvas) return;
    const context = this.canvas.getContext('2d')!;
    context.clearRect(0, 0, this.width, this.height);
    context.drawImage(this.frame, 0, 0);
  }
}

if (!customElements.get('py-cell-canvas')) customElements.define('py-cell-canvas', PyCellCanvas);
