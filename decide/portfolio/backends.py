"""Solver back-ends: HiGHS through highspy (default) and CBC through PuLP (fallback).

Both take the model as arrays (:class:`~decide.portfolio.formulation.LinearModel`):

- :class:`HighsEngine` passes the arrays to highspy in one ``passModel`` call and keeps the
  model: a re-solve pushes only what changed (column and row bounds, costs, integrality,
  matrix coefficients, appended rows), so frontiers, price-of-rule re-solves, scenarios and
  sampled robustness reuse one model. The status is read once, from HiGHS' own
  ``getModelStatus()`` (:func:`highs_status`; a time limit is never "optimal"). stdout stays
  clean: highspy prints its banner on file descriptor 1 when a ``Highs()`` object is built,
  even with ``output_flag`` off; the build and run happen with fd 1 redirected to
  ``os.devnull`` (:func:`quiet_stdout`), so ``--json`` output is never polluted.
- :class:`CbcEngine` builds the same model in PuLP from the arrays (:func:`to_pulp`, public
  API only: ``LpProblem``, variables, ``LpAffineExpression``, ``addConstraint``) and solves it
  with ``COIN_CMD`` pointed at the CBC binary PuLP bundles (the ``PULP_CBC_CMD`` class is
  deprecated for PuLP 4.0), or at a ``cbc`` on the PATH.
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

__all__ = ["Backend", "HighsEngine", "CbcEngine", "RawSolution", "to_pulp", "quiet_stdout",
           "cbc_available", "SOLVERS"]

SOLVERS = ("highs", "cbc")

_STDOUT_LOCK = threading.Lock()

#: HiGHS' default relative MIP gap (option ``mip_rel_gap``), used when ``gap`` is None.
HIGHS_DEFAULT_GAP = 1e-4
#: HiGHS' default feasibility tolerances (options ``mip_feasibility_tolerance`` and
#: ``primal_feasibility_tolerance``), in the solver model's units.
HIGHS_MIP_FEASIBILITY = 1e-6
HIGHS_PRIMAL_FEASIBILITY = 1e-7


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


@dataclass(frozen=True)
class RawSolution:
    """What a back-end returns: the status (read once from the solver) and, with a solution,
    the column values in the solver model's units."""

    status: Status
    has_solution: bool
    col_value: np.ndarray | None = None
    objective: float | None = None  # in the model's own sense
    gap: float | None = None
    bound: float | None = None  # proven bound on the objective, own sense
    row_improvement: np.ndarray | None = None  # objective improvement per unit of row bound


def _inf_to_highs(v: np.ndarray) -> np.ndarray:
    return np.clip(np.asarray(v, dtype=float), -highspy.kHighsInf, highspy.kHighsInf)


