/**
 * `autorun`: a cell runs once when it first scrolls into view. The cell watches only while its
 * autorun waits; outputs computed when the page was built stand in for it (the cell does not ask).
 */
import { IntersectionController } from '@lit-labs/observers/intersection-controller.js';
import type { ReactiveControllerHost } from 'lit';

export class AutorunController {
  private done = false;
  private readonly visibility: IntersectionController;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Runs the cell. */
    run: () => void,
  ) {
    this.visibility = new IntersectionController(host, {
      target: null,
      callback: (entries) => {
        if (!this.done && entries.some((entry) => entry.isIntersecting)) {
          this.done = true;
          this.visibility.unobserve(host);
          run();
        }
      },
    });
  }

  /** Runs the cell when it comes into view, unless it did already. */
  watch(): void {
    if (!this.done) this.visibility.observe(this.host);
  }
}
