"""Simulation before the tender: what an award formula really rewards.

From expected prices and expected quality per bidder type (the strategy model's options:
their TCO as expected price, their scores as expected quality) and a spread for both,
:func:`simulate` draws many tenders at once (seeded, vectorised) and reports, for each
candidate formula and weight split:

- the probability that each bidder type wins;
- the effective weight of price: the share of the variation of the evaluation within a
  tender that comes from price (Bergman & Lundberg 2013, "Tender evaluation and supplier
  selection methods in public procurement", J. Purchasing & Supply Mgmt 19(2): the
  effective weight of price differs from its nominal weight with the spread of prices
  and scores). Measured as ``var_P / (var_P + var_Q)``, where ``var_P`` is the variance
  of the evaluation across bids with every bid's quality set to the tender's mean and
  ``var_Q`` with every price set to the tender's mean, summed over the tenders;
- the money a bidder can add for one more quality point (at the winning bid, median over
  tenders);
- how often the rank paradox occurs (a pair of bids swaps when another bid is removed).

Prices are log-normal with the expected price as mean and ``price_spread`` as coefficient
of variation; quality fractions are normal around the expected fraction with standard
deviation ``quality_spread``, clipped to 0..1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
import pandas as pd

from decide.award.evaluation import absolute_range
from decide.award.formulas import Scheme, beats, eur_per_point, scores
from decide.errors import InputError, Message, Problem, code_of

__all__ = ["Candidate", "SimulationResult", "candidates", "check_settings", "simulate"]

#: The candidate formulas compared by default, in order.
FORMULAS = ("points_relative", "points_linear", "points_absolute", "fictive_price", "utility_index",
            "value_for_money", "lowest_price")


@dataclass(frozen=True)
class Candidate:
    """A formula to simulate: its name, the scheme, the nominal share of price (None when
    the formula has no price weight)."""

    name: str
    scheme: Scheme
    price_share: Optional[float]


def candidates(price_share: float, quality_weights: Sequence[float], lowest_price: float,
               highest_price: float, *, total: float = 100.0,
               formulas: Sequence[str] = FORMULAS) -> list[Candidate]:
    """The candidate formulas for one weight split, all with the same nominal weights.

    ``price_share`` of ``total`` points goes to price, the rest to quality split over the
    criteria in proportion to ``quality_weights``. The absolute formula spreads the price
    points over the range of :func:`~decide.award.evaluation.absolute_range` around the
    expected prices; the fictive-price formula gives each criterion
    ``points_k * (ceiling - floor) / W_P``, the same exchange rate.
    """
    if not 0.0 < price_share < 1.0:
        raise InputError.keyed("award.price_share_out_of_range", "price_share", value=repr(price_share))
    w = np.asarray(quality_weights, dtype=float)
    if w.size == 0 or (w < 0).any() or w.sum() <= 0:
        raise InputError.keyed("award.quality_weights_invalid", "quality_weights", value=str(w.tolist()))
    wp = price_share * total
    points = (1.0 - price_share) * total * w / w.sum()
    floor, ceiling = absolute_range(lowest_price, highest_price)
    rate = (ceiling - floor) / wp
    made = {
        "points_relative": Candidate("points_relative", Scheme("points", points, wp, "relative"), price_share),
        "points_linear": Candidate("points_linear", Scheme("points", points, wp, "linear"), price_share),
        "points_absolute": Candidate("points_absolute", Scheme("points", points, wp, "absolute", ceiling=ceiling,
                                                               floor=floor), price_share),
        "fictive_price": Candidate("fictive_price", Scheme("fictive_price", points * rate,
                                                           nominal_points=float(points.sum())), price_share),
        "utility_index": Candidate("utility_index", Scheme("utility_index", points, wp), price_share),
        "value_for_money": Candidate("value_for_money", Scheme("value_for_money", points), None),
        "lowest_price": Candidate("lowest_price", Scheme("lowest_price"), None),
    }
    unknown = [f for f in formulas if f not in made]
    if unknown:
        raise InputError.keyed("award.candidate_formula_unknown", "formulas", formula=repr(unknown[0]),
                                known=", ".join(map(repr, made)))
    return [made[f] for f in formulas]


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Simulated tenders, one row per candidate formula and weight split.

    Attributes
    ----------
    table : DataFrame
        Columns ``formula``, ``price_share`` (nominal, NaN when the formula has none),
        ``effective_price_weight``, ``eur_per_point``, ``paradox_frequency`` and one column
        ``win:<type>`` per bidder type (probabilities summing to 1 per row).
    types : tuple of str
        The bidder types (option ids), in input order.
    tenders, seed : int
    price_spread, quality_spread : float
    intended_price_share : float or None
        The price weight the strategy intends (from its criteria weights).
    best : str or None
        The formula (at the intended split) whose effective price weight comes closest to
        the intended one.
    """

    table: pd.DataFrame
    types: tuple[str, ...]
    tenders: int
    seed: int
    price_spread: float
    quality_spread: float
    intended_price_share: Optional[float] = None
    best: Optional[str] = None
    best_split: Optional[float] = None
    expected: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    def win_probabilities(self) -> pd.DataFrame:
        cols = [f"win:{t}" for t in self.types]
        out = self.table[["formula", "price_share", *cols]].copy()
        return out.rename(columns={f"win:{t}": t for t in self.types})

    def to_dict(self) -> dict:
        def num(v):
            f = float(v)
            return None if math.isnan(f) or math.isinf(f) else f

        rows = []
        for _, r in self.table.iterrows():
            rows.append({"formula": r["formula"], "price_share": num(r["price_share"]),
                         "effective_price_weight": num(r["effective_price_weight"]),
                         "eur_per_point": num(r["eur_per_point"]),
                         "paradox_frequency": num(r["paradox_frequency"]),
                         "win_probability": {t: num(r[f"win:{t}"]) for t in self.types}})
        return {"tenders": self.tenders, "seed": self.seed, "price_spread": self.price_spread,
                "quality_spread": self.quality_spread, "intended_price_share": self.intended_price_share,
                "best": self.best, "best_split": self.best_split, "formulas": rows}


