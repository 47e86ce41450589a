"""MkDocs: a ``pymdownx.superfences`` custom fence, and hooks (or a plugin) that ship py-cell.

A fenced block ```` ```py-cell session="intro" autorun ```` becomes a ``<py-cell>``. The fence::

    markdown_extensions:
      - pymdownx.superfences:
          custom_fences:
            - name: py-cell
              class: py-cell
              format: !!python/name:py_cell_docs.mkdocs.fence_format
              validator: !!python/name:py_cell_docs.mkdocs.fence_validator

The hooks (a file ``hooks/py_cell.py`` holding ``from py_cell_docs.mkdocs import *``, listed
under ``hooks:``; settings under ``extra: py_cell:``) or the plugin (``plugins: [py-cell]`` once
the distribution is installed; the same settings as its options) do the rest:

- ``assets``: folder holding py-cell's ``dist/`` and ``wasm-dist/``, relative to mkdocs.yml;
  default ``node_modules/py-cell``. Copied into the site as ``assets/py-cell/``.
- ``wheels``: wheel files (relative to mkdocs.yml) copied into the site and made page-wide
  packages: any cell can ``import`` their modules.
- ``configure``: other ``configure()`` options for every page.
- ``prerender``: ``true`` (or a list of the command's options, ``[--fail-on-error]``) runs every
  cell after the build (``py-cell prerender``, needs Node.js) and stores its outputs in the pages,
  shown before Python starts. Default ``false``.

They also add the fence when superfences does not have it, check every ``py-cell`` fence's info
string (a build error names the page and line), let attribute names with ``-`` through
(superfences only reads names of letters, digits and ``_``: in a fence, ``solution_after`` also
means ``solution-after``), and load ``assets/py-cell/py-cell-setup.js`` on every page that has a
cell.
"""

import html
import os
import re

from .assets import SETUP_MODULE, AssetsError, check_configure, find_assets, find_wheels, publish
from .prerender import PrerenderError, check_prerender, prerender
from .render import ATTRIBUTES, CellError, check_attributes, code_block, parse_info, render_cell

__all__ = ['fence_format', 'fence_validator', 'on_config', 'on_page_markdown', 'on_post_page', 'on_post_build']

#: Where py-cell goes in the built site.
SITE_FOLDER = 'assets/py-cell'

#: The custom fence, as superfences' ``custom_fences`` takes it.
FENCE = {'name': 'py-cell', 'class': 'py-cell'}


def _fence_error(message):
    from pymdownx.superfences import SuperFencesException

    return SuperFencesException(f'py-cell: {message}')


def fence_validator(language, inputs, options, attrs, md):
    """superfences validator: the fence's options become the cell's attributes, in order."""
    if 'py-cell' not in md.block_level_elements:
        md.block_level_elements.append('py-cell')  # else Python-Markdown puts the cell in a <p>
    attributes = []
    for name, value in inputs.items():
        name = name.replace('_', '-')
        if ATTRIBUTES.get(name) == 'flag' and value == name.replace('-', '_'):
            value = None  # superfences gives a bare option its own name as value
        attributes.append((name, value))
    try:
        options['py_cell'] = check_attributes(attributes)
    except CellError as error:
        raise _fence_error(error) from None
    return True


def fence_format(src, language, class_name, options, md, **kwargs):
    """superfences formatter: the ``<py-cell>``."""
    try:
        return render_cell(options.get('py_cell', []), src, lambda code: _highlighted(code, md))
    except CellError as error:
        raise _fence_error(error) from None


def _highlighted(code, md):
    """The learner's code as the site writes a Python block: superfences' highlighter, with the
    site's ``pymdownx.highlight`` settings; a plain code block where there is none."""
    fences = md.preprocessors['fenced_code_block'] if 'fenced_code_block' in md.preprocessors else None
    highlight = getattr(fences, 'highlight', None)
    if highlight is None:
        return code_block(code)
    fences.get_hl_settings()
    return highlight(src=code, language='python', options={}, md=md, classes=[], id_value='', attrs={})


_FENCE_LINE = re.compile(r'(?P<prefix>(?:[ \t]*>)*[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)\Z')


def prepare_markdown(markdown):
    """Checks every ``py-cell`` fence of a page (its info string and its parts) and writes its
    attribute names with ``_`` for superfences (which reads only names of letters, digits and
    ``_``). Raises ``CellError`` naming the line."""
    lines = markdown.split('\n')
    fence = cell = None  # the open fence's characters; the open py-cell fence's (line, attributes, prefix)
    body = []
    for number, line in enumerate(lines):
        m = _FENCE_LINE.match(line)
        if fence is not None:
            if m and m.group('fence')[0] == fence[0] and len(m.group('fence')) >= len(fence) and m.group('info').strip() == '':
                if cell is not None:
                    _check_cell(*cell, body)
                fence = cell = None
            elif cell is not None:
                body.append(line[len(cell[2]):] if line.startswith(cell[2]) else line.lstrip(' \t>'))
            continue
        if m is None:
            continue
        marks, info = m.group('fence'), m.group('info')
        if marks[0] == '`' and '`' in info:
            continue  # not a fence: inline code
        fence = marks
        words = info.strip().split(None, 1)
        if not words or words[0] != 'py-cell':
            continue
        try:
            attributes = parse_info(info)
        except CellError as error:
            raise CellError(f'line {number + 1}: {error}') from None
        cell, body = (number, attributes, m.group('prefix')), []
        written = []
        for name, value in attributes:
            name = name.replace('-', '_')
            if value is not None:
                quote = "'" if '"' in value else '"'
                name = f'{name}={quote}{value}{quote}'
            written.append(name)
        lines[number] = m.group('prefix') + marks + ' '.join(['py-cell', *written])
    return '\n'.join(lines)


