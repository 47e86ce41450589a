"""Helpers for Python code running inside a ``<py-cell>`` element.

``display(*objects)`` shows objects in the running cell's output, the same way the value of the
cell's last expression is shown.
"""

from ._display import display

__all__ = ["display"]
