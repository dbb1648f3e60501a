"""SMAA-2 (Lahdelma & Salminen 2001): analytic cases, batched = loop, chunking, properties."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("decide.ranking")

from decide.errors import InputError  # noqa: E402
from decide.sensitivity import SMAA, ScoreSpec, WeightSpec, smaa  # noqa: E402

# --------------------------------------------------------------------------- analytic case
# Two benefit criteria, WSM on the values as given (normalization="none"), weights uniform on
# the simplex: w = (w1, 1 - w1) with w1 ~ U(0, 1) (Dirichlet(1, 1)).
#   A = (0.8, 0.2): u_A = 0.2 + 0.6 w1
#   B = (0.3, 0.5): u_B = 0.5 - 0.2 w1
#   C = (0.1, 0.1): u_C = 0.1            (dominated by A and by B)
# A beats B  <=>  0.2 + 0.6 w1 > 0.5 - 0.2 w1  <=>  w1 > t = 0.3 / 0.8 = 0.375.
# Rank acceptabilities: b_A^1 = P(w1 > t) = 1 - t = 0.625, b_B^1 = t = 0.375; b_A^2 = t,
# b_B^2 = 1 - t; b_C^3 = 1.
# Central weights: w_A^c = E[w | w1 > t] = ((1 + t)/2, (1 - t)/2) = (0.6875, 0.3125);
#                  w_B^c = E[w | w1 < t] = (t/2, 1 - t/2) = (0.1875, 0.8125); C: none.
# Confidence (fixed scores): w1 = 0.6875 > t makes A first, 0.1875 < t makes B first: 1, 1.
# Monte-Carlo standard errors with N samples: sqrt(p(1-p)/N) for a share; for a central weight
# sd(w1 | w1 > t) / sqrt(N p) with sd = (1 - t)/sqrt(12) (uniform on [t, 1]).
T = 0.375
N = 20_000
ANALYTIC = pd.DataFrame([[0.8, 0.2], [0.3, 0.5], [0.1, 0.1]], index=["A", "B", "C"],
                        columns=["quality", "fit"])


@pytest.fixture(scope="module")
def analytic():
    return smaa(ANALYTIC, ["max", "max"], method="wsm", normalization="none", samples=N, seed=0)


def test_analytic_acceptability(analytic):
    acc = analytic.acceptability
    se = np.sqrt(T * (1 - T) / N)
    assert abs(acc.loc["A", 1] - (1 - T)) < 4 * se
    assert abs(acc.loc["B", 1] - T) < 4 * se
    assert acc.loc["A", 2] == pytest.approx(acc.loc["B", 1], abs=1e-15)
    assert acc.loc["C", 3] == 1.0 and acc.loc["C", 1] == 0.0
    assert list(acc.columns) == [1, 2, 3] and list(acc.index) == ["A", "B", "C"]


def test_analytic_central_weights_and_confidence(analytic):
    cw = analytic.central_weights
    se_a = (1 - T) / np.sqrt(12) / np.sqrt(N * (1 - T))
    se_b = T / np.sqrt(12) / np.sqrt(N * T)
    assert abs(cw.loc["A", "quality"] - (1 + T) / 2) < 4 * se_a
    assert abs(cw.loc["B", "quality"] - T / 2) < 4 * se_b
    np.testing.assert_allclose(cw.loc[["A", "B"]].sum(axis=1), 1.0, atol=1e-12)
    assert cw.loc["C"].isna().all()
    assert analytic.confidence["A"] == 1.0 and analytic.confidence["B"] == 1.0
    assert np.isnan(analytic.confidence["C"])
    assert analytic.holistic()["C"] == 0.0


def test_analytic_with_uncertain_scores():
    """One criterion (weight 1), WSM on values as given. B is fixed at 0.25.
    A ~ U(0, 1): P(A first) = P(A > 0.25) = 0.75.
    A ~ Tri(0, 0.5, 1): F(x) = x² / ((b - a)(c - a)) = x² / 0.5 for x <= c, so
    P(A > 0.25) = 1 - 0.0625 / 0.5 = 0.875. The confidence factor of A uses its central weight
    (1) on the score samples: again 0.75 / 0.875; for B: 0.25 / 0.125."""
    X = pd.DataFrame({"value": [0.5, 0.25]}, index=["A", "B"])
    for spec, p in ((("uniform", 0, 1), 0.75), (("triangular", 0, 0.5, 1), 0.875)):
        r = smaa(X, ["max"], method="wsm", normalization="none", samples=N, seed=1,
                 scores={("A", "value"): spec})
        se = np.sqrt(p * (1 - p) / N)
        assert abs(r.acceptability.loc["A", 1] - p) < 4 * se
        assert r.confidence["A"] == pytest.approx(r.acceptability.loc["A", 1], abs=1e-12)
        assert r.confidence["B"] == pytest.approx(1 - r.acceptability.loc["A", 1], abs=1e-12)
        assert r.scores == {"kind": "cells"}


# --------------------------------------------------------------------------- dominance
@pytest.mark.parametrize("method", ["topsis", "wsm", "promethee_ii", "vikor", "ahp", "wpm"])
def test_dominated_option_is_last_with_acceptability_one(method):
    rng = np.random.default_rng(4)
    X = rng.uniform(2, 9, (6, 3))
    types = np.array([1, -1, 1])
    X = np.vstack([X, X.min(axis=0) * (types > 0) + X.max(axis=0) * (types < 0)
                   - 0.5 * types])  # worse than every option on every criterion
    r = smaa(X, ["max", "min", "max"], method=method, samples=2000, seed=0)
    assert r.acceptability.iloc[-1, -1] == pytest.approx(1.0, abs=1e-12)
    assert r.central_weights.iloc[-1].isna().all()


# --------------------------------------------------------------------------- batched = loop
@pytest.mark.parametrize("method, params", [
    ("topsis", {}), ("wsm", {}), ("promethee_ii", {}), ("vikor", {}),
    ("promethee_ii", {"preference": "vshape", "p": 3.0}),
])
def test_batched_smaa_equals_per_sample_loop(method, params):
    rng = np.random.default_rng(5)
    X = rng.uniform(1, 10, (12, 4))
    X[2] = X[9]  # tied options: fractional shares on both paths
    d = ["max", "min", "max", "max"]
    fast = smaa(X, d, method=method, samples=3000, seed=2, **params)
    slow = smaa(X, d, method=method, samples=3000, seed=2, engine="loop", **params)
    assert fast.engine != "loop" and slow.engine == "loop"
    np.testing.assert_allclose(fast.acceptability, slow.acceptability, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.central_weights, slow.central_weights, rtol=0, atol=1e-12)
    np.testing.assert_allclose(fast.confidence, slow.confidence, rtol=0, atol=1e-12)
    # the tie of options 2 and 9 is split evenly
    np.testing.assert_allclose(fast.acceptability.loc[2], fast.acceptability.loc[9], atol=1e-12)


def test_batched_equals_loop_with_uncertain_scores():
    rng = np.random.default_rng(6)
    X = rng.uniform(1, 10, (8, 3))
    spec = ScoreSpec.uniform(X * 0.8, X * 1.2)
    fast = smaa(X, ["max", "min", "max"], samples=600, seed=3, scores=spec, chunk=250)
    slow = smaa(X, ["max", "min", "max"], samples=600, seed=3, scores=spec, engine="loop")
    np.testing.assert_allclose(fast.acceptability, slow.acceptability, atol=1e-12)
    np.testing.assert_allclose(fast.confidence, slow.confidence, atol=1e-12)


# --------------------------------------------------------------------------- reproducibility
@pytest.mark.parametrize("scores", [None, "uncertain"])
def test_chunk_size_does_not_change_results(scores):
    rng = np.random.default_rng(7)
    X = rng.uniform(1, 10, (10, 4))
    X[1] = X[4]
    spec = ScoreSpec.uniform(X * 0.9, X * 1.1) if scores else None
    d = ["max"] * 4
    runs = [smaa(X, d, samples=2500, seed=11, chunk=c, scores=spec) for c in (100, 1000, 333, 2500)]
    for r in runs[1:]:
        pd.testing.assert_frame_equal(r.acceptability, runs[0].acceptability, check_exact=True)
        pd.testing.assert_frame_equal(r.central_weights, runs[0].central_weights, check_exact=True)
        pd.testing.assert_series_equal(r.confidence, runs[0].confidence, check_exact=True)


def test_seed_reproducible_and_recorded():
    X = np.random.default_rng(8).uniform(1, 10, (5, 3))
    a = smaa(X, ["max"] * 3, samples=500, seed=3)
    b = smaa(X, ["max"] * 3, samples=500, seed=3)
    c = smaa(X, ["max"] * 3, samples=500, seed=4)
    pd.testing.assert_frame_equal(a.acceptability, b.acceptability, check_exact=True)
    assert not a.central_weights.equals(c.central_weights)
    d = smaa(X, ["max"] * 3, samples=500, seed=None)
    e = smaa(X, ["max"] * 3, samples=500, seed=d.seed)
    pd.testing.assert_frame_equal(d.acceptability, e.acceptability, check_exact=True)


# --------------------------------------------------------------------------- weights specs
def test_weight_specs_reach_the_analysis():
    # With w1 >= 0.5 A always beats B (t = 0.375): b_A^1 = 1.
    r = smaa(ANALYTIC, ["max", "max"], method="wsm", normalization="none", samples=1000,
             weights={"quality": (0.5, 1.0)})
    assert r.acceptability.loc["A", 1] == 1.0 and r.weights["kind"] == "intervals"
    assert r.central_weights.loc["A", "quality"] >= 0.5
    # fit more important than quality: w1 <= 0.5, uniform on [0, 0.5]: P(w1 > t) = 0.25
    r = smaa(ANALYTIC, ["max", "max"], method="wsm", normalization="none", samples=N,
             weights=["fit", "quality"])
    assert abs(r.acceptability.loc["A", 1] - 0.25) < 4 * np.sqrt(0.25 * 0.75 / N)
    # concentrated around (0.8, 0.2): Beta(400, 100) for w1, P(w1 <= 0.375) ~ 0
    r = smaa(ANALYTIC, ["max", "max"], method="wsm", normalization="none", samples=1000,
             weights={"around": [0.8, 0.2], "concentration": 500})
    assert r.acceptability.loc["A", 1] == 1.0
    assert r.central_weights.loc["A", "quality"] == pytest.approx(0.8, abs=0.005)


# --------------------------------------------------------------------------- output
def test_frames_dict_and_html(analytic):
    df = analytic.to_frame()
    assert list(df.columns) == ["rank_1", "rank_2", "rank_3", "confidence", "w_quality", "w_fit"]
    d = analytic.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["central_weights"]["C"] is None and d["confidence"]["C"] is None
    assert len(d["acceptability"]["A"]) == 3
    assert d["samples"] == N and d["seed"] == 0 and d["method"] == "wsm"
    assert "<table" in analytic._repr_html_() and "SMAA-2" in analytic._repr_html_()
    assert "A:" in repr(analytic)
    with pytest.raises(Exception):
        analytic.samples = 3  # frozen


def test_progress_callback():
    calls = []
    X = np.random.default_rng(9).uniform(1, 10, (5, 3))
    smaa(X, ["max"] * 3, samples=2500, chunk=1000, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1000, 2500), (2000, 2500), (2500, 2500)]
    calls.clear()
    smaa(X, ["max"] * 3, samples=200, chunk=100, scores=ScoreSpec.uniform(X * 0.9, X * 1.1),
         progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (400, 400) and len(calls) == 4


@pytest.mark.parametrize("kw, what", [
    ({"samples": 0}, "samples"), ({"chunk": 0}, "chunk"), ({"seed": -1}, "seed"),
    ({"method": "electre"}, "electre"), ({"weights": 5}, "weights"),
    ({"scores": [1, 2]}, "scores"), ({"engine": "gpu"}, "engine"),
])
def test_bad_input_is_a_located_error(kw, what):
    X = np.random.default_rng(9).uniform(1, 10, (5, 3))
    with pytest.raises(InputError, match=what):
        smaa(X, ["max"] * 3, **kw)


def test_fallback_method_runs_and_notes_it():
    X = np.random.default_rng(10).uniform(1, 10, (5, 3))
    r = smaa(X, ["max", "min", "max"], method="wpm", samples=300)
    assert r.engine == "loop" and any("per sample" in n for n in r.notes)
    np.testing.assert_allclose(r.acceptability.sum(axis=0), 1.0, atol=1e-12)


# --------------------------------------------------------------------------- properties
@settings(max_examples=25)
@given(m=st.integers(2, 7), n=st.integers(1, 4), seed=st.integers(0, 10_000),
       method=st.sampled_from(["topsis", "wsm", "vikor", "promethee_ii"]),
       dup=st.booleans())
def test_acceptability_rows_and_columns_sum_to_one(m, n, seed, method, dup):
    rng = np.random.default_rng(seed)
    X = rng.integers(1, 5, (m, n)).astype(float)  # small integers: many ties
    if dup:
        X[-1] = X[0]
    r = smaa(X, ["max"] * n, method=method, samples=300, seed=seed, chunk=128)
    acc = r.acceptability.to_numpy()
    assert np.all(acc >= -1e-15)
    np.testing.assert_allclose(acc.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(acc.sum(axis=0), 1.0, atol=1e-12)
    cw = r.central_weights.dropna().to_numpy()
    assert np.all(cw >= 0)
    np.testing.assert_allclose(cw.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(r.first, acc[:, 0])
    assert isinstance(r, SMAA)


def test_uncertain_range_is_validated_by_the_method():
    """TOPSIS with max normalisation needs values >= 0: a range reaching below 0 is refused
    even though the point values are fine."""
    X = np.array([[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(InputError):
        smaa(X, ["max", "max"], normalization="max", scores=ScoreSpec.uniform(X - 1.5, X + 1))
