"""Internal helpers of :mod:`decide.ranking`: fast column reductions, tie-aware ranks,
labelling of raw arrays, message lookup and JSON conversion.

Nothing here validates input; everything assumes the checks of :func:`decide.ranking.prepare`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from decide.i18n import t

#: Two scores tie when they differ by at most this fraction of the largest absolute score.
#: Rounding noise (a published tie such as Triantaphyllou's 22.00 = 22.00 computed in a
#: different order) must never decide a rank. The same rule is used by decide.sensitivity.
TIE_RTOL = 1e-9

#: Below this many rows a plain ``X.max(axis=0)`` is as fast as the blocked reduction.
_BLOCK_ROWS = 256


# --------------------------------------------------------------------------- messages
def msg(key: str, lang: str = "en", /, **kwargs: Any) -> str:
    """Text ``ranking.<key>`` in ``lang`` (see ``decide/messages/ranking.yaml``)."""
    return t(f"ranking.{key}", lang, **kwargs)


def error_msg(key: str, lang: str = "en", /, **kwargs: Any) -> str:
    """An error's text ``ranking.<key>``: in ``lang`` as a string, and a catalogue Message a
    face shows in the user's language (see :class:`decide.errors.Message`)."""
    from decide.errors import Message

    return Message(f"ranking.{key}", shown_in=lang, **kwargs)


# --------------------------------------------------------------------------- column reductions
def _blocked(X: np.ndarray, ufunc: np.ufunc) -> np.ndarray:
    """Column-wise ``ufunc.reduce`` of a C-ordered (m, n) array.

    ``X.max(axis=0)`` on a C-ordered array with few columns runs an inner loop of length n per
    row and is ~10x slower than reducing a (m/k, k*n) reshaped view, which has long inner loops,
    and folding the k partial results. Same result bit for bit (max/min are exact; for sums the
    association differs, which only matters at rounding level).
    """
    m, n = X.shape
    if m < 2 * _BLOCK_ROWS or not X.flags.c_contiguous:
        return ufunc.reduce(X, axis=0)
    q = m // _BLOCK_ROWS
    head = ufunc.reduce(X[: q * _BLOCK_ROWS].reshape(q, _BLOCK_ROWS * n), axis=0)
    out = ufunc.reduce(head.reshape(_BLOCK_ROWS, n), axis=0)
    if q * _BLOCK_ROWS < m:
        out = ufunc(out, ufunc.reduce(X[q * _BLOCK_ROWS:], axis=0))
    return out


def colmax(X: np.ndarray) -> np.ndarray:
    """Column maxima of a float matrix (fast for tall C-ordered matrices)."""
    return _blocked(X, np.maximum)


def colmin(X: np.ndarray) -> np.ndarray:
    """Column minima of a float matrix (fast for tall C-ordered matrices)."""
    return _blocked(X, np.minimum)


def colsum(X: np.ndarray) -> np.ndarray:
    """Column sums of a float matrix (fast for tall C-ordered matrices)."""
    return _blocked(X, np.add)


