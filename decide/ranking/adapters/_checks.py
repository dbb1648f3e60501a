"""Data checks shared by several method adapters (positivity of values, located by cell)."""
from __future__ import annotations

import numpy as np

from decide.errors import InputError
from decide.ranking._util import error_msg, fmt_label, fmt_list, msg
from decide.ranking.problem import Prepared


def require(prep: Prepared, bad: np.ndarray, key: str, lang: str, **kwargs) -> None:
    """Raise :class:`InputError` ``key`` listing the cells where ``bad`` (m, n) is True."""
    if not bad.any():
        return
    rows, cols = np.nonzero(bad)
    where = [msg("cell", lang, option=fmt_label(prep.alternatives[i]),
                 criterion=fmt_label(prep.criteria[j]), value=prep.X[i, j])
             for i, j in zip(rows.tolist(), cols.tolist())]
    raise InputError(error_msg(key, lang, where=fmt_list(where), **kwargs))


def nonnegative_and_positive_costs(prep: Prepared, key: str, lang: str, **kwargs) -> None:
    """Values must be >= 0, and > 0 on cost criteria (they are inverted)."""
    X = prep.X
    if prep.col_min is not None and (prep.col_min > 0).all():
        return
    bad = (X < 0) | ((X <= 0) & (prep.types < 0))
    require(prep, bad, key, lang, **kwargs)


def positive(prep: Prepared, key: str, lang: str, **kwargs) -> None:
    """All values must be > 0."""
    if prep.col_min is not None and (prep.col_min > 0).all():
        return
    require(prep, prep.X <= 0, key, lang, **kwargs)
