/**
 * Loaded on the first plain output of 4,096 characters or more (a separate chunk; `ansi-lazy.ts`
 * shows the text as one text node until then).
 *
 * Long plain output text, drawn in blocks of lines that stay in the page from one render to the
 * next. While a loop prints, a stream's kept text changes at its two ends only (the model drops
 * the start of the tail and appends what came): the blocks still in it are kept, so the browser
 * lays out the lines that came and not the whole kept text again (20,000 characters took 23-48 ms
 * of layout per render in Chromium; a block of 32 lines, under 2 ms).
 *
 * Each block is a span `.lines` (`display: block`, laid out only when scrolled into view); the
 * last, unfinished lines stay inline, so an `input()` field keeps to its prompt's line. The DOM's
 * text is always the text given: a block is kept only where its text is still there, at its place.
 */

/** A block's style (set on the element, so the chunk brings its own): laid out when scrolled into view. */
const BLOCK_STYLE = 'display:block;content-visibility:auto;contain-intrinsic-size:auto 38em';

/** Lines of a block. */
const LINES = 32;

interface Block {
  /** Where its text starts and ends in the stream (see `draw`). */
  start: number;
  end: number;
  node: HTMLElement;
}

/** Where `text`'s `n`th line feed after `from` ends, or -1 when it has fewer. */
function afterLines(text: string, from: number, n: number): number {
  let at = from - 1;
  for (let i = 0; i < n; i++) {
    at = text.indexOf('\n', at + 1);
    if (at === -1) return -1;
  }
  return at + 1;
}

export class TextBlocks {
  /** What the template shows: the blocks, then the unfinished lines (`display: contents`). */
  readonly root: HTMLElement;
  private blocks: Block[] = [];
  private readonly rest = document.createTextNode('');

  constructor() {
    this.root = document.createElement('span');
    this.root.style.display = 'contents';
    this.root.append(this.rest);
  }

  /**
   * Shows `text`, which starts at `start` in its stream: the position the output model gives the
   * first character it keeps, the same for a character from one render to the next.
   */
  draw(text: string, start: number): HTMLElement {
    const end = start + text.length;
    const at = (position: number) => position - start;
    // The blocks whose text is still there, in order; the first that is not ends the kept run.
    let first = 0;
    while (first < this.blocks.length && this.blocks[first]!.start < start) first++;
    let last = first;
    while (last < this.blocks.length) {
      const block = this.blocks[last]!;
      if (block.end > end || block.node.textContent !== text.slice(at(block.start), at(block.end))) break;
      last++;
    }
    for (const block of [...this.blocks.slice(0, first), ...this.blocks.slice(last)]) block.node.remove();
    const kept = this.blocks.slice(first, last);
    const blocks: Block[] = [];
    // The start of the text before the first kept block (what is left of a block the model cut).
    const keptStart = kept[0]?.start ?? null;
    if (keptStart !== null && keptStart > start) blocks.push(this.block(text, start, start, keptStart, kept[0]!.node));
    blocks.push(...kept);
    // New blocks for the lines that came; the unfinished ones stay inline.
    let from = blocks.at(-1)?.end ?? start;
    for (let to = afterLines(text, at(from), LINES); to !== -1; to = afterLines(text, at(from), LINES)) {
      blocks.push(this.block(text, start, from, start + to, this.rest));
      from = start + to;
    }
    this.rest.data = text.slice(at(from));
    this.blocks = blocks;
    return this.root;
  }

  /** A block of `text` (which starts at stream position `start`) from `from` to `to`, placed before `before`. */
  private block(text: string, start: number, from: number, to: number, before: Node): Block {
    const node = document.createElement('span');
    node.className = 'lines';
    node.style.cssText = BLOCK_STYLE;
    node.textContent = text.slice(from - start, to - start);
    this.root.insertBefore(node, before);
    return { start: from, end: to, node };
  }
}
