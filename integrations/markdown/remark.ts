/**
 * py-cell/remark: a remark (unified) plugin, also for MDX, Docusaurus and Astro, that turns a
 * code block whose language is `py-cell` (and whose meta holds attributes written as in HTML)
 * into a `<py-cell>`:
 *
 * ```js
 * unified().use(remarkParse).use(pyCell).use(remarkRehype).use(rehypeStringify);
 * ```
 *
 * In Markdown, the block becomes a node that remark-rehype turns into the element itself
 * (`data.hName`, `hProperties`, `hChildren`: no raw HTML, no `allowDangerousHtml`). When the
 * processor compiles to JSX (MDX: @mdx-js/mdx, so Docusaurus and Astro's MDX), it becomes an MDX
 * JSX element instead, whose code is a JS string: JSX runtimes escape text as they must.
 */
import type { Code, Parent, Root, RootContent } from 'mdast';
import type { Plugin, Processor } from 'unified';
import { cellFromFence, PyCellSyntaxError, type PyCellMarkdownOptions } from './shared.js';
import { cellHast, cellMdx } from './trees.js';

export { PyCellSyntaxError, type PyCellMarkdownOptions } from './shared.js';

/** The options of the remark plugin. */
export interface RemarkPyCellOptions extends PyCellMarkdownOptions {
  /**
   * Whether to write MDX JSX elements (default: detected, true when the processor parses MDX
   * syntax or is @mdx-js/mdx's, which compiles Markdown to JSX too).
   */
  mdx?: boolean;
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
  return (tree, file) => {
    const jsx = options.mdx ?? compilesToJsx(this);
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
        let replacement: unknown;
        if (jsx) {
          replacement = { ...cellMdx(cell), position: node.position };
        } else {
          const element = cellHast(cell);
          // A node of its own type: remark-rehype's default handler makes it exactly the element
          // its data names (a `code` node would stay wrapped in a <pre>).
          replacement = {
            type: 'pyCell',
            data: { hName: element.tagName, hProperties: element.properties, hChildren: element.children },
            position: node.position,
          };
        }
        parent.children[index] = replacement as RootContent;
      });
    };
    visit(tree);
  };
};

export default remarkPyCell;
