"""The error types of decide, and the one contract every user-facing error follows.

Every error a user can cause derives from :class:`DecideError`; the command line
prints its message (no traceback) and exits with its ``exit_code``. Anything else
is a programming error and keeps its traceback.

The contract: an error carries located :class:`Problem` s, each with a stable ``code``
(tests match it), a place (``loc``), and ``params`` that fill the message catalogue's text
for the problem (``decide/messages/errors.yaml`` by default, one entry per code with the
same placeholders in Dutch and English). The text a user reads is made from key and params
only when it is shown, in the language asked for (:meth:`Problem.text`); ``message`` and
``str(error)`` hold the English text for logs and for callers that read them. A param whose
value is itself ``{nl: ..., en: ...}`` is shown in the language asked for as well.

Array-level code raises ``InputError.at("code", "loc", **params)``: the same located,
coded problem a model file gets, without knowing how the value reached it (a model file,
a notebook, a command-line flag); a face that knows adds its own hint.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def catalogue_key(code: str) -> str:
    """The catalogue key of a problem code: ``not-reciprocal`` -> ``errors.not_reciprocal``."""
    return "errors." + str(code).replace("-", "_")


def code_of(key: str) -> str:
    """The problem code of a catalogue key: ``input.ahp_ri_unknown_table`` -> ``ahp-ri-unknown-table``.

    The key names the problem (not the function that found it), so the code says what went wrong.
    """
    return key.partition(".")[2].replace("_", "-")


def localised(params: dict | None, lang: str) -> dict:
    """``params`` with every ``{nl: ..., en: ...}`` value replaced by its text in ``lang``."""
    out = {}
    for k, v in (params or {}).items():
        if isinstance(v, dict) and lang in v and set(v) <= {"nl", "en"}:
            v = v[lang]
        elif isinstance(v, Message):
            v = v.text(lang)
        out[k] = v
    return out


def catalogue_text(key: str, lang: str, params: dict | None) -> str | None:
    """The catalogue's text for ``key`` filled with ``params``; None without an entry or a field."""
    import string

    from decide.i18n import catalogue

    topic, _, name = key.partition(".")
    try:
        template = catalogue(topic)[name][lang]
    except (KeyError, FileNotFoundError, OSError, TypeError):
        return None
    values = localised(params, lang)
    needed = {f.split(".")[0].split("[")[0] for _, f, _, _ in string.Formatter().parse(template) if f}
    if not needed <= set(values):
        return None
    return template.format(**values)


class Message(str):
    """A catalogue sentence that remembers the key and params it was made from.

    It is a ``str`` (every caller that reads a message keeps working): English, or the
    language ``shown_in`` names for a module whose callers chose one; a face that shows it to
    a user renders ``key`` and ``params`` in the user's language instead.
    """

    key: str
    params: dict

    def __new__(cls, key: str, /, *, shown_in: str = "en", **params: Any) -> "Message":
        # ``shown_in``: the language of the string itself, for a module whose callers read its
        # messages in a language they chose; faces still render from key and params
        text = catalogue_text(key, shown_in, params)
        if text is None:
            raise KeyError(f"message catalogue has no text {key!r} for params {sorted(params)}")
        self = super().__new__(cls, text)
        self.key = key
        self.params = params
        self.shown_in = shown_in
        return self

    def text(self, lang: str) -> str:
        return catalogue_text(self.key, lang, self.params) or str(self)

    def __reduce__(self):  # pickled and copied by key and params, not by its text
        return (_message, (self.key, self.params, self.shown_in))


def _message(key: str, params: dict, shown_in: str = "en") -> Message:
    return Message(key, shown_in=shown_in, **params)


