"""Shared helpers of :mod:`decide.sensitivity`: the bound method, ties, labels.

Everything here is internal.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

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
            Message("input.sensitivity_n_columns", x0=tuple(shape))
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
def sort_with_ties(scores: np.ndarray, higher_is_better: bool, scale: float = 0.0
                   ) -> tuple[np.ndarray, TieGaps, np.ndarray]:
    """Sort each row of ``scores`` (k, m) best first and find where ties are.

    Returns ``order`` (k, m): the option at each position; ``gaps``: ``gaps[rows]`` is True
    where the next position is strictly worse (beyond :data:`TIE_RTOL`); ``has_tie`` (k,).
    A row with a NaN is one tie group (every option shares every position).
    """
    k, m = scores.shape
    bad = ~np.isfinite(scores.sum(axis=1))  # cheap; confirmed cell by cell below
    if bad.any():
        bad[bad] = ~np.isfinite(scores[bad]).all(axis=1)
        if bad.any():
            scores = scores.copy()
            scores[bad] = 0.0
    asc = np.argsort(scores, axis=1)  # ascending: much faster than sorting negated scores
    order = asc[:, ::-1] if higher_is_better else asc
    # ascending values: a second sort is cheaper than gathering for short rows, not for long
    sv = np.sort(scores, axis=1) if m <= 512 else np.take_along_axis(scores, asc, axis=1)
    tol = tie_tolerance(sv[:, 0], sv[:, -1], scale)
    diff = sv[:, 1:] - sv[:, :-1]  # >= 0
    if m > 1:
        has_tie = diff.min(axis=1) <= tol
    else:
        has_tie = np.zeros(k, dtype=bool)
    return order, TieGaps(diff, tol, higher_is_better), has_tie


class TieGaps:
    """Lazy ``gap`` matrix of :func:`sort_with_ties`, computed only for the rows asked for."""

    def __init__(self, diff: np.ndarray, tol: np.ndarray, higher_is_better: bool):
        self._diff, self._tol, self._desc = diff, tol, higher_is_better

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        d = self._diff[rows]
        if self._desc:
            d = d[:, ::-1]  # positions run best first, i.e. descending values
        return d > self._tol[rows][:, None]


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
        raise InputError(Message("input.sensitivity_check_int", name=name, minimum=minimum, value=value, what=what))
    return int(value)


ProgressFn = Callable[[int, int], Any]
