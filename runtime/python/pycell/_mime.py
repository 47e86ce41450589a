"""py-cell's MIME types and its display table, made from runtime/shared/mime.ts: do not edit.

test/unit/output-kinds.test.ts fails until this file is the text it makes from that table.
"""

ALT_MIME = "application/vnd.py-cell.alt"
ARRAY_MIME = "application/vnd.py-cell.array"
CANVAS_MIME = "application/vnd.py-cell.canvas"
DOM_MIME = "application/vnd.py-cell.dom"
ERROR_MIME = "application/vnd.py-cell.error+json"
REPR_SKIPPED = "application/vnd.py-cell.repr-skipped"
SVG_AS_IMAGE = "application/vnd.py-cell.svg-as-image"

# The repr methods tried, in this order (the first ones are the richest), and the type each gives.
REPR_METHODS = (
    ("_repr_html_", "text/html"),
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_png_", "image/png"),
    ("_repr_jpeg_", "image/jpeg"),
    ("_repr_markdown_", "text/markdown"),
    ("_repr_latex_", "text/latex"),
)
# Types whose data a repr method may give as bytes: sent base64-encoded.
BINARY_MIME = {"image/png", "image/jpeg", "image/gif"}
