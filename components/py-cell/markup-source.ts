/**
 * A cell's code as written in the page, with the outputs `py-cell prerender` stored for it: read
 * when the cell first connects, and read again while a framework fills the element after
 * connecting it, for as long as the code was not edited.
 */
import { MutationController } from '@lit-labs/observers/mutation-controller.js';
import type { ReactiveControllerHost } from 'lit';
import type { OutputItem } from '../../cell/output-model.js';
import { readSource } from '../../cell/source.js';
import { storedOutputs } from './show-stored-outputs.js';

export interface MarkupSourceOptions {
  /** Whether the markup is still followed: the code is as written there and no script set it. */
  following(): boolean;
  /** The markup was read: its code, and the stored outputs that are for that code, if any. */
  read(source: string, stored: OutputItem[] | null): void;
}

export class MarkupSource {
  /** The code as written in the page (`''` until it is read). */
  original = '';
  private done = false;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: MarkupSourceOptions,
  ) {
    new MutationController(host, {
      config: { childList: true, characterData: true, subtree: true },
      skipInitial: true,
      callback: () => {
        if (options.following()) this.read();
      },
    });
  }

  /** Reads the markup if it was never read; says whether it did. */
  readFirst(): boolean {
    if (this.done) return false;
    this.read();
    return true;
  }

  private read(): void {
    const source = readSource(this.host);
    this.done = true;
    this.original = source;
    this.options.read(source, storedOutputs(this.host, source));
  }
}
