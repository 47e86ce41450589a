// The MkDocs site (test/sites/mkdocs/): `mkdocs build --strict` with the superfences fence and
// the hooks of py_cell_docs.mkdocs from integrations/python (by PYTHONPATH, nothing installed).
// The page holds a cell importing the page-wide wheel
// test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl, two cells of one named session and an
// exercise; py-cell (the repository's dist/ and wasm-dist/) is copied into assets/py-cell/.
// Needs Debian's mkdocs and python3-pymdownx.
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { runTool } from './sphinx.mjs';

/** Builds the MkDocs site into `out` from `config` (test/sites/mkdocs/); `name` names it in the report. */
export async function buildMkDocs({ root, out, name = 'mkdocs', config = 'mkdocs.yml', hint = 'apt-get install mkdocs python3-pymdownx' }) {
  const started = performance.now();
  await rm(out, { recursive: true, force: true });
  await runTool('mkdocs', ['build', '--strict', '-q', '-f', `test/sites/mkdocs/${config}`, '-d', out], { root, hint });
  const page = 'index.html';
  console.log(`sites/${name}: ${relative(root, join(out, page))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { page };
}

export default (options) => buildMkDocs(options);
