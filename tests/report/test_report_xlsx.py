"""The workbook, reopened with openpyxl and checked sheet by sheet."""
from __future__ import annotations

import io
import warnings

import openpyxl
import pytest

from decide.report import build_report
from decide.report.xlsx import number_format, sheet_name, sheet_titles

SHEETS = {
    "nl": ["Samenvatting", "Gewichten", "Scores", "Rangorde", "Gevoeligheid", "Portefeuille", "Toets", "Herkomst"],
    "en": ["Summary", "Weights", "Scores", "Ranking", "Sensitivity", "Portfolio", "Review", "Provenance"],
}


def _open(files, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # openpyxl warns on anything it had to repair
        return openpyxl.load_workbook(io.BytesIO(files[name]))


def _cells(ws):
    for row in ws.iter_rows():
        yield from row


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sheets_frozen_headers_and_formats(zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en
    wb = _open(files, f"zaaksysteem-{lang}.xlsx")
    assert wb.sheetnames == SHEETS[lang]
    for ws in wb:
        assert len(ws.title) <= 31
        assert ws.freeze_panes == "A3", ws.title  # title row + header row stay in view
        assert ws["A2"].font.b, f"{ws.title}: the header row is bold"
        assert ws.column_dimensions["A"].width >= 8
        for cell in _cells(ws):
            assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula"
            if isinstance(cell.value, float):
                assert cell.value == cell.value, f"{ws.title}!{cell.coordinate} is NaN"


def test_money_and_percentages_are_numbers_with_formats(zaak_nl):
    wb = _open(zaak_nl, "zaaksysteem-nl.xlsx")
    ws = wb["Portefeuille"]
    formats = {c.number_format for c in _cells(ws) if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)}
    assert any("€" in f for f in formats), formats
    assert "0.0%" in formats
    tco = [c for c in _cells(wb["Scores"]) if "€" in c.number_format]
    assert tco and all(isinstance(c.value, (int, float)) for c in tco)  # openpyxl reads 40000.0 back as 40000
    assert wb["Rangorde"]["E3"].number_format == "0.0000"


@pytest.mark.parametrize("lang, word", [("nl", "Aanbeveling"), ("en", "Recommendation")])
def test_summary_holds_the_recommendation(zaak, zaak_nl, zaak_en, lang, word):
    files = zaak_nl if lang == "nl" else zaak_en
    ws = _open(files, f"zaaksysteem-{lang}.xlsx")[SHEETS[lang][0]]
    values = {r[0]: r[2] for r in ws.iter_rows(min_row=3, values_only=True) if r[0]}
    assert values["recommendation"].startswith(f"{word}:")
    assert values["winner"] == zaak.label(zaak.winner(), lang)
    assert zaak.label(zaak.allocation.chosen[0], lang) in values["portfolio"]


def test_ranking_only_model_has_no_portfolio_sheet(werkplek):
    files = build_report(werkplek, "xlsx", lang="en")
    wb = _open(files, "werkplek-en.xlsx")
    assert "Portfolio" not in wb.sheetnames
    assert wb.sheetnames[:2] == ["Summary", "Weights"]


def test_sheet_names_and_formats():
    for lang in ("nl", "en"):
        assert all(len(n) <= 31 for n in sheet_titles(lang))
    assert sheet_name("summary", "nl") == "Samenvatting"
    assert number_format("money", "EUR").startswith('"€ "')
    assert number_format("pct") == "0.0%" and number_format("text") is None
