/**
 * What every Markdown integration shares: reading a fence's info string, splitting an exercise
 * into its parts, and writing the cell as HTML (markdown-it; trees.ts writes the same cell as a
 * hast or MDX JSX tree for remark). The contract is test/fixtures/cells/golden.json;
 * docs/markdown.md is the user's guide.
 *
 * Of py-cell, it imports only the attribute list (cell/attributes.ts, bundled into each plugin):
 * the plugins run inside the host tool with nothing of their own.
 */
import { fenceAttributeProblem } from '../../cell/attributes.js';

/** The info-string language of a cell fence. */
export const LANGUAGE = 'py-cell';

/** The options both plugins take. */
export interface PyCellMarkdownOptions {
  /**
   * Also turn every ```` ```python ```` fence into a cell (default `false`). Its other info
   * words (a title, line highlights, anything another tool reads) are ignored: such a cell has
   * no attributes. Write a `py-cell` fence for a cell with attributes.
   */
  python?: boolean;
  /**
   * Let a fence carry the attributes that give it more power than Markdown without raw HTML
   * has (`DANGEROUS_ATTRIBUTES`: `main-thread`, `trusted`, `style`). Refused, with a build error,
   * unless the site allows them, so that a site that keeps raw HTML out of its Markdown keeps
   * these out too. Default: markdown-it's own `html` option (VitePress: on); remark: `false`.
   */
  allowDangerousAttributes?: boolean;
}

/** One attribute as written: a `null` value is a boolean attribute, written bare. */
export interface CellAttribute {
  name: string;
  value: string | null;
}

/** What a part of a cell is: the learner's code, or a part of an exercise after its `#| role` line. */
export type CellRole = 'code' | 'setup' | 'check' | 'hint' | 'solution';

/** A part of a cell, in the order written; the first is always the learner's code. */
export interface CellPart {
  role: CellRole;
  text: string;
}

/** A cell, ready to be written. */
export interface Cell {
  attributes: CellAttribute[];
  /** The learner's code, then (in an exercise only) each part after its `#| role` line. */
  parts: CellPart[];
}

/** A fence the plugins reject: the message names the problem. */
export class PyCellSyntaxError extends Error {
  override name = 'PyCellSyntaxError';
}

/** HTML names, kept to what every parser (Vue's and JSX's too) reads the same way: no `<`, `"`, `=`, `/`, no leading `:`… */
const NAME = /[A-Za-z_][-A-Za-z0-9_:.]*/y;
const SPACE = /[ \t\n\f\r]*/y;
const UNQUOTED = /[^ \t\n\f\r"'=<>`]+/y;

/**
 * Reads attributes written as in HTML: `name`, `name=value`, `name="value"`, `name='value'`,
 * separated by white space, kept in the order written. Throws on anything else (a name that
 * is not a name, an unclosed quote, a name given twice).
 */
export function parseAttributes(text: string): CellAttribute[] {
  const attributes: CellAttribute[] = [];
  const match = (pattern: RegExp, at: number) => {
    pattern.lastIndex = at;
    return pattern.exec(text)?.[0] ?? '';
  };
  let at = match(SPACE, 0).length;
  while (at < text.length) {
    const name = match(NAME, at);
    if (name === '') throw new PyCellSyntaxError(`expected an attribute name at \`${text.slice(at)}\``);
    if (attributes.some((attribute) => attribute.name.toLowerCase() === name.toLowerCase())) {
      throw new PyCellSyntaxError(`the attribute \`${name}\` is given twice`);
    }
    at += name.length;
    const beforeEquals = match(SPACE, at).length;
    let value: string | null = null;
    if (text[at + beforeEquals] === '=') {
      at += beforeEquals + 1;
      at += match(SPACE, at).length;
      const quote = text[at];
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, at + 1);
        if (end < 0) throw new PyCellSyntaxError(`unclosed quote (${quote}) in the value of the attribute \`${name}\``);
        value = text.slice(at + 1, end);
        at = end + 1;
      } else {
        value = match(UNQUOTED, at);
        if (value === '')
          throw new PyCellSyntaxError(`the attribute \`${name}\` has \`=\` but no value (quote a value with spaces or "'=<>\`)`);
        at += value.length;
      }
    }
    attributes.push({ name, value });
    const space = match(SPACE, at).length;
    if (space === 0 && at < text.length) {
      throw new PyCellSyntaxError(`expected a space after the attribute \`${name}\`, found \`${text.slice(at)}\``);
    }
    at += space;
  }
  return attributes;
}

/**
 * Splits an info string into its language (first word) and the rest (`meta`, as remark names
 * it), as both markdown-it and remark do.
 */
