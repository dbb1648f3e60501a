"""Weight stability intervals and sweeps against hand-computed WSM cases."""
from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("decide.ranking")

from decide.errors import InputError  # noqa: E402
from decide.ranking import methods  # noqa: E402
from decide.sensitivity import stability, sweep  # noqa: E402

EXACT = 1e-6  # the contract is 1e-4; bisection gives ~1e-10

# --------------------------------------------------------------------------- two criteria
# WSM on values as given, both benefit. Weight of "quality" = t, of "fit" = 1 - t.
#   A = (0.8, 0.2): 0.2 + 0.6 t;  B = (0.3, 0.5): 0.5 - 0.2 t;  C = (0.1, 0.1): 0.1.
# A = B at t = 0.3 / 0.8 = 0.375; C is below both for every t (A - C = 0.1 + 0.6 t > 0,
# B - C = 0.4 - 0.2 t > 0). At w = (0.6, 0.4) the order is A, B, C.
#   quality: A first (and the whole order kept) for t in [0.375, 1]; below, B takes over.
#   fit:     its weight s = 1 - t: A first for s in [0, 0.625]; above, B takes over.
TWO = pd.DataFrame([[0.8, 0.2], [0.3, 0.5], [0.1, 0.1]], index=["A", "B", "C"],
                   columns=["quality", "fit"])


def test_two_criteria_wsm():
    s = stability(TWO, [0.6, 0.4], ["max", "max"], method="wsm", normalization="none")
    q, f = s["quality"], s["fit"]
    assert s.top == ("A",)
    assert q.top_low == pytest.approx(0.375, abs=EXACT) and q.top_high == 1.0
    assert q.top_taker_low == "B" and q.top_taker_high is None
    assert (q.rank_low, q.rank_high) == pytest.approx((0.375, 1.0), abs=EXACT)
    assert q.rank_swap_low == (("A", "B"),)
    assert f.top_low == 0.0 and f.top_high == pytest.approx(0.625, abs=EXACT)
    assert f.top_taker_low is None and f.top_taker_high == "B"


# --------------------------------------------------------------------------- three criteria
# Three benefit criteria, WSM on values as given, w = (0.5, 0.3, 0.2).
# Moving criterion j to t rescales the others proportionally: w_k(t) = (1 - t) w_k / (1 - w_j).
# So u_i(t) = t x_ij + (1 - t) r_i with r_i = sum_{k != j} w_k x_ik / (1 - w_j): a straight line,
# and options i, l cross at t* = (r_i - r_l) / ((r_i - r_l) - (x_ij - x_lj)).
# For criterion 0 (r = 0.6 x1 + 0.4 x2):
#   A = (0.9, 0.2, 0.3): r = 0.24, line 0.24 -> 0.90      at t0 = 0.5: 0.57
#   B = (0.4, 0.7, 0.5): r = 0.62, line 0.62 -> 0.40                   0.51
#   C = (0.5, 0.5, 0.2): r = 0.38, line 0.38 -> 0.50                   0.44
#   D = (0.1, 0.3, 0.9): r = 0.54, line 0.54 -> 0.10                   0.32
# crossings: A-C 0.14/0.54 = 0.259259, A-D 0.3/1.1 = 0.272727, C-D 0.16/0.56 = 0.285714,
#            A-B 0.38/0.88 = 0.431818, B-C 0.24/0.34 = 0.705882; B-D never.
# Around t0 = 0.5: top A on [0.431818, 1] (B below); order A, B, C, D on [0.431818, 0.705882].
THREE = pd.DataFrame([[0.9, 0.2, 0.3], [0.4, 0.7, 0.5], [0.5, 0.5, 0.2], [0.1, 0.3, 0.9]],
                     index=list("ABCD"), columns=["c0", "c1", "c2"])
W3 = np.array([0.5, 0.3, 0.2])


def crossings(X: np.ndarray, w: np.ndarray, j: int) -> list[tuple[float, int, int]]:
    """All crossings in (0, 1) on criterion j's path, by the formula above."""
    rest = np.delete(np.arange(len(w)), j)
    r = X[:, rest] @ w[rest] / (1 - w[j])
    out = []
    for i, l in itertools.combinations(range(len(X)), 2):
        dr, dx = r[i] - r[l], X[i, j] - X[l, j]
        if dr != dx:
            t = dr / (dr - dx)
            if 0 < t < 1:
                out.append((t, i, l))
    return sorted(out)


def expected_intervals(X: np.ndarray, w: np.ndarray, j: int):
    """Hand rule: the top interval ends at the nearest crossing that involves the current
    winner on each side; the rank interval at the nearest crossing of any pair."""
    u = X @ w
    top = int(np.argmax(u))
    cr = crossings(X, w, j)
    t0 = w[j]
    below = [t for t, *_ in cr if t < t0]
    above = [t for t, *_ in cr if t > t0]
    below_top = [t for t, i, l in cr if t < t0 and top in (i, l)]
    above_top = [t for t, i, l in cr if t > t0 and top in (i, l)]
    return (max(below_top, default=0.0), min(above_top, default=1.0),
            max(below, default=0.0), min(above, default=1.0))


