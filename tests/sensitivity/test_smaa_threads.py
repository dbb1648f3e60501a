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
