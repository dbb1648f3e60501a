"""Hand-checked procurement cases: each rule doing what the issue says, and why."""
from __future__ import annotations

import json

import pytest

from decide.errors import SolveError
from decide.portfolio import Problem, Rules, Status, cbc_available, optimise

SOLVERS = ["highs"] + (["cbc"] if cbc_available() else [])

MODULES = [dict(id=m, label=f"Module {m}", required=True) for m in "ABC"]


def suite_or_modules(**kw) -> Problem:
    """A suite from one large vendor (300 000) covers A, B and C; the modular set costs
    120 000 + 110 000 + 130 000 = 360 000 from three suppliers (the integration of the modular
    options is paid to no supplier)."""
    opts = [
        dict(id="suite", supplier="big", value=3, tco=300_000, covers=["A", "B", "C"],
             tags=["buy", "commercial", "cloud", "monolithic"], exit_cost=200_000),
        dict(id="mod_a", supplier="p", value=1, tco=120_000, integration=10_000, covers=["A"],
             tags=["buy", "open_source", "modular"], exit_cost=20_000),
        dict(id="mod_b", supplier="q", value=1, tco=110_000, integration=10_000, covers=["B"],
             tags=["buy", "commercial", "modular"], exit_cost=20_000),
        dict(id="mod_c", supplier="r", value=1, tco=130_000, integration=10_000, covers=["C"],
             tags=["buy", "open_source", "modular"], exit_cost=20_000),
    ]
    sups = [dict(id="big", sme=False), dict(id="p", sme=True), dict(id="q", sme=False),
            dict(id="r", sme=True)]
    return Problem(opts, modules=MODULES, suppliers=sups, objective="cost", **kw)


@pytest.mark.parametrize("solver", SOLVERS)
def test_suite_is_cheapest_without_rules(solver):
    a = optimise(suite_or_modules(), solver=solver)
    assert a.chosen == ("suite",)
    assert a.total_cost == pytest.approx(300_000)
    assert a.spend_by_supplier.to_dict() == {"big": 300_000}


@pytest.mark.parametrize("solver", SOLVERS)
def test_supplier_share_rule_rules_out_the_cheaper_suite(solver):
    a = optimise(suite_or_modules(rules=Rules(max_supplier_share=0.5)), solver=solver)
    assert a.status is Status.optimal
    assert set(a.chosen) == {"mod_a", "mod_b", "mod_c"}
    assert a.total_cost == pytest.approx(360_000)
    # spend excludes integration: 110 + 100 + 120 = 330 000 with suppliers
    assert a.supplier_spend == pytest.approx(330_000)
    assert a.integration_cost == pytest.approx(30_000)
    assert a.spend_by_supplier["r"] == pytest.approx(120_000)
    # the rule is not tight (largest share 36 %) but it costs 60 000: price, not slack
    assert "max_supplier_share" not in a.binding_rules
    assert a.price_of_rules["max_supplier_share"] == pytest.approx(60_000)
    assert a.spend_sme == pytest.approx(230_000) and a.spend_non_sme == pytest.approx(100_000)
    assert a.cost_by_tag["open_source"] == pytest.approx(250_000)
    assert a.cost_by_tag["modular"] == pytest.approx(360_000)
    assert a.spend_by_tag["open_source"] == pytest.approx(230_000)  # integration excluded


def test_integration_counts_on_neither_side_of_a_share():
    """a (p) costs 100 with 40 integration: spend 60; b (q) spends 100. With integration
    counted both would have 50 %; without it q has 62.5 % > 60 %, so a2 (p2) is needed."""
    opts = [
        dict(id="a", supplier="p", value=1, tco=100, integration=40, covers=["A"]),
        dict(id="a2", supplier="p2", value=1, tco=150, covers=["A"]),
        dict(id="b", supplier="q", value=1, tco=100, covers=["B"]),
    ]
    p = Problem(opts, modules=[dict(id="A"), dict(id="B")], objective="cost",
                rules=Rules(max_supplier_share=0.6))
    a = optimise(p)
    assert set(a.chosen) == {"a2", "b"}
    assert a.binding_rules == ["max_supplier_share"]  # p2 has exactly 60 %
    assert a.total_cost == pytest.approx(250)


