"""YAML -> workbook -> YAML gives the same model, for every model file in models/.

The model files are globbed, so a model an engineer adds or changes later is covered. "The same"
is checked three ways: the model file's data itself (every key, including keys the workbook has
no sheet for), the validated model, and what decide computes from it (the validate summary,
weights, ranking and portfolio, from the command line's JSON).
"""
from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest

from decide.cli import main
from decide.loader import load_model, parse_yaml
from decide.workbook import import_workbook, read_workbook, workbook_bytes, write_model_yaml, write_workbook

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted((ROOT / "models").glob("*.yaml"))


def _judgments(data: dict) -> dict:
    """AHP judgements as a set per participant: the matrix keeps each pair, not the list's order."""
    data = copy.deepcopy(data)
    ahp = (data.get("weights") or {}).get("ahp") or {}
    for p in ahp.get("participants") or []:
        p["judgments"] = sorted((a, b, str(Fraction(str(v)))) for a, b, v in p.get("judgments") or [])
    return data


def _raw(path: Path) -> dict:
    return parse_yaml(path.read_text(encoding="utf-8"), str(path))[0]


def _cli_json(capsys, *args: str) -> dict:
    code = main([*args, "--json"])
    out = capsys.readouterr().out
    assert code in (0, 3), out
    return json.loads(out)


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_every_model_round_trips(path, tmp_path, capsys):
    xlsx = write_workbook(tmp_path / "model.xlsx", path)
    model, data = import_workbook(xlsx)
    back = write_model_yaml(data, tmp_path / "model.yaml", source=str(xlsx))

    # 1. the file's data: every key and value, in any section
    assert _judgments(_raw(back)) == _judgments(_raw(path))
    # 2. the validated model
    original = load_model(path)
    assert _judgments(load_model(back).model_dump()) == _judgments(original.model_dump())
    assert _judgments(model.model_dump()) == _judgments(original.model_dump())
    # 3. what decide computes from it
    commands = ["validate", "weights", "rank"] + (["allocate"] if original.allocation is not None else [])
    for command in commands:
        a = _cli_json(capsys, command, str(path))
        b = _cli_json(capsys, command, str(back))
        for payload in (a, b):
            payload.pop("file", None)
            (payload.get("summary") or {}).pop("sha256", None)
            payload.pop("provenance", None)
        assert a == b, command


def test_keys_without_a_sheet_are_carried(tmp_path):
    """Keys other engineers add to the schema travel through the settings sheet and extra columns."""
    data = _raw(ROOT / "models" / "zaaksysteem.yaml")
    data["criteria"][0]["range"] = [1, 5]
    data["criteria"][0]["value_function"] = {"points": [[1, 0], [3, 0.6], [5, 1]]}
    data["criteria"][1]["children"][0]["baseline"] = 0.2
    data["alternatives"][0]["costs"]["once"] = [150000, 210000]
    data["alternatives"][1]["costs"]["risk_premium"] = 0.1
    data["allocation"]["rules"]["share_base"] = "suppliers"
    data["allocation"]["modules"][0]["baseline"] = 0.25
    data["award"] = {"formula": "relative", "bids": [{"option": "suite_saas", "price": 1250000,
                                                      "quality": {"plan": 7.5, "team": "goed"}}]}
    data["strategy"]["free_text"] = "=HYPERLINK(\"http://x\", \"klik\") en: verder: [niet] {geen yaml}"
    data["weights"]["ahp"]["participants"][1]["role"] = "CIO"
    xlsx = tmp_path / "future.xlsx"
    xlsx.write_bytes(workbook_bytes(data))
    reading = read_workbook(xlsx)
    assert reading.problems == []
    assert _judgments(reading.data) == _judgments(data)


def test_template_filled_in_by_hand_validates(tmp_path):
    import openpyxl

    path = write_workbook(tmp_path / "new.xlsx", template="nl")
    wb = openpyxl.load_workbook(path)
    options, scores, settings = wb["Opties"], wb["Scores"], wb["Instellingen"]
    head = {c.value: c.column for c in options[1]}
    # what a buyer types: amounts with Dutch separators as text, a level from the dropdown, a range
    for row, (once, yearly) in ((2, ("45.000,00", 62000)), (3, (380000, "95000"))):
        options.cell(row=row, column=head["costs.once"], value=once)
        options.cell(row=row, column=head["costs.yearly"], value=yearly)
    shead = {c.value: c.column for c in scores[1]}
    for row, (fit, lock_in, continuity) in ((2, ("goed", 4, 5)), (3, ("voldoende", 1, "[2, 4]"))):
        scores.cell(row=row, column=shead["fit"], value=fit)
        scores.cell(row=row, column=shead["lock_in"], value=lock_in)
        scores.cell(row=row, column=shead["continuity"], value=continuity)
    for row in settings.iter_rows(min_row=2):
        if row[0].value == "title.nl":
            row[1].value = "Vervanging zaaksysteem gemeente Voorbeeld"
    wb.save(path)
    model, data = import_workbook(path)
    assert model.alternative("market").costs.once == 45000.0
    assert model.alternative("in_house").costs.yearly == 95000.0
    assert model.alternative("in_house").scores["continuity"] == [2, 4]
    assert model.name("nl") == "Vervanging zaaksysteem gemeente Voorbeeld"
    assert [c.id for c in model.leaves()] == ["cost", "fit", "lock_in", "continuity"]


