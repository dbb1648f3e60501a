"""Solver back-ends: HiGHS through PuLP's HiGHS interface (default) and CBC (fallback).

:class:`HighsSolver` is PuLP's ``pulp.HiGHS`` plugin (highspy API) with four changes:

- the highspy model is passed in one ``passModel`` call from a sparse matrix instead of one
  ``addCol``/``addRow`` call per column and row (the stock plugin's loops dominate the build
  time on 5 000 options);
- ``actualResolve`` re-solves the highspy model kept on the problem, pushing only what changed
  in PuLP since the last solve (column bounds, row right-hand sides, integrality, objective):
  frontiers, price-of-rule re-solves and scenarios reuse one model. Matrix coefficients are
  taken as fixed after the first solve; a problem with other rows or columns is rebuilt;
- a warm start (``warmStart=True``) passes the variables' initial values to ``setSolution``;
- stdout stays clean: highspy prints its banner on file descriptor 1 when a ``Highs()`` object
  is built, even with ``output_flag`` off; the build and run happen with fd 1 redirected to
  ``os.devnull`` (:func:`quiet_stdout`), so ``--json`` output is never polluted.

CBC runs through PuLP's ``COIN_CMD`` pointed at the CBC binary PuLP bundles (the
``PULP_CBC_CMD`` class is deprecated for PuLP 4.0), or at a ``cbc`` on the PATH.

The status is always read from the solver itself: ``pulp.HiGHS`` reports ``Optimal`` when HiGHS
stopped on its time limit, so :func:`highs_status` reads ``getModelStatus()``.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pulp
from pulp import constants as const

from decide.errors import InputError
from decide.portfolio.status import Status

try:  # highspy is a hard dependency, but keep the import error readable
    import highspy
except ImportError:  # pragma: no cover
    highspy = None

__all__ = ["Backend", "HighsSolver", "quiet_stdout", "cbc_available", "SOLVERS"]

SOLVERS = ("highs", "cbc")

_STDOUT_LOCK = threading.Lock()

#: HiGHS' default relative MIP gap (option ``mip_rel_gap``), used when ``gap`` is None.
HIGHS_DEFAULT_GAP = 1e-4


@contextlib.contextmanager
def quiet_stdout():
    """Redirect file descriptor 1 to ``os.devnull`` (C-level output included).

    Python's ``sys.stdout`` is flushed first and the C stdio buffers are flushed before fd 1
    is restored, so text printed before and after stays in order. Not for use while other
    threads write to stdout (the redirection is process-wide).
    """
    with _STDOUT_LOCK:
        try:
            sys.stdout.flush()
        except (AttributeError, ValueError):  # pragma: no cover - closed or missing stdout
            pass
        try:
            saved = os.dup(1)
        except OSError:  # pragma: no cover - no fd 1 at all
            yield
            return
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, 1)
            yield
        finally:
            try:
                ctypes.CDLL(None).fflush(None)
            except (OSError, AttributeError, TypeError):  # pragma: no cover - no libc (Windows)
                pass
            os.dup2(saved, 1)
            os.close(saved)
            os.close(devnull)


@dataclass
class _HighsState:
    """What was last pushed to the highspy model (to push only changes on a re-solve)."""

    variables: list
    constraint_ids: list
    col_lb: np.ndarray
    col_ub: np.ndarray
    row_lb: np.ndarray
    row_ub: np.ndarray
    integrality: np.ndarray
    cost: np.ndarray


def _bounds(lo, hi) -> tuple[float, float]:
    return (-np.inf if lo is None else float(lo), np.inf if hi is None else float(hi))


class HighsSolver(pulp.HiGHS):
    """PuLP's HiGHS plugin with a bulk build, incremental re-solves, warm starts, quiet stdout.

    Parameters
    ----------
    mip : bool
        False solves the LP relaxation (integrality dropped).
    timeLimit : float, optional
        Seconds.
    gapRel : float, optional
        Relative MIP gap (HiGHS default 1e-4).
    threads : int, optional
    warmStart : bool
        Pass the variables' initial values (``LpVariable.setInitialValue``) to HiGHS.
    """

    name = "HiGHS"

    def __init__(self, mip=True, timeLimit=None, gapRel=None, threads=None, warmStart=False):
        super().__init__(mip=mip, msg=False, gapRel=gapRel, threads=threads, timeLimit=timeLimit)
        self.warmStart = warmStart

    # -- configuration ---------------------------------------------------------------
    def createAndConfigureSolver(self, lp):
        with quiet_stdout():
            lp.solverModel = highspy.Highs()
        self._configure(lp.solverModel)

    def _configure(self, h) -> None:
        h.setOptionValue("output_flag", False)
        h.setOptionValue(
            "time_limit", float(self.timeLimit) if self.timeLimit is not None else highspy.kHighsInf
        )
        # a kept model may have been solved with another gap: always set it
        h.setOptionValue(
            "mip_rel_gap", float(self.gapRel) if self.gapRel is not None else HIGHS_DEFAULT_GAP
        )
        if self.gapAbs is not None:
            h.setOptionValue("mip_abs_gap", float(self.gapAbs))
        if self.threads is not None:
            h.setOptionValue("threads", int(self.threads))

    # -- arrays from the PuLP problem -------------------------------------------------
    def _arrays(self, lp, variables, constraints):
        col = np.array([_bounds(v.lowBound, v.upBound) for v in variables], dtype=float).reshape(-1, 2)
        row = np.array([_bounds(c.getLb(), c.getUb()) for c in constraints], dtype=float).reshape(-1, 2)
        integrality = np.array(
            [1 if (self.mip and v.cat == const.LpInteger) else 0 for v in variables], dtype=np.uint8
        )
        mult = -1.0 if lp.sense == const.LpMaximize else 1.0
        obj = lp.objective
        cost = np.array([mult * obj.get(v, 0.0) for v in variables], dtype=float)
        return col[:, 0].copy(), col[:, 1].copy(), row[:, 0].copy(), row[:, 1].copy(), integrality, cost

    def buildSolverModel(self, lp):
        from scipy import sparse

        variables = lp.variables()
        for i, v in enumerate(variables):
            v.index = i
        constraints = list(lp._constraints.values())
        starts = np.zeros(len(constraints) + 1, dtype=np.int64)
        index: list[int] = []
        value: list[float] = []
        for i, c in enumerate(constraints):
            c.index = i
            expr = c.expr
            index.extend([v.index for v in expr])
            value.extend(expr.values())
            starts[i + 1] = len(index)
        ncol, nrow = len(variables), len(constraints)
        csc = sparse.csr_matrix(
            (np.asarray(value, dtype=float), np.asarray(index, dtype=np.int64), starts),
            shape=(nrow, ncol),
        )
        csc.eliminate_zeros()
        csc = csc.tocsc()
        col_lb, col_ub, row_lb, row_ub, integ, cost = self._arrays(lp, variables, constraints)
        h = lp.solverModel
        h.passModel(
            ncol,
            nrow,
            int(csc.nnz),
            int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize),
            0.0,
            cost,
            col_lb,
            col_ub,
            row_lb,
            row_ub,
            csc.indptr.astype(np.int32),
            csc.indices.astype(np.int32),
            csc.data.astype(float),
            integ.astype(np.int32),
        )
        lp._decide_highs = _HighsState(
            variables=list(variables),
            constraint_ids=[id(c) for c in constraints],
            col_lb=col_lb,
            col_ub=col_ub,
            row_lb=row_lb,
            row_ub=row_ub,
            integrality=integ,
            cost=cost,
        )

    # -- solving -----------------------------------------------------------------------
    def callSolver(self, lp):
        h = lp.solverModel
        # A kept model remembers its last solution and HiGHS starts from it: on the benchmark
        # that made some frontier points 20-30x slower. Every solve starts clean unless a
        # warm start is asked for explicitly, so a re-solve behaves like a fresh solve.
        h.clearSolver()
        if self.warmStart:
            state = lp._decide_highs
            idx = [i for i, v in enumerate(state.variables) if v.varValue is not None]
            if idx:
                vals = np.array([state.variables[i].varValue for i in idx], dtype=float)
                h.setSolution(len(idx), np.asarray(idx, dtype=np.int32), vals)
        with quiet_stdout():
            h.run()

    def findSolutionValues(self, lp):
        """Copy HiGHS' solution to the PuLP variables and constraints (status read by the caller)."""
        h = lp.solverModel
        sol = h.getSolution()
        state = lp._decide_highs
        col_value = np.asarray(sol.col_value, dtype=float)
        col_dual = np.asarray(sol.col_dual, dtype=float)
        if len(col_value) == len(state.variables):
            for v, x, d in zip(state.variables, col_value.tolist(), col_dual.tolist()):
                v.varValue = x
                v.dj = d
        row_value = np.asarray(sol.row_value, dtype=float)
        row_dual = np.asarray(sol.row_dual, dtype=float)
        if len(row_value) == len(lp._constraints):
            for c, r, d in zip(lp._constraints.values(), row_value.tolist(), row_dual.tolist()):
                slack = c.constant + r
                c.slack = -slack if c.sense == const.LpConstraintLE else slack
                c.pi = d
        status = highs_status(h)
        if status is Status.optimal:
            return const.LpStatusOptimal, const.LpSolutionOptimal
        if status is Status.infeasible:
            return const.LpStatusInfeasible, const.LpSolutionInfeasible
        if status is Status.unbounded:
            return const.LpStatusUnbounded, const.LpSolutionUnbounded
        if status is Status.time_limit and highs_has_solution(h):
            return const.LpStatusNotSolved, const.LpSolutionIntegerFeasible
        return const.LpStatusNotSolved, const.LpSolutionNoSolutionFound

    def actualSolve(self, lp):
        self.createAndConfigureSolver(lp)
        self.buildSolverModel(lp)
        self.callSolver(lp)
        status, sol_status = self.findSolutionValues(lp)
        lp.assignStatus(status, sol_status)
        return status

    def actualResolve(self, lp, **kwargs):
        """Re-solve the kept highspy model after pushing what changed in the PuLP problem."""
        state = getattr(lp, "_decide_highs", None)
        h = lp.solverModel
        if state is None or h is None:
            return self.actualSolve(lp)
        variables = lp.variables()
        constraints = list(lp._constraints.values())
        if len(variables) != len(state.variables) or any(
            a is not b for a, b in zip(variables, state.variables)
        ) or [id(c) for c in constraints] != state.constraint_ids:
            return self.actualSolve(lp)
        self._configure(h)
        col_lb, col_ub, row_lb, row_ub, integ, cost = self._arrays(lp, variables, constraints)
        changed = np.flatnonzero((col_lb != state.col_lb) | (col_ub != state.col_ub))
        if changed.size:
            h.changeColsBounds(
                changed.size, changed.astype(np.int32), col_lb[changed], col_ub[changed]
            )
        changed = np.flatnonzero((row_lb != state.row_lb) | (row_ub != state.row_ub))
        if changed.size:
            h.changeRowsBounds(
                changed.size, changed.astype(np.int32), row_lb[changed], row_ub[changed]
            )
        changed = np.flatnonzero(integ != state.integrality)
        if changed.size:
            h.changeColsIntegrality(changed.size, changed.astype(np.int32), integ[changed])
        changed = np.flatnonzero(cost != state.cost)
        if changed.size:
            h.changeColsCost(changed.size, changed.astype(np.int32), cost[changed])
        state.col_lb, state.col_ub, state.row_lb, state.row_ub = col_lb, col_ub, row_lb, row_ub
        state.integrality, state.cost = integ, cost
        self.callSolver(lp)
        status, sol_status = self.findSolutionValues(lp)
        lp.assignStatus(status, sol_status)
        return status


