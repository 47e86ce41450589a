// The Sphinx site (test/sites/sphinx/): `sphinx-build -W` with py_cell_docs.sphinx from
// integrations/python (by path, as conf.py shows, nothing installed). The page holds a cell importing the
// page-wide wheel test/fixtures/wheels/mylib-1.0.0-py3-none-any.whl, two cells of one named
// session and an exercise; py-cell (the repository's dist/ and wasm-dist/) is copied into
// _static/py-cell/. Needs Debian's python3-sphinx.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The environment of a docs tool: integrations/python importable, no bytecode in the repository. */
export function pythonEnv() {
  // No PYTHONPATH: the test sites find py_cell_docs by path, as the docs show (conf.py, the hook).
  return { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };
}

/** Runs a docs tool; a failure throws with everything the tool said. */
export async function runTool(command, args, { root, hint, env = {} }) {
  try {
    return await run(command, args, { cwd: root, env: { ...pythonEnv(), ...env }, maxBuffer: 16 * 2 ** 20 });
  } catch (error) {
    if (error.code === 'ENOENT') throw new Error(`${command} not found: ${hint}`, { cause: error });
    throw new Error(`${command} failed (exit code ${error.code}):\n${error.stdout}${error.stderr}`, { cause: error });
  }
}

/**
 * Builds the Sphinx site into `out`, with the theme `theme` instead of conf.py's alabaster when
 * given (`-D html_theme=…`, as a site's conf.py would set it); `name` names it in the report,
 * `hint` says what to install when sphinx-build is missing.
 */
export async function buildSphinx({ root, out, name = 'sphinx', theme, hint = 'apt-get install python3-sphinx' }) {
  const started = performance.now();
  await rm(out, { recursive: true, force: true });
  // The environment is rebuilt every time (-E): doctrees are scratch, kept out of the site.
  const doctrees = await mkdtemp(join(tmpdir(), 'py-cell-sphinx-'));
  try {
    const themed = theme ? ['-D', `html_theme=${theme}`] : [];
    await runTool('sphinx-build', ['-b', 'html', '-W', '--keep-going', '-q', '-E', ...themed, '-d', doctrees, 'test/sites/sphinx', out], {
      root,
      hint,
    });
  } finally {
    await rm(doctrees, { recursive: true, force: true });
  }
  const page = 'index.html';
  console.log(`sites/${name}: ${relative(root, join(out, page))} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { page };
}

export default (options) => buildSphinx(options);
