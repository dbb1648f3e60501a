"""The efficient frontier: the best value at each budget.

Exact frontier (models up to :data:`EXACT_MAX_OPTIONS` options, the default): the set of
Pareto-optimal portfolios (value up, TCO down), each with its portfolio, from the best
portfolio without a budget (where value stops growing) down to the cheapest feasible cover.
Each point is found by two exact MIP solves at a cost bound just below the previous point's
TCO: the most value within the bound, then the least TCO that reaches that value (so a point
is never a costlier portfolio of equal value). When no portfolio fits the bound, every
Pareto-optimal portfolio has been found: between two consecutive points no portfolio has more
value than the cheaper one without costing at least as much as the dearer one. The points
are listed by TCO with ``budget`` equal to their TCO (``method = "exact"``); the frontier is a
step function through them, and the recommended portfolio lies on it.

Sampled frontier (larger models, or budgets given):

Method: the epsilon-constraint method with the budget as the constraint - an exact MIP
re-solve of "maximise value subject to TCO <= b" at each budget point b, on one model built
once (only the budget row's right-hand side moves between solves). Points are solved in
descending budget order: a portfolio optimal at budget B that costs t is optimal at every
budget in [t, B] (the feasible set only shrinks as the budget falls), so those points reuse it
without a solve (``reused`` in the frame). A solved point can start from the previous point's
portfolio (HiGHS ``setSolution``, ``warm_start=True``) where that one fits the lower budget.

Warm starts are off by default: measured on the benchmark (bench/portfolio.py) they did not
pay. On the large instance a 20-point sweep took 104-114 s cold and 168-232 s warm (a few
points were 10-20x slower when HiGHS started from the previous plan); on the medium one
3.4-7.4 s warm against 3.6-5.8 s cold. The kept highspy model's own memory of its last solution is
cleared before every cold solve for the same reason.

The default range runs from the cheapest portfolio that satisfies every rule (a min-TCO solve
on the same model) to the TCO of the best portfolio without a budget (beyond it the value no
longer grows), or to the problem's own budget when that is higher (the flat stretch is then
shown, every point on it reusing the unbudgeted optimum).
"""
from __future__ import annotations

import html
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pulp import const

from decide.errors import InputError
from decide.portfolio.backends import Backend
from decide.portfolio.evaluate import measure
from decide.portfolio.formulation import Formulation
from decide.portfolio.infeasibility import explain, prechecks
from decide.portfolio.problem import Problem
from decide.portfolio.solve import as_problem
from decide.portfolio.status import Status

__all__ = ["Frontier", "frontier", "exact_frontier", "METHOD", "EXACT", "EXACT_MAX_OPTIONS"]

METHOD = "epsilon-constraint on the budget: exact MIP re-solve at each budget point"
#: ``Frontier.method`` of the exact Pareto set.
EXACT = "exact"
#: Above this many options the default frontier is sampled at budget points.
EXACT_MAX_OPTIONS = 120
#: The exact frontier stops (flagged ``complete=False``) after this many points.
EXACT_MAX_POINTS = 400

_COLUMNS = ["budget", "status", "value", "tco", "n_chosen", "suppliers", "sme_share",
            "exit_cost", "chosen", "seconds", "reused"]


