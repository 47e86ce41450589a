"""Shared by the tests: the golden contract, a stand-in for py-cell's build, and running a test
module under the Python that has Sphinx or MkDocs when this one does not."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE_ROOT = HERE.parent  # integrations/python
REPO = PACKAGE_ROOT.parent.parent
GOLDEN = json.loads((REPO / 'test/fixtures/cells/golden.json').read_text(encoding='utf-8'))

sys.path.insert(0, str(PACKAGE_ROOT))


def fake_assets(folder):
    """A folder laid out as py-cell's npm package: dist/ and wasm-dist/, plus a wheel."""
    folder = Path(folder)
    (folder / 'dist').mkdir(parents=True)
    (folder / 'wasm-dist').mkdir()
    (folder / 'dist/py-cell.js').write_text('export function configure() {}\n')
    (folder / 'dist/py-cell-worker.js').write_text('// worker\n')
    (folder / 'wasm-dist/pyodide.mjs').write_text('// pyodide\n')
    (folder / 'wasm-dist/pyodide.asm.wasm').write_bytes(b'\0asm')
    (folder / 'wheels').mkdir()
    (folder / 'wheels/mylib-1.0.0-py3-none-any.whl').write_bytes(b'PK\5\6' + b'\0' * 18)
    return folder


class TempDir(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix='py-cell-docs-'))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)


def python_of(tool):
    """The interpreter named by a tool's ``#!`` line (``/usr/bin/python3`` for Debian's
    ``sphinx-build``), when it is another one than this."""
    path = shutil.which(tool)
    if path is None:
        return None
    with open(path, 'rb') as script:
        first = script.readline().decode('utf-8', 'replace').strip()
    if not first.startswith('#!'):
        return None
    words = first[2:].split()
    if not words or 'python' not in os.path.basename(words[-1]):
        return None
    python = shutil.which(words[-1]) if os.path.basename(words[0]) == 'env' else words[0]
    if python is None or os.path.realpath(python) == os.path.realpath(sys.executable):
        return None
    return python


def run_elsewhere(test, tool, module):
    """Runs the test module ``module`` under the Python of ``tool``; skips when there is none."""
    python = python_of(tool)
    if python is None:
        test.skipTest(f'{tool} is not installed for this Python ({sys.executable})')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(PACKAGE_ROOT)]), PYTHONDONTWRITEBYTECODE='1')
    done = subprocess.run([python, '-m', 'unittest', module], cwd=HERE, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        test.fail(f'{module} under {python} failed:\n{done.stdout}{done.stderr}')
