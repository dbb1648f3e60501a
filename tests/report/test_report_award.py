"""The award section of the report: tables, Markdown/HTML blocks and an xlsx sheet, both languages."""
from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pytest

from decide.facade import analyse
from decide.loader import load_model
from decide.report import build_report

ROOT = Path(__file__).resolve().parents[2]
_CACHE: dict = {}


def analysis(name: str):
    if name not in _CACHE:
        _CACHE[name] = analyse(load_model(ROOT / "models" / f"{name}.yaml"), samples=300, frontier_points=0)
    return _CACHE[name]


@pytest.mark.parametrize("lang, sheet, heading, words", [
    ("nl", "Gunning", "## Gunning: de formule getoetst", ["zonder D komt C voor B", "Simulatie vóór de aanbesteding",
                                                         "punten, absolute prijs", "€ 5.500.000"]),
    ("en", "Award", "## Award: the formula tested", ["without D, C moves ahead of B", "Simulation before the tender",
                                                   "points, absolute price", "€5,500,000"]),
])
def test_werkplek_report_has_the_award_section(lang, sheet, heading, words):
    a = analysis("werkplek")
    assert a.award is not None and a.award.evaluation.winner == "B"
    files = build_report(a, "md,html,xlsx,json,csv", lang=lang)
    md = files[f"werkplek-{lang}.md"].decode("utf-8")
    assert heading in md
    section = md[md.index(heading):md.index("\n## ", md.index(heading) + 5)]
    for w in words:
        assert w in section, w
    html = files[f"werkplek-{lang}.html"].decode("utf-8")
    assert 'id="award"' in html and words[0].split()[0] in html
    wb = openpyxl.load_workbook(io.BytesIO(files[f"werkplek-{lang}.xlsx"]))
    assert sheet in wb.sheetnames
    assert wb.sheetnames.index(sheet) < wb.sheetnames.index("Toets" if lang == "nl" else "Review")
    cells = [str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value is not None]
    assert any("Bidder B" in c or "Inschrijver B" in c for c in cells)
    for key in ("award_bids", "award_parts", "award_paradox", "award_simulation"):
        assert f"werkplek-{lang}-csv/{key}.csv" in files
    data = json.loads(files[f"werkplek-{lang}.json"])
    assert data["award"]["winner"] == "B" and "award_simulation" in data["tables"]


def test_models_without_an_award_section_have_no_award_sheet():
    a = analysis("zaaksysteem")
    assert a.award is None
    files = build_report(a, "xlsx,md", lang="en")
    assert "Award" not in openpyxl.load_workbook(io.BytesIO(files["zaaksysteem-en.xlsx"])).sheetnames
    assert "## Award" not in files["zaaksysteem-en.md"].decode("utf-8")


def test_analysis_dict_carries_the_award_details():
    d = analysis("werkplek").to_dict("en")
    aw = d["award"]
    assert aw["method"] == "points" and aw["relative"] is True
    assert aw["paradox"] == [{"removed": "D", "swapped": ["B", "C"]}]
    assert aw["suggestion"]["absolute"]["ceiling"] > aw["suggestion"]["absolute"]["floor"]
    assert aw["simulation"]["best"] is not None
