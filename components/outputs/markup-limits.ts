/**
 * How much HTML an output may hold. Sanitising, inserting and laying out markup costs the page's
 * main thread in proportion to its elements, and more than that for deep nesting (measured in
 * Chromium 156 on two cores: 10,000 flat elements about 110 ms in all, 20,000 nested ones about
 * 1.1 s). Past these limits an output is shown as its text instead, so no output blocks the page
 * for more than about 100 ms.
 */

/** Elements in one output. */
export const MAX_ELEMENTS = 10_000;
/** Depth of nested elements in one output (as estimated by `measureMarkup`). */
export const MAX_DEPTH = 512;

// Elements without content, and elements whose end tag may be left out (their depth is not counted).
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const OPTIONAL_END = new Set([
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'option',
  'optgroup',
  'thead',
  'tbody',
  'tfoot',
  'colgroup',
  'caption',
  'rt',
  'rp',
]);
const TAG = /<(\/?)([a-zA-Z][^\s/>]*)[^>]*?(\/?)>/g;

/** The number of elements and an estimate of the deepest nesting, from one pass over the text. */
export function measureMarkup(markup: string): { elements: number; depth: number } {
  let elements = 0;
  let depth = 0;
  let deepest = 0;
  for (const [, closing, name = '', selfClosing] of markup.matchAll(TAG)) {
    const tag = name.toLowerCase();
    if (closing) {
      if (!VOID.has(tag) && !OPTIONAL_END.has(tag)) depth = Math.max(0, depth - 1);
      continue;
    }
    elements++;
    if (selfClosing || VOID.has(tag) || OPTIONAL_END.has(tag)) continue;
    depth++;
    if (depth > deepest) deepest = depth;
  }
  return { elements, depth: deepest };
}

/**
 * Markdown indented deeper than this (in columns, a tab counting 4) is not converted: marked takes
 * time cubic in the nesting of lists (measured: 500 nested levels 0.9 s, 1,000 levels 5.8 s).
 */
export const MAX_MARKDOWN_INDENT = 256;

/** Why `markdown` is too much to convert to HTML, or `null` when it is not. */
export function markdownTooComplex(markdown: string): string | null {
  let deepest = 0;
  for (const [indent = ''] of markdown.matchAll(/^[ \t]+/gm)) {
    let columns = 0;
    for (const char of indent) columns += char === '\t' ? 4 : 1;
    if (columns > deepest) deepest = columns;
  }
  return deepest > MAX_MARKDOWN_INDENT ? `indented ${deepest} columns deep; at most ${MAX_MARKDOWN_INDENT}` : null;
}

/** Why `markup` is too much to show as HTML, or `null` when it is not. */
export function markupTooLarge(markup: string): string | null {
  const { elements, depth } = measureMarkup(markup);
  if (depth > MAX_DEPTH) return `nested ${depth} deep; at most ${MAX_DEPTH}`;
  if (elements > MAX_ELEMENTS) return `${elements} elements; at most ${MAX_ELEMENTS}`;
  return null;
}
