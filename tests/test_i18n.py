"""The message catalogue: every text in Dutch and English, with the same placeholders."""
from __future__ import annotations

import string

import pytest

from decide.i18n import catalogue, fmt_money, fmt_number, fmt_pct, t, topics


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("topic", topics())
def test_every_key_has_both_languages_and_same_placeholders(topic):
    cat = catalogue(topic)
    assert cat, topic
    for key, entry in cat.items():
        assert isinstance(key, str), f"{topic}.{key}: YAML read the key as {type(key).__name__}; quote it"
        if not isinstance(entry, dict) or set(entry) - {"nl", "en"}:
            continue  # structured entries (lists of texts) are checked by their own module's tests
        assert set(entry) == {"nl", "en"}, f"{topic}.{key}"
        assert _fields(entry["nl"]) == _fields(entry["en"]), f"{topic}.{key}"


def test_number_formats():
    assert fmt_number(1234567.891, "nl") == "1.234.567,89"
    assert fmt_number(1234567.891, "en") == "1,234,567.89"
    assert fmt_money(-1500, "nl") == "-€ 1.500" and fmt_money(1500, "en") == "€1,500"
    assert fmt_pct(0.625, "nl", 1) == "62,5 %" and fmt_pct(0.625, "en", 1) == "62.5%"


def test_lookup_fills_placeholders_and_refuses_unknown_language():
    assert t("cli.n_options", "nl", n=3) == "3 opties"
    with pytest.raises(ValueError):
        t("cli.n_options", "de", n=3)
