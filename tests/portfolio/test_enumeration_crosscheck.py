"""Small random instances: the optimum equals the best of every feasible selection.

The oracle (``portfolio_cases.brute_force``) enumerates all 2^n selections and checks each
against the issue's rule definitions, sharing no code with decide.portfolio. Instances are
built from a seed drawn by hypothesis (derandomised CI profile in tests/conftest.py).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from portfolio_cases import brute_force, feasible, random_spec, spec_problem

from decide.portfolio import Status, cbc_available, optimise
from decide.portfolio.evaluate import violations


def check(spec, solver):
    best = brute_force(spec)
    a = optimise(spec_problem(spec), solver=solver, price_rules=False)
    if best is None:
        assert a.status is Status.infeasible, (spec, a)
        assert a.explanation  # always explained
        return
    assert a.status is Status.optimal, (spec, a.explanation_text())
    assert feasible(spec, frozenset(a.chosen)), spec
    assert a.objective == pytest.approx(best, rel=1e-4, abs=1e-6), spec


@settings(max_examples=60)
@given(st.integers(min_value=0, max_value=10**6))
def test_highs_matches_enumeration(seed):
    check(random_spec(seed), "highs")


@pytest.mark.skipif(not cbc_available(), reason="CBC not available")
@settings(max_examples=15)
@given(st.integers(min_value=0, max_value=10**6))
def test_cbc_matches_enumeration(seed):
    check(random_spec(seed), "cbc")


@pytest.mark.parametrize("seed", range(40))
def test_library_checker_agrees_with_the_oracle(seed):
    """decide's own feasibility check (used to verify solver output) against the oracle, on
    every selection of a random instance."""
    import itertools

    import numpy as np

    spec = random_spec(seed)
    p = spec_problem(spec)
    ids = list(p.options.index)
    for r in range(len(ids) + 1):
        for combo in itertools.combinations(range(len(ids)), r):
            x = np.zeros(len(ids))
            x[list(combo)] = 1
            ours = not violations(p, x)
            theirs = feasible(spec, frozenset(ids[i] for i in combo))
            assert ours == theirs, (spec, [ids[i] for i in combo], violations(p, x))
