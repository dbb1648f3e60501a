"""Weight stability intervals: how far one weight can move before the winner (or the ranking) changes.

One criterion's weight ``t`` moves over [0, 1]; the other weights keep their ratios and share
``1 - t`` (:func:`decide.sensitivity._common.path_weights`). This is the one-at-a-time
stability analysis of Visual PROMETHEE's "walking weights" and of Mareschal (1988,
"Weight stability intervals in multicriteria decision aid", EJOR 33(1):54-64).

Breakpoints are found in two steps: the ranking is evaluated on a fine grid (batched where
the method allows, see :mod:`decide.sensitivity.engines`), then every grid cell in which it
changes is bisected with the method's own kernel down to 1e-10. An interval is the connected
stretch of the path around the current weight in which the property holds; its ends are the
last points (to 1e-10) at which it still holds. The grid step (1/1000 for batched methods,
1/200 otherwise) is the resolution at which a change *and its undoing* could both be missed;
methods linear in the weights (WSM, PROMETHEE II) cannot undo a change on this path.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from decide.errors import InputError, Message
from decide.sensitivity import _common as C
from decide.ranking.bound import BoundMethod
from decide.sensitivity.engines import select_engine

#: Bisection stops when the bracket is this narrow.
BISECT_TOL = 1e-10
#: A ranking that lasts less than this much weight is the tie at a crossing, not a state.
MERGE_GAP = 1e-6
GRID_BATCHED = 1001
GRID_LOOP = 201


# =========================================================================== path analysis
class PathAnalyser:
    """Rankings along the weight path of one criterion (shared by stability and sweep)."""

    def __init__(self, ctx: BoundMethod, j: int, engine: Any, grid: int):
        self.ctx, self.j, self.engine = ctx, j, engine
        self.t0 = float(ctx.w[j])
        base = np.linspace(0.0, 1.0, grid)
        self.ts = np.unique(np.concatenate([base, [self.t0]]))
        self.i0 = int(np.searchsorted(self.ts, self.t0))
        self._scorer = engine.fixed(ctx.X)
        S = self._scorer.scores(C.path_weights(ctx.w, j, self.ts))
        self.grid_ranks = [self._ranks_safe(S[g], self.ts[g]) for g in range(len(self.ts))]
        self.r0 = self.ranks_at(self.t0)

    # -- evaluation -------------------------------------------------------------------
    def scores_at(self, t: float) -> np.ndarray | None:
        """The method's kernel at weight ``t``; None where the method is undefined."""
        w = C.path_weights(self.ctx.w, self.j, t)[0]
        try:
            s = self.ctx.kernel(w)
        except Exception:  # noqa: BLE001 - an undefined corner (e.g. VIKOR at t = 1)
            return None
        return s if np.all(np.isfinite(s)) else None

    def _ranks_safe(self, s: np.ndarray, t: float) -> np.ndarray | None:
        if np.all(np.isfinite(s)):
            return self.ctx.ranks(s)
        return self.ranks_at(t)

    def ranks_at(self, t: float) -> np.ndarray | None:
        s = self.scores_at(t)
        if s is None and t in (0.0, 1.0):  # undefined corner: look just inside
            s = self.scores_at(1e-9 if t == 0.0 else 1.0 - 1e-9)
        return None if s is None else self.ctx.ranks(s)

    # -- bisection ----------------------------------------------------------------------
    def bisect(self, t_in: float, t_out: float, holds) -> tuple[float, float, np.ndarray | None]:
        """Narrow ``[t_in, t_out]`` (``holds`` true at ``t_in``, false at ``t_out``).

        Returns the last point where it holds, the first where it does not, and the ranks there.
        """
        r_out = self.ranks_at(t_out)
        while abs(t_out - t_in) > BISECT_TOL:
            mid = 0.5 * (t_in + t_out)
            r = self.ranks_at(mid)
            if r is not None and holds(r):
                t_in = mid
            else:
                t_out, r_out = mid, r
        return t_in, t_out, r_out

    def edge(self, holds, direction: int) -> tuple[float, np.ndarray | None, float | None]:
        """Walk from the current weight (``direction`` +1 up, -1 down) while ``holds``.

        Returns the interval end, the ranks just beyond it (None at 0/1) and the point beyond.
        """
        i = self.i0
        last = len(self.ts) - 1
        while 0 <= i + direction <= last:
            r = self.grid_ranks[i + direction]
            if r is None or not holds(r):
                t_in, t_out, r_out = self.bisect(self.ts[i], self.ts[i + direction], holds)
                # just past a crossing the two options tie (within TIE_RTOL); report the
                # state beyond that sliver
                t_far = min(1.0, max(0.0, t_out + direction * MERGE_GAP))
                r_far = self.ranks_at(t_far)
                if r_far is not None and not holds(r_far):
                    r_out = r_far
                return t_in, r_out, t_out
            i += direction
        return float(self.ts[i]), None, None

    def breakpoints(self) -> list[tuple[float, float, np.ndarray, np.ndarray | None]]:
        """Every change of the ranking along the path: ``(t_before, t_after, before, after)``."""
        out = []
        for g in range(len(self.ts) - 1):
            a, b = self.grid_ranks[g], self.grid_ranks[g + 1]
            if C.same_ranking(a, b) or a is None:
                continue
            t_a, r_a = float(self.ts[g]), a
            for _ in range(2 * len(a) * len(a) + 2):  # several changes inside one cell
                t_in, t_out, r_out = self.bisect(t_a, float(self.ts[g + 1]),
                                                 lambda r, ref=r_a: C.same_ranking(r, ref))
                sliver = out and t_in - out[-1][1] <= MERGE_GAP
                if sliver and not (out[-1][1] - BISECT_TOL <= self.t0 <= t_in + BISECT_TOL):
                    # the tie sliver of a crossing: one breakpoint from the state before it
                    # to the state after it (unless the current weight sits in the sliver:
                    # then the tie is the current ranking and both ends are breakpoints)
                    prev = out.pop()
                    out.append((prev[0], t_out, prev[2], r_out))
                else:
                    out.append((t_in, t_out, r_a, r_out))
                if r_out is None or C.same_ranking(r_out, b):
                    break
                t_a, r_a = t_out, r_out
        return out