def safe_div(num: np.ndarray, den: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """``num / den`` with ``fill`` where ``den == 0`` (no warnings, never NaN from 0/0)."""
    den = np.asarray(den, dtype=float)
    if den.all():
        return num / den
    zero = den == 0
    out = np.divide(num, np.where(zero, 1.0, den))
    return np.where(zero, fill, out)


# --------------------------------------------------------------------------- ranks
def tie_tolerance(lo: Any, hi: Any, scale: float = 0.0) -> Any:
    """The one tie rule of the package: how far apart two scores may be and still tie.

    ``TIE_RTOL * max(|lo|, |hi|, scale)`` where ``lo``/``hi`` are the smallest and largest score
    of one evaluation (scalars, or arrays for many evaluations at once) and ``scale`` is the
    method's natural score size (:meth:`Method.score_scale`). Every rank in the package, from
    :func:`rank_values` to the batched ranks of SMAA and the stability scans, uses this.
    """
    if isinstance(lo, float) and isinstance(hi, float):  # one evaluation: plain Python is ~10x faster
        return TIE_RTOL * max(abs(lo), abs(hi), scale)
    return TIE_RTOL * np.maximum(np.maximum(np.abs(lo), np.abs(hi)), scale)


def rank_values(scores: np.ndarray, higher_is_better: bool, scale: float = 0.0) -> np.ndarray:
    """Competition ranks, 1 = best; options tied within the tolerance share the best rank.

    Two scores tie when they differ by at most ``TIE_RTOL * max(max |score|, scale)``.

    Parameters
    ----------
    scores : ndarray (m,)
        Finite scores.
    higher_is_better : bool
        Score direction of the method.
    scale : float
        Natural size of the method's scores (e.g. 1 for a net flow in [-1, 1]). Scores that
        are differences of such terms can be exactly 0 up to rounding (a PROMETHEE net flow of
        0.5 - 0.1 - 0.4); a tolerance relative to the largest score alone would then be far
        below the rounding noise.

    Returns
    -------
    ndarray of int (m,)
    """
    s = np.asarray(scores, dtype=float)
    m = s.shape[0]
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    if m <= _SMALL:
        return _rank_small(s.tolist(), higher_is_better, scale)
    order = np.argsort(s)  # ascending; tied options' order does not matter
    if higher_is_better:
        order = order[::-1]
    sv = s[order]
    tol = tie_tolerance(float(sv[0]), float(sv[-1]), scale)
    new_group = np.empty(m, dtype=bool)
    new_group[0] = True
    np.greater(np.abs(np.diff(sv)), tol, out=new_group[1:])
    pos = np.arange(1, m + 1)
    np.multiply(pos, new_group, out=pos)
    np.maximum.accumulate(pos, out=pos)
    ranks = np.empty(m, dtype=np.int64)
    ranks[order] = pos
    return ranks


#: Up to this many options, ranks are computed in plain Python (numpy call overhead dominates).
_SMALL = 48


def _rank_small(s: list, higher_is_better: bool, scale: float = 0.0) -> np.ndarray:
    m = len(s)
    order = sorted(range(m), key=s.__getitem__, reverse=higher_is_better)
    tol = tie_tolerance(float(s[order[0]]), float(s[order[-1]]), scale)
    ranks = [0] * m
    rank = 1
    prev = s[order[0]]
    for pos, i in enumerate(order):
        v = s[i]
        if abs(v - prev) > tol:
            rank = pos + 1
        ranks[i] = rank
        prev = v
    return np.array(ranks, dtype=np.int64)


def average_ranks(ranks: np.ndarray) -> np.ndarray:
    """Turn competition ranks (ties share the best rank) into average (fractional) ranks."""
    r = np.asarray(ranks)
    _, inverse, counts = np.unique(r, return_inverse=True, return_counts=True)
    return r + (counts[inverse] - 1) / 2.0


# --------------------------------------------------------------------------- labelling
#: Shapes of the raw arrays a method returns for details and tables.
OPTION, CRITERION, OPTION_CRITERION, OPTION_OPTION, VALUE = "A", "C", "AC", "AA", "V"
#: A subset of options given by positions; labelled as a list of option labels.
SUBSET = "S"


def label(kind: str, value: Any, alternatives: pd.Index, criteria: pd.Index, name: str) -> Any:
    """Wrap a raw array into a labelled pandas object according to its ``kind``."""
    if kind == OPTION:
        return pd.Series(value, index=alternatives, name=name)
    if kind == CRITERION:
        return pd.Series(value, index=criteria, name=name)
    if kind == OPTION_CRITERION:
        return pd.DataFrame(value, index=alternatives, columns=criteria)
    if kind == OPTION_OPTION:
        return pd.DataFrame(value, index=alternatives, columns=alternatives)
    if kind == SUBSET:
        return [plain(x) for x in alternatives[np.asarray(value, dtype=int)]]
    return value


# --------------------------------------------------------------------------- JSON
def plain(x: Any) -> Any:
    """A JSON-friendly version of ``x`` (numpy to Python, NaN to None, containers recursively)."""
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        f = float(x)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(x, np.ndarray):
        return [plain(v) for v in x.tolist()]
    if isinstance(x, pd.Series):
        return {str(plain(k)): plain(v) for k, v in x.items()}
    if isinstance(x, Mapping):
        return {str(plain(k)): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


def fmt_label(x: Any) -> str:
    """A label as it appears in a message: ``'cost'`` for strings, ``3`` for positions."""
    return repr(x) if isinstance(x, str) else str(plain(x))


def fmt_list(items: list[str], limit: int = 8) -> str:
    """Join located problems, cutting long lists with a count of the rest."""
    if len(items) <= limit:
        return "; ".join(items)
    return "; ".join(items[:limit]) + f"; ... (+{len(items) - limit})"
