"""COPRAS with the textbook formula (Zavadskas, Kaklauskas & Sarka 1994)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm import methods as pm

from decide.errors import InputError
from decide.ranking import get_method, rank

# Goswami, S., & Mitra, S. (2020). Selecting the best mobile model by applying AHP-COPRAS and
# AHP-ARAS decision making methodology. International Journal of Data and Network Science
# 4(1), 27-42. https://doi.org/10.5267/j.ijdns.2019.8.004 -- price minimised, three benefit
# criteria, AHP weights; utility degrees printed to 5 decimals (as in the test suite of
# pyrepo-mcda, A. Baczkiewicz).
MOBILES = np.array([[80, 16, 2, 5], [110, 32, 2, 9], [130, 64, 4, 9], [185, 64, 4, 1],
                    [135, 64, 3, 4], [140, 32, 3, 5], [185, 64, 6, 7], [110, 16, 3, 3],
                    [120, 16, 4, 3], [340, 128, 6, 5]], dtype=float)
WEIGHTS = [0.60338, 0.13639, 0.19567, 0.06456]
DIRS = ["min", "max", "max", "max"]


def test_goswami_mitra_2020():
    r = rank(MOBILES, WEIGHTS, DIRS, "copras")
    assert np.round(r.scores.to_numpy(), 5).tolist() == [
        1, 0.85262, 0.91930, 0.68523, 0.80515, 0.72587, 0.83436, 0.79758, 0.79097, 0.79533]
    d = r.details
    # Q_i = S+_i + sum(S-) / (S-_i * sum(1 / S-))
    sm = d["S_minus"].to_numpy()
    np.testing.assert_allclose(d["Q"], d["S_plus"] + sm.sum() / (sm * (1 / sm).sum()))


@settings(max_examples=30)
@given(row=st.integers(0, 9), bump=st.floats(1.0, 200.0))
def test_raising_a_cost_lowers_the_score(row, bump):
    """A higher value on a cost criterion lowers the option's significance Q (and never
    raises its utility)."""
    k = get_method("copras")
    t = np.array([-1, 1, 1, 1])
    w = np.array(WEIGHTS)
    X = MOBILES.copy()
    _, _, _, _, q0, _ = _parts(X, w, t)
    X[row, 0] += bump  # price, the cost criterion
    _, _, _, _, q1, _ = _parts(X, w, t)
    assert q1[row] < q0[row]
    assert k.kernel(X, w, t)[row] <= k.kernel(MOBILES, w, t)[row] + 1e-15


def _parts(X, w, t):
    from decide.ranking.adapters.copras import _copras
    return _copras(X, w, t)


def test_pymcdm_14_copras_rewards_a_higher_cost():
    """pymcdm 1.4 quirk (why we do not call it): its cost term reduces to S-_i itself, so
    raising a cost raises the score."""
    t = np.array([-1, 1, 1, 1])
    w = np.array(WEIGHTS)
    X = MOBILES.copy()
    before = pm.COPRAS()(X, w, t, validation=False)
    X[3, 0] += 100.0
    after = pm.COPRAS()(X, w, t, validation=False)
    assert after[3] > before[3]


def test_without_cost_criteria_q_is_s_plus():
    X = MOBILES[:, 1:]
    r = rank(X, WEIGHTS[1:], ["max"] * 3, "copras")
    np.testing.assert_allclose(r.details["Q"], r.details["S_plus"])
    assert (r.details["S_minus"] == 0).all()


def test_options_without_any_cost_are_refused():
    X = MOBILES.copy()
    X[2, 0] = 0.0
    with pytest.raises(InputError, match="copras: option\\(s\\) 2 have weighted costs of 0"):
        rank(X, WEIGHTS, DIRS, "copras")
    with pytest.raises(InputError, match="copras: .*option 1, criterion 1 = -1"):
        rank([[1, 2], [2, -1]], [1, 1], ["min", "max"], "copras")
