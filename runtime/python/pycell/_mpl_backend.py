"""A matplotlib backend for py-cell: draws with Agg; ``plt.show()`` shows every open figure as
a PNG in the running cell and closes it. Selected with ``MPLBACKEND=module://pycell._mpl_backend``."""

import io

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


class _PNG:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def _repr_png_(self) -> bytes:
        return self._data

    def __repr__(self) -> str:
        return "<matplotlib figure>"


def show_figures() -> None:
    """Display and close every open figure."""
    from matplotlib import pyplot as plt

    from ._display import display

    for number in plt.get_fignums():
        figure = plt.figure(number)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        display(_PNG(buffer.getvalue()))
    plt.close("all")


def show(*args, **kwargs) -> None:  # noqa: ARG001 - pyplot's signature
    show_figures()
