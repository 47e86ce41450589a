// The Astro Starlight site (test/sites/starlight/): `astro build` as an author runs it, with the
// remark plugin (py-cell/remark, `prerender: true`) and the Vite plugin (py-cell/vite), which emits py-cell's files
// under the site's base. The base is the path the test server shows the built site at, so a page
// works only if the base is honoured. The wheel the first cell names is copied beside the page, as
// an author's static file would be.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runTool } from './sphinx.mjs';

export default async function build({ root, out }) {
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  // The wheel beside the page for the prerender (relative wheel paths resolve against the
  // Markdown file), and beside the built page for the browser (below).
  const docs = join(root, 'test/sites/starlight/src/content/docs');
  mkdirSync(join(docs, 'wheels'), { recursive: true });
  copyFileSync(join(root, 'test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl'), join(docs, 'wheels/mylib-1.0.0-py3-none-any.whl'));
  // The config's outDir is this folder: test/sites/_build/starlight.
  await runTool(process.execPath, [join(root, 'node_modules/astro/astro.js'), 'build', '--root', 'test/sites/starlight'], {
    root,
    hint: 'npm ci (Astro and Starlight are development dependencies)',
  });
  mkdirSync(join(out, 'wheels'), { recursive: true });
  copyFileSync(join(root, 'test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl'), join(out, 'wheels/mylib-1.0.0-py3-none-any.whl'));
  const page = 'index.html';
  console.log(`sites/starlight: ${relative(root, join(out, page))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { page };
}
