/**
 * The cell as a tree, for remark: a hast element (through remark-rehype), whose children, for
 * MDX, are MDX nodes. Equivalent to the HTML shared.ts writes for markdown-it.
 */
import type { Element, ElementContent } from 'hast';
import { hintHtml, hintParagraphs, scriptText, storedTexts, type Cell } from './shared.js';

/** The learner's code as a code block (`pre > code.language-python`), which rehype highlighters colour. */
export const codeBlockHast = (code: string): Element => ({
  type: 'element',
  tagName: 'pre',
  properties: {},
  children: [
    { type: 'element', tagName: 'code', properties: { className: ['language-python'] }, children: [{ type: 'text', value: `${code}\n` }] },
  ],
});

const dataProperty = { setup: 'dataSetup', check: 'dataCheck', solution: 'dataSolution' } as const;

/**
 * The cell's attributes as hast properties, keyed by the names written (hast reads `class` and
 * `className` alike). For MDX too: MDX then writes each as its JSX runtime wants it (a `style`
 * string becomes the object React requires, `class` React's `className`).
 */
export function cellProperties(cell: Cell): Record<string, string | true> {
  const properties: Record<string, string | true> = {};
  for (const { name, value } of cell.attributes) properties[name] = value ?? true;
  return properties;
}

/**
 * The cell as a hast element, for remark-rehype (`data.hName`, `hProperties`, `hChildren`).
 * The learner's code is a code block the site's rehype highlighter colours and readers see
 * without JavaScript; the other parts of an exercise are scripts, whose text stays raw text
 * (hast-util-to-html writes a script's text unescaped).
 */
export function cellHast(cell: Cell): Element {
  const properties = cellProperties(cell);
  const children: ElementContent[] = cell.parts.flatMap((part): ElementContent[] => {
    if (part.role === 'hint') {
      const paragraphs: Element[] = hintParagraphs(part.text).map((paragraph) => ({
        type: 'element',
        tagName: 'p',
        properties: {},
        children: [{ type: 'text', value: paragraph }],
      }));
      // hast keeps a template's markup in `content` (hast-util-to-html writes only that); the
      // same nodes as children serve tools that read only children (hast-util-to-estree).
      const template: Element = {
        type: 'element',
        tagName: 'template',
        properties: { dataHint: true },
        children: paragraphs,
        content: { type: 'root', children: paragraphs },
      };
      return [template];
    }
    // Followed by a line ending, as markdown-it writes a fence.
    if (part.role === 'code') return [codeBlockHast(part.text), { type: 'text', value: '\n' }];
    const scriptProperties: Record<string, string | true> = { type: 'text/x-python' };
    scriptProperties[dataProperty[part.role]] = true;
    return [
      { type: 'element', tagName: 'script', properties: scriptProperties, children: [{ type: 'text', value: scriptText(part.text) }] },
    ];
  });
  return { type: 'element', tagName: 'py-cell', properties, children };
}

/** The estree of a program that is one expression statement (what MDX compiles). */
interface ExpressionProgram {
  type: 'Program';
  sourceType: 'module';
  comments: [];
  body: [{ type: 'ExpressionStatement'; expression: unknown }];
}

/** An MDX expression (`{…}`), with the estree MDX compiles from it. */
export interface MdxFlowExpression {
  type: 'mdxFlowExpression';
  value: string;
  data: { estree: ExpressionProgram };
}

/** An MDX JSX attribute: a string, bare (`null`), or an expression. */
export interface MdxJsxAttribute {
  type: 'mdxJsxAttribute';
  name: string;
  value: string | null | { type: 'mdxJsxAttributeValueExpression'; value: string; data: { estree: ExpressionProgram } };
}

/** An MDX JSX element in flow (block) position, as mdast-util-mdx-jsx defines it. */
export interface MdxJsxFlowElement {
  type: 'mdxJsxFlowElement';
  name: string;
  attributes: MdxJsxAttribute[];
  children: (MdxJsxFlowElement | MdxFlowExpression)[];
}

const program = (expression: unknown): ExpressionProgram => ({
  type: 'Program',
  sourceType: 'module',
  comments: [],
  body: [{ type: 'ExpressionStatement', expression }],
});

const literal = (value: string) => ({ type: 'Literal', value, raw: JSON.stringify(value) });

