"""MkDocs: the superfences fence against the golden contract, and a site built with the hooks."""

import json
import logging
import unittest
from pathlib import Path
from unittest import mock

from support import GOLDEN, TempDir, fake_assets, read_cells, run_elsewhere

from py_cell_docs import CellError

try:
    import markdown
    import mkdocs
    import pymdownx.superfences
except ImportError:
    mkdocs = None


def fence(info, body):
    return f'```{info}\n{body}```\n'


class Fence(unittest.TestCase):
    def convert(self, text):
        from py_cell_docs.mkdocs import fence_format, fence_validator, prepare_markdown

        fences = [{'name': 'py-cell', 'class': 'py-cell', 'format': fence_format, 'validator': fence_validator}]
        md = markdown.Markdown(extensions=['pymdownx.superfences'], extension_configs={'pymdownx.superfences': {'custom_fences': fences}})
        return md.convert(prepare_markdown(text))

    def test_golden_cases(self):
        for case in GOLDEN['cases']:
            with self.subTest(case['name']):
                html = self.convert(fence(case['info'], case['body']))
                self.assertEqual(read_cells(html), read_cells(case['html']))

    def test_golden_errors(self):
        for case in GOLDEN['errors']:
            with self.subTest(case['name']):
                with self.assertRaises(CellError) as caught:
                    self.convert('Text.\n\n' + fence(case['info'], 'x\n'))
                self.assertIn(case['error'], str(caught.exception))
                self.assertIn('line 3', str(caught.exception))

    def test_underscores_without_the_hooks(self):
        # Python-Markdown alone: superfences reads option names of letters, digits and "_".
        from py_cell_docs.mkdocs import fence_format, fence_validator

        fences = [{'name': 'py-cell', 'class': 'py-cell', 'format': fence_format, 'validator': fence_validator}]
        md = markdown.Markdown(extensions=['pymdownx.superfences'], extension_configs={'pymdownx.superfences': {'custom_fences': fences}})
        html = md.convert(fence('py-cell main_thread solution_after="2" exercise', 'x\n'))
        self.assertTrue(html.startswith('<py-cell main-thread solution-after="2" exercise><div class="highlight"><pre>'), html)
        self.assertEqual(read_cells(html)[0]['code'], 'x')

    def test_other_fences_untouched(self):
        from py_cell_docs.mkdocs import prepare_markdown

        text = '````markdown\n```py-cell <b>=1\nx\n```\n````\n\n~~~python\n```py-cell bad"\n~~~\n'
        self.assertEqual(prepare_markdown(text), text)
        self.assertEqual(prepare_markdown('```py-cell solution-after="1" session=\'a"b\'\nx\n```'), '```py-cell solution_after="1" session=\'a"b\'\nx\n```')