def _engine_and_grid(ctx: BoundMethod, grid: int | None):
    eng = select_engine(ctx)
    if grid is None:
        grid = GRID_LOOP if eng.name == "loop" else GRID_BATCHED
    grid = C.check_int(grid, "grid", 3, Message("input.use_example", example="grid=1001"))
    return eng, grid


def _criterion_position(ctx: BoundMethod, criterion: Any) -> int:
    if criterion in ctx.criteria:
        loc = ctx.criteria.get_loc(criterion)
        if isinstance(loc, int):
            return loc
    if isinstance(criterion, (int, np.integer)) and not isinstance(criterion, bool) \
            and 0 <= criterion < ctx.n and not isinstance(ctx.criteria, pd.RangeIndex):
        return int(criterion)
    raise InputError(
        Message("input.stability_unknown_criterion", criterion=criterion, criteria=list(ctx.criteria))
    )


# =========================================================================== result
@dataclass(frozen=True)
class CriterionStability:
    """Stability of one criterion's weight.

    ``top_low``/``top_high``: the interval in which the current winner stays first;
    ``top_taker_low``/``top_taker_high``: the option first just beyond each end (None when
    the interval reaches 0 or 1). ``rank_low``/``rank_high``: the interval in which the full
    ranking stays the same; ``rank_swap_low``/``rank_swap_high``: the pairs whose order
    changes just beyond each end, as ``(was_ahead, now_ahead)``.
    """

    criterion: Any
    weight: float
    top_low: float
    top_high: float
    top_taker_low: Any
    top_taker_high: Any
    rank_low: float
    rank_high: float
    rank_swap_low: tuple = ()
    rank_swap_high: tuple = ()

    def to_dict(self) -> dict:
        return {
            "weight": self.weight,
            "low": self.top_low,
            "high": self.top_high,
            "top_low": self.top_low,
            "top_high": self.top_high,
            "top_taker_low": C.plain(self.top_taker_low),
            "top_taker_high": C.plain(self.top_taker_high),
            "rank_low": self.rank_low,
            "rank_high": self.rank_high,
            "rank_swap_low": [list(p) for p in self.rank_swap_low],
            "rank_swap_high": [list(p) for p in self.rank_swap_high],
        }


