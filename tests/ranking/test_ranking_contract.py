"""One contract battery over every registered ranking method, with seeded and property-based
instances.

Each property runs for every name in ``methods()`` with the method's default parameters:
shape and labels, ties, NaN refusal, dominance, permutation, scale invariance of a benefit
column, weights up to a constant factor, constant criteria. Values are drawn on an integer grid
(1..60) so that distinct options differ by far more than rounding noise.

Dominance: with their default parameters all built-in methods respect dominance (an option
that is at least as good on every criterion never ranks below one it dominates; equal ranks
are allowed, e.g. when the better criterion has weight 0). It does not hold for SPOTIS with an
expected solution point (``esp``) inside the range, by design, and is not asserted there.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decide.errors import InputError
from decide.ranking import get_method, methods, prepare, rank

METHODS = methods()


@st.composite
def problems(draw, min_m=2, max_m=7, max_n=4):
    m = draw(st.integers(min_m, max_m))
    n = draw(st.integers(1, max_n))
    values = draw(st.lists(st.integers(1, 60), min_size=m * n, max_size=m * n))
    X = np.array(values, dtype=float).reshape(m, n)
    w = np.array(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)), dtype=float)
    dirs = draw(st.lists(st.sampled_from(["max", "min"]), min_size=n, max_size=n))
    return X, w / w.sum(), dirs


def test_registry_lists_every_method():
    assert METHODS == ["topsis", "vikor", "promethee_ii", "wsm", "wpm", "ahp", "copras", "spotis"]
    for name in METHODS:
        m = get_method(name)
        assert m.name == name
        assert isinstance(m.higher_is_better, bool)
        assert m.check_params() == dict(m.defaults)
        assert m.reference


@pytest.mark.parametrize("name", METHODS)
def test_shape_labels_and_types(name):
    df = pd.DataFrame({"cost": [300.0, 250, 400, 280], "quality": [4.0, 3, 5, 4],
                       "lock_in": [2.0, 4, 1, 3]}, index=["suite", "modular", "open", "hybrid"])
    r = rank(df, {"quality": 2, "cost": 3, "lock_in": 1}, {"cost": "min", "quality": "max",
                                                              "lock_in": "min"}, name)
    assert list(r.scores.index) == list(df.index)
    assert list(r.ranks.index) == list(df.index)
    assert r.ranks.dtype.kind == "i"
    assert sorted(set(r.ranks)) [0] == 1 and r.ranks.max() <= len(df)
    assert np.isfinite(r.scores.to_numpy()).all()
    assert r.method == name and r.higher_is_better == get_method(name).higher_is_better
    best = r.scores.idxmax() if r.higher_is_better else r.scores.idxmin()
    assert r.ranks[best] == 1
    # unlabelled input gets positions 0..m-1
    r2 = rank(df.to_numpy(), [3, 2, 1], ["min", "max", "min"], name)
    assert list(r2.scores.index) == [0, 1, 2, 3]


@pytest.mark.parametrize("name", METHODS)
def test_identical_options_tie_and_share_the_best_rank(name):
    X = np.array([[5.0, 3, 7], [2, 8, 4], [5, 3, 7], [9, 1, 2], [3, 3, 3]])
    r = rank(X, [0.5, 0.3, 0.2], ["max", "min", "max"], name)
    assert r.scores[0] == pytest.approx(r.scores[2], rel=1e-12)
    assert r.ranks[0] == r.ranks[2]
    # the tie takes the best rank of its group and the next option skips a place
    below = [k for k in r.ranks if k > r.ranks[0]]
    if below:
        assert min(below) == r.ranks[0] + 2


@pytest.mark.parametrize("name", METHODS)
def test_nan_is_refused_naming_option_and_criterion(name):
    df = pd.DataFrame({"cost": [1.0, np.nan, 3.0], "risk": [1.0, 2.0, np.inf]},
                      index=["a", "b", "c"])
    with pytest.raises(InputError) as exc:
        rank(df, [0.5, 0.5], ["min", "min"], name)
    text = str(exc.value)
    assert "option 'b', criterion 'cost'" in text
    assert "option 'c', criterion 'risk'" in text
    assert "Fill in" in text


@pytest.mark.parametrize("name", METHODS)
@settings(max_examples=25)
@given(data=problems(), pick=st.integers(0, 100), extra=st.lists(st.integers(0, 5), min_size=4,
                                                                  max_size=4))
def test_a_dominating_option_never_ranks_below(name, data, pick, extra):
    X, w, dirs = data
    m, n = X.shape
    b = pick % m
    t = np.where(np.array(dirs) == "max", 1.0, -1.0)
    row = X[b] + t * np.array(extra[:n], dtype=float)  # at least as good everywhere
    if np.array_equal(row, X[b]):
        row[0] += t[0] * 1.0
    row = np.maximum(row, 1.0)  # stay positive (WPM, COPRAS); still >= X[b] for a cost
    dominates = (row * t >= X[b] * t).all() and (row * t > X[b] * t).any()
    if not dominates:
        return
    Y = np.vstack([X, row])
    r = rank(Y, w, dirs, name)
    assert r.ranks[m] <= r.ranks[b]


@pytest.mark.parametrize("name", METHODS)
@settings(max_examples=25)
@given(data=problems(), seed=st.integers(0, 2**16))
def test_permuting_options_permutes_scores(name, data, seed):
    X, w, dirs = data
    perm = np.random.default_rng(seed).permutation(X.shape[0])
    r = rank(X, w, dirs, name)
    rp = rank(X[perm], w, dirs, name)
    np.testing.assert_allclose(rp.scores.to_numpy(), r.scores.to_numpy()[perm], rtol=1e-10,
                               atol=1e-12)
    np.testing.assert_array_equal(rp.ranks.to_numpy(), r.ranks.to_numpy()[perm])


@pytest.mark.parametrize("name", METHODS)
@settings(max_examples=25)
@given(data=problems(), factor=st.sampled_from([0.001, 0.5, 3.0, 1000.0]), col=st.integers(0, 3))
def test_scaling_a_benefit_column_keeps_the_ranks(name, data, factor, col):
    """Holds for TOPSIS (every normalisation is a per-column scale), WSM with its ratio or
    range normalisations, and, with default parameters, every other built-in method."""
    X, w, dirs = data
    j = col % X.shape[1]
    dirs = list(dirs)
    dirs[j] = "max"
    Y = X.copy()
    Y[:, j] *= factor
    np.testing.assert_array_equal(rank(Y, w, dirs, name).ranks.to_numpy(),
                                  rank(X, w, dirs, name).ranks.to_numpy())


@pytest.mark.parametrize("normalization", ["vector", "minmax", "max", "sum"])
@settings(max_examples=20)
@given(data=problems(), factor=st.sampled_from([0.01, 7.0]), col=st.integers(0, 3))
def test_scaling_keeps_topsis_ranks_for_every_normalization(normalization, data, factor, col):
    X, w, dirs = data
    j = col % X.shape[1]
    dirs = list(dirs)
    dirs[j] = "max"
    Y = X.copy()
    Y[:, j] *= factor
    a = rank(X, w, dirs, "topsis", normalization=normalization).ranks.to_numpy()
    b = rank(Y, w, dirs, "topsis", normalization=normalization).ranks.to_numpy()
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", METHODS)
@settings(max_examples=20)
@given(data=problems(), factor=st.sampled_from([0.01, 3.0, 250.0]))
def test_weights_up_to_a_constant_factor_give_the_same_ranking(name, data, factor):
    X, w, dirs = data
    a = rank(X, w, dirs, name)
    b = rank(X, w * factor, dirs, name)
    np.testing.assert_array_equal(a.ranks.to_numpy(), b.ranks.to_numpy())
    np.testing.assert_allclose(a.scores.to_numpy(), b.scores.to_numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", METHODS)
@settings(max_examples=20)
@given(data=problems(max_n=3), value=st.integers(1, 60), weight=st.integers(1, 5))
def test_a_constant_benefit_criterion_carries_no_information(name, data, value, weight):
    """Appending a criterion on which all options are equal never changes the ranking and
    never gives NaN. (For COPRAS this is asserted for a benefit criterion only: a constant
    cost criterion shifts every S- by the same amount, which changes COPRAS's nonlinear
    cost term.)"""
    X, w, dirs = data
    Y = np.column_stack([X, np.full(X.shape[0], float(value))])
    r = rank(Y, np.append(w, weight / 5), list(dirs) + ["max"], name)
    assert np.isfinite(r.scores.to_numpy()).all()
    assert any("carries no information" in note for note in r.notes)
    np.testing.assert_array_equal(r.ranks.to_numpy(), rank(X, w, dirs, name).ranks.to_numpy())


@pytest.mark.parametrize("name", METHODS)
def test_everything_constant_is_a_tie_not_nan(name):
    X = np.full((4, 3), 7.0)
    r = rank(X, [1, 1, 1], ["max", "min", "max"], name)
    assert np.isfinite(r.scores.to_numpy()).all()
    assert (r.ranks == 1).all()


@pytest.mark.parametrize("name", METHODS)
def test_kernel_matches_rank_and_is_pure(name):
    X = np.array([[3.0, 200, 4], [5, 260, 2], [4, 180, 5], [2, 150, 3]])
    p = prepare(X, [0.4, 0.4, 0.2], ["max", "min", "max"])
    m = get_method(name)
    params, _ = m.resolve(p, m.check_params())
    before = p.X.copy()
    scores = m.kernel(p.X, p.w, p.types, **params)
    np.testing.assert_array_equal(p.X, before)
    np.testing.assert_allclose(scores, rank(p, method=name).scores.to_numpy(), rtol=1e-12)
    # also with the unbound, checked parameters (what decide.sensitivity passes)
    np.testing.assert_allclose(m.kernel(p.X, p.w, p.types, **m.check_params()), scores,
                               rtol=1e-12)


@pytest.mark.parametrize("name", METHODS)
def test_tables_are_labelled_and_consistent(name):
    df = pd.DataFrame({"c1": [3.0, 5, 4], "c2": [200.0, 260, 180]}, index=list("xyz"))
    r = rank(df, [0.6, 0.4], ["max", "min"], name, tables=True)
    r0 = rank(df, [0.6, 0.4], ["max", "min"], name)
    np.testing.assert_allclose(r.scores.to_numpy(), r0.scores.to_numpy(), rtol=1e-12)
    assert r.tables, "every method shows its working"
    for key, table in r.tables.items():
        if isinstance(table, pd.DataFrame):
            assert list(table.index) == list("xyz"), key
        elif isinstance(table, pd.Series):
            assert list(table.index) in (list("xyz"), ["c1", "c2"]), key


@pytest.mark.parametrize("name", METHODS)
def test_unknown_parameter_is_refused_with_the_known_ones(name):
    with pytest.raises(InputError, match="unknown parameter"):
        rank([[1, 2], [3, 4]], [1, 1], ["max", "max"], name, not_a_param=1)


# --------------------------------------------------------------------------- batched forms
#: every parameter set with a batched form, beside the defaults
BATCH_PARAMS = {
    "topsis": [{}, {"normalization": "minmax"}, {"normalization": "max"}, {"normalization": "sum"}],
    "vikor": [{}, {"v": 0.2}, {"v": 1.0}],
    "wsm": [{}] + [{"normalization": n} for n in ("max", "sum", "vector", "none")],
    "ahp": [{}, {"mode": "ideal"}],
}


def _batch_cases():
    for name in METHODS:
        for params in BATCH_PARAMS.get(name, [{}]):
            yield pytest.param(name, params, id=f"{name}-{'-'.join(map(str, params.values())) or 'default'}")


@pytest.mark.parametrize("name, params", list(_batch_cases()))
@settings(max_examples=25, deadline=None)
@given(data=problems(min_m=2, max_m=9, max_n=5), seed=st.integers(0, 2**16))
def test_batched_form_equals_the_kernel(name, params, data, seed):
    """A method's batched form (``batch`` / ``batch_sampled``) gives its kernel's scores for
    every weight vector and every sampled matrix: the sensitivity analyses rely on it."""
    X, w, dirs = data
    method = get_method(name)
    prep = prepare(X, w, dirs)
    checked = method.check_params(**params)
    bound, _ = method.resolve(prep, checked)
    rng = np.random.default_rng(seed)
    W = rng.dirichlet(np.ones(X.shape[1]), 12)
    batch = method.batch(prep.X, prep.types, **bound)
    if batch is None:
        assert method.batch_sampled(prep.X[None], prep.types, **bound) is None
        return
    ref = np.stack([method.kernel(prep.X, wk, prep.types, **bound) for wk in W])
    np.testing.assert_allclose(batch.scores(W), ref, rtol=0, atol=1e-12)
    sampled = method.batch_sampled(prep.X[None], prep.types, **bound)
    if sampled is None:
        return
    Xs = prep.X[None] * rng.uniform(0.8, 1.25, (12,) + prep.X.shape)
    ref_s = np.stack([method.kernel(Xs[s], W[s], prep.types, **bound) for s in range(12)])
    got = method.batch_sampled(Xs, prep.types, **bound)
    np.testing.assert_allclose(got.scores(W), ref_s, rtol=0, atol=1e-12)
    # one weight row for every sample, and several weight rows for every sample
    np.testing.assert_allclose(got.scores(W[:1]),
                               np.stack([method.kernel(Xs[s], W[0], prep.types, **bound) for s in range(12)]),
                               rtol=0, atol=1e-12)
    multi = got.scores_multi(W[:3])
    assert multi.shape == (12, 3, X.shape[0])
    np.testing.assert_allclose(multi[:, 2], np.stack([method.kernel(Xs[s], W[2], prep.types, **bound)
                                                      for s in range(12)]), rtol=0, atol=1e-12)