class HighsEngine:
    """One highspy model, passed once from arrays and updated in place.

    :meth:`solve` takes a :class:`~decide.portfolio.formulation.LinearModel` (scaled): the
    first call passes it in one ``passModel`` call; later calls push only what differs from
    the model HiGHS holds: column bounds (``changeColsBounds``), row bounds
    (``changeRowsBounds``), costs (``changeColsCost``), integrality, changed matrix
    coefficients (``changeCoeff``) and appended rows (``addRows``). A model with another
    number of columns, fewer rows or another sparsity pattern is passed again. The model is
    minimised (a maximisation passes negated costs), so a row dual is the change of the
    minimised objective per unit of the row's bound.
    """

    def __init__(self, backend: Backend):
        self.backend = backend
        self.h = None
        self.held = None  # the LinearModel HiGHS holds (with signed costs)
        self.passes = 0  # how many times the whole model was passed (for tests and benches)

    # -- model ------------------------------------------------------------------------
    def _pass(self, lm, cost) -> None:
        if self.h is None:
            with quiet_stdout():
                self.h = highspy.Highs()
        h = self.h
        h.setOptionValue("output_flag", False)
        A = lm.matrix.tocsc()
        A.sort_indices()
        h.passModel(
            int(A.shape[1]), int(A.shape[0]), int(A.nnz), int(highspy.MatrixFormat.kColwise),
            int(highspy.ObjSense.kMinimize), 0.0, cost, _inf_to_highs(lm.col_lower),
            _inf_to_highs(lm.col_upper), _inf_to_highs(lm.row_lower), _inf_to_highs(lm.row_upper),
            A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data.astype(float),
            lm.integrality.astype(np.int32),
        )
        self.passes += 1

    def _push(self, lm, cost) -> None:
        old = self.held
        h = self.h
        A, B = old.matrix, lm.matrix
        n_old = A.shape[0]
        if B.shape[0] > n_old:  # appended rows (cuts)
            new = B[n_old:]
            h.addRows(int(new.shape[0]), _inf_to_highs(lm.row_lower[n_old:]),
                      _inf_to_highs(lm.row_upper[n_old:]), int(new.nnz),
                      new.indptr[:-1].astype(np.int32), new.indices.astype(np.int32),
                      new.data.astype(float))
            B = B[:n_old]
        changed = np.flatnonzero(B.data != A.data)
        if changed.size:
            rows = np.repeat(np.arange(n_old), np.diff(B.indptr))
            for k in changed.tolist():
                h.changeCoeff(int(rows[k]), int(B.indices[k]), float(B.data[k]))
        lo, hi = lm.col_lower, lm.col_upper
        idx = np.flatnonzero((lo != old.col_lower) | (hi != old.col_upper))
        if idx.size:
            h.changeColsBounds(idx.size, idx.astype(np.int32), _inf_to_highs(lo[idx]),
                               _inf_to_highs(hi[idx]))
        rl, ru = lm.row_lower[:n_old], lm.row_upper[:n_old]
        idx = np.flatnonzero((rl != old.row_lower) | (ru != old.row_upper))
        if idx.size:
            h.changeRowsBounds(idx.size, idx.astype(np.int32), _inf_to_highs(rl[idx]),
                               _inf_to_highs(ru[idx]))
        idx = np.flatnonzero(lm.integrality != old.integrality)
        if idx.size:
            h.changeColsIntegrality(idx.size, idx.astype(np.int32),
                                    lm.integrality[idx].astype(np.int32))
        idx = np.flatnonzero(cost != old.cost)
        if idx.size:
            h.changeColsCost(idx.size, idx.astype(np.int32), cost[idx])

    def _same_structure(self, lm) -> bool:
        old = self.held
        if old is None or lm.matrix.shape[1] != old.matrix.shape[1]:
            return False
        n_old = old.matrix.shape[0]
        if lm.matrix.shape[0] < n_old:
            return False
        B = lm.matrix[:n_old] if lm.matrix.shape[0] > n_old else lm.matrix
        return np.array_equal(B.indptr, old.matrix.indptr) and np.array_equal(
            B.indices, old.matrix.indices)

    def load(self, lm) -> None:
        """Make HiGHS hold ``lm`` (pass it, or push the differences)."""
        sign = -1.0 if lm.maximise else 1.0
        cost = sign * lm.cost
        if self._same_structure(lm):
            self._push(lm, cost)
        else:
            self._pass(lm, cost)
        self.held = _Held(lm.matrix, lm.row_lower, lm.row_upper, lm.col_lower, lm.col_upper,
                          cost, lm.integrality)

    # -- solving ----------------------------------------------------------------------
    def _configure(self, h, gap: float | None, tolerance: float | None = None) -> None:
        b = self.backend
        h.setOptionValue("output_flag", False)
        # feasibility tolerances: HiGHS' defaults, or tighter for a repair solve
        h.setOptionValue("mip_feasibility_tolerance",
                         HIGHS_MIP_FEASIBILITY if tolerance is None else max(tolerance, 1e-10))
        h.setOptionValue("primal_feasibility_tolerance",
                         HIGHS_PRIMAL_FEASIBILITY if tolerance is None else max(tolerance, 1e-10))
        h.setOptionValue("time_limit",
                         float(b.time_limit) if b.time_limit is not None else highspy.kHighsInf)
        gap = b.gap if gap is None else gap
        # a kept model may have been solved with another gap: always set it
        h.setOptionValue("mip_rel_gap", float(gap) if gap is not None else HIGHS_DEFAULT_GAP)
        if b.threads is not None:
            h.setOptionValue("threads", int(b.threads))

    def solve(self, lm, *, warm: np.ndarray | None = None, gap: float | None = None,
              tolerance: float | None = None) -> RawSolution:
        """Solve ``lm``; ``warm`` (all column values, solver units) is passed as a start;
        ``tolerance`` replaces HiGHS' feasibility tolerances for this solve."""
        self.load(lm)
        h = self.h
        self._configure(h, gap, tolerance)
        # A kept model remembers its last solution and HiGHS would start from it; every solve
        # starts clean, from the given start only.
        h.clearSolver()
        if warm is not None:
            h.setSolution(int(warm.size), np.arange(warm.size, dtype=np.int32),
                          np.asarray(warm, dtype=float))
        with quiet_stdout():
            h.run()
        status = highs_status(h)  # the one read of the solver's status
        mip = bool(lm.integrality.any())
        info = h.getInfo()
        has = status is Status.optimal or (
            status is Status.time_limit and mip
            and info.primal_solution_status == int(highspy.SolutionStatus.kSolutionStatusFeasible))
        sign = -1.0 if lm.maximise else 1.0
        if mip:
            bound = float(info.mip_dual_bound) * sign
            bound = bound if np.isfinite(bound) and abs(bound) < highspy.kHighsInf else None
        else:
            bound = float(info.objective_function_value) * sign if status is Status.optimal else None
        if not has:
            return RawSolution(status, False, bound=bound)
        sol = h.getSolution()
        improvement = None
        if not mip and status is Status.optimal:
            improvement = -np.asarray(sol.row_dual, dtype=float)
        return RawSolution(status, True, np.asarray(sol.col_value, dtype=float),
                           float(info.objective_function_value) * sign,
                           float(info.mip_gap) if mip else None, bound, improvement)