def _check_cell(number, attributes, prefix, body):
    try:
        render_cell(attributes, '\n'.join(body))
    except CellError as error:
        raise CellError(f'line {number + 1}: {error}') from None


def _ensure_fence(config):
    """Adds the py-cell fence to superfences (and superfences itself) when it is not there."""
    fence = {**FENCE, 'format': fence_format, 'validator': fence_validator}
    extensions = config['markdown_extensions']
    if 'pymdownx.superfences' not in extensions:
        extensions.append('pymdownx.superfences')
    settings = config['mdx_configs'].setdefault('pymdownx.superfences', {})
    fences = settings.setdefault('custom_fences', [])
    if not any(entry.get('name') == FENCE['name'] for entry in fences):
        fences.append(fence)


class _Site:
    """py-cell in one MkDocs site: ``settings`` are ``assets``, ``wheels``, ``configure``."""

    def __init__(self, settings, where):
        from mkdocs.exceptions import PluginError

        self.error = PluginError
        self.where = where
        unknown = set(settings) - {'assets', 'wheels', 'configure', 'prerender'}
        if unknown:
            raise PluginError(f'{where}: unknown setting {", ".join(sorted(unknown))} (assets, wheels, configure, prerender)')
        self.settings = settings

    def on_config(self, config):
        base = os.path.dirname(os.path.abspath(config['config_file_path']))
        get = self.settings.get
        try:
            self.assets = find_assets(get('assets'), base, f'{self.where}.assets')
            self.wheels = find_wheels(get('wheels') or [], base, f'{self.where}.wheels')
            self.options = check_configure(get('configure'), f'{self.where}.configure')
            self.prerender = check_prerender(get('prerender'), f'{self.where}.prerender')
        except AssetsError as error:
            raise self.error(str(error)) from None
        _ensure_fence(config)
        return config

    def on_page_markdown(self, markdown, page, config, files):
        try:
            return prepare_markdown(markdown)
        except CellError as error:
            raise self.error(f'{page.file.src_path}: py-cell: {error}') from None

    def on_post_page(self, output, page, config):
        if '<py-cell' not in output:
            return output
        from mkdocs.utils import get_relative_url

        src = get_relative_url(f'{SITE_FOLDER}/{SETUP_MODULE}', page.url)
        tag = f'<script type="module" src="{html.escape(src)}"></script>\n'
        at = output.find('</head>')
        if at < 0:
            return tag + output
        return output[:at] + tag + output[at:]

    def on_post_build(self, config):
        publish(self.assets, self.wheels, self.options, os.path.join(config['site_dir'], *SITE_FOLDER.split('/')))
        if self.prerender is not None:
            import logging

            try:
                prerender(self.assets, config['site_dir'], self.prerender, self.wheels, self.options, logging.getLogger('mkdocs.py_cell').info)
            except PrerenderError as error:
                raise self.error(str(error)) from None


# Hooks: a file listed under `hooks:` that does `from py_cell_docs.mkdocs import *`; the
# settings are mkdocs.yml's `extra: py_cell:`.
_hooks_site = None


def on_config(config):
    global _hooks_site
    settings = (config['extra'] or {}).get('py_cell') or {}
    if not isinstance(settings, dict):
        from mkdocs.exceptions import PluginError

        raise PluginError('extra.py_cell must be a mapping (assets, wheels, configure, prerender)')
    _hooks_site = _Site(settings, 'extra.py_cell')
    return _hooks_site.on_config(config)


def on_page_markdown(markdown, page, config, files):
    return _hooks_site.on_page_markdown(markdown, page, config, files)


def on_post_page(output, page, config):
    return _hooks_site.on_post_page(output, page, config)


def on_post_build(config):
    _hooks_site.on_post_build(config)


def _plugin_class():
    from mkdocs.config import config_options
    from mkdocs.plugins import BasePlugin

    class PyCellPlugin(BasePlugin):
        """``plugins: [py-cell]``, with options ``assets``, ``wheels``, ``configure``, ``prerender``."""

        config_scheme = (
            ('assets', config_options.Type(str, default='')),
            ('wheels', config_options.Type(list, default=[])),
            ('configure', config_options.Type(dict, default={})),
            ('prerender', config_options.Type((bool, list), default=False)),
        )

        def on_config(self, config):
            self.site = _Site(dict(self.config), 'plugins.py-cell')
            return self.site.on_config(config)

        def on_page_markdown(self, markdown, page, config, files):
            return self.site.on_page_markdown(markdown, page, config, files)

        def on_post_page(self, output, page, config):
            return self.site.on_post_page(output, page, config)

        def on_post_build(self, config):
            self.site.on_post_build(config)

    return PyCellPlugin


def __getattr__(name):
    # The plugin class needs MkDocs; made on first use so the fence works with Python-Markdown alone.
    if name == 'PyCellPlugin':
        globals()[name] = _plugin_class()
        return globals()[name]
    raise AttributeError(name)
