"""One verdict per rule: computed once on the Allocation, printed the same by every face.

The faces are the command line (``decide allocate``), the report (rules table), the review
and the workshop's portfolio panel (notebook 3). For every rule of every example model with an
allocation, and for every kind of rule a model can set (the examples leave some unset: those are
set on variants of an example built here), each face must print the verdict's own sentence, so
they cannot disagree.
"""
from __future__ import annotations

import contextlib
import html
import io
from pathlib import Path

import pytest
import yaml

from decide.cli import main
from decide.facade import analyse
from decide.loader import load_model
from decide.portfolio import RULE_NAMES, Problem, optimise
from decide.portfolio_model import from_model

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted(p for p in (ROOT / "models").glob("*.yaml") if load_model(p).allocation is not None)


def test_slack_rule_that_costs_value_names_the_portfolio_it_blocks():
    """Two modules, an SME rule of 40 % of the spend on all options.

    Without the rule the large vendor's options win A and B (value 10 + 10, TCO 100 + 100).
    With it, the best portfolio that meets the rule is the SME option for A (TCO 150) with the
    large vendor's B: SME share 150 / 250 = 60 %, well above 40 %: the rule is not tight, yet it
    costs 20 - 17 = 3 of value, and it blocked exactly {big_a, big_b}."""
    opts = [
        dict(id="big_a", supplier="big", value=10, tco=100, covers=["A"]),
        dict(id="big_b", supplier="big", value=10, tco=100, covers=["B"]),
        dict(id="sme_a", supplier="sme", value=7, tco=150, covers=["A"]),
    ]
    p = Problem(opts, modules=[dict(id="A"), dict(id="B")],
                suppliers=[dict(id="big", sme=False), dict(id="sme", sme=True)], budget=1000,
                rules={"min_sme_share": 0.4})
    a = optimise(p)
    assert a.chosen == ("big_b", "sme_a")
    v = a.verdict("min_sme_share")
    assert not v.tight and v.price == pytest.approx(3.0) and v.state == "costly"
    assert v.blocked == ("big_a", "big_b")
    assert v.blocked_value == pytest.approx(20.0) and v.blocked_cost == pytest.approx(200.0)
    assert "big_a, big_b" in v.text("en") and "3.000 more value" in v.text("en")
    assert "min_sme_share" in a.limiting_rules
    budget = a.verdict("budget")
    assert budget.state == "slack" and budget.blocked is None
    d = a.to_dict("nl")["verdicts"]["min_sme_share"]
    assert d["blocked"]["chosen"] == ["big_a", "big_b"] and d["state"] == "costly"


def test_tight_budget_prices_the_portfolio_it_blocks():
    opts = [dict(id="a", value=5, tco=60), dict(id="b", value=4, tco=40), dict(id="c", value=3, tco=50)]
    a = optimise(Problem(opts, budget=100))
    assert set(a.chosen) == {"a", "b"}
    v = a.verdict("budget")
    assert v.tight and v.state == "tight_costly" and v.price == pytest.approx(3.0)
    assert set(v.blocked) == {"a", "b", "c"} and v.blocked_cost == pytest.approx(150.0)


def test_pinned_and_banned_options_and_the_least_value_have_a_price():
    """Pins and bans are lifted as a group; the least value of a cost objective is switched off.

    Budget 100: the optimum is {a, b} (value 9, TCO 100). Banning a leaves {b, c} (value 7),
    and so does pinning c (50 of the budget left: b fits, a does not): each costs 9 - 7 = 2 and
    blocks {a, b}. With a required module M (x or y) and an optional N (z), least TCO with value
    >= 5 is {y} (value 6, TCO 50; {x, z} has value 5 but TCO 55); without the least value it is
    {x} (TCO 20): the rule raises the cost by 30 without being tight (6 > 5)."""
    opts = [dict(id="a", value=5, tco=60), dict(id="b", value=4, tco=40), dict(id="c", value=3, tco=50)]
    for kind, ids in (("ban", ("a",)), ("pin", ("c",))):
        a = optimise(Problem(opts, budget=100, **{kind: ids}))
        assert a.chosen == ("b", "c")
        v = a.verdict(kind)
        assert v.state == "costly" and v.price == pytest.approx(2.0), kind
        assert v.blocked == ("a", "b") and v.blocked_value == pytest.approx(9.0)
        assert a.rules.loc[kind, "limit"] == 1 and a.rules.loc[kind, "actual"] == 1
    free = optimise(Problem(opts, budget=100, pin=("a",), ban=("c",)))
    assert free.verdict("pin").state == "slack" and free.verdict("ban").state == "slack"
    assert free.limiting_rules == []

    opts = [dict(id="x", value=2, tco=20, covers=["M"]), dict(id="y", value=6, tco=50, covers=["M"]),
            dict(id="z", value=3, tco=35, covers=["N"])]
    a = optimise(Problem(opts, modules=[dict(id="M"), dict(id="N", required=False)], objective="cost",
                         min_value=5, budget=1000))
    assert a.chosen == ("y",) and a.total_cost == pytest.approx(50.0)
    v = a.verdict("min_value")
    assert v.state == "costly" and v.price == pytest.approx(30.0) and v.blocked == ("x",)
    assert v.blocked_cost == pytest.approx(20.0)
    assert "€30 cheaper" in v.text("en") and "raises the cost without being tight" in v.text("en")
    # a cap on TCO never raises the least TCO: the budget is priced at 0, not left unknown
    assert a.verdict("budget").state == "slack" and a.verdict("budget").price == 0.0


