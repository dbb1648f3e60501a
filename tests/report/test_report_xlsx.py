"""The workbook, reopened with openpyxl and checked sheet by sheet."""
from __future__ import annotations

import io
import warnings

import openpyxl
import pytest

from decide.report import build_report
from decide.report.tables import SECTIONS as SECTION_ORDER
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
def test_one_table_per_sheet_with_frozen_header_and_autofilter(zaak, zaak_nl, zaak_en, lang):
    from decide.report.tables import build_tables

    files = zaak_nl if lang == "nl" else zaak_en
    wb = _open(files, f"zaaksysteem-{lang}.xlsx")
    sections = [n for n in wb.sheetnames if n in SHEETS[lang]]
    assert sections == SHEETS[lang]  # the sections' first tables, in the report's order
    tables = [t for t in build_tables(zaak, lang).values() if t is not None]
    assert len(wb.sheetnames) == len(tables) == len(set(wb.sheetnames))
    for ws, t in zip(wb, sorted(tables, key=lambda t: SECTION_ORDER.index(t.section))):
        assert len(ws.title) <= 31
        assert ws["A1"].value == t.title, ws.title  # one table: its title, header, rows
        assert ws.freeze_panes == "A3", ws.title  # title row + header row stay in view
        assert ws["A2"].font.b, f"{ws.title}: the header row is bold"
        assert ws.auto_filter.ref == f"A2:{openpyxl.utils.get_column_letter(len(t.columns))}{2 + max(len(t.rows), 0)}"
        assert [ws.cell(row=2, column=c + 1).value for c in range(len(t.columns))] == list(t.columns)
        assert ws.column_dimensions["A"].width >= 8
        for cell in _cells(ws):
            assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula"
            if isinstance(cell.value, float):
                assert cell.value == cell.value, f"{ws.title}!{cell.coordinate} is NaN"


def test_native_charts_for_the_ranking_and_the_frontier(zaak_en):
    from openpyxl.chart import BarChart, ScatterChart

    wb = _open(zaak_en, "zaaksysteem-en.xlsx")
    ranking = wb["Ranking"]._charts
    assert len(ranking) == 1 and isinstance(ranking[0], BarChart)
    refs = ranking[0].series[0].val.numRef.f
    assert refs.startswith("'Ranking'!$") or refs.startswith("Ranking!$")
    frontier = wb["Efficient frontier"]._charts
    assert len(frontier) == 1 and isinstance(frontier[0], ScatterChart)


def test_money_and_percentages_are_numbers_with_formats(zaak_nl):
    wb = _open(zaak_nl, "zaaksysteem-nl.xlsx")
    ws = wb["Uitgaven per leverancier"]
    formats = {c.number_format for c in _cells(ws) if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)}
    assert any("€" in f for f in formats), formats
    assert "0.0%" in formats
    tco = [c for c in _cells(wb["TCO"]) if "€" in c.number_format]
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
