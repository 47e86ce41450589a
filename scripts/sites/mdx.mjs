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
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writePage } from './page.mjs';

export default async function build({ root, out }) {
  const { default: pyCell } = await import(pathToFileURL(join(root, 'dist/remark.js')).href);
  const path = join(root, 'test/sites/mdx/index.mdx');
  const { default: Content } = await evaluate(
    { value: readFileSync(path, 'utf8'), path },
    { ...jsxRuntime, baseUrl: pathToFileURL(path).href, remarkPlugins: [pyCell] },
  );
  const body = renderToStaticMarkup(createElement(Content));
  return { page: writePage({ root, out, title: 'py-cell with MDX', body }) };
}
