"""The display path: every shown object becomes a MIME bundle.

Text MIME types map to ``str``; binary images to base64 ``str``. Two py-cell types carry
JavaScript objects made by the engine: arrays (``ARRAY_MIME``, a summary read straight from the
object's buffer) and canvases/DOM nodes. A repr method that raises yields ``ERROR_MIME`` with
that traceback, for that object only.
"""

import base64
import contextvars
import json
import sys
import traceback
from typing import Any

# py-cell's MIME types and the table of repr methods, made from the page's (runtime/shared/mime.ts).
# REPR_SKIPPED marks a text/plain that is not the repr (too long to make): the page formats the array.
from ._mime import ALT_MIME, ARRAY_MIME, BINARY_MIME, DOM_MIME, ERROR_MIME, REPR_METHODS, REPR_SKIPPED, SVG_AS_IMAGE

# The id of the run whose code is executing. Tasks copy the context they are created in, so a
# task started by a cell keeps that cell's run: its output is sent as that run's, whichever run
# executes when it writes. `None` outside any run (callbacks from JavaScript).
current_run: contextvars.ContextVar[int | None] = contextvars.ContextVar("pycell_current_run", default=None)

# py-cell's own MIME types carry objects only the engine makes: a bundle from Python code never
# has them.
INTERNAL_MIME_PREFIX = "application/vnd.py-cell."

# Set by the engine.
_emit_display: Any = None  # called with each displayed bundle and the run it belongs to
_array_payload: Any = None  # (obj, meta: dict) -> JS payload, reads the buffer in place
_is_dom_node: Any = None  # (obj) -> bool, in main-thread mode
_create_canvas: Any = None  # (width, height, run) -> canvas
_page_global: Any = None  # (name) -> the page's document or window, or raises why not

# Buffer formats shown as arrays (struct codes; `Zf`/`Zd` are NumPy's complex types).
ARRAY_FORMATS = set("bBhHiIlLqQnNefd?") | {"Zf", "Zd"}

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _error_bundle(exc: BaseException, what: str) -> dict[str, Any]:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__.tb_next if exc.__traceback__ else None))
    error = {"type": type(exc).__name__, "message": str(exc), "traceback": f"Error in {what}:\n{text}"}
    return {ERROR_MIME: json.dumps(error)}


def _method(obj: Any, name: str) -> Any:
    """A bound repr method of ``obj``, or None. Classes themselves are never asked."""
    if isinstance(obj, type):
        return None
    try:
        method = getattr(obj, name, None)
    except Exception:  # noqa: BLE001 - a raising __getattr__ just means "no such method"
        return None
    return method if callable(method) else None


def _encode(mime: str, data: Any) -> Any:
    if mime in BINARY_MIME and isinstance(data, (bytes, bytearray, memoryview)):
        return base64.b64encode(bytes(data)).decode("ascii")
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).decode("utf-8", "replace")
    if mime.endswith("json") and not isinstance(data, str):
        return json.dumps(data)
    return data if isinstance(data, str) else str(data)


def _sniff_image(data: bytes) -> dict[str, str] | None:
    for signature, mime in IMAGE_SIGNATURES:
        if data.startswith(signature):
            return {mime: base64.b64encode(data).decode("ascii")}
    head = data[:512].lstrip()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return {"image/svg+xml": data.decode("utf-8", "replace"), SVG_AS_IMAGE: "1"}
    return None


def _numpy_print_options() -> dict[str, Any] | None:
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return None
    options = numpy.get_printoptions()
    return {key: options[key] for key in ("threshold", "edgeitems", "precision", "suppress", "floatmode", "nanstr", "infstr") if key in options}


