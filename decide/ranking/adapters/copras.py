"""COPRAS: complex proportional assessment (Zavadskas, Kaklauskas & Sarka 1994), textbook
formula. pymcdm 1.4's COPRAS is not used: it reduces the cost term to S-_i itself, so a higher
cost raises the score."""
from __future__ import annotations

from types import MappingProxyType

import numpy as np

from decide.ranking._util import OPTION, OPTION_CRITERION, colsum, error_msg, fmt_label, fmt_list, msg, safe_div
from decide.errors import InputError
from decide.ranking.base import Evaluation, Method, register
from decide.ranking.adapters._checks import require


def _copras(X: np.ndarray, w: np.ndarray, types: np.ndarray):
    """Normalised N, weighted D, S+ (benefit sum), S- (cost sum), significance Q, utility U.

    ``Q_i = S+_i + (min S- * sum_k S-_k) / (S-_i * sum_k (min S- / S-_k))``, which simplifies
    to ``S+_i + sum_k S-_k / (S-_i * sum_k 1 / S-_k)``; ``U_i = Q_i / max Q`` (utility degree,
    1 = best). Without cost criteria (or with zero cost weight) the cost term is absent and
    ``Q = S+``.
    """
    N = X * safe_div(1.0, colsum(X))
    D = N * w
    cost = types < 0
    s_plus = D @ (~cost).astype(float)
    s_minus = D @ cost.astype(float)
    total = s_minus.sum()
    if total > 0:
        sm = np.maximum(s_minus, np.finfo(float).tiny)  # kernel never divides by 0
        Q = s_plus + total / (sm * np.sum(1.0 / sm))
    else:
        Q = s_plus.copy()
    U = safe_div(Q, Q.max())
    return N, D, s_plus, s_minus, Q, U


class COPRAS(Method):
    """COPRAS (higher is better): utility degree ``U_i = Q_i / max Q`` in (0, 1].

    Values are sum-normalised per criterion, so they must be >= 0 with a positive column sum;
    when there are cost criteria, every option needs a positive weighted cost sum S-.
    Details: ``S_plus``, ``S_minus``, ``Q``.
    """

    name = "copras"
    title = "COPRAS"
    reference = ("Zavadskas, E. K., Kaklauskas, A., & Sarka, V. (1994). The new method of "
                 "multicriteria complex proportional assessment of projects. Technological "
                 "and Economic Development of Economy, 1(3), 131-139.")
    higher_is_better = True
    defaults = MappingProxyType({})

    def resolve(self, prep, params, lang="en"):
        require(prep, prep.X < 0, "copras_needs_nonnegative", lang)
        cost = (prep.types < 0) & (prep.w > 0)
        if cost.any():
            s_minus = (prep.X[:, cost] * prep.w[cost]).sum(axis=1)
            bad = np.flatnonzero(s_minus <= 0)
            if bad.size:
                raise InputError(error_msg("copras_zero_cost", lang, options=fmt_list(
                    [fmt_label(prep.alternatives[i]) for i in bad])))
        return params, []

    def score_scale(self, prep, params):
        return 1.0

    def kernel(self, X, w, types):
        return _copras(X, w, types)[-1]

    def evaluate(self, X, w, types, *, tables=False):
        N, D, sp, sm, Q, U = _copras(X, w, types)
        details = {"S_plus": (OPTION, sp), "S_minus": (OPTION, sm), "Q": (OPTION, Q)}
        tabs = {}
        if tables:
            tabs = {"normalized": (OPTION_CRITERION, N), "weighted": (OPTION_CRITERION, D),
                    "S_plus": (OPTION, sp), "S_minus": (OPTION, sm), "Q": (OPTION, Q),
                    "utility": (OPTION, U)}
        return Evaluation(U, details=details, tables=tabs)


register(COPRAS())
