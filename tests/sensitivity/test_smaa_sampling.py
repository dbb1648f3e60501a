"""Weight and score sampling of decide.sensitivity (no ranking method needed)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from decide.errors import InputError
from decide.sensitivity.sampling import BLOCK, BlockSource, ScoreSpec, WeightSpec

CRIT = ["cost", "risk", "innovation", "flex"]


def on_simplex(W: np.ndarray) -> bool:
    return bool(np.all(W >= 0) and np.allclose(W.sum(axis=1), 1.0, atol=1e-12))


# --------------------------------------------------------------------------- blocks
def test_block_source_is_independent_of_how_it_is_sliced():
    draw = lambda rng, size: rng.random((size, 3))  # noqa: E731
    whole = BlockSource(draw, 7, 0).get(0, 2 * BLOCK + 17)
    for step in (1, 99, 1000, 1500):
        src = BlockSource(draw, 7, 0)
        parts = [src.get(a, min(a + step, 2 * BLOCK + 17)) for a in range(0, 2 * BLOCK + 17, step)]
        np.testing.assert_array_equal(np.concatenate(parts), whole)


def test_prefix_property_and_seed():
    spec = WeightSpec.uniform()
    a = spec.sample(CRIT, 1500, seed=3)
    b = spec.sample(CRIT, 2500, seed=3)
    np.testing.assert_array_equal(a, b[:1500])
    assert not np.array_equal(a, spec.sample(CRIT, 1500, seed=4))


# --------------------------------------------------------------------------- uniform
def test_uniform_moments():
    """Uniform on the simplex = Dirichlet(1,..,1): w_j ~ Beta(1, n-1), mean 1/n,
    variance (n-1) / (n^2 (n+1)); for n = 4: 0.25 and 3/80."""
    W = WeightSpec.uniform().sample(CRIT, 40_000, seed=1)
    assert on_simplex(W)
    se_mean = np.sqrt(3 / 80 / 40_000)
    assert np.all(np.abs(W.mean(axis=0) - 0.25) < 4 * se_mean)
    assert np.all(np.abs(W.var(axis=0) - 3 / 80) < 0.002)


def test_uniform_two_criteria_first_weight_is_uniform():
    W = WeightSpec.uniform().sample(2, 20_000, seed=0)
    # Kolmogorov-Smirnov distance to U(0, 1)
    x = np.sort(W[:, 0])
    ks = np.max(np.abs(x - np.arange(1, len(x) + 1) / len(x)))
    assert ks < 1.63 / np.sqrt(len(x))  # 1 % level


# --------------------------------------------------------------------------- intervals
def test_intervals_respected_and_uniform_inside():
    spec = WeightSpec.intervals({"cost": (0.2, 0.5), "risk": (0.1, 0.3)})
    W = spec.sample(CRIT, 20_000, seed=2)
    assert on_simplex(W)
    assert W[:, 0].min() >= 0.2 - 1e-12 and W[:, 0].max() <= 0.5 + 1e-12
    assert W[:, 1].min() >= 0.1 - 1e-12 and W[:, 1].max() <= 0.3 + 1e-12
    # uniform on the region: innovation and flex are exchangeable
    assert abs(W[:, 2].mean() - W[:, 3].mean()) < 0.01


def test_intervals_against_rejection_from_uniform():
    """The lower-bound shift plus rejection equals plain rejection from the uniform simplex."""
    bounds = {"cost": (0.3, 0.6), "risk": (0.0, 0.2)}
    W = WeightSpec.intervals(bounds).sample(CRIT, 20_000, seed=5)
    U = WeightSpec.uniform().sample(CRIT, 400_000, seed=6)
    keep = (U[:, 0] >= 0.3) & (U[:, 0] <= 0.6) & (U[:, 1] <= 0.2)
    R = U[keep]
    assert len(R) > 5_000
    se = np.sqrt(W.var(axis=0) / len(W) + R.var(axis=0) / len(R))
    assert np.all(np.abs(W.mean(axis=0) - R.mean(axis=0)) < 4 * se + 1e-12)


def test_intervals_tight_implied_bounds_and_fixed_point():
    W = WeightSpec.intervals({0: (0.5, 0.5), 1: (0.5, 0.5)}).sample(2, 10, seed=0)
    np.testing.assert_allclose(W, 0.5)
    W = WeightSpec.intervals({"cost": (0.0, 0.1), "risk": (0.0, 0.1), "innovation": (0, 0.1)}
                             ).sample(CRIT, 500, seed=0)
    assert W[:, 3].min() >= 0.7 - 1e-12  # implied: flex >= 1 - 0.3


@pytest.mark.parametrize("bounds, what", [
    ({"cost": (0.6, 0.9), "risk": (0.5, 0.9)}, "no weight vector fits"),
    ({"cost": (0.5, 0.2)}, "low <= high"),
    ({"cost": (-0.1, 0.2)}, "low <= high"),
    ({"price": (0.1, 0.2)}, "unknown criterion"),
    ({"cost": (0.1,)}, "expected (low, high)"),
])
def test_intervals_errors(bounds, what):
    with pytest.raises(InputError, match="weights intervals") as e:
        WeightSpec.coerce(bounds).bind(CRIT)
    assert what in str(e.value)


def test_intervals_too_narrow_for_rejection():
    """Ten weights each <= 0.105 (sum of highs 1.05): no bound is implied, and a uniform
    sample satisfies all ten highs with probability ~1e-7 (inclusion-exclusion)."""
    with pytest.raises(InputError, match="almost no room"):
        WeightSpec.intervals({j: (0.0, 0.105) for j in range(10)}).bind(10)


# --------------------------------------------------------------------------- ordered
def test_ordered_full_and_partial():
    W = WeightSpec.ordered(["risk", "cost", "flex", "innovation"]).sample(CRIT, 5000, seed=0)
    assert on_simplex(W)
    assert np.all(W[:, 1] >= W[:, 0]) and np.all(W[:, 0] >= W[:, 3]) and np.all(W[:, 3] >= W[:, 2])
    # rank-order centroid (Barron & Barrett 1996): E[w_(k)] = (1/n) sum_{i>=k} 1/i
    roc = np.array([sum(1 / i for i in range(k, 5)) / 4 for k in range(1, 5)])
    np.testing.assert_allclose(W[:, [1, 0, 3, 2]].mean(axis=0), roc, atol=0.006)
    P = WeightSpec.ordered(["flex", "cost"]).sample(CRIT, 2000, seed=0)
    assert np.all(P[:, 3] >= P[:, 0])
    assert (P[:, 1] > P[:, 3]).any()  # risk unconstrained


def test_ordered_errors():
    with pytest.raises(InputError, match="appears twice"):
        WeightSpec.ordered(["cost", "cost"]).bind(CRIT)
    with pytest.raises(InputError, match="at least two"):
        WeightSpec.ordered("cost")


# --------------------------------------------------------------------------- dirichlet
def test_dirichlet_mean_and_spread():
    """Dirichlet(k a): mean a, var a(1-a)/(k+1)."""
    a = {"cost": 0.4, "risk": 0.3, "innovation": 0.2, "flex": 0.1}
    W = WeightSpec.coerce({"around": a, "concentration": 50}).sample(CRIT, 20_000, seed=0)
    assert on_simplex(W)
    av = np.array(list(a.values()))
    np.testing.assert_allclose(W.mean(axis=0), av, atol=0.003)
    np.testing.assert_allclose(W.var(axis=0), av * (1 - av) / 51, rtol=0.05)


@pytest.mark.parametrize("spec, what", [
    ({"around": [0.5, 0.5, 0.0, 0.0]}, "positive weights"),
    ({"around": [0.5, 0.5]}, "expected 4 weights"),
    ({"around": [0.25] * 4, "concentration": 0}, "positive number"),
    ({"around": [0.25] * 4, "spread": 3}, "unknown keys"),
    ({"around": {"cost": 1.0}}, "no weight for"),
])
def test_dirichlet_errors(spec, what):
    with pytest.raises(InputError, match=what):
        WeightSpec.coerce(spec).bind(CRIT)


def test_coerce_and_describe():
    assert WeightSpec.coerce(None).describe() == {"kind": "uniform"}
    assert WeightSpec.coerce(["cost", "risk"]).describe() == {"kind": "ordered", "order": ["cost", "risk"]}
    assert WeightSpec.coerce({"cost": (0, 0.5)}).describe() == {"kind": "intervals", "bounds": {"cost": [0.0, 0.5]}}
    d = WeightSpec.coerce({"around": {"cost": 1, "risk": 1}, "concentration": 10}).describe()
    assert d == {"kind": "dirichlet", "around": {"cost": 1.0, "risk": 1.0}, "concentration": 10.0}
    with pytest.raises(InputError, match="expected None"):
        WeightSpec.coerce(3)
    with pytest.raises(InputError, match="'around'"):
        WeightSpec.coerce([0.5, 0.3, 0.2])


@given(n=st.integers(1, 6), seed=st.integers(0, 2**32 - 1), kind=st.sampled_from(["u", "o", "d", "i"]))
def test_weights_stay_on_the_simplex(n, seed, kind):
    if kind == "u":
        spec = WeightSpec.uniform()
    elif kind == "o":
        spec = WeightSpec.ordered(list(range(n))) if n >= 2 else WeightSpec.uniform()
    elif kind == "d":
        spec = WeightSpec.dirichlet(np.arange(1, n + 1), concentration=5)
    else:
        spec = WeightSpec.intervals({0: (0.0, 0.9)}) if n >= 2 else WeightSpec.uniform()
    W = spec.sample(n, 300, seed=seed)
    assert W.shape == (300, n)
    assert on_simplex(W)


# --------------------------------------------------------------------------- scores
ALTS = __import__("pandas").Index(["a", "b"])
CRITS = __import__("pandas").Index(["x", "y"])


def test_score_cells_uniform_and_triangular_moments():
    """U(2, 4): mean 3, var 1/3. Tri(0, 1, 4): mean 5/3, var (a²+b²+c²-ab-ac-bc)/18 = 13/18."""
    X = np.array([[3.0, 1.0], [1.0, 1.0]])
    spec = ScoreSpec.coerce({("a", "x"): ("uniform", 2, 4), ("b", "y"): {"low": 0, "mode": 1, "high": 4}})
    b = spec.bind(X, ALTS, CRITS)
    Xs = b.matrices(b.source(0).get(0, 50_000))
    assert Xs.shape == (50_000, 2, 2)
    assert np.all(Xs[:, 0, 1] == 1.0) and np.all(Xs[:, 1, 0] == 1.0)  # fixed cells
    ax, by = Xs[:, 0, 0], Xs[:, 1, 1]
    assert 2 <= ax.min() and ax.max() <= 4 and 0 <= by.min() and by.max() <= 4
    assert abs(ax.mean() - 3) < 4 * np.sqrt(1 / 3 / 50_000)
    assert abs(by.mean() - 5 / 3) < 4 * np.sqrt(13 / 18 / 50_000)
    assert abs(by.var() - 13 / 18) < 0.03


def test_score_arrays_form_and_errors():
    X = np.ones((2, 2))
    b = ScoreSpec.coerce({"low": X * 0, "high": X * 2}).bind(X, ALTS, CRITS)
    assert len(b.uncertain) == 4
    with pytest.raises(InputError, match="low 3.0 > high 1.0"):
        ScoreSpec.cells({("a", "x"): (3, 1)}).bind(X, ALTS, CRITS)
    with pytest.raises(InputError, match="mode 5.0 outside"):
        ScoreSpec.cells({("a", "x"): ("triangular", 0, 5, 1)}).bind(X, ALTS, CRITS)
    with pytest.raises(InputError, match="unknown alternative"):
        ScoreSpec.cells({("zz", "x"): (0, 1)}).bind(X, ALTS, CRITS)
    with pytest.raises(InputError, match="expected"):
        ScoreSpec.cells({("a", "x"): ("normal", 0, 1)}).bind(X, ALTS, CRITS)
    with pytest.raises(InputError, match="expected shape"):
        ScoreSpec.uniform(np.zeros((3, 2)), np.ones((3, 2))).bind(X, ALTS, CRITS)
