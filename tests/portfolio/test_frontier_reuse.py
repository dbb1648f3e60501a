"""The frontier's exact shortcut: a point that reuses a higher budget's portfolio has the
value an independent solve at that budget gives (the feasible set only shrinks as the budget
falls, so an optimum that fits a lower budget stays optimal there)."""
from __future__ import annotations

import numpy as np
import pytest

from decide.portfolio import frontier, optimise

from portfolio_cases import synthetic


@pytest.mark.parametrize("seed", [1, 2, 4, 5])  # seeds whose rules admit a portfolio
def test_reused_points_equal_independent_solves(seed):
    problem = synthetic(6, 24, 6, seed=seed)
    f = frontier(problem, points=9, exact=False).to_frame()
    assert len(f) == 9
    for _, row in f.iterrows():
        alone = optimise(problem.replace(budget=row["budget"] * (1 + 1e-12)), price_rules=False,
                         explain_infeasible=False)
        if row["status"] == "optimal":
            assert alone.status.is_ok
            assert row["value"] == pytest.approx(alone.total_value, rel=1e-9, abs=1e-9)
            assert row["tco"] <= row["budget"] * (1 + 1e-9)
        else:
            assert not alone.status.is_ok
    # values never fall as the budget grows
    v = f.loc[f["status"] == "optimal", "value"].to_numpy()
    assert np.all(np.diff(v) >= -1e-9)


def test_some_points_are_reused_on_a_flat_stretch():
    problem = synthetic(6, 24, 6, seed=1)
    top = optimise(problem.replace(budget=None), price_rules=False).total_cost
    f = frontier(problem, budgets=[top * 0.999, top, top * 1.5, top * 2]).to_frame()
    assert f["reused"].sum() >= 2  # the two budgets above the unbudgeted optimum's TCO
