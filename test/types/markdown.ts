// The Markdown plugins' entry points, as a docs project imports them through `exports`.
import markdownItPyCell, { type MarkdownItPyCellOptions } from 'py-cell/markdown-it';
import remarkPyCell, { type RemarkPyCellOptions } from 'py-cell/remark';

const itOptions: MarkdownItPyCellOptions = { python: true, vue: false };
const remarkOptions: RemarkPyCellOptions = { python: true, mdx: true };
// @ts-expect-error the options are known
const wrong: MarkdownItPyCellOptions = { pyhton: true };
void [markdownItPyCell, remarkPyCell, itOptions, remarkOptions, wrong];