@dataclass(frozen=True)
class _Held:
    matrix: object
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    cost: np.ndarray
    integrality: np.ndarray


def _pulp_bound(v: float) -> float | None:
    return None if not np.isfinite(v) else float(v)


def to_pulp(lm, name: str = "decide_portfolio"):
    """The model ``lm`` (a :class:`~decide.portfolio.formulation.LinearModel`) as a PuLP
    problem, through PuLP's public API only; returns (problem, variables, constraints).

    A row with both bounds finite and different becomes two constraints (``<name>_lo`` and
    ``<name>_hi``); decide's own rows are one-sided or equalities.
    """
    prob = pulp.LpProblem(name, const.LpMaximize if lm.maximise else const.LpMinimize)
    variables = []
    for n, lo, hi, integ in zip(lm.col_names, lm.col_lower.tolist(), lm.col_upper.tolist(),
                                lm.integrality.tolist()):
        binary = integ and lo >= 0 and hi <= 1
        v = prob.add_variable(n, _pulp_bound(lo), _pulp_bound(hi), const.LpBinary if binary else
                              (const.LpInteger if integ else const.LpContinuous))
        v.lowBound, v.upBound = _pulp_bound(lo), _pulp_bound(hi)  # a binary's own bounds (pins)
        variables.append(v)
    # every column in the objective (zero coefficients kept) so PuLP adds no dummy variable
    prob.setObjective(pulp.LpAffineExpression(zip(variables, lm.cost.tolist())))
    A = lm.matrix
    constraints = []
    for i, rname in enumerate(lm.row_names):
        lo, hi = float(lm.row_lower[i]), float(lm.row_upper[i])
        cols = A.indices[A.indptr[i]:A.indptr[i + 1]].tolist()
        vals = A.data[A.indptr[i]:A.indptr[i + 1]].tolist()

        def add(sense, rhs, suffix=""):
            e = pulp.LpAffineExpression(zip([variables[j] for j in cols], vals))
            c = pulp.LpConstraint(e, sense, rname + suffix, rhs)
            prob.addConstraint(c, rname + suffix)
            constraints.append((i, c))

        if lo == hi:
            add(const.LpConstraintEQ, lo)
        elif np.isfinite(lo) and np.isfinite(hi):
            add(const.LpConstraintGE, lo, "_lo")
            add(const.LpConstraintLE, hi, "_hi")
        elif np.isfinite(lo):
            add(const.LpConstraintGE, lo)
        elif np.isfinite(hi):
            add(const.LpConstraintLE, hi)
    return prob, variables, constraints


