"""VIKOR: compromise ranking with group utility S, individual regret R and index Q
(Opricovic 1998; Opricovic & Tzeng 2004)."""
from __future__ import annotations

from numbers import Real
from types import MappingProxyType

import numpy as np

from decide.errors import InputError
from decide.ranking._util import (
    CRITERION,
    OPTION,
    OPTION_CRITERION,
    SUBSET,
    TIE_RTOL,
    VALUE,
    error_msg,
    msg,
    safe_div,
)
from decide.ranking.base import Contributions, Evaluation, Method, register
from decide.ranking.batch import criteria_major, weighted_sum
from decide.ranking.normalize import omax, omin


def _unweighted_regret(X: np.ndarray, types: np.ndarray, axis: int | None = None):
    """Best f*, worst f- and the normalised regrets (f*_j - f_ij) / (f*_j - f-_j).

    Over the options of one matrix, or along ``axis`` of a stack (see
    :mod:`decide.ranking.normalize`). A criterion without spread (f* = f-) gives 0 regret to
    everyone: it carries no information.
    """
    hi, lo = omax(X, axis), omin(X, axis)
    benefit = types > 0
    best = np.where(benefit, hi, lo)
    worst = np.where(benefit, lo, hi)
    F = np.where(benefit, hi - X, X - lo) * safe_div(1.0, hi - lo)
    return best, worst, F


def _regret(X: np.ndarray, w: np.ndarray, types: np.ndarray):
    """Best f*, worst f- and the weighted normalised regrets w_j (f*_j - f_ij) / (f*_j - f-_j)."""
    best, worst, F = _unweighted_regret(X, types)
    return best, worst, F * w


def _q(S: np.ndarray, R: np.ndarray, v: float) -> np.ndarray:
    """Q = v (S - S*) / (S- - S*) + (1 - v) (R - R*) / (R- - R*).

    When S- = S* (every option has the same group utility) the S term is 0, and likewise for
    R: that measure does not separate the options, so it adds nothing to Q. Never NaN.
    """
    return v * _spread(S) + (1.0 - v) * _spread(R)


def _spread(S: np.ndarray) -> np.ndarray:
    """(S - min S) / (max S - min S) over the options (the last axis), or 0 when the spread is
    rounding noise.

    A spread below :data:`TIE_RTOL` of the values' size is treated as no spread: dividing by it
    would blow rounding noise (1e-17) up to a full unit of Q. ``S`` is one option vector, or one
    row per weight vector (the batched form).
    """
    lo = S.min(axis=-1, keepdims=True)
    hi = S.max(axis=-1, keepdims=True)
    rng = hi - lo
    noise = rng <= TIE_RTOL * np.maximum(np.abs(lo), np.abs(hi))
    return (S - lo) * np.where(noise, 0.0, 1.0 / np.where(noise, 1.0, rng))


class _Batch:
    """VIKOR for many weight vectors: ``S = W @ F.T``; ``R = max_j w_j F_ij`` as a running
    maximum over criteria (memory k x m, not k x m x n); then Q per row as in the kernel."""

    name = "vikor"

    def __init__(self, X: np.ndarray, types: np.ndarray, v: float):
        self.F = _unweighted_regret(np.asarray(X, dtype=float), types)[2]  # (m, n)
        self.Ft = np.ascontiguousarray(self.F.T)
        self.v = v

    def scores(self, W: np.ndarray) -> np.ndarray:
        W = np.ascontiguousarray(W, dtype=float)
        S = W @ self.Ft
        R = np.multiply.outer(W[:, 0], self.F[:, 0])
        for j in range(1, W.shape[1]):
            np.maximum(R, np.multiply.outer(W[:, j], self.F[:, j]), out=R)
        return _q(S, R, self.v)


class _BatchSampled:
    """VIKOR on sampled matrices (k, m, n), criteria-major."""

    name = "vikor"

    def __init__(self, Xs: np.ndarray, types: np.ndarray, v: float):
        self.FT = _unweighted_regret(criteria_major(Xs), np.asarray(types)[:, None], axis=2)[2]
        self.v = v

    def _q(self, W: np.ndarray) -> np.ndarray:
        FT = self.FT
        S = weighted_sum(W, FT)
        R = W[:, 0, None] * FT[:, 0, :]
        for j in range(1, FT.shape[1]):
            np.maximum(R, W[:, j, None] * FT[:, j, :], out=R)
        return _q(S, R, self.v)

    def scores(self, W: np.ndarray) -> np.ndarray:
        return self._q(np.atleast_2d(np.asarray(W, dtype=float)))

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        return np.stack([self._q(w[None, :]) for w in Wq], axis=1)


