"""What a selection amounts to, computed from the problem's arrays (never from the solver).

Pure numpy kernels: :func:`measure` sums a selection (0/1, or fractional for the LP
relaxation); :func:`rule_table` compares it with every active limit; :func:`violations` checks
it against the whole model (used to verify what a solver returns).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from decide.portfolio.problem import LIMITS, Problem

__all__ = ["Measures", "measure", "rule_table", "violations", "RULE_ORDER"]

#: Rows of the rule table, in order.
RULE_ORDER = LIMITS

_REL_TOL = 1e-6


def _tol(*scales: float) -> float:
    return _REL_TOL * max([1.0] + [abs(float(s)) for s in scales])


@dataclass(frozen=True)
class Measures:
    """Sums over a selection ``x`` (per option, 0..1)."""

    x: np.ndarray
    value: float
    tco: float
    integration: float
    supplier_spend: float  # spend with any supplier (in-house builds excluded)
    sme_spend: float
    share_base: float  # what shares are measured against (Rules.share_base)
    exit_cost: float
    spend_by_supplier: np.ndarray  # per supplier
    lots_by_supplier: np.ndarray  # per supplier
    suppliers_used: int
    yearly: np.ndarray | None  # per year
    cover: np.ndarray  # per module: how often covered

    @property
    def sme_share(self) -> float:
        """SME spend / the share base (NaN when the base is empty)."""
        return self.sme_spend / self.share_base if self.share_base > 0 else float("nan")

    @property
    def largest_share(self) -> float:
        """The largest supplier's share of the share base (NaN when the base is empty)."""
        if self.share_base <= 0 or self.spend_by_supplier.size == 0:
            return float("nan")
        return float(self.spend_by_supplier.max() / self.share_base)


def measure(problem: Problem, x: np.ndarray) -> Measures:
    """Sum a selection; ``x`` is a 0/1 (or fractional) array over the options."""
    a = problem.arrays
    x = np.asarray(x, dtype=float)
    has = a.supplier >= 0
    nsup = len(a.supplier_ids)
    spend_x = a.spend * x
    by_sup = np.bincount(a.supplier[has], weights=spend_x[has], minlength=nsup)
    lots = np.bincount(a.supplier[has], weights=(a.lots * x)[has], minlength=nsup)
    used_w = np.bincount(a.supplier[has], weights=x[has], minlength=nsup)
    sme_mask = np.zeros(a.n, dtype=bool)
    sme_mask[has] = a.sme[a.supplier[has]]
    cover = np.array([x[m].sum() for m in a.cover_rows], dtype=float)
    supplier_spend = float(spend_x[has].sum())
    base = float(spend_x.sum()) if problem.rules.share_base == "options" else supplier_spend
    return Measures(
        x=x,
        value=float(a.value @ x) + problem.value_offset,
        tco=float(a.tco @ x),
        integration=float(a.integration @ x),
        supplier_spend=supplier_spend,
        sme_spend=float(spend_x[sme_mask].sum()),
        share_base=base,
        exit_cost=float(a.exit_cost @ x),
        spend_by_supplier=by_sup,
        lots_by_supplier=lots,
        suppliers_used=int((used_w > 1e-9).sum()),
        yearly=None if a.cashflows is None else a.cashflows.T @ x,
        cover=cover,
    )


