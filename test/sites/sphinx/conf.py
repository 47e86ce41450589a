# The Sphinx test site of py-cell's documentation integrations (scripts/sites/sphinx.mjs builds it).
import os
import sys

sys.path.insert(0, os.path.abspath('../../../integrations/python'))

project = 'py-cell Sphinx test'
extensions = ['py_cell_docs.sphinx']

# The repository's root holds dist/ and wasm-dist/ after `npm run build`.
py_cell_assets = '../../..'
py_cell_wheels = ['../../fixtures/wheels/mylib-1.0.0-py3-none-any.whl']

html_theme = 'alabaster'
html_copy_source = False
html_show_sourcelink = False
