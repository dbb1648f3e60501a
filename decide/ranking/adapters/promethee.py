"""PROMETHEE II: net outranking flows with a preference function per criterion
(Brans & Vincke 1985; Brans, Vincke & Mareschal 1986; Brans & Mareschal 2005).

Implemented in numpy (not with pymcdm's PROMETHEE_II, whose objects build their preference
functions from a one-shot generator and must not be reused, and which has no Gaussian
function). Criteria with the usual function (the default) are done by sorting, O(m log m);
the other functions compare all pairs, in row blocks so that memory stays bounded.
"""
from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from types import MappingProxyType

import numpy as np
import pandas as pd

from decide.errors import InputError
from decide.ranking._util import OPTION, OPTION_CRITERION, OPTION_OPTION, error_msg, fmt_label, fmt_list, msg
from decide.ranking.base import Contributions, Evaluation, Method, register

#: The six generalised criteria of Brans & Vincke (1985), by the names used here.
PREFERENCES = ("usual", "ushape", "vshape", "level", "linear", "gaussian")
#: Thresholds each preference function needs (q indifference, p preference, s Gaussian).
NEEDS = {"usual": (), "ushape": ("q",), "vshape": ("p",), "level": ("q", "p"),
         "linear": ("q", "p"), "gaussian": ("s",)}

#: At most this many pairwise differences are held in memory at once (per criterion).
BLOCK_ELEMENTS = 1_000_000


def preference(kind: str, d: np.ndarray, q: float, p: float, s: float) -> np.ndarray:
    """P(d): the degree of preference for a difference d (oriented: d > 0 is better).

    ========  =========================================================
    usual     1 if d > 0
    ushape    1 if d > q                                  (quasi-criterion)
    vshape    d / p for 0 < d <= p, 1 if d > p            (linear preference)
    level     1/2 for q < d <= p, 1 if d > p
    linear    (d - q) / (p - q) for q < d <= p, 1 if d > p (V-shape with indifference)
    gaussian  1 - exp(-d^2 / (2 s^2)) for d > 0
    ========  =========================================================

    P(d) = 0 for d <= 0 in all cases.
    """
    if kind == "usual":
        return (d > 0).astype(float)
    if kind == "ushape":
        return (d > q).astype(float)
    if kind == "vshape":
        return np.clip(d / p, 0.0, 1.0)
    if kind == "level":
        return np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    if kind == "linear":
        return np.clip((d - q) / (p - q), 0.0, 1.0)
    if kind == "gaussian":
        return np.where(d > 0, -np.expm1(-(d * d) / (2.0 * s * s)), 0.0)
    raise ValueError(kind)  # pragma: no cover - checked before


def _odd(kind: str, d: np.ndarray, q: float, p: float, s: float) -> np.ndarray:
    """H(d) = P(d) - P(-d), the per-pair contribution to the net flow (odd in d)."""
    if kind == "usual":
        return np.sign(d)
    if kind == "vshape":
        return np.clip(d / p, -1.0, 1.0)
    a = np.abs(d)
    return np.sign(d) * preference(kind, a, q, p, s)


def _per_criterion(value, n: int) -> list:
    if value is None or isinstance(value, (str, Real)):
        return [value] * n
    if isinstance(value, Mapping):
        raise TypeError("per-criterion parameters given by label must be bound to the criteria "
                        "first: params, _ = method.resolve(prepared, method.check_params(...))")
    return list(value)


