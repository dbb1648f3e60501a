"""The Excel commands on the command line: outputs, --json, refusals with exit 2 and no traceback."""
from __future__ import annotations

import json
from pathlib import Path

from decide.cli import main
from decide.loader import load_model

ROOT = Path(__file__).resolve().parents[2]


def test_workbook_and_import_json(tmp_path, capsys):
    xlsx, yml = tmp_path / "w.xlsx", tmp_path / "w.yaml"
    assert main(["workbook", str(ROOT / "models" / "werkplek.yaml"), "--out", str(xlsx), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"out": str(xlsx), "template": False}
    assert main(["import", str(xlsx), "--out", str(yml), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] and payload["summary"]["alternatives"] == 5 and payload["out"] == str(yml)
    assert load_model(yml).name("en") == "Digital workplace, national agency Voorbeeld"


def test_refusals_exit_2_without_traceback(tmp_path, capsys):
    xlsx = tmp_path / "w.xlsx"
    assert main(["workbook", "--out", str(xlsx)]) == 2  # neither a model nor --template
    assert main(["workbook", "--template", "--out", str(xlsx)]) == 0
    assert main(["workbook", "--template", "--out", str(xlsx)]) == 2  # exists, no --force
    assert main(["workbook", "--template", "--out", str(xlsx), "--force"]) == 0
    assert main(["workbook", str(ROOT / "tests" / "data" / "broken" / "five_mistakes.yaml"), "--out",
                 str(tmp_path / "x.xlsx")]) == 2  # a broken model file gets no workbook
    assert main(["import", str(tmp_path / "missing.xlsx")]) == 2
    assert main(["import", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "--force" in err and "--template" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_template_import_lists_what_to_fill_in(tmp_path, capsys):
    xlsx = tmp_path / "new.xlsx"
    assert main(["workbook", "--template", "--lang", "en", "--out", str(xlsx)]) == 0
    assert main(["import", str(xlsx)]) == 2
    err = capsys.readouterr().err
    assert "new.xlsx!Scores!C2" in err and "new.xlsx!Options!A2" in err and "Traceback" not in err
