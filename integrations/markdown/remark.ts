/**
 * py-cell/remark: a remark (unified) plugin, also for MDX, Docusaurus and Astro, that turns a
 * code block whose language is `py-cell` (and whose meta holds attributes written as in HTML)
 * into a `<py-cell>`:
 *
 * ```js
 * unified().use(remarkParse).use(pyCell).use(remarkRehype).use(rehypeStringify);
 * ```
 *
 * The block becomes a node that remark-rehype turns into the element itself (`data.hName`,
 * `hProperties`, `hChildren`: no raw HTML, no `allowDangerousHtml`). When the processor compiles
 * to JSX (MDX: @mdx-js/mdx, so Docusaurus and Astro's MDX), the element's children are MDX nodes
 * instead, its code a JS string: JSX runtimes escape text as they must. Its attributes stay hast
 * properties, which MDX writes as its JSX runtime wants them (React: a `style` object).
 *
 * `main-thread`, `trusted` and `style` fail the file unless `allowDangerousAttributes: true`.
 */
import type { Code, Parent, Root, RootContent } from 'mdast';
import type { Plugin, Processor } from 'unified';
import {
  cellSource,
  prerenderModuleURL,
  prerenderSettings,
  raisedMessage,
  type CellSource,
  type PrerenderModule,
  type Prerendered,
  type PrerenderSettings,
} from './build-run.js';
import { cellFromFence, PyCellSyntaxError, type Cell, type PyCellMarkdownOptions } from './shared.js';
import { cellHast, cellMdxChildren, cellProperties, storedHast, storedMdxChildren } from './trees.js';

export { PyCellSyntaxError, type PyCellMarkdownOptions } from './shared.js';
export type { PrerenderSettings } from './build-run.js';

/** The options of the remark plugin. */
export interface RemarkPyCellOptions extends PyCellMarkdownOptions {
  /**
   * Whether to write MDX JSX elements (default: detected, true when the processor parses MDX
   * syntax or is @mdx-js/mdx's, which compiles Markdown to JSX too).
   */
  mdx?: boolean;
  /**
   * Run the cells when the page is built (`py-cell prerender`, in Node) and store their outputs
   * in the cells, shown before Python starts: `true`, or the command's options. In MDX too (the
   * stored outputs are part of what React renders, so they survive hydration and client-side
   * navigation); a page compiled twice in one process runs once. The report is in
   * `file.data.pyCellPrerender`; a page whose Python cannot start fails.
   */
  prerender?: boolean | PrerenderSettings;
  /**
   * Let a fence carry `main-thread`, `trusted` and `style`, which give it more power than
   * Markdown without raw HTML has (code in the page, unsanitised output, a cell over the page).
   * Default `false`: such a block fails the file, with its position. Turn it on for a site whose
   * authors may write raw HTML (or JSX, in MDX) anyway.
   */
  allowDangerousAttributes?: boolean;
}

/**
 * Pages' prerenders in this process, by page, cells and settings: a tool that compiles a page
 * more than once (Docusaurus: once for the server, once for the browser, at the same time) runs
 * its cells once and gets the same outputs each time, so the two renders agree. The oldest entry
 * goes past 500.
 */
const runs = new Map<string, Promise<Prerendered>>();

function prerendered(sources: CellSource[], page: string, settings: Record<string, unknown>): Promise<Prerendered> {
  const key = JSON.stringify([page, sources, settings]);
  let run = runs.get(key);
  if (!run) {
    run = import(prerenderModuleURL()).then((module: PrerenderModule) => module.prerenderCells(sources, page, settings));
    // A failed run is not kept: the next build tries again.
    run.catch(() => runs.delete(key));
    runs.set(key, run);
    if (runs.size > 500) runs.delete(runs.keys().next().value!);
  }
  return run;
}

/** A list of a processor's data, flattened (extensions nest in lists of lists). */
const flatten = (value: unknown): unknown[] => (Array.isArray(value) ? value.flatMap(flatten) : [value]);

