# MkDocs hooks of py-cell: ship py-cell and its wheels, load it on pages with cells.
from py_cell_docs.mkdocs import *  # noqa: F401,F403
