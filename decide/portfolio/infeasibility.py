"""Infeasibility explained in procurement terms.

Three layers, cheapest first:

1. :func:`prechecks` - proofs that need no solver (a required module no allowed option
   covers; pinned options that collide; ``min_suppliers`` above the number of suppliers with
   an option that fits the budget, or above the number of modules). When one fires the model
   is infeasible and is not solved at all.
2. :func:`cheapest_cover` - a min-cost solve of the cover alone (required modules, pins,
   bans, requires/excludes): "the budget is 120 000 short of the cheapest portfolio that covers
   every required module".
3. :func:`elastic` - the elastic re-solve: every rule group (budget, yearly caps, each
   diversity rule, min_value, pins, required modules) gets a bounded, penalised slack and an
   indicator. Phase 1 minimises the weighted number of groups that must give (rules and
   budget weigh 1, a pin 2, dropping a required module 3: scope is the last thing to give);
   phase 2 fixes that set and minimises how far each must give (relative to its limit). Up
   to three alternative sets of the same minimal weight are reported ("either raise the
   budget by 40 000, or lower min_suppliers to 2").

Findings are structured (:class:`Finding`: a stable ``code``, raw ``params``, the ``rules``
concerned) and worded in Dutch or English by :meth:`Finding.text` from
``decide/messages/portfolio.yaml``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from decide.i18n import fmt_money, fmt_number, fmt_pct, t
from decide.portfolio.backends import Backend
from decide.portfolio.evaluate import measure
from decide.portfolio.formulation import LE, Formulation
from decide.portfolio.problem import Problem, Rules
from decide.portfolio.status import Status

__all__ = ["Finding", "prechecks", "cheapest_cover", "elastic", "explain", "format_explanation"]

_MAX_ALTERNATIVES = 3
_GROUP_WEIGHT = {"cover": 3.0, "pin": 2.0}


@dataclass(frozen=True)
class Finding:
    """One reason (or one way out) of an infeasible portfolio problem.

    Attributes
    ----------
    code : str
        Stable identifier (tests and scripts match it); also the message key.
    params : dict
        Raw values (amounts, shares, ids) the text is built from.
    kinds : dict
        How to format each parameter: ``money``, ``pct``, ``count``, ``number`` or ``text``.
    rules : tuple of str
        The rule groups concerned (``budget``, ``min_suppliers``, ``cover``, ...).
    alternative : int or None
        For relaxation findings: which alternative (1-based) the finding belongs to.
    currency : str
    """

    code: str
    params: dict = field(default_factory=dict)
    kinds: dict = field(default_factory=dict)
    rules: tuple = ()
    alternative: int | None = None
    currency: str = "EUR"

    def text(self, lang: str = "en") -> str:
        """The finding as a sentence in ``lang`` (``nl`` or ``en``)."""
        values = {}
        for k, v in self.params.items():
            kind = self.kinds.get(k, "text")
            if kind == "money":
                values[k] = fmt_money(float(v), lang, self.currency)
            elif kind == "pct":
                values[k] = fmt_pct(float(v), lang, decimals=1)
            elif kind == "count":
                values[k] = str(int(v))
            elif kind == "number":
                values[k] = fmt_number(float(v), lang, 2)
            else:
                values[k] = str(v)
        return t(f"portfolio.{self.code}", lang, **values)

    def to_dict(self, lang: str = "en") -> dict:
        """JSON-friendly: ``{"code", "rules", "alternative", "params", "text"}``."""

        def clean(v):
            if isinstance(v, (np.floating, float)):
                return None if not math.isfinite(float(v)) else float(v)
            if isinstance(v, np.integer):
                return int(v)
            if isinstance(v, (tuple, list)):
                return [clean(i) for i in v]
            return v if isinstance(v, (int, str, bool)) or v is None else str(v)

        return {
            "code": self.code,
            "rules": list(self.rules),
            "alternative": self.alternative,
            "params": {k: clean(v) for k, v in self.params.items()},
            "text": self.text(lang),
        }

    def __str__(self) -> str:
        return self.text("en")


def format_explanation(findings, lang: str = "en") -> str:
    """The findings as text lines (relaxation steps indented under their alternative)."""
    lines = []
    for f in findings:
        indent = "  - " if f.alternative is not None and f.code != "relax_alternative" else ""
        lines.append(indent + f.text(lang))
    return "\n".join(lines)


# ------------------------------------------------------------------------------ layer 1
def prechecks(problem: Problem) -> list[Finding]:
    """Findings that prove infeasibility without a solver (empty list: nothing proven)."""
    a = problem.arrays
    cur = problem.currency
    out: list[Finding] = []
    allowed = np.ones(a.n, dtype=bool)
    allowed[a.ban] = False
    pinned = np.zeros(a.n, dtype=bool)
    pinned[a.pin] = True
    mlabel = problem.modules["label"].tolist() if len(problem.modules) else []

    def mname(m: int) -> str:
        mid = a.module_ids[m]
        lab = mlabel[m]
        return f"{lab} ({mid})" if lab != str(mid) else str(mid)

    # a required module that no allowed option covers
    for m, members in enumerate(a.cover_rows):
        if a.required[m] and not allowed[members].any():
            out.append(Finding("module_uncovered", {"module": mname(m), "module_id": a.module_ids[m]},
                               rules=("cover",), currency=cur))
    # pins colliding
    for m, members in enumerate(a.cover_rows):
        p = members[pinned[members]]
        if p.size > 1:
            out.append(Finding("pins_overlap", {"a": a.ids[p[0]], "b": a.ids[p[1]], "module": mname(m)},
                               rules=("pin", "cover"), currency=cur))
    for i, j in a.excludes.tolist():
        if pinned[i] and pinned[j]:
            out.append(Finding("pins_exclude", {"a": a.ids[i], "b": a.ids[j]}, rules=("pin",),
                               currency=cur))
    for i, j in a.requires.tolist():
        if pinned[i] and not allowed[j]:
            out.append(Finding("pin_requires_banned", {"a": a.ids[i], "b": a.ids[j]},
                               rules=("pin",), currency=cur))
    # min_suppliers
    K = problem.rules.min_suppliers
    if K:
        fits = allowed & (a.supplier >= 0)
        if problem.budget is not None:
            fits &= a.tco <= problem.budget * (1 + 1e-9) + 1e-9
        n = len(np.unique(a.supplier[fits]))
        if n < K:
            if problem.budget is not None:
                out.append(Finding("min_suppliers_budget",
                                   {"limit": K, "n": n, "budget": problem.budget},
                                   {"limit": "count", "n": "count", "budget": "money"},
                                   rules=("min_suppliers", "budget"), currency=cur))
            else:
                out.append(Finding("min_suppliers_available", {"limit": K, "n": n},
                                   {"limit": "count", "n": "count"},
                                   rules=("min_suppliers",), currency=cur))
        elif problem.has_modules:
            sup_opts = allowed & (a.supplier >= 0)
            lots = np.array([len(ms) for ms in a.option_modules])
            if sup_opts.any() and (lots[sup_opts] >= 1).all() and len(a.module_ids) < K:
                out.append(Finding("min_suppliers_modules", {"limit": K, "n": len(a.module_ids)},
                                   {"limit": "count", "n": "count"},
                                   rules=("min_suppliers", "cover"), currency=cur))
    return out


# ------------------------------------------------------------------------------ layer 2
def cheapest_cover(problem: Problem, backend: Backend) -> tuple[Status, float | None]:
    """The least TCO of a selection that covers every required module and keeps pins, bans,
    requires and excludes (no budget, no rules). Returns (status, cost)."""
    cover = problem.replace(objective="cost", budget=None, rules=Rules(), min_value=None,
                            yearly_budget=None)
    form = Formulation(cover)
    out = form.solve(backend)
    if out.status is not Status.optimal:
        return out.status, None
    return out.status, float(cover.arrays.tco @ np.round(out.x))


def _budget_finding(problem: Problem, backend: Backend) -> list[Finding]:
    a = problem.arrays
    if not (a.required.any() or a.pin.size):
        return []
    status, cheapest = cheapest_cover(problem, backend)
    if status is Status.infeasible:
        return [Finding("cover_impossible", {}, rules=("cover", "pin"), currency=problem.currency)]
    if cheapest is None or problem.budget is None:
        return []
    if cheapest > problem.budget * (1 + 1e-9) + 1e-6:
        return [Finding("budget_short",
                        {"budget": problem.budget, "shortfall": cheapest - problem.budget,
                         "cheapest": cheapest},
                        {"budget": "money", "shortfall": "money", "cheapest": "money"},
                        rules=("budget", "cover"), currency=problem.currency)]
    return []


# ------------------------------------------------------------------------------ layer 3
def _scale(problem: Problem, group: str, row) -> float:
    rules = problem.rules
    a = problem.arrays
    if group == "budget":
        return max(problem.budget or 0.0, 1.0)
    if group == "yearly_budget":
        return max(row.rhs, 1.0)
    if group in ("max_supplier_share", "min_sme_share"):
        return max(float(a.spend[a.supplier >= 0].sum()), 1.0)
    if group == "min_suppliers":
        return max(float(rules.min_suppliers or 0), 1.0)
    if group == "max_lots_per_supplier":
        return max(float(rules.max_lots_per_supplier or 0), 1.0)
    if group == "max_exit_cost":
        return max(float(rules.max_exit_cost or 0), 1.0)
    if group == "min_value":
        return max(abs(problem.min_value or 0.0), 1.0)
    return 1.0


def _describe(problem: Problem, form: Formulation, groups, alt: int) -> list[Finding]:
    """Findings for one alternative from the elastic solution held in ``form``."""
    a = problem.arrays
    cur = problem.currency
    rules = problem.rules
    x = form.values(form.x_cols)
    m = measure(problem, np.clip(x, 0, 1))
    out = [Finding("relax_alternative",
                   {"index": alt, "chosen": [a.ids[i] for i in np.flatnonzero(x > 0.5)]},
                   {"index": "count"}, rules=tuple(groups), alternative=alt, currency=cur)]
    for g in [g for g in form.slacks if g in groups]:
        items = form.slacks[g]
        vals = [(float(form.values([col])[0]), row) for col, row in items]
        total = sum(v for v, _ in vals)
        if g == "budget":
            amount = total
            out.append(Finding("relax_budget", {"amount": amount, "new": problem.budget + amount},
                               {"amount": "money", "new": "money"}, ("budget",), alt, cur))
        elif g == "yearly_budget":
            for v, row in vals:
                if v > 1e-6:
                    out.append(Finding("relax_yearly_budget",
                                       {"year": row.index, "amount": v, "new": row.rhs + v},
                                       {"year": "count", "amount": "money", "new": "money"},
                                       ("yearly_budget",), alt, cur))
        elif g == "max_supplier_share":
            out.append(Finding("relax_max_supplier_share",
                               {"limit": rules.max_supplier_share, "needed": m.largest_share},
                               {"limit": "pct", "needed": "pct"}, (g,), alt, cur))
        elif g == "min_suppliers":
            achievable = int(rules.min_suppliers - math.ceil(total - 1e-6))
            out.append(Finding("relax_min_suppliers",
                               {"limit": rules.min_suppliers, "achievable": max(achievable, 0)},
                               {"limit": "count", "achievable": "count"}, (g,), alt, cur))
        elif g == "min_sme_share":
            share = 0.0 if math.isnan(m.sme_share) else m.sme_share
            out.append(Finding("relax_min_sme_share",
                               {"limit": rules.min_sme_share, "achievable": share},
                               {"limit": "pct", "achievable": "pct"}, (g,), alt, cur))
        elif g == "max_lots_per_supplier":
            needed = float(m.lots_by_supplier.max()) if m.lots_by_supplier.size else 0.0
            out.append(Finding("relax_max_lots_per_supplier",
                               {"limit": rules.max_lots_per_supplier, "needed": needed},
                               {"limit": "count", "needed": "count"}, (g,), alt, cur))
        elif g == "max_exit_cost":
            out.append(Finding("relax_max_exit_cost",
                               {"amount": total, "new": rules.max_exit_cost + total,
                                "limit": rules.max_exit_cost},
                               {"amount": "money", "new": "money", "limit": "money"}, (g,), alt, cur))
        elif g == "min_value":
            out.append(Finding("relax_min_value",
                               {"limit": problem.min_value, "achievable": m.value},
                               {"limit": "number", "achievable": "number"}, (g,), alt, cur))
        elif g == "pin":
            for v, row in vals:
                if v > 0.5:
                    out.append(Finding("relax_pin", {"option": a.ids[row.index]}, {}, ("pin",), alt,
                                       cur))
        elif g == "cover":
            for v, row in vals:
                if v > 0.5:
                    mid = a.module_ids[row.index]
                    lab = problem.modules["label"].iloc[row.index]
                    name = f"{lab} ({mid})" if lab != str(mid) else str(mid)
                    out.append(Finding("relax_cover", {"module": name, "module_id": mid}, {},
                                       ("cover",), alt, cur))
    return out


_SHARE_RULES = ("max_supplier_share", "min_sme_share")
_SHARE_TOL = 1e-3  # shares are reported to a tenth of a percentage point


def _feasible(problem: Problem, backend: Backend) -> bool:
    out = Formulation(problem).solve(backend)
    return out.status is Status.optimal


def _tightest_share(problem: Problem, backend: Backend, finding: Finding) -> Finding:
    """The least change of a share rule that makes the problem feasible, by bisection.

    The elastic re-solve measures a share rule's slack in money (share x total spend - the
    supplier's spend), which can favour a portfolio that needs a larger change of the share
    itself than another portfolio would. When that rule alone must give, bisect on the share
    (each step a feasibility solve with every other rule intact) to within 0.1 percentage point.
    """
    rules = problem.rules
    if finding.code == "relax_max_supplier_share":
        rule, key, good, bad = "max_supplier_share", "needed", min(1.0, float(finding.params["needed"])), \
            float(rules.max_supplier_share)
    else:
        rule, key, good, bad = "min_sme_share", "achievable", max(0.0, float(finding.params["achievable"])), \
            float(rules.min_sme_share)

    def feasible(share: float) -> bool:
        return _feasible(problem.replace(rules=rules.replace(**{rule: share})), backend)

    if not feasible(good):
        return finding
    while abs(good - bad) > _SHARE_TOL:  # keep `good` feasible and `bad` infeasible
        mid = (good + bad) / 2
        if feasible(mid):
            good = mid
        else:
            bad = mid
    params = dict(finding.params, **{key: good})
    return Finding(finding.code, params, finding.kinds, finding.rules, finding.alternative, finding.currency)


def elastic(problem: Problem, backend: Backend, *, max_alternatives: int = _MAX_ALTERNATIVES
            ) -> list[Finding]:
    """The smallest relaxations that make the problem feasible (see module docstring)."""
    form = Formulation(problem, elastic=True)
    if not form.z:
        return [Finding("no_relaxation", {"status": "no elastic rule"}, currency=problem.currency)]
    weights = {g: _GROUP_WEIGHT.get(g, 1.0) for g in form.z}
    phase1 = np.zeros(form.cost.size)
    for g, z in form.z.items():
        phase1[z] = weights[g]
    phase2 = {g: {col: 1.0 / _scale(problem, g, row) for col, row in items}
              for g, items in form.slacks.items()}
    zcols = list(form.z.values())
    out: list[Finding] = []
    best = None
    for alt in range(1, max_alternatives + 1):
        form.set_col_bounds(zcols, 0.0, 1.0)
        form.set_objective(phase1, maximise=False)
        r1 = form.solve(backend)
        if not r1.has_solution:
            if alt == 1:
                out.append(Finding("no_relaxation", {"status": r1.status.value},
                                   currency=problem.currency))
            break
        groups = [g for g, z in form.z.items() if form.values([z])[0] > 0.5]
        weight = sum(weights[g] for g in groups)
        if best is None:
            best = weight
        elif weight > best + 1e-6 or not groups:
            break
        if not groups:
            break
        form.set_col_bounds([z for g, z in form.z.items() if g not in groups], 0.0, 0.0)
        cost = np.zeros(form.cost.size)
        for g in groups:
            for col, c in phase2[g].items():
                cost[col] = c
        form.set_objective(cost, maximise=False)
        r2 = form.solve(backend, gap=1e-7)
        if not r2.has_solution:  # pragma: no cover - phase 1's solution is feasible here
            form.set_objective(phase1, maximise=False)
            form.solve(backend)
        found = _describe(problem, form, groups, alt)
        if len(groups) == 1 and groups[0] in _SHARE_RULES:
            found = [_tightest_share(problem, backend, f) if f.code == f"relax_{groups[0]}" else f for f in found]
        out.extend(found)
        # look for another set of the same weight
        form.add_cut(f"alternative_{alt}", [form.z[g] for g in groups], [1.0] * len(groups), LE,
                     float(len(groups) - 1))
    return order_ways(out)


def order_ways(findings: list[Finding]) -> list[Finding]:
    """Ways out in the order a buyer should read them, renumbered.

    Ways of the same minimal weight are equally small changes to the solver, not to a buyer:
    a way that keeps every required module (change a rule, e.g. "allow one supplier") comes
    before one that makes modules optional, and a way that buys nothing comes last. Within
    those, the solver's order is kept.
    """
    ways: dict[int, list[Finding]] = {}
    rest: list[Finding] = []
    for f in findings:
        if f.alternative is None:
            rest.append(f)
        else:
            ways.setdefault(f.alternative, []).append(f)
    if len(ways) < 2:
        return findings

    def key(item):
        alt, fs = item
        dropped = sum(1 for f in fs if f.code == "relax_cover")
        head = next((f for f in fs if f.code == "relax_alternative"), None)
        nothing = head is not None and not head.params.get("chosen")
        return (nothing, dropped, alt)

    out = list(rest)
    for new, (_, fs) in enumerate(sorted(ways.items(), key=key), start=1):
        for f in fs:
            params = dict(f.params)
            if f.code == "relax_alternative":
                params["index"] = new
            out.append(replace(f, alternative=new, params=params))
    return out


def explain(problem: Problem, backend: Backend, *, elastic_analysis: bool = True) -> list[Finding]:
    """Everything we can say about an infeasible problem: proofs, budget shortfall, ways out."""
    findings = prechecks(problem)
    findings += _budget_finding(problem, backend)
    if elastic_analysis:
        findings += elastic(problem, backend)
    return findings
