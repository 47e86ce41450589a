"""Helpers for Python code running inside a ``<py-cell>`` element.

- ``display(*objects, alt=None)`` shows objects in the running cell's output, the same way the value of
  the cell's last expression is shown (rich reprs, arrays, images, HTML).
- ``canvas(width, height)`` gives a canvas to draw on with the browser's 2-D context API; the
  drawing appears in the cell's output.
- ``document`` and ``window``: the page's own, in main-thread cells, and in worker cells when
  the page is cross-origin isolated.
"""

from typing import Any

from . import _display
from ._display import display

__all__ = ["answer", "canvas", "display", "document", "window"]

#: In an exercise's check code: the learner's attempt, with ``.result`` (the value of their last
#: expression, ``None`` when there is none), ``.stdout`` (what their code printed) and ``.code``
#: (their code). ``None`` elsewhere.
answer: Any = None


def canvas(width: int = 300, height: int = 150) -> Any:
    """A ``width`` x ``height`` canvas shown in the cell's output. Draw with
    ``canvas(...).getContext("2d")``: in a worker it is an OffscreenCanvas whose drawing appears
    when the cell finishes or awaits; on the main thread it is a live ``<canvas>``."""
    width, height = int(width), int(height)
    if not (0 < width <= 16384 and 0 < height <= 16384):
        raise ValueError(f"canvas size must be between 1 and 16384 pixels, not {width}x{height}")
    return _display._create_canvas(width, height, _display.current_run.get())


def __getattr__(name: str) -> Any:
    if name in ("document", "window"):
        found = _display._page_global(name)
        if isinstance(found, str):  # the reason it cannot be reached
            raise RuntimeError(found)
        return found
    raise AttributeError(f"module 'pycell' has no attribute {name!r}")
