"""Runs cell code for the engine: sessions, streamed output, notebook-style results, tracebacks.

Only the engine imports this module. Everything it returns to JavaScript is made of plain
dicts, lists, strs, ints and floats so the engine can convert it and destroy the proxy.
"""

import builtins
import io
import linecache
import re
import sys
import time
import traceback
import types
from typing import Any

from pyodide.code import eval_code_async

import pycell

from . import _display, _exercise, _stdin

_sessions: dict[str, dict[str, Any]] = {}
# The builtins as `setup` found them: exercises get a copy, not the module cells may patch.
_pristine_builtins: dict[str, Any] = {}
_emit_stream: Any = None
# While positive, output is dropped (an exercise's setup and check code are the author's, hidden).
_muted = 0
# While set, what the code prints is also kept here (an exercise's answer.stdout).
_captured: list[str] | None = None
# Set in the worker: why `js.document` / `js.window` are missing there, and the ways out.
_dom_hint: str | None = None


class _Stream(io.TextIOBase):
    """A text stream that hands every write straight to the engine, which batches them."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    @property
    def name(self) -> str:  # type: ignore[override]
        return "<" + self._name + ">"

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, s: str) -> int:
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if s and not _muted:
            if _captured is not None and self._name == "stdout":
                _captured.append(s)
            _emit_stream(self._name, s, _display.current_run.get())
        return len(s)


def setup(hooks: Any) -> None:
    """Install the output streams and the engine's hooks; called once after boot."""
    global _emit_stream, _dom_hint
    _emit_stream = hooks.emitStream
    _dom_hint = None if getattr(hooks, "isDomNode", None) else hooks.domUnreachable
    _display._emit_display = hooks.emitDisplay
    _display._array_payload = hooks.arrayPayload
    _display._is_dom_node = getattr(hooks, "isDomNode", None)
    _display._create_canvas = hooks.createCanvas
    _display._page_global = hooks.pageGlobal
    sys.stdout = _Stream("stdout")
    sys.stderr = _Stream("stderr")
    _stdin.install(hooks.requestInput)
    import os

    os.environ.setdefault("MPLBACKEND", "module://pycell._mpl_backend")
    _pristine_builtins.clear()
    _pristine_builtins.update(vars(builtins))


def _show_open_figures() -> None:
    """Figures a cell created but did not show appear after the run, as in a notebook."""
    if "matplotlib.pyplot" not in sys.modules:
        return
    try:
        from ._mpl_backend import show_figures

        show_figures()
    except Exception as exc:  # noqa: BLE001 - a broken figure must not hide the run's result
        print(f"py-cell: could not show the figures: {exc}", file=sys.stderr)


def namespace(session: str) -> dict[str, Any]:
    """The globals shared by every cell of ``session``, created on first use."""
    ns = _sessions.get(session)
    if ns is None:
        ns = {"__name__": "__main__", "__builtins__": builtins, "__doc__": None}
        _sessions[session] = ns
    return ns


def forget(session: str) -> None:
    """Drops ``session``'s globals."""
    _sessions.pop(session, None)


def _is_cell_file(filename: str) -> bool:
    return filename.startswith("<cell ")


def format_error(exc: BaseException, filename: str) -> dict[str, Any]:
    """Format ``exc`` as Python would, minus the frames of the machinery that ran the cell."""
    tb = exc.__traceback__
    while tb is not None and not _is_cell_file(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    text = "".join(traceback.TracebackException(type(exc), exc, tb, compact=True).format())
    if _dom_hint and isinstance(exc, (ImportError, AttributeError)) and re.search(r"'js'.*'(document|window)'|'(document|window)'.*'js'", str(exc)):
        text += _dom_hint + "\n"
    line = None
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        line = exc.lineno
    for frame in traceback.extract_tb(tb):
        if frame.filename == filename:
            line = frame.lineno
    error: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": str(exc),
        "traceback": text,
    }
    if line is not None:
        error["line"] = line
    return error


# Below, helpers are bound at import (keyword-only defaults), not looked up in modules a cell
# can change: replacing `pycell._exercise.verdict` or `pycell._runner._hidden` changes no verdict.


async def _execute(code: str, ns: dict[str, Any], filename: str, *, _eval: Any = eval_code_async) -> Any:
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    return await _eval(code, ns, filename=filename, return_mode="last_expr", quiet_trailing_semicolon=True, dedent=False)


async def _hidden(code: str, ns: dict[str, Any], filename: str, *, _execute: Any = _execute) -> BaseException | None:
    """Runs the author's code without showing its output; what it raised, if anything."""
    global _muted
    _muted += 1
    try:
        await _execute(code, ns, filename)
    except BaseException as exc:  # noqa: BLE001 - reported by the caller
        return exc
    finally:
        _muted -= 1
    return None


