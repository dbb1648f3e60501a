"""SMAA on several threads: the result does not depend on the number of threads or chunks.

Every chunk draws its own samples (sample ``i`` depends only on the seed and ``i``) and the
chunks are added up in sample order, so acceptabilities, central weights and confidence
factors are bit for bit the same for any ``threads`` and ``chunk``.
"""
from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

from decide.errors import InputError
from decide.sensitivity import ScoreSpec, smaa
from decide.sensitivity import _common as C


def _same(a, b):
    pd.testing.assert_frame_equal(a.acceptability, b.acceptability, check_exact=True)
    pd.testing.assert_frame_equal(a.central_weights, b.central_weights, check_exact=True)
    pd.testing.assert_series_equal(a.confidence, b.confidence, check_exact=True)


def _catalogue(m=60, n=5, seed=7):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 100, (m, n))
    X[3] = X[11]  # two identical options: ties in every sample
    X[20:24] = np.round(X[20:24] / 25) * 25  # coarse scores: occasional ties
    return X


@pytest.mark.parametrize("method, scores", [("topsis", None), ("wsm", None), ("vikor", None),
                                            ("promethee_ii", None), ("topsis", "uncertain")])
def test_threads_and_chunks_do_not_change_results(method, scores):
    X = _catalogue(m=25 if method == "promethee_ii" else 60)
    d = ["max", "min", "max", "max", "min"]
    spec = ScoreSpec.uniform(X * 0.9, X * 1.1) if scores else None
    samples = 3000 if scores else 9000
    one = smaa(X, d, method=method, samples=samples, seed=5, chunk=samples, threads=1, scores=spec)
    assert one.acceptability.to_numpy().sum() == pytest.approx(len(X))
    for threads, chunk in [(2, 1000), (3, 257), (2, 64)]:
        _same(smaa(X, d, method=method, samples=samples, seed=5, chunk=chunk, threads=threads,
                   scores=spec), one)


def test_chunks_run_on_worker_threads_in_sample_order():
    seen, lock = [], threading.Lock()

    def work(start, stop):
        with lock:
            seen.append(threading.current_thread().name)
        return start, stop

    ranges = C.chunk_ranges(1000, 37)
    assert list(C.in_order(work, ranges, threads=2)) == ranges
    assert all(name.startswith("decide-chunk") for name in seen)
    assert list(C.in_order(work, ranges, threads=1)) == ranges


def test_progress_counts_every_sample_once_with_threads():
    calls = []
    X = _catalogue(m=40)
    smaa(X, ["max"] * 5, samples=5000, chunk=700, threads=2,
         progress=lambda done, total: calls.append((done, total)))
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[-1] == 5000 and {t for _, t in calls} == {5000}


@pytest.mark.parametrize("threads", [0, -1, 1.5, True])
def test_bad_thread_count_is_a_located_error(threads):
    with pytest.raises(InputError, match="threads"):
        smaa(_catalogue(m=30)[:5], ["max"] * 5, samples=10, threads=threads)


