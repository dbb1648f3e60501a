"""Saaty's fundamental scale in words, in Dutch and English.

A pairwise judgement ``[a, b, v]`` says "a is v times as important as b" (1/9 <= v <= 9). In a
workshop people do not type numbers: they say "iets belangrijker" or "veel belangrijker". This
module turns judgement values into words and back, and lists the 17 positions of a pairwise
slider: from "a extremely more important" (9) on the left, through "equally important" (1) in
the middle, to "b extremely more important" (1/9) on the right.

The verbal levels are Saaty's (Saaty 1980, *The Analytic Hierarchy Process*, table 1.1:
equal, moderate, strong, very strong, extreme importance; 2, 4, 6, 8 in between); the words
come from ``decide/messages/workshop.yaml``.

>>> from decide.workshop.scale import verbal, sentence, fmt_value
>>> verbal(3, "nl"), verbal(1 / 7, "en")
('iets belangrijker', 'very strongly more important')
>>> sentence("Kosten", "Risico", 1 / 3, "nl")
'Risico is iets belangrijker dan Kosten (3)'
>>> fmt_value(0.25)
'1/4'
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from decide import i18n
from decide.ahp import SAATY_SCALE

__all__ = [
    "LEVELS",
    "SCALE",
    "fmt_value",
    "is_scale_value",
    "parse_value",
    "scale_options",
    "sentence",
    "snap",
    "verbal",
    "yaml_value",
]

#: The judgement values of the scale, ascending: 1/9, 1/8, ..., 1/2, 1, 2, ..., 9.
SCALE: tuple[float, ...] = SAATY_SCALE

#: The levels 1..9 that have a word of their own (the others lie in between).
LEVELS: tuple[int, ...] = (1, 3, 5, 7, 9)

#: Relative tolerance within which a value counts as a scale value (1/(1/7) is 7.000000000000001).
RTOL = 1e-9


def snap(value: float) -> float:
    """The scale value equal to ``value`` within :data:`RTOL`, else ``value`` itself.

    Parameters
    ----------
    value : float
        A positive judgement value.

    Returns
    -------
    float
    """
    v = float(value)
    for s in SCALE:
        if abs(v - s) <= RTOL * max(v, s):
            return s
    return v


def is_scale_value(value: float) -> bool:
    """True when ``value`` is one of the 17 values of Saaty's 1/9..9 scale (within rounding)."""
    v = float(value)
    return any(abs(v - s) <= RTOL * max(v, s) for s in SCALE)


def parse_value(raw: Any) -> float | None:
    """A judgement value from a model file: a number or a text such as ``"3"`` or ``"1/3"``.

    Returns None for anything that is not a positive finite number.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, (int, float)):
        v = float(raw)
    elif isinstance(raw, str):
        try:
            v = float(Fraction(raw.strip().replace(" ", "")))
        except (ValueError, ZeroDivisionError):
            return None
    else:
        return None
    return v if math.isfinite(v) and v > 0 else None


def fmt_value(value: float, lang: str = "en") -> str:
    """A judgement value as people write it: ``3``, ``1/3``, or a decimal off the scale."""
    v = snap(value)
    if v >= 1 and abs(v - round(v)) <= RTOL * v:
        return str(int(round(v)))
    if v < 1:
        inv = 1.0 / v
        if abs(inv - round(inv)) <= RTOL * inv:
            return f"1/{int(round(inv))}"
    text = i18n.fmt_number(v, lang, 3)
    return text.rstrip("0").rstrip(",.")


def yaml_value(value: float) -> int | str | float:
    """The value to write into a model file: ``3``, ``"1/3"`` or a float off the scale."""
    v = snap(value)
    if v >= 1 and abs(v - round(v)) <= RTOL * v:
        return int(round(v))
    if v < 1:
        inv = 1.0 / v
        if abs(inv - round(inv)) <= RTOL * inv:
            return f"1/{int(round(inv))}"
    return float(v)


def _level(value: float) -> int:
    """The level 1..9 of the more important side (nearest on a log scale)."""
    v = float(value)
    strength = v if v >= 1 else 1.0 / v
    return min(range(1, 10), key=lambda k: abs(math.log(k) - math.log(strength)))


def verbal(value: float, lang: str = "nl") -> str:
    """The words for how much more important the more important side is.

    ``verbal(3)`` and ``verbal(1/3)`` are both "iets belangrijker" (moderately more important):
    who is more important is said by :func:`sentence`. Values off the scale get the words of
    the nearest level.
    """
    return i18n.t(f"workshop.scale_{_level(value)}", lang)


def sentence(a: str, b: str, value: float, lang: str = "nl") -> str:
    """One sentence for the judgement "a is ``value`` times as important as b".

    The more important side comes first and the factor follows in brackets:
    ``"Risico is iets belangrijker dan Kosten (3)"``.
    """
    v = snap(value)
    if abs(v - 1.0) <= RTOL:
        return i18n.t("workshop.sentence_equal", lang, a=a, b=b)
    first, second, strength = (a, b, v) if v > 1 else (b, a, 1.0 / v)
    return i18n.t("workshop.sentence", lang, a=first, b=second, verbal=verbal(strength, lang),
                  value=fmt_value(strength, lang))


def scale_options(a: str, b: str, lang: str = "nl", extra: float | None = None) -> list[tuple[str, float]]:
    """The positions of a pairwise slider, left to right, as ``(text, value)`` pairs.

    From "``a`` extremely more important" (9) through "equally important" (1) to "``b``
    extremely more important" (1/9). ``extra`` adds a value off the scale (a judgement from the
    model file such as 2.5) at its place, so that a loaded judgement is shown as it is.
    """
    values = sorted(SCALE, reverse=True)
    if extra is not None and not is_scale_value(extra):
        values = sorted(values + [float(extra)], reverse=True)
    return [(sentence(a, b, v, lang), v) for v in values]
