/**
 * The cells of an HTML page, read with parse5 by the element's own rules (`cell/source.ts`, through
 * an adapter that gives parse5's elements the shape of DOM elements), and the page with each cell's
 * prerendered children replaced: edits at the parser's source offsets, so the rest of the page
 * stays byte for byte as it was.
 */
import { parse, serialize, type DefaultTreeAdapterMap } from 'parse5';
import { prepareRun, type Preparation } from '../cell/run-request.js';
import { readSource, storedData, type CellMarkup, type MarkupNode } from '../cell/source.js';
import { PRERENDERED_ATTRIBUTE, PRERENDERED_TYPE } from '../cell/stored-outputs.js';

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

function text(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  if (!isElement(node) || node.tagName === 'template') return '';
  return node.childNodes.map(text).join('');
}

/** A parse5 node in the shape `cell/source.ts` reads (as a DOM node). */
function markupNode(node: Node): MarkupNode {
  return isElement(node) ? markup(node) : { nodeType: node.nodeName === '#text' ? 3 : 8, textContent: text(node) };
}

/** A parse5 element in the shape `cell/source.ts` reads (as a DOM element). */
function markup(element: Element): CellMarkup {
  return {
    nodeType: 1,
    localName: element.tagName,
    get textContent() {
      return text(element);
    },
    get children() {
      return element.childNodes.filter(isElement).map(markup);
    },
    get childNodes() {
      return element.childNodes.map(markupNode);
    },
    get innerHTML() {
      return serialize(element.tagName === 'template' ? (element as DefaultTreeAdapterMap['template']).content : element);
    },
    hasAttribute: (name) => attribute(element, name) !== null,
    getAttribute: (name) => attribute(element, name),
  };
}

function cellOf(element: Element, number: number): PageCell {
  const cell = markup(element);
  const previous = element.childNodes
    .filter((child) => isElement(child) && attribute(child, PRERENDERED_ATTRIBUTE) !== null)
    .map((child): [number, number] => [child.sourceCodeLocation!.startOffset, child.sourceCodeLocation!.endOffset]);
  return {
    number,
    code: readSource(cell),
    attributes: new Map(element.attrs.map((attr) => [attr.name, attr.value])),
    stored: storedData(cell),
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

/** Why a cell is left for the browser, from its markup alone; `null` when it can run here. */
export function needsPage(cell: PageCell): string | null {
  if (cell.attributes.has('data-no-prerender')) return 'it has data-no-prerender';
  if (cell.attributes.has('main-thread')) return 'it runs on the main thread (main-thread)';
  if (cell.attributes.has('exercise')) return 'it is an exercise';
  return null;
}

/** The run request the element would send for `cell` (`cell/run-request.ts`); wheel paths resolve against the page. */
export function requestFor(cell: PageCell, base: string): Preparation {
  const attribute = (name: string) => cell.attributes.get(name) ?? null;
  return prepareRun({
    code: cell.code,
    session: attribute('session'),
    packages: attribute('packages'),
    number: cell.number,
    exercise: null, // exercises are left for the browser (needsPage)
    checking: false,
    base,
  });
}