# --------------------------------------------------------------------------- the key order
@pytest.mark.parametrize("m", [2, 3, 100, 513, 2000])
def test_key_order_is_argsort_where_scores_are_apart(m):
    rng = np.random.default_rng(m)
    rows = [rng.uniform(0, 1, m), rng.normal(0, 1e6, m), -rng.uniform(1e-3, 1, m),
            rng.permutation(np.arange(m) - m // 2).astype(float),
            np.concatenate([[-np.inf, np.inf, 0.0], rng.uniform(-5, 5, m - 3)]) if m > 3 else rng.random(m)]
    S = np.array(rows)
    assert np.array_equal(C._key_order(S), np.argsort(S, axis=1))


def _groups(order, gaps, has_tie, k):
    """Per row: the tie groups as sets of options (the order inside a group is free)."""
    out = []
    for r in range(k):
        if not has_tie[r]:
            out.append([frozenset([int(o)]) for o in order[r]])
            continue
        st, _ = C.group_bounds(gaps[np.array([r])])
        groups: dict = {}
        for p, o in enumerate(order[r]):
            groups.setdefault(int(st[0, p]), set()).add(int(o))
        out.append([frozenset(g) for _, g in sorted(groups.items())])
    return out


@pytest.mark.parametrize("m", [40, 700])
@pytest.mark.parametrize("higher", [True, False])
def test_key_order_keeps_every_tie_group(m, higher, monkeypatch):
    rng = np.random.default_rng(m)
    S = np.round(rng.uniform(0, 3, (60, m)), 2)  # coarse: many ties
    S[::3] += rng.normal(0, 1e-12, (20, m))  # rounding noise inside the tie tolerance
    S[1] = rng.uniform(0, 1, m)  # rows without ties
    S[4, :5] = np.nan  # an undefined row ties everyone
    S[7] *= 1e-300  # scores so small the key's rounding would matter: argsort for them
    fast = C.sort_with_ties(S.copy(), higher, 0.0)
    monkeypatch.setattr(C, "_KEY_MAX_OPTIONS", 0)  # argsort everywhere: the reference
    ref = C.sort_with_ties(S.copy(), higher, 0.0)
    assert np.array_equal(fast[2], ref[2])
    assert _groups(fast[0], fast[1], fast[2], 60) == _groups(ref[0], ref[1], ref[2], 60)
    clean = ~ref[2]
    assert np.array_equal(fast[0][clean], ref[0][clean])


def test_smaa_is_the_same_with_the_key_order_and_with_argsort(monkeypatch):
    rng = np.random.default_rng(3)
    X = np.round(rng.uniform(1, 4, (600, 3)))  # 600 options on a coarse scale: ties everywhere
    d = ["max", "min", "max"]
    fast = smaa(X, d, method="wsm", samples=300, seed=2, threads=2)
    monkeypatch.setattr(C, "_KEY_MAX_OPTIONS", 0)
    _same(fast, smaa(X, d, method="wsm", samples=300, seed=2, threads=1))


def test_key_order_edge_cases_keep_argsort_groups():
    # subnormal scores: 40 distinct multiples of the smallest double share one key bucket, and
    # the tolerance (1e-9 of the largest) is 0, so every option is apart: argsort decides
    tiny = np.random.default_rng(1).permutation(40) * 5e-324
    order, _, has_tie = C.sort_with_ties(tiny[None, :], True, 0.0)
    assert not has_tie[0] and np.array_equal(order[0], np.argsort(tiny)[::-1])
    # more than 512 options: values gathered in key order come out of order inside a tie
    # group (b before a, 4 ulps apart); the group boundary must come from the sorted values,
    # where c - b <= tol, not from c - a > tol
    m = 600
    row = 3.0 + 0.01 * np.arange(m)
    a = 1.0
    b = a + 4 * np.spacing(1.0)
    tol = 1e-9 * row[-1]
    c = a + tol
    while c - a <= tol:
        c = np.nextafter(c, 2.0)
    assert c - b <= tol < c - a
    row[:3] = b, a, c
    order, gaps, has_tie = C.sort_with_ties(row[None, :].copy(), True, 0.0)
    groups = _groups(order, gaps, has_tie, 1)[0]
    assert groups[-1] == frozenset({0, 1, 2})  # the lowest group holds a, b and c


# --------------------------------------------------------------------------- the screen
@pytest.mark.parametrize("m", [2, 5, 100, 700])
@pytest.mark.parametrize("higher", [True, False])
@pytest.mark.parametrize("scale", [0.0, 1.0])
def test_the_screen_on_key_values_decides_as_exactly_sorted_scores(m, higher, scale, monkeypatch):
    """Rows are screened on the sorted keys' values (the scores with their low bits cleared)
    and only rows near a tie sorted again exactly. Gaps a hair either side of the tolerance,
    on negative, positive and mixed rows of several sizes, must decide as the exact sort does."""
    rng = np.random.default_rng(m)
    rows = []
    for centre, spread in [(0.5, 0.4), (-3e4, 1e4), (0.0, 1e-3), (2e8, 1e7), (-1.0, 0.5)]:
        for nudge in (1 - 1e-6, 1 + 1e-6, 1 - 1e-12, 1 + 1e-12):
            row = centre + spread * rng.uniform(-1, 1, m)
            row[:2] = centre - spread, centre + spread  # the extremes, so the tolerance is known
            tol = C.TIE_RTOL * max(np.abs(row[:2]).max(), scale)
            i = m - 1 if m > 2 else 1  # an inner option moved next to another inner one
            partner = row[m - 2] if m > 3 else centre
            if m > 2:
                row[i] = partner + tol * nudge * (1 if rng.random() < 0.5 else -1)
            rows.append(row)
    S = np.array(rows)
    fast = C.sort_with_ties(S.copy(), higher, scale)
    monkeypatch.setattr(C, "_KEY_MAX_OPTIONS", 0)  # argsort and exactly sorted values
    ref = C.sort_with_ties(S.copy(), higher, scale)
    assert np.array_equal(fast[2], ref[2])
    k = len(S)
    assert _groups(fast[0], fast[1], fast[2], k) == _groups(ref[0], ref[1], ref[2], k)
    assert np.array_equal(fast[0][~ref[2]], ref[0][~ref[2]])
    everyone = np.arange(k)
    assert np.array_equal(fast[1][everyone][~ref[2]], ref[1][everyone][~ref[2]])


def test_gaps_of_rows_without_ties_are_all_strict():
    S = np.array([[0.1, 0.5, 0.9], [0.2, 0.2, 0.7]])
    order, gaps, has_tie = C.sort_with_ties(S, True, 1.0)
    assert has_tie.tolist() == [False, True]
    assert gaps[np.array([0, 1])].tolist() == [[True, True], [True, False]]


@pytest.mark.parametrize("scores", [None, "uncertain"])
def test_default_threads_one_for_fixed_scores_every_cpu_for_uncertain(scores, monkeypatch):
    seen = []
    real = C.in_order

    def spy(fn, ranges, threads):
        seen.append(threads)
        return real(fn, ranges, threads)

    monkeypatch.setattr(C, "in_order", spy)
    monkeypatch.setattr(C, "available_cpus", lambda: 7)
    X = _catalogue(m=20)
    spec = ScoreSpec.uniform(X * 0.9, X * 1.1) if scores else None
    smaa(X, ["max"] * 5, samples=300, scores=spec)
    assert set(seen) == ({7} if scores else {1})


@pytest.mark.parametrize("shape", [(0, 5), (0, 1), (3, 1)])
def test_no_rows_or_one_option_sort_without_error(shape):
    order, gaps, has_tie = C.sort_with_ties(np.zeros(shape), True, 1.0)
    assert order.shape == shape and has_tie.shape == (shape[0],) and not has_tie.any()
