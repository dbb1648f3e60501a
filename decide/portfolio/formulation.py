"""The mixed-integer programme as arrays, built once and re-solved.

:class:`Formulation` emits the model of a :class:`Problem` as arrays: a sparse constraint
matrix (``scipy.sparse`` CSR, one row per constraint), row lower/upper bounds, column bounds,
the objective, integrality, and named row groups (one per rule), so that a rule's rows are
found by name (:meth:`Formulation.rows_of`). A solver back-end (HiGHS through highspy, CBC
through PuLP's public API; :mod:`decide.portfolio.backends`) receives these arrays; a re-solve
pushes only what changed (bounds, costs, coefficients, added rows).

Columns (in this order)
-----------------------
``S``    continuous in [0, total supplier spend]: the chosen portfolio's supplier spend
         (only when a share rule is active). With it every share rule is one sparse row
         instead of a dense row over all options.
``e_*``  bounded slack of an elastic row (elastic variant only).
``x_i``  binary: option i is chosen.
``y_k``  binary: supplier k is used (only with ``min_suppliers``).
``z_g``  binary: rule group g is relaxed (elastic variant only).

Rows (one group per rule; a group can be switched off without rebuilding)
-------------------------------------------------------------------------
cover          one row per module: sum of the options covering it ``= 1`` (required) or
               ``<= 1`` (optional, group ``cover_optional``). A suite covering several modules
               excludes the modular options for those modules by construction.
budget         sum tco_i x_i <= budget (always present; without a budget its limit is the
               total TCO, so the frontier can move it).
yearly_budget  sum cashflow_{i,t} x_i <= cap_t for each capped year.
supplier_spend S - sum_{i in the share base} spend_i x_i = 0 (all options, or only those
               with a supplier: ``Rules.share_base``).
max_supplier_share  per supplier k: sum_{i of k} spend_i x_i - s S <= 0.
supplier_link  y_k - sum_{i of k} x_i <= 0 per supplier;  min_suppliers  sum_k y_k >= K.
min_sme_share  sum_{i of an SME} spend_i x_i - share S >= 0.
max_lots_per_supplier  per supplier k: sum_{i of k} lots_i x_i <= L.
max_exit_cost  sum exit_i x_i <= cap.
min_value      sum value_i x_i >= min_value (objective "cost").
requires       x_a - x_b <= 0.        excludes       x_a + x_b <= 1.
pin / ban      column bounds (x = 1 / x = 0), so scenarios change bounds only.

In the *elastic* variant (infeasibility analysis) every rule, budget, required-cover and pin
row gets a bounded slack column and each group an indicator ``z_g`` (``sum slack <= M z_g``,
group ``indicator``).

Scaling
-------
Money rows (budget, yearly caps, supplier spend and shares, exit cost) are divided by
:attr:`Formulation.money_scale`, a power of ten that brings the largest money coefficient to
between 1 and 10 (1 when money is below 10 000), and the ``S`` column (and the slack of a money
row) is measured in the same unit. The objective is not scaled. Every plan a solve returns is
checked against the unscaled rows (:meth:`Formulation.violated`): a row counts as violated
when its activity passes a bound by more than :data:`CHECK_TOL` times the row's magnitude
(the larger of 1, the bound and the sum of the absolute terms); the violated rows travel with
the :class:`Outcome` and the callers report them. HiGHS accepts a plan that misses a row by its
feasibility tolerance (1e-6 in the solver's unit, so up to 1e-6 x ``money_scale`` in money);
when the check finds such a plan, the same model is solved again with the tolerance in money
units (``Outcome.repaired`` names the rows the first plan missed).
"""
from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from decide.portfolio.backends import Backend
from decide.portfolio.problem import LIMITS, Problem
from decide.portfolio.status import Status

__all__ = ["Formulation", "Outcome", "LinearModel", "ELASTIC_GROUPS", "CHECK_TOL"]

#: Row groups that the elastic re-solve may relax, in report order.
ELASTIC_GROUPS = (*LIMITS, "pin", "cover")
#: Groups a caller may switch off (re-solve "without this rule").
SWITCHABLE = LIMITS
#: Row groups measured in money (scaled by ``money_scale`` inside the solver model).
MONEY_GROUPS = ("budget", "yearly_budget", "supplier_spend", "max_supplier_share",
                "min_sme_share", "max_exit_cost")
