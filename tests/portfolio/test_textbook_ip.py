"""Published textbook integer programmes reproduced by decide.portfolio.

1. Hillier & Lieberman, *Introduction to Operations Research* (McGraw-Hill), Sec. 12.1
   "A prototype example", Table 12.1, California Manufacturing Co.: four yes-or-no
   investments with a capital budget, mutually exclusive warehouses and contingent
   decisions (a warehouse only where a factory is built). Published optimum: build both
   factories and no warehouse, Z = $14 million. The LP relaxation solved at the root of the
   book's branch-and-bound example (Sec. 12.6) is (x1, x2, x3, x4) = (5/6, 1, 0, 1),
   Z = 16 1/2. Hand check of that LP's budget dual: x1 is basic and fractional in the
   capital row, so an extra $1M of capital buys 1/6 more of x1: 9/6 = 1.5 per $1M.
   (Text checked at https://operation-research-course.blogspot.com/2015/11/integer-programmingprototype-example.html,
   which reproduces the book's Sec. 12.1.)
2. Winston, *Operations Research: Applications and Algorithms* (4th ed.), Sec. 9.2,
   Example 1 (Stockco capital budgeting): NPVs 16, 22, 12, 8 ($1 000), cash 5, 7, 4, 3,
   $14 000 available; optimum investments 2, 3 and 4, z = $42 000. The same exercise's
   variants (at most two investments; 2 requires 1; 2 excludes 4) are checked against
   enumeration (38 each). Hand-solved LP relaxation: by value/cash ratio x1 = x2 = 1 and
   x3 = 1/2, z = 44, budget dual 12/4 = 3 per $1 000.
   (Statement checked at https://transtutors.com/questions/stockco-is-considering-four-investments-investment-1-will-yield-a-net-present-value--672489.htm.)

Settings pinned: default HiGHS options (relative gap 1e-4) and CBC defaults.
"""
from __future__ import annotations

import pytest
from portfolio_cases import brute_force, california, stockco

from decide.portfolio import Status, cbc_available, optimise

SOLVERS = ["highs"] + (["cbc"] if cbc_available() else [])


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("encoding", ["logic", "module"])
def test_california_manufacturing_optimum(solver, encoding):
    a = optimise(california(encoding), solver=solver)
    assert a.status is Status.optimal
    assert a.objective == pytest.approx(14.0)
    assert set(a.chosen) == {"factory_la", "factory_sf"}
    assert a.total_cost == pytest.approx(9.0)


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("encoding", ["logic", "module"])
def test_california_lp_relaxation_and_budget_dual(solver, encoding):
    a = optimise(california(encoding), solver=solver, relax=True)
    assert a.status is Status.optimal and a.relaxed
    assert a.objective == pytest.approx(16.5, abs=1e-6)
    assert a.x.to_dict() == pytest.approx(
        {"factory_la": 5 / 6, "factory_sf": 1.0, "warehouse_la": 0.0, "warehouse_sf": 1.0},
        abs=1e-6)
    assert a.fractional == ("factory_la",)
    assert a.budget_dual == pytest.approx(1.5, abs=1e-6)
    assert a.to_dict()["x"]["factory_la"] == pytest.approx(5 / 6, abs=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_budget_dual_of_the_mip_comes_from_its_lp_relaxation(solver):
    a = optimise(california(), solver=solver)
    assert a.budget_dual == pytest.approx(1.5, abs=1e-6)


@pytest.mark.parametrize("solver", SOLVERS)
def test_stockco_capital_budgeting(solver):
    a = optimise(stockco(), solver=solver)
    assert a.objective == pytest.approx(42.0)
    assert set(a.chosen) == {"inv2", "inv3", "inv4"}
    assert a.binding_rules == ["budget"]  # 7 + 4 + 3 = 14: the budget is spent exactly


@pytest.mark.parametrize("solver", SOLVERS)
def test_stockco_lp_relaxation(solver):
    a = optimise(stockco(), solver=solver, relax=True)
    assert a.objective == pytest.approx(44.0, abs=1e-6)
    assert a.x["inv3"] == pytest.approx(0.5, abs=1e-6)
    assert a.budget_dual == pytest.approx(3.0, abs=1e-6)


@pytest.mark.parametrize(
    "variant, kwargs, chosen",
    [
        ("at most two investments", dict(max_lots_per_supplier=2), {"inv1", "inv2"}),
        ("2 requires 1", dict(options={"inv2": {"requires": ["inv1"]}}), {"inv1", "inv2"}),
        ("2 excludes 4", dict(options={"inv2": {"excludes": ["inv4"]}}), {"inv1", "inv2"}),
    ],
)
def test_stockco_variants_against_enumeration(variant, kwargs, chosen):
    p = stockco(**kwargs)
    a = optimise(p)
    spec = dict(
        options=[dict(id=i, value=r.value, tco=r.tco, supplier=r.supplier,
                      requires=r.requires, excludes=r.excludes)
                 for i, r in p.options.iterrows()],
        modules={}, suppliers={"stockco": False}, budget=14,
        rules={k: v for k, v in kwargs.items() if k != "options"},
    )
    assert a.objective == pytest.approx(brute_force(spec)) == pytest.approx(38.0)
    assert set(a.chosen) == chosen
