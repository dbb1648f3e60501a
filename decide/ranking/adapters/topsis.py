"""TOPSIS: closeness to the ideal and distance from the anti-ideal (Hwang & Yoon 1981)."""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from decide.ranking._util import CRITERION, OPTION, OPTION_CRITERION, colmax, colmin, colsum, safe_div
from decide.ranking.base import Contributions, Evaluation, Method, register
from decide.ranking.adapters._checks import require
from decide.ranking.normalize import SCALINGS, scale


def _weighted(X: np.ndarray, w: np.ndarray, normalization: str) -> np.ndarray:
    """Weighted normalised matrix V = w_j * r_ij in one pass over X."""
    if normalization == "vector":
        return X * safe_div(w, np.sqrt(np.einsum("ij,ij->j", X, X)))
    if normalization == "max":
        return X * safe_div(w, colmax(X))
    if normalization == "sum":
        return X * safe_div(w, colsum(X))
    if normalization == "none":  # the matrix as given (scores already on one scale)
        return X * w
    lo = colmin(X)
    return (X - lo) * safe_div(w, colmax(X) - lo)


def _distances(V: np.ndarray, types: np.ndarray):
    """Ideal and anti-ideal points and the distances D+ and D- of every option.

    One scratch matrix serves both distances; row sums of squares by ``einsum``.
    """
    hi, lo = colmax(V), colmin(V)
    benefit = types > 0
    ideal = np.where(benefit, hi, lo)
    anti = np.where(benefit, lo, hi)
    T = V - ideal
    d_plus = np.sqrt(np.einsum("ij,ij->i", T, T))
    np.subtract(V, anti, out=T)
    d_minus = np.sqrt(np.einsum("ij,ij->i", T, T))
    return ideal, anti, d_plus, d_minus


class TOPSIS(Method):
    """Technique for Order Preference by Similarity to Ideal Solution.

    Score: relative closeness ``C = D- / (D+ + D-)`` in [0, 1], higher is better, where ``D+``
    and ``D-`` are the Euclidean distances of the weighted normalised option to the ideal and
    anti-ideal points. ``normalization`` is linear and not oriented (see
    :func:`decide.ranking.normalize.scale`): ``vector`` (default, Hwang & Yoon's definition),
    ``minmax``, ``max`` or ``sum``; ``none`` weighs the matrix as given (for scores already on one
    common scale, as scikit-criteria and pymcdm allow). When every option coincides on every criterion the
    closeness is 0.5 for all (a tie), never NaN.
    """

    name = "topsis"
    batch_form = "distance"
    title = "TOPSIS"
    reference = ("Hwang, C. L., & Yoon, K. (1981). Multiple Attribute Decision Making: Methods "
                 "and Applications. Springer.")
    higher_is_better = True
    defaults = MappingProxyType({"normalization": "vector"})
    choices = MappingProxyType({"normalization": (*SCALINGS, "none")})

    def resolve(self, prep, params, lang="en"):
        if params["normalization"] in ("max", "sum"):
            require(prep, prep.X < 0, "topsis_needs_nonnegative", lang,
                    normalization=params["normalization"])
        return params, []

    def score_scale(self, prep, params):
        return 1.0

    def kernel(self, X, w, types, normalization="vector"):
        V = _weighted(X, w, normalization)
        _, _, d_plus, d_minus = _distances(V, types)
        return safe_div(d_minus, d_plus + d_minus, 0.5)

    def evaluate(self, X, w, types, *, tables=False, normalization="vector"):
        if not tables:
            return Evaluation(self.kernel(X, w, types, normalization))
        N = X.astype(float) if normalization == "none" else scale(X, normalization)
        V = N * w
        ideal, anti, d_plus, d_minus = _distances(V, types)
        closeness = safe_div(d_minus, d_plus + d_minus, 0.5)
        return Evaluation(closeness, tables={
            "normalized": (OPTION_CRITERION, N),
            "weighted": (OPTION_CRITERION, V),
            "ideal": (CRITERION, ideal),
            "anti_ideal": (CRITERION, anti),
            "d_plus": (OPTION, d_plus),
            "d_minus": (OPTION, d_minus),
            "closeness": (OPTION, closeness),
        })

    def contributions(self, X, w, types, normalization="vector"):
        V = _weighted(X, w, normalization)
        ideal, anti, _, _ = _distances(V, types)
        plus = (V - ideal) ** 2
        minus = (V - anti) ** 2
        return Contributions(minus - plus, exact=True, kind="contrib_topsis",
                             terms={"d_plus_sq": (OPTION_CRITERION, plus),
                                    "d_minus_sq": (OPTION_CRITERION, minus)})


register(TOPSIS())
