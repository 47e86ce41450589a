"""Sphinx extension: ``extensions = ['py_cell_docs.sphinx']``.

The ``py-cell`` directive writes a ``<py-cell>``; its options are the element's attributes::

    .. py-cell::
       :session: intro
       :autorun:

       print("hello")

Configuration (``conf.py``):

- ``py_cell_assets``: folder holding py-cell's ``dist/`` and ``wasm-dist/``, relative to the
  configuration folder; default ``node_modules/py-cell``.
- ``py_cell_wheels``: wheel files (relative to the configuration folder) copied into the site and
  made page-wide packages: any cell can ``import`` their modules.
- ``py_cell_configure``: other ``configure()`` options for every page (``{'persist': True}``).
- ``py_cell_prerender``: ``True`` (or a list of the command's options, ``['--fail-on-error']``)
  runs every cell when the build ends (``py-cell prerender``, needs Node.js) and stores its
  outputs in the pages, shown before Python starts. Default ``False``.

In HTML builds, py-cell is copied to ``_static/py-cell/`` and every page with a cell loads
``_static/py-cell/py-cell-setup.js``. Other builders show the code as a literal block.
"""

import os

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.errors import ConfigError, ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from . import __version__
from .assets import SETUP_MODULE, AssetsError, check_configure, find_assets, find_wheels, publish
from .prerender import PrerenderError, check_prerender, prerender
from .render import ATTRIBUTES, PARTS, CellError, render_cell

logger = logging.getLogger(__name__)

#: Where py-cell goes in the built site, under ``_static/``.
STATIC_FOLDER = 'py-cell'


class py_cell(nodes.General, nodes.Element):
    """A cell: its ``attributes`` and ``body``, written as a ``<py-cell>``; its child, a literal block, stands for it elsewhere."""


class PyCellDirective(SphinxDirective):
    """``.. py-cell::`` with the element's attributes as options and the code as content."""

    has_content = True
    option_spec = {name: (directives.flag if kind == 'flag' else directives.unchanged_required) for name, kind in ATTRIBUTES.items()}
    option_spec.update({'id': directives.unchanged_required, 'class': directives.unchanged_required})

    def run(self):
        attributes = list(self.options.items())
        body = '\n'.join(self.content)
        try:
            render_cell(attributes, body)  # checked here, written by the translator
        except CellError as error:
            raise self.error(f'py-cell: {error}') from None
        code = body
        if 'exercise' in self.options:
            code = '\n'.join(line for line in _main_code(self.content))
        node = py_cell('', attributes=attributes, body=body)
        literal = nodes.literal_block(code, code, language='python')
        self.set_source_info(node)
        self.set_source_info(literal)
        node += literal
        return [node]


def _main_code(lines):
    for line in lines:
        if line in PARTS:
            return
        yield line


def _visit_html(translator, node):
    # The learner's code highlighted as the theme highlights any Python block (Pygments).
    def highlighted(code):
        return translator.highlighter.highlight_block(code, 'python', location=node)

    translator.body.append(render_cell(node['attributes'], node['body'], highlighted))
    raise nodes.SkipNode


def _visit_other(translator, node):
    pass


def _depart_other(translator, node):
    pass


def _is_site(builder):
    return builder.format == 'html' and not builder.name.startswith('epub')


def _settings(app):
    """The checked settings: (assets folder, wheel paths, configure options)."""
    config = app.config
    try:
        assets = find_assets(config.py_cell_assets, app.confdir, 'py_cell_assets')
        wheels = find_wheels(config.py_cell_wheels, app.confdir, 'py_cell_wheels')
        options = check_configure(config.py_cell_configure, 'py_cell_configure')
    except AssetsError as error:
        raise ConfigError(str(error)) from None
    return assets, wheels, options


def _builder_inited(app):
    if _is_site(app.builder):
        _settings(app)  # fail early, before reading every page
        try:
            check_prerender(app.config.py_cell_prerender, 'py_cell_prerender')
        except AssetsError as error:
            raise ConfigError(str(error)) from None


def _page_context(app, pagename, templatename, context, doctree):
    if doctree is not None and _is_site(app.builder) and _has_cell(doctree):
        app.add_js_file(f'{STATIC_FOLDER}/{SETUP_MODULE}', type='module')


def _has_cell(doctree):
    find = getattr(doctree, 'findall', None) or doctree.traverse  # findall: docutils >= 0.18
    return next(iter(find(py_cell)), None) is not None


def _build_finished(app, exception):
    if exception is not None or not _is_site(app.builder):
        return
    assets, wheels, options = _settings(app)
    publish(assets, wheels, options, os.path.join(str(app.builder.outdir), '_static', STATIC_FOLDER))
    try:
        command_options = check_prerender(app.config.py_cell_prerender, 'py_cell_prerender')
        if command_options is not None:
            prerender(assets, app.builder.outdir, command_options, wheels, options, logger.info)
    except AssetsError as error:
        raise ConfigError(str(error)) from None
    except PrerenderError as error:
        raise ExtensionError(str(error)) from None


def setup(app):
    app.add_config_value('py_cell_assets', None, '', [str])
    app.add_config_value('py_cell_wheels', [], '', [list, tuple])
    app.add_config_value('py_cell_configure', {}, '', [dict])
    app.add_config_value('py_cell_prerender', False, '', [bool, list, tuple])
    other = (_visit_other, _depart_other)
    app.add_node(py_cell, html=(_visit_html, None), latex=other, text=other, man=other, texinfo=other)
    app.add_directive('py-cell', PyCellDirective)
    app.connect('builder-inited', _builder_inited)
    app.connect('html-page-context', _page_context)
    app.connect('build-finished', _build_finished)
    return {'version': __version__, 'parallel_read_safe': True, 'parallel_write_safe': True}
