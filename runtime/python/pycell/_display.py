"""The display path: every shown object becomes a MIME bundle (MIME type -> str)."""

from typing import Any

# Set by the engine: called with (bundle: dict) for every displayed object.
_emit_display: Any = None


def mime_bundle(obj: Any) -> dict[str, str]:
    """Return the MIME bundle for ``obj``. Rich reprs are added by the rich-output layer."""
    return {"text/plain": repr(obj)}


def display(*objects: Any) -> None:
    """Show each object in the output of the cell that is running."""
    for obj in objects:
        bundle = mime_bundle(obj)
        if _emit_display is not None:
            _emit_display(bundle)
        else:  # outside a cell (e.g. called from a callback after the run): print the text
            print(bundle.get("text/plain", ""))
