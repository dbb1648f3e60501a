"""SPOTIS: published worked examples, bounds from the data or given."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from decide.errors import InputError
from decide.ranking import rank

# Dezert, J., Tchamova, A., Han, D., & Tacnet, J. M. (2020). The SPOTIS rank reversal free
# method for multi-criteria decision-making support. 23rd International Conference on
# Information Fusion (FUSION), IEEE, 1-8. Scores (distance to the ideal, lower is better)
# printed to 4 decimals (as in pymcdm's test suite).


def test_dezert_et_al_2020_with_bounds():
    X = [[10.5, -3.1, 1.7], [-4.7, 0, 3.4], [8.1, 0.3, 1.3], [3.2, 7.3, -5.3]]
    bounds = [[-5, 12], [-6, 10], [-8, 5]]
    r = rank(X, [0.2, 0.3, 0.5], ["max", "min", "max"], "spotis", bounds=bounds)
    assert np.round(r.scores.to_numpy(), 4).tolist() == [0.1989, 0.3705, 0.3063, 0.7491]
    assert r.ranks.tolist() == [1, 3, 2, 4]
    assert r.higher_is_better is False


def test_dezert_et_al_2020_with_an_expected_solution_point():
    X = [[15000, 4.3, 99, 42, 737], [15290, 5.0, 116, 42, 892], [15350, 5.0, 114, 45, 952],
         [15490, 5.3, 123, 45, 1120]]
    bounds = [[14000, 16000], [3, 8], [80, 140], [35, 60], [650, 1300]]
    r = rank(X, [0.2941, 0.2353, 0.2353, 0.0588, 0.1765], ["min", "min", "min", "max", "max"],
             "spotis", bounds=bounds, esp=[15300, 4, 115, 50, 900])
    assert np.round(r.scores.to_numpy(), 4).tolist() == [0.1841, 0.0734, 0.0842, 0.1920]


def test_bounds_from_the_data_by_default_and_by_label():
    df = pd.DataFrame({"cost": [10.0, 20, 15], "quality": [3.0, 5, 4]}, index=list("abc"))
    r = rank(df, [0.5, 0.5], ["min", "max"], "spotis", tables=True)
    assert r.tables["lower"].tolist() == [10.0, 3.0]
    assert r.tables["esp"].tolist() == [10.0, 5.0]
    np.testing.assert_allclose(r.scores, [0.5, 0.5, 0.5])
    given = rank(df, [0.5, 0.5], ["min", "max"], "spotis",
                 bounds={"quality": (1, 5), "cost": (0, 40)})
    np.testing.assert_allclose(given.scores, [0.5 * 10 / 40 + 0.5 * 2 / 4,
                                              0.5 * 20 / 40 + 0,
                                              0.5 * 15 / 40 + 0.5 * 1 / 4])


def test_bound_problems_are_located():
    X = [[1.0, 2], [3, 4]]
    with pytest.raises(InputError, match="outside the given bounds: option 1, criterion 1 = 4"):
        rank(X, [1, 1], ["max", "max"], "spotis", bounds=[[0, 5], [0, 3]])
    with pytest.raises(InputError, match="lower bound must be below the upper bound: 0: \\[5, 0\\]"):
        rank(X, [1, 1], ["max", "max"], "spotis", bounds=[[5, 0], [0, 5]])
    with pytest.raises(InputError, match="n x 2"):
        rank(X, [1, 1], ["max", "max"], "spotis", bounds=[0, 5])
    with pytest.raises(InputError, match="esp\\) lies outside the bounds: 1 = 9"):
        rank(X, [1, 1], ["max", "max"], "spotis", bounds=[[0, 5], [0, 5]], esp=[1, 9])


# --------------------------------------------------------------------------- Balanced SPOTIS
#: Shekhovtsov, A., Dezert, J. & Sałabun, W. (2025). Enhancing Personalized Decision-Making with
#: the Balanced SPOTIS Algorithm. ICAART 2025, vol. 3, 264-271, DOI 10.5220/0013119800003890;
#: the worked example as pymcdm's test suite publishes it (8 cars: price, consumption, year).
BSPOTIS_X = np.array([[94.0, 69.9, 2017.0], [297.0, 42.0, 2013.0], [205.0, 68.9, 2015.0],
                      [360.0, 36.9, 2014.0], [86.0, 59.9, 2017.0], [79.6, 63.8, 2017.0],
                      [113.0, 56.9, 2015.0], [171.0, 58.0, 2016.0]])
BSPOTIS_BOUNDS = [[70, 360], [35, 70], [2013, 2018]]
BSPOTIS_W = [0.33, 0.56, 0.11]
BSPOTIS_DIRS = ["min", "min", "max"]
BSPOTIS_ESP = [110, 45, 2018]


def test_balanced_spotis_reproduces_the_published_example():
    r = rank(BSPOTIS_X, BSPOTIS_W, BSPOTIS_DIRS, "spotis", bounds=BSPOTIS_BOUNDS, esp=BSPOTIS_ESP, alpha=0.5)
    assert list(np.round(r.scores.to_numpy(), 4)) == [0.5232, 0.4256, 0.6593, 0.4752, 0.3632, 0.4256, 0.3626,
                                                       0.4242]


@pytest.mark.parametrize("alpha, esp", [(0.0, None), (1.0, BSPOTIS_ESP)])
def test_balanced_spotis_ends_are_plain_spotis(alpha, esp):
    """alpha = 0 trusts only the ideal point, alpha = 1 only the expected one."""
    balanced = rank(BSPOTIS_X, BSPOTIS_W, BSPOTIS_DIRS, "spotis", bounds=BSPOTIS_BOUNDS, esp=BSPOTIS_ESP,
                    alpha=alpha).scores.to_numpy()
    plain = rank(BSPOTIS_X, BSPOTIS_W, BSPOTIS_DIRS, "spotis", bounds=BSPOTIS_BOUNDS, esp=esp).scores.to_numpy()
    np.testing.assert_allclose(balanced, plain, rtol=0, atol=1e-15)


@pytest.mark.parametrize("alpha", [-0.1, 1.5, "half", True])
def test_balanced_spotis_alpha_outside_zero_one_is_refused(alpha):
    with pytest.raises(InputError, match="alpha"):
        rank(BSPOTIS_X, BSPOTIS_W, BSPOTIS_DIRS, "spotis", bounds=BSPOTIS_BOUNDS, esp=BSPOTIS_ESP, alpha=alpha)
