"""Scope-aware ranking (decide.scope): per module like with like; the portfolio is the headline."""
from __future__ import annotations

import contextlib
import io
import json

from decide.cli import main
from decide.facade import analyse
from decide.loader import load_model


def test_zaaksysteem_module_rankings_and_why_the_best_is_out():
    a = analyse(load_model("models/zaaksysteem.yaml"), samples=0, frontier_points=0, portfolio_samples=0)
    mr = a.module_rankings
    assert set(mr) == {"intake", "case", "documents", "archive"}
    # only options that cover the module are ranked for it
    assert set(mr["intake"].ids) == {"suite_saas", "suite_onprem", "cg_forms", "commercial_forms"}
    assert "archive_saas" not in mr["archive"].ids  # knocked out by the BIO requirement
    notes = {n.module: n for n in a.module_notes}
    assert notes["intake"].reason == "chosen" and notes["intake"].option == "cg_forms"
    # the in-house build ranks first for case handling but the budget keeps it out
    assert notes["case"].option == "inhouse_case" and notes["case"].reason == "budget"
    budget = a.allocation.verdict("budget")
    assert "inhouse_case" in budget.blocked
    texts = a.module_texts("en")
    assert any("the budget keeps it out" in x for x in texts)


def test_ranking_only_model_keeps_the_single_ranking():
    a = analyse(load_model("models/werkplek.yaml"), samples=0)
    assert a.module_rankings == {} and a.module_texts() == []
    # no allocation section, so no portfolio to hold a module's best option: the stage says so
    assert a.module_notes is None and a.unavailable("module_notes").key == "no_allocation"
    assert a.unavailable("module_notes").text("nl") == "het model heeft geen allocation-sectie (alleen een ranking)"


def test_demo_headline_is_the_recommended_portfolio(tmp_path):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert main(["demo", "models/zaaksysteem.yaml", "--out", str(tmp_path)]) == 0
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("Portfolio: Open Formulieren")
    assert not any(x.startswith("Beste optie") for x in lines)
    assert any("budget houdt haar buiten het portfolio" in x for x in lines)


def test_rank_json_has_a_ranking_per_module():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["rank", "models/dataplatform.yaml", "--json"]) == 0
    d = json.loads(out.getvalue())
    assert set(d["modules"]) == {"storage", "analytics", "catalog", "ml"}
    assert {r["id"] for r in d["modules"]["analytics"]["ranking"]} == {"hyperscaler", "oss_analytics", "commercial_bi"}
