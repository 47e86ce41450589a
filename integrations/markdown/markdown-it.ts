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
import { cellSource, prerenderCellsSync, prerenderSettings, raisedMessage, type Prerendered, type PrerenderSettings } from './build-run.js';
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
export type { PrerenderSettings } from './build-run.js';

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
  /**
   * Run each page's cells when it is rendered (`py-cell prerender`, in a child Node process,
   * waited for: markdown-it renders synchronously) and store their outputs in the cells, shown
   * before Python starts: `true`, or the command's options. The outputs are part of the HTML the
   * plugin writes (in VitePress: of what Vue renders, so they survive hydration and client-side
   * navigation). Relative wheel paths resolve against the page's file, `env.path` (VitePress sets
   * it). A page rendered twice in one process runs once; between builds, `cache` keeps the
   * outputs. The report is in `env.pyCellPrerender`; a page whose Python cannot start throws.
   */
  prerender?: boolean | PrerenderSettings;
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

/** The outputs a prerender stored for a cell's fence token. */
const stored = new WeakMap<Token, NonNullable<Prerendered['outputs'][number]>>();

/** Runs a page's cells (`env.path`: its file), keeps their outputs by token, reports in `env.pyCellPrerender`. */
function prerenderPage(cells: Array<[Token, Cell]>, prerender: true | PrerenderSettings, env: Record<string, unknown>): void {
  const settings = prerender === true ? {} : prerender;
  const sources = cells.map(([, cell]) => cellSource(cell));
  const page = typeof env['path'] === 'string' ? env['path'] : 'page.md';
  const { outputs, report } = prerenderCellsSync(sources, page, prerenderSettings(settings));
  env['pyCellPrerender'] = report;
  if (report.failure) throw new Error(`py-cell: prerender of ${page} failed: ${report.failure}`);
  const line = (cell: number) => {
    const map = cells[cell - 1]?.[0].map;
    return map ? map[0] + 1 : undefined;
  };
  const raised = settings.failOnError ? raisedMessage(report, line) : null;
  if (raised) throw new Error(`${raised} (${page})`);
  outputs.forEach((output, i) => {
    if (output) stored.set(cells[i]![0], output);
  });
}

/**
 * The plugin: `md.use(pyCell)` or `md.use(pyCell, { python: true })`. Typed loosely for its
 * `md` so that any markdown-it (13 to 15, or VitePress's) takes it.
 */
export default function pyCell(md: unknown, options: MarkdownItPyCellOptions = {}): void {
  const it = md as MarkdownIt;
  // Fail at parse time, so a build that only parses (a table of contents) still reports it.
  it.core.ruler.push('py_cell', (state) => {
    const cells: Array<[Token, Cell]> = [];
    for (const token of state.tokens) {
      const cell = token.type === 'fence' ? tokenCell(it, token, options) : null;
      if (cell) cells.push([token, cell]);
    }
    if (options.prerender && cells.length > 0) prerenderPage(cells, options.prerender, state.env);
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
    const kept = stored.get(token);
    return options.vue === true ? cellVueHtml(cell, code, kept) : cellHtml(cell, code, kept);
  };
}
