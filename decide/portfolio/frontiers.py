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
once (only the budget row's bound moves between solves). The best portfolio without a budget
(or at the highest budget given) is solved first: every budget it fits reuses it without a
solve (``reused`` in the frame; the feasible set only shrinks as the budget falls). The other
points are solved from the lowest budget up, each started from the previous point's plan
(HiGHS ``setSolution``): a plan that fits a budget fits every higher one, so each solve starts
with a free incumbent (the first from the cheapest portfolio, found when the range is computed).
Each point reports the solver's proven bound on the value (HiGHS ``mip_dual_bound``) and the
relative gap to it (``bound`` and ``gap``; the solve's relative MIP gap is HiGHS' default 1e-4
unless ``gap`` is given), so a point stopped by the time limit says how far from optimal it may
be. ``warm_start=False`` solves every point cold.

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

from decide.errors import InputError
from decide.portfolio.backends import Backend
from decide.portfolio.evaluate import measure
from decide.portfolio.formulation import SOLVER_TOL, Formulation
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
            "exit_cost", "chosen", "seconds", "reused", "bound", "gap", "violated"]


@dataclass(frozen=True, eq=False)
class Frontier:
    """Value against budget, with the portfolio at each point.

    Attributes
    ----------
    method : str
        How the points were computed (see :data:`METHOD`).
    frame : DataFrame
        One row per budget (ascending): budget, status, value, tco, n_chosen, suppliers,
        sme_share, exit_cost, chosen (tuple of ids), seconds, reused, bound (the solver's
        proven upper bound on the value at that budget), gap (relative distance from the value
        to the bound), violated (names of the unscaled rows the plan violates; such a point has
        status "error").
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
            if not self.is_exact:  # exact points are proven with a zero gap
                rows[-1].update(bound=_number(r.get("bound")), gap=_number(r.get("gap")))
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
    warm_start: bool = True,
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
        Start each point from the previous (lower) point's plan (HiGHS ``setSolution``; see
        the module docstring).
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
        raise InputError.keyed("portfolio.frontier_points_invalid", "points", value=repr(points))
    backend = Backend(solver, time_limit, gap, threads)
    proofs = prechecks(problem.replace(budget=None))
    if proofs:
        return Frontier(METHOD, pd.DataFrame(columns=_COLUMNS), problem, backend.version,
                        warm_start, time.perf_counter() - t0, tuple(proofs))
    form = Formulation(problem)
    a = problem.arrays
    value_cost = form.option_objective(a.value)
    top = None
    start = None
    if budgets is None:
        # cheapest portfolio under every rule (same model, TCO objective, no budget)
        form.configure(budget=None)
        form.set_objective(form.option_objective(a.tco), maximise=False)
        lo_out = form.solve(backend)
        form.set_objective(value_cost, maximise=True)
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
        raise InputError.keyed("portfolio.frontier_budgets_invalid", "budgets")
    top_budget = float(budgets[-1]) if budgets.size else np.inf  # its point is top's own
    if top is None and budgets.size:
        # budgets given: the highest one first, so that every lower budget its optimum fits
        # reuses it
        form.configure(budget=top_budget * (1 + 1e-12))
        top = form.solve(backend)
    top_x = (top.x > 0.5).astype(float) if (top is not None and top.status is Status.optimal) else None
    top_tco = float(a.tco @ top_x) if top_x is not None else np.inf
    rows: list[dict] = []
    prev = start  # the last plan found: it fits every higher budget
    for b in budgets.tolist():
        limit = b * (1 + 1e-12)
        if top_x is not None and top_tco <= limit:
            out, x, secs = top, top_x, 0.0
            reused = b < top_budget
        elif top is not None and (b >= top_budget or top.status is Status.infeasible):
            # the top solve found no optimum; when it proved infeasibility, every lower budget
            # is infeasible too (the feasible set only shrinks as the budget falls)
            out, secs, reused = top, 0.0, b < top_budget
            x = (top.x > 0.5).astype(float) if top.has_solution else None
        else:
            form.configure(budget=limit)
            fits = prev is not None and float(a.tco @ prev) <= limit
            out = form.solve(backend, warm=prev if (warm_start and fits) else None)
            secs, reused = out.seconds, False
            x = (out.x > 0.5).astype(float) if out.has_solution else None
        status = out.status.value
        if out.violated:
            status = Status.error.value  # the plan misses an unscaled row: reported, not used
        row = {"budget": b, "status": status, "seconds": secs, "reused": reused,
               "bound": out.bound, "gap": None, "violated": tuple(out.violated)}
        if x is not None:
            m = measure(problem, x)
            row.update(value=m.value, tco=m.tco, n_chosen=int(x.sum()),
                       suppliers=m.suppliers_used, sme_share=m.sme_share, exit_cost=m.exit_cost,
                       chosen=tuple(a.ids[i] for i in np.flatnonzero(x)),
                       gap=_gap(m.value, out.bound))
            if not out.violated:
                prev = x
        else:
            row.update(value=np.nan, tco=np.nan, n_chosen=0, suppliers=0, sme_share=np.nan,
                       exit_cost=np.nan, chosen=())
        rows.append(row)
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    return Frontier(METHOD, frame, problem, backend.version, warm_start,
                    time.perf_counter() - t0)


def _number(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def _gap(value: float, bound: float | None) -> float | None:
    """Relative gap between a plan's value and the proven bound (HiGHS' definition:
    |bound - value| / |value|, 0 when both are 0)."""
    if bound is None or not np.isfinite(bound):
        return None
    diff = abs(bound - value)
    if diff <= 1e-12 * max(1.0, abs(bound)):
        return 0.0
    return diff / abs(value) if value != 0 else float("inf")


def _below(tco: float, step: float, money_scale: float = 1.0) -> float:
    """How far below a point's TCO the next cost bound lies: 1e-4 money units, 1e-9 of the
    TCO or twice the solver's feasibility tolerance on a scaled money row (``SOLVER_TOL`` units
    of ``money_scale``, so that the previous point is out of the solver's reach), whichever is
    largest, times ``step``. Portfolios closer in TCO than this
    count as equal in cost."""
    return step * max(1e-4, 1e-9 * abs(tco), 2 * SOLVER_TOL * money_scale)


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
            bound = rows[-1]["tco"] - _below(rows[-1]["tco"], step, best.money_scale)
            continue
        if not out.has_solution or out.status is not Status.optimal:
            if not rows and out.status is Status.infeasible:
                findings = tuple(explain(problem.replace(budget=None), backend))
            elif out.status is not Status.infeasible:
                complete = False  # stopped on a time limit or a solver error: the rest is unknown
            break
        x = (out.x > 0.5).astype(float)
        value = measure(problem, x).value
        cheap.set_rhs("min_value", value - problem.value_offset - 1e-9 * max(1.0, abs(value)))
        cheap.configure(budget=bound)
        low = cheap.solve(backend, warm=x)
        secs = out.seconds + (low.seconds if low is not None else 0.0)
        if low.status is Status.optimal:
            x = (low.x > 0.5).astype(float)
        m = measure(problem, x)
        rows.append(dict(budget=m.tco, status="optimal", value=m.value, tco=m.tco, n_chosen=int(x.sum()),
                         suppliers=m.suppliers_used, sme_share=m.sme_share, exit_cost=m.exit_cost,
                         chosen=tuple(a.ids[i] for i in np.flatnonzero(x)), seconds=secs, reused=False,
                         bound=out.bound, gap=_gap(value, out.bound),
                         violated=tuple(out.violated) + tuple(low.violated)))
        if rows[-1]["violated"]:
            rows[-1]["status"] = Status.error.value  # reported, not hidden
        if len(rows) >= max_points:
            complete = False
            break
        # just below this point's TCO: the next cheaper Pareto-optimal portfolio
        step = 1.0
        bound = m.tco - _below(m.tco, step, best.money_scale)
        if bound < 0:
            break
    frame = pd.DataFrame(rows[::-1], columns=_COLUMNS)
    return Frontier(EXACT, frame, problem, backend.version, False, time.perf_counter() - t0, findings, complete)
