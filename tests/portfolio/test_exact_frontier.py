"""The exact frontier equals the Pareto set found by enumerating every feasible portfolio.

The oracle (``portfolio_cases.feasible``) checks each of the 2^n selections against the rule
definitions and shares no code with decide.portfolio; a selection is Pareto-optimal when no
other feasible selection has at least its value for at most its TCO, one of them strictly.
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from portfolio_cases import california, feasible, random_spec, spec_problem, stockco

from decide.portfolio import Problem, frontier, optimise
from decide.portfolio.frontiers import EXACT, exact_frontier


def pareto(spec: dict) -> set[tuple[float, float]]:
    spec = dict(spec, budget=None, objective="value", min_value=None)
    by_id = {o["id"]: o for o in spec["options"]}
    ids = list(by_id)
    pts = set()
    for r in range(len(ids) + 1):
        for combo in itertools.combinations(ids, r):
            if feasible(spec, frozenset(combo)):
                pts.add((sum(by_id[i]["tco"] for i in combo), sum(by_id[i]["value"] for i in combo)))
    return {(c, v) for c, v in pts
            if not any(c2 <= c and v2 >= v and (c2 < c or v2 > v) for c2, v2 in pts)}


def test_stockco_exact_frontier():
    """Winston's Stockco (NPV 16, 22, 12, 8 for cash 5, 7, 4, 3): every Pareto point by hand."""
    f = exact_frontier(stockco())
    got = list(zip(f.frame["tco"], f.frame["value"]))
    assert f.method == EXACT and f.complete
    assert got == sorted(pareto(_spec_of_stockco()))
    assert (f.frame["budget"] == f.frame["tco"]).all()
    # Winston's optimum at 14 (inv2, inv3, inv4: NPV 42) lies on the frontier
    a = optimise(stockco())
    assert (a.total_cost, a.total_value) in got


def _spec_of_stockco():
    opts = [dict(id=f"inv{i}", value=v, tco=c, supplier="stockco")
            for i, (v, c) in enumerate([(16, 5), (22, 7), (12, 4), (8, 3)], start=1)]
    return dict(options=opts, modules={}, suppliers={"stockco": False}, rules={})


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=10**6))
def test_exact_frontier_equals_enumerated_pareto_set(seed):
    spec = random_spec(seed)
    spec.pop("objective", None), spec.pop("min_value", None)
    want = pareto(spec)
    f = frontier(spec_problem(spec))
    if not want:
        assert f.frame.empty and f.explanation
        return
    assert f.method == EXACT and f.complete
    got = list(zip(f.frame["tco"].round(9), f.frame["value"].round(9)))
    assert got == sorted((round(c, 9), round(v, 9)) for c, v in want), spec
    # the recommended portfolio at the spec's budget lies on the frontier (a step function)
    if spec.get("budget") is not None:
        a = optimise(spec_problem(spec), price_rules=False)
        if a.has_solution:
            on = f.frame[f.frame["tco"] <= spec["budget"] + 1e-9]
            assert a.total_value == pytest.approx(on["value"].max())


def test_california_frontier_is_exact_and_ends_at_the_unbudgeted_optimum():
    f = frontier(california())
    assert f.method == EXACT
    assert f.frame["value"].iloc[-1] == pytest.approx(20.0)  # both factories and the LA warehouse
    assert f.frame["value"].is_monotonic_increasing and f.frame["tco"].is_monotonic_increasing
    assert f.to_dict()["method"] == "exact"


def test_sixty_options_are_exact():
    rng = np.random.default_rng(7)
    n = 60
    opts = [dict(id=f"o{i}", value=float(rng.uniform(0.1, 1)), tco=float(rng.integers(50, 500)) * 1000,
                 covers=[f"m{i % 12}"], supplier=f"s{i % 7}") for i in range(n)]
    p = Problem(opts, modules=[dict(id=f"m{j}", required=j < 8) for j in range(12)], budget=2_000_000)
    f = frontier(p)
    assert f.method == EXACT and f.complete and len(f.frame) > 5
    assert (np.diff(f.frame["value"]) > 0).all() and (np.diff(f.frame["tco"]) > 0).all()
    a = optimise(p, price_rules=False)
    on = f.frame[f.frame["tco"] <= p.budget]
    assert a.total_value == pytest.approx(on["value"].max(), rel=1e-9)
