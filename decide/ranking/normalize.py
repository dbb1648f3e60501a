"""Column normalisations used by the ranking methods.

Two families, because methods use them differently:

* :func:`scale` -- linear, *not oriented* (TOPSIS, Hwang & Yoon 1981): the column is divided by
  a constant (``vector``: its Euclidean norm, ``max``: its maximum, ``sum``: its sum) or mapped
  affinely (``minmax``). The method then picks the ideal per direction (max for a benefit,
  min for a cost). Because every variant is linear, a cost column behaves as the mirror image
  of a benefit column.
* :func:`orient` -- *oriented* "higher is better" values (WSM, AHP):

  ========  =================================  ======================================
  name      benefit (max)                      cost (min)
  ========  =================================  ======================================
  minmax    (x - min) / (max - min)            (max - x) / (max - min)
  max       x / max                            min / x          (needs x > 0)
  sum       x / sum(x)                         (1/x) / sum(1/x) (needs x > 0)
  vector    x / ||x||                          1 - x / ||x||
  none      x                                  -x   (values already on a common scale)
  ========  =================================  ======================================

A constant column (no spread) normalises to 0 in ``minmax`` and contributes the same value to
every option in the others: it carries no information. Divisions by zero give 0, never NaN.

Both work on one (options x criteria) matrix, or along any ``axis`` of a stack of matrices: a
batch of sampled matrices laid out criteria-major as (samples, criteria, options) normalises
along ``axis=2`` with ``types`` shaped (criteria, 1). One formula serves a method's kernel and
its batched form.
"""
from __future__ import annotations

import numpy as np

from decide.ranking._util import colmax, colmin, colsum, safe_div

SCALINGS = ("vector", "minmax", "max", "sum")
ORIENTATIONS = ("minmax", "max", "sum", "vector", "none")

#: Normalisations that divide by the data and so need positive values.
NEEDS_POSITIVE = {"max", "sum"}


def omax(X: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Maximum over the options: per column of a matrix, or along ``axis`` (kept) of a stack."""
    return colmax(X) if axis is None else X.max(axis=axis, keepdims=True)


def omin(X: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Minimum over the options (see :func:`omax`)."""
    return colmin(X) if axis is None else X.min(axis=axis, keepdims=True)


def osum(X: np.ndarray, axis: int | None = None) -> np.ndarray:
    """Sum over the options (see :func:`omax`)."""
    return colsum(X) if axis is None else X.sum(axis=axis, keepdims=True)


def _norm(X: np.ndarray, axis: int | None) -> np.ndarray:
    if axis is None:
        return np.sqrt(np.einsum("ij,ij->j", X, X))
    return np.sqrt(np.sum(X * X, axis=axis, keepdims=True))


def _minmax(X: np.ndarray, lo: np.ndarray | None, hi: np.ndarray | None, axis: int | None = None):
    lo = omin(X, axis) if lo is None else lo
    hi = omax(X, axis) if hi is None else hi
    return lo, hi, hi - lo


def scale(X: np.ndarray, how: str, lo: np.ndarray | None = None,
          hi: np.ndarray | None = None, axis: int | None = None) -> np.ndarray:
    """Linear, non-oriented normalisation over the options (see module docstring)."""
    if how == "vector":
        return X * safe_div(1.0, _norm(X, axis))
    if how == "max":
        return X * safe_div(1.0, omax(X, axis) if hi is None else hi)
    if how == "sum":
        return X * safe_div(1.0, osum(X, axis))
    if how == "minmax":
        lo, hi, rng = _minmax(X, lo, hi, axis)
        return (X - lo) * safe_div(1.0, rng)
    raise ValueError(how)  # pragma: no cover - parameters are checked before


def orient(X: np.ndarray, types: np.ndarray, how: str, lo: np.ndarray | None = None,
           hi: np.ndarray | None = None, axis: int | None = None) -> np.ndarray:
    """Oriented "higher is better" normalisation over the options (see module docstring)."""
    benefit = types > 0
    if how == "none":
        return X * np.where(benefit, 1.0, -1.0)
    if how == "minmax":
        lo, hi, rng = _minmax(X, lo, hi, axis)
        inv = safe_div(1.0, rng)
        return np.where(benefit, (X - lo) * inv, (hi - X) * inv)
    if how == "max":
        lo, hi, _ = _minmax(X, lo, hi, axis)
        return np.where(benefit, X * safe_div(1.0, hi), safe_div(lo, X))
    if how == "sum":
        R = np.where(benefit, X, safe_div(1.0, X))
        return R * safe_div(1.0, osum(R, axis))
    if how == "vector":
        V = X * safe_div(1.0, _norm(X, axis))
        return np.where(benefit, V, 1.0 - V)
    raise ValueError(how)  # pragma: no cover - parameters are checked before