def test_in_house_build_is_no_supplier():
    """An in-house build has no supplier spend and is no supplier. Measured against the
    external spend (share_base "suppliers"), the one external supplier left holds 100 %;
    measured against the spend on all chosen options (the default base) it holds 100 / 190."""
    opts = [
        dict(id="ext", supplier="p", value=5, tco=100, covers=["A"]),
        dict(id="own", supplier=None, value=5, tco=90, covers=["B"], tags=["make"]),
        dict(id="ext_b", supplier="q", value=1, tco=120, covers=["B"]),
    ]
    p = Problem(opts, modules=[dict(id="A"), dict(id="B")], budget=1000)
    free = optimise(p)
    assert set(free.chosen) == {"ext", "own"}
    assert free.supplier_spend == pytest.approx(100)
    assert free.suppliers_used == 1
    ruled = optimise(p, rules={"max_supplier_share": 0.9, "share_base": "suppliers"})
    assert set(ruled.chosen) == {"ext", "ext_b"}
    assert ruled.price_of_rules["max_supplier_share"] == pytest.approx(4.0)
    on_options = optimise(p, rules={"max_supplier_share": 0.9})
    assert set(on_options.chosen) == {"ext", "own"}
    assert on_options.rules.at["max_supplier_share", "actual"] == pytest.approx(100 / 190)
    assert on_options.price_of_rules["max_supplier_share"] == pytest.approx(0.0)
    tight = optimise(p, rules={"max_supplier_share": 0.5})  # 100/190 > 0.5, 120/220 > 0.5
    assert tight.status is Status.infeasible
    assert optimise(p, rules={"min_suppliers": 2}).chosen == ("ext", "ext_b")


@pytest.mark.parametrize("solver", SOLVERS)
def test_sme_share_binds(solver):
    """Without the rule both large-vendor options win (value 20); with 30 % SME spend the SME
    option for A (60 of 200 = exactly 30 %) replaces the large one: value 18, price 2."""
    opts = [
        dict(id="a_big", supplier="big", value=10, tco=60, covers=["A"]),
        dict(id="a_sme", supplier="smeco", value=8, tco=60, covers=["A"]),
        dict(id="b_big", supplier="big", value=10, tco=140, covers=["B"]),
    ]
    p = Problem(opts, modules=[dict(id="A"), dict(id="B")],
                suppliers=[dict(id="big"), dict(id="smeco", sme=True)], budget=250)
    assert set(optimise(p, solver=solver).chosen) == {"a_big", "b_big"}
    a = optimise(p, solver=solver, rules={"min_sme_share": 0.3})
    assert set(a.chosen) == {"a_sme", "b_big"}
    assert a.sme_share == pytest.approx(0.3)
    assert "min_sme_share" in a.binding_rules
    assert a.slack["min_sme_share"] == pytest.approx(0.0, abs=1e-6)
    assert a.price_of_rules["min_sme_share"] == pytest.approx(2.0)


def four_suppliers(budget: float) -> Problem:
    """Modules A-D; suppliers p, q, r have cheap single-module options; s only a 500 000
    option."""
    opts = [
        dict(id="pa", supplier="p", value=3, tco=90_000, covers=["A"]),
        dict(id="qb", supplier="q", value=3, tco=90_000, covers=["B"]),
        dict(id="rc", supplier="r", value=3, tco=90_000, covers=["C"]),
        dict(id="pd", supplier="p", value=3, tco=90_000, covers=["D"]),
        dict(id="sd", supplier="s", value=4, tco=500_000, covers=["D"]),
    ]
    mods = [dict(id=m) for m in "ABCD"]
    return Problem(opts, modules=mods, budget=budget, rules=Rules(min_suppliers=4),
                   title="four suppliers")