export function splitInfo(info: string): { language: string; meta: string } {
  const trimmed = info.trim();
  const space = trimmed.search(/[ \t]/);
  return space < 0 ? { language: trimmed, meta: '' } : { language: trimmed.slice(0, space), meta: trimmed.slice(space + 1) };
}

/** The lines that start the parts of an exercise, exactly as written. */
const MARKER = /^#\| (setup|check|hint|solution)$/;

/**
 * What a fence may carry only where the site allows it (`allowDangerousAttributes`), and why:
 * what otherwise only raw HTML could do. Sphinx and MkDocs accept them (raw HTML is on there).
 */
export const DANGEROUS_ATTRIBUTES: Readonly<Record<string, string>> = {
  'main-thread': "runs the cell's code in the page itself, where Python reaches the page (`from js import document`)",
  trusted: "inserts the cell's HTML output unsanitised, its scripts running with the page's privileges",
  style: 'can lay the cell over the whole page (`position:fixed`) or make it pass for a part of the page',
};

/** The tool's own switch for raw HTML (markdown-it's `html`): when on, the default allows them too. */
export interface RawHtmlOption {
  on: boolean;
  /** How the refusal names it (`markdown-it's raw HTML (\`html: true\`)`). */
  name: string;
}

/**
 * Refuses attributes a cell may not carry (cell/attributes.ts says which, and which values):
 * a fence must not carry an event handler (`onclick`) or anything else a Markdown pipeline that
 * forbids raw HTML would keep out, nor a value the element would not read as meant, nor a
 * dangerous attribute the site does not allow.
 */
function checkAttributes(attributes: CellAttribute[], options: PyCellMarkdownOptions, rawHtml?: RawHtmlOption): CellAttribute[] {
  const allowed = options.allowDangerousAttributes ?? rawHtml?.on ?? false;
  for (const { name, value } of attributes) {
    const problem = fenceAttributeProblem(name, value);
    if (problem !== null) throw new PyCellSyntaxError(problem);
    const key = name.toLowerCase();
    if (Object.hasOwn(DANGEROUS_ATTRIBUTES, key) && !allowed) {
      throw new PyCellSyntaxError(
        `the attribute \`${name}\` is refused: it ${DANGEROUS_ATTRIBUTES[key]}, which Markdown without raw HTML cannot do. ` +
          `If the site's authors may write raw HTML, allow it: pass \`allowDangerousAttributes: true\` to py-cell's plugin` +
          (rawHtml ? `, or turn on ${rawHtml.name}` : ''),
      );
    }
  }
  return attributes;
}

/**
 * The cell a fence makes, or `null` when the fence is not a cell (another language, or
 * `python` without the `python` option). `code` is the fence's body, without the line ending
 * after its last line (markdown-it keeps one; mdast has none). Throws PyCellSyntaxError.
 */
export function cellFromFence(
  language: string,
  meta: string,
  code: string,
  options: PyCellMarkdownOptions = {},
  rawHtml?: RawHtmlOption,
): Cell | null {
  let attributes: CellAttribute[];
  if (language === LANGUAGE) attributes = checkAttributes(parseAttributes(meta), options, rawHtml);
  else if (language === 'python' && options.python === true) attributes = [];
  else return null;
  const exercise = attributes.some((attribute) => attribute.name.toLowerCase() === 'exercise');
  return { attributes, parts: exercise ? splitExercise(code) : [{ role: 'code', text: code }] };
}

/** An exercise's parts: the learner's code, then one part after each `#| role` line. */
export function splitExercise(code: string): CellPart[] {
  const parts: CellPart[] = [{ role: 'code', text: '' }];
  const lines: string[] = [];
  const seen = new Set<string>();
  const close = () => {
    parts[parts.length - 1]!.text = lines.join('\n');
    lines.length = 0;
  };
  for (const line of code.split('\n')) {
    const role = MARKER.exec(line)?.[1] as CellRole | undefined;
    if (role === undefined) {
      lines.push(line);
      continue;
    }
    if (role !== 'hint' && seen.has(role)) throw new PyCellSyntaxError(`an exercise has one \`#| ${role}\` part, found a second`);
    seen.add(role);
    close();
    parts.push({ role, text: '' });
  }
  close();
  return parts;
}

/** Escapes text for an HTML attribute value in double quotes, or for text. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));

/**
 * Code inside a `<script>`: raw text, so nothing is escaped but `</script` (any case), written
 * `<\/script`, and `<!--`, written `<\!--` (which would let a later `<script` in the code keep the
 * browser from ending the script); a backslash already there gets one more (`<\/script` is
 * written `<\\/script`), so the element reads back exactly the code (`scriptSource`).
 */
