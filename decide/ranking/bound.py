"""A ranking method bound to a prepared problem: :func:`bind`.

Binding does, once, everything that does not depend on the weights: the input is validated
(:func:`decide.ranking.prepare`), the method's parameters are checked and bound to the data
(``Method.resolve``), and the tie scale is fixed (``Method.score_scale``). What then varies --
the weights, in sensitivity analysis and on a workshop slider -- costs one kernel call. Every
ranking in the package goes through a bound method: :func:`decide.ranking.rank`,
:func:`~decide.ranking.explain`, the comparison of methods, the stability intervals, sweeps,
SMAA, the rank-reversal probes and the workshop's sliders; so there is one place where scores
become ranks, with one tie rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

import numpy as np
import pandas as pd

from decide.ranking._util import rank_values
from decide.ranking.base import Contributions, Method, Ranking, get_method
from decide.ranking.problem import Prepared, _prepared  # noqa: F401 (Prepared: docs)


@dataclass(frozen=True, eq=False, slots=True)
class BoundMethod:
    """A method with checked parameters on one prepared problem.

    Attributes
    ----------
    method : Method
        The adapter (its name, direction, kernel and batched forms).
    prep : Prepared
        The validated problem (matrix, weights, directions, labels).
    checked : mapping
        The effective parameters, defaults filled in (what a result reports).
    params : mapping
        The parameters as bound to the data, passed to the kernel.
    notes : tuple of str
        What validation and the method adjusted or observed.
    scale : float
        The method's natural score size, the floor of the tie tolerance.
    """

    method: Method
    prep: Prepared
    checked: Mapping[str, Any]
    params: Mapping[str, Any]
    notes: tuple[str, ...]
    scale: float

    # ------------------------------------------------------------------ the problem
    @property
    def name(self) -> str:
        return self.method.name

    @property
    def higher_is_better(self) -> bool:
        return bool(self.method.higher_is_better)

    @property
    def X(self) -> np.ndarray:
        return self.prep.X

    @property
    def w(self) -> np.ndarray:
        return self.prep.w

    @property
    def types(self) -> np.ndarray:
        return self.prep.types

    @property
    def alternatives(self) -> pd.Index:
        return self.prep.alternatives

    @property
    def criteria(self) -> pd.Index:
        return self.prep.criteria

    @property
    def m(self) -> int:
        return self.prep.X.shape[0]

    @property
    def n(self) -> int:
        return self.prep.X.shape[1]

    # ------------------------------------------------------------------ computing
    def kernel(self, w: np.ndarray | None = None, X: np.ndarray | None = None) -> np.ndarray:
        """Scores under weights ``w`` (default: the problem's) on ``X`` (default: its matrix)."""
        out = self.method.kernel(self.X if X is None else X, self.w if w is None else w,
                                 self.types, **self.params)
        return np.asarray(out, dtype=float)

    def ranks(self, scores: np.ndarray) -> np.ndarray:
        """Competition ranks of one evaluation (1 = best) under the package's tie rule.

        A vector with a NaN (an undefined corner, e.g. VIKOR without spread) ties everyone.
        """
        s = np.asarray(scores, dtype=float)
        if s.shape[0] and not np.all(np.isfinite(s)):
            return np.ones(s.shape[0], dtype=np.int64)
        return rank_values(s, self.higher_is_better, self.scale)

    def contributions(self, w: np.ndarray | None = None) -> Contributions:
        """Per-criterion terms of the scores under ``w`` (see ``Method.contributions``)."""
        return self.method.contributions(self.X, self.w if w is None else w, self.types,
                                         **self.params)

    def rank(self, *, tables: bool = False) -> Ranking:
        """The :class:`Ranking` under the problem's weights."""
        prep, method = self.prep, self.method
        ev = method.evaluate(prep.X, prep.w, prep.types, tables=tables, **self.params)
        return Ranking(
            method=method.name,
            params=self.checked,
            higher_is_better=method.higher_is_better,
            notes=self.notes,
            alternatives=prep.alternatives,
            criteria=prep.criteria,
            score_values=ev.scores,
            # a method's scores under valid weights are finite: no NaN check on this path
            rank_values=rank_values(ev.scores, method.higher_is_better, self.scale),
            raw_details=ev.details,
            raw_tables=ev.tables,
        )


def bind(matrix: Any, weights: Any = None, directions: Any = None, method: str | Method = "topsis",
         *, lang: str = "en", **params: Any) -> BoundMethod:
    """Bind a ranking method to a problem: validate once, check the parameters once.

    Parameters
    ----------
    matrix, weights, directions
        As for :func:`decide.ranking.rank` (``matrix`` may be a :class:`Prepared` problem).
    method : str or Method
        A registered method name or adapter.
    lang : {"en", "nl"}
        Language of notes and error messages.
    **params
        The method's parameters.

    Returns
    -------
    BoundMethod

    Examples
    --------
    >>> b = bind([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], ["min", "max"], "vikor")
    >>> b.ranks(b.kernel()).tolist(), b.ranks(b.kernel([0.9, 0.1])).tolist()
    ([2, 1, 2], [1, 2, 3])
    """
    m = get_method(method, lang=lang)
    prep = _prepared(matrix, weights, directions, lang)
    checked = m._check_params(params, lang)
    bound, notes = m.resolve(prep, checked, lang)
    return BoundMethod(m, prep, MappingProxyType(checked), MappingProxyType(dict(bound)),
                       prep.notes + tuple(notes), float(m.score_scale(prep, bound)))


def rank(matrix: Any, weights: Any = None, directions: Any = None, method: str = "topsis", *,
         tables: bool = False, lang: str = "en", **params: Any) -> Ranking:
    """Rank options with one MCDA method.

    Parameters
    ----------
    matrix : 2-D array-like, DataFrame or :class:`Prepared`
        Options (rows) x criteria (columns). A prepared problem skips validation (then
        ``weights`` and ``directions`` must be None).
    weights, directions
        See :func:`decide.ranking.prepare`.
    method : str
        A registered method (:func:`methods`): ``topsis`` (default), ``vikor``,
        ``promethee_ii``, ``wsm``, ``wpm``, ``ahp``, ``copras``, ``spotis``.
    tables : bool
        Also return the intermediate tables ("show your working") in ``Ranking.tables``.
    lang : {"en", "nl"}
        Language of notes and error messages.
    **params
        Method parameters, e.g. ``normalization="vector"`` for TOPSIS, ``v=0.5`` for VIKOR.

    Returns
    -------
    Ranking

    Examples
    --------
    >>> r = rank([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], ["min", "max"], "vikor")
    >>> r.ranks.tolist(), r.details["compromise"]
    ([2, 1, 2], [1])
    """
    return bind(matrix, weights, directions, method, lang=lang, **params).rank(tables=tables)


__all__ = ["BoundMethod", "bind", "rank"]
