"""Weighted sum (WSM) and weighted product (WPM) models (Fishburn 1967; Bridgman 1922;
Miller & Starr 1969; Triantaphyllou 2000)."""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from decide.ranking._util import OPTION_CRITERION, colmax, colmin, colsum
from decide.ranking.base import Contributions, Evaluation, Method, register
from decide.ranking.batch import Linear, LinearSampled, criteria_major
from decide.ranking.adapters._checks import nonnegative_and_positive_costs, positive
from decide.ranking.normalize import NEEDS_POSITIVE, ORIENTATIONS, orient


class WSM(Method):
    """Weighted sum: ``score_i = sum_j w_j r_ij`` of oriented normalised values (higher is
    better).

    ``normalization`` (see :func:`decide.ranking.normalize.orient`): ``minmax`` (default),
    ``max``, ``sum``, ``vector`` or ``none``.

    Why ``minmax`` by default: it maps the worst observed value of every criterion to 0 and the
    best to 1, so a weight reads as the value of swinging that criterion from worst to best
    (swing weights, the usual reading in procurement scoring); it handles costs and benefits
    symmetrically and linearly, works with zero and negative values (savings, NPV deltas), and
    with interval scales such as 1-5 ratings, where ``max`` (x / max) would credit the lowest
    rating with 1/5 of the weight. Use ``none`` when values are already on one common scale
    (e.g. 0-10 scores for every criterion): a cost criterion then enters as ``-w x``.
    """

    name = "wsm"
    title = "Weighted sum model"
    reference = ("Triantaphyllou, E. (2000). Multi-criteria Decision Making Methods: A "
                 "Comparative Study. Kluwer, ch. 2.")
    higher_is_better = True
    defaults = MappingProxyType({"normalization": "minmax"})
    choices = MappingProxyType({"normalization": ORIENTATIONS})

    def resolve(self, prep, params, lang="en"):
        if params["normalization"] in NEEDS_POSITIVE:
            nonnegative_and_positive_costs(prep, "needs_positive", lang, method=self.name,
                                           normalization=params["normalization"])
        return params, []

    def score_scale(self, prep, params):
        # normalised values lie in [0, 1]; raw values ("none") are on the data's own scale
        if params["normalization"] == "none":
            return float(np.abs(prep.X).max())
        return 1.0

    def kernel(self, X, w, types, normalization="minmax"):
        return orient(X, types, normalization) @ w

    def batch(self, X, types, normalization="minmax"):
        return Linear(orient(X, types, normalization))

    def batch_sampled(self, Xs, types, normalization="minmax"):
        return LinearSampled(orient(criteria_major(Xs), np.asarray(types)[:, None], normalization,
                                    axis=2))

    def evaluate(self, X, w, types, *, tables=False, normalization="minmax"):
        if not tables:
            return Evaluation(self.kernel(X, w, types, normalization))
        N = orient(X, types, normalization)
        V = N * w
        return Evaluation(V.sum(axis=1), tables={"normalized": (OPTION_CRITERION, N),
                                                 "weighted": (OPTION_CRITERION, V)})

    def contributions(self, X, w, types, normalization="minmax"):
        return Contributions(orient(X, types, normalization) * w, exact=True,
                             kind="contrib_score")


def _log_terms(X: np.ndarray, types: np.ndarray, normalization: str):
    """ln r_ij = t_j ln x_ij - c_j: log of the normalised value (ratio normalisations only)."""
    L = np.log(X)
    benefit = types > 0
    if normalization == "none":
        c = np.zeros(X.shape[1])
    elif normalization == "max":
        # benefit x / max -> ln x - ln max ; cost min / x -> -ln x + ln min
        c = np.where(benefit, np.log(colmax(X)), -np.log(colmin(X)))
    else:  # sum: benefit x / sum x ; cost (1/x) / sum(1/x)
        c = np.where(benefit, np.log(colsum(X)), np.log(colsum(1.0 / X)))
    t = np.where(benefit, 1.0, -1.0)
    return L, t, c


class WPM(Method):
    """Weighted product: ``score_i = prod_j r_ij ** w_j`` (higher is better); needs values > 0.

    ``normalization``: ``max`` (default: benefit x / max, cost min / x, so 1 means best on every
    criterion), ``sum`` (benefit x / sum, cost (1/x) / sum(1/x)) or ``none`` (``x ** w`` for a
    benefit, ``x ** -w`` for a cost -- Bridgman's dimensionless product, whose ratio between two
    options is Triantaphyllou's P(A_K / A_L)). The three differ by a constant factor per
    criterion, so they always give the same ranking. Computed in log space.
    """

    name = "wpm"
    title = "Weighted product model"
    reference = ("Triantaphyllou, E. (2000). Multi-criteria Decision Making Methods: A "
                 "Comparative Study. Kluwer, ch. 2; Miller, D. W., & Starr, M. K. (1969). "
                 "Executive Decisions and Operations Research. Prentice-Hall.")
    higher_is_better = True
    defaults = MappingProxyType({"normalization": "max"})
    choices = MappingProxyType({"normalization": ("max", "sum", "none")})

    def resolve(self, prep, params, lang="en"):
        positive(prep, "wpm_needs_positive", lang)
        return params, []

    def kernel(self, X, w, types, normalization="max"):
        L, t, c = _log_terms(X, types, normalization)
        return np.exp(L @ (w * t) - c @ w)

    def evaluate(self, X, w, types, *, tables=False, normalization="max"):
        if not tables:
            return Evaluation(self.kernel(X, w, types, normalization))
        L, t, c = _log_terms(X, types, normalization)
        logr = L * t - c
        return Evaluation(np.exp(logr @ w), tables={
            "normalized": (OPTION_CRITERION, np.exp(logr)),
            "weighted": (OPTION_CRITERION, np.exp(logr * w))})

    def contributions(self, X, w, types, normalization="max"):
        L, t, c = _log_terms(X, types, normalization)
        return Contributions((L * t - c) * w, exact=True, kind="contrib_wpm")


register(WSM())
register(WPM())
