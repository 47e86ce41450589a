/**
 * The Copy button's job (part `copy-button`): the cell's code to the clipboard, "Copied" for two
 * seconds; where the page may not write to the clipboard, the code selected for the reader to copy.
 */
import type { ReactiveControllerHost } from 'lit';

export class CopyCode {
  /** The code was just copied. */
  copied = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly code: () => string,
  ) {}

  readonly copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(this.code());
      this.show(true);
      setTimeout(() => this.show(false), 2000);
    } catch {
      const textarea = this.host.shadowRoot?.querySelector('textarea');
      textarea?.focus();
      textarea?.select();
    }
  };

  private show(copied: boolean): void {
    this.copied = copied;
    this.host.requestUpdate();
  }
}