def highs_status(h) -> Status:
    """Map HiGHS' own model status (never PuLP's) to :class:`Status`."""
    ms = h.getModelStatus()
    S = highspy.HighsModelStatus
    if ms == S.kOptimal:
        return Status.optimal
    if ms in (S.kInfeasible, S.kUnboundedOrInfeasible):
        # with binary choices and bounded continuous variables nothing is unbounded
        return Status.infeasible
    if ms == S.kUnbounded:
        return Status.unbounded
    if ms in (
        S.kTimeLimit,
        S.kIterationLimit,
        S.kSolutionLimit,
        S.kInterrupt,
        S.kHighsInterrupt,
        S.kObjectiveBound,
        S.kObjectiveTarget,
        S.kMemoryLimit,
    ):
        return Status.time_limit
    return Status.error


def highs_has_solution(h) -> bool:
    """True when HiGHS holds a feasible primal solution (an incumbent)."""
    return h.getInfo().primal_solution_status == int(highspy.SolutionStatus.kSolutionStatusFeasible)


# ----------------------------------------------------------------------------- CBC
@lru_cache(maxsize=None)
def _cbc_path() -> str | None:
    bundled = pulp.PULP_CBC_CMD.pulp_cbc_path  # a class attribute: no deprecation warning
    if bundled and os.path.isfile(bundled) and os.access(bundled, os.X_OK):
        return bundled
    return shutil.which("cbc")


