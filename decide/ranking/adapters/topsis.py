"""TOPSIS: closeness to the ideal and distance from the anti-ideal (Hwang & Yoon 1981)."""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from decide.ranking._util import CRITERION, OPTION, OPTION_CRITERION, colmax, colmin, colsum, safe_div
from decide.ranking.base import Contributions, Evaluation, Method, register
from decide.ranking.adapters._checks import require
from decide.ranking.batch import criteria_major, weighted_sum
from decide.ranking.normalize import SCALINGS, omax, omin, scale


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


def _closeness(dp: np.ndarray, dm: np.ndarray) -> np.ndarray:
    """``D- / (D+ + D-)`` from squared distances ``dp`` and ``dm``, in place (in ``dp``); 0.5
    where both are 0 (a tie).

    Computed as ``1 / (1 + sqrt(D+^2 / D-^2))``: one square root instead of two (the square
    root costs more than the rest together), equal to the two-root form within a few units
    in the last place. ``D-^2 = 0`` gives 0 (the option is the anti-ideal), ``D+^2 = 0`` gives 1.
    """
    both = None
    if dm.size and dm.min() > 0:  # the usual case: no option is the anti-ideal
        np.divide(dp, dm, out=dp)
    else:
        both = (dp == 0) & (dm == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            np.divide(dp, dm, out=dp)
    np.sqrt(dp, out=dp)
    dp += 1.0
    np.divide(1.0, dp, out=dp)
    if both is not None:
        dp[both] = 0.5
    return dp


class _Batch:
    """TOPSIS for many weight vectors: ``D+^2 = sum_j w_j^2 (n_ij - a_j)^2``.

    With ``w >= 0`` the weight factors out of the ideal and anti-ideal points (``a``, ``b``:
    max/min of the normalised column ``N`` by direction), so for a chunk of weights both
    squared distances are one matrix product each, ``(W*W) @ ((N - a)^2).T``.
    """

    def __init__(self, X: np.ndarray, types: np.ndarray, normalization: str):
        self.name = f"topsis-{normalization}"
        N = scale(np.asarray(X, dtype=float), normalization)
        benefit = np.asarray(types) > 0
        a = np.where(benefit, omax(N), omin(N))
        b = np.where(benefit, omin(N), omax(N))
        self.Pt = np.ascontiguousarray(((N - a) ** 2).T)  # (n, m), C-ordered for the product
        self.Mt = np.ascontiguousarray(((N - b) ** 2).T)

    def scores(self, W: np.ndarray) -> np.ndarray:
        W2 = np.ascontiguousarray(W, dtype=float)
        W2 = W2 * W2
        return _closeness(W2 @ self.Pt, W2 @ self.Mt)


class _BatchSampled:
    """TOPSIS on sampled matrices (k, m, n): the same distances per sample, criteria-major."""

    def __init__(self, Xs: np.ndarray, types: np.ndarray, normalization: str):
        self.name = f"topsis-{normalization}"
        N = scale(criteria_major(Xs), normalization, axis=2)  # (k, n, m)
        benefit = (np.asarray(types) > 0)[None, :, None]
        hi, lo = omax(N, 2), omin(N, 2)
        P = N - np.where(benefit, hi, lo)
        P *= P
        N -= np.where(benefit, lo, hi)
        N *= N
        self.P, self.M = P, N  # squared distance terms per criterion, (k, n, m)

    def scores(self, W: np.ndarray) -> np.ndarray:
        W2 = np.atleast_2d(np.asarray(W, dtype=float))
        W2 = W2 * W2
        return _closeness(weighted_sum(W2, self.P), weighted_sum(W2, self.M))

    def scores_multi(self, Wq: np.ndarray) -> np.ndarray:
        W2 = np.ascontiguousarray(Wq * Wq)  # (q, n)
        return _closeness(np.matmul(W2, self.P), np.matmul(W2, self.M))


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

    def batch(self, X, types, normalization="vector"):
        return _Batch(X, types, normalization) if normalization in SCALINGS else None

    def batch_sampled(self, Xs, types, normalization="vector"):
        return _BatchSampled(Xs, types, normalization) if normalization in SCALINGS else None

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