/** `dangerouslySetInnerHTML={{__html: "…"}}`: markup React writes as is (also on the client). */
const innerHtml = (html: string): MdxJsxAttribute => {
  const object = {
    type: 'ObjectExpression',
    properties: [
      {
        type: 'Property',
        kind: 'init',
        method: false,
        shorthand: false,
        computed: false,
        key: { type: 'Identifier', name: '__html' },
        value: literal(html),
      },
    ],
  };
  return {
    type: 'mdxJsxAttribute',
    name: 'dangerouslySetInnerHTML',
    value: { type: 'mdxJsxAttributeValueExpression', value: `{__html: ${JSON.stringify(html)}}`, data: { estree: program(object) } },
  };
};

const jsxAttribute = (name: string, value: string | null): MdxJsxAttribute => ({ type: 'mdxJsxAttribute', name, value });

/**
 * The children of the cell's element for MDX (its attributes are `cellProperties`). The learner's
 * code is a hast code block, which MDX writes through the site's `pre` component (Docusaurus's
 * highlighted code block) with its text escaped by the JSX runtime. An exercise's other parts
 * need scripts and templates; React (18 escapes a script's text children, and client-side React
 * puts a template's children outside its content) writes them faithfully only through
 * `dangerouslySetInnerHTML`, so that is how they are given.
 */
export function cellMdxChildren(cell: Cell): Array<MdxJsxFlowElement | Element> {
  return cell.parts.map((part): MdxJsxFlowElement | Element => {
    if (part.role === 'code') return codeBlockHast(part.text);
    if (part.role === 'hint') {
      return {
        type: 'mdxJsxFlowElement',
        name: 'template',
        attributes: [jsxAttribute('data-hint', null), innerHtml(hintHtml(part.text))],
        children: [],
      };
    }
    const scriptAttributes = [jsxAttribute('type', 'text/x-python'), jsxAttribute(`data-${part.role}`, null)];
    scriptAttributes.push(innerHtml(scriptText(part.text)));
    return { type: 'mdxJsxFlowElement', name: 'script', attributes: scriptAttributes, children: [] };
  });
}

/** The children a prerender adds to a cell, as hast (as `py-cell prerender` writes them in HTML). */
export function storedHast({ json, texts }: { json: string; texts: Array<[string, string]> }): ElementContent[] {
  const data: ElementContent = {
    type: 'element',
    tagName: 'script',
    properties: { type: 'application/vnd.py-cell.outputs+json', dataPyCellPrerendered: true },
    children: [{ type: 'text', value: json }],
  };
  if (texts.length === 0) return [data];
  const pres = texts.map(([name, text]): ElementContent => ({
    type: 'element',
    tagName: 'pre',
    properties: { className: [`py-cell-${name}`] },
    children: [{ type: 'text', value: text }],
  }));
  return [
    data,
    { type: 'element', tagName: 'div', properties: { dataPyCellPrerendered: true, className: ['py-cell-prerendered'] }, children: pres },
  ];
}

/**
 * What `py-cell prerender` stored for a cell, as MDX children, the same markup its HTML has: the
 * outputs' JSON in a `<script type="application/vnd.py-cell.outputs+json">` and their text for
 * readers without JavaScript in a `<div class="py-cell-prerendered">`. Both are given as
 * `dangerouslySetInnerHTML`, so React writes them identically on the server and in the browser
 * (no hydration mismatch, and the same after a client-side navigation), and the text's `<pre>`s
 * are not the site's code blocks (MDX would send a `pre` element to its `pre` component).
 */
export function storedMdxChildren({ json, texts }: { json: string; texts: Array<[string, string]> }): MdxJsxFlowElement[] {
  const flag = jsxAttribute('data-py-cell-prerendered', null);
  const data: MdxJsxFlowElement = {
    type: 'mdxJsxFlowElement',
    name: 'script',
    attributes: [jsxAttribute('type', 'application/vnd.py-cell.outputs+json'), flag, innerHtml(json)],
    children: [],
  };
  if (texts.length === 0) return [data];
  return [
    data,
    {
      type: 'mdxJsxFlowElement',
      name: 'div',
      attributes: [flag, jsxAttribute('className', 'py-cell-prerendered'), innerHtml(storedTexts({ json, texts }))],
      children: [],
    },
  ];
}
