// Builds the remark test site: test/sites/remark/index.md through remark-parse, the built
// dist/remark.js, remark-rehype and rehype-stringify (no raw HTML allowed anywhere) to
// <out>/index.html, a whole page that loads dist/py-cell.js by a path relative to it.
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePage } from './page.mjs';

export default async function build({ root, out }) {
  const { default: pyCell } = await import(pathToFileURL(join(root, 'dist/remark.js')).href);
  const processor = unified().use(remarkParse).use(pyCell).use(remarkRehype).use(rehypeStringify);
  const body = String(await processor.process(readFileSync(join(root, 'test/sites/remark/index.md'), 'utf8')));
  return { page: writePage({ root, out, title: 'py-cell with remark', body }) };
}