export const scriptText = (code: string): string => code.replace(/<(\\*)(\/script|!--)/gi, '<\\$1$2');

/** A hint's paragraphs (split at blank lines), trimmed. */
export const hintParagraphs = (text: string): string[] =>
  text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');

/** The markup a hint's `<template>` holds: its text, escaped, in paragraphs. */
export const hintHtml = (text: string): string =>
  hintParagraphs(text)
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('');

/** The data attribute a part's script carries (none for the learner's code). */
const roleAttribute = (role: CellRole) => (role === 'code' ? '' : ` data-${role}`);

/** The cell's attributes in HTML, each after a space: bare, or its value escaped in double quotes. */
const htmlAttributes = (cell: Cell) =>
  cell.attributes.map(({ name, value }) => (value === null ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`)).join('');

/** A string as a JS string literal inside a double-quoted HTML attribute. */
const jsStringAttribute = (text: string) => escapeHtml(JSON.stringify(text));

/**
 * What a prerender stored for a cell, as `py-cell prerender` writes it: the outputs' JSON (which
 * holds no `<`) for the element, and their text for readers without JavaScript.
 */
export interface StoredOutputs {
  json: string;
  texts: Array<[string, string]>;
}

/** The stored data's script type (cell/stored-outputs.ts's, which the plugins do not bundle). */
const STORED_TYPE = 'application/vnd.py-cell.outputs+json';

/** The stored outputs' text, each stream or value in a `<pre class="py-cell-NAME">`, escaped. */
export const storedTexts = ({ texts }: StoredOutputs): string =>
  texts.map(([name, text]) => `<pre class="py-cell-${name}">${escapeHtml(text)}</pre>`).join('');

/** The learner's code as a plain code block (as markdown-it writes a `python` fence), which the element reads as its source. */
export const codeBlockHtml = (code: string): string => `<pre><code class="language-python">${escapeHtml(code)}\n</code></pre>\n`;

/**
 * The cell as HTML for a Vue template (VitePress): Vue drops `<script>` tags from templates and
 * escapes their text when rendering on the server, and puts a `<template>`'s children outside
 * its content on the client. `<component is="script" :innerHTML="…">` survives both and
 * renders as the plain HTML does, on the server and on the client. `code` writes the learner's
 * code as a code block (the site's highlighter: VitePress's is Vue-safe, `v-pre`). A prerender's
 * `stored` outputs are written the same way (Vue's server render writes `:innerHTML` of a plain
 * `<div>` as an attribute, of a `<component is="div">` as its content).
 */
export function cellVueHtml(cell: Cell, code: (text: string) => string = codeBlockHtml, stored?: StoredOutputs): string {
  const children = cell.parts
    .map((part) =>
      part.role === 'hint'
        ? `<component is="template" data-hint :innerHTML="${jsStringAttribute(hintHtml(part.text))}"></component>`
        : part.role === 'code'
          ? code(part.text)
          : `<component is="script" type="text/x-python"${roleAttribute(part.role)} :innerHTML="${jsStringAttribute(scriptText(part.text))}"></component>`,
    )
    .join('');
  const kept = stored
    ? `<component is="script" type="${STORED_TYPE}" data-py-cell-prerendered :innerHTML="${jsStringAttribute(stored.json)}"></component>` +
      (stored.texts.length > 0
        ? `<component is="div" data-py-cell-prerendered class="py-cell-prerendered" :innerHTML="${jsStringAttribute(storedTexts(stored))}"></component>`
        : '')
    : '';
  return `<py-cell${htmlAttributes(cell)}>${children}${kept}</py-cell>\n`;
}

/**
 * The cell as HTML, as markdown-it writes a block: with a line ending. The learner's code is a
 * visible code block (`code`, by default `<pre><code class="language-python">`), shown before
 * the element loads and without JavaScript; an exercise's other parts are scripts, never shown.
 */
export function cellHtml(cell: Cell, code: (text: string) => string = codeBlockHtml, stored?: StoredOutputs): string {
  const children = cell.parts
    .map((part) =>
      part.role === 'hint'
        ? `<template data-hint>${hintHtml(part.text)}</template>`
        : part.role === 'code'
          ? code(part.text)
          : `<script type="text/x-python"${roleAttribute(part.role)}>${scriptText(part.text)}</script>`,
    )
    .join('');
  const kept = stored
    ? `<script type="${STORED_TYPE}" data-py-cell-prerendered>${stored.json}</script>` +
      (stored.texts.length > 0 ? `<div data-py-cell-prerendered class="py-cell-prerendered">${storedTexts(stored)}</div>` : '')
    : '';
  return `<py-cell${htmlAttributes(cell)}>${children}${kept}</py-cell>\n`;
}
