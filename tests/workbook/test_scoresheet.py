"""Evaluators' score sheets: written locked, collected into the workshop store, spread computed.

Three evaluators score the zaaksysteem model; one sheet has an invalid cell (a level that is not on
the scale, and a formula), one is incomplete. Every problem is located, the valid scores are in the
store, and the spread table is the one computed here by hand from the entered scores.
"""
from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from decide.cli import main
from decide.errors import DecideError
from decide.loader import load_model
from decide.store import WorkshopStore
from decide.workbook.scoresheet import collect_scoresheets, scoring_model, write_scoresheets

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "zaaksysteem.yaml"

# what each evaluator enters for (option, criterion); every other cell gets the scale's middle level
ENTRIES = {
    "Jansen": {("cg_forms", "fit"): "goed", ("cg_forms", "continuity"): 3, ("suite_saas", "lock_in"): "hoog"},
    "De Vries": {("cg_forms", "fit"): "voldoende", ("cg_forms", "continuity"): "4",
                 ("suite_saas", "lock_in"): "groot"},
    "Bakker": {("cg_forms", "fit"): "uitstekend", ("cg_forms", "continuity"): "3,0",
               ("suite_saas", "lock_in"): "hoog"},
}


def _fill(path: Path, name: str, *, skip: set = frozenset(), bad: dict | None = None) -> dict:
    """Fill a sheet as an evaluator would; return {(option, criterion): cell coordinate}."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    places = {}
    for row in ws.iter_rows(min_row=6):
        key = (row[0].value, row[1].value)
        places[key] = row[4].coordinate
        if key in skip:
            continue
        if bad and key in bad:
            row[4].value = bad[key]
            continue
        levels = str(row[6].value).split(", ")  # the scale column: named levels, or "1 .. 5"
        middle = levels[len(levels) // 2] if len(levels) > 1 else 3
        row[4].value = ENTRIES[name].get(key, middle)
        row[5].value = f"Motivering van {name} voor {key[0]} op {key[1]}"
    wb.save(path)
    return places


@pytest.fixture()
def sheets(tmp_path):
    model = load_model(MODEL)
    paths = write_scoresheets(model, tmp_path / "scores", ["Jansen", "De Vries", "Bakker"])
    return model, {p.stem: p for p in paths}, tmp_path


def test_sheets_are_locked_with_dropdowns_and_a_reasoning_column(sheets):
    model, paths, _ = sheets
    assert sorted(paths) == ["Bakker", "De_Vries", "Jansen"]
    wb = openpyxl.load_workbook(paths["Jansen"])
    ws = wb.worksheets[0]
    assert wb.security.lockStructure and ws.protection.sheet and wb.worksheets[1].protection.sheet
    heads = [c.value for c in ws[5]]
    assert heads[:2] == ["option", "criterion"] and "score" in heads and "reasoning" in heads
    rows = list(ws.iter_rows(min_row=6))
    scored = [c.id for c in model.leaves() if c.source != "tco"]
    assert len(rows) == len(model.alternatives) * len(scored)
    assert all(not r[4].protection.locked and not r[5].protection.locked and r[0].protection.locked for r in rows)
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"onvoldoende,matig,voldoende,goed,uitstekend"' in lists and '"1,2,3,4,5"' in lists


def test_three_evaluators_collected_with_problems_located_and_the_spread(sheets):
    model, paths, tmp = sheets
    _fill(paths["Jansen"], "Jansen")
    places = _fill(paths["De_Vries"], "De Vries",
                   bad={("suite_saas", "fit"): "gemiddeld", ("inhouse_case", "security"): "=3+1"})
    _fill(paths["Bakker"], "Bakker", skip={("cg_case", "fit"), ("cg_case", "innovation")})
    wb = openpyxl.load_workbook(paths["Jansen"])  # one score left without its reasoning
    wb.worksheets[0][f"F{places[('suite_saas', 'innovation')][1:]}"] = None
    wb.save(paths["Jansen"])
    store = tmp / "ws.sqlite"
    got = collect_scoresheets(tmp / "scores", model=MODEL, store=store, lang="en")

    where = {(p.code, p.file) for p in got.problems}
    dv = paths["De_Vries"]
    assert where == {("score-scale", f"{dv}!Beoordeling!{places[('suite_saas', 'fit')]}"),
                     ("formula", f"{dv}!Beoordeling!{places[('inhouse_case', 'security')]}")}
    assert sorted(p.file for p in got.missing) == sorted(
        f"{paths['Bakker']}!Beoordeling!{places[k]}" for k in [("cg_case", "fit"), ("cg_case", "innovation")])
    assert [p.file for p in got.unmotivated] == [
        f"{paths['Jansen']}!Beoordeling!F{places[('suite_saas', 'innovation')][1:]}"]
    n_cells = len(model.alternatives) * 7
    assert got.recorded == 3 * n_cells - 2 - 2

    spread = got.spread.set_index(["option", "criterion"])
    # fit of cg_forms: goed (4), voldoende (3), uitstekend (5) -> median 4, population sd sqrt(2/3)
    row = spread.loc[("cg_forms", "fit")]
    assert (row["n"], row["low"], row["high"], row["median"]) == (3, 3.0, 5.0, 4.0)
    assert math.isclose(row["std"], math.sqrt(2 / 3)) and math.isclose(row["relative"], 2 / 4)
    # continuity of cg_forms: 3, "4" and "3,0" (a number typed as text with a decimal comma)
    row = spread.loc[("cg_forms", "continuity")]
    assert (row["n"], row["low"], row["high"], row["median"]) == (3, 3.0, 4.0, 3.0)
    assert math.isclose(row["mean"], 10 / 3)
    # the invalid cell is not stored: two scores; the incomplete one: two scores
    assert spread.loc[("suite_saas", "fit"), "n"] == 2 and spread.loc[("cg_case", "fit"), "n"] == 2
    assert spread.loc[("suite_saas", "lock_in"), "high"] == 5.0  # hoog
    assert spread.iloc[0]["relative"] == spread["relative"].max()  # widest first

    # the scores are in the workshop store, with their reasoning, as the browser would put them
    ws = WorkshopStore(store, scoring_model(model, ["Jansen", "De Vries", "Bakker"]))
    mine = ws.scores("Jansen")
    assert mine[("cg_forms", "fit")].value == 4.0
    assert mine[("cg_forms", "fit")].reasoning == "Motivering van Jansen voor cg_forms op fit"
    assert {r.origin for r in ws.audit()} == {"excel"}

    # collecting again stores nothing new
    again = collect_scoresheets(tmp / "scores", model=MODEL, store=store, lang="en")
    assert again.recorded == 0 and len(ws.audit()) == got.recorded


def test_cli_collect_reports_places_and_exits_2_for_invalid_cells(sheets, capsys):
    model, paths, tmp = sheets
    for name, key in (("Jansen", "Jansen"), ("De_Vries", "De Vries"), ("Bakker", "Bakker")):
        _fill(paths[name], key, bad={("suite_saas", "fit"): "gemiddeld"} if name == "Bakker" else None)
    code = main(["scoresheet", "collect", str(tmp / "scores"), "--model", str(MODEL), "--store",
                 str(tmp / "ws.sqlite"), "--lang", "en"])
    out = capsys.readouterr().out
    assert code == 2
    assert f"{paths['Bakker']}!Beoordeling!E6" in out and "Spread per option and criterion" in out
    # the spread as the other commands print tables: labels, headers from the catalogue, no pandas
    spread = out.split("Spread per option and criterion")[1]
    assert "Std. deviation" in spread and "Functional fit" in spread and "median" not in spread


def test_cli_writes_sheets_and_refuses_bad_arguments(tmp_path, capsys):
    assert main(["scoresheet", str(MODEL), "--evaluators", "A,B", "--out", str(tmp_path / "s")]) == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["A.xlsx", "B.xlsx"]
    assert main(["scoresheet", str(MODEL), "--evaluators", "A,B", "--out", str(tmp_path / "s")]) == 2  # exists
    assert main(["scoresheet", str(MODEL), "--out", str(tmp_path / "t")]) == 2  # no evaluators
    assert main(["scoresheet", "collect", str(tmp_path / "empty")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--evaluators" in err


def test_duplicate_evaluator_is_refused(tmp_path):
    with pytest.raises(DecideError, match="twice|twee keer"):
        write_scoresheets(load_model(MODEL), tmp_path, ["A", "A"])


def test_a_model_with_its_own_committee(tmp_path):
    """workshop.scoring in the model names the evaluators and the criteria to score."""
    from decide.loader import loads_model

    text = MODEL.read_text(encoding="utf-8") + (
        "\nworkshop:\n  scoring: {evaluators: [Inkoop, Architectuur], criteria: [fit, security]}\n")
    model = loads_model(text, "committee.yaml")
    model._path = str(MODEL)
    paths = write_scoresheets(model, tmp_path)
    assert [p.name for p in paths] == ["Inkoop.xlsx", "Architectuur.xlsx"]
    ws = openpyxl.load_workbook(paths[0]).worksheets[0]
    assert {r[1].value for r in ws.iter_rows(min_row=6)} == {"fit", "security"}


def test_a_sheet_filled_in_and_saved_with_libreoffice_is_collected(tmp_path):
    folder = ROOT / "tests" / "data" / "workbooks" / "scoresheets_libreoffice"
    got = collect_scoresheets(folder, model=MODEL, store=tmp_path / "ws.sqlite", lang="en")
    model = load_model(MODEL)
    assert got.problems == () and got.missing == () and got.unmotivated == ()
    assert got.evaluators == ("Jansen",) and got.recorded == len(model.alternatives) * 7