#: Relative tolerance of the check of a returned plan against the unscaled rows.
CHECK_TOL = 1e-9
#: HiGHS' MIP feasibility tolerance (default), in the solver model's units: a scaled money row
#: may be missed by this many ``money_scale`` units.
SOLVER_TOL = 1e-6
#: Row senses.
LE, GE, EQ = -1, 1, 0


def money_scale(a) -> float:
    """A power of ten that brings the largest money coefficient to [1, 10) (1 below 10 000)."""
    parts = [np.abs(a.tco), np.abs(a.spend), np.abs(a.exit_cost)]
    if a.cashflows is not None:
        parts.append(np.abs(a.cashflows).ravel())
    big = max((float(p.max()) for p in parts if p.size), default=0.0)
    if not np.isfinite(big) or big < 1e4:
        return 1.0
    return 10.0 ** math.floor(math.log10(big))


@dataclass(frozen=True)
class LinearModel:
    """One snapshot of the model as arrays (what a solver back-end receives).

    ``matrix`` is CSR (rows x columns). Bounds may be infinite. ``cost`` is the objective in
    its own sense (``maximise``). With ``scaled`` the money rows and money columns are in
    units of ``money_scale`` (see the module docstring); otherwise in the problem's currency.
    """

    matrix: sparse.csr_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    cost: np.ndarray
    integrality: np.ndarray  # bool per column
    maximise: bool
    col_names: tuple
    row_names: tuple
    groups: dict  # group -> row positions
    scaled: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one solve returned (values only when the solver holds a solution).

    ``bound`` is the solver's proven bound on the objective (HiGHS ``mip_dual_bound`` for a MIP,
    the objective itself for an LP optimum; None when unknown, e.g. with CBC). ``violated``
    names the unscaled rows the returned plan violates (see :meth:`Formulation.violated`).
    """

    status: Status
    has_solution: bool
    x: np.ndarray | None
    objective: float | None
    gap: float | None
    seconds: float
    relaxed: bool
    pi: dict = field(default_factory=dict)  # row name -> improvement per unit of rhs (LP)
    bound: float | None = None
    violated: tuple = ()
    repaired: tuple = ()  # rows the first (default-tolerance) plan violated; solved again

    @property
    def proven_optimal(self) -> bool:
        return self.status is Status.optimal


@dataclass
class _Row:
    """A row's bookkeeping (its coefficients live in the matrix)."""

    name: str
    group: str
    sense: int
    rhs: float  # the active right-hand side
    base: float  # the rule's own right-hand side
    off: float | None  # a right-hand side that can never bind (switch the row off)
    slack_bound: float = 0.0  # largest useful slack (elastic)
    index: int = -1  # supplier / year / module / option index where meaningful
    position: int = -1  # row position in the matrix
    money: bool = False  # measured in money (scaled by money_scale in the solver model)


