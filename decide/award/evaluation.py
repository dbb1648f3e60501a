"""Bid evaluation on arrays: every intermediate number, the winner, the rank paradox.

:func:`evaluate` takes prices, quality fractions and a :class:`~decide.award.formulas.Scheme`
and returns an :class:`Evaluation`: per bid the price score, quality score, total (or
fictive price, or utility) and rank, per bid and criterion the level, fraction and
contribution, and the rank-paradox check: every bid removed in turn, every pair of the
remaining bids whose order flips. A procurement adviser must be able to explain the result
to a losing bidder; these numbers are that explanation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from decide.award.formulas import Scheme, beats, eur_per_point, ranks, scores
from decide.errors import InputError

__all__ = ["Evaluation", "Swap", "Suggestion", "evaluate", "paradox", "suggest", "round_sig", "absolute_range"]


@dataclass(frozen=True)
class Swap:
    """Removing bid ``removed`` turns ``a`` ahead of ``b`` into ``b`` ahead of ``a``."""

    removed: str
    a: str
    b: str

    def to_dict(self) -> dict:
        return {"removed": self.removed, "swapped": [self.a, self.b]}


@dataclass(frozen=True)
class Suggestion:
    """Absolute alternatives to a relative formula with the same nominal weights.

    Under an absolute formula the price points are spread over a published price range
    (``floor`` to ``ceiling``: just below the lowest and above the highest expected
    price), so a price difference across the realistic bids is worth the full price points,
    as the quality range is worth the full quality points, whatever the other bids are.
    One quality point is then worth ``(ceiling - floor) / W_P``, which gives:

    - ``absolute`` price scoring with that ``floor`` and ``ceiling``;
    - ``fictive_price`` with ``value_k = points_k * (ceiling - floor) / W_P`` per criterion
      (the same order of bids, as long as no bid falls outside the range).
    """

    lowest_price: float
    price_points: float
    eur_per_point: float
    values: dict[str, float]
    ceiling: float
    floor: float

    def to_dict(self) -> dict:
        return {"lowest_price": self.lowest_price, "price_points": self.price_points,
                "eur_per_point": self.eur_per_point,
                "fictive_price": {"values": dict(self.values)},
                "absolute": {"ceiling": self.ceiling, "floor": self.floor}}


@dataclass(frozen=True, eq=False)
class Evaluation:
    """The evaluated bids of one tender.

    Attributes
    ----------
    scheme : Scheme
    table : DataFrame
        One row per bid (index: bid id, in input order): ``price``, ``price_score``,
        ``quality_score``, ``total``, ``fictive_price``, ``utility``, ``rank`` (NaN where the
        method does not use the column).
    parts : DataFrame
        One row per bid and criterion: ``bid``, ``criterion``, ``level`` (the scale level
        or None for a fraction), ``fraction``, ``weight`` and ``contribution``
        (weight x fraction, in points or money).
    winner : str or None
        The best bid (None without bids); on a tie the first in input order, with
        ``tied`` listing every bid that shares rank 1.
    paradox : tuple of Swap
    eur_per_point : float
        The price the winner could add for one more quality point (NaN when not defined).
    suggestion : Suggestion or None
        For a relative formula: absolute alternatives with the same weights.
    """

    scheme: Scheme
    table: pd.DataFrame
    parts: pd.DataFrame
    winner: Optional[str]
    tied: tuple[str, ...]
    paradox: tuple[Swap, ...]
    eur_per_point: float = math.nan
    suggestion: Optional[Suggestion] = None

    @property
    def method(self) -> str:
        return self.scheme.method

    @property
    def relative(self) -> bool:
        return self.scheme.relative

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """``{method, bids: [{id, price, price_score, quality_score, total, fictive_price,
        utility, rank}], winner, paradox: [{removed, swapped: [a, b]}]}`` (NaN -> None)."""
        def num(v: Any) -> Any:
            f = float(v)
            return None if math.isnan(f) or math.isinf(f) else f

        bids = []
        for bid, row in self.table.iterrows():
            bids.append({"id": str(bid), "price": num(row["price"]), "price_score": num(row["price_score"]),
                         "quality_score": num(row["quality_score"]), "total": num(row["total"]),
                         "fictive_price": num(row["fictive_price"]), "utility": num(row["utility"]),
                         "rank": int(row["rank"])})
        return {"method": self.method, "bids": bids, "winner": self.winner,
                "paradox": [s.to_dict() for s in self.paradox]}

    def _repr_html_(self) -> str:
        return self.table.to_html(float_format=lambda x: f"{x:,.2f}")


def round_sig(x: float, digits: int = 3, up: bool = False, down: bool = False) -> float:
    """``x`` to ``digits`` significant figures (rounded up when ``up``, down when ``down``)."""
    if x == 0 or not math.isfinite(x):
        return x
    scale = 10 ** (digits - 1 - math.floor(math.log10(abs(x))))
    step = math.ceil if up else (math.floor if down else round)
    return step(round(x * scale, 9)) / scale  # round first: 1.1 x 100 is 110.00000000000001


def _check(prices: Any, fractions: Any, scheme: Scheme, ids: Optional[Sequence[str]],
           criteria: Optional[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    p = np.asarray(prices, dtype=float)
    if p.ndim != 1 or p.size == 0:
        raise InputError.keyed("award.prices_not_list", "prices", found=str(p.shape))
    k = scheme.weights.size
    q = np.asarray(fractions, dtype=float).reshape(p.size, k) if k else np.zeros((p.size, 0))
    ids = [str(i) for i in (ids if ids is not None else [f"bid{i + 1}" for i in range(p.size)])]
    criteria = [str(c) for c in (criteria if criteria is not None else [f"q{j + 1}" for j in range(k)])]
    if len(ids) != p.size or len(set(ids)) != len(ids):
        raise InputError.keyed("award.bid_ids_mismatch", "ids", n=len(p), ids=", ".join(map(repr, ids)))
    if len(criteria) != k:
        raise InputError.keyed("award.criteria_count_mismatch", "criteria", weights=k, names=len(criteria))
    bad = [ids[i] for i in range(p.size) if not (math.isfinite(p[i]) and p[i] > 0)]
    if bad:
        raise InputError.keyed("award.bid_price_not_positive", f"bids[{bad[0]!r}].price",
                               value=repr(float(p[ids.index(bad[0])])))
    if not np.isfinite(q).all():
        i, j = np.argwhere(~np.isfinite(q))[0]
        raise InputError.keyed("award.quality_score_missing", f"bids[{ids[i]!r}].scores[{criteria[j]!r}]")
    if scheme.method == "points" and scheme.price_formula == "absolute":
        if scheme.ceiling is None:
            raise InputError.keyed("award.ceiling_missing", "scheme.ceiling")
        over = [ids[i] for i in range(p.size) if p[i] > scheme.ceiling]
        if over:
            raise InputError.keyed("award.bid_above_ceiling", f"bids[{over[0]!r}].price",
                                   price=f"{p[ids.index(over[0])]:,.2f}", ceiling=f"{scheme.ceiling:,.2f}")
    return p, q, ids, criteria


def paradox(prices: Any, fractions: Any, scheme: Scheme, ids: Sequence[str]) -> tuple[Swap, ...]:
    """Every pair whose order flips when one other bid is removed.

    For each bid in turn, the remaining bids are evaluated again without it; a pair
    ``(a, b)`` is reported when ``a`` was strictly ahead of ``b`` with all bids and ``b``
    is strictly ahead of ``a`` without the removed one.
    """
    p = np.asarray(prices, dtype=float)
    q = np.asarray(fractions, dtype=float).reshape(p.size, -1)
    n = p.size
    before = beats(scores(p, q, scheme)["key"])
    out: list[Swap] = []
    for r in range(n):
        keep = np.array([i for i in range(n) if i != r])
        if keep.size < 2:
            continue
        after = beats(scores(p[keep], q[keep], scheme)["key"])
        b = before[np.ix_(keep, keep)]
        flips = np.argwhere(b & after.T)
        for i, j in flips:
            out.append(Swap(ids[r], ids[keep[i]], ids[keep[j]]))
    return tuple(out)


def absolute_range(lowest: float, highest: float) -> tuple[float, float]:
    """A published price range around the expected bids: ``(floor, ceiling)``.

    The floor is 90 % of the lowest price rounded down, the ceiling 110 % of the highest
    rounded up, both to three significant figures.
    """
    return round_sig(0.9 * lowest, 3, down=True), round_sig(1.1 * highest, 3, up=True)


def suggest(prices: Any, scheme: Scheme, criteria: Sequence[str]) -> Optional[Suggestion]:
    """Absolute alternatives with the intended weights (None for a formula that is not relative)."""
    if not scheme.relative or scheme.price_points <= 0:
        return None
    p = np.asarray(prices, dtype=float)
    floor, ceiling = absolute_range(float(p.min()), float(scheme.upper or p.max()))
    rate = (ceiling - floor) / scheme.price_points
    values = {c: round_sig(float(w) * rate, 3) for c, w in zip(criteria, scheme.weights)}
    return Suggestion(float(p.min()), scheme.price_points, rate, values, ceiling, floor)


def evaluate(prices: Any, fractions: Any, scheme: Scheme, *, ids: Optional[Sequence[str]] = None,
             criteria: Optional[Sequence[str]] = None,
             levels: Optional[Sequence[Sequence[Optional[str]]]] = None) -> Evaluation:
    """Evaluate bids under an award formula, with every intermediate number.

    Parameters
    ----------
    prices : array of float, shape (n,)
        The bid prices (for ``lowest_cost``: the life-cycle costs), all positive.
    fractions : array of float, shape (n, k)
        Quality per bid and criterion as a fraction of the criterion's maximum (a penalty
        level may be negative).
    scheme : Scheme
    ids, criteria : sequences of str, optional
        Bid ids and criterion ids (default ``bid1..``, ``q1..``).
    levels : n x k nested sequence, optional
        The scale level each score came from (shown in ``parts``), None for a fraction.

    Raises
    ------
    InputError
        A non-positive or missing price, a missing score, a bid above the ceiling of the
        absolute formula.

    Examples
    --------
    Relative price scoring, 60 price points (PIANOo's weighted-factor example):

    >>> ev = evaluate([1_000_000, 1_250_000], [[1.0], [0.7]],
    ...               Scheme("points", [40], price_points=60), ids=["A", "B"])
    >>> ev.table["price_score"].round(2).tolist()
    [60.0, 48.0]
    """
    p, q, ids, criteria = _check(prices, fractions, scheme, ids, criteria)
    s = scores(p, q, scheme)
    rank = ranks(s["key"])
    table = pd.DataFrame({"price": p, "price_score": s["price_score"], "quality_score": s["quality_score"],
                          "total": s["total"], "fictive_price": s["fictive_price"], "utility": s["utility"],
                          "rank": rank.astype(int)}, index=pd.Index(ids, name="bid"))
    rows = []
    w = scheme.weights
    for i, bid in enumerate(ids):
        for j, c in enumerate(criteria):
            level = levels[i][j] if levels is not None else None
            rows.append({"bid": bid, "criterion": c, "level": level, "fraction": float(q[i, j]),
                         "weight": float(w[j]), "contribution": float(w[j] * q[i, j])})
    parts = pd.DataFrame(rows, columns=["bid", "criterion", "level", "fraction", "weight", "contribution"])
    tied = tuple(ids[i] for i in range(len(ids)) if rank[i] == 1)
    winner = tied[0] if tied else None
    rate = math.nan
    if scheme.uses_quality and w.size and winner is not None:
        rate = float(eur_per_point(p, q, scheme, np.array(ids.index(winner))))
    swaps = paradox(p, q, scheme, ids)
    return Evaluation(scheme, table, parts, winner, tied, swaps, rate, suggest(p, scheme, criteria))
