/**
 * Loaded on first need (a separate chunk): DOMPurify for HTML and SVG outputs, marked for
 * Markdown. Untrusted output loses scripts, event-handler attributes and `javascript:` URLs,
 * forms (submitting one would navigate the page away from the reader) and whatever opens a layer
 * above the page (popovers, modal dialogs through invoker commands). Its links open in a new tab.
 * Tables' defaults and the marking of numeric cells (`tables.ts`) come in the same chunk.
 */
import DOMPurify from 'dompurify';
import { Marked, type TokenizerAndRendererExtension } from 'marked';

export { markdownTooComplex, markupTooLarge } from './markup-limits.js';
export { prepareTables, TABLE_STYLE } from './tables.js';

const PURIFY = {
  RETURN_DOM_FRAGMENT: true,
  WHOLE_DOCUMENT: false,
  FORBID_TAGS: ['form'],
  FORBID_ATTR: ['action', 'formaction', 'popover', 'popovertarget', 'popovertargetaction', 'commandfor', 'command', 'interestfor'],
} as const;

// A followed link would take the reader away from the page and its cells: links open a new tab,
// which gets no handle on this page.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if ((node.localName === 'a' || node.localName === 'area') && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/** A fragment of sanitised HTML (or SVG markup) ready to insert. */
export function sanitizedFragment(markup: string, kind: 'html' | 'svg'): DocumentFragment {
  const options = kind === 'svg' ? { ...PURIFY, USE_PROFILES: { svg: true, svgFilters: true } } : PURIFY;
  return DOMPurify.sanitize(markup, { ...options, FORBID_TAGS: [...options.FORBID_TAGS], FORBID_ATTR: [...options.FORBID_ATTR] });
}

/** A fragment from markup the author trusts: inserted as is; its scripts run once inserted. */
export function trustedFragment(markup: string): DocumentFragment {
  return document.createRange().createContextualFragment(markup);
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A formula, kept from Markdown's emphasis and escapes: a `.py-cell-tex` placeholder that `math.ts` typesets. */
const formula = (tex: string, display: boolean) =>
  `<${display ? 'div' : 'span'} class="py-cell-tex" data-display="${display}">${escapeText(tex)}</${display ? 'div' : 'span'}>`;

/**
 * Where `close` first occurs in `source` after `from`, or -1. Sources are suffixes of one document:
 * once a marker has no closing in a suffix, no shorter suffix has one, so each document's search
 * stays linear however many unclosed openings it holds (`closings`, reset per document).
 */
const closings = new Map<string, number>();
function closing(source: string, close: string, from: number): number {
  if (source.length <= (closings.get(close) ?? -1)) return -1;
  const at = source.indexOf(close, from);
  if (at === -1) closings.set(close, source.length);
  return at;
}

/** Display math on lines of its own: `$$…$$` or `\[…\]`. */
const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start: (source) => source.match(/^ {0,3}(?:\$\$|\\\[)/m)?.index,
  tokenizer(source) {
    const open = /^ {0,3}(\$\$|\\\[)/.exec(source);
    if (!open) return undefined;
    const close = open[1] === '$$' ? '$$' : '\\]';
    const at = closing(source, close, open[0].length);
    const after = at === -1 ? null : /^[ \t]*(?:\n|$)/.exec(source.slice(at + 2, at + 2 + 256));
    if (!after) return undefined;
    return { type: 'blockMath', raw: source.slice(0, at + 2 + after[0].length), text: source.slice(open[0].length, at).trim() };
  },
  renderer: (token) => `${formula(token.text as string, true)}\n`,
};

/** Math inside a paragraph: `$…$` (no space inside the dollars, not before a digit, on one line), `\(…\)`, `$$…$$`. */
const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start: (source) => source.match(/\$|\\\(/)?.index,
  tokenizer(source) {
    if (source.startsWith('\\(') || source.startsWith('$$')) {
      const close = source[0] === '$' ? '$$' : '\\)';
      const at = closing(source, close, 2);
      return at > 2
        ? { type: 'inlineMath', raw: source.slice(0, at + 2), text: source.slice(2, at), display: source[0] === '$' }
        : undefined;
    }
    const match = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(source);
    return match ? { type: 'inlineMath', raw: match[0], text: match[1]!, display: false } : undefined;
  },
  renderer: (token) => formula(token.text as string, token.display as boolean),
};

const markdown = new Marked({ async: false, gfm: true, extensions: [blockMath, inlineMath] });

/** Markdown rendered to HTML (GitHub flavour, with `$…$` and `$$…$$` math); sanitise or trust the result like HTML. */
export function markdownToHTML(source: string): string {
  closings.clear();
  return markdown.parse(source, { async: false });
}
