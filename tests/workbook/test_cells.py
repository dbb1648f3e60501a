"""Cells in and out: formula injection stays closed, numbers typed as text are read, nothing is evaluated."""
from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from decide.loader import parse_yaml
from decide.workbook import import_workbook, workbook_bytes
from decide.workbook.cells import CellProblem, number_text, put, read_cell, to_cell
from decide.workbook.scoresheet import scoresheet_bytes, scoring_model

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ['=HYPERLINK("http://evil.example","klik")', "+31 20 123 4567", "-rest", "@SUM(A1)", "=1+1"]


def _hostile_model() -> dict:
    data = parse_yaml((ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8"))[0]
    data["title"] = {"nl": HOSTILE[0], "en": HOSTILE[1]}
    data["alternatives"][0]["label"] = {"nl": HOSTILE[2], "en": HOSTILE[3]}
    data["alternatives"][0]["tags"] = [HOSTILE[4], "buy"]
    data["criteria"][1]["label"] = HOSTILE[0]
    return data


def _cells(xlsx: bytes):
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_no_workbook_decide_writes_holds_a_formula(tmp_path):
    from decide.loader import validate_data

    data = _hostile_model()
    book = workbook_bytes(data)
    model = validate_data(data)
    model._path = "werkplek.yaml"
    sheet = scoresheet_bytes(scoring_model(model, ["=cmd|' /C calc'!A0"]), "=cmd|' /C calc'!A0")
    for xlsx in (book, sheet):
        cells = list(_cells(xlsx))
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
        assert risky and all(c.quotePrefix for c in risky)  # Excel shows them as text
    # and they read back as exactly the texts they were
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(book)
    model, back = import_workbook(path)
    assert back["title"] == {"nl": HOSTILE[0], "en": HOSTILE[1]}
    assert back["alternatives"][0]["label"] == {"nl": HOSTILE[2], "en": HOSTILE[3]}
    assert back["alternatives"][0]["tags"] == [HOSTILE[4], "buy"]
    assert back["criteria"][1]["label"] == HOSTILE[0]


@pytest.mark.parametrize("text, value", [
    ("250000", 250000), ("0.0225", 0.0225), ("0,0225", 0.0225), ("1.234.567,89", 1234567.89),
    ("1,234,567.89", 1234567.89), ("€ 180.000,00", 180000.0), ("3,0", 3.0), ("-2,5", -2.5), ("0.500", 0.5),
    ("laag", None), ("2025-01-03", None)])
def test_numbers_typed_as_text(text, value):
    assert number_text(text) == value


def test_a_thousands_separator_alone_is_ambiguous():
    with pytest.raises(CellProblem) as info:
        number_text("250.000")
    assert info.value.code == "ambiguous-number"


def test_every_float_survives_the_file(tmp_path):
    """openpyxl writes 16 significant digits; a float that needs 17 is written as exact text."""
    values = [0.1 + 0.2, 1 / 3, 2.6755216744068704e16, 0.0225, -1e-300, 123456789.12345679]
    wb = openpyxl.Workbook()
    for i, v in enumerate(values, start=1):
        put(wb.active, i, 1, to_cell(v, "number"))
    wb.save(tmp_path / "f.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "f.xlsx").active
    assert [read_cell(ws.cell(row=i, column=1), "number") for i in range(1, len(values) + 1)] == values


def test_cell_kinds():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"] = "[2, 4]", "{low: 2, mode: 3, high: 4}", "hoog", "intake, case"
    ws["A5"], ws["A6"], ws["A7"] = "ja", 1, "=A1"
    assert read_cell(ws["A1"], "score") == [2, 4]
    assert read_cell(ws["A2"], "score") == {"low": 2, "mode": 3, "high": 4}
    assert read_cell(ws["A3"], "score") == "hoog"
    assert read_cell(ws["A4"], "list") == ["intake", "case"]
    assert read_cell(ws["A5"], "bool") is True and read_cell(ws["A6"], "bool") is True
    with pytest.raises(CellProblem) as info:
        read_cell(ws["A7"], "number")
    assert info.value.code == "formula"


def test_a_sheet_formatted_to_the_last_row_is_read_quickly(tmp_path):
    """LibreOffice and formatted columns put cells at row 1 048 576; only the cells held are read."""
    import time

    from openpyxl.styles import Font

    data = parse_yaml((ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8"))[0]
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(data)))
    for ws in wb.worksheets:
        ws.cell(row=1_048_576, column=30).font = Font(bold=True)
    path = tmp_path / "tall.xlsx"
    wb.save(path)
    start = time.perf_counter()
    model, _ = import_workbook(path)
    assert time.perf_counter() - start < 20 and len(model.alternatives) == 5


def test_settings_keys_that_do_not_fit_are_located_conflicts(tmp_path):
    from decide.errors import ModelError

    data = parse_yaml((ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8"))[0]
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes(data)))
    ws = wb["Instellingen"]
    n = ws.max_row
    for k, (key, value) in enumerate([("alternatives.x", "1"), ("weights.ahp.participants[99999999].name", "A"),
                                      ("title.nl.x", "y"), ("horizon[0]", "1")], start=1):
        ws.cell(row=n + k, column=1, value=key)
        ws.cell(row=n + k, column=2, value=value)
    path = tmp_path / "conflicts.xlsx"
    wb.save(path)
    with pytest.raises(ModelError) as info:
        import_workbook(path, lang="en")
    got = [(p.code, p.file.rsplit("!", 1)[-1]) for p in info.value.problems]
    assert got == [("conflict", f"B{n + k}") for k in range(1, 5)]


def test_formula_like_text_survives_libreoffice():
    """The hostile workbook opened and saved by LibreOffice Calc: the texts are still texts."""
    model, back = import_workbook(ROOT / "tests" / "data" / "workbooks" / "libreoffice_hostile.xlsx")
    assert back["title"] == {"nl": HOSTILE[0], "en": HOSTILE[1]}
    assert back["alternatives"][0]["label"] == {"nl": HOSTILE[2], "en": HOSTILE[3]}
    assert back["alternatives"][0]["tags"] == [HOSTILE[4], "buy"]


def test_libreoffice_booleans_are_constants_not_formulas():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = "=TRUE()", "=false()", "=TRUE()+0"
    assert read_cell(ws["A1"], "bool") is True and read_cell(ws["A2"], "bool") is False
    with pytest.raises(CellProblem):
        read_cell(ws["A3"], "bool")


# --------------------------------------------------------------------------- property: write then read is the identity

# texts as people and models write them: any printable character, no surrounding blanks (a cell
# reader strips those), including what YAML or a spreadsheet would read as something else
_SPECIAL = ["yes", "no", "null", "~", "1.0", "0,5", "1/3", "[x", "{a: b}", "a: b", "- x", "#x", "'q'", '"q"',
            "=SUM(A1)", "+31", "-", "@x", "2025-01-03", "1e5", ".5", "250.000", "TRUE", "ja"]
_TEXT = st.one_of(st.sampled_from(_SPECIAL),
                  st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
                  .map(str.strip).filter(bool))
_NUMBER = st.one_of(st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False))
_VALUE = st.recursive(st.one_of(_TEXT, _NUMBER, st.booleans()),
                      lambda inner: st.one_of(st.lists(inner, max_size=4),
                                              st.dictionaries(_TEXT, inner, max_size=3)), max_leaves=8)


_SHEET = openpyxl.Workbook().active


def _through_a_cell(value, kind):
    """Write as decide writes and read as decide reads (the file format itself is tested above)."""
    cell = put(_SHEET, 1, 1, to_cell(value, kind))
    return read_cell(cell, kind)


@given(_VALUE)
def test_yaml_cells_read_back_what_was_written(value):
    assert _through_a_cell(value, "yaml") == value


@given(_TEXT)
def test_text_cells_read_back_what_was_written(value):
    assert _through_a_cell(value, "text") == value


@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_list_cells_read_back_what_was_written(value):
    assert _through_a_cell(value, "list") == value


@given(st.one_of(_NUMBER, _TEXT, st.lists(_NUMBER, min_size=2, max_size=2),
                 st.fixed_dictionaries({"low": _NUMBER, "mode": _NUMBER, "high": _NUMBER})))
def test_score_and_amount_cells_read_back_what_was_written(value):
    assert _through_a_cell(value, "score") == value
    assert _through_a_cell(value, "number") == value


@given(st.one_of(st.booleans(), _TEXT, st.sampled_from(["ja", "Nee", "1", "x", "'s-Hertogenbosch", " rand ", ""])))
def test_flag_cells_read_back_what_was_written(value):
    """A best practice of the strategy is true/false or a text; a text that reads as yes/no is quoted."""
    assert _through_a_cell(value, "flag") == value
    assert type(_through_a_cell(value, "flag")) is type(value)


def test_flag_cells_as_people_type_them():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["A4"], ws["A5"] = True, "nee", 1, "In sprints met een vaste teamprijs", "'s-Hertogenbosch deelt"
    assert [read_cell(ws[f"A{i}"], "flag") for i in range(1, 6)] == [
        True, False, True, "In sprints met een vaste teamprijs", "'s-Hertogenbosch deelt"]
