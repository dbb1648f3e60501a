"""WSM and WPM: published worked examples and the normalisation options."""
from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from decide.errors import InputError
from decide.ranking import get_method, rank

# Triantaphyllou, E. (2000). Multi-criteria Decision Making Methods: A Comparative Study.
# Kluwer, ch. 2 (as reproduced in Wikipedia, "Weighted sum model"): three options, four
# benefit criteria on one common scale, weights 0.20/0.15/0.40/0.25.
TRIANTAPHYLLOU = np.array([[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]], dtype=float)
T_WEIGHTS = [0.20, 0.15, 0.40, 0.25]


def test_triantaphyllou_wsm_on_a_common_scale():
    """WSM scores 21.50, 22.00, 22.00: A2 and A3 tie for first place."""
    r = rank(TRIANTAPHYLLOU, T_WEIGHTS, ["max"] * 4, "wsm", normalization="none")
    assert np.round(r.scores.to_numpy(), 2).tolist() == [21.5, 22.0, 22.0]
    assert r.ranks.tolist() == [3, 1, 1]


def test_wpm_none_is_the_dimensionless_ratio_of_triantaphyllou():
    """With normalization='none' the ratio of two scores is P(A_K / A_L) =
    prod_j (a_Kj / a_Lj) ** w_j (Bridgman 1922; Triantaphyllou 2000, eq. 2-2)."""
    s = rank(TRIANTAPHYLLOU, T_WEIGHTS, ["max"] * 4, "wpm", normalization="none").scores
    ratio = np.prod((TRIANTAPHYLLOU[0] / TRIANTAPHYLLOU[1]) ** np.array(T_WEIGHTS))
    assert s[0] / s[1] == pytest.approx(ratio, rel=1e-12)


# Chakraborty, S., Zavadskas, E. K., & Antucheviciene, J. (2015). Applications of WASPAS
# method as a multi-criteria decision-making tool. Economic Computation and Economic
# Cybernetics Studies and Research 49(1), 5-22: WASPAS Q = 0.5 WSM + 0.5 WPM with linear
# normalisation (benefit x / max, cost min / x) -- our normalization="max" for both.
# Weights as printed (they sum to 1.0155 through rounding); Q to 4 decimals (as in pymcdm's
# test suite).
WASPAS_X = np.array([[30, 23, 5, 0.745, 0.745, 1500, 5000], [18, 13, 15, 0.745, 0.745, 1300, 6000],
                     [15, 12, 10, 0.500, 0.500, 950, 7000], [25, 20, 13, 0.745, 0.745, 1200, 4000],
                     [14, 18, 14, 0.255, 0.745, 950, 3500], [17, 15, 9, 0.745, 0.500, 1250, 5250],
                     [23, 18, 20, 0.500, 0.745, 1100, 3000], [16, 8, 14, 0.255, 0.500, 1500, 3000]])
WASPAS_W = np.array([0.1181, 0.1181, 0.0445, 0.1181, 0.2861, 0.2861, 0.0445])
WASPAS_T = np.array([1, 1, 1, 1, 1, -1, -1])
WASPAS_Q = [0.8329, 0.7884, 0.6987, 0.8831, 0.7971, 0.7036, 0.8728, 0.5749]


def test_chakraborty_et_al_2015_waspas_from_wsm_and_wpm_kernels():
    wsm = get_method("wsm").kernel(WASPAS_X, WASPAS_W, WASPAS_T, normalization="max")
    wpm = get_method("wpm").kernel(WASPAS_X, WASPAS_W, WASPAS_T, normalization="max")
    assert np.round(0.5 * wsm + 0.5 * wpm, 4).tolist() == WASPAS_Q


def test_chakraborty_et_al_2015_through_rank_with_normalised_weights():
    """rank() normalises the weights (with a note); WSM is linear and WPM a power in the
    weights, so the printed weights' results follow exactly."""
    dirs = ["max"] * 5 + ["min"] * 2
    k = WASPAS_W.sum()
    r_sum = rank(WASPAS_X, WASPAS_W, dirs, "wsm", normalization="max")
    r_prod = rank(WASPAS_X, WASPAS_W, dirs, "wpm")
    assert any("summed to 1.0155" in n for n in r_sum.notes)
    q = 0.5 * k * r_sum.scores.to_numpy() + 0.5 * r_prod.scores.to_numpy() ** k
    assert np.round(q, 4).tolist() == WASPAS_Q


def test_wsm_sum_normalisation_agrees_with_pymcdm():
    """Cross-check (pymcdm's own WSM test data, not a published example)."""
    X = np.array([[96, 83, 75, 7], [63, 5, 56, 9], [72, 30, 32, 48], [11, 4, 27, 9],
                  [77, 21, 17, 11]], dtype=float)
    w = np.array([8, 5, 6, 7]) / 13
    t = np.array([1, 1, -1, -1])
    ref = pm.WSM()(X, w, t, validation=False)
    np.testing.assert_allclose(get_method("wsm").kernel(X, w, t, normalization="sum"), ref)
    ref = pm.WPM()(X, w, t, validation=False)
    np.testing.assert_allclose(get_method("wpm").kernel(X, w, t, normalization="sum"), ref)


@pytest.mark.parametrize("normalization", ["max", "sum", "none"])
def test_wpm_normalisations_rank_alike(normalization):
    rng = np.random.default_rng(1)
    X = rng.uniform(1, 50, size=(10, 4))
    dirs = ["max", "min", "min", "max"]
    ref = rank(X, [1, 2, 3, 4], dirs, "wpm").ranks
    assert rank(X, [1, 2, 3, 4], dirs, "wpm", normalization=normalization).ranks.equals(ref)


def test_wsm_default_is_minmax_and_none_subtracts_costs():
    X = np.array([[1.0, 10], [2, 30], [3, 20]])
    r = rank(X, [0.5, 0.5], ["max", "min"], "wsm", tables=True)
    assert r.params["normalization"] == "minmax"
    np.testing.assert_allclose(r.tables["normalized"], [[0, 1], [0.5, 0], [1, 0.5]])
    none = rank(X, [0.5, 0.5], ["max", "min"], "wsm", normalization="none")
    np.testing.assert_allclose(none.scores, 0.5 * X[:, 0] - 0.5 * X[:, 1])


def test_wpm_refuses_non_positive_values():
    with pytest.raises(InputError, match="wpm: .*option 1, criterion 1 = 0"):
        rank([[1, 2], [3, 0]], [1, 1], ["max", "max"], "wpm")


def test_wsm_ratio_normalisation_refuses_zero_cost():
    with pytest.raises(InputError, match="normalization='max'.*option 0, criterion 1 = 0"):
        rank([[1, 0], [3, 2]], [1, 1], ["max", "min"], "wsm", normalization="max")
