"""Sensitivity and robustness of a ranking.

* :func:`stability` -- per criterion, the interval of its weight (others rescaled
  proportionally) in which the winner, and the whole ranking, stay the same.
* :func:`sweep` -- scores and ranks as one weight runs over [0, 1], tidy for plotting, with
  the breakpoints marked.
* :func:`rank_reversal` -- remove-one and dominated-copy probes per method, with evidence.
* :func:`smaa` -- SMAA-2 (Lahdelma & Salminen 2001): rank acceptabilities, central weights,
  confidence factors; weights from a :class:`WeightSpec`, score ranges from a
  :class:`ScoreSpec`; vectorised and chunked.
* :func:`robustness_text` (alias :func:`summarise`) -- the one-sentence verdict, nl or en.

All functions take the array-level problem of :func:`decide.ranking.rank` (``matrix``,
``weights``, ``directions``, ``method``, method ``**params``) and return frozen results with
``to_frame()``, ``to_dict()`` and ``_repr_html_``.
"""
from __future__ import annotations

from decide.sensitivity.reversal import MethodReversal, Probe, RankReversal, rank_reversal
from decide.sensitivity.sampling import ScoreSpec, WeightSpec
from decide.sensitivity.smaa import SMAA, smaa
from decide.sensitivity.stability import CriterionStability, Stability, stability
from decide.sensitivity.sweep import sweep
from decide.sensitivity.text import robustness_text, summarise

__all__ = [
    "CriterionStability",
    "MethodReversal",
    "Probe",
    "RankReversal",
    "SMAA",
    "ScoreSpec",
    "Stability",
    "WeightSpec",
    "rank_reversal",
    "robustness_text",
    "smaa",
    "stability",
    "summarise",
    "sweep",
]
