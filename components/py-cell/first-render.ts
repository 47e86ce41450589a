/**
 * The first renders of a page's cells, spread over tasks. A page that defines 30 cells upgrades
 * them all in one task, and Lit would render them all in that task's microtasks: one long task
 * (issue 26: 109-144 ms in Chromium, 2 cores). Here a first render waits for the next task once
 * this task has spent `SLICE_MS` on first renders; until its first render, a cell shows its own
 * markup (its code), as before it was defined.
 */
import { LitElement, type PropertyValues } from 'lit';

/** Milliseconds of first renders in one task. */
const SLICE_MS = 12;

/** When this task's first render began (`null`: none yet in this task). */
let sliceStart: number | null = null;
/** The start of the next task, once asked for. */
let next: Promise<void> | null = null;

/** A task after this one (a message: not throttled as nested timers are). */
function nextTask(): Promise<void> {
  next ??= new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      next = null;
      sliceStart = null;
      resolve();
    };
    channel.port2.postMessage(null);
  });
  return next;
}

/**
 * Resolves when a first render may happen: at once (`null`) while this task has spent less than
 * `SLICE_MS` on first renders, else in a later task, in the order asked.
 */
function firstRenderTurn(): Promise<void> | null {
  if (sliceStart === null) {
    sliceStart = performance.now();
    void nextTask(); // ends this slice
    return null;
  }
  if (performance.now() - sliceStart < SLICE_MS) return null;
  return nextTask().then(() => firstRenderTurn() ?? undefined);
}

/**
 * An element whose first render waits for its turn, showing its own markup (light DOM) until then.
 * @internal
 */
export class SlicedFirstRender extends LitElement {
  /** What the shadow root shows until the first render: the element's own markup. */
  private readonly placeholder = document.createElement('slot');

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    // Lit makes the root once, on the first connection, before the first update.
    const root = super.createRenderRoot();
    root.append(this.placeholder);
    return root;
  }

  protected override scheduleUpdate() {
    const turn = this.hasUpdated ? null : firstRenderTurn();
    return turn ? turn.then(() => super.scheduleUpdate()) : super.scheduleUpdate();
  }

  protected override update(changed: PropertyValues): void {
    if (!this.hasUpdated) this.placeholder.remove();
    super.update(changed);
  }
}
