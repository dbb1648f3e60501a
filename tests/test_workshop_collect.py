"""Tests for decide.workshop.collect and `decide workshop export|status`: store -> model file."""
from __future__ import annotations

import json
import re

import pytest

from decide.cli import main
from decide.loader import load_model
from decide.store import WorkshopInputError, WorkshopStore
from decide.weights import derive
from decide.workshop import collect
from tests.conftest import MODELS

SCORING = """
workshop:
  participants: [Inkoop, Informatiemanagement, Architectuur]
  scoring:
    criteria: [fit, security]
    range: [1, 5]
"""
NAMES = ["Inkoop", "Informatiemanagement", "Architectuur"]


@pytest.fixture()
def filled(tmp_path):
    """A store where the three participants entered the judgements the model file has for them."""
    path = tmp_path / "zaak.yaml"
    path.write_text((MODELS / "zaaksysteem.yaml").read_text(encoding="utf-8") + SCORING, encoding="utf-8")
    model = load_model(path)
    store = WorkshopStore.open(model)
    store.add_participants(NAMES)
    store.add_facilitator("Begeleider")
    for p in model.weights.ahp.participants:
        for a, b, v in p.judgments:
            store.record_judgment(p.name, a, b, v, origin="test")
    return store


def test_export_reproduces_the_model_and_keeps_comments(filled):
    r = collect.export(filled)
    assert r.path.name == "zaak.workshop.yaml"
    assert r.same_weights and r.changed == 0 and r.added == 0 and r.removed == 0 and r.dropped == ()
    text = r.path.read_text(encoding="utf-8")
    assert text.startswith("# [decide workshop]")
    original = filled.model.path
    assert text.splitlines()[1:] == open(original, encoding="utf-8").read().splitlines()  # only the stamp differs
    # the same weights as `decide weights` on the original model, and as the store's group
    np_w = derive(load_model(original)).weights
    assert max(abs(r.weights - np_w.reindex(r.weights.index))) < 1e-12


def test_export_writes_changed_judgements_and_leaves_out_silent_participants(filled):
    filled.record_judgment("Inkoop", "fit", "risk", 7)
    filled.record_judgment("Architectuur", "lock_in", "security", None)
    r = collect.export(filled, filled.path.with_name("uit.yaml"))
    assert r.changed == 1 and r.removed == 1 and r.same_weights
    m = load_model(r.path)
    inkoop = next(p for p in m.weights.ahp.participants if p.name == "Inkoop")
    assert ["fit", "risk", 7] in inkoop.judgments
    with pytest.raises(WorkshopInputError) as err:  # a new file unless forced
        collect.export(filled, r.path)
    assert err.value.code == "exists"
    assert collect.export(filled, r.path, force=True).same_weights


def test_export_committee_scores_agreed_range_and_triangular(filled):
    store = filled
    store.record_score("Inkoop", "suite_saas", "fit", "goed", reasoning="Sluit goed aan op de werkprocessen")
    store.record_score("Informatiemanagement", "suite_saas", "fit", "matig")
    store.record_score("Architectuur", "suite_saas", "fit", "goed")
    store.record_score("Inkoop", "cg_case", "security", 3)
    store.record_score("Architectuur", "cg_case", "security", 3)
    store.record_score("Begeleider", "suite_saas", "fit", "voldoende", reasoning="Na de consensusbespreking")
    agreed = collect.export(store, store.path.with_name("agreed.yaml"))
    m = load_model(agreed.path)
    assert m.alternative("suite_saas").scores["fit"] == "voldoende"
    assert m.alternative("cg_case").scores["security"] == load_model(store.model.path).alternative("cg_case").scores["security"]
    assert agreed.scores_written == 1 and agreed.scores_missing == len(store.plan.cells()) - 1
    rng = load_model(collect.export(store, store.path.with_name("range.yaml"), scores="range").path)
    assert rng.alternative("suite_saas").scores["fit"] == ["matig", "goed"]
    assert rng.alternative("cg_case").scores["security"] == 3  # all agree: a plain score
    tri = load_model(collect.export(store, store.path.with_name("tri.yaml"), scores="triangular").path)
    assert tri.alternative("suite_saas").scores["fit"] == {"low": "matig", "mode": "voldoende", "high": "goed"}
    # the spread reaches the analysis as uncertainty
    low, mode, high, kind = tri.score_bounds()
    assert (low.loc["suite_saas", "fit"], mode.loc["suite_saas", "fit"], high.loc["suite_saas", "fit"]) == (2, 3, 4)
    assert kind[tri.alternative_ids.index("suite_saas"), 0] == "triangular"
    assert tri.has_uncertain_scores


