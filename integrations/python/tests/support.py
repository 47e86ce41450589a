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


def read_cells(html):
    """What the element reads from each ``<py-cell>`` in this HTML, as ``cell/source.ts`` reads
    it (without dedenting): attributes, the code (the first code block at any depth, as a reader
    sees its text, gutters left out, without its last line ending), an exercise's parts, hints."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.cells, self.cell, self.stack = [], None, []

        def handle_starttag(self, tag, attrs):
            if tag == 'py-cell':
                self.cell = {'attributes': [list(a) for a in attrs], 'code': None, 'hints': []}
                self.cells.append(self.cell)
                self.stack = []
                return
            if self.cell is None:
                return
            if tag in ('br', 'img', 'input', 'hr', 'wbr'):
                if tag == 'br' and self.stack:
                    self.stack[-1][1].append('\n')
                return
            attrs = dict(attrs)
            kind = None
            if tag == 'script':
                kind = next((f'{r}' for r in ('setup', 'check', 'solution') if f'data-{r}' in attrs), 'script')
            elif tag == 'template' and 'data-hint' in attrs:
                kind = 'hint'
            elif tag == 'pre' and self.cell['code'] is None and not any(k == 'pre' for k, _ in self.stack):
                kind = 'pre'
            elif 'linenos' in (attrs.get('class') or '').split():
                kind = 'gutter'
            self.stack.append((kind or tag, []))

        def handle_endtag(self, tag):
            if tag == 'py-cell':
                self.cell = None
                return
            if self.cell is None or not self.stack:
                return
            kind, text = self.stack.pop()
            content = ''.join(text)
            if kind == 'pre':
                self.cell['code'] = content[:-1] if content.endswith('\n') else content
            elif kind in ('setup', 'check', 'solution'):
                self.cell[kind] = content
            elif kind == 'hint':
                self.cell['hints'].append(content)
            elif kind != 'gutter' and self.stack:
                self.stack[-1][1].append(content)

        def handle_data(self, data):
            if self.cell is not None and self.stack:
                self.stack[-1][1].append(data)

    reader = Reader()
    reader.feed(html)
    return reader.cells
