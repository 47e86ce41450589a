/**
 * Loaded on first need (a separate chunk): DOMPurify for HTML and SVG outputs, marked for
 * Markdown. Untrusted output loses scripts, event-handler attributes and `javascript:` URLs.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

// Forms are removed too: submitting one would navigate the page away from the reader.
const PURIFY = {
  RETURN_DOM_FRAGMENT: true,
  WHOLE_DOCUMENT: false,
  FORBID_TAGS: ['form'],
  FORBID_ATTR: ['action', 'formaction'],
} as const;

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