def test_cli_status_and_export(filled, capsys):
    model = filled.model.path
    assert main(["workshop", "status", model, "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert [p["name"] for p in s["progress"]] == NAMES and all(p["judged"] == 13 for p in s["progress"])
    assert s["group_weights"] is not None and s["records"] == 3 * 13
    assert main(["workshop", "status", model, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "Progress per participant" in text and "Group weights so far" in text
    assert main(["workshop", "export", model, "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["same_weights"] and r["participants"] == NAMES
    assert main(["workshop", "export", model, "--out", model]) == 2  # the model itself only with --force
    assert "--force" in capsys.readouterr().err
    assert main(["weights", r["path"], "--json"]) == 0
    w = json.loads(capsys.readouterr().out)["weights"]
    assert w == pytest.approx(r["group_weights"], abs=1e-12)
    assert main(["workshop", "status", model, "--revoke", "Inkoop", "--json"]) == 0
    capsys.readouterr()
    assert filled.person("Inkoop").revoked is not None
    assert main(["workshop", "status", model, "--revoke", "Niemand", "--lang", "en"]) == 2
    assert "'Niemand' is not in this workshop" in capsys.readouterr().err


def test_cli_status_of_an_empty_workshop(tmp_path, capsys):
    path = tmp_path / "w.yaml"
    path.write_text((MODELS / "werkplek.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["workshop", "status", str(path), "--lang", "en"]) == 0
    assert "Nobody has joined yet" in capsys.readouterr().out
    assert main(["workshop", "export", str(path), "--lang", "en"]) == 2
    assert "no judgements have been entered yet" in capsys.readouterr().err


def test_cli_status_speaks_the_language_with_labels_not_pandas(filled, capsys, monkeypatch):
    opts = filled.plan.options
    filled.record_score("Inkoop", opts[0], "fit", 4, origin="test")
    filled.record_score("Architectuur", opts[0], "fit", 2, origin="test")
    filled.record_score("Begeleider", opts[0], "fit", 3, origin="test")
    model = filled.model
    path = model.path
    monkeypatch.setenv("DECIDE_PLAIN", "1")  # as when piped: plain aligned text
    assert main(["workshop", "status", path, "--lang", "nl"]) == 0
    nl = capsys.readouterr().out
    for head in ("Deelnemer", "Paren beoordeeld", "Criterium A", "Laagste", "Standaardafwijking", "Gewicht"):
        assert head in nl
    assert "13 van 13" in nl and "deelnemer" in nl
    assert model.criterion("fit").name("nl") in nl and model.alternative(opts[0]).name("nl") in nl
    weights = [line for line in nl.splitlines() if line.strip().endswith("%")]
    assert weights and all(re.search(r"\d+,\d %$", line) for line in weights)  # Dutch percentages
    # no pandas: no column ids, index names or row numbers, no point decimals in Dutch
    for raw in ("geomean", "judged", "label", "median", "std", "NaN", "None"):
        assert not re.search(rf"\b{raw}\b", nl), raw
    assert not re.search(r"\d\.\d", nl)
    assert f" {opts[0]} " not in nl  # labels, not ids
    assert main(["workshop", "status", path, "--lang", "en", "--ids"]) == 0
    en = capsys.readouterr().out
    assert "Pairs judged" in en and "13 of 13" in en and f"{opts[0]} " in en and " fit " in en
    assert not re.search(r"\d,\d", en.split("Group weights so far")[0])
    # in a terminal the same tables are drawn with rich, nothing cut at 80 columns
    from decide.render import View, render_table

    sections = collect.status(filled).sections(View("en", model=model))
    for sec in sections:
        drawn = render_table(sec.headers, sec.rows, sec.align, rich=True, width=80)
        assert all(len(line) <= 80 for line in drawn.splitlines())
        for head in sec.headers[1:]:  # drawn long when too wide: the first column names each block
            assert all(word in drawn for word in head.split()), head
