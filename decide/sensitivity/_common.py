"""Shared helpers of :mod:`decide.sensitivity`: the bound method, ties, labels.

Everything here is internal.
"""
from __future__ import annotations

import functools
import itertools
import math
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence

import numpy as np
import pandas as pd

from decide.errors import InputError, Message
from decide.ranking.bound import BoundMethod, bind

#: Two scores tie when they differ by at most ``tie_tolerance`` of their evaluation: rounding
#: noise (a batched matrix product against a per-sample loop, a bisection point next to a
#: crossing) must never decide a rank. One rule for the whole package: the ranking's own.
from decide.ranking._util import TIE_RTOL, tie_tolerance  # noqa: E402,F401


def n_columns(matrix: Any) -> int:
    """Number of criteria in ``matrix`` (before validation), for building equal weights."""
    shape = np.shape(matrix) if not isinstance(matrix, pd.DataFrame) else matrix.shape
    if len(shape) != 2 or shape[1] < 1:
        raise InputError(
            Message("input.sensitivity_matrix_not_2d", shape=tuple(shape))
        )
    return int(shape[1])


def context(matrix: Any, weights: Any, directions: Any, method: str, params: dict) -> BoundMethod:
    """Every sensitivity analysis works on a bound method (:func:`decide.ranking.bind`): its
    kernel, its batched forms and the package's tie rule. Validate and bind; without ``weights`` every criterion weighs the same (the
    weights SMAA samples do not depend on them)."""
    if weights is None:
        n = n_columns(matrix)
        weights = np.full(n, 1.0 / n)
    return bind(matrix, weights, directions, method, **params)


# --------------------------------------------------------------------------- ties and ranks
def sort_with_ties(scores: np.ndarray, higher_is_better: bool, scale: float = 0.0,
                   overwrite: bool = False) -> tuple[np.ndarray, TieGaps, np.ndarray]:
    """Sort each row of ``scores`` (k, m) best first and find where ties are.

    Returns ``order`` (k, m): the option at each position; ``gaps``: ``gaps[rows]`` is True
    where the next position is strictly worse (beyond :data:`TIE_RTOL`); ``has_tie`` (k,).
    A row with a NaN or an infinite score is one tie group (every option shares every
    position). With ``overwrite`` the rows of ``scores`` may be changed (no copy is made).

    Up to :data:`_KEY_MAX_OPTIONS` options the rows are ordered by :func:`_key_order` and the
    gaps read off the sorted keys, whose values are the scores with their lowest bits cleared
    (:func:`_key_values`). Those values are within ``2**(b - 51)`` of the largest score of the
    exact ones, so a row whose smallest gap clears the tolerance by that margin has no tie;
    every other row (a possible tie, a non-finite score, scores too small for keys) is sorted
    again exactly. The result is what ``argsort`` and exactly sorted values give, except the
    order inside a tie group.
    """
    k, m = scores.shape
    if not (1 < m <= _KEY_MAX_OPTIONS and k):
        return _sort_with_ties_exact(scores, higher_is_better, scale, overwrite)
    b = (m - 1).bit_length()
    keys = _sorted_keys(scores, b)
    asc = keys & ((1 << b) - 1)
    sv = _key_values(keys, b)  # ascending, each a little below its score
    lo, hi = sv[:, 0], sv[:, -1]
    flat = sv.ravel()
    with np.errstate(invalid="ignore"):
        gaps = flat[1:] - flat[:-1]  # along the rows; every m-th spans two rows
    gaps[m - 1::m] = np.inf
    scaled = TIE_RTOL * scale >= _KEY_MIN_TOL  # else a row of tiny scores needs argsort
    if scaled or not ((lo > -2 * _KEY_MIN_TOL / TIE_RTOL) & (hi < 2 * _KEY_MIN_TOL / TIE_RTOL)).any():
        # the usual case, decided for the chunk at once: the widest room any row can have
        low, high = float(lo.min()), float(hi.max())
        big = max(abs(low), abs(high))
        if math.isfinite(big) and gaps.min() > tie_tolerance(low, high, scale) + big * 2.0 ** (b - 48):
            order = asc[:, ::-1] if higher_is_better else asc
            return order, TieGaps(np.empty((0, m - 1)), np.empty(0), higher_is_better, np.empty(0, np.intp), k), \
                np.zeros(k, dtype=bool)
    with np.errstate(invalid="ignore"):
        big = np.maximum(np.abs(lo), np.abs(hi))
        room = tie_tolerance(lo, hi, scale) + big * 2.0 ** (b - 48)  # NaN where not finite
        unsure = ~(np.append(gaps, np.inf).reshape(k, m).min(axis=1) > room)
    if not scaled:
        unsure |= TIE_RTOL * big < 2 * _KEY_MIN_TOL  # decided on the exact scores below
    rows = np.flatnonzero(unsure)
    has_tie = np.zeros(k, dtype=bool)
    exact = scores[rows]  # a copy
    bad = ~np.isfinite(exact).all(axis=1)
    exact[bad] = 0.0
    tiny = TIE_RTOL * np.maximum(np.abs(exact).max(axis=1), scale) < _KEY_MIN_TOL
    if tiny.any():  # 16 bits of rounding are not small against such a tolerance
        asc[rows[tiny]] = np.argsort(exact[tiny], axis=1)
    asc[rows[bad]] = np.arange(m)
    exact.sort(axis=1)
    tol = tie_tolerance(exact[:, 0], exact[:, -1], scale)
    diff = exact[:, 1:] - exact[:, :-1]
    has_tie[rows] = diff.min(axis=1) <= tol
    order = asc[:, ::-1] if higher_is_better else asc
    return order, TieGaps(diff, tol, higher_is_better, rows, k), has_tie

