#!/usr/bin/env node
// Builds what the integration tests open (test/integration/sites.test.ts, package.test.ts), after
// `npm run build`: a real site per docs tool, each made by its own builder in scripts/sites/
// (markdown-it, remark, MDX, Sphinx, MkDocs), and the packed npm package installed into a fresh
// project. First it checks every integration against the shared contract of
// test/fixtures/cells/golden.json (the JavaScript plugins here, the Python ones by unittest).
// Output: test/sites/_build/<name>/ (ignored by git) and test/sites/_build/sites.json, the page of
// each. `node scripts/build-sites.mjs sphinx mkdocs` builds only those.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
// `prerender` comes after the docs sites: it prerenders copies of their pages too.
const SITES = ['local-wheels', 'markdown-it', 'remark', 'mdx', 'sphinx', 'mkdocs', 'package', 'prerender'];
const only = process.argv.slice(2);
const started = performance.now();

const { default: checkGolden } = await import('./sites/golden.mjs');
await checkGolden({ root });
execFileSync('python3', ['-m', 'unittest', 'discover', '-q', '-s', 'integrations/python/tests'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
});
console.log('build-sites: the Markdown and Python integrations match test/fixtures/cells/golden.json');

const pages = {};
for (const name of SITES.filter((site) => only.length === 0 || only.includes(site))) {
  const out = join(root, 'test/sites/_build', name);
  const { default: build } = await import(`./sites/${name}.mjs`);
  const { page } = await build({ root, out, sites: pages });
  if (page) pages[name] = `/test/sites/_build/${name}/${page}`;
}
mkdirSync(join(root, 'test/sites/_build'), { recursive: true });
writeFileSync(join(root, 'test/sites/_build/sites.json'), `${JSON.stringify(pages, null, 2)}\n`);
console.log(`build-sites: ${Object.keys(pages).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
