/** The text of HTML output for readers without JavaScript, read with parse5 (Node has no DOM). */
import { parseFragment, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['childNode'] | DefaultTreeAdapterMap['documentFragment'];

/** Tags whose text is not text a reader sees. */
const UNSEEN = new Set(['script', 'style', 'template', 'noscript']);
/** Tags that end a line of text. */
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'caption',
  'table',
  'ul',
  'ol',
  'pre',
  'blockquote',
]);

/** The visible text of `markup`: its text nodes, a line break after each block, a space after each table cell. */
export function htmlText(markup: string): string {
  let text = '';
  const visit = (node: Node) => {
    if (node.nodeName === '#text') {
      text += (node as DefaultTreeAdapterMap['textNode']).value;
      return;
    }
    if (!('childNodes' in node) || UNSEEN.has(node.nodeName)) return;
    for (const child of node.childNodes) visit(child);
    if (node.nodeName === 'td' || node.nodeName === 'th') text += ' ';
    else if (BLOCKS.has(node.nodeName)) text += '\n';
  };
  visit(parseFragment(markup));
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}