def cbc_available() -> bool:
    """True when a CBC binary is available (PuLP's bundled one or ``cbc`` on the PATH)."""
    return _cbc_path() is not None


@lru_cache(maxsize=None)
def _cbc_version() -> str:
    path = _cbc_path()
    if path is None:
        return "CBC (not available)"
    try:
        out = subprocess.run(
            [path, "-quit"], capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL
        ).stdout
    except (OSError, subprocess.SubprocessError):  # pragma: no cover
        return "CBC"
    for line in out.splitlines():
        if line.strip().lower().startswith("version"):
            return "CBC " + line.split(":", 1)[-1].strip()
    return "CBC"


@lru_cache(maxsize=None)
def _highs_version() -> str:
    with quiet_stdout():
        h = highspy.Highs()
    return f"HiGHS {h.version()}"


# ----------------------------------------------------------------------------- backend
@dataclass(frozen=True)
class Backend:
    """Which solver and with what limits; makes PuLP solver objects.

    Parameters
    ----------
    name : {"highs", "cbc"}
    time_limit : float, optional
        Seconds per solve.
    gap : float, optional
        Relative MIP gap; None keeps the solver's default (HiGHS 1e-4, CBC 0).
    threads : int, optional
    """

    name: str = "highs"
    time_limit: float | None = 60.0
    gap: float | None = None
    threads: int | None = None

    def __post_init__(self) -> None:
        name = str(self.name).lower()
        if name not in SOLVERS:
            raise InputError(f"solver: expected one of {SOLVERS}, got {self.name!r}")
        if name == "cbc" and not cbc_available():
            raise InputError(
                "solver: CBC is not available (no bundled PuLP CBC binary and no 'cbc' on the "
                "PATH); use solver='highs'"
            )
        object.__setattr__(self, "name", name)
        if self.time_limit is not None and not (float(self.time_limit) > 0):
            raise InputError(f"time_limit: expected seconds > 0 or None, got {self.time_limit!r}")
        if self.gap is not None and not (0 <= float(self.gap) < 1):
            raise InputError(f"gap: expected a relative gap in [0, 1), got {self.gap!r}")

    @property
    def version(self) -> str:
        """Solver name and version, e.g. ``"HiGHS 1.16.0"``."""
        return _highs_version() if self.name == "highs" else _cbc_version()

    @property
    def reuses_model(self) -> bool:
        """True when re-solves reuse the solver's model (HiGHS); CBC re-reads the problem."""
        return self.name == "highs"

    def make(self, *, mip: bool = True, warm: bool = False, gap: float | None = None):
        """A PuLP solver object for one solve."""
        gap = self.gap if gap is None else gap
        if self.name == "highs":
            return HighsSolver(
                mip=mip, timeLimit=self.time_limit, gapRel=gap, threads=self.threads, warmStart=warm
            )
        return pulp.COIN_CMD(
            path=_cbc_path(),
            msg=False,
            mip=mip,
            timeLimit=self.time_limit,
            gapRel=gap,
            threads=self.threads,
            warmStart=warm,
        )

    def improvement_per_unit(self, pi: float, sense: int) -> float:
        """Normalise a row dual to *objective improvement per extra unit of right-hand side*.

        The one place where solver dual signs are reconciled. Through PuLP, HiGHS always
        minimises (PuLP negates a maximisation) and reports d(minimised objective)/d(rhs);
        CBC reports d(objective in its own sense)/d(rhs). Improvement means more value for a
        maximisation and less cost for a minimisation, so the result is >= 0 for a ``<=``
        resource row such as the budget.
        """
        if pi is None or not np.isfinite(pi):
            return float("nan")
        if self.name == "highs":
            d = -pi if sense == const.LpMaximize else pi  # d(objective, own sense)/d(rhs)
        else:
            d = pi
        out = d if sense == const.LpMaximize else -d
        return float(out) + 0.0  # no -0.0
