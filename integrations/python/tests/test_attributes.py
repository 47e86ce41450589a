"""The attribute list (attributes.json, generated from cell/attributes.ts) and the values a fence
may give, as every integration reads them (test/fixtures/cells/attribute-values.json)."""

import json
import os
import shutil
import subprocess
import unittest

from support import REPO

from py_cell_docs import CellError, render_cell
from py_cell_docs.render import ATTRIBUTES, TABLE, check_attributes

VALUES = json.loads((REPO / 'test/fixtures/cells/attribute-values.json').read_text(encoding='utf-8'))


class AttributeList(unittest.TestCase):
    def test_fence_attributes_from_the_list(self):
        fence = [entry['name'] for entry in TABLE['attributes'] if entry['fence']]
        self.assertEqual(list(ATTRIBUTES), fence)
        self.assertIn('timeout', ATTRIBUTES)
        self.assertNotIn('status', ATTRIBUTES)  # the element's to write

    def test_every_fence_attribute_has_a_valid_case(self):
        named = {name.lower() for name, _ in VALUES['valid']}
        self.assertEqual([name for name in ATTRIBUTES if name not in named], [])

    def test_valid(self):
        for name, value in VALUES['valid']:
            with self.subTest(name=name, value=value):
                kind = ATTRIBUTES.get(name.lower())
                written = None if kind == 'flag' else value  # booleans are written bare
                self.assertEqual(check_attributes([(name, value)]), [(name, written)])
                self.assertTrue(render_cell([(name, value)], 'x').startswith('<py-cell '))

    def test_invalid(self):
        for name, value in VALUES['invalid']:
            with self.subTest(name=name, value=value):
                with self.assertRaises(CellError) as caught:
                    check_attributes([(name, value)])
                self.assertIn(repr(name), str(caught.exception))

    @unittest.skipUnless(
        shutil.which('node') and (REPO / 'node_modules/typescript').is_dir(), 'needs Node and the npm dev dependencies'
    )
    def test_generated_file_up_to_date(self):
        env = {**os.environ, 'NO_COLOR': '1'}
        done = subprocess.run(
            ['node', 'scripts/gen-attributes.mjs', '--check'], cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        self.assertEqual(done.returncode, 0, done.stderr)


if __name__ == '__main__':
    unittest.main()
