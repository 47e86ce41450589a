"""The shared renderer against the golden contract (test/fixtures/cells/golden.json)."""

import unittest

from unittest import mock

from support import GOLDEN, TempDir, fake_assets

from py_cell_docs import CellError, render_cell, render_info
# Imported as a module: pytest would take a function named setup_module for its module fixture.
from py_cell_docs import assets


class Golden(unittest.TestCase):
    def test_cases(self):
        for case in GOLDEN['cases']:
            with self.subTest(case['name']):
                self.assertEqual(render_info(case['info'], case['body']), case['html'])

    def test_errors(self):
        for case in GOLDEN['errors']:
            with self.subTest(case['name']):
                with self.assertRaises(CellError) as caught:
                    render_info(case['info'], 'x\n')
                self.assertIn(case['error'], str(caught.exception))


class Attributes(unittest.TestCase):
    def rejects(self, info, word, body='x\n'):
        with self.assertRaises(CellError) as caught:
            render_info(info, body)
        self.assertIn(word, str(caught.exception))

    def test_invalid(self):
        self.rejects('py-cell autorunn', 'unknown attribute')
        self.rejects('py-cell autorun="false"', 'boolean')
        self.rejects('py-cell session', 'needs a value')
        self.rejects('py-cell session=""', 'empty')
        self.rejects('py-cell timeout=0', 'seconds')
        self.rejects('py-cell timeout=soon', 'seconds')
        self.rejects('py-cell solution-after=-1', 'whole number')
        self.rejects('py-cell session=a session=b', 'twice')
        self.rejects("py-cell session='a", 'quote')
        self.rejects('py-cell session=a"b', 'space')
        self.rejects('py-cell exercise', 'second', 'x\n#| check\na\n#| check\nb\n')
        self.rejects('py-cell session="a"autorun', 'space')
        self.rejects('py-cell session=', 'no value')
        self.rejects('pycell', 'py-cell')

    def test_accepted(self):
        cell = render_info('py-cell  id=intro main-thread readonly trusted persist timeout=2.5 data-x="1"  ', 'x')
        self.assertTrue(cell.startswith('<py-cell id="intro" main-thread readonly trusted persist timeout="2.5" data-x="1">'))
        self.assertTrue(render_info('py-cell autorun=""', 'x').startswith('<py-cell autorun>'))
        self.assertTrue(render_info('py-cell session = "a b"\ttimeout= 3', 'x').startswith('<py-cell session="a b" timeout="3">'))

    def test_hints_paragraphs(self):
        html = render_info('py-cell exercise', 'x\n#| hint\nOne\n"line".\n\nTwo.\n')
        self.assertIn('<template data-hint><p>One\n&quot;line&quot;.</p><p>Two.</p></template>', html)
        self.rejects('py-cell exercise', 'hint', 'x\n#| hint\n\n')

    def test_last_line_ending_only(self):
        html = render_info('py-cell exercise', 'x\n\n#| check\ny\n\n')
        self.assertIn('<pre><code class="language-python">x\n\n</code></pre>\n<script type="text/x-python" data-check>y\n</script>', html)

    def test_markers_exact(self):
        html = render_info('py-cell exercise', 'x\n #| check\n#| check \n')
        self.assertEqual(html, '<py-cell exercise><pre><code class="language-python">x\n #| check\n#| check \n</code></pre>\n</py-cell>\n')

    def test_script_never_left_open(self):
        # "<!--" then "<script" would keep the browser from ending the script: "<!--" is escaped.
        self.assertIn('s = "<\\!--<script>"', render_info('py-cell exercise', 'x\n#| check\ns = "<!--<script>"\n'))
        # The learner's code is a code block: its text escaped.
        self.assertIn('s = &quot;&lt;!--&lt;script&gt;&quot;', render_info('py-cell', 's = "<!--<script>"\n'))
        html = render_info('py-cell exercise', 'x\n#| check\ns = "<!-- <script "\n')
        self.assertIn('<script type="text/x-python" data-check>s = "<\\!-- <script "</script>', html)

    def test_attribute_list(self):
        self.assertEqual(render_cell([('session', 'a'), ('autorun', None)], 'x'), '<py-cell session="a" autorun><pre><code class="language-python">x\n</code></pre>\n</py-cell>\n')


class Assets(TempDir):
    def test_default_folders(self):
        from py_cell_docs.assets import AssetsError, find_assets

        home = fake_assets(self.tmp / 'home')
        with mock.patch('py_cell_docs.assets._HOME', home):
            self.assertEqual(find_assets(None, self.tmp, 'x'), home)
            installed = fake_assets(self.tmp / 'node_modules/py-cell')
            self.assertEqual(find_assets(None, self.tmp, 'x'), installed)
            with self.assertRaises(AssetsError) as caught:
                find_assets('nowhere', self.tmp, 'py_cell_assets')
            self.assertIn('py_cell_assets', str(caught.exception))


class SetupModule(unittest.TestCase):
    def test_wheels_relative_to_the_module(self):
        source = assets.setup_module(['mylib-1.0.0-py3-none-any.whl'], {'persist': True, 'packages': ['numpy']})
        self.assertIn("import { configure } from './dist/py-cell.js';", source)
        self.assertIn('"persist": true,', source)
        self.assertIn('"numpy",', source)
        self.assertIn('new URL("./wheels/mylib-1.0.0-py3-none-any.whl", import.meta.url).href,', source)

    def test_nothing_to_configure(self):
        self.assertTrue(assets.setup_module([], {}).endswith("import './dist/py-cell.js';\n"))


if __name__ == '__main__':
    unittest.main()
