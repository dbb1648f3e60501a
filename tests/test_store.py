"""Tests for decide.store: people and tokens, validated records, the audit trail, spread, concurrency."""
from __future__ import annotations

import math
import multiprocessing as mp
import sqlite3

import pytest

from decide.errors import DecideError
from decide.loader import load_model
from decide.store import (FACILITATOR, WorkshopInputError, WorkshopStore, plan, store_path)
from tests.conftest import MODELS

SCORING = """
workshop:
  participants: [Inkoop, Informatiemanagement, Architectuur]
  scoring:
    criteria: [fit, lock_in, security]
    range: [1, 5]
"""


@pytest.fixture()
def scoring_model(tmp_path):
    path = tmp_path / "zaak.yaml"
    path.write_text((MODELS / "zaaksysteem.yaml").read_text(encoding="utf-8") + SCORING, encoding="utf-8")
    return load_model(path)


@pytest.fixture()
def store(scoring_model):
    return WorkshopStore.open(scoring_model)


def test_store_lives_beside_the_model_in_wal_mode(store, scoring_model, tmp_path):
    assert store.path == tmp_path / "zaak.workshop.sqlite"
    assert store_path("models/zaaksysteem.workshop.yaml").name == "zaaksysteem.workshop.sqlite"
    con = sqlite3.connect(store.path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_plan_reads_pairs_people_and_scales(scoring_model):
    p = plan(scoring_model)
    assert len(p.pairs) == 10 + 3  # five top-level criteria, three under risk
    assert p.participants == ("Inkoop", "Informatiemanagement", "Architectuur")
    assert p.evaluators == p.participants
    assert p.criteria == ("fit", "lock_in", "security")
    assert [n for n, _ in p.scales["fit"].levels] == ["onvoldoende", "matig", "voldoende", "goed", "uitstekend"]
    assert [v for _, v in p.scales["security"].levels] == [1, 2, 3, 4, 5]
    assert len(p.cells()) == len(scoring_model.alternatives) * 3


def test_tokens_are_random_hashed_and_revocable(store):
    tokens = store.add_participants(["Inkoop", "Architectuur"])
    fac = store.add_facilitator("Begeleider")
    assert len(set(tokens.values()) | {fac}) == 3 and all(len(t) >= 32 for t in tokens.values())
    stored = sqlite3.connect(store.path).execute("SELECT token_hash FROM people").fetchall()
    assert not any(t in {h for (h,) in stored} for t in tokens.values())  # only hashes are kept
    assert store.authenticate(tokens["Inkoop"]).name == "Inkoop"
    assert store.authenticate(fac).role == FACILITATOR
    t = tokens["Inkoop"]
    altered = t[:-1] + ("A" if t[-1] != "A" else "B")  # one character off (never the token itself)
    for bad in ("", None, "x" * 500, altered, "' OR 1=1 --"):
        assert store.authenticate(bad) is None
    store.revoke("Inkoop")
    assert store.authenticate(tokens["Inkoop"]) is None
    with pytest.raises(WorkshopInputError) as err:
        store.record_judgment("Inkoop", "fit", "risk", 3)
    assert err.value.code == "revoked"
    new = store.reissue("Inkoop")
    assert store.authenticate(new).name == "Inkoop" and store.authenticate(tokens["Inkoop"]) is None
    with pytest.raises(WorkshopInputError) as err:
        store.add_participants(["Architectuur"])
    assert err.value.code == "duplicate-participant"


def test_judgments_are_kept_with_their_previous_value(store):
    store.add_participants(["Inkoop"])
    r1 = store.record_judgment("Inkoop", "risk", "fit", 3)  # given the other way round
    assert (r1.a, r1.b, r1.value, r1.previous) == ("fit", "risk", pytest.approx(1 / 3), None)
    r2 = store.record_judgment("Inkoop", "fit", "risk", "1/5")
    assert r2.previous == pytest.approx(1 / 3) and r2.value == pytest.approx(0.2)
    store.record_judgment("Inkoop", "lock_in", "security", 2)
    store.record_judgment("Inkoop", "lock_in", "security", None)  # cleared: skipped again
    assert store.judgments("Inkoop") == {("fit", "risk"): pytest.approx(0.2)}
    trail = store.audit("Inkoop")
    assert [(r.a, r.b, r.value, r.previous) for r in trail] == [
        ("fit", "risk", pytest.approx(1 / 3), None), ("fit", "risk", 0.2, pytest.approx(1 / 3)),
        ("lock_in", "security", 2.0, None), ("lock_in", "security", None, 2.0)]
    assert trail[0].at < trail[-1].at


@pytest.mark.parametrize("a,b,value,code", [
    ("fit", "risk", 10, "judgment-range"),
    ("fit", "risk", "1/10", "judgment-range"),
    ("fit", "risk", 0, "judgment-value"),
    ("fit", "risk", "veel", "judgment-value"),
    ("fit", "risk", float("nan"), "judgment-value"),
    ("fit", "kosten", 3, "unknown-criterion"),
    ("fit", "lock_in", 3, "judgment-not-siblings"),
    ("fit", "fit", 3, "judgment-self"),
])
def test_bad_judgments_are_refused_and_nothing_is_stored(store, a, b, value, code):
    store.add_participants(["Inkoop"])
    with pytest.raises(WorkshopInputError) as err:
        store.record_judgment("Inkoop", a, b, value)
    assert err.value.code == code
    assert isinstance(err.value, DecideError)
    assert store.audit() == []


def test_error_messages_are_in_the_workshop_language(scoring_model, tmp_path):
    nl = WorkshopStore(tmp_path / "nl.sqlite", scoring_model)
    en = WorkshopStore(tmp_path / "en.sqlite", scoring_model, lang="en")
    for s in (nl, en):
        s.add_participants(["Inkoop"])
    with pytest.raises(WorkshopInputError, match="tussen 1/9 en 9"):
        nl.record_judgment("Inkoop", "fit", "risk", 12)
    with pytest.raises(WorkshopInputError, match="between 1/9 and 9"):
        en.record_judgment("Inkoop", "fit", "risk", 12)


def test_scores_with_reasoning_levels_and_the_agreed_value(store):
    store.add_participants(["Inkoop", "Informatiemanagement"])
    store.add_facilitator("Begeleider")
    store.record_score("Inkoop", "suite_saas", "fit", "goed", reasoning="Dekt intake en archief volledig.")
    store.record_score("Informatiemanagement", "suite_saas", "fit", 2)
    store.record_score("Inkoop", "suite_saas", "security", 5)
    assert store.scores("Inkoop")[("suite_saas", "fit")].value == 4.0
    assert store.scores("Inkoop")[("suite_saas", "fit")].reasoning == "Dekt intake en archief volledig."
    store.record_score("Begeleider", "suite_saas", "fit", "voldoende", reasoning="Na bespreking")
    assert store.agreed() == {("suite_saas", "fit"): store.scores("Begeleider")[("suite_saas", "fit")]}
    assert "Begeleider" not in store.all_scores()
    spread = store.score_spread()
    top = spread.iloc[0]
    assert (top.option, top.criterion, top.low, top.high, top["range"], top.agreed) == ("suite_saas", "fit", 2, 4, 2, 3)
    assert top.relative == pytest.approx(0.5)


@pytest.mark.parametrize("option,criterion,value,code", [
    ("suite_saas", "fit", 6, "score-scale"),
    ("suite_saas", "fit", "prima", "score-scale"),
    ("suite_saas", "security", 3.5, "score-scale"),
    ("suite_saas", "innovation", 3, "unknown-criterion"),
    ("suite_saas", "kosten", 3, "unknown-criterion"),
    ("mainframe", "fit", 3, "unknown-option"),
])
def test_bad_scores_are_refused_and_nothing_is_stored(store, option, criterion, value, code):
    store.add_participants(["Inkoop"])
    with pytest.raises(WorkshopInputError) as err:
        store.record_score("Inkoop", option, criterion, value)
    assert err.value.code == code
    assert store.audit() == []


def test_only_evaluators_score_and_facilitators_do_not_judge(store):
    store.add_participants(["Inkoop", "Gast"])
    fac = store.add_facilitator()
    with pytest.raises(WorkshopInputError) as err:
        store.record_score("Gast", "suite_saas", "fit", 3)
    assert err.value.code == "not-allowed"
    with pytest.raises(WorkshopInputError) as err:
        store.record_judgment(store.authenticate(fac), "fit", "risk", 3)
    assert err.value.code == "not-allowed"


def test_model_without_scoring_refuses_scores(tmp_path):
    model = load_model(MODELS / "zaaksysteem.yaml")
    s = WorkshopStore(tmp_path / "w.sqlite", model)
    s.add_participants(["Inkoop"])
    assert not s.plan.scoring
    with pytest.raises(WorkshopInputError) as err:
        s.record_score("Inkoop", "suite_saas", "fit", 3)
    assert err.value.code == "no-scoring"


def test_audit_trail_cannot_be_rewritten(store):
    store.add_participants(["Inkoop"])
    store.record_judgment("Inkoop", "fit", "risk", 3)
    con = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE records SET value = 9")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM records")