def _sort_with_ties_exact(scores: np.ndarray, higher_is_better: bool, scale: float,
                          overwrite: bool) -> tuple[np.ndarray, TieGaps, np.ndarray]:
    """:func:`sort_with_ties` by ``argsort`` and sorted values (one option, or very many)."""
    k, m = scores.shape
    bad = ~np.isfinite(scores).all(axis=1)
    if bad.any():
        scores = scores if overwrite else scores.copy()
        scores[bad] = 0.0
    asc = np.argsort(scores, axis=1)
    sv = np.take_along_axis(scores, asc, axis=1)
    tol = tie_tolerance(sv[:, 0], sv[:, -1], scale)
    diff = sv[:, 1:] - sv[:, :-1]  # >= 0
    has_tie = diff.min(axis=1) <= tol if m > 1 else np.zeros(k, dtype=bool)
    order = asc[:, ::-1] if higher_is_better else asc
    return order, TieGaps(diff, tol, higher_is_better, np.arange(k), k), has_tie


#: :func:`_key_order` packs the option's index into the low bits of the score: up to 2**16
#: options (16 bits, a relative rounding below 2**-36 of a score, far inside the tie tolerance).
_KEY_MAX_OPTIONS = 1 << 16
#: Rows whose tie tolerance is below this are ordered by ``argsort`` instead (subnormal scores,
#: where 16 bits of rounding are not small against the tolerance).
_KEY_MIN_TOL = 1e-290
_SIGN_FREE = np.int64(0x7FFFFFFFFFFFFFFF)


def _sorted_keys(scores: np.ndarray, b: int) -> np.ndarray:
    """Each row's sort keys, ascending: the score's bits as an integer that orders like the
    float, its low ``b`` bits replaced by the option's index (``2**b >= m``)."""
    m = scores.shape[1]
    bits = np.ascontiguousarray(scores, dtype=np.float64).view(np.int64)
    high = np.int64(~((1 << b) - 1))
    if bits.min() >= 0:  # no sign bit set: the bits already order like the floats
        key = bits & high
    else:  # the non-sign bits of negative numbers flipped
        key = bits >> 63
        key &= _SIGN_FREE
        key ^= bits
        key &= high
    key |= tiled_range(key.shape[0], 0, m, 1)  # the option's index
    key.sort(axis=1)
    return key


