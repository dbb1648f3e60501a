"""Validation of a decision problem, done once and vectorised: :func:`prepare`.

Every ranking method (and decide.sensitivity) works on a :class:`Prepared` problem: a float64
C-ordered matrix without NaN/inf, weights on the simplex, directions as +1/-1, labels.
Problems are reported with their location (option and criterion labels), what was expected,
what came, and what to do. All problems of one kind are reported together.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from decide.errors import InputError
from decide.ranking._util import colmax, colmin, error_msg, fmt_label, fmt_list, msg

#: Weights summing to 1 within this tolerance are kept as they are.
WEIGHT_SUM_TOL = 1e-9

_DIRECTIONS = {"max": 1, "min": -1, 1: 1, -1: -1}
_FAST = {"max": 1, "min": -1}


@dataclass(frozen=True)
class Prepared:
    """A validated decision problem.

    Attributes
    ----------
    X : ndarray (m, n)
        float64, C-ordered, finite, read-only view of the input values.
    w : ndarray (n,)
        float64, non-negative, summing to 1.
    types : ndarray (n,)
        int, +1 for a criterion to maximise, -1 for one to minimise.
    alternatives, criteria : pandas.Index
        Labels (positions 0..m-1 / 0..n-1 for unlabelled input).
    notes : tuple of str
        What was adjusted or is worth knowing (weights normalised, constant criteria).
    col_min, col_max : ndarray (n,)
        Column minima and maxima of ``X`` (computed during validation; kernels may reuse them).
    constant : ndarray of bool (n,)
        Criteria on which every option has the same value: they carry no information.
    """

    X: np.ndarray
    w: np.ndarray
    types: np.ndarray
    alternatives: pd.Index
    criteria: pd.Index
    notes: tuple[str, ...] = ()
    col_min: np.ndarray | None = None
    col_max: np.ndarray | None = None
    constant: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, int]:
        return self.X.shape  # type: ignore[return-value]

    @property
    def directions(self) -> pd.Series:
        """Directions as ``"max"``/``"min"`` labelled by criterion."""
        return pd.Series(np.where(self.types > 0, "max", "min"), index=self.criteria,
                         name="direction")

    @property
    def weights(self) -> pd.Series:
        """Weights labelled by criterion."""
        return pd.Series(self.w, index=self.criteria, name="weight")

    def to_frame(self) -> pd.DataFrame:
        """The matrix as a labelled DataFrame (options x criteria)."""
        return pd.DataFrame(self.X, index=self.alternatives, columns=self.criteria)


def _readonly(a: np.ndarray, owned: bool = True) -> np.ndarray:
    """Mark ``a`` read-only; through a view when the array may belong to the caller."""
    if not owned:
        a = a.view()
    a.flags.writeable = False
    return a


@lru_cache(maxsize=128)
def _positions(k: int) -> pd.Index:
    """Labels 0..k-1 of unlabelled input (cached: RangeIndex construction is not free)."""
    return pd.RangeIndex(k)


def _matrix(matrix: Any, lang: str) -> tuple[np.ndarray, pd.Index, pd.Index, bool]:
    """The values as float64 C-ordered array, the labels, and whether the array is a copy."""
    if isinstance(matrix, pd.DataFrame):
        alternatives, criteria = matrix.index, matrix.columns
        try:
            X = matrix.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError):
            bad = [fmt_label(c) for c in criteria
                   if not pd.api.types.is_numeric_dtype(matrix[c].dtype)]
            raise InputError(error_msg("not_numeric_columns", lang, columns=", ".join(bad))) from None
        X = np.ascontiguousarray(X)
        owned = False  # to_numpy may return the frame's own memory
    else:
        try:
            X = np.asarray(matrix, dtype=np.float64)
        except (TypeError, ValueError):
            raise InputError(error_msg("not_numeric", lang, got=type(matrix).__name__)) from None
        if X.ndim != 2:
            raise InputError(error_msg("not_2d", lang, shape=tuple(X.shape)))
        X = np.ascontiguousarray(X)
        owned = X is not matrix
        alternatives = _positions(X.shape[0])
        criteria = _positions(X.shape[1])
    m, n = X.shape
    if n < 1:
        raise InputError(error_msg("no_criteria", lang))
    if m < 2:
        raise InputError(error_msg("too_few_options", lang, m=m))
    for what, idx in (("options", alternatives), ("criteria", criteria)):
        if not isinstance(idx, pd.RangeIndex) and not idx.is_unique:
            dup = idx[idx.duplicated()].unique()
            raise InputError(error_msg("duplicate_labels", lang, what=what,
                                 labels=", ".join(fmt_label(x) for x in dup[:8])))
    return X, alternatives, criteria, owned


def _nonfinite(X: np.ndarray, alternatives: pd.Index, criteria: pd.Index, lang: str) -> None:
    # isfinite(...).all() is a fast SIMD reduction; only locate problems when there are some
    if np.isfinite(X).all():
        return
    rows, cols = np.nonzero(~np.isfinite(X))
    where = [msg("cell", lang, option=fmt_label(alternatives[i]), criterion=fmt_label(criteria[j]),
                 value=X[i, j]) for i, j in zip(rows.tolist(), cols.tolist())]
    raise InputError(error_msg("nonfinite", lang, count=len(where), where=fmt_list(where)))


def _by_criterion(values: Any, criteria: pd.Index, what: str, lang: str) -> list:
    """Per-criterion values from a sequence (positional) or a mapping/Series (by label)."""
    n = len(criteria)
    if isinstance(values, (list, tuple)):  # fast path for the common case
        if len(values) != n:
            raise InputError(error_msg("length_mismatch", lang, what=what, n=n, k=len(values)))
        return values
    if isinstance(values, (Mapping, pd.Series)):
        mapping = values if isinstance(values, Mapping) else values.to_dict()
        keys = list(mapping.keys())
        missing = [c for c in criteria if c not in mapping]
        extra = [k for k in keys if k not in set(criteria)]
        if missing or extra:
            raise InputError(error_msg("labels_mismatch", lang, what=what,
                                 missing=", ".join(fmt_label(c) for c in missing) or "-",
                                 extra=", ".join(fmt_label(k) for k in extra) or "-",
                                 criteria=", ".join(fmt_label(c) for c in criteria)))
        return [mapping[c] for c in criteria]
    if isinstance(values, (str, bytes)) or np.ndim(values) != 1:
        raise InputError(error_msg("not_sequence", lang, what=what, n=n, got=repr(values)[:60]))
    seq = list(values)
    if len(seq) != n:
        raise InputError(error_msg("length_mismatch", lang, what=what, n=n, k=len(seq)))
    return seq


def _weights(weights: Any, criteria: pd.Index, lang: str) -> tuple[np.ndarray, list[str]]:
    if isinstance(weights, np.ndarray) and weights.ndim == 1 and len(weights) == len(criteria):
        seq = weights
    else:
        seq = _by_criterion(weights, criteria, "weights", lang)
    try:
        w = np.array(seq, dtype=np.float64)  # always a copy: the caller keeps their array
    except (TypeError, ValueError):
        raise InputError(error_msg("weights_not_numeric", lang, got=repr(seq)[:80])) from None
    notes: list[str] = []
    if w.ndim != 1:
        raise InputError(error_msg("weights_not_numeric", lang, got=repr(seq)[:80]))
    total = float(w.sum())
    if np.isfinite(total) and (w >= 0).all() and total > 0:
        if abs(total - 1.0) > WEIGHT_SUM_TOL:
            notes.append(msg("weights_normalised", lang, total=f"{total:.6g}"))
            w /= total
        return w, notes
    bad = ~np.isfinite(w)
    if bad.any():
        raise InputError(error_msg("weights_nonfinite", lang, criteria=", ".join(
            fmt_label(criteria[j]) for j in np.flatnonzero(bad))))
    neg = w < 0
    if neg.any():
        raise InputError(error_msg("weights_negative", lang, where=", ".join(
            f"{fmt_label(criteria[j])} = {w[j]:g}" for j in np.flatnonzero(neg))))
    raise InputError(error_msg("weights_zero", lang))


def _types(directions: Any, criteria: pd.Index, lang: str) -> np.ndarray:
    seq = _by_criterion(directions, criteria, "directions", lang)
    try:  # fast path: exact "max"/"min" strings
        return np.array([_FAST[d] for d in seq], dtype=np.int64)
    except (KeyError, TypeError):
        pass
    out = np.empty(len(seq), dtype=np.int64)
    bad = []
    for j, d in enumerate(seq):
        key = d.strip().lower() if isinstance(d, str) else d
        if isinstance(key, (bool, np.bool_)) or isinstance(key, float) and not key.is_integer():
            key = None
        try:
            out[j] = _DIRECTIONS[key]
        except (KeyError, TypeError):
            bad.append(msg("bad_direction_item", lang, criterion=fmt_label(criteria[j]),
                           got=repr(d)))
    if bad:
        raise InputError(error_msg("bad_direction", lang, where=fmt_list(bad)))
    return out


def prepare(matrix: Any, weights: Any, directions: Any, *, lang: str = "en") -> Prepared:
    """Validate a decision problem once, vectorised.

    Parameters
    ----------
    matrix : 2-D array-like or DataFrame
        Options (rows) x criteria (columns). A DataFrame keeps its labels.
    weights : sequence, ndarray, Series or dict
        One non-negative weight per criterion; a Series/dict is aligned by criterion label.
        Weights that do not sum to 1 are normalised (with a note).
    directions : sequence, Series or dict
        ``"max"`` or ``"min"`` per criterion (+1/-1 are accepted too); by label when a
        Series/dict.
    lang : {"en", "nl"}
        Language of notes and error messages.

    Returns
    -------
    Prepared

    Raises
    ------
    InputError
        Non-finite values (each located by option and criterion), shape mismatch, unknown
        direction, negative or all-zero weights, fewer than two options, duplicate labels.

    Examples
    --------
    >>> p = prepare([[1, 3000], [2, 3750], [5, 4500]], [1, 1], ["min", "max"])
    >>> p.w.tolist(), p.types.tolist()
    ([0.5, 0.5], [-1, 1])
    """
    X, alternatives, criteria, owned = _matrix(matrix, lang)
    _nonfinite(X, alternatives, criteria, lang)
    w, notes = _weights(weights, criteria, lang)
    types = _types(directions, criteria, lang)
    lo, hi = colmin(X), colmax(X)
    constant = lo == hi
    if constant.any():
        notes.extend(msg("constant_column", lang, criterion=fmt_label(criteria[j]))
                     for j in np.flatnonzero(constant))
    return Prepared(X=_readonly(X, owned), w=_readonly(w), types=_readonly(types),
                    alternatives=alternatives, criteria=criteria, notes=tuple(notes),
                    col_min=_readonly(lo), col_max=_readonly(hi), constant=_readonly(constant))


def _prepared(matrix: Any, weights: Any, directions: Any, lang: str) -> Prepared:
    """``matrix`` itself when it is already a :class:`Prepared` problem, else :func:`prepare`."""
    if isinstance(matrix, Prepared):
        if weights is not None or directions is not None:
            raise InputError(error_msg("prepared_with_weights", lang))
        return matrix
    return prepare(matrix, weights, directions, lang=lang)
