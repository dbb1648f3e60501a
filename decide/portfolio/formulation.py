"""The mixed-integer programme, written with PuLP (4.0-style API), built once and re-solved.

Variables
---------
``x_i``  binary: option i is chosen.
``S``    continuous in [0, total supplier spend]: the chosen portfolio's supplier spend
         (only when a share rule is active). With it every share rule is one sparse row
         instead of a dense row over all options (the same bound, 200x fewer non-zeros on
         the large benchmark).
``y_k``  binary: supplier k is used (only with ``min_suppliers``).

Rows (one group per rule; a group can be switched off without rebuilding)
-------------------------------------------------------------------------
cover          one row per module: sum of the options covering it ``= 1`` (required) or
               ``<= 1`` (optional). A suite covering several modules excludes the modular
               options for those modules by construction; never pairwise exclusions.
budget         sum tco_i x_i <= budget (always present; without a budget its limit is the
               total TCO, so the frontier can move it).
yearly_budget  sum cashflow_{i,t} x_i <= cap_t for each capped year.
supplier_spend S - sum_{i in the share base} spend_i x_i = 0 (all options, or only those
               with a supplier: ``Rules.share_base``).
max_supplier_share  per supplier k: sum_{i of k} spend_i x_i - s S <= 0.
min_suppliers  y_k - sum_{i of k} x_i <= 0 per supplier (links), and sum_k y_k >= K.
min_sme_share  sum_{i of an SME} spend_i x_i - share S >= 0.
max_lots_per_supplier  per supplier k: sum_{i of k} lots_i x_i <= L (lots = modules covered;
               without modules every option is one lot).
max_exit_cost  sum exit_i x_i <= cap.
min_value      sum value_i x_i >= min_value (objective "cost").
requires       x_a - x_b <= 0.        excludes       x_a + x_b <= 1.
pin / ban      column bounds (x = 1 / x = 0), so scenarios change bounds only.

In the *elastic* variant (infeasibility analysis) every rule, budget, required-cover and pin
row gets a bounded slack column and each group an indicator ``z_g`` (``sum slack <= M z_g``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pulp
from pulp import const

from decide.portfolio.backends import Backend, highs_has_solution, highs_status
from decide.portfolio.problem import LIMITS, Problem
from decide.portfolio.status import Status

__all__ = ["Formulation", "Outcome", "ELASTIC_GROUPS"]

#: Row groups that the elastic re-solve may relax, in report order.
ELASTIC_GROUPS = (*LIMITS, "pin", "cover")
#: Groups a caller may switch off (re-solve "without this rule").
SWITCHABLE = LIMITS

LE, GE, EQ = const.LpConstraintLE, const.LpConstraintGE, const.LpConstraintEQ


@dataclass
class _Row:
    name: str
    group: str
    constraint: pulp.LpConstraint
    rhs: float  # the active right-hand side
    off: float | None  # a right-hand side that can never bind (switch the row off)
    slack_bound: float = 0.0  # largest useful slack (elastic)
    index: int = -1  # supplier / year / module index where meaningful


@dataclass(frozen=True)
class Outcome:
    """What one solve returned (values only when the solver holds a solution)."""

    status: Status
    has_solution: bool
    x: np.ndarray | None
    objective: float | None
    gap: float | None
    seconds: float
    relaxed: bool
    pi: dict = field(default_factory=dict)  # row name -> raw solver dual (LP solves)

    @property
    def proven_optimal(self) -> bool:
        return self.status is Status.optimal


class Formulation:
    """The PuLP model of a :class:`Problem`, kept for re-solves.

    Parameters
    ----------
    problem : Problem
    elastic : bool
        Build the elastic variant (slack on every rule group; see module docstring).

    Notes
    -----
    Use :meth:`configure` to move the budget, switch rule groups off, or change pins and bans,
    then :meth:`solve`. With HiGHS the highspy model is built on the first solve and only the
    changes are pushed afterwards.
    """

    def __init__(self, problem: Problem, *, elastic: bool = False):
        t0 = time.perf_counter()
        self.problem = problem
        self.elastic = elastic
        a = problem.arrays
        self.a = a
        sense = const.LpMaximize if problem.objective == "value" else const.LpMinimize
        prob = pulp.LpProblem("decide_portfolio", sense)
        n = a.n
        width = len(str(max(n - 1, 0)))
        keys = [f"{i:0{width}d}" for i in range(n)]
        xd = prob.add_variable_dict("x", keys, 0, 1, const.LpBinary)
        self.x: list[pulp.LpVariable] = [xd[k] for k in keys]
        self.rows: list[_Row] = []
        self.slacks: dict[str, list[tuple[pulp.LpVariable, _Row]]] = {}
        self.z: dict[str, pulp.LpVariable] = {}
        self._pin_rows: dict[int, _Row] = {}

        rules = problem.rules
        has_sup = a.supplier >= 0
        sup_members = [np.flatnonzero(a.supplier == k) for k in range(len(a.supplier_ids))]
        self.sup_members = sup_members
        in_base = has_sup if rules.share_base == "suppliers" else np.ones(n, dtype=bool)
        self.in_base = in_base
        s_max = float(a.spend[in_base].sum())
        need_s = (rules.max_supplier_share is not None or rules.min_sme_share is not None) and bool(
            has_sup.any()
        )
        self.S = prob.add_variable("S_supplier_spend", 0, s_max) if need_s else None
        self.y: dict[int, pulp.LpVariable] = {}
        if rules.min_suppliers is not None:
            used = [k for k, m in enumerate(sup_members) if m.size]
            wy = len(str(max(len(a.supplier_ids) - 1, 0)))
            yd = prob.add_variable_dict("y", [f"{k:0{wy}d}" for k in used], 0, 1, const.LpBinary)
            self.y = {k: yd[f"{k:0{wy}d}"] for k in used}

        X = self.x
        add = self._add_row

        def expr(idx: np.ndarray, coef: np.ndarray) -> pulp.LpAffineExpression:
            return pulp.LpAffineExpression(zip([X[i] for i in idx.tolist()], coef.tolist()))

        # objective: all options appear (zero coefficients kept) so PuLP adds no dummy
        obj_coef = a.value if problem.objective == "value" else a.tco
        prob.setObjective(pulp.LpAffineExpression(zip(X, obj_coef.tolist())))

        # cover: one row per module
        for m, members in enumerate(a.cover_rows):
            required = bool(a.required[m])
            if members.size == 0 and not required:
                continue
            e = expr(members, np.ones(members.size))
            add(f"cover_{m}", "cover" if required else "cover_optional", e,
                EQ if required else LE, 1.0, None, slack_bound=1.0, index=m)

        # budget (always present so that the frontier can move it)
        all_idx = np.arange(n)
        tco_total = float(a.tco.sum())
        self.budget_free = tco_total + 1.0
        add("budget", "budget", expr(all_idx, a.tco), LE,
            self.budget_free if problem.budget is None else float(problem.budget),
            self.budget_free)

        # per-year caps
        if problem.yearly_budget is not None and a.cashflows is not None:
            for t, cap in enumerate(problem.yearly_budget):
                if cap is None:
                    continue
                col = a.cashflows[:, t]
                nz = np.flatnonzero(col)
                add(f"year_{t}", "yearly_budget", expr(nz, col[nz]), LE, float(cap),
                    float(np.clip(col, 0, None).sum()) + 1.0, index=t)

        # supplier spend and shares
        if self.S is not None:
            idx = np.flatnonzero(in_base & (a.spend != 0))
            e = expr(idx, -a.spend[idx])
            e.addterm(self.S, 1.0)
            add("supplier_spend", "supplier_spend", e, EQ, 0.0, None)
        if rules.max_supplier_share is not None and self.S is not None:
            s = float(rules.max_supplier_share)
            for k, members in enumerate(sup_members):
                idx = members[a.spend[members] != 0]
                if idx.size == 0:
                    continue
                e = expr(idx, a.spend[idx])
                e.addterm(self.S, -s)
                add(f"share_{k}", "max_supplier_share", e, LE, 0.0,
                    float(a.spend[idx].sum()) + 1.0, index=k)
        if rules.min_suppliers is not None:
            for k, yk in self.y.items():
                members = sup_members[k]
                e = expr(members, -np.ones(members.size))
                e.addterm(yk, 1.0)
                add(f"link_{k}", "supplier_link", e, LE, 0.0, None, index=k)
            e = pulp.LpAffineExpression(zip(self.y.values(), [1.0] * len(self.y)))
            add("min_suppliers", "min_suppliers", e, GE, float(rules.min_suppliers), 0.0)
        if rules.min_sme_share is not None and self.S is not None:
            share = float(rules.min_sme_share)
            sme_opt = has_sup & a.sme[np.where(has_sup, a.supplier, 0)] & (a.spend != 0)
            idx = np.flatnonzero(sme_opt)
            e = expr(idx, a.spend[idx])
            e.addterm(self.S, -share)
            add("sme_share", "min_sme_share", e, GE, 0.0, -share * s_max - 1.0)
        if rules.max_lots_per_supplier is not None:
            L = float(rules.max_lots_per_supplier)
            for k, members in enumerate(sup_members):
                idx = members[a.lots[members] != 0]
                if idx.size == 0:
                    continue
                add(f"lots_{k}", "max_lots_per_supplier", expr(idx, a.lots[idx]), LE, L,
                    float(a.lots[idx].sum()) + 1.0, index=k)
        if rules.max_exit_cost is not None:
            idx = np.flatnonzero(a.exit_cost)
            add("exit_cost", "max_exit_cost", expr(idx, a.exit_cost[idx]), LE,
                float(rules.max_exit_cost), float(a.exit_cost.sum()) + 1.0)
        if problem.objective == "cost" and problem.min_value is not None:
            add("min_value", "min_value", expr(all_idx, a.value), GE,
                float(problem.min_value) - problem.value_offset,
                float(np.clip(a.value, None, 0).sum()) - 1.0)

        # option logic
        for r, (i, j) in enumerate(a.requires.tolist()):
            e = pulp.LpAffineExpression([(X[i], 1.0), (X[j], -1.0)])
            add(f"requires_{r}", "requires", e, LE, 0.0, None)
        for r, (i, j) in enumerate(a.excludes.tolist()):
            e = pulp.LpAffineExpression([(X[i], 1.0), (X[j], 1.0)])
            add(f"excludes_{r}", "excludes", e, LE, 1.0, None)

        if elastic:
            for i in a.pin.tolist():
                row = add(f"pin_{i}", "pin", pulp.LpAffineExpression([(X[i], 1.0)]), GE, 1.0,
                          None, slack_bound=1.0, index=i)
                self._pin_rows[i] = row
            self._add_elastic(prob)

        self.prob = prob
        self._pin = np.zeros(0, dtype=np.int64)
        self._ban = np.zeros(0, dtype=np.int64)
        self.budget = problem.budget
        self.disabled: frozenset[str] = frozenset()
        self._solvers: dict = {}
        self._built_for = None
        self.configure(pin=() if elastic else a.pin, ban=a.ban)
        self.build_seconds = time.perf_counter() - t0

    # ------------------------------------------------------------------ building
    def _add_row(self, name, group, e, sense, rhs, off, *, slack_bound=None, index=-1) -> _Row:
        c = pulp.LpConstraint(e, sense, name, rhs)
        if slack_bound is None:  # only the elastic variant needs slack bounds
            slack_bound = self._useful_slack(e, sense, rhs) if self.elastic else 0.0
        row = _Row(name, group, c, float(rhs), off, float(slack_bound), index)
        self.rows.append(row)
        self._pending = getattr(self, "_pending", [])
        self._pending.append(row)
        return row

    def _useful_slack(self, e, sense, rhs) -> float:
        """Largest violation of a row over the variable box: a bound for its elastic slack."""
        lo = hi = 0.0
        for v, c in e.items():
            vl = 0.0 if v.lowBound is None else v.lowBound
            vu = v.upBound if v.upBound is not None else 0.0
            a, b = c * vl, c * vu
            lo += min(a, b)
            hi += max(a, b)
        if sense == LE:
            return max(0.0, hi - rhs)
        if sense == GE:
            return max(0.0, rhs - lo)
        return max(0.0, hi - rhs, rhs - lo)

    def _add_elastic(self, prob) -> None:
        """Add a bounded slack to every elastic row and an indicator per group."""
        counter = 0
        for row in self.rows:
            if row.group not in ELASTIC_GROUPS or row.slack_bound <= 0:
                continue
            e_var = prob.add_variable(f"e_{counter:06d}", 0, row.slack_bound)
            counter += 1
            sign = -1.0 if row.constraint.sense == LE else 1.0
            row.constraint.expr.addterm(e_var, sign)
            self.slacks.setdefault(row.group, []).append((e_var, row))
        for g, items in self.slacks.items():
            z = prob.add_variable(f"z_{g}", 0, 1, const.LpBinary)
            self.z[g] = z
            big = sum(r.slack_bound for _, r in items)
            e = pulp.LpAffineExpression([(v, 1.0) for v, _ in items] + [(z, -big)])
            self._add_row(f"indicator_{g}", "indicator", e, LE, 0.0, None, slack_bound=0.0)

    def _flush(self) -> None:
        for row in getattr(self, "_pending", []):
            self.prob.addConstraint(row.constraint, row.name)
        self._pending = []

    # ------------------------------------------------------------------ parameters
    def configure(self, *, budget=..., disabled=None, pin=None, ban=None) -> None:
        """Set the budget, the switched-off rule groups, and the pinned and banned options.

        Parameters
        ----------
        budget : float or None, optional
            New budget (None: no budget). Omitted: unchanged.
        disabled : iterable of str, optional
            Rule groups (see ``SWITCHABLE``) to switch off; replaces the previous set.
        pin, ban : sequence of option positions, optional
            Replace the pinned / banned options (column bounds).
        """
        self._flush()
        if budget is not ...:
            self.budget = budget
        if disabled is not None:
            bad = set(disabled) - set(SWITCHABLE)
            if bad:
                raise ValueError(f"cannot switch off {sorted(bad)}; switchable: {SWITCHABLE}")
            self.disabled = frozenset(disabled)
        for row in self.rows:
            if row.off is None:
                continue
            if row.group == "budget":
                rhs = self.budget_free if self.budget is None else float(self.budget)
                if "budget" in self.disabled:
                    rhs = row.off
            else:
                rhs = row.off if row.group in self.disabled else row.rhs
            if -row.constraint.constant != rhs:
                row.constraint.changeRHS(rhs)
        if pin is not None or ban is not None:
            pin = self._pin if pin is None else np.asarray(pin, dtype=np.int64)
            ban = self._ban if ban is None else np.asarray(ban, dtype=np.int64)
            lo = np.zeros(len(self.x))
            hi = np.ones(len(self.x))
            if not self.elastic:
                lo[pin] = 1.0
            hi[ban] = 0.0
            for i in np.flatnonzero(
                (lo != [v.lowBound for v in self.x]) | (hi != [v.upBound for v in self.x])
            ).tolist():
                self.x[i].lowBound = float(lo[i])
                self.x[i].upBound = float(hi[i])
            self._pin, self._ban = pin, ban

    # ------------------------------------------------------------------ solving
    def set_objective(self, coefs: dict, sense: int) -> None:
        """Replace the objective (elastic phases)."""
        self._flush()
        self.prob.sense = sense
        self.prob.setObjective(pulp.LpAffineExpression(list(coefs.items())))

    def add_cut(self, name: str, e: pulp.LpAffineExpression, sense: int, rhs: float) -> None:
        """Add a row (elastic alternatives); the next solve rebuilds the solver model."""
        self._add_row(name, "cut", e, sense, rhs, None, slack_bound=0.0)
        self._flush()

    def _warm(self, x: np.ndarray) -> None:
        a = self.a
        for v, val in zip(self.x, np.asarray(x, dtype=float).tolist()):
            v.varValue = val
        if self.S is not None:
            has = self.in_base
            self.S.varValue = float(min((a.spend[has] * np.asarray(x)[has]).sum(), self.S.upBound))
        for k, yk in self.y.items():
            yk.varValue = float(np.asarray(x)[self.sup_members[k]].max() > 0.5)

    def solve(self, backend: Backend, *, relax: bool = False, warm: np.ndarray | None = None,
              gap: float | None = None) -> Outcome:
        """Solve with the current configuration.

        Parameters
        ----------
        backend : Backend
        relax : bool
            Solve the LP relaxation (x continuous in [0, 1]).
        warm : array, optional
            A selection to start from (HiGHS ``setSolution``; CBC ``-mips``). It should be
            feasible for the current configuration.
        gap : float, optional
            Relative MIP gap for this solve (overrides the backend's).
        """
        self._flush()
        t0 = time.perf_counter()
        if warm is not None:
            self._warm(warm)
        prob = self.prob
        if backend.reuses_model:
            key = (backend, gap)
            solver = self._solvers.get(key)
            if solver is None:
                solver = self._solvers[key] = backend.make(gap=gap)
            solver.mip = not relax
            solver.warmStart = warm is not None
            if self._built_for is not None and prob.solverModel is not None:
                solver.actualResolve(prob)
            else:
                prob.solve(solver)
            self._built_for = solver
            h = prob.solverModel
            status = highs_status(h)
            has = status is Status.optimal or (
                status is Status.time_limit and not relax and highs_has_solution(h)
            )
            info = h.getInfo()
            mip_gap = float(info.mip_gap) if (not relax and has) else None
        else:
            solver = backend.make(mip=not relax, warm=warm is not None, gap=gap)
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
            mip_gap = None
        seconds = time.perf_counter() - t0
        if not has:
            return Outcome(status, False, None, None, None, seconds, relax)
        x = np.array([v.varValue if v.varValue is not None else 0.0 for v in self.x], dtype=float)
        x = np.clip(x, 0.0, 1.0)
        obj = pulp.value(prob.objective)
        pi = {}
        if relax and status is Status.optimal:
            pi = {r.name: r.constraint.pi for r in self.rows if r.group == "budget"}
        return Outcome(status, True, x, None if obj is None else float(obj), mip_gap, seconds,
                       relax, pi)

    def values(self, variables) -> np.ndarray:
        """Current solution values of some PuLP variables (after a solve with a solution)."""
        return np.array([0.0 if v.varValue is None else v.varValue for v in variables])

    def row(self, name: str) -> _Row:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(name)