@functools.lru_cache(maxsize=16)
def tiled_range(k: int, start: int, stop: int, step: int) -> np.ndarray:
    """``np.arange(start, stop, step)`` (int64) on each of ``k`` rows, read-only and cached:
    a whole matrix combines with a chunk's (k, m) array faster than a broadcast row."""
    out = np.tile(np.arange(start, stop, step, dtype=np.int64), (k, 1))
    out.flags.writeable = False
    return out


def _key_values(keys: np.ndarray, b: int) -> np.ndarray:
    """The scores behind sorted keys with their low ``b`` bits cleared: ascending, each at
    most ``2**(b - 51)`` of its magnitude below the score (toward minus infinity); a
    non-finite score stays non-finite."""
    v = keys & np.int64(~((1 << b) - 1))
    if v[:, 0].min() < 0:  # negative scores: flip their non-sign bits back
        flip = v >> 63
        flip &= _SIGN_FREE
        v ^= flip
    return v.view(np.float64)


def _key_order(scores: np.ndarray) -> np.ndarray:
    """Ascending order of each row of finite ``scores`` (k, m), as ``argsort`` gives it where
    the order is strict beyond the tie tolerance: rows without ties come out the same, and in a
    row with ties only options of one tie group may come out in another order.

    A float's bits read as an integer, with the non-sign bits flipped for negative numbers,
    order like the floats. The low ``b`` bits (``2**b >= m``) are replaced by the option's
    index and the keys sorted as integers (about twice as fast as ``argsort``). Two scores that
    share a key after the replacement differ by less than ``2**(b - 52)`` of the larger, far
    below :data:`TIE_RTOL`, so they are in one tie group; everything farther apart keeps its
    order. Callers order rows whose tolerance is below :data:`_KEY_MIN_TOL` with ``argsort``.
    """
    b = (scores.shape[1] - 1).bit_length()
    keys = _sorted_keys(scores, b)
    keys &= (1 << b) - 1
    return keys


class TieGaps:
    """The ``gap`` matrix of :func:`sort_with_ties`: ``gaps[rows]`` (len(rows), m - 1) is True
    where the next position is strictly worse. Differences are kept only for the rows sorted
    exactly (``kept``); every other row has no tie, so all its gaps are True."""

    def __init__(self, diff: np.ndarray, tol: np.ndarray, higher_is_better: bool,
                 kept: np.ndarray, k: int):
        self._diff, self._tol, self._desc = diff, tol, higher_is_better
        self._where = np.full(k, -1, dtype=np.intp)
        self._where[kept] = np.arange(len(kept))

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        at = self._where[rows]
        out = np.ones((len(at), self._diff.shape[1]), dtype=bool)
        here = at >= 0
        d = self._diff[at[here]]
        if self._desc:
            d = d[:, ::-1]  # positions run best first, i.e. descending values
        out[here] = d > self._tol[at[here]][:, None]
        return out