@dataclass(frozen=True, eq=False)
class Stability:
    """Weight stability intervals of every criterion (see :func:`stability`).

    Attributes
    ----------
    method, params : the ranking method and its parameters.
    weights : Series, the current weights.
    ranks : Series, the current ranks (1 = best).
    top : tuple, the current winner(s) (more than one only on an exact tie).
    criteria : tuple of CriterionStability, one per criterion.
    engine : str, the scorer used for the grid (the bisection always uses the method's kernel).
    """

    method: str
    params: dict
    weights: pd.Series
    ranks: pd.Series
    top: tuple
    criteria: tuple[CriterionStability, ...]
    engine: str = ""
    notes: tuple[str, ...] = field(default=())

    def __getitem__(self, criterion: Any) -> CriterionStability:
        for c in self.criteria:
            if c.criterion == criterion:
                return c
        raise KeyError(criterion)

    def to_frame(self) -> pd.DataFrame:
        """One row per criterion: criterion, weight, top_low, top_high, top_taker_low,
        top_taker_high, rank_low, rank_high."""
        cols = ["criterion", "weight", "top_low", "top_high", "top_taker_low", "top_taker_high",
                "rank_low", "rank_high"]
        df = pd.DataFrame([{c: getattr(s, c) for c in cols} for s in self.criteria], columns=cols)
        for c in ("criterion", "top_taker_low", "top_taker_high"):
            df[c] = pd.Series([getattr(s, c) for s in self.criteria], dtype=object)
        return df

    def to_dict(self) -> dict:
        """``{criterion: {"weight", "low", "high", "top_low", "top_high", "top_taker_low",
        "top_taker_high", "rank_low", "rank_high", "rank_swap_low", "rank_swap_high"}}``;
        ``low``/``high`` are the headline interval (the winner stays first), the same numbers
        as ``top_low``/``top_high``."""
        return {str(s.criterion): s.to_dict() for s in self.criteria}

    def _repr_html_(self) -> str:
        head = (f"<p><b>Weight stability</b> ({html.escape(self.method)}; winner: "
                f"{html.escape(', '.join(map(str, self.top)))})</p>")
        return head + self.to_frame().to_html(index=False, float_format=lambda x: f"{x:.4f}")


# =========================================================================== public
def _snap(t: float) -> float:
    """An interval end to 1e-7: removes the tie tolerance's ~1e-9 offset from a crossing
    (0.374999998 -> 0.375) while staying far inside the promised 1e-4 exactness."""
    return round(float(t), 7)


def stability(matrix: Any, weights: Any, directions: Any, method: str = "topsis",
              grid: int | None = None, **params: Any) -> Stability:
    """Weight stability intervals for every criterion.

    Parameters
    ----------
    matrix : array-like or DataFrame
        Alternatives x criteria.
    weights : array-like, Series or mapping
        The current weights (validated by :func:`decide.ranking.prepare`).
    directions : sequence of {"max", "min"}
    method : str
        Any registered ranking method; ``params`` pass through to it.
    grid : int, optional
        Grid points on [0, 1] before bisection (default 1001 when batched, else 201).

    Returns
    -------
    Stability
        Per criterion the interval of its weight (others rescaled proportionally, total 1)
        within which (a) the winner stays first and (b) the whole ranking stays the same,
        exact to 1e-10 in the weight once the grid has bracketed the change.

    Examples
    --------
    >>> s = stability([[1.0, 0.0], [0.0, 1.0]], [0.6, 0.4], ["max", "max"], method="wsm")
    >>> round(s[0].top_low, 6), s[0].top_taker_low
    (0.5, 1)
    """
    ctx = C.context(matrix, weights, directions, method, params)
    eng, grid = _engine_and_grid(ctx, grid)
    r_now = ctx.ranks(ctx.kernel(ctx.w))
    top_now = C.top_set(r_now)
    labels = ctx.alternatives
    out = []
    for j in range(ctx.n):
        pa = PathAnalyser(ctx, j, eng, grid)
        r0 = pa.r0 if pa.r0 is not None else r_now
        top0 = C.top_set(r0)

        def same_top(r, top0=top0):
            # the winner stays first, possibly tied: a tie for first place (e.g. at a corner
            # where only a criterion on which options are equal counts) is no takeover
            return top0 <= C.top_set(r)

        def same_rank(r, r0=r0):
            return C.same_ranking(r, r0)

        ends = {}
        for name, holds in (("top", same_top), ("rank", same_rank)):
            for side, d in (("low", -1), ("high", +1)):
                ends[(name, side)] = pa.edge(holds, d)

        def taker(r):
            if r is None:
                return None
            new = sorted(C.top_set(r) - top0) or sorted(C.top_set(r))
            return C.plain(labels[new[0]])

        def swaps(r):
            return () if r is None else tuple(C.swapped_pairs(r0, r, labels))

        out.append(CriterionStability(
            criterion=C.plain(ctx.criteria[j]),
            weight=float(ctx.w[j]),
            top_low=_snap(float(ends[("top", "low")][0])),
            top_high=_snap(float(ends[("top", "high")][0])),
            top_taker_low=taker(ends[("top", "low")][1]),
            top_taker_high=taker(ends[("top", "high")][1]),
            rank_low=_snap(float(ends[("rank", "low")][0])),
            rank_high=_snap(float(ends[("rank", "high")][0])),
            rank_swap_low=swaps(ends[("rank", "low")][1]),
            rank_swap_high=swaps(ends[("rank", "high")][1]),
        ))
    return Stability(
        method=ctx.name,
        params=dict(ctx.params),
        weights=pd.Series(ctx.w, index=ctx.criteria, name="weight"),
        ranks=pd.Series(r_now, index=labels, name="rank"),
        top=tuple(C.plain(labels[i]) for i in sorted(top_now)),
        criteria=tuple(out),
        engine=eng.name,
        notes=eng.notes,
    )