def rule_table(problem: Problem, m: Measures, *, budget=..., disabled=()) -> pd.DataFrame:
    """Every active limit against the selection: limit, actual, slack, binding.

    Slack is in the limit's own unit: money for budget, shares (in euros of spend), exit cost;
    a count for suppliers and lots; value units for ``min_value``. A share rule is never
    *binding* while nothing is bought from a supplier (0 <= s x 0 holds trivially).
    ``binding`` means tight: the selection sits exactly on the limit.
    """
    a = problem.arrays
    rules = problem.rules
    budget = problem.budget if budget is ... else budget
    rows = []

    def add(name, limit, actual, slack, binding, unit, detail=""):
        rows.append(
            dict(rule=name, limit=limit, actual=actual, slack=slack, binding=bool(binding),
                 unit=unit, detail=detail)
        )

    if budget is not None and "budget" not in disabled:
        slack = budget - m.tco
        add("budget", budget, m.tco, slack, abs(slack) <= _tol(budget), "money")
    if problem.yearly_budget is not None and m.yearly is not None and "yearly_budget" not in disabled:
        best = None
        for t, cap in enumerate(problem.yearly_budget):
            if cap is None:
                continue
            slack = cap - m.yearly[t]
            if best is None or slack < best[2]:
                best = (cap, m.yearly[t], slack, t)
        if best is not None:
            cap, act, slack, t = best
            add("yearly_budget", cap, act, slack, abs(slack) <= _tol(cap), "money", f"year {t}")
    S = m.share_base
    if rules.max_supplier_share is not None and "max_supplier_share" not in disabled:
        s = rules.max_supplier_share
        if m.spend_by_supplier.size and S > 0:
            k = int(np.argmax(m.spend_by_supplier))
            slack = s * S - m.spend_by_supplier[k]
            add("max_supplier_share", s, m.largest_share, slack, abs(slack) <= _tol(S), "share",
                str(a.supplier_ids[k]))
        else:
            add("max_supplier_share", s, float("nan"), float("nan"), False, "share")
    if rules.min_suppliers is not None and "min_suppliers" not in disabled:
        K = rules.min_suppliers
        add("min_suppliers", K, m.suppliers_used, m.suppliers_used - K,
            m.suppliers_used == K and K > 0, "count")
    if rules.min_sme_share is not None and "min_sme_share" not in disabled:
        share = rules.min_sme_share
        if S > 0:
            slack = m.sme_spend - share * S
            add("min_sme_share", share, m.sme_share, slack, abs(slack) <= _tol(S) and share > 0,
                "share")
        else:
            add("min_sme_share", share, float("nan"), float("nan"), False, "share")
    if rules.max_lots_per_supplier is not None and "max_lots_per_supplier" not in disabled:
        L = rules.max_lots_per_supplier
        most = float(m.lots_by_supplier.max()) if m.lots_by_supplier.size else 0.0
        detail = str(a.supplier_ids[int(np.argmax(m.lots_by_supplier))]) if m.lots_by_supplier.size else ""
        add("max_lots_per_supplier", L, most, L - most, abs(L - most) <= 1e-6 and most > 0,
            "count", detail)
    if rules.max_exit_cost is not None and "max_exit_cost" not in disabled:
        cap = rules.max_exit_cost
        slack = cap - m.exit_cost
        add("max_exit_cost", cap, m.exit_cost, slack, abs(slack) <= _tol(cap), "money")
    # pinned and banned options are column bounds: the selection always sits on them, so they are
    # never counted as tight; what they do shows in their price (the verdict)
    for name, ids in (("pin", problem.pin), ("ban", problem.ban)):
        if ids and name not in disabled:
            pos = a.pin if name == "pin" else a.ban
            held = int(np.sum(m.x[pos] > 0.5)) if name == "pin" else int(np.sum(m.x[pos] < 0.5))
            add(name, len(ids), held, held - len(ids), False, "count", ", ".join(map(str, ids)))
    if problem.objective == "cost" and problem.min_value is not None and "min_value" not in disabled:
        mv = problem.min_value
        slack = m.value - mv
        add("min_value", mv, m.value, slack, abs(slack) <= _tol(mv), "value")
    df = pd.DataFrame(rows, columns=["rule", "limit", "actual", "slack", "binding", "unit", "detail"])
    return df.set_index("rule")


def violations(
    problem: Problem,
    x: np.ndarray,
    *,
    budget=...,
    disabled=(),
    pin=None,
    ban=None,
) -> list[str]:
    """Names of the model rows a 0/1 selection violates (empty when feasible)."""
    a = problem.arrays
    x = np.asarray(x, dtype=float)
    m = measure(problem, x)
    out: list[str] = []
    pin = a.pin if pin is None else np.asarray(pin, dtype=np.int64)
    ban = a.ban if ban is None else np.asarray(ban, dtype=np.int64)
    for k, cov in enumerate(m.cover):
        if a.required[k] and abs(cov - 1) > 1e-6:
            out.append(f"cover:{a.module_ids[k]}")
        elif not a.required[k] and cov > 1 + 1e-6:
            out.append(f"cover:{a.module_ids[k]}")
    if pin.size and (x[pin] < 1 - 1e-6).any():
        out.append("pin")
    if ban.size and (x[ban] > 1e-6).any():
        out.append("ban")
    if a.requires.size and (x[a.requires[:, 0]] > x[a.requires[:, 1]] + 1e-6).any():
        out.append("requires")
    if a.excludes.size and (x[a.excludes[:, 0]] + x[a.excludes[:, 1]] > 1 + 1e-6).any():
        out.append("excludes")
    table = rule_table(problem, m, budget=budget, disabled=disabled)
    for name, row in table.iterrows():
        slack = row["slack"]
        if name in ("pin", "ban"):
            continue  # checked as bounds above
        if name in ("max_supplier_share", "min_sme_share"):
            if not np.isnan(slack) and slack < -_tol(m.share_base):
                out.append(name)
            continue
        if name == "yearly_budget":
            for t, cap in enumerate(problem.yearly_budget):
                if cap is not None and m.yearly[t] > cap + _tol(cap):
                    out.append(f"yearly_budget:{t}")
            continue
        if slack < -_tol(row["limit"]):
            out.append(name)
    return out
