// Builds the remark test site: test/sites/remark/index.md through remark-parse, the built
// dist/remark.js, remark-rehype and rehype-stringify (no raw HTML allowed anywhere) to
// <out>/index.html, a whole page that loads dist/py-cell.js by a path relative to it.
import rehypeStringify from 'rehype-stringify';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A whole page around this body, loading the element from `script`. */
const page = ({ title, script, body }) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<script type="module" src="${script}"></script>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;

export default async function build({ root, out }) {
  const { default: pyCell } = await import(pathToFileURL(join(root, 'dist/remark.js')).href);
  const processor = unified().use(remarkParse).use(pyCell).use(remarkRehype).use(rehypeStringify);
  const body = String(await processor.process(readFileSync(join(root, 'test/sites/remark/index.md'), 'utf8')));
  const script = relative(out, join(root, 'dist/py-cell.js')).split(sep).join('/');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.html'), page({ title: 'py-cell with remark', script, body }));
  return { page: 'index.html' };
}
