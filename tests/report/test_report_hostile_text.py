"""Model texts that try to be markup or formulas: inert in CSV (either separator) and Markdown."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from decide.facade import analyse
from decide.loader import loads_model
from decide.report import build_report
from decide.report.csv_json import to_csv
from decide.report.tables import Table

ROOT = Path(__file__).resolve().parents[2]
LABELS = {
    "suite": "x;=1+1",
    "modular": "Suite;=1+1;@SUM(A1)",
    "build": "[click me](http://example.invalid/x) ![](http://tracker.invalid/p.png) `code` *bold* <b>",
}


@pytest.fixture(scope="module")
def hostile():
    text = (ROOT / "tests" / "data" / "valid_small.yaml").read_text(encoding="utf-8")
    for aid, label in LABELS.items():
        quoted = label.replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace(f"  - id: {aid}\n", f"  - id: {aid}\n    label: \"{quoted}\"\n", 1)
    return analyse(loads_model(text), samples=300)


def _cells(data: bytes, sep: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep) for c in row]


@pytest.mark.parametrize("lang,dialect", [("nl", None), ("en", None), ("nl", "rfc4180"), ("en", "excel-nl")])
def test_a_label_with_a_separator_and_a_formula_arrives_as_one_text_cell(hostile, lang, dialect):
    files = build_report(hostile, "csv", lang=lang, csv_dialect=dialect)
    ranking = next(v for k, v in files.items() if k.endswith("/ranking.csv"))
    comma = (dialect or {"nl": "excel-nl", "en": "rfc4180"}[lang]) == "rfc4180"
    # a comma file is also read with ';' (Excel with a Dutch list separator, by double-click)
    for sep in (",", ";") if comma else (";",):
        cells = _cells(ranking, sep)
        assert not any(c.startswith(("=", "@", "+")) for c in cells), (lang, dialect, sep)
        if sep == (";" if not comma else ","):  # the file's own separator: the label, one cell
            shown = {"x;=1+1", "Suite;=1+1;@SUM(A1)"} if not comma else {"x;'=1+1", "Suite;'=1+1;'@SUM(A1)"}
            assert shown <= set(cells)
        else:  # split where a Dutch Excel splits: the pieces are texts
            assert "'=1+1" in cells and "=1+1" not in cells


def test_the_dutch_csv_reads_back_with_semicolons_and_decimal_commas(hostile):
    files = build_report(hostile, "csv", lang="nl")
    rows = list(csv.reader(io.StringIO(files["report-nl-csv/ranking.csv"].decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 3 and all(len(r) == len(header) for r in body)
    col = header.index("Score (TOPSIS)")
    scores = [float(r[col].replace(",", ".")) for r in body]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert all("," in r[col] and "." not in r[col] for r in body)  # a decimal comma, not a point


def test_dialects_and_rounding_on_one_table():
    table = Table("t", "ranking", "T", ("id", "Waarde", "Bedrag"), (("a;b", 0.123456789, 1234.5678),),
                  ("id", "score", "money"))
    assert to_csv(table, "excel-nl").decode("utf-8-sig") == 'id;Waarde;Bedrag\r\n"a;b";0,123457;1234,57\r\n'
    assert to_csv(table, "rfc4180").decode("utf-8-sig") == 'id,Waarde,Bedrag\r\n"a;b",0.123457,1234.57\r\n'


def test_markdown_shows_model_text_and_renders_no_link_image_or_html(hostile):
    mistune = pytest.importorskip("mistune")
    md = build_report(hostile, "md", lang="en")["report-en.md"].decode("utf-8")
    assert "[click me](" not in md and "![](" not in md
    html = mistune.html(md)
    assert "example.invalid" in html  # the text is shown ...
    assert 'href="http://example.invalid' not in html  # ... but is no link
    assert "<img" not in html.replace('<img src="report-en-charts/', "")  # only our own charts are images
    assert "<code>code</code>" not in html and "<b>" not in html and "<em>bold</em>" not in html


def test_a_huge_label_is_cut_in_charts_only():
    import time

    from decide.report.charts import MAX_LABEL_LINES, _wrap

    text = (ROOT / "tests" / "data" / "valid_small.yaml").read_text(encoding="utf-8")
    huge = "Suite " + "zeer lange omschrijving " * 8_000  # about 190 000 characters
    text = text.replace("  - id: suite\n", f"  - id: suite\n    label: \"{huge}\"\n", 1)
    analysis = analyse(loads_model(text), samples=200)
    start = time.perf_counter()
    files = build_report(analysis, ("html", "png"), lang="nl")
    assert time.perf_counter() - start < 60
    assert huge.strip() in files["report-nl.html"].decode("utf-8")  # the table keeps the whole label
    assert len(_wrap(huge, 30).splitlines()) == MAX_LABEL_LINES and _wrap(huge, 30).endswith("…")


def test_cli_csv_dialect_option(tmp_path, monkeypatch, capsys):
    from decide.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "r"
    assert main(["report", "models/werkplek.yaml", "--out", str(out), "--format", "csv", "--samples", "200"]) == 0
    nl = (out / "werkplek-nl-csv" / "tco.csv").read_bytes().decode("utf-8-sig")
    assert nl.splitlines()[0].count(";") > 2 and "," in nl.splitlines()[1]  # ';' and a decimal comma
    assert main(["report", "models/werkplek.yaml", "--out", str(out), "--format", "csv", "--samples", "200",
                 "--force", "--csv-dialect", "rfc4180"]) == 0
    rfc = (out / "werkplek-nl-csv" / "tco.csv").read_bytes().decode("utf-8-sig")
    assert ";" not in rfc.splitlines()[0] and rfc.splitlines()[0].count(",") > 2
    assert main(["report", "models/werkplek.yaml", "--out", "", "--format", "csv"]) == 2
    assert "--out" in capsys.readouterr().err
