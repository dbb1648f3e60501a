"""Sensitivity engines: which one each method gets, and its scores against the kernel loop."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("decide.ranking")

from decide.sensitivity import _common as C  # noqa: E402
from decide.ranking import get_method  # noqa: E402
from decide.sensitivity.engines import select_engine  # noqa: E402
from decide.sensitivity.sampling import WeightSpec  # noqa: E402

BATCHED = {
    ("topsis", ()): "topsis-vector",
    ("topsis", (("normalization", "minmax"),)): "topsis-minmax",
    ("topsis", (("normalization", "max"),)): "topsis-max",
    ("topsis", (("normalization", "sum"),)): "topsis-sum",
    ("wsm", ()): "linear",
    ("wsm", (("normalization", "none"),)): "linear",
    ("promethee_ii", ()): "linear",
    ("promethee_ii", (("preference", "linear"), ("q", 0.5), ("p", 2.0))): "linear",
    ("vikor", ()): "vikor",
    ("vikor", (("v", 0.2),)): "vikor",
    ("ahp", ()): "linear",
}


def problem(seed=0, m=15, n=4):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (m, n))
    X[3] = X[7]  # an exact tie, to exercise the tie path
    directions = ["max", "min", "max", "min"][:n]
    return X, directions


@pytest.mark.parametrize("method, params", list(BATCHED))
def test_batched_equals_kernel_loop_fixed_scores(method, params):
    X, d = problem()
    ctx = C.context(X, None, d, method, dict(params))
    eng = select_engine(ctx)
    assert eng.name == BATCHED[(method, params)], eng.notes
    W = WeightSpec.uniform().sample(ctx.criteria, 500, seed=1)
    batched = eng.fixed(ctx.X).scores(W)
    loop = np.stack([ctx.kernel(w) for w in W])
    assert batched.shape == (500, ctx.m) and batched.flags.c_contiguous
    np.testing.assert_allclose(batched, loop, rtol=0, atol=1e-12)


@pytest.mark.parametrize("method, params", [("topsis", {}), ("topsis", {"normalization": "minmax"}),
                                            ("vikor", {"v": 0.7})])
def test_batched_equals_kernel_loop_sampled_scores(method, params):
    X, d = problem(2)
    ctx = C.context(X, None, d, method, params)
    eng = select_engine(ctx)
    assert eng.sampled is not None
    rng = np.random.default_rng(3)
    Xs = X[None] * rng.uniform(0.8, 1.2, (200,) + X.shape)
    W = WeightSpec.uniform().sample(ctx.criteria, 200, seed=4)
    batched = eng.sampled(Xs).scores(W)
    loop = np.stack([ctx.kernel(W[s], Xs[s]) for s in range(200)])
    np.testing.assert_allclose(batched, loop, rtol=0, atol=1e-12)
    # one weight row for every sample (the confidence factor's use)
    one = eng.sampled(Xs).scores(W[:1])
    np.testing.assert_allclose(one, np.stack([ctx.kernel(W[0], Xs[s]) for s in range(200)]),
                               rtol=0, atol=1e-12)


def test_topsis_closeness_textbook_example():
    """pymcdm's TOPSIS docstring example (vector normalisation is the same closeness as
    Hwang & Yoon's): x = [[1, 3000], [2, 3750], [5, 4500]], types (min, max), w = (.5, .5)
    -> the scores of decide.ranking's TOPSIS, which reproduces the published values."""
    from decide.ranking import rank

    X = np.array([[1, 3000], [2, 3750], [5, 4500]], float)
    ref = rank(X, [0.5, 0.5], ["min", "max"], "topsis").scores.to_numpy()
    got = get_method("topsis").batch(X, np.array([-1, 1])).scores(np.array([[0.5, 0.5]]))[0]
    np.testing.assert_allclose(got, ref, atol=1e-14)


def test_non_linear_methods_fall_back_to_the_loop_and_say_so():
    X, d = problem()
    for method in ("wpm", "copras"):
        ctx = C.context(X, None, d, method, {})
        eng = select_engine(ctx)
        assert eng.name == "loop"
        assert "per sample" in eng.notes[0]
