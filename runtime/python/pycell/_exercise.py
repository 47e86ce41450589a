"""Exercises: every attempt starts from a fresh namespace, runs the author's hidden setup code,
then the learner's code, then (for a check) the author's check code, which sees the learner's
work as ``pycell.answer``. A check passes when its code raises nothing; a failing ``assert``
(or any exception) says why not. The runner binds these functions at import.
"""

from typing import Any


class Answer:
    """What the check code knows of the learner's attempt."""

    def __init__(self, result: Any, stdout: str, code: str) -> None:
        #: The value of the learner's last expression, ``None`` when there is none.
        self.result = result
        #: Everything the learner's code printed.
        self.stdout = stdout
        #: The learner's code.
        self.code = code

    def __repr__(self) -> str:
        return f"<pycell.answer result={self.result!r} stdout={self.stdout!r}>"


def _raised(kind: str, message: str) -> str:
    """``KeyboardInterrupt.`` or ``ValueError: bad value``."""
    return f"{kind}: {message}" if message else f"{kind}."


def verdict(error: BaseException | None, *, _raised: Any = _raised) -> dict[str, Any]:
    """The check's verdict, from what its code raised (KeyboardInterrupt, SystemExit too)."""
    if error is None:
        return {"correct": True, "message": "Correct"}
    if isinstance(error, AssertionError):
        return {"correct": False, "message": str(error) or "Not yet: the check's assertion failed."}
    return {"correct": False, "message": f"Not yet: {_raised(type(error).__name__, str(error))}"}


def learner_error(error: dict[str, Any], *, _raised: Any = _raised) -> dict[str, Any]:
    """The verdict when the learner's own code raised (KeyboardInterrupt, SystemExit too)."""
    return {"correct": False, "message": f"Not yet: your code raised {_raised(str(error['type']), str(error['message']))}"}
