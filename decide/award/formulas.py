"""Award formulas on arrays: price scores, quality scores, totals, ranks.

Every function here is a pure kernel on numpy arrays, vectorised over any leading axes:
``prices`` has shape ``(..., n)`` (one price per bid), ``fractions`` shape ``(..., n, k)``
(the score of each bid on each quality criterion as a fraction of the criterion's
maximum; a penalty level may be negative). Validation is the caller's business
(:mod:`decide.award.validation` for model files, :func:`decide.award.evaluate` for arrays).

The methods follow Dutch practice (PIANOo's overview of award methods for the best
price-quality ratio; Stilger, Siderius & van Raaij 2017, "A comparative study of formulas
for choosing the economically most advantageous tender", J. Public Procurement 17(1)):

``points``
    Weighted-factor method (gewogen factormethode): ``total = price_score + quality_score``,
    highest wins. ``quality_score = sum_k points_k * q_ik``. The price score is
    ``relative``: ``W_P * P_min / P_i``; ``linear``: ``W_P * (P_hi - P_i) / (P_hi - P_min)``
    with ``P_hi`` a stated upper price or the highest bid (a bid above a stated upper price
    gets 0); ``absolute``: ``W_P * (C - P_i) / (C - F)`` against the published ceiling ``C``
    and floor ``F`` (default 0; a bid at or below the floor gets ``W_P``).
``fictive_price``
    Gunnen op waarde: ``fictive_price = P_i - sum_k value_k * q_ik`` (a penalty level adds
    a surcharge), lowest wins.
``value_for_money``
    Quality per euro: ``utility = Q_i / P_i * 10^6`` with ``Q_i`` the quality points (quality
    points per million), highest wins.
``utility_index``
    ``U_i = (1 - (Q_best - Q_i) * N) / P_i * P_best`` with ``N = W_Q / W_P``, ``Q_i`` the
    points-weighted quality fraction, ``Q_best`` the highest ``Q_i`` and ``P_best`` the
    lowest price (the Utility Index as published by Negometrix/Mercell), highest wins.
``lowest_price`` / ``lowest_cost``
    Lowest price (or life-cycle cost) wins.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from decide.errors import InputError

__all__ = ["METHODS", "PRICE_FORMULAS", "RELATIVE", "Scheme", "price_scores", "scores", "ranks",
           "order_key", "eur_per_point"]

METHODS = ("points", "fictive_price", "value_for_money", "utility_index", "lowest_price", "lowest_cost")
PRICE_FORMULAS = ("relative", "linear", "absolute")

#: Scale of the value-for-money utility: quality points per million of currency.
VFM_SCALE = 1e6

#: Two evaluations closer than this (relative to their size) are a tie.
TIE_RTOL = 1e-9


@dataclass(frozen=True, eq=False)
class Scheme:
    """An award formula, without bids: what a tender publishes.

    Parameters
    ----------
    method : str
        One of :data:`METHODS`.
    weights : array of float
        Per quality criterion: points (``points``, ``value_for_money``, ``utility_index``)
        or the value in currency at 100 % (``fictive_price``). Empty for the lowest-price
        methods.
    price_points : float
        ``W_P``: the points for price (``points``, ``utility_index``).
    price_formula : str
        ``relative``, ``linear`` or ``absolute`` (``points`` only).
    ceiling, floor : float, optional
        The published ceiling and floor price of the ``absolute`` formula.
    upper : float, optional
        The stated upper price of the ``linear`` formula (default: the highest bid).
    nominal_points : float, optional
        For ``fictive_price``: the quality points the money values stand for (one point is
        then worth ``W_Q / nominal_points``); default 100, one percent of the quality value.
    """

    method: str
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    price_points: float = 0.0
    price_formula: str = "relative"
    ceiling: Optional[float] = None
    floor: Optional[float] = None
    upper: Optional[float] = None
    nominal_points: Optional[float] = None

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise InputError.keyed("award.method_unknown", "method", allowed=", ".join(map(repr, METHODS)), value=repr(self.method))
        if self.price_formula not in PRICE_FORMULAS:
            raise InputError.keyed("award.price_formula_unknown", "price_formula", allowed=", ".join(map(repr, PRICE_FORMULAS)),
                                   value=repr(self.price_formula))
        w = np.asarray(self.weights, dtype=float).reshape(-1)
        w.setflags(write=False)
        object.__setattr__(self, "weights", w)

    @property
    def quality_points(self) -> float:
        """``W_Q``: the sum of the quality weights (points, or currency for fictive_price)."""
        return float(self.weights.sum())

    @property
    def higher_is_better(self) -> bool:
        return self.method in ("points", "value_for_money", "utility_index")

    @property
    def relative(self) -> bool:
        """Whether a bid's evaluation depends on the other bids (the rank paradox is possible).

        The relative and the observed-upper linear price formula score against the lowest
        (and highest) bid; the utility index against the best quality. Removing a bid then
        moves the reference and can swap two other bids.
        """
        if self.method == "points":
            return self.price_formula == "relative" or (self.price_formula == "linear" and self.upper is None)
        return self.method == "utility_index"

    @property
    def uses_quality(self) -> bool:
        return self.method in ("points", "fictive_price", "value_for_money", "utility_index")


def price_scores(prices: np.ndarray, scheme: Scheme) -> np.ndarray:
    """The price score of every bid under the ``points`` method (shape of ``prices``)."""
    p = np.asarray(prices, dtype=float)
    wp = scheme.price_points
    lo = p.min(axis=-1, keepdims=True)
    if scheme.price_formula == "relative":
        return wp * lo / p
    if scheme.price_formula == "linear":
        hi = np.full_like(lo, scheme.upper) if scheme.upper is not None else p.max(axis=-1, keepdims=True)
        span = hi - lo
        safe = np.where(span > 0, span, 1.0)
        out = np.where(span > 0, wp * (hi - p) / safe, wp)
        return np.clip(out, 0.0, wp)
    ceiling = float(scheme.ceiling)  # type: ignore[arg-type]
    floor = float(scheme.floor or 0.0)
    return np.clip(wp * (ceiling - p) / (ceiling - floor), 0.0, wp)


def scores(prices: np.ndarray, fractions: np.ndarray, scheme: Scheme) -> dict[str, np.ndarray]:
    """Every intermediate number of the evaluation, as arrays of the shape of ``prices``.

    Returns
    -------
    dict
        ``price_score``, ``quality_score``, ``total``, ``fictive_price``, ``utility``
        (NaN where the method does not use the quantity) and ``key``: the number the
        method ranks by, lower is better.
    """
    p = np.asarray(prices, dtype=float)
    q = np.asarray(fractions, dtype=float)
    nan = np.full(p.shape, np.nan)
    out = {"price_score": nan, "quality_score": nan, "total": nan, "fictive_price": nan, "utility": nan}
    m = scheme.method
    w = scheme.weights
    if m in ("lowest_price", "lowest_cost"):
        out["key"] = p
        return out
    quality = q @ w if w.size else np.zeros(p.shape)
    out["quality_score"] = quality
    if m == "points":
        ps = price_scores(p, scheme)
        out["price_score"] = ps
        out["total"] = ps + quality
        out["key"] = -out["total"]
    elif m == "fictive_price":
        out["fictive_price"] = p - quality
        out["key"] = out["fictive_price"]
    elif m == "value_for_money":
        out["utility"] = quality / p * VFM_SCALE
        out["key"] = -out["utility"]
    else:  # utility_index
        wq = scheme.quality_points
        frac = quality / wq if wq > 0 else np.zeros(p.shape)
        n = wq / scheme.price_points if scheme.price_points > 0 else np.inf
        best_q = frac.max(axis=-1, keepdims=True)
        best_p = p.min(axis=-1, keepdims=True)
        out["quality_score"] = frac
        out["utility"] = (1.0 - (best_q - frac) * n) / p * best_p
        out["key"] = -out["utility"]
    return out


def order_key(prices: np.ndarray, fractions: np.ndarray, scheme: Scheme) -> np.ndarray:
    """The number each bid is ranked by (lower is better)."""
    return scores(prices, fractions, scheme)["key"]


def ranks(key: np.ndarray) -> np.ndarray:
    """Competition ranks (1 = best; ties share the better rank) along the last axis of ``key``."""
    k = np.asarray(key, dtype=float)
    tol = TIE_RTOL * np.maximum(np.abs(k)[..., :, None], np.abs(k)[..., None, :]) + 1e-12
    better = (k[..., None, :] < k[..., :, None] - tol)  # [i, j]: j beats i
    return better.sum(axis=-1) + 1


def beats(key: np.ndarray) -> np.ndarray:
    """``out[..., i, j]``: bid i is strictly better than bid j (beyond the tie tolerance)."""
    k = np.asarray(key, dtype=float)
    tol = TIE_RTOL * np.maximum(np.abs(k)[..., :, None], np.abs(k)[..., None, :]) + 1e-12
    return k[..., :, None] < k[..., None, :] - tol


def eur_per_point(prices: np.ndarray, fractions: np.ndarray, scheme: Scheme, bid: np.ndarray) -> np.ndarray:
    """The price a bid can add for one more quality point and keep its evaluation.

    One quality point is one point of the scheme's quality weights; for ``fictive_price``,
    whose weights are money, it is ``W_Q / nominal_points`` (default one percent of the
    total quality value). The reference
    numbers of the formula (lowest price, highest price, best quality) are held at the
    tender's values, so this is the exchange rate the formula offers a bidder at the margin.

    Parameters
    ----------
    bid : array of int
        The index of the bid to measure, per leading index (shape ``prices.shape[:-1]``).
    """
    p = np.asarray(prices, dtype=float)
    s = scores(p, fractions, scheme)
    idx = np.asarray(bid)[..., None]
    pb = np.take_along_axis(p, idx, axis=-1)[..., 0]
    lo = p.min(axis=-1)
    m, wp = scheme.method, scheme.price_points
    if m == "points":
        if scheme.price_formula == "relative":
            return pb ** 2 / (wp * lo)
        if scheme.price_formula == "linear":
            hi = scheme.upper if scheme.upper is not None else p.max(axis=-1)
            span = hi - lo
            return np.where(span > 0, span / wp, np.inf)
        return np.full(pb.shape, (float(scheme.ceiling) - float(scheme.floor or 0.0)) / wp)  # type: ignore[arg-type]
    if m == "fictive_price":
        return np.full(pb.shape, scheme.quality_points / (scheme.nominal_points or 100.0))
    if m == "value_for_money":
        qb = np.take_along_axis(s["quality_score"], idx, axis=-1)[..., 0]
        return np.where(qb > 0, pb / np.where(qb > 0, qb, 1.0), np.inf)
    if m == "utility_index":
        wq = scheme.quality_points
        n = wq / wp
        frac = s["quality_score"]
        fb = np.take_along_axis(frac, idx, axis=-1)[..., 0]
        denom = 1.0 - (frac.max(axis=-1) - fb) * n
        return np.where(denom > 0, pb * n / (wq * np.where(denom > 0, denom, 1.0)), np.inf)
    return np.full(pb.shape, 0.0)
