"""The Sphinx extension: golden cells, assets, the script on pages with cells, errors."""

import io
import json
import unittest
from pathlib import Path
from unittest import mock

from support import GOLDEN, TempDir, fake_assets, read_cells, run_elsewhere

from py_cell_docs import parse_info

try:
    import sphinx
except ImportError:
    sphinx = None


def directive(info, body):
    lines = ['.. py-cell::']
    for name, value in parse_info(info):
        lines.append(f'   :{name}:' + ('' if value is None else f' {value}'))
    lines.append('')
    lines += [('   ' + line) if line else '' for line in body.rstrip('\n').split('\n')]
    return '\n'.join(lines) + '\n\n'


CONF = """
extensions = ['py_cell_docs.sphinx']
py_cell_assets = 'assets'
py_cell_wheels = ['assets/wheels/mylib-1.0.0-py3-none-any.whl']
html_theme = 'basic'
"""


class SphinxBuild(TempDir):
    def build(self, pages, conf=CONF, builder='html'):
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        src = self.tmp / 'src'
        src.mkdir(exist_ok=True)
        (src / 'conf.py').write_text(conf)
        for name, text in pages.items():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            (src / name).write_text(text)
        warnings = io.StringIO()
        with patch_docutils(str(src)), docutils_namespace():
            app = Sphinx(str(src), str(src), str(self.tmp / 'out'), str(self.tmp / 'doctrees'), builder,
                         status=io.StringIO(), warning=warnings, freshenv=True)
            app.build()
        return warnings.getvalue()

    def setUp(self):
        super().setUp()
        fake_assets(self.tmp / 'src/assets')

    def test_golden_cases(self):
        index = 'Cells\n=====\n\n.. toctree::\n\n   sub/page\n   plain\n\n'
        index += ''.join(directive(case['info'], case['body']) for case in GOLDEN['cases'])
        pages = {'index.rst': index, 'sub/page.rst': 'Sub\n===\n\n' + directive('py-cell', 'x\n'), 'plain.rst': 'Plain\n=====\n\nNo cell.\n'}
        self.assertEqual(self.build(pages), '')
        out = self.tmp / 'out'
        html = (out / 'index.html').read_text()
        # The code is highlighted by Sphinx (Pygments): the element reads the same cell.
        self.assertIn('<py-cell><div class="highlight"><pre><span></span><span class="nb">print</span>', html)
        cells = read_cells(html)
        self.assertEqual(len(cells), len(GOLDEN['cases']))
        for case, cell in zip(GOLDEN['cases'], cells):
            with self.subTest(case['name']):
                self.assertEqual(cell, read_cells(case['html'])[0])
        script = '<script type="module" src="{}_static/py-cell/py-cell-setup.js"></script>'
        self.assertIn(script.format(''), html)
        self.assertIn(script.format('../'), (out / 'sub/page.html').read_text())
        self.assertNotIn('py-cell-setup.js', (out / 'plain.html').read_text())
        site = out / '_static/py-cell'
        for path in ('dist/py-cell.js', 'dist/py-cell-worker.js', 'wasm-dist/pyodide.mjs', 'wasm-dist/pyodide.asm.wasm', 'wheels/mylib-1.0.0-py3-none-any.whl'):
            self.assertTrue((site / path).is_file(), path)
        setup = (site / 'py-cell-setup.js').read_text()
        self.assertIn("from './dist/py-cell.js'", setup)
        self.assertIn('new URL("./wheels/mylib-1.0.0-py3-none-any.whl", import.meta.url).href', setup)

    def test_invalid_options(self):
        warnings = self.build({'index.rst': 'T\n=\n\n' + directive('py-cell timeout=soon', 'x\n') + '.. py-cell::\n   :autorun: yes\n\n   x\n'})
        self.assertIn('timeout', warnings)
        self.assertIn('no argument is allowed', warnings)

    @mock.patch('py_cell_docs.assets._HOME', Path('/nonexistent'))
    def test_missing_assets(self):
        from sphinx.errors import ConfigError

        with self.assertRaises(ConfigError) as caught:
            self.build({'index.rst': 'T\n=\n'}, conf="extensions = ['py_cell_docs.sphinx']\n")
        self.assertIn('node_modules/py-cell', str(caught.exception))
        with self.assertRaises(ConfigError) as caught:
            self.build({'index.rst': 'T\n=\n'}, conf=CONF + "py_cell_wheels = ['nowhere-1.0-py3-none-any.whl']\n")
        self.assertIn('no wheel', str(caught.exception))

    def test_prerender(self):
        from sphinx.errors import ConfigError, ExtensionError

        from test_prerender import FAKE_CLI

        (self.tmp / 'src/assets/dist/prerender-cli.js').write_text(FAKE_CLI)
        page = {'index.rst': 'T\n=\n\n' + directive('py-cell', 'print(1)\n')}
        self.assertEqual(self.build(page, conf=CONF + "py_cell_prerender = ['--timeout', '5']\n"), '')
        args = json.loads((self.tmp / 'src/assets/args.json').read_text())
        wheel = self.tmp / 'src/assets/wheels/mylib-1.0.0-py3-none-any.whl'
        self.assertEqual(args, ['prerender', '--quiet', '--timeout', '5', '--packages', str(wheel.resolve()), str(self.tmp / 'out')])
        with self.assertRaises(ExtensionError) as caught:
            self.build(page, conf=CONF + "py_cell_prerender = ['--fail-on-error']\n")
        self.assertIn('cell 1: raised ZeroDivisionError', str(caught.exception))
        with self.assertRaises(ConfigError) as caught:
            self.build(page, conf=CONF + "py_cell_prerender = 'yes'\n")
        self.assertIn('py_cell_prerender must be true, false or a list', str(caught.exception))

    def test_other_builders_show_the_code(self):
        self.assertEqual(self.build({'index.rst': 'T\n=\n\n' + directive('py-cell exercise', 'a = 1\n#| check\nassert a\n')}, builder='text'), '')
        text = (self.tmp / 'out/index.txt').read_text()
        self.assertIn('a = 1', text)
        self.assertNotIn('assert', text)


if sphinx is None:
    del SphinxBuild

    class SphinxElsewhere(unittest.TestCase):
        def test_under_the_python_of_sphinx_build(self):
            run_elsewhere(self, 'sphinx-build', 'test_sphinx')


if __name__ == '__main__':
    unittest.main()