#: Every kind of rule a model can set, each with a verdict.
KINDS = ("budget", "yearly_budget", *RULE_NAMES, "pin", "ban", "min_value")


def _variants(tmp: Path) -> list[Path]:
    """The rules no example model sets, on the data platform example: pinned and banned options,
    per-year caps, a supplier count and an exit cap; and a cost objective with a least value."""
    data = yaml.safe_load((ROOT / "models" / "dataplatform.yaml").read_text(encoding="utf-8"))
    al = data["allocation"]
    al.update(pin=["oss_catalog"], ban=["oss_analytics"], yearly_budget=600000)
    al["rules"].update(min_suppliers=2, max_exit_cost=400000)
    bounds = tmp / "dataplatform_bounds.yaml"
    bounds.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data = yaml.safe_load((ROOT / "models" / "dataplatform.yaml").read_text(encoding="utf-8"))
    data["allocation"].update(objective="cost", min_value=0.65)
    cost = tmp / "dataplatform_cost.yaml"
    cost.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return [bounds, cost]


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    return _variants(tmp_path_factory.mktemp("verdicts"))


@pytest.fixture(scope="module", params=[*MODELS, "bounds", "cost"],
                ids=lambda p: p.stem if isinstance(p, Path) else p)
def analysed(request, variants):
    path = request.param if isinstance(request.param, Path) else variants[["bounds", "cost"].index(request.param)]
    return analyse(load_model(path), samples=0, frontier_points=0)


def test_every_rule_kind_is_covered_and_has_a_home_in_the_review(variants):
    from decide.review.checks import VERDICT_CHECKS

    assert set(VERDICT_CHECKS) == set(KINDS)
    seen = set()
    for path in [*MODELS, *variants]:
        a = optimise(from_model(load_model(path)))
        seen |= {v.rule for v in a.verdicts}
    assert seen == set(KINDS)


def _cli(path: Path) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["allocate", str(path)]) == 0
    return buf.getvalue()


def test_every_face_prints_the_same_verdict(analysed):
    """Each face in the model's language (option labels are in that language)."""
    from decide import workshop as ws
    from decide.report import build_report

    lang = analysed.model.language
    a = analysed.allocation
    assert a.has_solution and a.verdicts
    assert {v.rule for v in a.verdicts} == set(a.rules.index)
    texts = {v.rule: v.text(lang) for v in a.verdicts}
    cli = " ".join(_cli(Path(analysed.model.path)).split())
    report = build_report(analysed, ("md", "json"), lang=lang)
    md = next(v for k, v in report.items() if k.endswith(".md")).decode("utf-8")
    js = next(v for k, v in report.items() if k.endswith(".json")).decode("utf-8")
    review = " ".join(c["finding"] for c in analysed.review.to_dict(lang)["checks"])
    panel = ws.portfolio_panel(analysed.model, lang=lang)
    assert panel.allocation.chosen == a.chosen
    for rule, text in texts.items():
        assert text in cli, (rule, "cli")
        assert text in md, (rule, "report")
        assert html.escape(text, quote=True) in panel.summary.value or text in panel.summary.value, (rule, "panel")
        # the review states every rule's verdict: in the verdict's words, never its own
        assert text in review, (rule, "review")
    for old in ("is bindend", "niet bindend", "binds:", "does not bind"):
        assert old not in review
    assert all(t in js for t in texts.values())
