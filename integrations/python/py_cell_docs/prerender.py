"""The ``prerender`` setting of the Sphinx and MkDocs integrations: once the site is built, py-cell's
own command (``dist/prerender-cli.js``, run by Node) executes the cells of every page and stores
their outputs in the pages, which readers then see before Python starts."""

import shutil
import subprocess
from pathlib import Path

from .assets import AssetsError


class PrerenderError(Exception):
    """The command could not run, or failed (a cell raised with ``--fail-on-error``, say)."""


def check_prerender(value, setting):
    """The command's options: ``None`` when off (``false``, the default), ``[]`` for ``true``, or
    a list of options such as ``['--fail-on-error', '--timeout', '30']``."""
    if value is None or value is False:
        return None
    if value is True:
        return []
    if isinstance(value, (list, tuple)) and all(isinstance(option, str) for option in value):
        return list(value)
    raise AssetsError(f'{setting} must be true, false or a list of py-cell prerender options, not {value!r}')


def command(assets, site, options, wheels=(), configure=None, node=None):
    """The command line that prerenders ``site``: the site's wheels and page-wide packages are
    passed as the pages' ``configure({packages})`` would give them."""
    node = node or shutil.which('node')
    if node is None:
        raise PrerenderError('prerendering needs Node.js: no node on PATH')
    cli = Path(assets) / 'dist' / 'prerender-cli.js'
    if not cli.is_file():
        raise PrerenderError(f'{cli} is missing: this py-cell has no prerender command (build it, or update py-cell)')
    configure = configure or {}
    line = [node, str(cli), 'prerender', '--quiet', *options]
    packages = [*configure.get('packages', []), *(str(Path(wheel).resolve()) for wheel in wheels)]
    if packages:
        line += ['--packages', ','.join(packages)]
    if isinstance(configure.get('packageURL'), str):
        line += ['--package-url', configure['packageURL']]
    return line + [str(site)]


def prerender(assets, site, options, wheels=(), configure=None, log=print):
    """Runs the command on ``site``; ``log`` gets its summary. Raises ``PrerenderError`` with
    everything the command said when it fails."""
    result = subprocess.run(command(assets, site, options, wheels, configure), capture_output=True, text=True, check=False)
    for line in result.stdout.splitlines():
        log(f'py-cell prerender: {line}')
    if result.returncode != 0:
        raise PrerenderError(f'py-cell prerender failed (exit status {result.returncode}):\n{result.stdout}{result.stderr}')