class CbcEngine:
    """CBC through PuLP's ``COIN_CMD``: the model is built in PuLP from the arrays (public API
    only) and written to CBC on every solve; the status is PuLP's reading of CBC's."""

    def __init__(self, backend: Backend):
        self.backend = backend

    def solve(self, lm, *, warm: np.ndarray | None = None, gap: float | None = None,
              tolerance: float | None = None) -> RawSolution:
        b = self.backend
        # (CBC keeps its own tolerances: the model is passed as written)
        prob, variables, constraints = to_pulp(lm)
        mip = bool(lm.integrality.any())
        if warm is not None:
            for v, val in zip(variables, np.asarray(warm, dtype=float).tolist()):
                v.setInitialValue(val)
        solver = pulp.COIN_CMD(path=_cbc_path(), msg=False, mip=mip, timeLimit=b.time_limit,
                               gapRel=b.gap if gap is None else gap, threads=b.threads,
                               warmStart=warm is not None)
        prob.solve(solver)
        st, sol = prob.status, prob.sol_status
        if st == const.LpStatusOptimal and sol == const.LpSolutionIntegerFeasible:
            status, has = Status.time_limit, True
        elif st == const.LpStatusOptimal:
            status, has = Status.optimal, True
        elif st == const.LpStatusInfeasible:
            status, has = Status.infeasible, False
        elif st == const.LpStatusUnbounded:
            status, has = Status.unbounded, False
        elif st == const.LpStatusNotSolved:
            status, has = Status.time_limit, False
        else:
            status, has = Status.error, False
        if not has:
            return RawSolution(status, False)
        values = np.array([0.0 if v.varValue is None else v.varValue for v in variables])
        obj = pulp.value(prob.objective)
        improvement = None
        if not mip and status is Status.optimal:
            # CBC reports d(objective in its own sense)/d(rhs): improvement is that for a
            # maximisation and its negative for a minimisation
            sign = 1.0 if lm.maximise else -1.0
            improvement = np.zeros(len(lm.row_names))
            for i, c in constraints:
                if c.pi is not None:
                    improvement[i] = sign * float(c.pi)
        return RawSolution(status, True, values, None if obj is None else float(obj), None, None,
                           improvement)



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
    """Which solver and with what limits; makes solver engines (:meth:`engine`).

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
            raise InputError.keyed("portfolio.solver_unknown", "solver", allowed=", ".join(map(repr, SOLVERS)),
                                   value=repr(self.name))
        if name == "cbc" and not cbc_available():
            raise InputError.keyed("portfolio.solver_cbc_missing", "solver")
        object.__setattr__(self, "name", name)
        if self.time_limit is not None and not (float(self.time_limit) > 0):
            raise InputError.keyed("portfolio.time_limit_invalid", "time_limit", value=repr(self.time_limit))
        if self.gap is not None and not (0 <= float(self.gap) < 1):
            raise InputError.keyed("portfolio.gap_out_of_range", "gap", value=repr(self.gap))

    @property
    def version(self) -> str:
        """Solver name and version, e.g. ``"HiGHS 1.16.0"``."""
        return _highs_version() if self.name == "highs" else _cbc_version()

    @property
    def reuses_model(self) -> bool:
        """True when re-solves reuse the solver's model (HiGHS); CBC is given the model anew."""
        return self.name == "highs"

    def engine(self):
        """A solver engine for one kept model: :class:`HighsEngine` or :class:`CbcEngine`."""
        return HighsEngine(self) if self.name == "highs" else CbcEngine(self)
