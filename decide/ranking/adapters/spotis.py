"""SPOTIS: stable preference ordering towards ideal solution (Dezert, Tchamova, Han &
Tacnet 2020)."""
from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
import pandas as pd

from decide.errors import InputError
from decide.ranking._util import (CRITERION, OPTION_CRITERION, colmax, colmin, error_msg, fmt_label, fmt_list, msg,
                                  safe_div)
from decide.ranking.base import Contributions, Evaluation, Method, register
from decide.ranking.adapters._checks import require


def _distances(X, types, bounds, esp, alpha):
    """Normalised distances ``d_ij`` to the expected point, or Balanced SPOTIS's mix
    ``(1 - alpha) d(ISP) + alpha d(ESP)`` when ``alpha`` is given; and the points used."""
    lo, hi, point = _bounds_esp(X, types, bounds, esp)
    inv = safe_div(1.0, hi - lo)
    d = np.abs(X - point) * inv
    if alpha is not None:
        isp = np.where(types > 0, hi, lo)
        d = (1.0 - alpha) * (np.abs(X - isp) * inv) + alpha * d
    return lo, hi, point, d


def _bounds_esp(X, types, bounds, esp):
    if bounds is None:
        lo, hi = colmin(X), colmax(X)
    else:
        b = np.asarray(bounds, dtype=float)
        lo, hi = b[:, 0], b[:, 1]
    ideal = np.where(types > 0, hi, lo) if esp is None else np.asarray(esp, dtype=float)
    return lo, hi, ideal


class SPOTIS(Method):
    """SPOTIS: weighted normalised distance to the ideal/expected solution point (lower is
    better).

    ``d_ij = |x_ij - S*_j| / (max_j - min_j)`` with the criterion bounds ``[min_j, max_j]``
    and ``score_i = sum_j w_j d_ij``. ``bounds`` (n x 2, or a dict label -> (min, max)) are the
    range a criterion can take; only with fixed bounds is SPOTIS free of rank reversal. Without
    bounds they are taken from the data (the observed min and max), which makes it data
    dependent like TOPSIS. ``esp`` (expected solution point, per criterion) defaults to the
    ideal: the upper bound of a benefit, the lower bound of a cost.

    ``alpha`` (Balanced SPOTIS, Shekhovtsov, Dezert & Sałabun 2025) weighs the distance to the
    ideal solution point against the distance to ``esp``: ``d = (1 - alpha) d(ISP) + alpha
    d(ESP)``; 0 is SPOTIS towards the ideal, 1 SPOTIS towards ``esp``. Default None: plain
    SPOTIS towards ``esp``.
    """

    name = "spotis"
    title = "SPOTIS"
    reference = ("Dezert, J., Tchamova, A., Han, D., & Tacnet, J. M. (2020). The SPOTIS rank "
                 "reversal free method for multi-criteria decision-making support. 23rd "
                 "International Conference on Information Fusion (FUSION), IEEE, 1-8.")
    higher_is_better = False
    defaults = MappingProxyType({"bounds": None, "esp": None, "alpha": None})

    def _check(self, params, lang):
        alpha = params["alpha"]
        if alpha is not None:
            if isinstance(alpha, bool) or not isinstance(alpha, (int, float, np.number)) \
                    or not 0.0 <= float(alpha) <= 1.0:
                raise InputError(error_msg("spotis_alpha", lang, got=repr(alpha)))
            params["alpha"] = float(alpha)
        for name in ("bounds", "esp"):
            value = params[name]
            if value is None or isinstance(value, (Mapping, pd.Series, pd.DataFrame)):
                continue
            try:
                arr = np.asarray(value, dtype=float)
            except (TypeError, ValueError):
                raise InputError(error_msg("spotis_not_numeric", lang, name=name)) from None
            if not np.isfinite(arr).all():
                raise InputError(error_msg("spotis_not_numeric", lang, name=name))
            if name == "bounds" and (arr.ndim != 2 or arr.shape[1] != 2):
                raise InputError(error_msg("spotis_bounds_shape", lang, shape=tuple(arr.shape)))
            if name == "esp" and arr.ndim != 1:
                raise InputError(error_msg("spotis_esp_shape", lang, shape=tuple(arr.shape)))

    def resolve(self, prep, params, lang="en"):
        crit = prep.criteria
        n = len(crit)
        bounds, esp = params["bounds"], params["esp"]
        if isinstance(bounds, pd.DataFrame):
            bounds = {c: tuple(row) for c, row in zip(bounds.index, bounds.to_numpy())}
        for name, value in (("bounds", bounds), ("esp", esp)):
            if isinstance(value, (Mapping, pd.Series)):
                value = dict(value)
                missing = [c for c in crit if c not in value]
                extra = [k for k in value if k not in set(crit)]
                if missing or extra:
                    raise InputError(error_msg("labels_mismatch", lang, what=name,
                                         missing=", ".join(fmt_label(c) for c in missing) or "-",
                                         extra=", ".join(fmt_label(k) for k in extra) or "-",
                                         criteria=", ".join(fmt_label(c) for c in crit)))
                value = [value[c] for c in crit]
                if name == "bounds":
                    bounds = value
                else:
                    esp = value
        if bounds is not None:
            b = np.asarray(bounds, dtype=float)
            if b.shape != (n, 2) or not np.isfinite(b).all():
                raise InputError(error_msg("spotis_bounds_shape", lang, shape=tuple(b.shape)))
            bad = np.flatnonzero(~(b[:, 0] < b[:, 1]))
            if bad.size:
                raise InputError(error_msg("spotis_bounds_order", lang, where=fmt_list(
                    [f"{fmt_label(crit[j])}: [{b[j, 0]:g}, {b[j, 1]:g}]" for j in bad])))
            require(prep, (prep.X < b[:, 0]) | (prep.X > b[:, 1]), "spotis_outside", lang)
            bounds = b
        if esp is not None:
            e = np.asarray(esp, dtype=float)
            if e.shape != (n,) or not np.isfinite(e).all():
                raise InputError(error_msg("spotis_esp_shape", lang, shape=tuple(e.shape)))
            lo = bounds[:, 0] if bounds is not None else prep.col_min
            hi = bounds[:, 1] if bounds is not None else prep.col_max
            bad = np.flatnonzero((e < lo) | (e > hi))
            if bad.size:
                raise InputError(error_msg("spotis_esp_outside", lang, where=fmt_list(
                    [f"{fmt_label(crit[j])} = {e[j]:g}" for j in bad])))
            esp = e
        return {"bounds": bounds, "esp": esp, "alpha": params["alpha"]}, []

    def score_scale(self, prep, params):
        return 1.0

    def kernel(self, X, w, types, bounds=None, esp=None, alpha=None):
        return _distances(X, types, bounds, esp, alpha)[3] @ w

    def evaluate(self, X, w, types, *, tables=False, bounds=None, esp=None, alpha=None):
        lo, hi, ideal, d = _distances(X, types, bounds, esp, alpha)
        tabs = {}
        if tables:
            tabs = {"lower": (CRITERION, lo), "upper": (CRITERION, hi),
                    "esp": (CRITERION, ideal), "distances": (OPTION_CRITERION, d),
                    "weighted": (OPTION_CRITERION, d * w)}
        return Evaluation(d @ w, tables=tabs)

    def contributions(self, X, w, types, bounds=None, esp=None, alpha=None):
        d = _distances(X, types, bounds, esp, alpha)[3]
        return Contributions(-d * w, exact=True, kind="contrib_spotis")


register(SPOTIS())
