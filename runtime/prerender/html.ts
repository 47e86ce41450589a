/**
 * The cells of an HTML page, read with parse5 as the element reads them (`readSource`), and the
 * page with each cell's prerendered children replaced: edits at the parser's source offsets, so
 * the rest of the page stays byte for byte as it was.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { dedent, isPythonType, ROLES, scriptSource } from '../../components/source.js';
import { PRERENDERED_ATTRIBUTE, PRERENDERED_TYPE } from '../../components/outputs/prerendered.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

/** A `<py-cell>` as the command sees it. */
export interface PageCell {
  /** Its number in the page (1-based), as in its tracebacks' `<cell N>`. */
  number: number;
  code: string;
  attributes: Map<string, string>;
  /** The JSON of its stored outputs, if it has some. */
  stored: string | null;
  /** Offsets of the children an earlier prerender wrote, to replace. */
  previous: Array<[number, number]>;
  /** Where new children go: the start of its end tag (`null`: no end tag, nothing is written). */
  insertAt: number | null;
}

const isElement = (node: Node): node is Element => 'tagName' in node;
const attribute = (element: Element, name: string) => element.attrs.find((attr) => attr.name === name)?.value ?? null;
const isPython = (element: Element) => element.tagName === 'script' && isPythonType(attribute(element, 'type'));
const isPrerendered = (node: Node) => isElement(node) && attribute(node, PRERENDERED_ATTRIBUTE) !== null;

function text(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if (!isElement(node) || node.tagName === 'template') return '';
  return node.childNodes.map(text).join('');
}

function cellOf(element: Element, number: number): PageCell {
  const children = element.childNodes.filter(isElement);
  const scripts = children.filter(isPython);
  let code: string;
  if (scripts.length === 0) {
    code = dedent(
      element.childNodes
        .filter((node) => !isPrerendered(node))
        .map(text)
        .join(''),
    );
  } else {
    const script = scripts.find((candidate) => !ROLES.some((role) => attribute(candidate, `data-${role}`) !== null));
    code = script ? scriptSource(text(script)) : '';
  }
  const data = children.find(
    (child) => child.tagName === 'script' && isPrerendered(child) && attribute(child, 'type') === PRERENDERED_TYPE,
  );
  const previous = children
    .filter(isPrerendered)
    .map((child): [number, number] => [child.sourceCodeLocation!.startOffset, child.sourceCodeLocation!.endOffset]);
  return {
    number,
    code,
    attributes: new Map(element.attrs.map((attr) => [attr.name, attr.value])),
    stored: data ? text(data) : null,
    previous,
    insertAt: element.sourceCodeLocation?.endTag?.startOffset ?? null,
  };
}

/** Every `<py-cell>` of the page, in document order (not those inside a `<template>`). */
export function findCells(html: string): PageCell[] {
  const cells: PageCell[] = [];
  const visit = (node: Node) => {
    if (!isElement(node) && !('childNodes' in node)) return;
    if (isElement(node) && node.tagName === 'py-cell') cells.push(cellOf(node, cells.length + 1));
    if (isElement(node) && node.tagName === 'template') return;
    for (const child of (node as Element).childNodes) visit(child);
  };
  visit(parse(html, { sourceCodeLocationInfo: true }));
  return cells;
}

const escapeHTML = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The children a prerender writes into a cell: the data, and the outputs' text for readers without JavaScript. */
export function prerenderedMarkup(json: string, texts: Array<[string, string]>): string {
  const fallback = texts.map(([name, value]) => `<pre class="py-cell-${name}">${escapeHTML(value)}</pre>`).join('');
  return (
    `<script type="${PRERENDERED_TYPE}" ${PRERENDERED_ATTRIBUTE}>${json}</script>` +
    (fallback ? `<div ${PRERENDERED_ATTRIBUTE} class="py-cell-prerendered">${fallback}</div>` : '')
  );
}

/** `html` with each cell's earlier prerendered children removed and `markup` (by cell number) put in. */
export function rewrite(html: string, cells: readonly PageCell[], markup: ReadonlyMap<number, string>): string {
  const edits: Array<[number, number, string]> = [];
  for (const cell of cells) {
    const replacement = markup.get(cell.number);
    if (replacement === undefined || cell.insertAt === null) continue;
    for (const [start, end] of cell.previous) edits.push([start, end, '']);
    edits.push([cell.insertAt, cell.insertAt, replacement]);
  }
  edits.sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  let out = html;
  for (const [start, end, replacement] of edits) out = out.slice(0, start) + replacement + out.slice(end);
  return out;
}