/** True when the processor's output is JSX: it parses MDX, or it is @mdx-js/mdx's. */
function compilesToJsx(processor: Processor): boolean {
  const fromMarkdown = flatten((processor.data() as Record<string, unknown>).fromMarkdownExtensions);
  const parsesMdx = fromMarkdown.some((extension) => {
    const enter = (extension as { enter?: Record<string, unknown> } | undefined)?.enter;
    return enter !== undefined && 'mdxJsxFlowTag' in enter;
  });
  // @mdx-js/mdx compiles `.md` files (format 'md') without remark-mdx: known by its own plugins.
  // unified marks `attachers` internal; read defensively, and `{ mdx: true }` needs none of this.
  const names = new Set(['remarkMarkAndUnravel', 'rehypeRecma']);
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only sign of @mdx-js/mdx's 'md' format
  const attachers = (processor.attachers as unknown[] | undefined) ?? [];
  const attacherName = (entry: unknown) => (Array.isArray(entry) ? (entry[0] as { name?: unknown } | undefined)?.name : undefined);
  return parsesMdx || attachers.some((entry) => names.has(String(attacherName(entry))));
}

/** Whether a node is a code block the plugin may turn into a cell. */
const isCode = (node: RootContent): node is Code => node.type === 'code';

/**
 * The plugin: `.use(pyCell)` or `.use(pyCell, { python: true })`. A block the plugin cannot
 * read (a bad attribute, an unclosed quote) fails the file, with its position.
 */
const remarkPyCell: Plugin<[RemarkPyCellOptions?], Root> = function (options = {}) {
  // Read when a file is transformed: by then every plugin of the processor is attached.
  return async (tree, file) => {
    const jsx = options.mdx ?? compilesToJsx(this);
    // Each cell and the children its element gets (what a prerender stores is added to them).
    const cells: Array<{ cell: Cell; children: unknown[]; position: Code['position'] }> = [];
    const visit = (parent: Parent) => {
      parent.children.forEach((node, index) => {
        if (!isCode(node)) {
          if ('children' in node) visit(node);
          return;
        }
        let cell;
        try {
          cell = cellFromFence(node.lang ?? '', node.meta ?? '', node.value, options);
        } catch (error) {
          if (!(error instanceof PyCellSyntaxError)) throw error;
          // As file.fail() does: a fatal message on the file, thrown.
          const message = file.message(`py-cell block: ${error.message}`, { place: node.position, ruleId: 'py-cell', source: 'py-cell' });
          message.fatal = true;
          throw message;
        }
        if (cell === null) return;
        let data: { hName: string; hProperties: unknown; hChildren: unknown[] };
        if (jsx) {
          // Not an MDX JSX element: MDX copies those attributes as written, and React throws on
          // a `style` string; a hast element's `style` MDX turns into an object.
          data = { hName: 'py-cell', hProperties: cellProperties(cell), hChildren: cellMdxChildren(cell) };
        } else {
          const element = cellHast(cell);
          data = { hName: element.tagName, hProperties: element.properties, hChildren: element.children };
        }
        cells.push({ cell, children: data.hChildren, position: node.position });
        // A node of its own type: remark-rehype's default handler makes it exactly the element
        // its data names (a `code` node would stay wrapped in a <pre>).
        parent.children[index] = { type: 'pyCell', data, position: node.position } as unknown as RootContent;
      });
    };
    visit(tree);
    if (!options.prerender || cells.length === 0) return;
    const settings = options.prerender === true ? {} : options.prerender;
    const sources = cells.map(({ cell }) => cellSource(cell));
    const { outputs, report } = await prerendered(sources, file.path || 'page.md', prerenderSettings(settings));
    file.data['pyCellPrerender'] = report;
    if (report.failure) file.fail(`py-cell: prerender failed: ${report.failure}`, { ruleId: 'py-cell', source: 'py-cell' });
    const raised = settings.failOnError ? raisedMessage(report, (cell) => cells[cell - 1]?.position?.start.line) : null;
    if (raised) {
      // One failure that names every cell that raised: a tool shows the error it is thrown, not the file's other messages.
      const first = report.cells.find((cell) => cell.status === 'error')!.cell;
      file.fail(raised, { place: cells[first - 1]?.position, ruleId: 'py-cell', source: 'py-cell' });
    }
    outputs.forEach((stored, i) => {
      if (stored) cells[i]!.children.push(...(jsx ? storedMdxChildren(stored) : storedHast(stored)));
    });
  };
};

export default remarkPyCell;
