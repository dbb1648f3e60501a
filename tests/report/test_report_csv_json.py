"""CSV (RFC 4180, comma, point decimals, UTF-8 BOM, both languages) and JSON (keyed by ids, NaN -> null)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from decide.report.csv_json import csv_cell, jsonable
from decide.report.tables import build_tables


def _rows(data: bytes, lang: str = "en") -> list[list[str]]:
    """Rows of a CSV export, read with its language's default dialect (nl ';', en ',')."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";" if lang == "nl" else ","))


def _num(cell: str, lang: str) -> float:
    return float(cell.replace(",", ".") if lang == "nl" else cell)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_csv_per_table(zaak, zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en
    tables = build_tables(zaak, lang)
    csvs = {k.split("/")[-1][:-4]: v for k, v in files.items() if k.endswith(".csv")}
    assert set(csvs) == set(tables)
    for key, data in csvs.items():
        assert data.startswith(b"\xef\xbb\xbf"), f"{key}: UTF-8 with BOM so Excel reads Dutch characters"
        assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), f"{key}: CRLF line ends (RFC 4180)"
        rows = _rows(data, lang)
        assert rows[0] == list(tables[key].columns)
        assert len(rows) == len(tables[key].rows) + 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_csv_numbers_are_machine_readable_in_both_languages(zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en
    rows = _rows(files[f"zaaksysteem-{lang}-csv/tco.csv"], lang)
    header, body = rows[0], rows[1:]
    assert header[0] == ("optie-id" if lang == "nl" else "option id")
    for r in body:
        for cell in r[3:]:
            _num(cell, lang)  # the dialect's decimal mark, no thousands separator, no currency sign
            assert ("." if lang == "nl" else ",") not in cell and "€" not in cell
    ranking = _rows(files[f"zaaksysteem-{lang}-csv/ranking.csv"], lang)
    assert ranking[1][0] == "1" and _num(ranking[1][4], lang) > _num(ranking[2][4], lang)


def test_csv_dutch_characters_survive(zaak_nl):
    text = zaak_nl["zaaksysteem-nl-csv/weights.csv"].decode("utf-8-sig")
    assert "Continuïteit leverancier" in text


def test_csv_cells():
    assert csv_cell(None) == "" and csv_cell(True) == "true" and csv_cell(3) == "3"
    assert csv_cell(0.1) == "0.1" and csv_cell(-2.5) == "-2.5" and csv_cell(float("nan")) == ""
    assert csv_cell(0.8301522173658775) == "0.830152"  # 6 significant digits; JSON keeps them all
    assert csv_cell(1234567.891, "money") == "1234567.89" and csv_cell(2.5e-7) == "0.00000025"
    assert csv_cell(0.25, "weight", ",") == "0,25"
    assert csv_cell("=1+1") == "'=1+1" and csv_cell("gewoon") == "gewoon"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_json_everything_keyed_by_ids(zaak, zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en

    def refuse(name):
        raise AssertionError(f"JSON holds {name}")

    data = json.loads(files[f"zaaksysteem-{lang}.json"], parse_constant=refuse)
    assert data["report"]["language"] == lang
    assert data["report"]["winner"] == zaak.winner()
    assert data["report"]["recommendation"][0].startswith("Aanbeveling" if lang == "nl" else "Recommendation")
    assert {"tco", "weights", "ranking", "comparison", "sensitivity", "allocation", "frontier", "scenarios", "review",
            "provenance", "tables"} <= set(data)
    assert set(data["tco"]) == set(zaak.tco.index)
    assert [r["id"] for r in data["ranking"]["ranking"]] == list(zaak.ranking.to_frame().index)
    assert data["allocation"]["chosen"] == list(zaak.allocation.chosen)
    assert set(data["weights"]["weights"]) == {c.id for c in zaak.model.leaves()}
    assert data["provenance"]["model_sha256"] == zaak.model.sha256
    # NaN became null (SMAA central weights of options that are never first)
    cw = data["sensitivity"]["smaa"]
    assert "null" in json.dumps(cw) or cw
    assert data["tables"]["ranking"]["rows"][0][1] == zaak.winner()


def test_jsonable_maps_nan_and_numpy():
    import numpy as np

    out = jsonable({"a": float("nan"), "b": np.float64(1.5), "c": (1, 2), 3: np.int64(4), "d": np.array([1.0, np.inf])})
    assert out == {"a": None, "b": 1.5, "c": [1, 2], "3": 4, "d": [1.0, None]}
    json.dumps(out, allow_nan=False)
