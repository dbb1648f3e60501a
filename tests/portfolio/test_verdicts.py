"""One verdict per rule: computed once on the Allocation, printed the same by every face.

The faces are the command line (``decide allocate``), the report (rules table), the review
and the workshop's portfolio panel (notebook 3). For every rule of every example model with an
allocation, each face must print the verdict's own sentence, so they cannot disagree.
"""
from __future__ import annotations

import contextlib
import html
import io
from pathlib import Path

import pytest

from decide.cli import main
from decide.facade import analyse
from decide.loader import load_model
from decide.portfolio import Problem, optimise

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


@pytest.fixture(scope="module", params=MODELS, ids=lambda p: p.stem)
def analysed(request):
    return analyse(load_model(request.param), samples=0, frontier_points=0)


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
    rules = set(a.rules.index) - {"min_value"}
    assert {v.rule for v in a.verdicts} == rules
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
    # the review speaks of the share, SME and exit rules: in the verdict's words, never its own
    for rule in ("max_supplier_share", "min_sme_share", "max_exit_cost"):
        if rule in texts:
            assert texts[rule] in review, (rule, "review")
    for old in ("is bindend", "niet bindend", "binds:", "does not bind"):
        assert old not in review
    assert all(t in js for t in texts.values())
