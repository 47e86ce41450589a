/**
 * The focus around the field for `input()`: a new field is focused unless the reader is busy
 * elsewhere on the page, and the page hears of it (`py-cell-input`); when the field goes with the
 * focus in it, the focus stays in the cell, on its output.
 */
import type { LitElement, ReactiveController } from 'lit';
import type { InputField } from '../controllers/run-controller.js';
import { PyCellInputEvent } from '../events.js';

export class InputFocusController implements ReactiveController {
  /** The field the page was last told about. */
  private shown: InputField | null = null;

  constructor(
    private readonly host: LitElement,
    /** The field the cell shows now, if any. */
    private readonly field: () => InputField | null,
  ) {
    host.addController(this);
  }

  hostUpdated(): void {
    const field = this.field();
    if (field === this.shown) return;
    const hadField = this.shown !== null;
    this.shown = field;
    const { host } = this;
    const focusHere = host.matches(':focus-within') || document.activeElement === null || document.activeElement === document.body;
    if (!field) {
      // The field went with the focus in it: the focus stays in the cell, on its output.
      if (hadField && focusHere) host.renderRoot.querySelector<HTMLElement>('[part="output"]')?.focus();
      return;
    }
    // A new field for input(): focused unless the reader is busy elsewhere on the page; the page is told.
    if (focusHere) host.renderRoot.querySelector<HTMLInputElement>('input.stdin')?.focus();
    host.dispatchEvent(new PyCellInputEvent(field.prompt));
  }
}
