"""Message catalogue for user-facing report text, in Dutch and English.

Texts live in ``decide/messages/<topic>.yaml``; each key maps to ``{nl: ..., en: ...}``
so that a missing translation is visible in one place (a test checks every key has
both languages). Look a text up with ``t("report.recommendation", "nl", name=...)``:
the part before the first dot names the file.

Numbers are formatted per language with :func:`fmt_number`, :func:`fmt_money` and
:func:`fmt_pct` (1.234.567,89 in Dutch, 1,234,567.89 in English).
"""
from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import yaml

LANGUAGES = ("nl", "en")


@lru_cache(maxsize=None)
def catalogue(topic: str) -> dict[str, dict[str, str]]:
    """Return the messages of one topic file as ``{key: {lang: text}}``."""
    path = resources.files("decide") / "messages" / f"{topic}.yaml"
    # libyaml's parser when PyYAML has it (about 10x faster; the catalogue is trusted package data)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or {}
    return data


def topics() -> list[str]:
    """Names of all message topic files."""
    base = resources.files("decide") / "messages"
    return sorted(p.name[: -len(".yaml")] for p in base.iterdir() if p.name.endswith(".yaml"))


def t(key: str, lang: str = "nl", /, **kwargs) -> str:
    """Translate ``topic.key`` into ``lang`` and fill ``{placeholders}`` from kwargs."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {lang!r}")
    topic, _, name = key.partition(".")
    entry = catalogue(topic)[name]
    text = entry[lang]
    return text.format(**kwargs) if kwargs else text


def label(value, lang: str = "nl") -> str:
    """Pick the text for ``lang`` from a label that is a string or ``{nl:, en:}``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get(lang) or next(iter(value.values()))
    # pydantic Label objects expose .get(lang)
    getter = getattr(value, "get", None)
    if getter is not None:
        return getter(lang)
    return str(value)


def fmt_number(x: float, lang: str = "nl", decimals: int = 2) -> str:
    """Format a number with the language's grouping and decimal separators."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "nl":
        s = s.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return s


def fmt_money(x: float, lang: str = "nl", currency: str = "EUR", decimals: int = 0) -> str:
    """Format an amount of money: ``€ 1.234.567`` (nl) or ``€1,234,567`` (en)."""
    symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency, currency + " ")
    body = fmt_number(abs(x), lang, decimals)
    sign = "-" if x < 0 else ""
    return f"{sign}{symbol} {body}" if lang == "nl" else f"{sign}{symbol}{body}"


def fmt_pct(x: float, lang: str = "nl", decimals: int = 0) -> str:
    """Format a fraction as a percentage: 0.625 -> ``62,5 %`` (nl) or ``62.5%`` (en)."""
    body = fmt_number(100 * x, lang, decimals)
    return f"{body} %" if lang == "nl" else f"{body}%"
