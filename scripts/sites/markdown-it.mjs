// Builds the markdown-it test site: test/sites/markdown-it/index.md through the built
// dist/markdown-it.js (with `python: true`, so its ```python fence is a cell too) to
// <out>/index.html, a whole page that loads dist/py-cell.js by a path relative to it.
import MarkdownIt from 'markdown-it';
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
${body}</main>
</body>
</html>
`;

export default async function build({ root, out }) {
  const { default: pyCell } = await import(pathToFileURL(join(root, 'dist/markdown-it.js')).href);
  const md = new MarkdownIt().use(pyCell, { python: true });
  const body = md.render(readFileSync(join(root, 'test/sites/markdown-it/index.md'), 'utf8'));
  const script = relative(out, join(root, 'dist/py-cell.js')).split(sep).join('/');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.html'), page({ title: 'py-cell with markdown-it', script, body }));
  return { page: 'index.html' };
}
