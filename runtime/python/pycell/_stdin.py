"""Standard input for cells: ``input()``, ``sys.stdin`` and ``getpass.getpass()`` read the lines
the reader types into a field shown in the cell's output.

The engine asks the page for each line. Where WebAssembly stack switching works, it hands back
a promise that Python waits for with ``run_sync`` (the worker goes on meanwhile); elsewhere it
blocks until the page answers, and returns the answer itself.
"""

import io
import sys
from typing import Any

from . import _display

# Set by the engine: (prompt, password, run, can_suspend) -> promise or answer.
_request: Any = None


def _read(prompt: str, password: bool) -> str | None:
    """One line from the reader, without its newline; ``None`` at the end of input."""
    from pyodide.ffi import can_run_sync, run_sync

    suspend = can_run_sync()
    reply = _request(prompt, password, _display.current_run.get(), suspend)
    if suspend and hasattr(reply, "then"):
        reply = run_sync(reply)
    if hasattr(reply, "to_py"):
        reply = reply.to_py()
    if "interrupt" in reply:
        raise KeyboardInterrupt
    if "error" in reply:
        raise RuntimeError(reply["error"])
    if "eof" in reply:
        return None
    return str(reply["line"])


def input(prompt: Any = "") -> str:  # noqa: A001 - replaces the built-in
    """Read a line from the reader, after writing ``prompt`` to the cell's output."""
    text = str(prompt)
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()
    line = _read(text, False)
    if line is None:
        raise EOFError("EOF when reading a line")
    return line


def getpass(prompt: str = "Password: ", stream: Any = None) -> str:
    """Read a line from the reader without showing it."""
    (stream or sys.stdout).write(prompt)
    line = _read(prompt, True)
    if line is None:
        raise EOFError
    return line


class Stdin(io.TextIOBase):
    """``sys.stdin``: lines the reader types; reading past the end of input (Ctrl+D) gives ``''``."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = ""
        self._ended = False

    @property
    def name(self) -> str:  # type: ignore[override]
        return "<stdin>"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def restart(self) -> None:
        """A new run: input has not ended for it."""
        self._pending = ""
        self._ended = False

    def readline(self, size: int | None = -1) -> str:
        if not self._pending and not self._ended:
            line = _read("", False)
            if line is None:
                self._ended = True
            else:
                self._pending = line + "\n"
        limit = len(self._pending) if size is None or size < 0 else size
        line, self._pending = self._pending[:limit], self._pending[limit:]
        return line

    def read(self, size: int | None = -1) -> str:
        parts = []
        wanted = -1 if size is None else size
        while wanted < 0 or sum(map(len, parts)) < wanted:
            line = self.readline(-1 if wanted < 0 else wanted - sum(map(len, parts)))
            if not line:
                break
            parts.append(line)
        return "".join(parts)


stdin = Stdin()


def install(request: Any) -> None:
    """Make ``input()``, ``sys.stdin`` and ``getpass`` read from the reader."""
    import builtins
    import getpass as getpass_module

    global _request
    _request = request
    builtins.input = input
    getpass_module.getpass = getpass
    sys.stdin = stdin
