/**
 * `${ansiText(text)}` in a template: output text with its ANSI colours. Text with no escape
 * sequence is itself; text with one is drawn by `ansi-text.ts`, a chunk loaded the first time an
 * output holds one. Until it arrives (a few milliseconds; forever if it cannot load) the text
 * shows with its sequences removed by a rough pattern, never raw. Long plain text is drawn in
 * blocks of lines kept from one render to the next (`text-blocks.ts`, also loaded on first use).
 */
import { noChange, type ChildPart } from 'lit';
import { AsyncDirective, directive } from 'lit/async-directive.js';
import type { TextBlocks } from './text-blocks.js';
import { BOLD, DIM, hasEscapes, INVERSE, ITALIC, readAnsi, STRIKE, TRUECOLOR, UNDERLINE } from '../../cell/ansi.js';

/** The parser, for the drawing chunk (which cannot import from py-cell.js). */
const PARSER = { readAnsi, BOLD, DIM, INVERSE, ITALIC, STRIKE, TRUECOLOR, UNDERLINE } as const;

/** A chunk loaded on first use: `get()` once it has loaded; `load()` starts it (again, after a failure). */
function chunk<T>(load: () => Promise<T>): { get(): T | null; load(): Promise<T> } {
  let module: T | null = null;
  let loading: Promise<T> | null = null;
  return {
    get: () => module,
    load: () =>
      (loading ??= load().then(
        (loaded) => (module = loaded),
        (error: unknown) => {
          loading = null; // tried again by the next output that needs it
          throw error;
        },
      )),
  };
}

const ansiChunk = chunk(() => import('./ansi-text.js'));
const blocksChunk = chunk(() => import('./text-blocks.js'));

/** Plain text from this length on is drawn in blocks of lines (`text-blocks.ts`). */
const BLOCKS_FROM = 4096;

/** CSI and OSC sequences, other ESC pairs, and lone control introducers: the placeholder's removals. */
const ROUGH =
  // eslint-disable-next-line no-control-regex -- control characters are what it removes
  /\x1b\[[0-?]*[ -/]*[@-~]?|(?:\x1b[\]P^_X]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?|[\x07\x1b\x9b]/g;

function rootOf(part: ChildPart): ShadowRoot | Document {
  const root = part.parentNode.getRootNode();
  return root instanceof ShadowRoot ? root : document;
}

class AnsiText extends AsyncDirective {
  private text: string | null = null;
  private blocks: TextBlocks | null = null;

  render(text: string, _start?: number): string {
    return text;
  }

  override update(part: ChildPart, [text, start = 0]: [string, number?]): unknown {
    if (text === this.text) return noChange;
    this.text = text;
    if (!hasEscapes(text)) {
      if (text.length < BLOCKS_FROM) return text;
      const draw = (module: typeof import('./text-blocks.js')) => (this.blocks ??= new module.TextBlocks()).draw(text, start);
      const blocks = blocksChunk.get();
      return blocks ? draw(blocks) : this.later(blocksChunk.load(), draw, text);
    }
    const draw = (module: typeof import('./ansi-text.js')) => {
      module.adoptAnsiStyles(rootOf(part));
      return module.drawAnsi(text, PARSER);
    };
    const drawer = ansiChunk.get();
    return drawer ? draw(drawer) : this.later(ansiChunk.load(), draw, text.replace(ROUGH, ''));
  }

  /** Shows `meanwhile` until the chunk has loaded, then what `draw` makes of it, if the text is still this one. */
  private later<T>(loading: Promise<T>, draw: (module: T) => unknown, meanwhile: string): string {
    const text = this.text;
    loading.then(
      (module) => {
        if (this.text === text && this.isConnected) this.setValue(draw(module));
      },
      () => undefined, // the text stays as it is shown
    );
    return meanwhile;
  }
}

/**
 * Output text, its ANSI escape sequences drawn as styles. `start`: where the text starts in its
 * stream (the output model's position of its first kept character), so that long plain text
 * redrawn while a loop prints keeps the blocks of lines it still holds (`text-blocks.ts`).
 */
export const ansiText = directive(AnsiText);
