"""Batched scoring: many weight vectors (and score matrices) at once, no Python loop per sample.

An *engine* turns a chunk of weight vectors ``W`` (k, n) into scores (k, m):

``fixed(X).scores(W)``
    one score matrix, many weights (SMAA with fixed scores, stability grids);
``sampled(Xs).scores(W)``
    ``Xs`` (k, m, n): sample ``s`` uses ``Xs[s]`` with ``W[s]`` (or one ``W`` row for all).

Engines
-------
``topsis-vector`` (also ``-minmax``, ``-max``, ``-sum``)
    TOPSIS (Hwang & Yoon 1981) with a linear column normalisation ``N`` (vector: ``X / ||X||``).
    With ideal/anti-ideal ``a``/``b`` (max/min of ``N`` per column by direction; ``w >= 0`` lets
    the weight factor out of the max), ``D+^2 = sum_j w_j^2 (n_ij - a_j)^2``: for a chunk, one
    matrix product ``(W*W) @ ((N - A)^2).T``; likewise ``D-``. Closeness ``D- / (D+ + D-)``
    (0.5 where both distances are 0, as in :mod:`decide.ranking`).
``linear``
    any method whose kernel is linear in ``w`` (WSM, PROMETHEE II net flows, additive AHP,
    SPOTIS...). Its basis ``B[:, j] = kernel(X, e_j)`` is computed once (for PROMETHEE II these
    are the unweighted per-criterion net flows), then ``scores = W @ B.T``. Linearity is not
    assumed from the name: it is checked on the basis and on random interior weights. With
    uncertain scores, WSM and AHP normalise every sampled matrix at once (:func:`orient`,
    :func:`ahp_priorities`); other linear methods are scored per sample.
``vikor``
    ``F = (f* - f) / (f* - f-)`` once; ``S = W @ F.T``; ``R = max_j w_j F_ij`` as a running
    maximum over criteria (memory k x m); ``Q = v (S - S*)/(S- - S*) + (1-v)(R - R*)/(R- - R*)``,
    a zero denominator making its term 0 (as in :mod:`decide.ranking`).
``loop``
    the fallback for every other method and parameter set: the method's own kernel per weight
    vector, chunk by chunk.

Every non-loop engine is checked against the method's kernel on probe weights before use
(:func:`select_engine`); a mismatch falls back to ``loop`` and says so in the notes, so an
engine can never silently disagree with the method it stands in for.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

#: Relative tolerance of the engine self-check (the batched engines agree to ~1e-15).
CHECK_RTOL = 1e-9


# =========================================================================== TOPSIS
#: TOPSIS normalisations the batched engine reproduces (all linear, not oriented).
TOPSIS_SCALINGS = ("vector", "minmax", "max", "sum")


def _inv(d: np.ndarray) -> np.ndarray:
    """``1 / d`` with 0 where ``d == 0`` (the ranking stage's convention)."""
    zero = d == 0
    return np.where(zero, 0.0, 1.0 / np.where(zero, 1.0, d))


def _scale(X: np.ndarray, how: str, axis: int) -> np.ndarray:
    """Linear column normalisation of ``X`` along ``axis`` (the option axis)."""
    if how == "vector":
        return X * _inv(np.sqrt(np.sum(X * X, axis=axis, keepdims=True)))
    if how == "max":
        return X * _inv(X.max(axis=axis, keepdims=True))
    if how == "sum":
        return X * _inv(X.sum(axis=axis, keepdims=True))
    lo = X.min(axis=axis, keepdims=True)
    return (X - lo) * _inv(X.max(axis=axis, keepdims=True) - lo)


def _closeness(dp: np.ndarray, dm: np.ndarray) -> np.ndarray:
    """``D- / (D+ + D-)`` from squared distances, in place; 0.5 where both are 0."""
    np.sqrt(dp, out=dp)
    np.sqrt(dm, out=dm)
    dp += dm
    zero = dp == 0
    if zero.any():
        dp[zero] = 1.0
        dm[zero] = 0.5
    np.divide(dm, dp, out=dm)
    return dm


def topsis_scores(X: np.ndarray, types: np.ndarray, W: np.ndarray,
                  normalization: str = "vector") -> np.ndarray:
    """TOPSIS closeness for every row of ``W`` (k, n) -> (k, m), one matrix product per distance."""
    return _TopsisFixed(X, types, normalization).scores(W)


class _TopsisFixed:
    def __init__(self, X: np.ndarray, types: np.ndarray, how: str = "vector"):
        N = _scale(np.asarray(X, dtype=float), how, axis=0)
        benefit = np.asarray(types) > 0
        a = np.where(benefit, N.max(axis=0), N.min(axis=0))
        b = np.where(benefit, N.min(axis=0), N.max(axis=0))
        self.Pt = np.ascontiguousarray(((N - a) ** 2).T)  # (n, m)
        self.Mt = np.ascontiguousarray(((N - b) ** 2).T)

    def scores(self, W: np.ndarray) -> np.ndarray:
        W2 = np.ascontiguousarray(W, dtype=float)
        W2 = W2 * W2
        # D+^2 = sum_j w_j^2 (n_ij - a_j)^2 for the whole chunk: (k, n) @ (n, m), C-ordered
        return _closeness(W2 @ self.Pt, W2 @ self.Mt)


def _weighted_sum(W: np.ndarray, T: np.ndarray) -> np.ndarray:
    """``sum_j W[s, j] * T[s, j, :]`` for criteria-major ``T`` (k, n, m) -> (k, m).

    One fused multiply-add per criterion over (k, m): vectorised, and exact in the same way
    for any chunk size. ``W`` may have one row for all samples.
    """
    out = W[:, 0, None] * T[:, 0, :]
    for j in range(1, T.shape[1]):
        out += W[:, j, None] * T[:, j, :]
    return out


def _criteria_major(Xs: np.ndarray) -> np.ndarray:
    """(k, m, n) -> C-ordered (k, n, m): reductions over options run along the last axis."""
    return np.ascontiguousarray(np.asarray(Xs, dtype=float).transpose(0, 2, 1))


class _TopsisSampled:
    def __init__(self, Xs: np.ndarray, types: np.ndarray, how: str = "vector"):
        N = _scale(_criteria_major(Xs), how, axis=2)  # (k, n, m)
        benefit = (np.asarray(types) > 0)[None, :, None]
        hi, lo = N.max(axis=2, keepdims=True), N.min(axis=2, keepdims=True)
        P = N - np.where(benefit, hi, lo)
        P *= P
        N -= np.where(benefit, lo, hi)
        N *= N
        self.P, self.M = P, N  # squared distances per criterion, (k, n, m)

    def scores(self, W: np.ndarray) -> np.ndarray:
        W2 = np.atleast_2d(np.asarray(W, dtype=float))
        W2 = W2 * W2
        return _closeness(_weighted_sum(W2, self.P), _weighted_sum(W2, self.M))

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        """Scores under each of ``q`` weight vectors for every sample: (k, q, m)."""
        W2 = np.ascontiguousarray(Wq * Wq)  # (q, n)
        return _closeness(np.matmul(W2, self.P), np.matmul(W2, self.M))


# =========================================================================== linear in w
class _LinearFixed:
    def __init__(self, basis: np.ndarray):
        self.Bt = np.ascontiguousarray(basis.T)  # (n, m)

    def scores(self, W: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(W, dtype=float) @ self.Bt


class _LinearSampled:
    """Linear methods with a known per-sample normalisation: ``scores = N_s @ w``."""

    def __init__(self, NT: np.ndarray):
        self.NT = NT  # (k, n, m)

    def scores(self, W: np.ndarray) -> np.ndarray:
        return _weighted_sum(np.atleast_2d(np.asarray(W, dtype=float)), self.NT)

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        return np.matmul(np.ascontiguousarray(Wq), self.NT)


def _safe_ratio(a: np.ndarray | float, b: np.ndarray) -> np.ndarray:
    """``a / b`` with 0 where ``b == 0``."""
    return a * _inv(b)


def orient(X: np.ndarray, types: np.ndarray, how: str, axis: int) -> np.ndarray:
    """Oriented ("higher is better") normalisation along the option ``axis``.

    The same formulas as :func:`decide.ranking.normalize.orient` (which works on one matrix):
    ``none`` x / -x; ``minmax``; ``max`` x / max, min / x; ``sum`` x / sum, (1/x) / sum(1/x);
    ``vector`` x / ||x||, 1 - x / ||x||. Divisions by zero give 0.
    """
    benefit = np.asarray(types) > 0
    if how == "none":
        return X * np.where(benefit, 1.0, -1.0)
    hi = X.max(axis=axis, keepdims=True)
    lo = X.min(axis=axis, keepdims=True)
    if how == "minmax":
        inv = _inv(hi - lo)
        return np.where(benefit, (X - lo) * inv, (hi - X) * inv)
    if how == "max":
        return np.where(benefit, X * _inv(hi), _safe_ratio(lo, X))
    if how == "sum":
        R = np.where(benefit, X, _inv(X))
        return R * _inv(R.sum(axis=axis, keepdims=True))
    if how == "vector":
        V = X * _inv(np.sqrt(np.sum(X * X, axis=axis, keepdims=True)))
        return np.where(benefit, V, 1.0 - V)
    raise ValueError(how)


def ahp_priorities(X: np.ndarray, types: np.ndarray, mode: str, axis: int) -> np.ndarray:
    """AHP local priorities (benefit x, cost 1/x; ``distributive`` / sum, ``ideal`` / max)."""
    R = np.where(np.asarray(types) > 0, X, _inv(X))
    if mode == "ideal":
        return R * _inv(R.max(axis=axis, keepdims=True))
    return R * _inv(R.sum(axis=axis, keepdims=True))


def linear_basis(kernel: Callable[[np.ndarray], np.ndarray], n: int,
                 seed: int = 12345) -> np.ndarray | None:
    """``B`` with ``kernel(w) == B @ w`` for all weights, or None when the kernel is not linear.

    Checked on three random interior weight vectors (relative tolerance :data:`CHECK_RTOL`).
    """
    try:
        cols = [np.asarray(kernel(np.eye(n)[j]), dtype=float) for j in range(n)]
    except Exception:  # noqa: BLE001 - a kernel refusing a corner weight is just not batched
        return None
    B = np.column_stack(cols)
    if not np.all(np.isfinite(B)):
        return None
    rng = np.random.default_rng(seed)
    for w in rng.dirichlet(np.ones(n), 3):
        ref = np.asarray(kernel(w), dtype=float)
        if not _close(B @ w, ref):
            return None
    return B


# =========================================================================== VIKOR
def _vikor_F(X: np.ndarray, types: np.ndarray, axis: int) -> np.ndarray:
    """Unweighted regrets ``(f*_j - f_ij) / (f*_j - f-_j)``; 0 on a criterion without spread."""
    benefit = np.asarray(types) > 0
    hi = X.max(axis=axis, keepdims=True)
    lo = X.min(axis=axis, keepdims=True)
    return np.where(benefit, hi - X, X - lo) * _inv(hi - lo)


def _frac(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    return num * _inv(den)


def _vikor_Q(S: np.ndarray, R: np.ndarray, v: float) -> np.ndarray:
    """Q per row; a measure that does not separate the options adds 0 (never NaN)."""
    s_star, s_minus = S.min(axis=1, keepdims=True), S.max(axis=1, keepdims=True)
    r_star, r_minus = R.min(axis=1, keepdims=True), R.max(axis=1, keepdims=True)
    return v * _frac(S - s_star, s_minus - s_star) + (1 - v) * _frac(R - r_star, r_minus - r_star)


class _VikorFixed:
    def __init__(self, X: np.ndarray, types: np.ndarray, v: float):
        self.F = _vikor_F(np.asarray(X, dtype=float), types, axis=0)  # (m, n)
        self.Ft = np.ascontiguousarray(self.F.T)
        self.v = v

    def scores(self, W: np.ndarray) -> np.ndarray:
        W = np.ascontiguousarray(W, dtype=float)
        S = W @ self.Ft
        # R = max_j w_j F_ij as a running maximum: memory k x m, not k x m x n
        R = np.multiply.outer(W[:, 0], self.F[:, 0])
        for j in range(1, W.shape[1]):
            np.maximum(R, np.multiply.outer(W[:, j], self.F[:, j]), out=R)
        return _vikor_Q(S, R, self.v)


class _VikorSampled:
    def __init__(self, Xs: np.ndarray, types: np.ndarray, v: float):
        self.FT = _vikor_F(_criteria_major(Xs), np.asarray(types)[:, None], axis=2)  # (k, n, m)
        self.v = v

    def _qsr(self, W: np.ndarray) -> np.ndarray:
        FT = self.FT
        S = _weighted_sum(W, FT)
        R = W[:, 0, None] * FT[:, 0, :]
        for j in range(1, FT.shape[1]):
            np.maximum(R, W[:, j, None] * FT[:, j, :], out=R)
        return _vikor_Q(S, R, self.v)

    def scores(self, W: np.ndarray) -> np.ndarray:
        return self._qsr(np.atleast_2d(np.asarray(W, dtype=float)))

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        return np.stack([self._qsr(w[None, :]) for w in Wq], axis=1)


# =========================================================================== loop fallback
class _LoopFixed:
    def __init__(self, kernel: Callable[..., np.ndarray], X: np.ndarray):
        self.kernel, self.X = kernel, X

    def scores(self, W: np.ndarray) -> np.ndarray:
        return np.stack([np.asarray(self.kernel(w, self.X), dtype=float) for w in W])


class _LoopSampled:
    def __init__(self, kernel: Callable[..., np.ndarray], Xs: np.ndarray):
        self.kernel, self.Xs = kernel, Xs

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        return np.stack([self.scores(w[None, :]) for w in Wq], axis=1)

    def scores(self, W: np.ndarray) -> np.ndarray:
        W = np.atleast_2d(W)
        k = self.Xs.shape[0]
        return np.stack([np.asarray(self.kernel(W[s if len(W) > 1 else 0], self.Xs[s]), dtype=float)
                         for s in range(k)])


# =========================================================================== engines
@dataclass(frozen=True, eq=False)
class Engine:
    """A batched scorer for one method on one problem.

    ``fixed(X)`` and ``sampled(Xs)`` return objects with ``.scores(W)``. ``sampled`` is None
    when the engine batches only fixed matrices (the caller then uses the loop engine).
    """

    name: str
    fixed: Callable[[np.ndarray], Any]
    sampled: Callable[[np.ndarray], Any] | None
    notes: tuple[str, ...] = field(default=())


def loop_engine(kernel: Callable[..., np.ndarray], note: str = "") -> Engine:
    """The fallback: the method's kernel once per weight vector, chunk by chunk."""
    return Engine("loop", lambda X: _LoopFixed(kernel, X), lambda Xs: _LoopSampled(kernel, Xs),
                  (note,) if note else ())


def _close(a: np.ndarray, b: np.ndarray) -> bool:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return False
    scale = max(1.0, float(np.nanmax(np.abs(b))) if np.isfinite(b).any() else 1.0)
    both_nan = np.isnan(a) & np.isnan(b)
    diff = np.where(both_nan, 0.0, np.abs(a - b))
    return bool(np.all(diff <= CHECK_RTOL * scale) and not np.any(np.isnan(diff)))


def _probe_weights(n: int) -> np.ndarray:
    rng = np.random.default_rng(2024)
    return np.vstack([np.full(n, 1.0 / n), rng.dirichlet(np.ones(n), 3)])


def candidate_engine(name: str, params: dict, types: np.ndarray,
                     kernel: Callable[..., np.ndarray], X: np.ndarray) -> Engine:
    """The batched engine for method ``name`` with ``params`` (before the self-check).

    The method declares its batched form (``Method.batch_form``); this module only knows
    how to compute each form for many weight vectors at once.
    """
    from decide.ranking import get_method

    form = get_method(name).batch_form
    norm = params.get("normalization", "vector")
    if form == "distance" and norm in TOPSIS_SCALINGS and set(params) <= {"normalization"}:
        return Engine(f"topsis-{norm}", lambda X_: _TopsisFixed(X_, types, norm),
                      lambda Xs: _TopsisSampled(Xs, types, norm))
    if form == "regret" and set(params) <= {"v"}:
        v = float(params.get("v", 0.5))
        return Engine("vikor", lambda X_: _VikorFixed(X_, types, v),
                      lambda Xs: _VikorSampled(Xs, types, v))
    B = linear_basis(lambda w: kernel(w, X), X.shape[1])
    if B is not None:
        def fixed(X_: np.ndarray):
            if X_ is X:
                return _LinearFixed(B)
            B2 = linear_basis(lambda w: kernel(w, X_), X_.shape[1])
            return _LinearFixed(B2) if B2 is not None else _LoopFixed(kernel, X_)

        sampled = None
        if form == "additive" and set(params) <= {"normalization"}:
            how = params.get("normalization", "minmax")
            sampled = lambda Xs: _LinearSampled(  # noqa: E731
                orient(_criteria_major(Xs), types[:, None], how, axis=2))
        elif form == "priorities" and set(params) <= {"mode"}:
            mode = params.get("mode", "distributive")
            sampled = lambda Xs: _LinearSampled(  # noqa: E731
                ahp_priorities(_criteria_major(Xs), types[:, None], mode, axis=2))
        return Engine("linear", fixed, sampled)
    return loop_engine(kernel, f"{name}: no batched kernel; scored with the method's kernel per sample")


def select_engine(name: str, params: dict, types: np.ndarray,
                  kernel: Callable[..., np.ndarray], X: np.ndarray,
                  force: str | None = None) -> Engine:
    """Pick and verify the batched engine for a method (``force="loop"`` for the reference).

    ``kernel(w, X)`` is the method's own kernel. The candidate engine must reproduce it on
    equal and random weights (relative tolerance :data:`CHECK_RTOL`) on ``X`` and on a
    perturbed copy of ``X`` (for score sampling); otherwise the loop is used.
    """
    if force == "loop":
        return loop_engine(kernel)
    eng = candidate_engine(name, params, types, kernel, X)
    if eng.name == "loop":
        return eng
    Wp = _probe_weights(X.shape[1])
    try:
        ref = np.stack([kernel(w, X) for w in Wp])
        ok = _close(eng.fixed(X).scores(Wp), ref)
    except Exception:  # noqa: BLE001 - a failing probe means: do not batch
        ok = False
    if not ok:
        return loop_engine(kernel, f"{name}: the batched '{eng.name}' engine disagreed with the "
                                   "method's kernel; scored per sample")
    if eng.sampled is not None:
        rng = np.random.default_rng(7)
        Xs = X[None] * rng.uniform(0.9, 1.1, size=(2,) + X.shape)
        try:
            ref = np.stack([kernel(Wp[s + 1], Xs[s]) for s in range(2)])
            ok_s = _close(eng.sampled(Xs).scores(Wp[1:3]), ref)
        except Exception:  # noqa: BLE001
            ok_s = False
        if not ok_s:
            eng = Engine(eng.name, eng.fixed, None,
                         (f"{name}: uncertain scores scored per sample",))
    if force is not None and force != eng.name:
        raise ValueError(f"engine {force!r} is not available for {name!r} (have {eng.name!r})")
    return eng