def test_workbook_in_the_other_language_reads_back_the_same(tmp_path):
    path = ROOT / "models" / "zaaksysteem.yaml"  # a Dutch model, its workbook in English
    xlsx = write_workbook(tmp_path / "en.xlsx", path, lang="en")
    import openpyxl

    assert openpyxl.load_workbook(xlsx).sheetnames[:4] == ["Instructions", "Settings", "Criteria", "Options"]
    model, _ = import_workbook(xlsx)
    assert _judgments(model.model_dump()) == _judgments(load_model(path).model_dump())


def test_ahp_matrix_fractions_and_a_pair_filled_twice(tmp_path):
    import openpyxl

    from decide.errors import ModelError

    xlsx = write_workbook(tmp_path / "m.xlsx", ROOT / "models" / "dataplatform.yaml")
    wb = openpyxl.load_workbook(xlsx)
    ws = wb["AHP"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=1, max_row=8)}
    header = [c.value for c in next(r for r in ws.iter_rows(min_row=2, max_row=2))]
    a, b = header[1], header[2]  # the first pair of the first participant
    rows[a][2].value = "1/3"  # typed as text, as the cell's text format keeps it
    wb.save(xlsx)
    model, data = import_workbook(xlsx)
    judged = {(x, y): v for x, y, v in data["weights"]["ahp"]["participants"][0]["judgments"]}
    assert judged[(a, b)] == "1/3"
    rows[b][1].value = 3  # now the same pair also in the other triangle
    wb.save(xlsx)
    with pytest.raises(ModelError) as info:
        import_workbook(xlsx, lang="en")
    assert [(p.code, p.file.rsplit("!", 1)[-1]) for p in info.value.problems] == [("judgment-twice", rows[b][1].coordinate)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_value_model_award_workshop_and_practices_round_trip(tmp_path, capsys, lang):
    """Every field of the value model, the award, the workshop and the strategy's practices survives.

    Value functions on a scale and on numbers (points and a mapping with number keys), uncertain
    costs as {low, high} and a yearly list, an optional module with a baseline, shares on the
    suppliers' spend, a workshop with evaluators, and best practices given as true/false, as a text
    and as a text that reads like yes/no: the same data, the same model, the same results.
    """
    import yaml

    data = _raw(ROOT / "models" / "zaaksysteem.yaml")
    data["criteria"][0]["value_function"] = {"onvoldoende": 0, "matig": 0.3, "voldoende": 0.6, "goed": 0.85,
                                             "uitstekend": 1}
    data["criteria"][1]["children"][1]["value_function"] = [[1, 0], [3, 0.6], [5, 1]]
    data["criteria"][2]["value_function"] = {1: 0, 3: 0.5, 5: 1}
    data["alternatives"][0]["costs"]["once"] = {"low": 150000, "high": 210000}
    data["alternatives"][1]["costs"]["yearly"] = [100000, 110000, 120000, 120000, 120000, 120000]
    data["allocation"]["modules"][3].update(required=False, baseline=0.25)
    data["allocation"]["rules"]["share_base"] = "suppliers"
    data["award"] = _raw(ROOT / "models" / "werkplek.yaml")["award"]
    data["strategy"].update(agile_contracting="In sprints met een vaste teamprijs", supplier_partnership=False,
                            knowledge_sharing={"nl": "ja", "en": "true"})
    data["workshop"] = {"participants": ["Inkoop", "Architectuur"],
                        "scoring": {"evaluators": ["Jansen", "De Vries"], "criteria": ["fit", "security"],
                                    "range": [1, 5], "step": 0.5}}
    path = tmp_path / "model.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    original = load_model(path)
    assert (original.strategy.knowledge_sharing.nl, original.strategy.knowledge_sharing.en) == ("ja", "true")

    xlsx = write_workbook(tmp_path / "model.xlsx", path, lang=lang)
    model, back_data = import_workbook(xlsx)
    back = write_model_yaml(back_data, tmp_path / "back.yaml", source=str(xlsx))
    assert _judgments(_raw(back)) == _judgments(data)
    assert _judgments(model.model_dump()) == _judgments(original.model_dump())
    for command in ("validate", "weights", "rank", "allocate", "award"):
        a = _cli_json(capsys, command, str(path))
        b = _cli_json(capsys, command, str(back))
        for payload in (a, b):
            payload.pop("file", None)
            (payload.get("summary") or {}).pop("sha256", None)
            payload.pop("provenance", None)
        assert a == b, command