def _array_bundle(obj: Any) -> dict[str, Any] | None:
    """An array view for objects exposing a supported buffer with ndim >= 1 (0-d for arrays)."""
    if _array_payload is None or isinstance(obj, (bytes, bytearray, str)):
        return None
    try:
        view = memoryview(obj)
    except TypeError:
        return None
    try:
        fmt = view.format.lstrip("@=<")
        if fmt not in ARRAY_FORMATS:
            return None
        cls = type(obj)
        type_name = cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
        is_ndarray = type_name == "numpy.ndarray"
        if view.ndim == 0 and not (is_ndarray or isinstance(obj, memoryview)):
            return None  # NumPy scalars and the like print as themselves
        meta: dict[str, Any] = {
            "typeName": type_name,
            "format": view.format,
            "itemsize": view.itemsize,
            "shape": list(view.shape or ()),
        }
        dtype = getattr(obj, "dtype", None)
        if dtype is not None and hasattr(dtype, "name"):
            meta["dtype"] = str(dtype.name)
        options = _numpy_print_options()
        if options is not None:
            meta["printOptions"] = options
        threshold = (options or {}).get("threshold", 1000)
        # NumPy's repr summarises itself; other buffers' reprs list every element.
        skip_repr = not is_ndarray and view.nbytes // max(view.itemsize, 1) > threshold
    finally:
        view.release()
    payload = _array_payload(obj, meta)
    if payload is None:
        return None
    bundle = {ARRAY_MIME: payload}
    if skip_repr:
        bundle["text/plain"] = f"<{type_name} of {meta['shape']} {meta.get('dtype', fmt)}>"
        bundle[REPR_SKIPPED] = "1"
    return bundle


# A text alternative longer than this is cut (it is read aloud, and stored in pages).
MAX_ALT = 2000


def _alt_from_metadata(metadata: Any, bundle: dict[str, Any]) -> str | None:
    """The ``alt`` of a bundle's metadata, Jupyter's way: ``{"image/png": {"alt": ...}}``, or at its top level."""
    if not isinstance(metadata, dict):
        return None
    for mime in bundle:
        entry = metadata.get(mime)
        if isinstance(entry, dict) and isinstance(entry.get("alt"), str):
            return entry["alt"]
    alt = metadata.get("alt")
    return alt if isinstance(alt, str) else None


def _rich_bundle(obj: Any) -> dict[str, Any]:
    """The first rich representation ``obj`` offers: its ``_repr_mimebundle_``, else the first
    ``_repr_*_`` method of ``REPR_METHODS`` that returns something."""
    method = _method(obj, "_repr_mimebundle_")
    if method is not None:
        try:
            result = method()
        except Exception as exc:  # noqa: BLE001
            return _error_bundle(exc, f"{type(obj).__name__}._repr_mimebundle_()")
        data = result[0] if isinstance(result, tuple) else result
        if isinstance(data, dict):
            bundle = {
                mime: _encode(mime, value)
                for mime, value in data.items()
                if isinstance(mime, str) and not mime.startswith(INTERNAL_MIME_PREFIX)
            }
            if bundle:
                alt = _alt_from_metadata(result[1], bundle) if isinstance(result, tuple) and len(result) > 1 else None
                if alt:
                    bundle[ALT_MIME] = alt[:MAX_ALT]
                return bundle
    for name, mime in REPR_METHODS:
        method = _method(obj, name)
        if method is None:
            continue
        try:
            data = method()
        except Exception as exc:  # noqa: BLE001
            return _error_bundle(exc, f"{type(obj).__name__}.{name}()")
        if data is not None:
            return {mime: _encode(mime, data)}
    return {}


def mime_bundle(obj: Any) -> dict[str, Any]:
    """The MIME bundle for ``obj``: its richest representation, then ``text/plain``."""
    bundle = _rich_bundle(obj)
    if ERROR_MIME in bundle:
        return bundle
    if not bundle:
        if _is_dom_node is not None and _is_dom_node(obj):
            return {DOM_MIME: obj, "text/plain": "<DOM node>"}
        if isinstance(obj, (bytes, bytearray)):
            bundle.update(_sniff_image(bytes(obj)) or {})
        else:
            try:
                bundle.update(_array_bundle(obj) or {})
            except Exception as exc:  # noqa: BLE001 - fall back to repr below
                print(f"py-cell: could not show {type(obj).__name__} as an array: {exc}", file=sys.stderr)
    if "text/plain" not in bundle:
        try:
            bundle["text/plain"] = repr(obj)
        except Exception as exc:  # noqa: BLE001
            return _error_bundle(exc, f"repr() of a {type(obj).__name__}")
    return bundle


def display(*objects: Any, alt: str | None = None) -> None:
    """Show each object in the output of the cell that is running.

    ``alt`` is the text alternative of what is shown (an image, a chart), for screen readers and
    for readers of a prerendered page without JavaScript.
    """
    for obj in objects:
        bundle = mime_bundle(obj)
        if alt is not None and ERROR_MIME not in bundle:
            bundle[ALT_MIME] = str(alt)[:MAX_ALT]
        if _emit_display is not None:
            _emit_display(bundle, current_run.get())
        else:  # outside the runtime (e.g. tests of this module): print the text
            print(bundle.get("text/plain", ""))
