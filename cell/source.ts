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
 * The source of a `<py-cell>`: its first child `<script type="text/x-python">` without an
 * exercise role (raw text, so `<` and `&` need no escaping; write `<\/script>` for a `</script>`
 * inside the code, the usual convention, and it is read back as `</script>`), else its own text
 * content (when it has no such script at all); dedented.
 */
export function readSource(host: CellMarkup): string {
  const scripts = Array.from(host.children).filter(isPython);
  if (scripts.length === 0) {
    // The text of the cell, as `textContent` gives it, but for what `py-cell prerender` wrote into it.
    const text = Array.from(host.childNodes).filter(
      (node) => node.nodeType === 3 || (node.nodeType === 1 && !(node as CellMarkup).hasAttribute(PRERENDERED_ATTRIBUTE)),
    );
    return dedent(text.map((node) => node.textContent).join(''));
  }
  const code = scripts.find((script) => !ROLES.some((role) => script.hasAttribute(`data-${role}`)));
  return code ? scriptCode(code) : '';
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
