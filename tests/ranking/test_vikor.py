"""VIKOR: published worked examples, the compromise set, and the zero-denominator case."""
from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from decide.errors import InputError
from decide.ranking import rank
from decide.ranking.adapters.vikor import compromise


def test_opricovic_tzeng_2004():
    """Opricovic, S., & Tzeng, G. H. (2004). Compromise solution by MCDM methods: A comparative
    analysis of VIKOR and TOPSIS. EJOR 156(2), 445-455, numerical example: A1 (1, 3000),
    A2 (2, 3750), A3 (5, 4500); f1 minimised, f2 maximised, equal weights, v = 0.5.
    Q = (1, 0, 1) and A2 is the compromise solution (both conditions hold)."""
    r = rank([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], ["min", "max"], "vikor")
    assert r.scores.tolist() == [1.0, 0.0, 1.0]
    assert r.details["S"].tolist() == [0.5, 0.375, 0.5]
    assert r.details["R"].tolist() == [0.5, 0.25, 0.5]
    assert r.details["compromise"] == [1]
    assert r.details["acceptable_advantage"] and r.details["acceptable_stability"]
    assert r.details["dq"] == 0.5
    assert r.ranks.tolist() == [2, 1, 2]
    assert r.higher_is_better is False


def test_yang_wu_2020():
    """Yang, W., & Wu, Y. (2020). A new improvement method to avoid rank reversal in VIKOR.
    IEEE Access 8, 21261-21271: 5 options, 4 benefit criteria, equal weights, v = 0.5;
    Q printed to 4 decimals. (Values as in pymcdm's test suite.)"""
    X = [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]]
    r = rank(X, [0.25] * 4, ["max"] * 4, "vikor")
    assert np.round(r.scores.to_numpy(), 4).tolist() == [0.5679, 0.7667, 1, 0.7493, 0]


def test_papathanasiou_ploskas_2018_v_0625():
    """Papathanasiou, J., & Ploskas, N. (2018). VIKOR. In Multiple Criteria Decision Aid
    (pp. 31-55). Springer. https://doi.org/10.1007/978-3-319-91648-4_2 -- v = 0.625, Q printed
    to 3 decimals (as in the test suite of objective_weights_mcda, A. Baczkiewicz)."""
    X = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    r = rank(X, [0.4, 0.3, 0.1, 0.2], ["max"] * 4, "vikor", v=0.625)
    assert np.round(r.scores.to_numpy(), 3).tolist() == [0.640, 1.000, 0.693, 0.271, 0.000,
                                                         0.694]


def test_compromise_when_stability_fails():
    # a' is best by Q but neither best by S nor by R -> {a', a''} (C1 holds, C2 fails)
    S = np.array([0.30, 0.20, 0.90])
    R = np.array([0.10, 0.05, 0.90])
    Q = np.array([0.00, 0.60, 1.00])
    chosen, c1, c2, dq = compromise(S, R, Q)
    assert (c1, c2, dq) == (True, False, 0.5)
    assert chosen.tolist() == [0, 1]


def test_compromise_when_advantage_fails():
    # Q(a'') - Q(a') < DQ = 1/3: every option within DQ of a' joins the set
    S = np.array([0.1, 0.2, 0.3, 0.9])
    R = np.array([0.1, 0.2, 0.3, 0.9])
    Q = np.array([0.0, 0.2, 0.3, 1.0])
    chosen, c1, c2, dq = compromise(S, R, Q)
    assert (c1, c2) == (False, True)
    assert chosen.tolist() == [0, 1, 2]


def test_zero_denominator_term_is_zero_not_nan():
    """S* = S- (all options have the same group utility): the S term drops out of Q
    (it is 0), so Q is (1 - v) times the normalised regret. pymcdm 1.4 returns NaN here."""
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    r = rank(X, [0.5, 0.5], ["max", "max"], "vikor")
    S, R = r.details["S"].to_numpy(), r.details["R"].to_numpy()
    assert np.ptp(S) == 0
    np.testing.assert_allclose(r.scores, 0.5 * (R - R.min()) / np.ptp(R))
    assert r.ranks.tolist() == [2, 2, 1]
    with np.errstate(all="ignore"):
        assert np.isnan(pm.VIKOR()(X, np.array([0.5, 0.5]), np.ones(2))).all()


def test_v_is_checked():
    with pytest.raises(InputError, match="v .* must be a number from 0 to 1, got 1.5"):
        rank([[1, 2], [2, 1]], [1, 1], ["max", "max"], "vikor", v=1.5)
    r = rank([[1, 2], [2, 1], [0, 0]], [1, 1], ["max", "max"], "vikor", v=1)
    assert r.params["v"] == 1.0
