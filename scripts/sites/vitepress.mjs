// The VitePress site (test/sites/vitepress/): `vitepress build` as an author runs it, with the
// Markdown plugin (py-cell/markdown-it, `vue: true`, `prerender: true`) and the Vite plugin (py-cell/vite), which
// emits py-cell's files under the site's base. The base is the path the test server shows the
// built site at, so a page works only if the base is honoured. The wheel the first cell names
// is copied beside the page, as an author's static file would be.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runTool } from './sphinx.mjs';

export default async function build({ root, out }) {
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  // The wheel beside the page for the prerender (relative wheel paths resolve against the
  // Markdown file), and beside the built page for the browser (below).
  mkdirSync(join(root, 'test/sites/vitepress/wheels'), { recursive: true });
  copyFileSync(
    join(root, 'test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl'),
    join(root, 'test/sites/vitepress/wheels/mylib-1.0.0-py3-none-any.whl'),
  );
  await runTool(
    process.execPath,
    [join(root, 'node_modules/vitepress/bin/vitepress.js'), 'build', 'test/sites/vitepress', '--outDir', relative(root, out)],
    {
      root,
      hint: 'npm ci (VitePress is a development dependency)',
    },
  );
  mkdirSync(join(out, 'wheels'), { recursive: true });
  copyFileSync(join(root, 'test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl'), join(out, 'wheels/mylib-1.0.0-py3-none-any.whl'));
  const page = 'index.html';
  console.log(`sites/vitepress: ${relative(root, join(out, page))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { page };
}
