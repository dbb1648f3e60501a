"""Ways out of an infeasible portfolio come in a buyer's order, and scenario notes in any language."""
from __future__ import annotations

from pathlib import Path

from decide.loader import load_model
from decide.portfolio import scenarios
from decide.portfolio_model import from_model
from decide.portfolio.backends import Backend
from decide.portfolio.infeasibility import Finding, elastic, order_ways
from decide.portfolio.scenario_runs import scenario_note

ROOT = Path(__file__).resolve().parents[2]


def _one_suite_and_a_catalogue():
    """Dataplatform with only the hyperscaler suite and the open-source catalogue allowed: every
    module can be covered, but the suite alone is 86 % of the spend against a 70 % cap."""
    problem = from_model(load_model(ROOT / "models" / "dataplatform.yaml"), lang="en")
    ban = tuple(i for i in problem.options.index if i not in ("hyperscaler", "oss_catalog"))
    return problem.replace(ban=ban)


def test_a_rule_change_that_keeps_the_modules_comes_before_dropping_them():
    """The first way out changes a rule and keeps every module ("allow a larger supplier
    share"); a way that makes modules optional, or buys nothing, never comes first."""
    found = elastic(_one_suite_and_a_catalogue(), Backend("highs", 60, None, None))
    first = [f for f in found if f.alternative == 1]
    codes = {f.code for f in first}
    assert "relax_cover" not in codes
    assert "relax_max_supplier_share" in codes
    head = next(f for f in first if f.code == "relax_alternative")
    assert head.params["index"] == 1 and set(head.params["chosen"]) == {"hyperscaler", "oss_catalog"}
    # a way that buys nothing, if reported, is the last one
    heads = [f for f in found if f.code == "relax_alternative"]
    empty = [h.alternative for h in heads if not h.params.get("chosen")]
    assert all(a == len(heads) for a in empty)


def test_order_ways_keeps_findings_outside_ways_and_renumbers():
    fs = [Finding("budget_short", {}),
          Finding("relax_alternative", {"index": 1, "chosen": []}, alternative=1),
          Finding("relax_cover", {"module": "m"}, alternative=1),
          Finding("relax_alternative", {"index": 2, "chosen": ["a"]}, alternative=2),
          Finding("relax_min_suppliers", {"limit": 2, "achievable": 1}, alternative=2)]
    out = order_ways(fs)
    assert out[0].code == "budget_short"
    assert [(f.code, f.alternative) for f in out[1:]] == [
        ("relax_alternative", 1), ("relax_min_suppliers", 1), ("relax_alternative", 2), ("relax_cover", 2)]
    assert out[1].params["index"] == 1 and out[3].params["index"] == 2


def test_scenario_notes_exist_in_both_languages_whatever_language_they_were_computed_in():
    model = load_model(ROOT / "models" / "zaaksysteem.yaml")  # a Dutch model
    frame = scenarios(from_model(model, lang="nl"), lang="nl")
    en = scenario_note(frame, "only_commercial", "en")
    nl = scenario_note(frame, "only_commercial", "nl")
    assert en.startswith("Way 1") and "Mogelijkheid" not in en
    assert nl.startswith("Mogelijkheid 1") and "Way" not in nl
    assert "largest supplier share" in en and "budget" in en
