/**
 * Reading a cell out of its markup: its Python source, an exercise's parts and the stored
 * outputs' data. The markup is anything shaped like a DOM element (`CellMarkup`): the element
 * passes itself, `py-cell prerender` an adapter over parse5's tree, so both read a cell by the
 * same rules.
 */
import { PRERENDERED_ATTRIBUTE, PRERENDERED_TYPE } from './stored-outputs.js';

/** What reading a cell needs of a node: as the DOM's `Node`. */
export interface MarkupNode {
  /** 1 for an element, 3 for text (the DOM's numbers). */
  readonly nodeType: number;
  /** As the DOM's: the text of every descendant, none for a `<template>`. */
  readonly textContent: string | null;
}

/** What reading a cell needs of an element: as the DOM's `Element`. */
export interface CellMarkup extends MarkupNode {
  readonly localName: string;
  readonly children: ArrayLike<CellMarkup>;
  readonly childNodes: ArrayLike<MarkupNode>;
  readonly innerHTML: string;
  hasAttribute(name: string): boolean;
  getAttribute(name: string): string | null;
}

/**
 * Removes the indentation common to every non-blank line, and leading and trailing blank lines,
 * so code can be indented to match the surrounding HTML. Tabs and spaces count as written: a
 * prefix is common only when it is the same characters on every line.
 */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  let prefix: string | null = null;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (prefix === null) {
      prefix = indent;
    } else {
      let i = 0;
      while (i < prefix.length && i < indent.length && prefix[i] === indent[i]) i++;
      prefix = prefix.slice(0, i);
    }
    if (prefix === '') break;
  }
  const cut = prefix?.length ?? 0;
  return lines.map((line) => (line.trim() === '' ? '' : line.slice(cut))).join('\n');
}

/** Whether a script's `type` says it holds Python. */
export const isPythonType = (type: string | null) => /^text\/(x-)?python$/i.test(type ?? '');

const isPython = (element: CellMarkup) => element.localName === 'script' && isPythonType(element.getAttribute('type'));

/**
 * The code of a script's text, as written: `<\/script` stands for `</script` and `<\!--` for
 * `<!--`, and each further backslash there for one backslash of the code (`<\\/script` is the
 * code's `<\/script`); dedented.
 */
export const scriptSource = (text: string) => dedent(text.replace(/<\\(\\*)(\/script|!--)/gi, '<$1$2'));

const scriptCode = (script: CellMarkup) => scriptSource(script.textContent ?? '');

/** The roles a Python script can have in an exercise, by its data attribute (`data-<role>`). */
export const ROLES = ['setup', 'check', 'solution'] as const;

/**
 * Classes of the line-number gutters highlighters write in or beside the code (Pygments'
 * `linenos`/`linenodiv`, Prism's `line-numbers-rows`, Expressive Code's `gutter`): not code.
 */
const GUTTER = /(?:^|\s)(?:linenos|linenodiv|line-numbers-rows|line-numbers-wrapper|gutter)(?:\s|$)/;

const isElement = (node: MarkupNode): node is CellMarkup => node.nodeType === 1;
const isGutter = (element: CellMarkup) => GUTTER.test(element.getAttribute('class') ?? '');
/** Children that are never a cell's visible code: scripts, templates, what the command stored. */
const isAside = (element: CellMarkup) =>
  element.localName === 'script' || element.localName === 'template' || element.hasAttribute(PRERENDERED_ATTRIBUTE) || isGutter(element);

/** The first `<pre>` in the cell's markup, at any depth (a site's highlighter wraps it), but in asides. */
function codeBlock(element: CellMarkup): CellMarkup | null {
  for (const child of Array.from(element.children)) {
    if (isAside(child)) continue;
    if (child.localName === 'pre') return child;
    const found = codeBlock(child);
    if (found) return found;
  }
  return null;
}

/**
 * The text of a code block as a reader sees it: its text, without gutters; a `<br>` is a line
 * break, and so is a `<div>` holding no `<div>` (highlighters that write a `<div>` per line).
 */
function blockText(node: CellMarkup): string {
  let text = '';
  for (const child of Array.from(node.childNodes)) {
    if (!isElement(child)) {
      if (child.nodeType === 3) text += child.textContent ?? '';
      continue;
    }
    if (isGutter(child)) continue;
    if (child.localName === 'br') {
      text += '\n';
      continue;
    }
    const inner = blockText(child);
    const line = child.localName === 'div' && !Array.from(child.children).some((grandchild) => grandchild.localName === 'div');
    text += line && !inner.endsWith('\n') ? `${inner}\n` : inner;
  }
  return text;
}

/**
 * The source of a `<py-cell>`, in the first of these forms it holds, dedented:
 *
 * - a child `<script type="text/x-python">` without an exercise role: raw text, so `<` and `&`
 *   need no escaping; write `<\/script>` for a `</script>` inside the code (read back as
 *   `</script>`);
 * - a code block, `<pre>` (usually `<pre><code class="language-python">`), at any depth, so a
 *   site's highlighter may wrap and colour it: readers see the code before the element loads
 *   and without JavaScript (progressive enhancement);
 * - its own text content.
 */
export function readSource(host: CellMarkup): string {
  const code = Array.from(host.children).find((child) => isPython(child) && !ROLES.some((role) => child.hasAttribute(`data-${role}`)));
  if (code) return scriptCode(code);
  const block = codeBlock(host);
  if (block) return dedent(blockText(block));
  if (Array.from(host.children).some(isPython)) return '';
  // The text of the cell, as `textContent` gives it, but for what `py-cell prerender` wrote into it.
  const text = Array.from(host.childNodes).filter(
    (node) => node.nodeType === 3 || (isElement(node) && !node.hasAttribute(PRERENDERED_ATTRIBUTE)),
  );
  return dedent(text.map((node) => node.textContent).join(''));
}

/** The parts of an exercise, as written in its markup. */
export interface ExerciseParts {
  /** Runs hidden before the learner's code, at every Run and Check. */
  setup: string;
  /** Runs after the learner's code at a Check; raising nothing means correct. */
  check: string | null;
  /** Shown on request, after enough failed checks. */
  solution: string | null;
  /** HTML of each `<template data-hint>`, in order. */
  hints: string[];
}

/** The setup, check, solution and hints of an exercise cell. */
export function readExercise(host: CellMarkup): ExerciseParts {
  const parts: ExerciseParts = { setup: '', check: null, solution: null, hints: [] };
  for (const child of Array.from(host.children)) {
    if (child.localName === 'template' && child.hasAttribute('data-hint')) parts.hints.push(child.innerHTML.trim());
    if (!isPython(child)) continue;
    if (child.hasAttribute('data-setup')) parts.setup = scriptCode(child);
    else if (child.hasAttribute('data-check')) parts.check = scriptCode(child);
    else if (child.hasAttribute('data-solution')) parts.solution = scriptCode(child);
  }
  return parts;
}

/** The JSON of the outputs `py-cell prerender` stored in a cell, if it holds some. */
export function storedData(host: CellMarkup): string | null {
  const data = Array.from(host.children).find((child) => child.localName === 'script' && child.getAttribute('type') === PRERENDERED_TYPE);
  return data ? (data.textContent ?? '') : null;
}
