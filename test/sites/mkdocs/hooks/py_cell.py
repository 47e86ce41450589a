# MkDocs hooks of py-cell: ship py-cell and its wheels, load it on pages with cells, add the fence.
# Used by path, as docs/mkdocs.md shows for a site without pip: nothing installed, no PYTHONPATH.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'integrations', 'python'))

from py_cell_docs.mkdocs import *  # noqa: E402,F401,F403
