"""The additive value model of the portfolio: fixed reference levels, value functions, weights.

A portfolio needs values that mean the same whatever else is on the table. A ranking method's
score does not: TOPSIS closeness, VIKOR's Q and PROMETHEE's net flow are relative to the other
options, so adding an irrelevant option or switching methods would move the recommended
portfolio. The portfolio therefore uses multi-attribute value theory with fixed reference
levels (Kleinmuntz 2007, "Resource allocation decisions", in Edwards, Miles & von Winterfeldt
(eds.), *Advances in Decision Analysis*; Phillips & Bana e Costa 2007, "Transparent
prioritisation, budgeting and resource allocation with multi-criteria decision analysis and
decision conferencing", *Annals of Operations Research* 154):

- every leaf criterion has reference levels ``low`` and ``high``: its scale's lowest and
  highest level, or its ``range: [low, high]`` (numeric criteria, the TCO criterion);
- its value function maps a score to 0..1: linear between the reference levels by default
  (``(x - low) / (high - low)`` for ``max``, ``(high - x) / (high - low)`` for ``min``), or
  piecewise linear through the model's ``value_function`` points (a cardinal scale elicited
  MACBETH-style: ``{laag: 0, midden: 0.7, hoog: 1}`` or ``[[x, v], ...]``); the worst
  reference level has value 0 and the best value 1, so the weights are swing weights;
- an option's value is ``V_i = sum_c w_c v_c(x_ic)`` with the global leaf weights; an
  uncertain score enters with its expected value (as in the ranking).

Nothing in ``V_i`` depends on the other options or on the ranking method. How an option's value
becomes its contribution to a portfolio (module importance, baselines of optional modules) is
in :mod:`decide.portfolio_model`.

:func:`check_data` runs at load time (called by the model file's cross-checks) on the new keys;
:func:`value_model` raises a located :class:`~decide.errors.ModelError` when a criterion has
no reference levels or a score lies outside them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide.errors import Message, ModelError, Problem
from decide.places import format_loc


def _m(key: str, /, **params: Any) -> Message:
    """A finding's sentence from the ``checks`` catalogue (faces show it in the user's language)."""
    return Message(f"checks.{key}", **params)

__all__ = ["CriterionValue", "ValueModel", "value_model", "option_values", "check_data", "needs_value_model"]

Finding = tuple[str, tuple, str]

_TOL = 1e-9


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


# --------------------------------------------------------------------------- the model
@dataclass(frozen=True)
class CriterionValue:
    """Reference levels and value function of one leaf criterion.

    ``points`` is None for the linear function; else the breakpoints ``((x, v), ...)`` with
    x increasing from ``low`` to ``high``.
    """

    id: str
    direction: str
    low: float
    high: float
    weight: float
    source: str  # "range", "scale" or "value_function"
    points: Optional[tuple[tuple[float, float], ...]] = None

    def value(self, x) -> np.ndarray:
        """Value in 0..1 of scores ``x`` (array-like)."""
        x = np.asarray(x, dtype=float)
        if self.points is not None:
            xs, vs = zip(*self.points)
            return np.interp(x, xs, vs)
        span = self.high - self.low
        v = (x - self.low) / span if self.direction == "max" else (self.high - x) / span
        return np.clip(v, 0.0, 1.0)

    def to_dict(self) -> dict:
        return {"low": self.low, "high": self.high, "direction": self.direction, "weight": self.weight,
                "reference": self.source,
                "function": "linear" if self.points is None else [[float(x), float(v)] for x, v in self.points]}


@dataclass(frozen=True)
class ValueModel:
    """The additive value model of a decision model (see the module docstring)."""

    criteria: tuple[CriterionValue, ...]
    table: pd.DataFrame = field(repr=False)  # expected scores, options x leaf criteria

    @property
    def weights(self) -> pd.Series:
        return pd.Series({c.id: c.weight for c in self.criteria}, dtype=float)

    def partial(self, table: Optional[pd.DataFrame] = None) -> pd.DataFrame:
        """``v_c(x_ic)``: the 0..1 value of each score, options x criteria."""
        table = self.table if table is None else table
        cols = {c.id: c.value(table[c.id].to_numpy()) for c in self.criteria}
        return pd.DataFrame(cols, index=table.index)

    def contributions(self, table: Optional[pd.DataFrame] = None) -> pd.DataFrame:
        """``w_c v_c(x_ic)``: each criterion's part of an option's value (rows sum to ``V_i``)."""
        return self.partial(table) * self.weights.reindex([c.id for c in self.criteria]).to_numpy()

    def values(self, table: Optional[pd.DataFrame] = None) -> pd.Series:
        """``V_i = sum_c w_c v_c(x_ic)`` per option."""
        return self.contributions(table).sum(axis=1).rename("value")

    def values_for(self, weights: np.ndarray, partial: np.ndarray) -> np.ndarray:
        """Values for many weight vectors at once: ``partial`` options x criteria, ``weights``
        samples x criteria (criteria in this model's order) -> samples x options."""
        return np.asarray(weights, dtype=float) @ np.asarray(partial, dtype=float).T

    def to_dict(self) -> dict:
        return {"method": "additive", "criteria": {c.id: c.to_dict() for c in self.criteria}}


def _criterion_locs(model) -> dict[str, tuple]:
    """Leaf criterion id -> its path in the file (``("criteria", 1, "children", 0)``)."""
    out: dict[str, tuple] = {}

    def walk(nodes, loc):
        for i, c in enumerate(nodes):
            here = loc + (i,)
            if c.children:
                walk(c.children, here + ("children",))
            else:
                out[c.id] = here

    walk(model.criteria, ("criteria",))
    return out


def _located(model, findings: list[Finding]) -> ModelError:
    """A ModelError for findings on a loaded model, located by their place in the file (the
    command line adds the line numbers when it shows them, :func:`decide.render.error_text`)."""
    file = model.path or "<model>"
    return ModelError([Problem(code, format_loc(loc), msg, None, file) for code, loc, msg in findings], file)


def _points(crit, scale: Optional[dict]) -> Optional[list[tuple[float, float]]]:
    vf = crit.value_function
    if vf is None:
        return None
    if isinstance(vf, dict):
        pts = [(float(scale[k]) if (scale and isinstance(k, str) and k in scale) else float(k), float(v))
               for k, v in vf.items()]
    else:
        pts = [(float(p[0]), float(p[1])) for p in vf]
    return sorted(pts)


def needs_value_model(model) -> bool:
    """True when some option's portfolio value comes from the criteria (it has no explicit value)."""
    return bool(model.criteria) and any(a.value is None for a in model.alternatives)


def value_model(model, weights: Optional[pd.Series] = None) -> ValueModel:
    """The additive value model of ``model`` with its global leaf weights.

    Parameters
    ----------
    model : DecisionModel
    weights : Series, optional
        Global leaf weights (default: derived from the model's ``weights`` section).

    Raises
    ------
    ModelError
        A leaf criterion without reference levels (no scale, no range) or a score outside
        its criterion's reference levels; every such problem at once, located.
    """
    if not model.criteria:
        raise _located(model, [("no-criteria", ("criteria",), _m("value_no_criteria"))])
    if weights is None:
        from decide.weights import derive

        weights = derive(model, hints=False).weights
    weights = pd.Series(weights, dtype=float)
    locs = _criterion_locs(model)
    table = model.score_table()
    low_t, _, high_t, _ = model.score_bounds()
    findings: list[Finding] = []
    crits: list[CriterionValue] = []
    for c in model.leaves():
        loc = locs[c.id]
        direction = c.direction or "max"
        pts = _points(c, c.scale)
        if c.range is not None:
            lo, hi, src = float(c.range[0]), float(c.range[1]), "range"
        elif c.scale:
            lo, hi, src = float(min(c.scale.values())), float(max(c.scale.values())), "scale"
        elif pts is not None and len(pts) >= 2:
            lo, hi, src = pts[0][0], pts[-1][0], "value_function"
        else:
            findings.append(("range-missing", loc + ("range",),
                             _m("value_range_missing_tco" if c.source == "tco" else "value_range_missing", cid=c.id)))
            continue
        if hi <= lo:
            continue  # reported by check_data at load time
        col_lo, col_hi = low_t[c.id], high_t[c.id]
        tol = _TOL * max(1.0, abs(lo), abs(hi))
        for aid in table.index:
            if model.alternative(aid).value is not None:
                continue
            a_lo, a_hi = float(col_lo[aid]), float(col_hi[aid])
            if a_lo < lo - tol or a_hi > hi + tol:
                i = model.alternative_ids.index(aid)
                where = ("alternatives", i, "costs") if c.source == "tco" else ("alternatives", i, "scores", c.id)
                got = f"{a_lo:g}" if a_lo == a_hi else f"{a_lo:g} to {a_hi:g}"
                findings.append(("score-out-of-range", where,
                                 _m("value_score_out_of_range", aid=aid, got=got, criterion=c.id, lo=lo, hi=hi)))
        w = float(weights.get(c.id, 0.0))
        crits.append(CriterionValue(c.id, direction, lo, hi, w, src, tuple(pts) if pts is not None else None))
    if findings:
        raise _located(model, findings)
    return ValueModel(tuple(crits), table)


def option_values(model, weights: Optional[pd.Series] = None) -> pd.Series:
    """``V_i`` per option: its explicit ``value``, else the additive value of its scores."""
    out = pd.Series({a.id: (float(a.value) if a.value is not None else np.nan) for a in model.alternatives},
                    dtype=float, name="value")
    if out.isna().any():
        vm = value_model(model, weights)
        v = vm.values()
        out = out.fillna(v.reindex(out.index))
    return out


# --------------------------------------------------------------------------- load-time checks
def _leaves(data: dict):
    def walk(nodes, loc):
        for i, c in enumerate(nodes if isinstance(nodes, list) else []):
            if not isinstance(c, dict):
                continue
            kids = c.get("children")
            if kids:
                yield loc + (i,), c, False
                yield from walk(kids, loc + (i, "children"))
            else:
                yield loc + (i,), c, True

    yield from walk(data.get("criteria"), ("criteria",))


def _score_ends(value: Any, scale: Optional[dict]) -> Optional[tuple[float, float]]:
    def one(v):
        if _num(v):
            return float(v)
        if isinstance(v, str) and isinstance(scale, dict) and _num(scale.get(v)):
            return float(scale[v])
        return None

    if isinstance(value, list) and len(value) == 2:
        lo, hi = one(value[0]), one(value[1])
    elif isinstance(value, dict) and {"low", "high"} <= set(value):
        lo, hi = one(value.get("low")), one(value.get("high"))
    else:
        lo = hi = one(value)
    if lo is None or hi is None:
        return None
    return min(lo, hi), max(lo, hi)


def check_data(data: Any) -> list[Finding]:
    """Problems with the value model's keys (``range``, ``value_function``, ``baseline``)."""
    if not isinstance(data, dict):
        return []
    out: list[Finding] = []
    ranges: dict[str, tuple[float, float]] = {}
    for loc, c, leaf in _leaves(data):
        cid = c.get("id")
        if not leaf:
            for key in ("range", "value_function"):
                if c.get(key) is not None:
                    out.append(("parent-scored", loc + (key,),
                                _m("value_parent_scored", cid=cid, field=key)))
            continue
        scale = c.get("scale") if isinstance(c.get("scale"), dict) else None
        direction = c.get("direction") or "max"
        rng = c.get("range")
        lo = hi = None
        if rng is not None:
            if not (isinstance(rng, list) and len(rng) == 2 and all(_num(v) for v in rng)):
                out.append(("range-shape", loc + ("range",),
                            _m("value_range_shape", range=rng)))
            elif rng[0] >= rng[1]:
                out.append(("range-order", loc + ("range",),
                            f"range [low, high] needs low below high, got [{rng[0]:g}, {rng[1]:g}]; "
                            + ("swap them" if rng[0] > rng[1] else "widen it to the levels the options can reach")))
            elif scale is not None:
                out.append(("range-with-scale", loc + ("range",),
                            _m("value_range_with_scale", cid=cid)))
            else:
                lo, hi = float(rng[0]), float(rng[1])
                if isinstance(cid, str):
                    ranges[cid] = (lo, hi)
        vf = c.get("value_function")
        if vf is not None:
            out += _check_value_function(vf, loc + ("value_function",), cid, scale, direction, lo, hi)
    # scores outside an explicit range
    for i, a in enumerate(data.get("alternatives") if isinstance(data.get("alternatives"), list) else []):
        if not isinstance(a, dict) or not isinstance(a.get("scores"), dict):
            continue
        for cid, v in a["scores"].items():
            if cid not in ranges:
                continue
            ends = _score_ends(v, None)
            lo, hi = ranges[cid]
            if ends is not None and (ends[0] < lo or ends[1] > hi):
                out.append(("score-out-of-range", ("alternatives", i, "scores", cid),
                            _m("value_score_out_of_range_declared", score=ends[0], up_to=_m("hint_none") if ends[0] == ends[1] else _m("value_up_to", high=f"{ends[1]:g}"), lo=lo, hi=hi, cid=cid)))
    # module baselines
    al = data.get("allocation") if isinstance(data.get("allocation"), dict) else {}
    for i, m in enumerate(al.get("modules") if isinstance(al.get("modules"), list) else []):
        if isinstance(m, dict) and _num(m.get("baseline")) and not (0 <= m["baseline"] <= 1):
            out.append(("baseline-range", ("allocation", "modules", i, "baseline"),
                        _m("value_baseline_range", baseline=m['baseline'])))
    return out


def _check_value_function(vf: Any, loc: tuple, cid: Any, scale: Optional[dict], direction: str,
                          lo: Optional[float], hi: Optional[float]) -> list[Finding]:
    out: list[Finding] = []
    pts: list[tuple[float, float]] = []
    if isinstance(vf, dict):
        for k, v in vf.items():
            if scale is not None:
                if k not in scale or not _num(scale.get(k)):
                    out.append(("value-function-level", loc + (k,),
                                _m("value_value_function_level_unknown", level=k, cid=cid, levels=', '.join(map(str, scale)))))
                    continue
                x = float(scale[k])
            elif _num(k):
                x = float(k)
            else:
                out.append(("value-function-shape", loc + (k,),
                            _m("value_value_function_shape_key_not_number", cid=cid, score_key=k)))
                continue
            if not _num(v):
                out.append(("value-function-shape", loc + (k,), _m("value_value_function_shape_value", value=v)))
                continue
            pts.append((x, float(v)))
        if scale is not None:
            missing = [k for k in scale if k not in vf]
            if missing:
                out.append(("value-function-level", loc,
                            _m("value_value_function_level_missing", cid=cid, levels=', '.join(map(str, missing)))))
        ordered = sorted(pts)
    elif isinstance(vf, list):
        for j, p in enumerate(vf):
            if not (isinstance(p, list) and len(p) == 2 and _num(p[0]) and _num(p[1])):
                out.append(("value-function-shape", loc + (j,),
                            _m("value_value_function_shape_point", point=p)))
                continue
            pts.append((float(p[0]), float(p[1])))
        if any(b[0] <= a[0] for a, b in zip(pts, pts[1:])):
            out.append(("value-function-order", loc,
                        _m("value_value_function_order_unsorted")))
        ordered = pts
    else:
        return [("value-function-shape", loc,
                 f"expected value_function: {{level: value}} or [[score, value], ...], got {vf!r}")]
    for x, v in pts:
        if not (0 <= v <= 1):
            out.append(("value-function-range", loc,
                        _m("value_value_function_range", value=v, score=x)))
    if out or len(ordered) < 2:
        if not out and len(ordered) < 2:
            out.append(("value-function-shape", loc, _m("value_value_function_shape_too_few_points")))
        return out
    vs = [v for _, v in ordered]
    steps = np.diff(vs)
    if (direction == "max" and (steps < 0).any()) or (direction == "min" and (steps > 0).any()):
        want = _m("value_rise") if direction == "max" else _m("value_fall")
        out.append(("value-function-order", loc,
                    _m("value_value_function_order_direction", cid=cid, direction=direction, want=want, values=', '.join(f'{v:g}' for v in vs))))
    worst, best = (vs[0], vs[-1]) if direction == "max" else (vs[-1], vs[0])
    if worst != 0 or best != 1:
        out.append(("value-function-anchor", loc,
                    _m("value_value_function_anchor", worst=worst, best=best)))
    if lo is not None and hi is not None and (ordered[0][0] != lo or ordered[-1][0] != hi):
        out.append(("value-function-span", loc,
                    _m("value_value_function_span", first=ordered[0][0], last=ordered[-1][0], lo=lo, hi=hi)))
    return out