def group_bounds(gap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last position of the tie group of every position, from ``gap`` (k, m-1)."""
    k, m1 = gap.shape
    m = m1 + 1
    pos = np.arange(m)
    new_group = np.ones((k, m), dtype=bool)
    new_group[:, 1:] = gap
    start = np.maximum.accumulate(np.where(new_group, pos, 0), axis=1)
    end_flag = np.ones((k, m), dtype=bool)
    end_flag[:, :-1] = gap
    end = np.minimum.accumulate(np.where(end_flag, pos, m - 1)[:, ::-1], axis=1)[:, ::-1]
    return start, end


def same_ranking(a: np.ndarray | None, b: np.ndarray | None) -> bool:
    return a is not None and b is not None and bool(np.array_equal(a, b))


def top_set(ranks: np.ndarray | None) -> frozenset[int] | None:
    if ranks is None:
        return None
    return frozenset(np.flatnonzero(ranks == 1).tolist())


def swapped_pairs(before: np.ndarray, after: np.ndarray, labels: pd.Index) -> list[tuple]:
    """Pairs whose order changed between two rank vectors, as ``(was_ahead, now_ahead_or_tied)``.

    In the order of a loop over ``i`` then ``j``; vectorised (a Python double loop took 100 s
    for 2 000 options x 30 criteria), in row blocks so memory stays bounded.
    """
    b = np.asarray(before)
    a = np.asarray(after)
    m = len(b)
    out = []
    step = max(1, 4_000_000 // max(m, 1))
    for lo in range(0, m, step):
        hi = min(m, lo + step)
        mask = (b[lo:hi, None] < b[None, :]) & (a[lo:hi, None] >= a[None, :])
        for i, j in zip(*np.nonzero(mask)):
            out.append((plain(labels[lo + i]), plain(labels[j])))
    return out


# --------------------------------------------------------------------------- weights on a path
def path_weights(w: np.ndarray, j: int, t: np.ndarray | float) -> np.ndarray:
    """Weight vectors with criterion ``j`` at ``t`` and the others rescaled proportionally.

    The other weights keep their ratios and sum to ``1 - t``. When ``w[j] == 1`` (no ratios to
    keep) they share ``1 - t`` equally.
    """
    t = np.atleast_1d(np.asarray(t, dtype=float))
    n = w.shape[0]
    rest = 1.0 - w[j]
    if rest > 0:
        base = w / rest
    else:
        base = np.full(n, 1.0 / (n - 1)) if n > 1 else np.zeros(n)
    base = base.copy()
    base[j] = 0.0
    W = (1.0 - t)[:, None] * base[None, :]
    W[:, j] = t
    return W


# --------------------------------------------------------------------------- JSON helpers
def plain(x: Any) -> Any:
    """A JSON-friendly scalar (numpy scalars to Python, NaN to None)."""
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        f = float(x)
        return None if math.isnan(f) else f
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def check_int(value: Any, name: str, minimum: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(Message("input.sensitivity_integer_expected", name=name, minimum=minimum, value=value, hint=what))
    return int(value)


ProgressFn = Callable[[int, int], Any]


# --------------------------------------------------------------------------- chunks on threads
def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def check_threads(threads: Any) -> int | None:
    """``threads`` as a count; None stays None (the caller chooses its default)."""
    if threads is None:
        return None
    return check_int(threads, "threads", 1, Message("input.use_example", example="threads=2"))


def chunk_ranges(total: int, chunk: int) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` covering ``range(total)`` in chunks of ``chunk``."""
    return [(start, min(total, start + chunk)) for start in range(0, total, chunk)]


_blas = None


def _one_blas_thread():
    """A context holding BLAS to one thread (the thread pool's controller is made once)."""
    global _blas
    if _blas is None:
        from threadpoolctl import ThreadpoolController  # scans the loaded libraries once

        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


def in_order(fn: Callable[[int, int], Any], ranges: Sequence[tuple[int, int]],
             threads: int) -> Iterator[Any]:
    """``fn(start, stop)`` for every range, results yielded in the order of ``ranges``.

    With ``threads > 1`` the calls run on a thread pool (numpy releases the GIL in matrix
    products, ufuncs and sorts), at most ``2 * threads`` ranges ahead of the consumer so memory
    stays bounded. Each call sees only its own range, and the caller folds the results in
    order, so what comes out does not depend on ``threads``. BLAS is held to one thread per
    call while more than one range runs: the products per chunk are small (a stack of
    q x n by n x m products with uncertain scores), and BLAS's own threads cost more than they
    give on them (2 000 options x 30 criteria: 6.3 s of CPU time on two BLAS threads, 0.5 s on
    one), besides oversubscribing the CPUs next to the pool. The BLAS limit is process-wide
    while the chunks run.
    """
    if len(ranges) <= 1:
        for start, stop in ranges:
            yield fn(start, stop)
        return
    with _one_blas_thread():
        if threads <= 1:
            for start, stop in ranges:
                yield fn(start, stop)
            return
        with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="decide-chunk") as pool:
            pending: deque = deque()
            todo = iter(ranges)
            for start, stop in itertools.islice(todo, 2 * threads):
                pending.append(pool.submit(fn, start, stop))
            try:
                while pending:
                    result = pending.popleft().result()
                    nxt = next(todo, None)
                    if nxt is not None:
                        pending.append(pool.submit(fn, *nxt))
                    yield result
            finally:
                for f in pending:
                    f.cancel()
