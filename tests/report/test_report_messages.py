"""The report's message catalogue: every key in Dutch and English, every key the code uses exists,
and no ``{placeholder}`` is left unfilled in any output."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from decide import i18n

PACKAGE = Path(__file__).resolve().parents[2] / "decide" / "report"
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_has_dutch_and_english_with_the_same_placeholders():
    cat = i18n.catalogue("report")
    assert cat, "decide/messages/report.yaml is empty"
    for key, entry in cat.items():
        assert isinstance(key, str), f"key {key!r} is not a text (quote yes/no/on/off in YAML)"
        assert isinstance(entry, dict) and set(entry) == {"nl", "en"}, key
        assert all(isinstance(v, str) and v.strip() for v in entry.values()), key
        assert _fields(entry["nl"]) == _fields(entry["en"]), key


def test_every_key_used_in_the_code_exists():
    cat = i18n.catalogue("report")
    used, prefixes = set(), set()
    for path in PACKAGE.glob("*.py"):
        src = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'\btr\(\s*"([a-z_.0-9]+)"', src))
        used |= set(re.findall(r'"((?:note|word)\.[a-z_]+)"', src))
        prefixes |= set(re.findall(r'\btr\(\s*f"([a-z_.]+)\{', src))
    missing = sorted(k for k in used if k not in cat)
    assert not missing, missing
    for p in prefixes:
        assert any(k.startswith(p) for k in cat), p


def test_sheet_names_fit_excel():
    cat = i18n.catalogue("report")
    for key, entry in cat.items():
        if key.startswith("sheet."):
            assert all(len(v) <= 31 and not re.search(r"[\[\]:*?/\\]", v) for v in entry.values()), key


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_unfilled_placeholder_in_any_output(zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en
    for rel, data in files.items():
        if rel.endswith((".png", ".xlsx")):
            continue
        text = data.decode("utf-8-sig")
        if rel.endswith(".html"):
            text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        found = PLACEHOLDER.findall(text)
        assert not found, f"{rel}: {found[:5]}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_unfilled_placeholder_in_the_workbook(zaak_nl, zaak_en, lang):
    import io

    import openpyxl

    files = zaak_nl if lang == "nl" else zaak_en
    wb = openpyxl.load_workbook(io.BytesIO(files[f"zaaksysteem-{lang}.xlsx"]))
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not PLACEHOLDER.search(v), f"{ws.title}: {v!r}"


def test_dutch_and_english_numbers():
    assert i18n.fmt_money(1234567.891, "nl") == "€ 1.234.568"
    assert i18n.fmt_number(1234567.891, "en") == "1,234,567.89"
    from decide.report.markdown_html import format_cell

    assert format_cell(0.625, "pct", "nl") == "62,5 %" and format_cell(0.625, "pct", "en") == "62.5%"
    assert format_cell(True, "bool", "nl") == "ja" and format_cell(None, "money", "en") == ""
