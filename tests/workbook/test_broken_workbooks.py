"""The corpus of broken workbooks: each gives its located message, or is handled; never a traceback.

The corpus in tests/data/workbooks/ is made by tests/workbook/make_broken_workbooks.py (run it
deliberately to regenerate); expected.yaml beside it says what each workbook must give.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from decide.cli import main
from decide.errors import ModelError
from decide.loader import load_model
from decide.workbook import import_workbook

from .test_roundtrip import _judgments

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "workbooks"
EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))


def test_corpus_is_complete():
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.glob("*.xlsx"))
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_workbook(name):
    path = CORPUS / name
    want = EXPECTED[name]
    if want.get("valid"):
        model, _ = import_workbook(path, lang="en")
        if want["same_as"] is None:
            return
        original = load_model(ROOT / "models" / f"{want['same_as']}.yaml")
        assert _judgments(model.model_dump()) == _judgments(original.model_dump())
        return
    with pytest.raises(ModelError) as info:
        import_workbook(path, lang="en")
    got = info.value.problems
    for exp in want["problems"]:
        place = f"{path}!{exp['place']}" if exp["place"] else str(path)
        hits = [p for p in got if p.code == exp["code"] and (exp["place"] is None and p.file.startswith(str(path))
                                                          or p.file == place)]
        assert hits, f"{name}: expected {exp['code']} at {place}; got {[(p.code, p.file) for p in got]}"
        assert any(exp["text"] in p.message for p in hits), [p.message for p in hits]


@pytest.mark.parametrize("name", sorted(n for n, w in EXPECTED.items() if not w.get("valid")))
def test_cli_exits_2_with_located_message_and_no_traceback(name, capsys):
    code = main(["import", str(CORPUS / name), "--lang", "nl"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and str(CORPUS / name) in err


def test_dutch_messages_for_a_dutch_workbook(capsys):
    code = main(["import", str(CORPUS / "wrong_level.xlsx")])
    err = capsys.readouterr().err
    assert code == 2 and "wrong_level.xlsx!Scores!D7" in err and "gemiddeld" in err


def test_json_problems_carry_their_place(capsys):
    import json

    code = main(["import", str(CORPUS / "formula.xlsx"), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 2 and payload["valid"] is False
    assert {p["place"].rsplit("!", 2)[-2] + "!" + p["place"].rsplit("!", 1)[-1] for p in payload["problems"]} >= {
        "Scores!E3"}
