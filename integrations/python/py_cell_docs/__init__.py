"""<py-cell> for documentation sites: a Sphinx extension (``py_cell_docs.sphinx``) and MkDocs
hooks, plugin and superfences fence (``py_cell_docs.mkdocs``), sharing one renderer."""

from .render import CellError, parse_info, render_cell, render_info

__version__ = '0.1.0'
__all__ = ['CellError', 'parse_info', 'render_cell', 'render_info', '__version__']
