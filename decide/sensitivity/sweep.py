"""One-at-a-time weight sweeps: scores and ranks as one weight goes from 0 to 1.

The other weights keep their ratios and share the rest (as in :mod:`.stability`); the ranking
changes are located exactly as there (grid, then bisection with the method's kernel), so a
sweep's breakpoints are the ends of the stability intervals.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from decide.errors import Message
from decide.sensitivity import _common as C
from decide.sensitivity.stability import PathAnalyser, _criterion_position, _engine_and_grid

COLUMNS = ["criterion", "weight", "alternative", "score", "rank", "breakpoint", "current"]


def sweep(matrix: Any, weights: Any, directions: Any, criterion: Any = None,
          method: str = "topsis", points: int = 101, grid: int | None = None,
          **params: Any) -> pd.DataFrame:
    """Scores and ranks of every option as one criterion's weight runs over [0, 1].

    Parameters
    ----------
    matrix, weights, directions
        As for :func:`decide.ranking.rank`.
    criterion : label, optional
        The criterion whose weight moves; None sweeps every criterion (stacked).
    method : str
        Any registered ranking method; ``params`` pass through.
    points : int
        Evenly spaced weights on [0, 1] in the output (plus the current weight and the
        breakpoints).
    grid : int, optional
        Detection grid before bisection (as in :func:`~decide.sensitivity.stability`).

    Returns
    -------
    DataFrame
        Tidy, one row per (criterion, weight, alternative): ``criterion``, ``weight``,
        ``alternative``, ``score``, ``rank`` (1 = best), ``breakpoint`` (True on the rows at a
        weight where the ranking changes; scores and ranks there are those just before the
        change) and ``current`` (the current weight). ``df.attrs["breakpoints"]`` lists each
        change: ``{"criterion", "weight", "top_changes", "top_before", "top_after",
        "swapped": [(was_ahead, now_ahead), ...]}``; ``df.attrs["weights"]`` the current weights.

    Examples
    --------
    >>> df = sweep([[1.0, 0.0], [0.0, 1.0]], [0.6, 0.4], ["max", "max"], criterion=0,
    ...            method="wsm", points=11)
    >>> [round(b["weight"], 6) for b in df.attrs["breakpoints"]]
    [0.5]
    """
    points = C.check_int(points, "points", 2, Message("input.use_example", example="points=101"))
    ctx = C.context(matrix, weights, directions, method, params)
    eng, grid = _engine_and_grid(ctx, grid)
    js = range(ctx.n) if criterion is None else [_criterion_position(ctx, criterion)]
    frames, marks = [], []
    labels = ctx.alternatives
    scorer = eng.fixed(ctx.X)
    for j in js:
        pa = PathAnalyser(ctx, j, eng, grid)
        bps = pa.breakpoints()
        crit = C.plain(ctx.criteria[j])
        for t_in, _t_out, before, after in bps:
            tb, ta = C.top_set(before), C.top_set(after)
            marks.append({
                "criterion": crit,
                "weight": float(t_in),
                "top_changes": tb != ta,
                "top_before": [C.plain(labels[i]) for i in sorted(tb)],
                "top_after": [C.plain(labels[i]) for i in sorted(ta)] if ta is not None else None,
                "swapped": C.swapped_pairs(before, after, labels) if after is not None else [],
            })
        ts = np.linspace(0.0, 1.0, points)
        S = scorer.scores(C.path_weights(ctx.w, j, ts))
        rows_t = list(ts)
        rows_s = list(S)
        rows_bp = [False] * len(ts)
        rows_cur = [False] * len(ts)
        extra = [(float(t_in), True, False) for t_in, *_ in bps] + [(pa.t0, False, True)]
        for t, is_bp, is_cur in extra:
            s = pa.scores_at(t)
            if s is None:
                continue
            rows_t.append(t)
            rows_s.append(s)
            rows_bp.append(is_bp)
            rows_cur.append(is_cur)
        T = np.asarray(rows_t)
        Sm = np.vstack(rows_s)
        R = np.vstack([ctx.ranks(s) for s in Sm])
        m = ctx.m
        frame = pd.DataFrame({
            "criterion": [crit] * (len(T) * m),
            "weight": np.repeat(T, m),
            "alternative": np.tile(np.asarray(labels, dtype=object), len(T)),
            "score": Sm.ravel(),
            "rank": R.ravel(),
            "breakpoint": np.repeat(rows_bp, m),
            "current": np.repeat(rows_cur, m),
        })
        # by weight; at equal weight keep the options together in input order
        frame["_row"] = np.repeat(np.arange(len(T)), m)
        frame = frame.sort_values(["weight", "_row"], kind="stable").drop(columns="_row")
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)[COLUMNS]
    df.attrs["breakpoints"] = marks
    df.attrs["weights"] = {str(k): float(v) for k, v in zip(ctx.criteria, ctx.w)}
    df.attrs["method"] = ctx.name
    return df
