"""TOPSIS: published worked example, normalisations, tables, and pymcdm cross-checks."""
from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm
from pymcdm import normalizations as pn

from decide.errors import InputError
from decide.ranking import rank

# Papathanasiou, J., & Ploskas, N. (2018). TOPSIS. In Multiple Criteria Decision Aid: Methods,
# Examples and Python Implementations (pp. 1-30). Springer, Cham.
# https://doi.org/10.1007/978-3-319-91648-4_1 -- 6 options, 4 benefit criteria, weights
# 0.4/0.3/0.1/0.2, vector normalisation (Hwang & Yoon 1981); closeness printed to 3 decimals.
# (Values as also reproduced in the test suite of distance_metrics_mcda, A. Baczkiewicz.)
PP_MATRIX = np.array([[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7],
                      [6, 9, 5, 4]], dtype=float)
PP_WEIGHTS = [0.4, 0.3, 0.1, 0.2]
PP_CLOSENESS = [0.387, 0.327, 0.391, 0.615, 0.868, 0.493]


def test_papathanasiou_ploskas_2018_vector_normalisation():
    r = rank(PP_MATRIX, PP_WEIGHTS, ["max"] * 4, "topsis")
    assert r.params["normalization"] == "vector"
    assert np.round(r.scores.to_numpy(), 3).tolist() == PP_CLOSENESS
    assert r.ranks.tolist() == [5, 6, 4, 2, 1, 3]


def test_pymcdm_default_is_minmax_and_does_not_reproduce_the_example():
    """pymcdm 1.4 quirk: TOPSIS() normalises min-max by default."""
    default = pm.TOPSIS()(PP_MATRIX, np.array(PP_WEIGHTS), np.ones(4))
    assert np.round(default, 3).tolist() != PP_CLOSENESS
    vector = pm.TOPSIS(pn.vector_normalization)(PP_MATRIX, np.array(PP_WEIGHTS), np.ones(4))
    assert np.round(vector, 3).tolist() == PP_CLOSENESS


@pytest.mark.parametrize("ours,theirs", [("vector", pn.vector_normalization),
                                         ("minmax", pn.minmax_normalization),
                                         ("max", pn.max_normalization)])
def test_agrees_with_pymcdm_with_costs(ours, theirs):
    """Our linear normalisations with the ideal chosen per direction equal pymcdm's oriented
    ones (a cost column is the mirror image); checked on random data with cost criteria."""
    rng = np.random.default_rng(7)
    X = rng.uniform(1, 100, size=(12, 5))
    w = rng.uniform(0.1, 1, 5)
    w /= w.sum()
    t = np.array([1, -1, 1, -1, -1])
    ref = pm.TOPSIS(theirs)(X, w, t)
    got = rank(X, w, ["max" if x > 0 else "min" for x in t], normalization=ours).scores
    np.testing.assert_allclose(got.to_numpy(), ref, rtol=1e-12)


def test_tables_show_the_working():
    r = rank(PP_MATRIX, PP_WEIGHTS, ["max", "max", "min", "max"], tables=True)
    t = r.tables
    V = t["weighted"].to_numpy()
    np.testing.assert_allclose(V, t["normalized"].to_numpy() * PP_WEIGHTS)
    np.testing.assert_allclose(np.linalg.norm(t["normalized"].to_numpy(), axis=0), 1.0)
    assert t["ideal"][2] == V[:, 2].min() and t["anti_ideal"][2] == V[:, 2].max()
    np.testing.assert_allclose(t["d_plus"], np.linalg.norm(V - t["ideal"].to_numpy(), axis=1))
    np.testing.assert_allclose(t["closeness"], t["d_minus"] / (t["d_minus"] + t["d_plus"]))
    np.testing.assert_allclose(t["closeness"], r.scores)


def test_ratio_normalisations_refuse_negative_values():
    with pytest.raises(InputError, match="option 1, criterion 0 = -2"):
        rank([[1, 2], [-2, 3]], [1, 1], ["max", "max"], normalization="sum")
    # vector and minmax are linear and accept them
    rank([[1, 2], [-2, 3]], [1, 1], ["max", "max"], normalization="minmax")


def test_unknown_normalisation_lists_the_choices():
    with pytest.raises(InputError, match="'vector', 'minmax', 'max', 'sum'"):
        rank(PP_MATRIX, PP_WEIGHTS, ["max"] * 4, normalization="l2")
