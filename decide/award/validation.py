"""Checks of a model file's ``award`` section on the parsed data, each located.

Run by the loader's cross-checks (:func:`decide.validation.cross_check`) so that a bad
award section is reported together with every other problem of the file, with its line.
Messages are in the model's language (``language: nl | en``). Each finding is
``(code, loc, message)``; the codes are stable.
"""
from __future__ import annotations

import math
from typing import Any, Iterator

from decide.i18n import fmt_money, fmt_number, t

__all__ = ["check_award", "score_fraction", "WEIGHTED_BY_POINTS", "TOLERANCE"]

#: Methods whose quality criteria carry points (``fictive_price`` carries money values).
WEIGHTED_BY_POINTS = ("points", "value_for_money", "utility_index")
#: Methods that do not score quality.
PRICE_ONLY = ("lowest_price", "lowest_cost")
#: Points may differ from the stated total by this much (rounding in a published table).
TOLERANCE = 1e-6

Finding = tuple[str, tuple, str]


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def score_fraction(value: Any, scale: dict | None) -> float | None:
    """The fraction of the maximum a bid's score stands for, or None when it is not valid.

    A score is a level of the criterion's scale (a text, or a number whose text is a
    level: ``3`` is level ``"3"``), or a fraction of the maximum between 0 and 1.
    """
    levels = {str(k): v for k, v in (scale or {}).items()}
    if isinstance(value, bool):
        return None
    if isinstance(value, (str, int, float)) and str(value) in levels and _num(levels[str(value)]):
        return float(levels[str(value)])
    if _num(value) and 0.0 <= value <= 1.0:
        return float(value)
    return None


def check_award(data: Any) -> list[Finding]:
    """Every problem of the ``award`` section (an empty list when there is none)."""
    if not isinstance(data, dict) or not isinstance(data.get("award"), dict):
        return []
    lang = data.get("language") if data.get("language") in ("nl", "en") else "nl"
    return list(_check(data["award"], lang, str(data.get("currency") or "EUR")))


def _check(a: dict, lang: str, cur: str) -> Iterator[Finding]:
    def msg(key: str, **kw: Any) -> str:
        return t(f"award.v.{key}", lang, **kw)

    method = a.get("method", "points")
    if not isinstance(method, str):
        return
    price = a.get("price") if isinstance(a.get("price"), dict) else {}
    quality = [c for c in a.get("quality") or [] if isinstance(c, dict)] if isinstance(a.get("quality"), list) else []
    bids = a.get("bids") if isinstance(a.get("bids"), list) else []
    crits: dict[str, dict] = {}
    for i, c in enumerate(quality):
        cid = c.get("id")
        if not isinstance(cid, str):
            continue
        if cid in crits:
            yield ("duplicate-id", ("award", "quality", i, "id"), msg("duplicate_criterion", id=cid))
            continue
        crits[cid] = c
        loc = ("award", "quality", i)
        if method in PRICE_ONLY:
            continue
        key = "value" if method == "fictive_price" else "points"
        w = c.get(key)
        if w is None:
            yield ("award-weight-missing", loc, msg(f"{key}_missing", id=cid, method=method))
        elif _num(w) and w < 0:
            yield ("award-weight-negative", loc + (key,), msg("weight_negative", id=cid, key=key, value=w))
        scale = c.get("scale")
        if isinstance(scale, dict):
            for lvl, f in scale.items():
                if _num(f) and f > 1.0:
                    yield ("award-scale-range", loc + ("scale", lvl), msg("scale_range", level=lvl, value=f))
    if method in PRICE_ONLY and quality:
        yield ("award-quality-unused", ("award", "quality"), msg("quality_unused", method=method))
    pts = price.get("points")
    if method in ("points", "utility_index"):
        if pts is None:
            yield ("award-price-points-missing", ("award", "price"), msg("price_points_missing", method=method))
        elif _num(pts) and pts <= 0:
            yield ("award-price-points-missing", ("award", "price", "points"), msg("price_points_positive", value=pts))
        total = a.get("total")
        qpts = [c.get("points") for c in crits.values()]
        if _num(total) and _num(pts) and all(_num(x) for x in qpts):
            got = float(pts) + sum(float(x) for x in qpts)
            if abs(got - float(total)) > TOLERANCE * max(1.0, abs(float(total))):
                parts = " + ".join([fmt_number(float(pts), lang, 2).rstrip("0").rstrip(",.")]
                                   + [fmt_number(float(x), lang, 2).rstrip("0").rstrip(",.") for x in qpts])
                yield ("award-weights-sum", ("award", "total"),
                       msg("weights_sum", parts=parts, got=fmt_number(got, lang, 2), total=fmt_number(float(total), lang, 2)))
    formula = price.get("formula", "relative")
    ceiling = price.get("ceiling")
    if method == "points" and formula == "absolute":
        if ceiling is None:
            yield ("award-ceiling-missing", ("award", "price"), msg("ceiling_missing"))
        elif _num(ceiling):
            floor = price.get("floor", 0)
            if _num(floor) and floor >= ceiling:
                yield ("award-floor-above-ceiling", ("award", "price", "floor"),
                       msg("floor_above_ceiling", floor=fmt_money(floor, lang, cur), ceiling=fmt_money(ceiling, lang, cur)))
    seen: dict[str, int] = {}
    prices = []
    for i, b in enumerate(bids):
        if not isinstance(b, dict):
            continue
        loc = ("award", "bids", i)
        bid = b.get("id")
        if isinstance(bid, str):
            if bid in seen:
                yield ("duplicate-id", loc + ("id",), msg("duplicate_bid", id=bid, first=seen[bid]))
            else:
                seen[bid] = i
        p = b.get("price")
        if p is None:
            yield ("award-price-not-positive", loc, msg("price_missing", id=bid))
        elif _num(p) and p <= 0:
            yield ("award-price-not-positive", loc + ("price",), msg("price_not_positive", id=bid, value=p))
        elif _num(p):
            prices.append(float(p))
            if method == "points" and formula == "absolute" and _num(ceiling) and p > ceiling:
                yield ("award-ceiling-below-bid", loc + ("price",),
                       msg("ceiling_below_bid", id=bid, price=fmt_money(p, lang, cur), ceiling=fmt_money(ceiling, lang, cur)))
        q = b.get("quality") if isinstance(b.get("quality"), dict) else {}
        if method in PRICE_ONLY:
            continue
        missing = [c for c in crits if c not in {str(k) for k in q}]
        if missing:
            yield ("award-score-missing", loc + ("quality",), msg("score_missing", id=bid, criteria=", ".join(missing)))
        for k, v in q.items():
            k = str(k)
            if k not in crits:
                yield ("award-unknown-criterion", loc + ("quality", k),
                       msg("unknown_criterion", id=bid, criterion=k, known=", ".join(crits) or "-"))
                continue
            scale = crits[k].get("scale") if isinstance(crits[k].get("scale"), dict) else None
            if score_fraction(v, scale) is None:
                levels = ", ".join(str(x) for x in scale) if scale else ""
                yield ("award-score-not-on-scale", loc + ("quality", k),
                       msg("score_not_on_scale" if levels else "score_not_fraction", id=bid, criterion=k,
                           value=v, levels=levels))
    upper = price.get("upper")
    if method == "points" and formula == "linear" and _num(upper) and prices and upper <= min(prices):
        yield ("award-upper-below-bids", ("award", "price", "upper"),
               msg("upper_below_bids", upper=fmt_money(upper, lang, cur), lowest=fmt_money(min(prices), lang, cur)))