class Site(TempDir):
    def build(self, yml, pages):
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        (self.tmp / 'mkdocs.yml').write_text(yml)
        (self.tmp / 'hooks.py').write_text('from py_cell_docs.mkdocs import *  # noqa\n')
        for name, text in pages.items():
            (self.tmp / 'docs' / name).parent.mkdir(parents=True, exist_ok=True)
            (self.tmp / 'docs' / name).write_text(text)
        logging.getLogger('mkdocs').setLevel(logging.ERROR)
        self.addCleanup(logging.getLogger('mkdocs').setLevel, logging.NOTSET)
        config = load_config(str(self.tmp / 'mkdocs.yml'), site_dir=str(self.tmp / 'site'))
        build(config)
        return config

    def test_site(self):
        fake_assets(self.tmp / 'py-cell')
        yml = ('site_name: t\nplugins: []\nhooks: [hooks.py]\n'
               'extra:\n  py_cell:\n    assets: py-cell\n    wheels: [py-cell/wheels/mylib-1.0.0-py3-none-any.whl]\n'
               '    configure: {persist: true}\n')
        self.build(yml, {'index.md': '# A\n\n' + fence('py-cell session="s" autorun', 'x = 1\n'),
                         'sub/page.md': '# B\n\n' + fence('py-cell exercise solution-after="0"', 'x\n#| check\nassert x\n'),
                         'plain.md': '# C\n\nNo cell.\n'})
        site = self.tmp / 'site'
        index = (site / 'index.html').read_text()
        # The code as the site highlights a Python block (superfences, Pygments), read as written.
        self.assertIn('<py-cell session="s" autorun><div class="highlight"><pre><span></span><code>', index)
        self.assertEqual(read_cells(index), [{'attributes': [['session', 's'], ['autorun', None]], 'code': 'x = 1', 'hints': []}])
        self.assertIn('<script type="module" src="assets/py-cell/py-cell-setup.js"></script>\n</head>', index)
        page = (site / 'sub/page/index.html').read_text()
        self.assertIn('<py-cell exercise solution-after="0">', page)
        self.assertIn('<script type="module" src="../../assets/py-cell/py-cell-setup.js"></script>', page)
        self.assertNotIn('py-cell-setup.js', (site / 'plain/index.html').read_text())
        for path in ('dist/py-cell.js', 'wasm-dist/pyodide.asm.wasm', 'wheels/mylib-1.0.0-py3-none-any.whl'):
            self.assertTrue((site / 'assets/py-cell' / path).is_file(), path)
        setup = (site / 'assets/py-cell/py-cell-setup.js').read_text()
        self.assertIn('"persist": true,', setup)
        self.assertIn('new URL("./wheels/mylib-1.0.0-py3-none-any.whl", import.meta.url).href', setup)

    def test_prerender(self):
        from test_prerender import fake_cli

        assets = fake_cli(self.tmp / 'py-cell')
        yml = 'site_name: t\nplugins: []\nhooks: [hooks.py]\nextra: {py_cell: {assets: py-cell, prerender: [--timeout, "5"]}}\n'
        self.build(yml, {'index.md': '# A\n\n' + fence('py-cell', 'print(1)\n')})
        args = json.loads((assets / 'args.json').read_text())
        self.assertEqual(args, ['prerender', '--quiet', '--timeout', '5', str(self.tmp / 'site')])
        yml = yml.replace('[--timeout, "5"]', '[--fail-on-error]')
        self.assertIn('cell 1: raised ZeroDivisionError', self.build_error(yml, {'index.md': '# A\n'}))
        self.assertIn('extra.py_cell.prerender must be true, false or a list', self.build_error(yml.replace('[--fail-on-error]', 'maybe'), {'index.md': '# A\n'}))

    def build_error(self, yml, pages):
        from mkdocs.exceptions import Abort

        with self.assertLogs('mkdocs', logging.ERROR) as logs, self.assertRaises(Abort):
            self.build(yml, pages)
        return '\n'.join(logs.output)

    @mock.patch('py_cell_docs.assets._HOME', Path('/nonexistent'))
    def test_errors(self):
        yml = 'site_name: t\nplugins: []\nhooks: [hooks.py]\n'
        self.assertIn('node_modules/py-cell', self.build_error(yml, {'index.md': '# A\n'}))
        fake_assets(self.tmp / 'py-cell')
        yml += 'extra: {py_cell: {assets: py-cell}}\n'
        error = self.build_error(yml, {'index.md': '# A\n\n' + fence('py-cell session="x', 'x\n')})
        self.assertIn('index.md: py-cell: line 3: unclosed quote', error)
        error = self.build_error(yml, {'index.md': '# A\n\n- item\n\n    ```py-cell exercise\n    x\n    #| hint\n    ```\n'})
        self.assertIn('index.md: py-cell: line 5: a "#| hint" part is empty', error)

    def test_plugin(self):
        from mkdocs.config import load_config

        from py_cell_docs.mkdocs import PyCellPlugin

        fake_assets(self.tmp / 'py-cell')
        (self.tmp / 'docs').mkdir()
        (self.tmp / 'mkdocs.yml').write_text('site_name: t\nplugins: []\n')
        config = load_config(str(self.tmp / 'mkdocs.yml'))
        plugin = PyCellPlugin()
        errors, warnings = plugin.load_config({'assets': 'py-cell', 'wheels': ['py-cell/wheels/mylib-1.0.0-py3-none-any.whl']})
        self.assertEqual((errors, warnings), ([], []))
        plugin.on_config(config)
        self.assertIn('pymdownx.superfences', config['markdown_extensions'])
        names = [entry['name'] for entry in config['mdx_configs']['pymdownx.superfences']['custom_fences']]
        self.assertEqual(names, ['py-cell'])


if mkdocs is None:
    del Fence, Site

    class MkDocsElsewhere(unittest.TestCase):
        def test_under_the_python_of_mkdocs(self):
            run_elsewhere(self, 'mkdocs', 'test_mkdocs')


if __name__ == '__main__':
    unittest.main()
