"""TOPSIS on the matrix as given (``normalization="none"``), as pymcdm and scikit-criteria allow.

Reference: pymcdm 1.4 ``TOPSIS(normalization_function=identity)`` (Kizielewicz, Shekhovtsov &
Salabun 2023, SoftwareX 22:101368), computed here by the peer itself on a small matrix chosen
for the test; pymcdm's identity normalisation treats every criterion as a benefit, so a cost
criterion is passed to it negated (the same distances).
"""
from __future__ import annotations

import numpy as np
import pytest

from decide.ranking import rank

pymcdm = pytest.importorskip("pymcdm")
from pymcdm.methods import TOPSIS  # noqa: E402

X = np.array([[250, 16, 12, 5], [200, 16, 8, 3], [300, 32, 16, 4], [275, 32, 8, 4], [225, 16, 16, 2]], float)
W = np.array([0.25, 0.25, 0.25, 0.25])


def _peer(X, types):
    return TOPSIS(normalization_function=lambda x, cost: x)(X, W, np.array(types))


def test_benefit_criteria_match_pymcdm():
    ours = rank(X, W, ["max"] * 4, method="topsis", normalization="none").scores.to_numpy()
    assert ours == pytest.approx(_peer(X, [1, 1, 1, 1]), abs=1e-12)
    # by hand for option 3 (the best): V = X / 4; D+ = distance to (75, 8, 4, 1.25)
    V = X * W
    d_plus = np.sqrt(((V - V.max(axis=0)) ** 2).sum(axis=1))
    d_minus = np.sqrt(((V - V.min(axis=0)) ** 2).sum(axis=1))
    assert ours[2] == pytest.approx(d_minus[2] / (d_plus[2] + d_minus[2]))


def test_a_cost_criterion_takes_its_minimum_as_ideal():
    ours = rank(X, W, ["min", "max", "max", "max"], method="topsis", normalization="none").scores.to_numpy()
    negated = X.copy()
    negated[:, 0] *= -1
    assert ours == pytest.approx(_peer(negated, [1, 1, 1, 1]), abs=1e-12)
    assert not np.allclose(ours, rank(X, W, ["min", "max", "max", "max"], method="topsis").scores.to_numpy())
