/**
 * py-cell/markdown-it: a markdown-it plugin (also for VitePress) that turns a fence whose info
 * string is `py-cell` followed by attributes written as in HTML into a `<py-cell>`:
 *
 * ```js
 * import MarkdownIt from 'markdown-it';
 * import pyCell from 'py-cell/markdown-it';
 * const md = new MarkdownIt().use(pyCell, { python: true });
 * ```
 *
 * The learner's code is written as the site writes any Python block (through the fence renderer
 * that was there before: its highlighter), so readers see it before the element loads and
 * without JavaScript. In VitePress, pass `{ vue: true }` (Vue drops `<script>` tags from
 * templates, which an exercise's hidden parts use). Other fences
 * are left to the renderer that was there before. A fence the plugin cannot read
 * (a bad attribute, an unclosed quote) throws when the page is parsed, naming its line; so does
 * `main-thread`, `trusted` or `style` where raw HTML is off (`allowDangerousAttributes`).
 */
import type { MarkdownIt, RendererRule, Token } from 'markdown-it';
import {
  cellFromFence,
  cellHtml,
  cellVueHtml,
  PyCellSyntaxError,
  splitInfo,
  type Cell,
  type PyCellMarkdownOptions,
  type RawHtmlOption,
} from './shared.js';

export { PyCellSyntaxError, type PyCellMarkdownOptions } from './shared.js';

/** The options of the markdown-it plugin. */
export interface MarkdownItPyCellOptions extends PyCellMarkdownOptions {
  /**
   * Write the cell for a Vue template (VitePress, default `false`): Vue drops `<script>` tags
   * from templates, so each script is written `<component is="script" :innerHTML="…">`, which
   * Vue renders as the same `<script>`.
   */
  vue?: boolean;
  /**
   * Let a fence carry `main-thread`, `trusted` and `style`, which give it more power than
   * Markdown without raw HTML has (code in the page, unsanitised output, a cell over the page).
   * Default: as this markdown-it's own `html` option (read when a page is parsed): allowed where
   * raw HTML is on (VitePress), refused, with a build error naming the fence's line, where it is
   * off (markdown-it's default). `true` or `false` overrides it.
   */
  allowDangerousAttributes?: boolean;
}

/** markdown-it's raw HTML: when on, a fence may carry `main-thread`, `trusted` and `style` by default. */
const rawHtml = (md: MarkdownIt): RawHtmlOption => ({ on: md.options.html, name: "markdown-it's raw HTML (`html: true`)" });

/** The cell a fence token makes (or `null`), its errors naming the fence's line. */
function tokenCell(md: MarkdownIt, token: Token, options: PyCellMarkdownOptions): Cell | null {
  const { language, meta } = splitInfo(md.utils.unescapeAll(token.info));
  // markdown-it keeps the line ending after the body's last line: the cell does not.
  const code = token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content;
  try {
    return cellFromFence(language, meta, code, options, rawHtml(md));
  } catch (error) {
    if (!(error instanceof PyCellSyntaxError)) throw error;
    const line = token.map ? ` at line ${token.map[0] + 1}` : '';
    throw new PyCellSyntaxError(`py-cell fence${line}: ${error.message}`);
  }
}

/**
 * The plugin: `md.use(pyCell)` or `md.use(pyCell, { python: true })`. Typed loosely for its
 * `md` so that any markdown-it (13 to 15, or VitePress's) takes it.
 */
export default function pyCell(md: unknown, options: MarkdownItPyCellOptions = {}): void {
  const it = md as MarkdownIt;
  // Fail at parse time, so a build that only parses (a table of contents) still reports it.
  it.core.ruler.push('py_cell', (state) => {
    for (const token of state.tokens) if (token.type === 'fence') tokenCell(it, token, options);
    return true;
  });
  const previous: RendererRule = it.renderer.rules.fence ?? ((tokens, index, opts, _env, self) => self.renderToken(tokens, index, opts));
  it.renderer.rules.fence = (tokens, index, opts, env, self) => {
    const cell = tokenCell(it, tokens[index]!, options);
    if (cell === null) return previous(tokens, index, opts, env, self);
    // The learner's code as the site writes a Python block (its highlighter, its markup).
    const token = tokens[index]!;
    const code = (text: string) => {
      const block = Object.assign(Object.create(Object.getPrototypeOf(token) as object) as Token, token, {
        info: 'python',
        content: `${text}\n`,
      });
      return previous([block], 0, opts, env, self);
    };
    return options.vue === true ? cellVueHtml(cell, code) : cellHtml(cell, code);
  };
}
