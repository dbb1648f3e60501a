"""The sampled frontier's sweep: lowest budget first, each point started from the plan below
(feasible at every higher budget), each point's proven bound and gap reported; and the
robustness samples with uncertain costs on one kept solver model."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from portfolio_cases import synthetic

from decide.loader import validate_data
from decide.portfolio import frontier, optimise
from decide.portfolio import backends
from decide.portfolio_robustness import portfolio_robustness


def _recording(monkeypatch):
    """Record (budget row upper bound, start plan's budget activity) of every HiGHS solve."""
    calls = []
    original = backends.HighsEngine.solve

    def solve(self, lm, *, warm=None, gap=None, tolerance=None):
        b = lm.row_names.index("budget")
        used = None if warm is None else float((lm.matrix[b] @ warm)[0])
        calls.append((float(lm.row_upper[b]), used, lm.maximise))
        return original(self, lm, warm=warm, gap=gap, tolerance=tolerance)

    monkeypatch.setattr(backends.HighsEngine, "solve", solve)
    return calls


def test_points_are_solved_from_the_lowest_budget_up_each_from_the_plan_below(monkeypatch):
    problem = synthetic(8, 60, 8, seed=1)
    calls = _recording(monkeypatch)
    f = frontier(problem, points=8, exact=False)
    # the two range solves: the cheapest portfolio (min TCO), then the best without a budget
    # started from it
    assert calls[0][2] is False and calls[1][2] is True and calls[1][1] is not None
    points = calls[2:]
    assert len(points) == int((~f.frame["reused"].astype(bool)).sum()) - 1  # top: its own solve
    limits = [c[0] for c in points]
    assert limits == sorted(limits)  # lowest budget first
    for limit, start, _ in points:  # every point starts from a plan that fits its budget
        assert start is not None and start <= limit + 1e-9


def test_each_point_reports_its_proven_bound_and_gap():
    problem = synthetic(8, 60, 8, seed=1)
    f = frontier(problem, points=8, exact=False)
    ok = f.frame[f.frame["status"] == "optimal"]
    assert len(ok) >= 2
    for _, row in ok.iterrows():
        assert row["bound"] >= row["value"] - 1e-9 * max(1.0, abs(row["value"]))
        assert 0 <= row["gap"] <= 1e-4 + 1e-12  # HiGHS' default relative MIP gap
    d = f.to_dict()
    assert all({"bound", "gap"} <= set(p) for p in d["points"])
    # the exact frontier's points are proven with a zero gap: its dict stays as it was
    e = frontier(synthetic(5, 20, 4, seed=2))
    assert e.is_exact and all("gap" not in p for p in e.to_dict()["points"])


def test_warm_and_cold_sweeps_reach_the_same_values():
    problem = synthetic(8, 60, 8, seed=4)
    warm = frontier(problem, points=6, exact=False)
    cold = frontier(problem, points=6, exact=False, warm_start=False)
    assert warm.warm_start and not cold.warm_start
    v1 = warm.frame["value"].to_numpy(dtype=float)
    v2 = cold.frame["value"].to_numpy(dtype=float)
    assert np.allclose(v1, v2, rtol=2e-4, equal_nan=True)  # both within the 1e-4 gap
    for _, row in warm.frame.iterrows():  # and each an optimum of its own budget
        alone = optimise(problem.replace(budget=row["budget"] * (1 + 1e-12)), price_rules=False,
                         explain_infeasible=False)
        if row["status"] == "optimal":
            assert row["value"] == pytest.approx(alone.total_value, rel=2e-4)


def test_the_report_table_of_a_sampled_frontier_has_a_gap_column():
    from types import SimpleNamespace

    from decide.report.tables import frontier_table

    problem = synthetic(8, 60, 8, seed=1)
    sampled = frontier_table(SimpleNamespace(frontier=frontier(problem, points=4, exact=False)), "en")
    assert "Gap to proven bound" in sampled.columns
    exact = frontier_table(SimpleNamespace(frontier=frontier(synthetic(5, 20, 4, seed=2))), "nl")
    assert "Afstand tot bewezen grens" not in exact.columns
    assert pd.notna(sampled.rows[-1][sampled.columns.index("Gap to proven bound")])


def _uncertain_costs_model():
    """Three options for one module, two with a ranged one-off cost, a supplier-share rule
    (so the sampled costs move the budget row and the supplier rows)."""
    return validate_data({
        "decide": 1, "title": "uncertain costs", "language": "en",
        "criteria": [{"id": "c1", "direction": "max", "range": [0, 1]},
                     {"id": "c2", "direction": "max", "range": [0, 1]}],
        "alternatives": [
            {"id": "a", "supplier": "s1", "covers": ["m"], "costs": {"once": {"low": 80, "high": 140}},
             "scores": {"c1": 1, "c2": 0.2}},
            {"id": "b", "supplier": "s2", "covers": ["m"], "costs": {"once": {"low": 50, "high": 250}},
             "scores": {"c1": 0.1, "c2": 1}},
            {"id": "c", "supplier": "s3", "covers": ["n"], "costs": {"once": 60},
             "scores": {"c1": 0.5, "c2": 0.5}}],
        "sensitivity": {"weights": "uniform", "samples": 60, "seed": 3},
        "allocation": {"budget": 300, "modules": [{"id": "m"}, {"id": "n", "required": False}],
                       "rules": {"max_supplier_share": 0.9}},
    }, "<uncertain costs>")


def test_uncertain_costs_no_longer_rebuild_the_solver_model(monkeypatch):
    passes = []
    original = backends.HighsEngine._pass

    def counted(self, lm, cost):
        passes.append(lm.matrix.shape)
        return original(self, lm, cost)

    monkeypatch.setattr(backends.HighsEngine, "_pass", counted)
    r = portfolio_robustness(_uncertain_costs_model(), samples=60, seed=3, recommended=("a",))
    assert r.unsolved == 0 and r.samples == 60
    assert len(passes) == 1  # one passModel; 60 samples pushed coefficients into it
    # the same samples with a fresh model built for each (the former way) give the same answers
    from decide.portfolio.formulation import Formulation

    def rebuild(self, problem=None, *, value, tco, integration):
        # the sample as a Problem of its own, new arrays and a new HiGHS model
        opts = self.problem.options.drop(columns=["spend"]).assign(value=value, tco=tco,
                                                                   integration=integration)
        self.__dict__.update(Formulation(self.problem.replace(options=opts)).__dict__)

    monkeypatch.setattr(Formulation, "retarget", rebuild)
    fresh = portfolio_robustness(_uncertain_costs_model(), samples=60, seed=3, recommended=("a",))
    assert len(passes) == 1 + 60
    assert fresh.inclusion.equals(r.inclusion) and fresh.portfolios == r.portfolios
    assert fresh.budget_overrun == r.budget_overrun
    assert 0 < r.inclusion["a"] < 1 and 0 < r.inclusion["b"] < 1


def test_budgets_below_an_infeasible_one_are_infeasible_without_a_solve(monkeypatch):
    problem = synthetic(8, 60, 8, seed=1)
    cheapest = frontier(problem, points=2, exact=False).frame["tco"].min()
    calls = _recording(monkeypatch)
    f = frontier(problem, budgets=[cheapest * 0.5, cheapest * 0.7, cheapest * 0.9], exact=False)
    assert list(f.frame["status"]) == ["infeasible"] * 3
    assert list(f.frame["reused"]) == [True, True, False] and len(calls) == 1
    for b in (cheapest * 0.5, cheapest * 0.7):  # each agrees with a solve of its own
        assert optimise(problem.replace(budget=b), price_rules=False,
                        explain_infeasible=False).status.value == "infeasible"