def compromise(S: np.ndarray, R: np.ndarray, Q: np.ndarray) -> tuple[np.ndarray, bool, bool, float]:
    """The compromise solution of Opricovic & Tzeng (2004, section 3, step 5).

    With a' the best option by Q and a'' the second, DQ = 1 / (m - 1):

    * C1 acceptable advantage: Q(a'') - Q(a') >= DQ;
    * C2 acceptable stability: a' is also best ranked by S or by R.

    Both hold: {a'}. Only C2 fails: {a', a''}. C1 fails: a', a'', ..., a(M) with M the largest
    position such that Q(a(M)) - Q(a') < DQ.

    Returns
    -------
    positions (ndarray of int, best first), C1, C2, DQ
    """
    m = Q.shape[0]
    dq = 1.0 / (m - 1)
    order = np.argsort(Q, kind="stable")
    eps = TIE_RTOL * max(1.0, float(np.abs(Q).max()))
    first, second = order[0], order[1]
    c1 = bool(Q[second] - Q[first] >= dq - eps)
    tol_s = TIE_RTOL * max(1.0, float(np.abs(S).max()))
    tol_r = TIE_RTOL * max(1.0, float(np.abs(R).max()))
    c2 = bool(S[first] <= S.min() + tol_s or R[first] <= R.min() + tol_r)
    if c1 and c2:
        chosen = order[:1]
    elif c1:
        chosen = order[:2]
    else:
        close = Q[order] - Q[first] < dq - eps
        chosen = order[: max(2, int(np.flatnonzero(close)[-1]) + 1)]
    return chosen, c1, c2, dq


class VIKOR(Method):
    """VIKOR (VIseKriterijumska Optimizacija I Kompromisno Resenje).

    Score: Q in [0, 1], **lower is better** (``higher_is_better`` is False). ``v`` (default
    0.5, "voting by majority") weighs group utility S against individual regret R. Details:
    ``S``, ``R``, ``Q``, the ``compromise`` set and the two conditions
    (``acceptable_advantage``, ``acceptable_stability``) with ``dq`` = 1 / (m - 1).
    Values are used as given (no normalisation beyond VIKOR's own linear one).
    """

    name = "vikor"
    title = "VIKOR"
    reference = ("Opricovic, S., & Tzeng, G. H. (2004). Compromise solution by MCDM methods: A "
                 "comparative analysis of VIKOR and TOPSIS. European Journal of Operational "
                 "Research, 156(2), 445-455.")
    higher_is_better = False
    defaults = MappingProxyType({"v": 0.5})

    def _check(self, params, lang):
        v = params["v"]
        if isinstance(v, bool) or not isinstance(v, Real) or not 0.0 <= float(v) <= 1.0:
            raise InputError(error_msg("vikor_v", lang, got=repr(v)))
        params["v"] = float(v)

    def score_scale(self, prep, params):
        return 1.0

    def kernel(self, X, w, types, v=0.5):
        _, _, W = _regret(X, w, types)
        return _q(np.einsum("ij->i", W), W.max(axis=1), v)

    def batch(self, X, types, v=0.5):
        return _Batch(X, types, v)

    def batch_sampled(self, Xs, types, v=0.5):
        return _BatchSampled(Xs, types, v)

    def evaluate(self, X, w, types, *, tables=False, v=0.5):
        best, worst, W = _regret(X, w, types)
        S = np.einsum("ij->i", W)
        R = W.max(axis=1)
        Q = _q(S, R, v)
        chosen, c1, c2, dq = compromise(S, R, Q)
        details = {
            "S": (OPTION, S), "R": (OPTION, R), "Q": (OPTION, Q),
            "compromise": (SUBSET, chosen),
            "acceptable_advantage": (VALUE, c1),
            "acceptable_stability": (VALUE, c2),
            "dq": (VALUE, dq),
        }
        tabs = {}
        if tables:
            tabs = {"best": (CRITERION, best), "worst": (CRITERION, worst),
                    "weighted_regret": (OPTION_CRITERION, W),
                    "S": (OPTION, S), "R": (OPTION, R), "Q": (OPTION, Q)}
        return Evaluation(Q, details=details, tables=tabs)

    def contributions(self, X, w, types, v=0.5):
        _, _, W = _regret(X, w, types)
        return Contributions(-W, exact=True, kind="contrib_vikor")


register(VIKOR())
