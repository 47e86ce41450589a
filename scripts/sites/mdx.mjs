// Builds the MDX test site as Docusaurus does: test/sites/mdx/index.mdx compiled by
// @mdx-js/mdx with the built dist/remark.js as a remark plugin (it finds the processor is
// MDX's and writes JSX), run with React's JSX runtime and rendered by react-dom/server to
// <out>/index.html, a whole page that loads dist/py-cell.js by a path relative to it.
//
// devDependencies: @mdx-js/mdx (the MDX compiler Docusaurus and Astro use), react and react-dom
// (the JSX runtime and server renderer Docusaurus uses).
import { evaluate } from '@mdx-js/mdx';
import { createElement } from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
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
  const path = join(root, 'test/sites/mdx/index.mdx');
  const { default: Content } = await evaluate(
    { value: readFileSync(path, 'utf8'), path },
    { ...jsxRuntime, baseUrl: pathToFileURL(path).href, remarkPlugins: [pyCell] },
  );
  const body = renderToStaticMarkup(createElement(Content));
  const script = relative(out, join(root, 'dist/py-cell.js')).split(sep).join('/');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'index.html'), page({ title: 'py-cell with MDX', script, body }));
  return { page: 'index.html' };
}