@pytest.mark.parametrize("solver", SOLVERS)
def test_min_suppliers_infeasible_at_low_budget_is_explained(solver):
    a = optimise(four_suppliers(400_000), solver=solver)
    assert a.status is Status.infeasible
    assert not a.has_solution
    codes = [f.code for f in a.explanation]
    assert codes[0] == "min_suppliers_budget"
    first = a.explanation[0]
    assert first.params["n"] == 3 and first.params["limit"] == 4
    assert first.text("en") == (
        "A minimum of 4 suppliers cannot be met: the number of suppliers with options that fit "
        "the budget of €400,000 is 3.")
    assert "binnen het budget van € 400.000 passen is 3" in first.text("nl")
    # the elastic re-solve names both ways out: a budget of 770 000 or three suppliers
    relax = {f.code: f for f in a.explanation if f.code.startswith("relax_") and
             f.code != "relax_alternative"}
    assert relax["relax_min_suppliers"].params["achievable"] == 3
    assert relax["relax_budget"].params["amount"] == pytest.approx(370_000)
    with pytest.raises(SolveError) as err:
        a.chosen  # noqa: B018 - never an allocation for an infeasible model
    assert err.value.exit_code == 3
    assert a.to_dict().keys() == {"status", "explanation"}
    json.dumps(a.to_dict("nl"))
    assert "with options that fit the budget of €400,000 is 3" in a._repr_html_()
    assert repr(a).startswith("Allocation(status='infeasible'")


def test_min_suppliers_feasible_at_high_budget():
    a = optimise(four_suppliers(800_000))
    assert a.status is Status.optimal
    assert set(a.chosen) == {"pa", "qb", "rc", "sd"}
    assert a.binding_rules == ["min_suppliers"]


def test_elastic_finds_both_alternatives():
    """The precheck cannot prove this one (every supplier has an option within budget and
    the cheapest cover fits): three suppliers need the modular set at 370 000 > 320 000."""
    opts = [
        dict(id="suite", supplier="x", value=3, tco=300_000, covers=["A", "B", "C"]),
        dict(id="a", supplier="p", value=1, tco=120_000, covers=["A"]),
        dict(id="b", supplier="q", value=1, tco=120_000, covers=["B"]),
        dict(id="d", supplier="r", value=1, tco=130_000, covers=["C"]),
    ]
    p = Problem(opts, modules=MODULES, budget=320_000, rules=Rules(min_suppliers=3))
    a = optimise(p)
    assert a.status is Status.infeasible
    alts = {}
    for f in a.explanation:
        if f.alternative is not None and f.code != "relax_alternative":
            alts.setdefault(f.alternative, []).append(f)
    steps = sorted((f.code, round(f.params.get("amount", f.params.get("achievable", 0))))
                   for fs in alts.values() for f in fs)
    assert steps == [("relax_budget", 50_000), ("relax_min_suppliers", 1)]
    text = a.explanation_text("en")
    assert "raise the budget by €50,000 to €370,000" in text
    assert "lower the minimum number of suppliers from 3 to 1" in text


def test_budget_short_of_the_cheapest_cover():
    opts = [
        dict(id="a", supplier="p", value=1, tco=200_000, covers=["A"]),
        dict(id="a2", supplier="q", value=2, tco=260_000, covers=["A"]),
        dict(id="b", supplier="q", value=1, tco=150_000, covers=["B"]),
        dict(id="c", supplier="r", value=1, tco=150_000, covers=["C"]),
    ]
    p = Problem(opts, modules=MODULES, budget=380_000)
    a = optimise(p)
    assert a.status is Status.infeasible
    f = next(f for f in a.explanation if f.code == "budget_short")
    assert f.params["shortfall"] == pytest.approx(120_000)
    assert f.params["cheapest"] == pytest.approx(500_000)
    assert "is €120,000 short of the cheapest portfolio" in f.text("en")
    assert "€ 120.000 te laag" in f.text("nl")


