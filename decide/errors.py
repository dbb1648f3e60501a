"""The error types of decide.

Every error a user can cause derives from :class:`DecideError`; the command line
prints its message (no traceback) and exits with its ``exit_code``. Anything else
is a programming error and keeps its traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class DecideError(Exception):
    """Base of all user-facing errors (bad model file, bad arguments, bad input arrays)."""

    exit_code = 2


class InputError(DecideError, ValueError):
    """Array-level input that a method cannot work with (shape, NaN, directions, weights).

    The message says where (row/column label), what was expected, what came, and what to do.
    """


@dataclass(frozen=True)
class Problem:
    """One located problem in a model file.

    ``code`` is stable (tests match it); ``loc`` is the path inside the file
    (``criteria[2].direction``); ``line`` is 1-based or None when unknown. ``message`` is
    English; ``params`` (optional) fill the message catalogue's text for ``code``
    (``decide/messages/errors.yaml``), so faces can show the problem in the user's language.
    """

    code: str
    loc: str
    message: str
    line: int | None = None
    file: str | None = None
    params: dict | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = self.file or "<model>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        loc = f" {self.loc}:" if self.loc else ""
        return f"{where}:{loc} {self.message} [{self.code}]"


class ModelError(DecideError):
    """A model file with one or more problems, all reported at once."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], file: str | None = None):
        self.problems = tuple(problems)
        self.file = file
        n = len(self.problems)
        head = f"{file or 'model'}: {n} problem{'s' if n != 1 else ''} found"
        body = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{head}\n{body}")

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


class UsageError(DecideError):
    """A command-line argument that cannot be used (exit code 2).

    ``key`` names the message catalogue text (``cli.bad_amount``) and ``params`` fill it,
    so the command line shows the error in the user's language.
    """

    def __init__(self, key: str, **params):
        from decide.i18n import t

        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))


class SolveError(DecideError):
    """An optimisation that is infeasible or could not be solved; exit code 3."""

    exit_code = 3
