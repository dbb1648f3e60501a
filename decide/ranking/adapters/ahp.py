"""AHP synthesis: option priorities per criterion combined with the criteria weights
(Saaty 1980; ideal mode: Belton & Gear 1983, Saaty 1994)."""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from decide.ranking._util import OPTION_CRITERION, safe_div
from decide.ranking.base import Contributions, Evaluation, Method, register
from decide.ranking.batch import Linear, LinearSampled, criteria_major
from decide.ranking.normalize import omax, osum
from decide.ranking.adapters._checks import nonnegative_and_positive_costs


def _priorities(X: np.ndarray, types: np.ndarray, mode: str, axis: int | None = None) -> np.ndarray:
    """Local priorities of the options per criterion.

    A benefit column is used as given, a cost column by its reciprocals (a cheaper option gets
    a proportionally higher priority). ``distributive``: each column divided by its sum, so the
    priorities of a criterion sum to 1. ``ideal``: divided by its maximum, so the best option of
    each criterion gets 1 (adding or removing an option then does not change the others'
    priorities). Over the options of one matrix, or along ``axis`` of a stack of matrices.
    """
    R = np.where(types > 0, X, safe_div(1.0, X))
    if mode == "ideal":
        return R * safe_div(1.0, omax(R, axis))
    return R * safe_div(1.0, osum(R, axis))


class AHPSynthesis(Method):
    """AHP synthesis of option scores (higher is better).

    The matrix holds, per criterion, the options' ratings or their local priorities (e.g. the
    priority vectors of pairwise comparisons of the options, one column per criterion,
    computed with :mod:`decide.ahp`); the weights are the criteria weights. The score is
    ``sum_j w_j p_ij`` with ``p`` from ``mode`` ``distributive`` (default, Saaty's original
    synthesis: columns normalised to sum 1) or ``ideal`` (columns divided by their maximum).
    Values must be >= 0 (> 0 on cost criteria, which are inverted).
    """

    name = "ahp"
    title = "AHP synthesis"
    reference = ("Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill; "
                 "Belton, V., & Gear, T. (1983). On a short-coming of Saaty's method of "
                 "analytic hierarchies. Omega, 11(3), 228-230.")
    higher_is_better = True
    defaults = MappingProxyType({"mode": "distributive"})
    choices = MappingProxyType({"mode": ("distributive", "ideal")})

    def resolve(self, prep, params, lang="en"):
        nonnegative_and_positive_costs(prep, "ahp_needs_nonnegative", lang)
        return params, []

    def score_scale(self, prep, params):
        return 1.0

    def kernel(self, X, w, types, mode="distributive"):
        return _priorities(X, types, mode) @ w

    def batch(self, X, types, mode="distributive"):
        return Linear(_priorities(X, types, mode))

    def batch_sampled(self, Xs, types, mode="distributive"):
        return LinearSampled(_priorities(criteria_major(Xs), np.asarray(types)[:, None], mode, axis=2))

    def evaluate(self, X, w, types, *, tables=False, mode="distributive"):
        if not tables:
            return Evaluation(self.kernel(X, w, types, mode))
        P = _priorities(X, types, mode)
        V = P * w
        return Evaluation(V.sum(axis=1), tables={"priorities": (OPTION_CRITERION, P),
                                                 "weighted": (OPTION_CRITERION, V)})

    def contributions(self, X, w, types, mode="distributive"):
        return Contributions(_priorities(X, types, mode) * w, exact=True, kind="contrib_score")


register(AHPSynthesis())