def _usual_counts(col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For the usual function: how many options each option beats / is beaten by.

    Sorting gives both counts in O(m log m) instead of comparing all m x m pairs; comparing the
    values themselves is exact (x_a - x_b > 0 exactly when x_a > x_b).
    """
    s = np.sort(col)
    beats = np.searchsorted(s, col, side="left")
    beaten = col.shape[0] - np.searchsorted(s, col, side="right")
    return beats.astype(float), beaten.astype(float)


def _flows(X, w, types, preference_fns, q, p, s, *, net_only: bool, pairwise: bool = False):
    """Flows: counting for the usual function, blocks of rows for the others.

    Returns phi (net) when ``net_only``; else phi_plus, phi_minus, the unicriterion net flows
    (m, n) and, when ``pairwise``, the aggregated preference index pi (m, m).
    """
    m, n = X.shape
    D = X * types  # oriented: higher is better on every criterion
    prefs = _per_criterion(preference_fns, n)
    qs, ps, ss = (_per_criterion(x, n) for x in (q, p, s))
    rows = max(1, min(m, BLOCK_ELEMENTS // max(m, 1)))
    denom = float(m - 1)
    usual = [j for j in range(n) if prefs[j] == "usual"]
    other = [j for j in range(n) if prefs[j] != "usual"]
    plus = np.zeros(m)
    minus = np.zeros(m)
    uni = np.zeros((m, n))
    for j in usual:
        beats, beaten = _usual_counts(D[:, j])
        plus += w[j] * beats
        minus += w[j] * beaten
        uni[:, j] = beats - beaten
    if net_only:
        phi = plus - minus
        for a0 in range(0, m, rows):
            a1 = min(m, a0 + rows)
            for j in other:
                if w[j] == 0.0:
                    continue
                d = D[a0:a1, j, None] - D[None, :, j]
                phi[a0:a1] += w[j] * _odd(prefs[j], d, qs[j], ps[j], ss[j]).sum(axis=1)
        return phi / denom
    pi = np.zeros((m, m)) if pairwise else None
    for a0 in range(0, m, rows):
        a1 = min(m, a0 + rows)
        for j in (range(n) if pairwise else other):
            d = D[a0:a1, j, None] - D[None, :, j]
            P = preference(prefs[j], d, qs[j], ps[j], ss[j])
            if pi is not None:
                pi[a0:a1] += w[j] * P
            if prefs[j] == "usual":
                continue
            Pm = preference(prefs[j], -d, qs[j], ps[j], ss[j])
            sp, sm = P.sum(axis=1), Pm.sum(axis=1)
            plus[a0:a1] += w[j] * sp
            minus[a0:a1] += w[j] * sm
            uni[a0:a1, j] = sp - sm
    return plus / denom, minus / denom, uni / denom, pi


class PrometheeII(Method):
    """PROMETHEE II complete ranking by the net flow phi = phi+ - phi- (higher is better).

    Parameters (per criterion: a scalar for all, a list in criterion order, or a dict by label)
    ---------------------------------------------------------------------------------------
    preference : {"usual", "ushape", "vshape", "level", "linear", "gaussian"}
        Default ``"usual"`` (Brans & Vincke's type I, the authors' default).
    q, p, s : float
        Indifference, preference and Gaussian thresholds in the criterion's own units;
        required by the functions that use them (``ushape``: q; ``vshape``: p; ``level`` and
        ``linear``: q < p; ``gaussian``: s > 0).

    Details: ``phi_plus``, ``phi_minus``, ``phi``. Tables: the aggregated preference indices
    ``pi`` (option x option) and the unicriterion net flows.
    """

    name = "promethee_ii"
    title = "PROMETHEE II"
    reference = ("Brans, J. P., & Vincke, Ph. (1985). A preference ranking organisation method "
                 "(The PROMETHEE method for multiple criteria decision-making). Management "
                 "Science, 31(6), 647-656.")
    higher_is_better = True
    defaults = MappingProxyType({"preference": "usual", "q": None, "p": None, "s": None})
    choices = MappingProxyType({"preference": PREFERENCES})

    # ---------------------------------------------------------------- parameters
    @staticmethod
    def _values(name: str, value, lang: str):
        """Threshold value(s) as float or None; a mapping is kept (aligned later)."""
        if value is None:
            return None
        if isinstance(value, (Mapping, pd.Series)):
            items = dict(value)
        elif isinstance(value, (bool, np.bool_)) or isinstance(value, str):
            raise InputError(error_msg("threshold_bad", lang, name=name, got=repr(value)))
        elif np.ndim(value) == 0:
            items = {None: value}
        else:
            items = dict(enumerate(value))
        out = {}
        for k, v in items.items():
            if v is None:
                out[k] = None
                continue
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, (Real, np.floating,
                                                                    np.integer)):
                raise InputError(error_msg("threshold_bad", lang, name=name, got=repr(v)))
            f = float(v)
            if not np.isfinite(f) or f < 0:
                raise InputError(error_msg("threshold_bad", lang, name=name, got=repr(v)))
            out[k] = f
        if set(out) == {None}:
            return out[None]
        if isinstance(value, (Mapping, pd.Series)):
            return out
        return [out[i] for i in range(len(out))]

    def _check(self, params, lang):
        for name in ("q", "p", "s"):
            params[name] = self._values(name, params[name], lang)
        pref = params["preference"]
        if isinstance(pref, pd.Series):
            params["preference"] = pref.to_dict()
        elif not isinstance(pref, (str, Mapping)):
            params["preference"] = list(pref)
        # data-independent completeness: one function for all and scalar thresholds
        if isinstance(params["preference"], str):
            self._complete([params["preference"]], [params["q"]], [params["p"]], [params["s"]],
                           None, lang, scalar_only=True)

    def _complete(self, prefs, qs, ps, ss, criteria, lang, scalar_only=False):
        problems = []
        for j, kind in enumerate(prefs):
            q, p, s = qs[j % len(qs)], ps[j % len(ps)], ss[j % len(ss)]
            if scalar_only and any(isinstance(x, (list, dict)) for x in (q, p, s)):
                return
            where = (msg("for_criterion", lang, criterion=fmt_label(criteria[j]))
                     if criteria is not None else "")
            have = {"q": q, "p": p, "s": s}
            missing = [t for t in NEEDS[kind] if have[t] is None]
            if missing:
                problems.append(msg("threshold_missing", lang, kind=kind, where=where,
                                    names=", ".join(missing)))
                continue
            if kind in ("level", "linear") and not q < p:
                problems.append(msg("threshold_order", lang, kind=kind, where=where, q=q, p=p))
            if kind == "vshape" and not p > 0:
                problems.append(msg("threshold_positive", lang, kind=kind, where=where,
                                    name="p"))
            if kind == "gaussian" and not s > 0:
                problems.append(msg("threshold_positive", lang, kind=kind, where=where,
                                    name="s"))
        if problems:
            raise InputError(error_msg("promethee_params", lang, problems=fmt_list(problems)))

    def resolve(self, prep, params, lang="en"):
        crit = prep.criteria
        n = len(crit)

        def align(name, value):
            if value is None or isinstance(value, (str, float)):
                return [value] * n
            if isinstance(value, Mapping):
                missing = [c for c in crit if c not in value]
                extra = [k for k in value if k not in set(crit)]
                if extra or (missing and name == "preference"):
                    raise InputError(error_msg("labels_mismatch", lang, what=name,
                                         missing=", ".join(fmt_label(c) for c in missing) or "-",
                                         extra=", ".join(fmt_label(k) for k in extra) or "-",
                                         criteria=", ".join(fmt_label(c) for c in crit)))
                default = "usual" if name == "preference" else None
                return [value.get(c, default) for c in crit]
            if len(value) != n:
                raise InputError(error_msg("length_mismatch", lang, what=name, n=n, k=len(value)))
            return list(value)

        prefs = align("preference", params["preference"])
        qs, ps, ss = (align(k, params[k]) for k in ("q", "p", "s"))
        self._complete(prefs, qs, ps, ss, crit, lang)
        return {"preference": prefs, "q": qs, "p": ps, "s": ss}, []

    def score_scale(self, prep, params):
        return 1.0

    # ---------------------------------------------------------------- computation
    def kernel(self, X, w, types, preference="usual", q=None, p=None, s=None):
        """Net flows phi. Per-criterion parameters are scalars or lists in criterion order
        (label dicts are aligned by :meth:`resolve`)."""
        return _flows(X, w, types, preference, q, p, s, net_only=True)

    def evaluate(self, X, w, types, *, tables=False, preference="usual", q=None, p=None,
                 s=None):
        plus, minus, uni, pi = _flows(X, w, types, preference, q, p, s, net_only=False,
                                      pairwise=tables)
        phi = plus - minus
        details = {"phi_plus": (OPTION, plus), "phi_minus": (OPTION, minus),
                   "phi": (OPTION, phi)}
        tabs = {}
        if tables:
            tabs = {"pi": (OPTION_OPTION, pi), "unicriterion_flows": (OPTION_CRITERION, uni),
                    "phi_plus": (OPTION, plus), "phi_minus": (OPTION, minus),
                    "phi": (OPTION, phi)}
        return Evaluation(phi, details=details, tables=tabs)

    def contributions(self, X, w, types, preference="usual", q=None, p=None, s=None):
        _, _, uni, _ = _flows(X, w, types, preference, q, p, s, net_only=False)
        return Contributions(uni * w, exact=True, kind="contrib_promethee",
                             terms={"unicriterion_flows": (OPTION_CRITERION, uni)})


register(PrometheeII())
