"""Batched scoring: a method's scores for many weight vectors at once, without a Python loop.

Sensitivity analysis (SMAA, stability scans) scores the same options under thousands of weight
vectors. A method that can do this in bulk says so next to its kernel, with the same formulas:

``Method.batch(X, types, **params)``
    a scorer for one matrix ``X`` (m, n): ``scores(W)`` maps weights (k, n) to scores (k, m);
``Method.batch_sampled(Xs, types, **params)``
    a scorer for sampled matrices ``Xs`` (k, m, n) (uncertain scores): ``scores(W)`` uses
    ``Xs[s]`` with ``W[s]`` (or one ``W`` row for all), ``scores_multi(Wq)`` gives (k, q, m)
    under each of ``q`` weight vectors.

Either returns None when the method (or that parameter set) has no batched form; the
sensitivity engines then use what is generic (linearity in ``w``, detected numerically) or the
kernel per weight vector. That every batched form equals its kernel is part of the ranking
methods' contract tests. This module holds the pieces the forms share.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np


class Scorer(Protocol):
    """What a batched form returns: scores (k, m) for weights (k, n)."""

    name: str

    def scores(self, W: np.ndarray) -> np.ndarray: ...


def criteria_major(Xs: np.ndarray) -> np.ndarray:
    """(k, m, n) -> C-ordered (k, n, m): reductions over the options run along the last axis."""
    return np.ascontiguousarray(np.asarray(Xs, dtype=float).transpose(0, 2, 1))


def weighted_sum(W: np.ndarray, T: np.ndarray) -> np.ndarray:
    """``sum_j W[s, j] * T[s, j, :]`` for criteria-major ``T`` (k, n, m) -> (k, m).

    One fused multiply-add per criterion over (k, m): vectorised, and exact in the same way for
    any chunk size. ``W`` may have one row for all samples.
    """
    out = W[:, 0, None] * T[:, 0, :]
    for j in range(1, T.shape[1]):
        out += W[:, j, None] * T[:, j, :]
    return out


class Linear:
    """Scores linear in the weights: ``scores = W @ B.T`` for a basis ``B`` (m, n)."""

    name = "linear"

    def __init__(self, basis: np.ndarray):
        self.Bt = np.ascontiguousarray(np.asarray(basis, dtype=float).T)  # (n, m)

    def scores(self, W: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(W, dtype=float) @ self.Bt


class LinearSampled:
    """Linear scores of sampled matrices: ``scores[s] = N_s @ w`` with ``NT`` (k, n, m)."""

    name = "linear"

    def __init__(self, NT: np.ndarray):
        self.NT = NT

    def scores(self, W: np.ndarray) -> np.ndarray:
        return weighted_sum(np.atleast_2d(np.asarray(W, dtype=float)), self.NT)

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        return np.matmul(np.ascontiguousarray(Wq), self.NT)
