"""AHP synthesis of option scores from local priorities (distributive and ideal modes)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from decide.errors import InputError
from decide.ranking import rank

# Saaty's "choosing a leader" example as worked out in Wikipedia, "Analytic hierarchy
# process - leader example" (criteria weights and each candidate's local priorities per
# criterion, printed to 3 decimals; the same data in the hahp Haskell package's
# HAHP.Sample.LeaderChoice). Global priorities printed: Tom .358, Dick .493, Harry .149.
LOCAL = pd.DataFrame({"experience": [0.217, 0.717, 0.066], "education": [0.188, 0.081, 0.731],
                      "charisma": [0.743, 0.194, 0.063], "age": [0.265, 0.672, 0.063]},
                     index=["Tom", "Dick", "Harry"])
WEIGHTS = {"experience": 0.547, "education": 0.127, "charisma": 0.270, "age": 0.056}


def test_leader_example_distributive():
    r = rank(LOCAL, WEIGHTS, ["max"] * 4, "ahp")
    assert r.params["mode"] == "distributive"
    # the inputs are themselves rounded to 3 decimals, so the synthesis reproduces the printed
    # global priorities to within one unit of the last printed digit
    np.testing.assert_allclose(r.scores.to_numpy(), [0.358, 0.493, 0.149], atol=1e-3)
    assert r.ranks.to_dict() == {"Tom": 2, "Dick": 1, "Harry": 3}


def test_ideal_mode_divides_by_the_best_per_criterion():
    r = rank(LOCAL, WEIGHTS, ["max"] * 4, "ahp", mode="ideal", tables=True)
    P = r.tables["priorities"]
    np.testing.assert_allclose(P.max(), 1.0)
    expected = (LOCAL / LOCAL.max()).to_numpy() @ np.array(list(WEIGHTS.values()))
    np.testing.assert_allclose(r.scores.to_numpy(), expected)


def test_ideal_mode_keeps_existing_scores_when_a_non_best_option_is_added():
    """Belton & Gear (1983): in ideal mode adding an option that is best on no criterion
    leaves the other options' scores unchanged (no rank reversal among them)."""
    before = rank(LOCAL, WEIGHTS, ["max"] * 4, "ahp", mode="ideal").scores
    extra = pd.DataFrame([[0.05, 0.05, 0.05, 0.05]], columns=LOCAL.columns, index=["Ann"])
    after = rank(pd.concat([LOCAL, extra]), WEIGHTS, ["max"] * 4, "ahp", mode="ideal").scores
    np.testing.assert_allclose(after[LOCAL.index], before)


def test_distributive_equals_wsm_with_sum_normalisation():
    X = np.array([[3.0, 5, 2], [4, 1, 6], [2, 2, 2]])
    a = rank(X, [0.5, 0.2, 0.3], ["max", "min", "max"], "ahp").scores
    b = rank(X, [0.5, 0.2, 0.3], ["max", "min", "max"], "wsm", normalization="sum").scores
    np.testing.assert_allclose(a, b)


def test_cost_ratings_are_inverted_and_must_be_positive():
    r = rank([[2.0, 1], [4, 1]], [1, 1], ["min", "max"], "ahp", tables=True)
    np.testing.assert_allclose(r.tables["priorities"].iloc[:, 0], [2 / 3, 1 / 3])
    with pytest.raises(InputError, match="ahp: .*option 0, criterion 0 = 0"):
        rank([[0.0, 1], [4, 1]], [1, 1], ["min", "max"], "ahp")