def test_required_module_without_an_allowed_option():
    p = suite_or_modules(ban=("mod_b", "suite"))
    a = optimise(p)
    assert a.status is Status.infeasible
    assert a.explanation[0].code == "module_uncovered"
    assert a.explanation[0].params["module_id"] == "B"
    assert "Module B (B)" in a.explanation[0].text("en")


def test_pins_that_collide():
    a = optimise(suite_or_modules(pin=("suite", "mod_a")))
    assert a.status is Status.infeasible
    assert a.explanation[0].code == "pins_overlap"
    ways = [f.code for f in a.explanation if f.code == "relax_pin"]
    assert ways  # dropping one of the pins makes it feasible


def test_pin_and_ban_as_what_ifs():
    p = suite_or_modules()
    a = optimise(p, pin=["mod_a"])
    assert set(a.chosen) == {"mod_a", "mod_b", "mod_c"}
    b = optimise(p, ban=["suite"])
    assert set(b.chosen) == {"mod_a", "mod_b", "mod_c"}
    assert p.pin == () and p.ban == ()  # never mutated


def test_max_exit_cost_and_lots():
    p = suite_or_modules()
    a = optimise(p, rules={"max_exit_cost": 100_000})
    assert set(a.chosen) == {"mod_a", "mod_b", "mod_c"}
    assert a.exit_cost == pytest.approx(60_000)
    assert a.price_of_rules["max_exit_cost"] == pytest.approx(60_000)
    b = optimise(p, rules={"max_lots_per_supplier": 2})  # the suite is three lots
    assert "suite" not in b.chosen
    assert b.rules.loc["max_lots_per_supplier", "actual"] == 1


def test_value_objective_with_optional_modules_and_budget():
    opts = [
        dict(id="a", value=5, tco=100, covers=["A"]),
        dict(id="b1", value=4, tco=80, covers=["B"]),
        dict(id="b2", value=6, tco=150, covers=["B"]),
        dict(id="c", value=3, tco=50, covers=["C"]),
    ]
    mods = [dict(id="A", required=True), dict(id="B", required=False),
            dict(id="C", required=False)]
    p = Problem(opts, modules=mods, budget=250)
    a = optimise(p)
    assert set(a.chosen) == {"a", "b1", "c"}  # 12 at 230; b2 instead of b1: 14 at 300 > 250
    assert a.objective == pytest.approx(12)


def test_cost_objective_with_min_value():
    opts = [dict(id=f"o{i}", value=v, tco=c) for i, (v, c) in
            enumerate([(5, 50), (4, 30), (3, 35), (2, 10)])]
    p = Problem(opts, objective="cost", min_value=9)
    a = optimise(p)
    # {o0, o1} reaches 9 at 80, but {o1, o2, o3} reaches 9 at 75
    assert set(a.chosen) == {"o1", "o2", "o3"}
    assert a.objective == pytest.approx(75)
    assert a.binding_rules == ["min_value"]


def test_yearly_cap():
    import pandas as pd

    opts = [dict(id="heavy1", value=5, tco=100), dict(id="heavy2", value=5, tco=100),
            dict(id="light", value=3, tco=100)]
    cf = pd.DataFrame([[80, 20], [80, 20], [20, 80]], index=["heavy1", "heavy2", "light"])
    p = Problem(opts, cashflows=cf, budget=200, yearly_budget=[100, None])
    a = optimise(p)
    assert set(a.chosen) in ({"heavy1", "light"}, {"heavy2", "light"})
    assert "yearly_budget" in a.binding_rules and "budget" in a.binding_rules
    assert a.price_of_rules["yearly_budget"] == pytest.approx(2.0)


def test_json_of_an_allocation():
    a = optimise(suite_or_modules(rules=Rules(max_supplier_share=0.5)))
    d = a.to_dict()
    for key in ("status", "objective", "chosen", "total_cost", "spend_by_supplier",
                "binding_rules", "solver", "price_of_rules"):
        assert key in d
    assert d["status"] == "optimal" and d["solver"].startswith("HiGHS")
    assert json.loads(json.dumps(d)) == d
    html = a._repr_html_()
    assert "mod_a" in html and "optimal" in html