async def _run(
    code: str, ns: dict[str, Any], filename: str, *, _execute: Any = _execute, _format_error: Any = format_error,
    _mime_bundle: Any = _display.mime_bundle, _show_open_figures: Any = _show_open_figures, _perf_counter: Any = time.perf_counter,
) -> dict[str, Any]:
    start = _perf_counter()
    try:
        value = await _execute(code, ns, filename)
    except BaseException as exc:  # noqa: BLE001 - every failure belongs in the cell
        return {
            "status": "error",
            "elapsedMs": (_perf_counter() - start) * 1000,
            "error": _format_error(exc, filename),
        }
    elapsed = (_perf_counter() - start) * 1000
    _show_open_figures()
    result: dict[str, Any] = {"status": "done", "elapsedMs": elapsed}
    if value is not None:
        ns["_"] = value
        try:
            result["value"] = _mime_bundle(value)
        except BaseException as exc:  # noqa: BLE001 - a failing repr is the cell's error
            return {"status": "error", "elapsedMs": elapsed, "error": _format_error(exc, filename)}
    return result


def _exercise_namespace(pristine: dict[str, Any]) -> dict[str, Any]:
    """A fresh namespace for an exercise's attempt, with a copy of the builtins."""
    own = types.ModuleType("builtins", pristine.get("__doc__"))
    vars(own).update(pristine)
    return {"__name__": "__main__", "__builtins__": own, "__doc__": None}


async def _attempt(
    code: str, filename: str, setup: str, check: str | None, *, _hidden: Any = _hidden, _run: Any = _run,
    _format_error: Any = format_error, _verdict: Any = _exercise.verdict, _learner_error: Any = _exercise.learner_error,
    _answer: Any = _exercise.Answer, _namespace: Any = _exercise_namespace, _pristine: Any = _pristine_builtins, _pycell: Any = pycell,
) -> dict[str, Any]:
    """An exercise's Run (``check`` is None) or Check, in a fresh namespace of its own (no session's)."""
    global _captured
    ns = _namespace(_pristine)
    setup_file = f"{filename[:-1]} setup>"
    failed = await _hidden(setup, ns, setup_file)
    if failed is not None:
        return {"status": "error", "elapsedMs": 0, "error": _format_error(failed, setup_file)}
    _captured = []
    try:
        result = await _run(code, ns, filename)
        printed = "".join(_captured)
    finally:
        _captured = None
    if check is None:
        return result
    if result["status"] == "error":
        # KeyboardInterrupt too: the page drops the verdict if Stop raised it (no attempt).
        result["check"] = _learner_error(result["error"])
        return result
    value = result.get("value") and ns.get("_")
    _pycell.answer = _answer(value, printed, code)
    check_file = f"{filename[:-1]} check>"
    raised = await _hidden(check, ns, check_file)
    result["check"] = _verdict(raised)
    if isinstance(raised, KeyboardInterrupt):
        # Perhaps Stop: the run ends interrupted, and the page drops the verdict if it stopped it.
        return {"status": "error", "elapsedMs": result["elapsedMs"], "error": _format_error(raised, check_file), "check": result["check"]}
    return result


async def run(
    code: str, session: str, filename: str, run_id: int, setup: str | None = None, check: str | None = None, *,
    _attempt: Any = _attempt, _run: Any = _run, _namespace: Any = namespace, _current_run: Any = _display.current_run, _stdin: Any = _stdin.stdin,
) -> dict[str, Any]:
    """Run ``code`` in ``session``'s namespace as run ``run_id``; return status, elapsed time,
    value or error. Output written by the code, and by tasks it starts, belongs to ``run_id``.
    With ``setup`` (an exercise), the attempt has a fresh namespace of its own, not the session's,
    and ``setup`` runs first, hidden; with ``check`` too, the check runs after the code and the
    result carries its verdict."""
    token = _current_run.set(run_id)
    _stdin.restart()
    try:
        if setup is None:
            return await _run(code, _namespace(session), filename)
        return await _attempt(code, filename, setup, check)
    finally:
        _current_run.reset(token)


def find_imports(code: str) -> list[str]:
    """Top-level module names imported by ``code`` that may need a package: not those already
    imported (a snapshot's packages among them); empty when it does not parse. The standard
    library's are kept: Pyodide ships some of it as packages (``pydoc_data``)."""
    from pyodide.code import find_imports as _find

    try:
        names = {name.split(".")[0] for name in _find(code)}
    except SyntaxError:
        return []
    return sorted(name for name in names if name not in sys.modules)
