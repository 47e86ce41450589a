/** Python syntax highlighting with Prism, rendered as Lit templates (text is always escaped). */
import './prism-isolate.js';
import Prism from 'prismjs/components/prism-core';
import 'prismjs/components/prism-python';
import './prism-restore.js';
import { html, type TemplateResult } from 'lit';

type Token = string | Prism.Token;

function renderToken(token: Token): string | TemplateResult {
  if (typeof token === 'string') return token;
  const content = Array.isArray(token.content) ? token.content.map(renderToken) : renderToken(token.content);
  const alias = token.alias ? ` ${([] as string[]).concat(token.alias).join(' ')}` : '';
  return html`<span class="token ${token.type}${alias}">${content}</span>`;
}

/** Beyond this size code is shown unhighlighted, so typing never waits for the highlighter. */
export const HIGHLIGHT_LIMIT = 50_000;

/** Highlighted Python, as a list of text and `<span class="token ...">` templates. */
export function highlightPython(code: string): Array<string | TemplateResult> {
  if (code.length > HIGHLIGHT_LIMIT) return [code];
  return Prism.tokenize(code, Prism.languages['python']!).map(renderToken);
}
