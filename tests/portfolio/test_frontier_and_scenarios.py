"""Efficient frontier (exact re-solve per budget) and forced scenarios."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from portfolio_cases import california, stockco, synthetic

from decide.portfolio import Problem, Rules, cbc_available, frontier, optimise, scenarios
from decide.portfolio.frontiers import METHOD


def test_frontier_matches_a_solve_at_every_budget():
    p = synthetic(8, 30, 6, seed=2)
    f = frontier(p, points=8, exact=False)
    df = f.to_frame()
    assert list(df.columns[:4]) == ["budget", "status", "value", "tco"]
    assert (df["status"] == "optimal").all()
    assert df["budget"].is_monotonic_increasing
    assert df["value"].is_monotonic_increasing
    assert (df["tco"] <= df["budget"] * (1 + 1e-9)).all()
    for _, row in df.iterrows():
        a = optimise(p, budget=row["budget"], price_rules=False)
        assert a.objective == pytest.approx(row["value"], rel=1e-4)
    # the last point is the unbudgeted optimum, the first the cheapest feasible portfolio
    top = optimise(p.replace(budget=None), price_rules=False)
    assert df["value"].iloc[-1] == pytest.approx(top.objective, rel=1e-4)
    cheapest = optimise(p.replace(objective="cost", budget=None), price_rules=False)
    assert df["budget"].iloc[0] == pytest.approx(cheapest.total_cost)
    assert f.method == METHOD and "epsilon-constraint" in f.method


def test_frontier_with_given_budgets_and_warm_start():
    p = stockco()
    cold = frontier(p, budgets=[14, 3, 7, 10, 19])
    warm = frontier(p, budgets=[14, 3, 7, 10, 19], warm_start=True)
    assert cold.frame["budget"].tolist() == [3, 7, 10, 14, 19]
    assert cold.frame["value"].tolist() == pytest.approx([8, 22, 30, 42, 58])
    assert warm.frame["value"].tolist() == cold.frame["value"].tolist()
    assert cold.frame["chosen"].iloc[3] == ("inv2", "inv3", "inv4")
    assert len(cold.efficient()) == 5


def test_frontier_plot_and_html():
    f = frontier(california(), points=5)
    ax = f.plot()
    assert ax.get_xlabel().startswith("budget")
    assert "<table" in f._repr_html_()
    # unbudgeted: both factories and the LA warehouse (9 + 5 + 6)
    assert f.to_dict()["points"][-1]["value"] == pytest.approx(20.0)


def test_frontier_of_an_infeasible_problem_is_explained():
    p = Problem([dict(id="a", value=1, tco=1, covers=["A"])],
                modules=[dict(id="A"), dict(id="B")])
    f = frontier(p)
    assert f.frame.empty
    assert f.explanation[0].code == "module_uncovered"


def tagged() -> Problem:
    opts = [
        dict(id="suite", supplier="big", value=3.0, tco=300, covers=["A", "B", "C"],
             tags=["commercial", "cloud", "buy"]),
        dict(id="a_os", supplier="p", value=1.2, tco=110, covers=["A"],
             tags=["open_source", "on_premises", "buy"]),
        dict(id="b_com", supplier="q", value=1.0, tco=100, covers=["B"],
             tags=["commercial", "cloud", "buy"]),
        dict(id="b_os", supplier="p", value=0.8, tco=90, covers=["B"],
             tags=["open_source", "cloud", "buy"]),
        dict(id="c_own", supplier=None, value=1.1, tco=120, covers=["C"],
             tags=["open_source", "on_premises", "make"]),
    ]
    sups = [dict(id="big"), dict(id="p", sme=True), dict(id="q")]
    return Problem(opts, modules=[dict(id=m) for m in "ABC"], suppliers=sups, budget=400,
                   rules=Rules(min_suppliers=1))


def test_scenarios_side_by_side():
    df = scenarios(tagged())
    assert list(df.index) == ["free", "only_monolithic", "only_modular", "only_open_source",
                              "only_commercial", "only_make", "only_buy", "only_cloud",
                              "only_on_premises"]
    for col in ("value", "tco", "suppliers", "sme_share", "exit_cost", "status", "chosen"):
        assert col in df.columns
    assert df.loc["only_monolithic", "chosen"] == ("suite",)
    assert set(df.loc["only_modular", "chosen"]) <= {"a_os", "b_com", "b_os", "c_own"}
    assert df.loc["only_modular", "value"] == pytest.approx(3.3)  # a_os + b_com + c_own
    assert df.loc["free", "value"] >= df["value"].max() - 1e-9
    # only open source: a_os + b_os + c_own (the make option is open source too)
    assert set(df.loc["only_open_source", "chosen"]) == {"a_os", "b_os", "c_own"}
    # only make: B cannot be covered by an in-house build
    assert df.loc["only_make", "status"] == "infeasible"
    assert "cannot be covered" in df.loc["only_make", "note"]
    assert df.loc["only_on_premises", "status"] == "infeasible"
    assert np.isnan(df.loc["only_make", "value"])


def test_scenarios_derive_monolithic_from_covers_without_tags():
    p = tagged()
    opts = p.options.copy()
    opts["tags"] = [()] * len(opts)
    df = scenarios(p.replace(options=opts), lang="nl")
    assert list(df.index) == ["free", "only_monolithic", "only_modular"]
    assert df.loc["only_modular", "label"] == "alleen modular"


def test_scenarios_keep_pins_and_report_collisions():
    df = scenarios(tagged().replace(pin=("suite",)))
    assert df.loc["only_modular", "status"] == "infeasible"
    assert "pinned" in df.loc["only_modular", "note"]
    assert df.loc["free", "chosen"] == ("suite",)
    assert isinstance(df, pd.DataFrame)


@pytest.mark.skipif(not cbc_available(), reason="CBC not available")
def test_frontier_with_cbc_and_warm_starts_matches_highs():
    budgets = [3, 7, 10, 14, 19]
    cbc = frontier(stockco(), budgets=budgets, solver="cbc", warm_start=True)
    highs = frontier(stockco(), budgets=budgets)
    assert cbc.frame["value"].tolist() == pytest.approx(highs.frame["value"].tolist())
    assert cbc.solver.startswith("CBC")