def test_progress_counts_judged_pairs_and_scored_cells(store):
    store.add_participants(["Inkoop", "Architectuur"])
    for a, b in store.plan.pairs:
        store.record_judgment("Inkoop", a, b, 2)
    store.record_judgment("Architectuur", "fit", "risk", 2)
    store.record_score("Architectuur", "suite_saas", "fit", 3)
    frame = store.progress().to_frame()
    assert frame.loc["Inkoop", "judged"] == 13 and frame.loc["Inkoop", "pairs"] == 13
    assert frame.loc["Architectuur", "judged"] == 1 and frame.loc["Architectuur", "scored"] == 1
    assert frame.loc["Architectuur", "cells"] == len(store.plan.cells())
    assert not store.progress().finished("Inkoop")  # scores still missing


def test_judgment_spread_aczel_saaty_geometric_mean(store):
    # Aczel, J. & Saaty, T.L. (1983). Procedures for synthesizing ratio judgements. J. Math.
    # Psychology 27:93-102: the synthesis of the judgements 2, 3 and 4 is their geometric mean 24^(1/3).
    store.add_participants(["Inkoop", "Informatiemanagement", "Architectuur"])
    for name, v in zip(["Inkoop", "Informatiemanagement", "Architectuur"], (2, 3, 4)):
        store.record_judgment(name, "fit", "risk", v)
    store.record_judgment("Inkoop", "lock_in", "security", 9)
    store.record_judgment("Architectuur", "lock_in", "security", "1/9")
    spread = store.judgment_spread()
    assert (spread.iloc[0].a, spread.iloc[0].b, spread.iloc[0].steps) == ("lock_in", "security", 16)
    row = spread[(spread.a == "fit") & (spread.b == "risk")].iloc[0]
    assert row.geomean == pytest.approx(24 ** (1 / 3), rel=1e-12)
    assert (row.n, row.low, row.high, row.steps) == (3, 2, 4, 2)


