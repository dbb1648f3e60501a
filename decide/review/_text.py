"""Bilingual text for the review: every finding is held in Dutch and English at once.

A check builds its sentences with :func:`msg` (a key of ``decide/messages/review.yaml``
plus parameters). A parameter is a plain value, or a *lang-callable* (``lang -> str``):
formatted money, a percentage, an option's label. :func:`msg` renders the sentence in
every language of :data:`decide.i18n.LANGUAGES`, so a :class:`Text` never needs the
context it was built from and a review can be shown in either language afterwards.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence

from decide.i18n import LANGUAGES, catalogue, fmt_money, fmt_number, fmt_pct, t
from decide.model import text as label_text

__all__ = ["Text", "msg", "money", "pct", "num", "name", "names", "count", "plain", "join"]

LangFn = Callable[[str], str]


@dataclass(frozen=True)
class Text:
    """A text in Dutch and English; ``text(lang)`` picks one.

    Texts are lang-callables themselves, so a Text can be a parameter of another message.
    """

    nl: str = ""
    en: str = ""

    def __call__(self, lang: str) -> str:
        if lang not in LANGUAGES:
            from decide.errors import InputError

            raise InputError.keyed("review.language_unknown", "lang", value=repr(lang))
        return getattr(self, lang)

    def __bool__(self) -> bool:
        return bool(self.nl or self.en)

    def __add__(self, other: "Text") -> "Text":
        return join([self, other])

    def to_dict(self) -> dict[str, str]:
        return {lang: self(lang) for lang in LANGUAGES}

    @classmethod
    def same(cls, value: str) -> "Text":
        """One string for every language (ids, citations)."""
        return cls(**{lang: value for lang in LANGUAGES})


def _render(value: Any, lang: str) -> Any:
    if callable(value):
        return value(lang)
    return value


def msg(key: str, /, **params: Any) -> Text:
    """The message ``review.<key>`` in every language, with its parameters filled in."""
    entry = catalogue("review")[key]
    out = {}
    for lang in LANGUAGES:
        values = {k: _render(v, lang) for k, v in params.items()}
        # always format, so that {{ }} in a text without parameters comes out as { }
        out[lang] = entry[lang].format(**values)
    return Text(**out)


def join(parts: Iterable[Optional[Text]], sep: str = " ", *, keep_empty: bool = False) -> Text:
    """Concatenate texts with ``sep`` in every language (empty ones skipped unless ``keep_empty``)."""
    parts = [p for p in parts if p is not None and (keep_empty or p)]
    return Text(**{lang: sep.join(p(lang) for p in parts) for lang in LANGUAGES})


def plain(value: Any) -> Text:
    """A value that reads the same in every language."""
    return Text.same(str(value))


# --------------------------------------------------------------------------- lang-callables
def money(x: float, currency: str = "EUR") -> LangFn:
    """An amount of money, formatted per language."""
    return lambda lang: fmt_money(float(x), lang, currency)


def pct(x: float, decimals: int = 0) -> LangFn:
    """A fraction shown as a percentage (``–`` for NaN)."""
    def f(lang: str) -> str:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return "–"
        return fmt_pct(float(x), lang, decimals)
    return f


def num(x: float, decimals: int = 0) -> LangFn:
    """A number with the language's separators; whole numbers without decimals."""
    def f(lang: str) -> str:
        v = float(x)
        if decimals and v.is_integer():
            return fmt_number(v, lang, 0)
        return fmt_number(v, lang, decimals)
    return f


def name(obj: Any) -> LangFn:
    """The label of a model object (anything with ``.name(lang)``) or of a label."""
    if hasattr(obj, "name") and callable(obj.name):
        return lambda lang: obj.name(lang)
    return lambda lang: label_text(obj, lang)


def names(objs: Sequence[Any], limit: int = 4) -> LangFn:
    """Labels joined with commas; beyond ``limit`` items: "and N more"."""
    objs = list(objs)

    def f(lang: str) -> str:
        shown = [_render(o, lang) if callable(o) and not hasattr(o, "name") else name(o)(lang)
                 for o in objs[:limit]]
        if len(objs) > limit:
            shown.append(t("review.word.more", lang, n=len(objs) - limit))
        if not shown:
            return t("review.word.none", lang)
        if len(shown) == 1:
            return shown[0]
        return ", ".join(shown[:-1]) + " " + t("review.word.and", lang) + " " + shown[-1]
    return f


def count(n: int, unit: str) -> LangFn:
    """``n`` with a unit word, singular or plural (``review.unit.<unit>`` / ``<unit>_n``)."""
    key = f"review.unit.{unit}" if n == 1 else f"review.unit.{unit}_n"
    return lambda lang: f"{n} {t(key, lang)}"
