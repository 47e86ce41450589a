#!/usr/bin/env node
// Builds what the integration tests open (test/integration/sites.test.ts, package.test.ts), after
// `npm run build`: a real site per docs tool, each made by its own builder in scripts/sites/
// (markdown-it, remark, MDX, Sphinx, MkDocs), and the packed npm package installed into a fresh
// project. First it checks every integration against the shared contract of
// test/fixtures/cells/golden.json (the JavaScript plugins here, the Python ones by unittest).
// The sites are listed once, in scripts/sites/list.mjs. Output: test/sites/_build/<name>/ (ignored
// by git) and test/sites/_build/sites.json, the page of each. `node scripts/build-sites.mjs sphinx
// mkdocs` builds only those.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELPERS, SITES } from './sites/list.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const only = process.argv.slice(2);
const names = SITES.map((site) => site.name);
const unlisted = readdirSync(join(root, 'scripts/sites'))
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => file.slice(0, -'.mjs'.length))
  .filter((name) => !names.includes(name) && !HELPERS.includes(name));
if (unlisted.length > 0) throw new Error(`build-sites: scripts/sites/list.mjs lists no site or helper ${unlisted.join(', ')}`);
const unknown = only.filter((name) => !names.includes(name));
if (unknown.length > 0) throw new Error(`build-sites: no site ${unknown.join(', ')} in scripts/sites/list.mjs`);
const started = performance.now();

const { default: checkGolden } = await import('./sites/golden.mjs');
await checkGolden({ root });
execFileSync('python3', ['-m', 'unittest', 'discover', '-q', '-s', 'integrations/python/tests'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'pipe'],
});
console.log('build-sites: the Markdown and Python integrations match test/fixtures/cells/golden.json');

const pages = {};
for (const { name, docs } of SITES.filter((site) => only.length === 0 || only.includes(site.name))) {
  const out = join(root, 'test/sites/_build', name);
  const { default: build } = await import(`./sites/${name}.mjs`);
  const { page } = await build({ root, out, sites: pages });
  if (typeof page === 'string') pages[name] = `/test/sites/_build/${name}/${page}`;
  else if (docs) throw new Error(`build-sites: the docs site ${name} made no page`);
}
mkdirSync(join(root, 'test/sites/_build'), { recursive: true });
writeFileSync(join(root, 'test/sites/_build/sites.json'), `${JSON.stringify(pages, null, 2)}\n`);
console.log(`build-sites: ${Object.keys(pages).join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