class DecideError(Exception):
    """Base of all user-facing errors (bad model file, bad arguments, bad input arrays).

    ``problems`` holds the located problems the error is made of (empty for an error
    raised with a plain sentence).
    """

    exit_code = 2
    problems: tuple = ()

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        first = args[0] if args else None
        if isinstance(first, Message) and not self.problems:
            # raised with a catalogue Message: one problem, coded by its key
            self.problems = (Problem(code_of(first.key), "", first),)

    @classmethod
    def at(cls, code: str, loc: str = "", /, *, key: str | None = None, **params: Any) -> "DecideError":
        """An error of this type made of one located problem (``InputError.at("nan", "matrix[a, b]")``).

        ``key`` names the catalogue text when it is not ``errors.<code>`` (one code, several sentences).
        """
        return cls.of([Problem.of(code, loc, key=key, **params)])

    @classmethod
    def keyed(cls, key: str, loc: str = "", /, *, shown_in: str = "en", **params: Any) -> "DecideError":
        """One located problem named by its catalogue key; its code is ``code_of(key)``
        (``InputError.keyed("portfolio.solver_unknown", "solver", allowed=..., value=...)``).
        ``shown_in``: the language of the error's own text (faces render key and params in theirs)."""
        return cls.of([Problem(code_of(key), loc, Message(key, shown_in=shown_in, **params))])

    @classmethod
    def of(cls, problems, head: "Message | None" = None) -> "DecideError":
        """An error of this type made of located problems (each shown on its own line), under
        ``head`` when given (a catalogue Message such as "portfolio problem: 3 problems found")."""
        problems = tuple(problems)
        exc = cls.__new__(cls)
        body = "\n".join(_plain(p) for p in problems)
        DecideError.__init__(exc, f"{head}\n  " + body.replace("\n", "\n  ") if head else body)
        exc.problems = problems
        exc.head = head
        return exc


def _plain(p: "Problem") -> str:
    return f"{p.loc}: {p.message}" if p.loc else str(p.message)


class InputError(DecideError, ValueError):
    """Array-level input that a method cannot work with (shape, NaN, directions, weights).

    The message says where (row/column label), what was expected, what came, and what to do.
    """


@dataclass(frozen=True)
class Problem:
    """One located problem (in a model file, or in the arrays a method was given).

    ``code`` is stable (tests match it); ``loc`` is the place (``criteria[2].direction``,
    ``matrix['cost', 'risk']``); ``line`` is 1-based or None when unknown. ``message`` is
    English; ``params`` fill the message catalogue's text ``key`` (``errors.<code>`` unless
    given), so faces show the problem in the user's language (:meth:`text`).
    """

    code: str
    loc: str
    message: str
    line: int | None = None
    file: str | None = None
    params: dict | None = field(default=None, compare=False)
    key: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # a Message carries its own key and params
        if self.params is None and isinstance(self.message, Message):
            object.__setattr__(self, "params", self.message.params)
            object.__setattr__(self, "key", self.message.key)

    @classmethod
    def of(cls, code: str, loc: str = "", /, *, key: str | None = None, line: int | None = None,
           file: str | None = None, **params: Any) -> "Problem":
        """A problem whose text comes from the catalogue (``key``, default ``errors.<code>``)."""
        key = key or catalogue_key(code)
        return cls(code, loc, Message(key, **params), line, file, params, key)

    def text(self, lang: str) -> str:
        """The problem's sentence in ``lang`` (its English ``message`` when the catalogue has none)."""
        key = self.key or catalogue_key(self.code)
        if self.params is not None:
            found = catalogue_text(key, lang, self.params)
            return self.message if found is None else found
        # without params: the catalogue's sentence for the code, when the English message is that sentence
        if self.message == catalogue_text(key, "en", {}):
            return catalogue_text(key, lang, {}) or self.message
        return self.message

    def __str__(self) -> str:
        where = self.file or "<model>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        loc = f" {self.loc}:" if self.loc else ""
        return f"{where}:{loc} {self.message} [{self.code}]"


class ModelError(DecideError):
    """A model file with one or more problems, all reported at once."""

    @classmethod
    def of(cls, problems, file: str | None = None) -> "ModelError":
        return cls(list(problems), file)

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
        self.key = key
        self.params = params
        super().__init__(Message(key, **params))  # one problem, coded by its key


class SolveError(DecideError):
    """An optimisation that is infeasible or could not be solved; exit code 3."""

    exit_code = 3
