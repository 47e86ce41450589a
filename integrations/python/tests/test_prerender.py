"""The ``prerender`` setting: checked values, the command line, and a failing command's report.
The command itself is a stand-in here (a Node script that records its arguments); the real one
runs on a real Sphinx and MkDocs site in ``npm test`` (scripts/sites/prerender.mjs)."""

import json
import shutil
import unittest
from pathlib import Path

from support import TempDir, fake_assets

from py_cell_docs.assets import AssetsError
from py_cell_docs.prerender import PrerenderError, check_prerender, command, prerender

#: A stand-in for dist/prerender-cli.js: records its arguments, fails with --fail-on-error.
FAKE_CLI = """const fs = require('fs'), path = require('path');
const args = process.argv.slice(2);
fs.writeFileSync(path.join(__dirname, '..', 'args.json'), JSON.stringify(args));
console.log('Prerendered 1 page: 1 cell, 0 errors');
if (args.includes('--fail-on-error')) { console.log('  cell 1: raised ZeroDivisionError'); process.exit(1); }
"""


def fake_cli(folder):
    fake_assets(folder)
    (Path(folder) / 'dist/prerender-cli.js').write_text(FAKE_CLI)
    return Path(folder)


class Setting(unittest.TestCase):
    def test_values(self):
        self.assertIsNone(check_prerender(None, 'x'))
        self.assertIsNone(check_prerender(False, 'x'))
        self.assertEqual(check_prerender(True, 'x'), [])
        self.assertEqual(check_prerender(['--fail-on-error'], 'x'), ['--fail-on-error'])
        for bad in ('yes', 1, ['--timeout', 30]):
            with self.subTest(bad=bad), self.assertRaisesRegex(AssetsError, 'x must be true, false or a list'):
                check_prerender(bad, 'x')


class Command(TempDir):
    def test_line(self):
        assets = fake_cli(self.tmp / 'py-cell')
        wheel = assets / 'wheels/mylib-1.0.0-py3-none-any.whl'
        line = command(assets, self.tmp / 'site', ['--check'], [wheel], {'packages': ['numpy'], 'packageURL': 'https://example.test/p/'}, node='node')
        self.assertEqual(line, ['node', str(assets / 'dist/prerender-cli.js'), 'prerender', '--quiet', '--check',
                                '--packages', f'numpy,{wheel.resolve()}', '--package-url', 'https://example.test/p/', str(self.tmp / 'site')])

    def test_missing_command(self):
        assets = fake_assets(self.tmp / 'py-cell')
        with self.assertRaisesRegex(PrerenderError, 'prerender-cli.js is missing'):
            command(assets, self.tmp, [], node='node')

    @unittest.skipIf(shutil.which('node') is None, 'needs Node.js')
    def test_runs_and_reports(self):
        assets = fake_cli(self.tmp / 'py-cell')
        logged = []
        prerender(assets, self.tmp / 'site', [], log=logged.append)
        self.assertEqual(json.loads((assets / 'args.json').read_text()), ['prerender', '--quiet', str(self.tmp / 'site')])
        self.assertEqual(logged, ['py-cell prerender: Prerendered 1 page: 1 cell, 0 errors'])
        with self.assertRaisesRegex(PrerenderError, r'exit status 1\):\n.*\n  cell 1: raised ZeroDivisionError'):
            prerender(assets, self.tmp / 'site', ['--fail-on-error'], log=logged.append)


if __name__ == '__main__':
    unittest.main()
