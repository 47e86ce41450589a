// The Docusaurus site (test/sites/docusaurus/): `docusaurus build` as an author runs it, with the
// classic preset, the remark plugin (py-cell/remark) and the Docusaurus plugin
// (py-cell/docusaurus), which loads the element and copies py-cell's files under the site's
// baseUrl. The baseUrl is the path the test server shows the built site at, so a page works only
// if it is honoured. The wheel the first cell names is copied beside the page, as an author's
// static file would be. The site has its own package.json, as a Docusaurus site does (the
// repository's `"type": "module"` would make webpack leave the route registry's
// `require.resolveWeak` untouched); py-cell is linked into its node_modules, as `npm install` of
// its `file:` dependency would.
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runTool } from './sphinx.mjs';

/** The site's folder, with py-cell (the repository at `root`) linked into its node_modules. */
export function linkPackage(root) {
  const site = join(root, 'test/sites/docusaurus');
  const link = join(site, 'node_modules/py-cell');
  rmSync(link, { recursive: true, force: true });
  mkdirSync(join(site, 'node_modules'), { recursive: true });
  symlinkSync(relative(join(site, 'node_modules'), root), link, 'dir');
  return site;
}

export default async function build({ root, out }) {
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  const site = linkPackage(root);
  // The wheel beside the page for the prerender (relative wheel paths resolve against the
  // Markdown file), and beside the built page for the browser (below).
  mkdirSync(join(site, 'docs/wheels'), { recursive: true });
  copyFileSync(join(root, 'test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl'), join(site, 'docs/wheels/mylib-1.0.0-py3-none-any.whl'));
  await runTool(
    process.execPath,
    [join(root, 'node_modules/@docusaurus/core/bin/docusaurus.mjs'), 'build', 'test/sites/docusaurus', '--out-dir', relative(site, out)],
    {
      root,
      hint: 'npm ci (Docusaurus is a development dependency)',
      env: { DOCUSAURUS_TELEMETRY_DISABLED: '1' },
    },
  );
  // Beside each locale's page (the translated build is in `fr/`).
  for (const locale of [out, join(out, 'fr')]) {
    mkdirSync(join(locale, 'wheels'), { recursive: true });
    copyFileSync(join(root, 'test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl'), join(locale, 'wheels/mylib-1.0.0-py3-none-any.whl'));
  }
  // The page as the site links to it: its folder (Docusaurus's router shows its 404 page, a
  // hydration mismatch, at `…/index.html`).
  const page = '';
  console.log(`sites/docusaurus: ${relative(root, join(out, 'index.html'))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { page };
}
