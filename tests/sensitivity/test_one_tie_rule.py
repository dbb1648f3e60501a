"""Ranking and sensitivity rank with one tie rule (``decide.ranking._util.tie_tolerance``)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from decide import ranking
from decide.ranking import bind
from decide.ranking._util import rank_values
from decide.sensitivity import _common as C
from decide.sensitivity import smaa

# Rounding noise around an exact 0 (what a PROMETHEE II net flow of 0.5 - 0.1 - 0.4 gives).
NOISE = np.array([3e-17, -1e-17, -2e-17])


def test_noise_around_zero_ties_in_ranking_and_sensitivity_alike():
    assert rank_values(NOISE, True, 1.0).tolist() == [1, 1, 1]
    assert bind([[1.0], [2.0], [3.0]], [1.0], ["max"], "promethee_ii").ranks(NOISE).tolist() == [1, 1, 1]
    order, gaps, has_tie = C.sort_with_ties(NOISE[None, :], True, 1.0)
    assert bool(has_tie[0]) and not gaps[np.array([0])].any()


def test_without_a_scale_the_rule_is_purely_relative_in_both():
    # a method that declares no natural score size: the tolerance is 1e-9 of the largest |score|
    assert rank_values(NOISE, True, 0.0).tolist() == [1, 2, 3]


@pytest.mark.parametrize("method", ["promethee_ii", "topsis", "wsm", "vikor"])
def test_identical_options_tie_everywhere(method):
    X = pd.DataFrame([[3.0, 2.0, 5.0]] * 3, index=["a", "b", "c"], columns=["k1", "k2", "k3"])
    dirs = ["max", "min", "max"]
    w = [0.5, 0.3, 0.2]
    if method == "vikor":  # VIKOR is undefined without spread; give one criterion a spread
        X.loc["c", "k3"] = 4.0
        X.loc["b", "k3"] = 4.0
    r = ranking.rank(X, w, dirs, method=method)
    ctx = C.context(X, w, dirs, method, {})
    assert ctx.ranks(ctx.kernel(ctx.w)).tolist() == list(r.ranks)
    if method != "vikor":
        assert list(r.ranks) == [1, 1, 1]
        res = smaa(X, dirs, samples=200, seed=1, method=method)
        acc = res.acceptability.to_numpy()
        np.testing.assert_allclose(acc, np.full((3, 3), 1 / 3), atol=1e-12)