def test_session_gives_the_group_weights_of_the_store(store):
    from decide.weights import derive

    store.add_participants(["Inkoop", "Architectuur", "Gast"])
    model = store.model
    for name, src in zip(["Inkoop", "Architectuur"], model.weights.ahp.participants):
        for a, b, v in src.judgments:
            store.record_judgment(name, a, b, v)
    s = store.session()
    assert s.participants == ["Inkoop", "Architectuur"]  # Gast judged nothing
    two = model.replace(weights={"method": "ahp", "ahp": {"participants": [
        {"name": n, "judgments": p.judgments} for n, p in zip(["Inkoop", "Architectuur"],
                                                              model.weights.ahp.participants)]}})
    expected = derive(two).weights
    got = s.derive().weights
    assert max(abs(got - expected.reindex(got.index))) < 1e-12


def _writer(path: str, model_path: str, name: str, n: int, barrier) -> None:
    model = load_model(model_path)
    s = WorkshopStore(path, model)
    pairs = s.plan.pairs
    barrier.wait()
    for k in range(n):
        a, b = pairs[k % len(pairs)]
        s.record_judgment(name, a, b, (k % 9) + 1)
        s.record_score(name, "suite_saas", "security", (k % 5) + 1, reasoning=f"ronde {k}")


def test_concurrent_writers_from_several_processes_lose_nothing(store, scoring_model):
    names = ["Inkoop", "Informatiemanagement", "Architectuur"]
    store.add_participants(names)
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(names))
    n = 40
    procs = [ctx.Process(target=_writer, args=(str(store.path), scoring_model.path, name, n, barrier))
             for name in names]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    trail = store.audit()
    assert len(trail) == len(names) * n * 2
    # each record's previous value is the value it really replaced (the chain per key is unbroken)
    last: dict = {}
    for r in trail:
        key = (r.who, r.kind, r.a, r.b)
        assert r.previous == last.get(key)
        last[key] = r.value
    assert {r.who for r in trail} == set(names)
    for name in names:
        assert store.scores(name)[("suite_saas", "security")].value == ((n - 1) % 5) + 1
    assert not math.isnan(store.judgment_spread().steps.max())


def test_workshop_section_is_validated_like_the_rest_of_the_model(tmp_path):
    from decide.errors import ModelError

    bad = """
workshop:
  participants: [Inkoop, Inkoop]
  scoring:
    criteria: [fitt, lock_in]
    range: [5, 1]
    step: 0
"""
    path = tmp_path / "bad.yaml"
    path.write_text((MODELS / "zaaksysteem.yaml").read_text(encoding="utf-8") + bad, encoding="utf-8")
    with pytest.raises(ModelError) as err:
        load_model(path)
    assert set(err.value.codes) >= {"duplicate-id", "unknown-criterion", "range-order", "out-of-range"}
    assert "workshop.scoring.criteria[0]" in str(err.value) and "did you mean 'fit'" in str(err.value)
