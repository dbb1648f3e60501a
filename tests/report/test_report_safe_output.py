"""Safe output: atomic writes, --force, and formula (CSV) injection in csv and xlsx."""
from __future__ import annotations

import csv
import io
import os

import openpyxl
import pytest

from decide.errors import DecideError
from decide.report import FORMATS, write_report
from decide.report.safe_io import atomic_write, check_targets, escape_cell, is_formula_like

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1,2)", "\tTabbed option", "\rCarriage option"]


# --------------------------------------------------------------------------- escaping
@pytest.mark.parametrize("text", FORMULAS)
def test_formula_texts_are_prefixed(text):
    assert is_formula_like(text)
    assert escape_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-3.5, -1, 0, 2.0, None, True, "Kosten", "a=b", " =x"])
def test_other_values_are_left_alone(value):
    assert escape_cell(value) is value or escape_cell(value) == value


def test_injection_arrives_as_text_in_csv(injection_files):
    csvs = {k.split("/")[-1]: v.decode("utf-8-sig") for k, v in injection_files.items() if k.endswith(".csv")}
    # a Dutch report: ';' separated (excel-nl), as Excel with a Dutch list separator reads it
    cells = [c for text in csvs.values() for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")
             for c in row]
    for c in cells:
        try:
            float(c.replace(",", "."))
            continue  # a number (negative numbers included, decimal comma) stays a number
        except ValueError:
            pass
        assert not is_formula_like(c), f"unescaped cell {c!r}"
    assert "'" + '=HYPERLINK("http://x","y")' in cells
    assert "'=HYPERLINK(\"http://example.invalid\",\"title\")" in cells
    assert "'@SUM(1,2)" in cells and "'-2+3" in cells and "'+Supplier one" in cells
    assert "'=cmd|' /C calc'!A0" in cells
    # negative contributions are numbers, written without a quote
    contrib = list(csv.reader(io.StringIO(csvs["ranking_contributions.csv"], newline=""), delimiter=";"))
    negatives = [c for r in contrib[1:] for c in r[2:] if c.startswith("-")]
    assert negatives and all(float(c.replace(",", ".")) < 0 for c in negatives)


def test_injection_arrives_as_text_in_xlsx(injection_files):
    wb = openpyxl.load_workbook(io.BytesIO(injection_files["injection-nl.xlsx"]))
    texts, numbers = [], []
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    if is_formula_like(cell.value):  # kept exact, as a quote-prefixed text cell
                        assert cell.data_type == "s" and cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
                    texts.append(cell.value)
                elif isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    numbers.append(cell.value)
    assert '=HYPERLINK("http://x","y")' in texts  # the exact label, no visible apostrophe
    assert "=1+1" in texts  # a criterion label used as a column header
    assert any(v < 0 for v in numbers), "negative numbers stay numbers"


# --------------------------------------------------------------------------- atomic writes
def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "sub" / "a.txt"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.txt"]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_bytes(b"old")

    def broken(src, dst):
        raise KeyboardInterrupt  # interrupted between writing and renaming

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new" * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"], "no half-written temporary left behind"


# --------------------------------------------------------------------------- write_report
def test_write_report_force_and_coexisting_languages(werkplek, tmp_path):
    out = tmp_path / "out"
    (tmp_path / "out").mkdir()
    (out / "notes.txt").write_text("mine")
    paths = write_report(werkplek, out, formats=("csv", "json"), lang="nl")
    assert all(p.exists() and p.is_relative_to(out) for p in paths)
    assert out / "werkplek-nl.json" in paths and (out / "werkplek-nl-csv" / "ranking.csv") in paths
    # the other language has other file names: no --force needed
    en = write_report(werkplek, out, formats="json", lang="en")
    assert en == [out / "werkplek-en.json"]
    # a second run in the same language refuses without force ...
    before = (out / "werkplek-nl.json").read_bytes()
    with pytest.raises(DecideError, match="vervang dat hele rapport bewust") as err:
        write_report(werkplek, out, formats=("csv", "json"), lang="nl")
    assert err.value.exit_code == 2
    assert (out / "werkplek-nl.json").read_bytes() == before
    # ... and replaces its files with force, leaving other files alone
    os.utime(out / "werkplek-nl.json", (0, 0))
    again = write_report(werkplek, out, formats=("csv", "json"), lang="nl", force=True)
    assert sorted(again) == sorted(paths)
    assert (out / "werkplek-nl.json").stat().st_mtime > 0
    assert (out / "notes.txt").read_text() == "mine"
    assert not [p for p in out.rglob("*.tmp")]


def test_write_report_full_file_list(zaak, tmp_path):
    paths = write_report(zaak, tmp_path / "full", lang="en")
    names = sorted(p.relative_to(tmp_path / "full").as_posix() for p in paths)
    assert {"zaaksysteem-en.xlsx", "zaaksysteem-en.json", "zaaksysteem-en.md", "zaaksysteem-en.html"} <= set(names)
    assert len([n for n in names if n.endswith(".csv")]) >= 20
    assert len([n for n in names if n.endswith(".png")]) == 7  # weights, ranking, stability, smaa, frontier, value_for_money, spend


def test_bad_arguments_are_decide_errors(werkplek, tmp_path):
    with pytest.raises(DecideError, match="report format: expected one or more of .*got 'pdf'"):
        write_report(werkplek, tmp_path, formats="xlsx,pdf")
    with pytest.raises(DecideError, match="report language: expected one of 'nl', 'en', got 'fr'"):
        write_report(werkplek, tmp_path, lang="fr")
    afile = tmp_path / "file"
    afile.write_text("x")
    with pytest.raises(DecideError, match="found a file|hier staat een bestand"):
        write_report(werkplek, afile, formats="json")
    assert set(FORMATS) >= {"xlsx", "csv", "json", "md", "html"}


def test_check_targets_lists_what_exists(tmp_path):
    (tmp_path / "a.csv").write_text("x")
    with pytest.raises(DecideError, match=r"1 file\(s\) of an earlier report exist \(a.csv\)"):
        check_targets([tmp_path / "a.csv", tmp_path / "b.csv"], False, tmp_path)
    check_targets([tmp_path / "a.csv"], True, tmp_path)


def test_preflight_before_the_analysis(werkplek, tmp_path):
    from decide.report import preflight

    model = werkplek.model
    preflight(model, tmp_path / "new")  # nothing there yet
    write_report(werkplek, tmp_path, formats="csv", lang="en")
    with pytest.raises(DecideError, match="replace that whole report on purpose"):
        preflight(model, tmp_path, formats="csv", lang="en")
    preflight(model, tmp_path, formats="csv", lang="en", force=True)
    preflight(model, tmp_path, formats="csv", lang="nl")  # the other language is free
    with pytest.raises(DecideError, match="report format"):
        preflight(model, tmp_path, formats="docx")
