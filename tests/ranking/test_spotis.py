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