def _draw(prices: np.ndarray, quality: np.ndarray, tenders: int, price_spread: float, quality_spread: float,
          rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    sigma = math.sqrt(math.log1p(price_spread ** 2))
    z = rng.standard_normal((tenders, prices.size))
    p = prices[None, :] * np.exp(sigma * z - 0.5 * sigma ** 2)
    q = quality[None, :, :] + quality_spread * rng.standard_normal((tenders, *quality.shape))
    return p, np.clip(q, 0.0, 1.0)


def _variance_share(p: np.ndarray, q: np.ndarray, scheme: Scheme) -> float:
    """Share of the within-tender variation of the evaluation that comes from price."""
    if scheme.method in ("lowest_price", "lowest_cost"):
        return 1.0
    q_mean = np.broadcast_to(q.mean(axis=1, keepdims=True), q.shape)
    p_mean = np.broadcast_to(p.mean(axis=1, keepdims=True), p.shape)
    kp = scores(p, q_mean, scheme)["key"]
    kq = scores(p_mean, q, scheme)["key"]
    vp = float(np.nansum(kp.var(axis=1)))
    vq = float(np.nansum(kq.var(axis=1)))
    return vp / (vp + vq) if vp + vq > 0 else math.nan


def _paradox_frequency(p: np.ndarray, q: np.ndarray, scheme: Scheme) -> float:
    n = p.shape[1]
    if n < 3:
        return 0.0
    before = beats(scores(p, q, scheme)["key"])
    hit = np.zeros(p.shape[0], dtype=bool)
    for r in range(n):
        keep = np.array([i for i in range(n) if i != r])
        after = beats(scores(p[:, keep], q[:, keep], scheme)["key"])
        b = before[:, keep][:, :, keep]
        hit |= (b & np.swapaxes(after, -1, -2)).any(axis=(1, 2))
    return float(hit.mean())


def _number(value: object) -> float:
    """``value`` as a float; NaN for anything that is not a real number (a bool is not one)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return math.nan
    return float(value)


def check_settings(*, tenders: object = None, price_spread: object = None, quality_spread: object = None,
                   splits: object = None, prefix: str = "", lang: str = "en") -> None:
    """Refuse simulation settings that cannot be used, every problem at once.

    ``tenders`` is a whole number of at least 1; each spread a number from 0 to 1; ``splits``
    price shares strictly between 0 and 1. A setting left None is not checked. Each problem is
    located at its name with ``prefix`` before it (``award_tenders`` for an analysis setting);
    ``lang`` is the language of the error's own text (faces render it in theirs).

    Raises
    ------
    InputError
        One coded problem per setting that cannot be used.
    """
    problems: list[Problem] = []

    def refuse(key: str, loc: str, **params: object) -> None:
        problems.append(Problem(code_of(key), prefix + loc, Message(key, shown_in=lang, **params)))

    if tenders is not None:
        whole = isinstance(tenders, (int, np.integer)) and not isinstance(tenders, (bool, np.bool_))
        if not (whole and tenders >= 1):
            refuse("award.tenders_too_few", "tenders", value=repr(tenders))
    for name, spread in (("price_spread", price_spread), ("quality_spread", quality_spread)):
        if spread is not None and not 0.0 <= _number(spread) <= 1.0:
            refuse("award.spread_out_of_range", name, value=repr(spread))
    if splits is not None:
        if isinstance(splits, (str, bytes)) or not hasattr(splits, "__iter__"):
            refuse("award.splits_not_list", "splits", value=repr(splits))
        else:
            for i, share in enumerate(splits):
                if not 0.0 < _number(share) < 1.0:
                    refuse("award.price_share_out_of_range", f"splits[{i}]", value=repr(share))
    if problems:
        raise InputError.of(problems)


def simulate(expected_prices: Sequence[float], expected_quality: np.ndarray, splits: Sequence[float],
             quality_weights: Sequence[float], *, types: Optional[Sequence[str]] = None,
             tenders: int = 2000, seed: int = 0, price_spread: float = 0.10, quality_spread: float = 0.10,
             intended_price_share: Optional[float] = None, formulas: Sequence[str] = FORMULAS,
             total: float = 100.0) -> SimulationResult:
    """Simulate tenders under every candidate formula and weight split.

    Parameters
    ----------
    expected_prices : array of float, shape (n,)
        Expected price per bidder type (positive).
    expected_quality : array of float, shape (n, k)
        Expected quality fraction (0..1) per bidder type and criterion.
    splits : sequence of float
        The nominal price shares to compare (each strictly between 0 and 1).
    quality_weights : sequence of float, shape (k,)
        How the quality points are split over the criteria.
    tenders, seed : int
        Number of simulated tenders; the seed of numpy's default generator.
    price_spread : float
        Coefficient of variation of a bid's price around its expectation.
    quality_spread : float
        Standard deviation of a bid's quality fraction around its expectation.
    intended_price_share : float, optional
        The price weight the strategy intends; the best-matching formula is the one at
        this split (or the split nearest to it) whose effective weight of price is closest.

    Returns
    -------
    SimulationResult
    """
    prices = np.asarray(expected_prices, dtype=float)
    quality = np.asarray(expected_quality, dtype=float)
    if prices.ndim != 1 or prices.size < 2:
        raise InputError.keyed("award.bidder_types_too_few", "expected_prices", n=int(prices.size))
    if not (np.isfinite(prices).all() and (prices > 0).all()):
        raise InputError.keyed("award.expected_price_not_positive", "expected_prices", value=str(prices.tolist()))
    if quality.shape != (prices.size, len(quality_weights)):
        raise InputError.keyed("award.expected_quality_shape", "expected_quality", rows=int(prices.size),
                                   columns=len(quality_weights), found=str(quality.shape))
    if not np.isfinite(quality).all():
        raise InputError.keyed("award.expected_quality_not_number", "expected_quality")
    check_settings(tenders=tenders, price_spread=price_spread, quality_spread=quality_spread)
    types = tuple(str(t) for t in (types if types is not None else [f"type{i + 1}" for i in range(prices.size)]))
    rng = np.random.default_rng(seed)
    p, q = _draw(prices, quality, tenders, price_spread, quality_spread, rng)
    rows = []
    seen_flat: set[str] = set()
    for split in splits:
        for cand in candidates(split, quality_weights, float(prices.min()), float(prices.max()), total=total,
                               formulas=formulas):
            if cand.price_share is None:
                if cand.name in seen_flat:
                    continue
                seen_flat.add(cand.name)
            scheme = cand.scheme
            pp = p
            if scheme.method == "points" and scheme.price_formula == "absolute":
                pp = np.minimum(p, scheme.ceiling)  # a bidder does not bid above a published ceiling
            key = scores(pp, q, scheme)["key"]
            best = key.min(axis=1, keepdims=True)
            winners = np.isclose(key, best, rtol=1e-9, atol=1e-12)
            share = winners / winners.sum(axis=1, keepdims=True)
            win = share.mean(axis=0)
            first = winners.argmax(axis=1)
            rate = eur_per_point(pp, q, scheme, first) if scheme.uses_quality else np.full(tenders, np.nan)
            finite = rate[np.isfinite(rate)]
            row = {"formula": cand.name, "price_share": cand.price_share if cand.price_share is not None else math.nan,
                   "effective_price_weight": _variance_share(pp, q, scheme),
                   "eur_per_point": float(np.median(finite)) if finite.size else math.nan,
                   "paradox_frequency": _paradox_frequency(pp, q, scheme)}
            row.update({f"win:{t}": float(w) for t, w in zip(types, win)})
            rows.append(row)
    table = pd.DataFrame(rows)
    best = best_split = None
    if intended_price_share is not None and len(splits):
        best_split = min(splits, key=lambda s: abs(s - intended_price_share))
        sub = table[(table["price_share"] - best_split).abs() < 1e-12]
        sub = sub[sub["effective_price_weight"].notna()]
        if len(sub):
            i = (sub["effective_price_weight"] - intended_price_share).abs().idxmin()
            best = str(sub.at[i, "formula"])
    expected = pd.DataFrame(quality, index=pd.Index(types, name="type"))
    expected.insert(0, "price", prices)
    return SimulationResult(table, types, tenders, seed, price_spread, quality_spread, intended_price_share, best,
                            best_split, expected)