class Formulation:
    """The array model of a :class:`Problem`, kept for re-solves.

    Parameters
    ----------
    problem : Problem
    elastic : bool
        Build the elastic variant (slack on every rule group; see module docstring).

    Notes
    -----
    Use :meth:`configure` to move the budget, switch rule groups off, or change pins and bans,
    then :meth:`solve`. With HiGHS the highspy model is passed once and only the changes are
    pushed afterwards; CBC gets the model through PuLP on every solve.
    """

    def __init__(self, problem: Problem, *, elastic: bool = False):
        t0 = time.perf_counter()
        self.problem = problem
        self.elastic = elastic
        self.a = problem.arrays
        self.money_scale = money_scale(self.a)
        self._emit()
        self._engines: dict = {}
        self._pin = np.zeros(0, dtype=np.int64)
        self._ban = np.zeros(0, dtype=np.int64)
        self.budget = problem.budget
        self.disabled: frozenset[str] = frozenset()
        self.configure(pin=() if elastic else self.a.pin, ban=self.a.ban)
        self.build_seconds = time.perf_counter() - t0

    # ------------------------------------------------------------------ building
    def _emit(self) -> None:
        """Lay out the columns and emit every row as coordinate triplets."""
        problem, a = self.problem, self.a
        n = a.n
        rules = problem.rules
        has_sup = a.supplier >= 0
        sup_members = [np.flatnonzero(a.supplier == k) for k in range(len(a.supplier_ids))]
        self.sup_members = sup_members
        in_base = has_sup if rules.share_base == "suppliers" else np.ones(n, dtype=bool)
        self.in_base = in_base
        s_max = float(a.spend[in_base].sum())
        need_s = (rules.max_supplier_share is not None or rules.min_sme_share is not None) and bool(
            has_sup.any())
        used = [k for k, m in enumerate(sup_members) if m.size] if rules.min_suppliers is not None else []

        # provisional columns: x first, then S, then y; the final order is set below
        X = np.arange(n)
        S = n if need_s else None
        ycol = {k: n + (1 if need_s else 0) + j for j, k in enumerate(used)}
        ncol0 = n + (1 if need_s else 0) + len(used)
        rows: list[_Row] = []
        R: list[np.ndarray] = []
        C: list[np.ndarray] = []
        V: list[np.ndarray] = []
        col_hi = np.ones(ncol0)
        if need_s:
            col_hi[S] = s_max

        def add(name, group, cols, vals, sense, rhs, off, *, slack_bound=None, index=-1):
            cols = np.asarray(cols, dtype=np.int64)
            vals = np.asarray(vals, dtype=float)
            if slack_bound is None:
                slack_bound = _useful_slack(vals, col_hi[cols], sense, rhs) if self.elastic else 0.0
            R.append(np.full(cols.size, len(rows), dtype=np.int64))
            C.append(cols)
            V.append(vals)
            rows.append(_Row(name, group, sense, float(rhs), float(rhs), off, float(slack_bound), index,
                             money=group in MONEY_GROUPS))

        for m, members in enumerate(a.cover_rows):
            required = bool(a.required[m])
            if members.size == 0 and not required:
                continue
            add(f"cover_{m}", "cover" if required else "cover_optional", X[members],
                np.ones(members.size), EQ if required else LE, 1.0, None, slack_bound=1.0, index=m)
        self.budget_free = float(a.tco.sum()) + 1.0
        add("budget", "budget", X, a.tco, LE,
            self.budget_free if problem.budget is None else float(problem.budget), self.budget_free)
        if problem.yearly_budget is not None and a.cashflows is not None:
            for t, cap in enumerate(problem.yearly_budget):
                if cap is None:
                    continue
                col = a.cashflows[:, t]
                nz = np.flatnonzero(col)
                add(f"year_{t}", "yearly_budget", X[nz], col[nz], LE, float(cap),
                    float(np.clip(col, 0, None).sum()) + 1.0, index=t)
        if need_s:
            idx = np.flatnonzero(in_base & (a.spend != 0))
            add("supplier_spend", "supplier_spend", np.r_[idx, S], np.r_[-a.spend[idx], 1.0],
                EQ, 0.0, None)
        if rules.max_supplier_share is not None and need_s:
            s = float(rules.max_supplier_share)
            for k, members in enumerate(sup_members):
                idx = members[a.spend[members] != 0]
                if idx.size == 0:
                    continue
                add(f"share_{k}", "max_supplier_share", np.r_[idx, S], np.r_[a.spend[idx], -s],
                    LE, 0.0, float(a.spend[idx].sum()) + 1.0, index=k)
        if rules.min_suppliers is not None:
            for k in used:
                members = sup_members[k]
                add(f"link_{k}", "supplier_link", np.r_[members, ycol[k]],
                    np.r_[-np.ones(members.size), 1.0], LE, 0.0, None, index=k)
            add("min_suppliers", "min_suppliers", [ycol[k] for k in used], np.ones(len(used)), GE,
                float(rules.min_suppliers), 0.0)
        if rules.min_sme_share is not None and need_s:
            share = float(rules.min_sme_share)
            sme_opt = has_sup & a.sme[np.where(has_sup, a.supplier, 0)] & (a.spend != 0)
            idx = np.flatnonzero(sme_opt)
            add("sme_share", "min_sme_share", np.r_[idx, S], np.r_[a.spend[idx], -share], GE, 0.0,
                -share * s_max - 1.0)
        if rules.max_lots_per_supplier is not None:
            L = float(rules.max_lots_per_supplier)
            for k, members in enumerate(sup_members):
                idx = members[a.lots[members] != 0]
                if idx.size == 0:
                    continue
                add(f"lots_{k}", "max_lots_per_supplier", idx, a.lots[idx], LE, L,
                    float(a.lots[idx].sum()) + 1.0, index=k)
        if rules.max_exit_cost is not None:
            idx = np.flatnonzero(a.exit_cost)
            add("exit_cost", "max_exit_cost", idx, a.exit_cost[idx], LE, float(rules.max_exit_cost),
                float(a.exit_cost.sum()) + 1.0)
        if problem.objective == "cost" and problem.min_value is not None:
            add("min_value", "min_value", X, a.value, GE,
                float(problem.min_value) - problem.value_offset,
                float(np.clip(a.value, None, 0).sum()) - 1.0)
        for r, (i, j) in enumerate(a.requires.tolist()):
            add(f"requires_{r}", "requires", [i, j], [1.0, -1.0], LE, 0.0, None)
        for r, (i, j) in enumerate(a.excludes.tolist()):
            add(f"excludes_{r}", "excludes", [i, j], [1.0, 1.0], LE, 1.0, None)
        if self.elastic:
            for i in a.pin.tolist():
                add(f"pin_{i}", "pin", [i], [1.0], GE, 1.0, None, slack_bound=1.0, index=i)

        # elastic slacks and indicators (provisional columns after y)
        slack_of: list[tuple[int, int]] = []  # (row, provisional column)
        z_cols: dict[str, int] = {}
        ncol = ncol0
        self.slacks: dict[str, list[tuple[int, _Row]]] = {}
        if self.elastic:
            extra_hi = []
            for r, row in enumerate(list(rows)):
                if row.group not in ELASTIC_GROUPS or row.slack_bound <= 0:
                    continue
                slack_of.append((r, ncol))
                R.append(np.array([r]))
                C.append(np.array([ncol]))
                V.append(np.array([-1.0 if row.sense == LE else 1.0]))
                extra_hi.append(row.slack_bound)
                self.slacks.setdefault(row.group, []).append((ncol, row))
                ncol += 1
            for g, items in self.slacks.items():
                z_cols[g] = ncol
                extra_hi.append(1.0)
                ncol += 1
                big = sum(row.slack_bound for _, row in items)
                cols = [c for c, _ in items] + [z_cols[g]]
                add(f"indicator_{g}", "indicator", cols, [1.0] * len(items) + [-big], LE, 0.0, None,
                    slack_bound=0.0, index=-1)
                rows[-1].money = g in MONEY_GROUPS
            col_hi = np.r_[col_hi, np.asarray(extra_hi, dtype=float)]

        # final column order: S, e_*, x_*, y_*, z_* (names sort this way)
        slack_cols = [c for _, c in slack_of]
        order = ([S] if need_s else []) + slack_cols + list(range(n)) + [ycol[k] for k in used] \
            + list(z_cols.values())
        where = np.empty(ncol, dtype=np.int64)
        where[np.asarray(order, dtype=np.int64)] = np.arange(ncol)
        width = len(str(max(n - 1, 0)))
        wy = len(str(max(len(a.supplier_ids) - 1, 0)))
        names = (["S_supplier_spend"] if need_s else []) \
            + [f"e_{j:06d}" for j in range(len(slack_cols))] \
            + [f"x_{i:0{width}d}" for i in range(n)] + [f"y_{k:0{wy}d}" for k in used] \
            + [f"z_{g}" for g in z_cols]
        self.x_cols = where[:n]
        self.S_col = int(where[S]) if need_s else None
        self.y_cols = {k: int(where[c]) for k, c in ycol.items()}
        self.z = {g: int(where[c]) for g, c in z_cols.items()}
        self.slacks = {g: [(int(where[c]), row) for c, row in items] for g, items in self.slacks.items()}
        self.col_names = tuple(names)

        nrow = len(rows)
        rr = np.concatenate(R) if R else np.zeros(0, dtype=np.int64)
        cc = where[np.concatenate(C)] if C else np.zeros(0, dtype=np.int64)
        vv = np.concatenate(V) if V else np.zeros(0)
        A = sparse.csr_matrix((vv, (rr, cc)), shape=(nrow, ncol))
        A.sum_duplicates()
        A.eliminate_zeros()
        A.sort_indices()
        self.matrix = A
        for p, row in enumerate(rows):
            row.position = p
        self.rows = rows
        self._by_name = {row.name: row for row in rows}

        # columns: bounds, integrality, cost
        self.col_lower = np.zeros(ncol)
        self.col_upper = col_hi[order] if ncol else np.zeros(0)
        integ = np.ones(ncol, dtype=bool)
        if need_s:
            integ[self.S_col] = False
        for c in self.slacks.values():
            for col, _ in c:
                integ[col] = False
        self.integrality = integ
        self.maximise = problem.objective == "value"
        self.cost = np.zeros(ncol)
        self.cost[self.x_cols] = a.value if self.maximise else a.tco
        self._rebuild_scales()

    def _rebuild_scales(self) -> None:
        s = self.money_scale
        nrow, ncol = self.matrix.shape
        rs = np.ones(nrow)
        for row in self.rows:
            if row.money:
                rs[row.position] = 1.0 / s
        cs = np.ones(ncol)  # a solver column value times cs is the value in money
        if self.S_col is not None:
            cs[self.S_col] = s
        for g, items in self.slacks.items():
            if g in MONEY_GROUPS:
                for col, _ in items:
                    cs[col] = s
        self.row_scale, self.col_scale = rs, cs

    def rows_of(self, group: str) -> np.ndarray:
        """Positions of the rows of one group (e.g. ``"max_supplier_share"``)."""
        return np.array([r.position for r in self.rows if r.group == group], dtype=np.int64)

    @property
    def groups(self) -> dict[str, np.ndarray]:
        """Row group -> row positions."""
        out: dict[str, list[int]] = {}
        for r in self.rows:
            out.setdefault(r.group, []).append(r.position)
        return {g: np.asarray(p, dtype=np.int64) for g, p in out.items()}

    def row(self, name: str) -> _Row:
        return self._by_name[name]

    # ------------------------------------------------------------------ arrays
    def _row_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        lo = np.full(len(self.rows), -np.inf)
        hi = np.full(len(self.rows), np.inf)
        for row in self.rows:
            if row.sense in (GE, EQ):
                lo[row.position] = row.rhs
            if row.sense in (LE, EQ):
                hi[row.position] = row.rhs
        return lo, hi

    def model(self, *, scaled: bool = True, relax: bool = False) -> LinearModel:
        """The current model as arrays (money rows scaled unless ``scaled=False``)."""
        lo, hi = self._row_bounds()
        A, cl, cu, cost = self.matrix, self.col_lower, self.col_upper, self.cost
        if scaled:
            rs, cs = self.row_scale, self.col_scale
            A = sparse.csr_matrix(sparse.diags(rs) @ A @ sparse.diags(cs))
            A.sort_indices()
            lo, hi = lo * rs, hi * rs
            cl, cu, cost = cl / cs, cu / cs, cost * cs
        integ = np.zeros_like(self.integrality) if relax else self.integrality.copy()
        return LinearModel(A, lo, hi, cl.copy(), cu.copy(), cost.copy(), integ, self.maximise,
                           self.col_names, tuple(r.name for r in self.rows), self.groups, scaled)

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
                row.rhs = self.budget_free if self.budget is None else float(self.budget)
                if "budget" in self.disabled:
                    row.rhs = row.off
            else:
                row.rhs = row.off if row.group in self.disabled else row.base
        if pin is not None or ban is not None:
            pin = self._pin if pin is None else np.asarray(pin, dtype=np.int64)
            ban = self._ban if ban is None else np.asarray(ban, dtype=np.int64)
            lo = np.zeros(self.a.n)
            hi = np.ones(self.a.n)
            if not self.elastic:
                lo[pin] = 1.0
            hi[ban] = 0.0
            self.col_lower[self.x_cols] = lo
            self.col_upper[self.x_cols] = hi
            self._pin, self._ban = pin, ban

    def set_rhs(self, name: str, rhs: float) -> None:
        """Set one row's right-hand side (and its base: it stays when rules are switched)."""
        row = self._by_name[name]
        row.rhs = row.base = float(rhs)

    def set_objective(self, cost: np.ndarray, maximise: bool) -> None:
        """Replace the objective: one coefficient per column (see ``col_names``)."""
        cost = np.asarray(cost, dtype=float)
        if cost.shape != self.cost.shape:
            raise ValueError(f"objective: expected {self.cost.size} coefficients, got {cost.size}")
        self.cost = cost.copy()
        self.maximise = bool(maximise)

    def option_objective(self, per_option: np.ndarray) -> np.ndarray:
        """A full objective vector with ``per_option`` on the option columns, zero elsewhere."""
        c = np.zeros(self.cost.size)
        c[self.x_cols] = per_option
        return c

    def set_col_bounds(self, cols, lower, upper) -> None:
        self.col_lower[np.asarray(cols, dtype=np.int64)] = lower
        self.col_upper[np.asarray(cols, dtype=np.int64)] = upper

    def add_cut(self, name: str, cols, coefs, sense: int, rhs: float) -> None:
        """Append a row (elastic alternatives); the HiGHS model gets it with ``addRow``."""
        row = _Row(name, "cut", sense, float(rhs), float(rhs), None, 0.0, -1, len(self.rows))
        add = sparse.csr_matrix((np.asarray(coefs, dtype=float),
                                 (np.zeros(len(cols), dtype=np.int64), np.asarray(cols, dtype=np.int64))),
                                shape=(1, self.matrix.shape[1]))
        self.matrix = sparse.vstack([self.matrix, add], format="csr")
        self.matrix.sort_indices()
        self.rows.append(row)
        self._by_name[name] = row
        self._rebuild_scales()

    def retarget(self, problem: Problem | None = None, *, value=None, tco=None,
                 integration=None) -> None:
        """Take the coefficients, bounds and objective of ``problem``, a variant of this
        formulation's problem with other numbers (e.g. sampled costs or values), or of this
        problem with other option values, TCO and integration costs (arrays by option position;
        spend = TCO - integration), keeping the solver model: the next HiGHS solve pushes only
        the changed coefficients (``changeCoeff``), bounds and costs. A variant with another
        structure (other rows or another sparsity) makes the next solve pass the whole model
        again."""
        if problem is None:
            problem = self.problem
            tco = self.a.tco if tco is None else np.asarray(tco, dtype=float)
            integration = self.a.integration if integration is None else np.asarray(integration, dtype=float)
            arrays = dataclasses.replace(
                self.a, value=self.a.value if value is None else np.asarray(value, dtype=float),
                tco=tco, integration=integration, spend=tco - integration)
        else:
            arrays = problem.arrays
        other = Formulation.__new__(Formulation)
        other.problem, other.elastic, other.a = problem, self.elastic, arrays
        other.money_scale = self.money_scale  # keep the unit of the kept solver model
        other._emit()
        self.problem, self.a = problem, other.a
        for attr in ("matrix", "rows", "_by_name", "col_lower", "col_upper", "integrality", "cost",
                     "maximise", "x_cols", "S_col", "y_cols", "z", "slacks", "col_names",
                     "sup_members", "in_base", "budget_free", "row_scale", "col_scale"):
            setattr(self, attr, getattr(other, attr))
        self.configure(budget=problem.budget, disabled=(), pin=() if self.elastic else self.a.pin,
                       ban=self.a.ban)

    # ------------------------------------------------------------------ plans
    def columns(self, x: np.ndarray) -> np.ndarray:
        """All column values (in money units) implied by a selection ``x`` of the options."""
        a = self.a
        x = np.asarray(x, dtype=float)
        v = np.zeros(self.matrix.shape[1])
        v[self.x_cols] = x
        if self.S_col is not None:
            v[self.S_col] = float(min((a.spend[self.in_base] * x[self.in_base]).sum(),
                                      self.col_upper[self.S_col]))
        for k, col in self.y_cols.items():
            v[col] = float(x[self.sup_members[k]].max() > 0.5)
        return v

    def violated(self, values: np.ndarray, *, integral: bool = True) -> tuple[str, ...]:
        """Names of the unscaled rows that column values violate (see the module docstring).

        ``values`` are all column values in money units (:meth:`columns` of a selection, or a
        solver's solution unscaled). An LP solution may also miss a scaled row by the solver's
        feasibility tolerance (1e-7 in the solver's unit), so ``integral=False`` allows that too.
        """
        lo, hi = self._row_bounds()
        A = self.matrix
        act = A @ values
        mag = np.abs(A).dot(np.abs(values))
        tol = CHECK_TOL * np.maximum.reduce([np.ones_like(act), mag,
                                             np.where(np.isfinite(lo), np.abs(lo), 0.0),
                                             np.where(np.isfinite(hi), np.abs(hi), 0.0)])
        if not integral:
            tol = tol + 1e-6 / self.row_scale
        bad = np.flatnonzero((act > hi + tol) | (act < lo - tol))
        return tuple(self.rows[i].name for i in bad.tolist())

    # ------------------------------------------------------------------ solving
    def solve(self, backend: Backend, *, relax: bool = False, warm: np.ndarray | None = None,
              gap: float | None = None) -> Outcome:
        """Solve with the current configuration.

        Parameters
        ----------
        backend : Backend
        relax : bool
            Solve the LP relaxation (x continuous in [0, 1]).
        warm : array, optional
            A selection of the options to start from (HiGHS ``setSolution``; CBC ``-mips``).
            It should be feasible for the current configuration.
        gap : float, optional
            Relative MIP gap for this solve (overrides the backend's).
        """
        t0 = time.perf_counter()
        lm = self.model(relax=relax)
        start = None
        if warm is not None:
            start = self.columns(warm) / self.col_scale
        engine = self._engines.get(backend)
        if engine is None:
            engine = self._engines[backend] = backend.engine()
        raw = engine.solve(lm, warm=start, gap=gap)
        repaired: tuple = ()
        if raw.has_solution:
            violated = self._check(raw, relax)
            if violated and self.money_scale > 1:
                # HiGHS accepted the plan within its feasibility tolerance on a scaled money
                # row (1e-6 of money_scale): solve again with that tolerance in money units
                repaired = violated
                raw = engine.solve(lm, warm=start, gap=gap,
                                   tolerance=SOLVER_TOL / self.money_scale)
        seconds = time.perf_counter() - t0
        if not raw.has_solution:
            return Outcome(raw.status, False, None, None, None, seconds, relax, bound=raw.bound,
                           repaired=repaired)
        violated = self._check(raw, relax)
        values = self.last_values
        x = np.clip(values[self.x_cols], 0.0, 1.0)
        pi = {}
        if relax and raw.status is Status.optimal and raw.row_improvement is not None:
            p = self._by_name["budget"].position
            pi = {"budget": float(raw.row_improvement[p] * self.row_scale[p])}
        return Outcome(raw.status, True, x, raw.objective, None if relax else raw.gap, seconds,
                       relax, pi, raw.bound, violated, repaired)

    def _check(self, raw, relax: bool) -> tuple[str, ...]:
        """The unscaled rows a solver's plan violates (a MIP plan rounded to 0/1 first)."""
        values = raw.col_value * self.col_scale
        self.last_values = values
        x = np.clip(values[self.x_cols], 0.0, 1.0)
        if relax:
            check = values
        elif self.elastic:
            check = values.copy()
            check[self.x_cols] = (x > 0.5).astype(float)
        else:
            check = self.columns((x > 0.5).astype(float))
        return self.violated(check, integral=not relax)

    def values(self, cols) -> np.ndarray:
        """Solution values (money units) of some columns after a solve with a solution."""
        return np.asarray(self.last_values)[np.asarray(cols, dtype=np.int64)]


def _useful_slack(vals: np.ndarray, hi: np.ndarray, sense: int, rhs: float) -> float:
    """Largest violation of a row over the column box [0, hi]: a bound for its elastic slack."""
    a, b = np.zeros_like(vals), vals * hi
    lo_sum = float(np.minimum(a, b).sum())
    hi_sum = float(np.maximum(a, b).sum())
    if sense == LE:
        return max(0.0, hi_sum - rhs)
    if sense == GE:
        return max(0.0, rhs - lo_sum)
    return max(0.0, hi_sum - rhs, rhs - lo_sum)