@dataclass(frozen=True, eq=False)
class Frontier:
    """Value against budget, with the portfolio at each point.

    Attributes
    ----------
    method : str
        How the points were computed (see :data:`METHOD`).
    frame : DataFrame
        One row per budget (ascending): budget, status, value, tco, n_chosen, suppliers,
        sme_share, exit_cost, chosen (tuple of ids), seconds.
    solver : str
    warm_start : bool
    seconds : float
        Wall time of the whole sweep (model build and range solves included).
    explanation : tuple of Finding
        Why there is no frontier (no budget makes the rules feasible); else empty.
    """

    method: str
    frame: pd.DataFrame
    problem: Problem = field(repr=False)
    solver: str = ""
    warm_start: bool = False
    seconds: float = 0.0
    explanation: tuple = ()
    complete: bool = True

    @property
    def is_exact(self) -> bool:
        """True when the points are the exact Pareto set (value up, TCO down)."""
        return self.method == EXACT

    def to_frame(self) -> pd.DataFrame:
        return self.frame.copy()

    def efficient(self) -> pd.DataFrame:
        """Only the points where value grows (each distinct portfolio once)."""
        f = self.frame[self.frame["status"] == "optimal"]
        keep = f["value"].diff().fillna(np.inf) > 1e-9 * max(1.0, float(f["value"].abs().max() or 1))
        return f[keep].copy()

    def to_dict(self) -> dict:
        rows = []
        for _, r in self.frame.iterrows():
            rows.append({
                "budget": float(r["budget"]),
                "status": r["status"],
                "value": None if pd.isna(r["value"]) else float(r["value"]),
                "tco": None if pd.isna(r["tco"]) else float(r["tco"]),
                "chosen": [str(i) for i in r["chosen"]],
            })
        return {"method": self.method, "solver": self.solver, "points": rows, "complete": self.complete,
                "explanation": [f.to_dict() for f in self.explanation]}

    def plot(self, ax=None, *, lang: str = "en"):
        """Step chart of value against budget; returns the matplotlib Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        f = self.frame[self.frame["status"] == "optimal"]
        ax.step(f["budget"], f["value"], where="post", color="#1f5f8b")
        ax.plot(f["budget"], f["value"], "o", color="#1f5f8b", ms=4)
        ax.set_xlabel(f"budget ({self.problem.currency})" if lang == "en"
                      else f"budget ({self.problem.currency})")
        ax.set_ylabel("value" if lang == "en" else "waarde")
        ax.set_title(self.problem.title or ("Efficient frontier" if lang == "en"
                                            else "Efficiënte grens"))
        ax.grid(alpha=0.3)
        return ax

    def _repr_html_(self) -> str:
        if self.frame.empty:
            items = "".join(f"<li>{html.escape(f.text('en'))}</li>" for f in self.explanation)
            return f"<p>No frontier.</p><ul>{items}</ul>"
        df = self.frame.copy()
        df["chosen"] = [", ".join(map(str, c)) for c in df["chosen"]]
        return f"<p><em>{html.escape(self.method)}</em></p>" + df.to_html(index=False)


def frontier(
    problem_or_model: Any,
    budgets: Sequence[float] | None = None,
    points: int = 20,
    *,
    solver: str = "highs",
    time_limit: float | None = 60,
    gap: float | None = None,
    warm_start: bool = False,
    threads: int | None = None,
    exact: bool | None = None,
) -> Frontier:
    """Best value at each budget (see module docstring for the method).

    Parameters
    ----------
    problem_or_model : Problem or decision model
        Its objective is taken as "value" (a cost objective's ``min_value`` is dropped).
    budgets : sequence of float, optional
        The budget points; default ``points`` evenly spaced from the cheapest feasible
        portfolio to the TCO of the best unbudgeted one.
    points : int
    solver, time_limit, gap, threads
        As for :func:`decide.portfolio.optimise`.
    warm_start : bool
        Start each point from the previous point's portfolio (HiGHS ``setSolution``); off by
        default (see the module docstring for the measurement).
    exact : bool, optional
        The exact Pareto set instead of sampled budgets; default: exact when no ``budgets``
        are given and the problem has at most :data:`EXACT_MAX_OPTIONS` options.
    """
    if exact is None:
        exact = budgets is None and len(as_problem(problem_or_model).options) <= EXACT_MAX_OPTIONS
    if exact:
        return exact_frontier(problem_or_model, solver=solver, time_limit=time_limit, threads=threads)
    t0 = time.perf_counter()
    problem = as_problem(problem_or_model).replace(objective="value", min_value=None)
    if budgets is None and (int(points) != points or points < 1):
        raise InputError(f"points: expected a whole number >= 1, got {points!r}")
    backend = Backend(solver, time_limit, gap, threads)
    proofs = prechecks(problem.replace(budget=None))
    if proofs:
        return Frontier(METHOD, pd.DataFrame(columns=_COLUMNS), problem, backend.version,
                        warm_start, time.perf_counter() - t0, tuple(proofs))
    form = Formulation(problem)
    a = problem.arrays
    rows: list[dict] = []
    top = None
    start = None
    if budgets is None:
        # cheapest portfolio under every rule (same model, TCO objective, no budget)
        form.configure(budget=None)
        form.set_objective(dict(zip(form.x, a.tco.tolist())), const.LpMinimize)
        lo_out = form.solve(backend)
        form.set_objective(dict(zip(form.x, a.value.tolist())), const.LpMaximize)
        if not lo_out.has_solution:
            findings = explain(problem.replace(budget=None), backend) \
                if lo_out.status is Status.infeasible else []
            return Frontier(METHOD, pd.DataFrame(columns=_COLUMNS), problem, backend.version,
                            warm_start, time.perf_counter() - t0, tuple(findings))
        start = (lo_out.x > 0.5).astype(float)
        lo = float(a.tco @ start)
        top = form.solve(backend, warm=start if warm_start else None)
        hi = float(a.tco @ (top.x > 0.5)) if top.has_solution else lo
        if problem.budget is not None and problem.budget > hi:
            # show the flat stretch up to the problem's own budget: those points reuse the
            # unbudgeted optimum without a solve, and the reader sees where value stops growing
            hi = float(problem.budget)
        budgets = np.linspace(lo, hi, int(points)) if hi > lo else np.array([lo])
    budgets = np.sort(np.asarray(list(budgets), dtype=float))
    if budgets.size and (not np.isfinite(budgets).all() or (budgets < 0).any()):
        raise InputError("budgets: expected amounts >= 0")
    # Exact shortcut: the feasible set only shrinks as the budget falls, so a portfolio that
    # is optimal at budget B and costs t stays optimal at every budget in [t, B]. Sweeping
    # from the top down, such points need no solve (they are marked reused).
    order = np.argsort(-budgets, kind="stable")
    rows_by_k: dict[int, dict] = {}
    best_x = None  # proven-optimal portfolio of the last solved (higher) budget
    best_tco = np.inf
    prev = start
    for rank, k in enumerate(order):
        b = float(budgets[k])
        last = top is not None and rank == 0 and top.has_solution and b >= float(a.tco @ (top.x > 0.5)) - 1e-9
        if last:
            best_x, best_tco = (top.x > 0.5).astype(float), float(a.tco @ (top.x > 0.5))
        reused = False
        if last:  # the unbudgeted optimum fits the top budget
            out = top
            secs = 0.0
        elif best_x is not None and best_tco <= b * (1 + 1e-12):
            out, secs, reused = None, 0.0, True
        else:
            form.configure(budget=b * (1 + 1e-12))
            out = form.solve(backend, warm=prev if warm_start else None)
            secs = out.seconds
        row = {"budget": b, "status": "optimal" if reused else out.status.value, "seconds": secs, "reused": reused}
        if reused or out.has_solution:
            x = best_x if reused else (out.x > 0.5).astype(float)
            m = measure(problem, x)
            row.update(value=m.value, tco=m.tco, n_chosen=int(x.sum()),
                       suppliers=m.suppliers_used, sme_share=m.sme_share, exit_cost=m.exit_cost,
                       chosen=tuple(a.ids[i] for i in np.flatnonzero(x)))
            if not reused and out.status is Status.optimal:
                prev = x
                best_x, best_tco = x, m.tco
        else:
            row.update(value=np.nan, tco=np.nan, n_chosen=0, suppliers=0, sme_share=np.nan,
                       exit_cost=np.nan, chosen=())
            if not reused and out.status is Status.infeasible:
                best_x, best_tco = None, np.inf  # lower budgets are infeasible too
        rows_by_k[int(k)] = row
    rows = [rows_by_k[k] for k in range(len(budgets))]
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return Frontier(METHOD, frame, problem, backend.version, warm_start,
                    time.perf_counter() - t0)


def _below(tco: float, step: float) -> float:
    """How far below a point's TCO the next cost bound lies: 1e-4 money units or 1e-9 of the
    TCO, whichever is larger, times ``step``. Portfolios closer in TCO than this count as equal
    in cost."""
    return step * max(1e-4, 1e-9 * abs(tco))


def exact_frontier(problem_or_model: Any, *, solver: str = "highs", time_limit: float | None = 60,
                   threads: int | None = None, max_points: int = EXACT_MAX_POINTS) -> Frontier:
    """The exact set of Pareto-optimal portfolios, value up and TCO down (see the module docstring).

    Solved with a zero relative MIP gap; two portfolios whose values differ by less than
    1e-9 (relative) count as equal in value.
    """
    t0 = time.perf_counter()
    problem = as_problem(problem_or_model).replace(objective="value", min_value=None)
    backend = Backend(solver, time_limit, 0.0, threads)
    proofs = prechecks(problem.replace(budget=None))
    if proofs:
        return Frontier(EXACT, pd.DataFrame(columns=_COLUMNS), problem, backend.version, False,
                        time.perf_counter() - t0, tuple(proofs))
    a = problem.arrays
    best = Formulation(problem)  # most value within a cost bound
    cheap = Formulation(problem.replace(objective="cost", min_value=0.0))  # least TCO for that value
    floor = cheap.row("min_value")
    rows: list[dict] = []
    bound: float | None = None
    complete = True
    findings: tuple = ()
    step = 1.0
    while True:
        best.configure(budget=bound)
        out = best.solve(backend)
        if (bound is not None and out.status is Status.optimal
                and float(a.tco @ (out.x > 0.5)) > bound and step < 1e6):
            # the solver accepted the previous point within its feasibility tolerance: step
            # further below it (the step grows tenfold each time, from 1e-4 money units)
            step *= 10.0
            bound = rows[-1]["tco"] - _below(rows[-1]["tco"], step)
            continue
        if not out.has_solution or out.status is not Status.optimal:
            if not rows and out.status is Status.infeasible:
                findings = tuple(explain(problem.replace(budget=None), backend))
            elif out.status is not Status.infeasible:
                complete = False  # stopped on a time limit or a solver error: the rest is unknown
            break
        x = (out.x > 0.5).astype(float)
        value = measure(problem, x).value
        floor.rhs = value - problem.value_offset - 1e-9 * max(1.0, abs(value))
        cheap.configure(budget=bound)
        low = cheap.solve(backend, warm=x)
        secs = out.seconds + (low.seconds if low is not None else 0.0)
        if low.status is Status.optimal:
            x = (low.x > 0.5).astype(float)
        m = measure(problem, x)
        rows.append(dict(budget=m.tco, status="optimal", value=m.value, tco=m.tco, n_chosen=int(x.sum()),
                         suppliers=m.suppliers_used, sme_share=m.sme_share, exit_cost=m.exit_cost,
                         chosen=tuple(a.ids[i] for i in np.flatnonzero(x)), seconds=secs, reused=False))
        if len(rows) >= max_points:
            complete = False
            break
        # just below this point's TCO: the next cheaper Pareto-optimal portfolio
        step = 1.0
        bound = m.tco - _below(m.tco, step)
        if bound < 0:
            break
    frame = pd.DataFrame(rows[::-1], columns=_COLUMNS)
    return Frontier(EXACT, frame, problem, backend.version, False, time.perf_counter() - t0, findings, complete)
