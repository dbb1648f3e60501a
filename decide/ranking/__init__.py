"""Ranking of sourcing options with MCDA methods: :func:`rank`, :func:`compare`, :func:`explain`.

>>> from decide.ranking import rank, methods
>>> methods()
['topsis', 'vikor', 'promethee_ii', 'wsm', 'wpm', 'ahp', 'copras', 'spotis']
>>> r = rank([[8, 7], [5, 3], [11, 10]], [0.6, 0.4], ["max", "max"])
>>> r.ranks.tolist()
[2, 3, 1]

Every method is an adapter object (:func:`get_method`) with ``name``, ``higher_is_better``,
``defaults``, ``check_params(**params)`` and a pure ``kernel(X, w, types, **params)``; input is
validated once by :func:`prepare`, and :func:`bind` holds a method with its checked parameters
on a prepared problem (what sensitivity analysis and the workshop sliders re-score). Scores are each method's own measure; ranks are 1 = best with
ties sharing the best rank of their group.
"""
from __future__ import annotations

from decide.ranking.base import (
    Contributions,
    Evaluation,
    Method,
    Ranking,
    get_method,
    methods,
    register,
)
from decide.ranking.bound import BoundMethod, bind, rank
from decide.ranking.problem import Prepared, prepare
from decide.ranking import adapters as _adapters  # noqa: F401  (registers the methods)
from decide.ranking.comparison import Comparison, compare
from decide.ranking.explanation import Explanation, explain

__all__ = [
    "BoundMethod",
    "Comparison",
    "Contributions",
    "Evaluation",
    "Explanation",
    "Method",
    "Prepared",
    "Ranking",
    "bind",
    "compare",
    "explain",
    "get_method",
    "methods",
    "prepare",
    "rank",
    "register",
]
