// Builds the markdown-it test site: test/sites/markdown-it/index.md through the built
// dist/markdown-it.js (with `python: true`, so its ```python fence is a cell too) to
// <out>/index.html, a whole page that loads dist/py-cell.js by a path relative to it.
import MarkdownIt from 'markdown-it';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePage } from './page.mjs';

export default async function build({ root, out }) {
  const { default: pyCell } = await import(pathToFileURL(join(root, 'dist/markdown-it.js')).href);
  const md = new MarkdownIt().use(pyCell, { python: true });
  const body = md.render(readFileSync(join(root, 'test/sites/markdown-it/index.md'), 'utf8'));
  return { page: writePage({ root, out, title: 'py-cell with markdown-it', body }) };
}
