/**
 * Loaded on first need (a separate chunk): DOMPurify for HTML and SVG outputs, marked for
 * Markdown. Untrusted output loses scripts, event-handler attributes and `javascript:` URLs,
 * forms (submitting one would navigate the page away from the reader) and whatever opens a layer
 * above the page (popovers, modal dialogs through invoker commands). Its links open in a new tab.
 * Tables' defaults and the marking of numeric cells (`tables.ts`) come in the same chunk.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

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

/** Markdown rendered to HTML (GitHub flavour); sanitise or trust the result like HTML. */
export function markdownToHTML(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}