def test_three_criteria_by_hand():
    s = stability(THREE, W3, ["max"] * 3, method="wsm", normalization="none")
    c0 = s["c0"]
    assert c0.top_low == pytest.approx(0.38 / 0.88, abs=EXACT)
    assert c0.top_high == 1.0 and c0.top_taker_low == "B"
    assert c0.rank_low == pytest.approx(0.38 / 0.88, abs=EXACT)
    assert c0.rank_high == pytest.approx(0.24 / 0.34, abs=EXACT)
    assert c0.rank_swap_high == (("B", "C"),)
    for j, name in enumerate(["c0", "c1", "c2"]):
        got = s[name]
        exp = expected_intervals(THREE.to_numpy(), W3, j)
        assert (got.top_low, got.top_high, got.rank_low, got.rank_high) == pytest.approx(exp, abs=EXACT)


def test_sweep_breakpoints_are_the_crossings_and_the_interval_ends():
    df = sweep(THREE, W3, ["max"] * 3, criterion="c0", method="wsm", normalization="none",
               points=21)
    bps = df.attrs["breakpoints"]
    hand = [t for t, *_ in crossings(THREE.to_numpy(), W3, 0)]
    np.testing.assert_allclose([b["weight"] for b in bps], hand, atol=EXACT)
    assert [b["top_changes"] for b in bps] == [False, False, False, True, False]
    assert bps[3]["top_before"] == ["B"] and bps[3]["top_after"] == ["A"]
    assert bps[4]["swapped"] == [("B", "C")]
    assert list(df.columns) == ["criterion", "weight", "alternative", "score", "rank",
                                "breakpoint", "current"]
    assert df["breakpoint"].sum() == 5 * 4 and df["current"].sum() == 4
    assert len(df) == (21 + 5 + 1) * 4
    assert df["weight"].is_monotonic_increasing
    # ranks at the current weight are the current ranking
    cur = df[df["current"]].set_index("alternative")["rank"]
    assert cur.to_dict() == {"A": 1, "B": 2, "C": 3, "D": 4}


@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee_ii", "wsm"])
def test_sweep_breakpoints_coincide_with_the_stability_intervals(method):
    rng = np.random.default_rng(3)
    X = rng.uniform(1, 10, (6, 3))
    w = np.array([0.5, 0.3, 0.2])
    d = ["max", "min", "max"]
    s = stability(X, w, d, method=method)
    df = sweep(X, w, d, method=method, points=11)
    for j in range(3):
        bps = [b for b in df.attrs["breakpoints"] if b["criterion"] == j]
        c = s[j]
        rank_b = [b["weight"] for b in bps]
        top_b = [b["weight"] for b in bps if b["top_changes"]]
        lo = max([t for t in rank_b if t < c.weight], default=0.0)
        hi = min([t for t in rank_b if t > c.weight], default=1.0)
        assert (c.rank_low, c.rank_high) == pytest.approx((lo, hi), abs=EXACT)
        lo = max([t for t in top_b if t < c.weight], default=0.0)
        hi = min([t for t in top_b if t > c.weight], default=1.0)
        assert (c.top_low, c.top_high) == pytest.approx((lo, hi), abs=EXACT)


def test_all_criteria_sweep_is_stacked_in_criterion_order():
    df = sweep(THREE, W3, ["max"] * 3, method="wsm", normalization="none", points=5)
    assert list(dict.fromkeys(df["criterion"])) == ["c0", "c1", "c2"]
    assert {b["criterion"] for b in df.attrs["breakpoints"]} <= {"c0", "c1", "c2"}
    with pytest.raises(InputError, match="unknown criterion"):
        sweep(THREE, W3, ["max"] * 3, criterion="c9")


@pytest.mark.parametrize("method", methods())
def test_every_registered_method(method):
    rng = np.random.default_rng(1)
    X = rng.uniform(1, 10, (5, 3))
    s = stability(X, [0.4, 0.35, 0.25], ["max", "min", "max"], method=method)
    for c in s.criteria:
        assert c.top_low <= c.rank_low <= c.weight <= c.rank_high <= c.top_high
    json.dumps(s.to_dict(), allow_nan=False)


def test_frame_dict_html():
    s = stability(TWO, [0.6, 0.4], ["max", "max"], method="wsm", normalization="none")
    df = s.to_frame()
    assert list(df.columns) == ["criterion", "weight", "top_low", "top_high", "top_taker_low",
                                "top_taker_high", "rank_low", "rank_high"]
    assert df.loc[0, "top_taker_high"] is None
    d = s.to_dict()
    assert set(d) == {"quality", "fit"}
    assert d["quality"]["low"] == d["quality"]["top_low"]
    assert {"low", "high", "top_low", "top_high"} <= set(d["fit"])
    assert "<table" in s._repr_html_()


def test_weight_of_one_and_zero():
    """w = (1, 0): the others have no ratios to keep and share 1 - t equally."""
    s = stability(TWO, [1.0, 0.0], ["max", "max"], method="wsm", normalization="none")
    assert s["quality"].top_low == pytest.approx(0.375, abs=EXACT)
    assert s["fit"].top_low == 0.0 and s["fit"].top_high == pytest.approx(0.625, abs=EXACT)


@settings(max_examples=20)
@given(seed=st.integers(0, 10_000), m=st.integers(2, 6), n=st.integers(2, 4),
       method=st.sampled_from(["topsis", "wsm", "promethee_ii"]))
def test_intervals_contain_the_current_weight(seed, m, n, method):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (m, n))
    w = rng.dirichlet(np.ones(n))
    s = stability(X, w, ["max"] * n, method=method, grid=201)
    for c in s.criteria:
        assert 0.0 <= c.top_low <= c.rank_low <= c.weight <= c.rank_high <= c.top_high <= 1.0
