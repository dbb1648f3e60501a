"""Engines of the sensitivity analyses: a bound method's scores for many weight vectors at once.

An *engine* turns a chunk of weight vectors ``W`` (k, n) into scores (k, m):

``fixed(X).scores(W)``
    one score matrix, many weights (SMAA with fixed scores, stability grids);
``sampled(Xs).scores(W)``
    ``Xs`` (k, m, n): sample ``s`` uses ``Xs[s]`` with ``W[s]`` (or one ``W`` row for all).

Where an engine comes from, in this order:

1. the method's own batched form (``Method.batch`` / ``Method.batch_sampled``, written next
   to its kernel with the same formulas: TOPSIS, VIKOR, WSM, AHP synthesis); that each equals
   its kernel is part of the ranking methods' contract tests;
2. ``linear``: any other method whose kernel is linear in ``w`` (PROMETHEE II net flows,
   SPOTIS, ...). Its basis ``B[:, j] = kernel(X, e_j)`` is computed once, then
   ``scores = W @ B.T``. Linearity is not assumed from the name: it is detected on the basis
   and on random interior weights. Uncertain scores are then scored per sample;
3. ``loop``: the method's kernel once per weight vector, chunk by chunk.

This module knows no method's mathematics: it asks the method.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from decide.ranking.batch import Linear

#: Relative tolerance of the linearity detection.
CHECK_RTOL = 1e-9


# =========================================================================== loop fallback
class _LoopFixed:
    name = "loop"

    def __init__(self, kernel: Callable[..., np.ndarray], X: np.ndarray):
        self.kernel, self.X = kernel, X

    def scores(self, W: np.ndarray) -> np.ndarray:
        return np.stack([np.asarray(self.kernel(w, self.X), dtype=float) for w in W])


class _LoopSampled:
    name = "loop"

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
    """A batched scorer for one bound method.

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
    if a.shape != b.shape or not np.all(np.isfinite(a)) or not np.all(np.isfinite(b)):
        return False
    scale = max(1.0, float(np.abs(b).max()))
    return bool(np.all(np.abs(a - b) <= CHECK_RTOL * scale))


def linear_basis(kernel: Callable[[np.ndarray], np.ndarray], n: int,
                 seed: int = 12345) -> np.ndarray | None:
    """``B`` with ``kernel(w) == B @ w`` for all weights, or None when the kernel is not linear.

    Detected on the unit weights and checked on three random interior weight vectors
    (relative tolerance :data:`CHECK_RTOL`).
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
        if not _close(B @ w, kernel(w)):
            return None
    return B


def select_engine(bound: Any, force: str | None = None) -> Engine:
    """The engine for a bound method (:func:`decide.ranking.bind`); ``force="loop"`` for the
    reference loop.

    Raises
    ------
    ValueError
        ``force`` names an engine the method does not have.
    """
    kernel = bound.kernel
    if force == "loop":
        return loop_engine(kernel)
    method, params, types, X = bound.method, bound.params, bound.types, bound.X
    own = method.batch(X, types, **params)
    if own is not None:
        def fixed(X_: np.ndarray):
            return own if X_ is X else method.batch(X_, types, **params)

        has_sampled = method.batch_sampled(X[None], types, **params) is not None
        eng = Engine(own.name, fixed,
                     (lambda Xs: method.batch_sampled(Xs, types, **params)) if has_sampled else None,
                     () if has_sampled else (f"{bound.name}: uncertain scores scored per sample",))
    else:
        B = linear_basis(lambda w: kernel(w, X), X.shape[1])
        if B is not None:
            def fixed(X_: np.ndarray):
                if X_ is X:
                    return Linear(B)
                B2 = linear_basis(lambda w: kernel(w, X_), X_.shape[1])
                return Linear(B2) if B2 is not None else _LoopFixed(kernel, X_)

            eng = Engine("linear", fixed, None)
        else:
            eng = loop_engine(kernel, f"{bound.name}: no batched kernel; scored with the "
                                      "method's kernel per sample")
    if force is not None and force != eng.name:
        raise ValueError(f"engine {force!r} is not available for {bound.name!r} (have {eng.name!r})")
    return eng
