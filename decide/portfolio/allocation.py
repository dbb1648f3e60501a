"""The answer of :func:`decide.portfolio.optimise`: an :class:`Allocation`."""
from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from decide.errors import Message, SolveError
from decide.i18n import fmt_money, fmt_number, fmt_pct, t
from decide.jsonsafe import number
from decide.portfolio.evaluate import Measures
from decide.portfolio.infeasibility import format_explanation
from decide.portfolio.problem import Problem
from decide.portfolio.status import Status

__all__ = ["Allocation"]




def _key(k):
    return k if isinstance(k, str) else str(k)


@dataclass(frozen=True, eq=False)
class Allocation:
    """A chosen portfolio and what it is worth, or the reasons there is none.

    Values (``chosen``, ``total_cost`` ...) exist only when the solver holds a solution: a
    proven optimum (``status`` optimal) or, after a time limit, an incumbent flagged
    ``proven_optimal=False``. For an infeasible or unsolved problem they raise
    :class:`~decide.errors.SolveError` (exit code 3) and ``explanation`` says why.

    Attributes
    ----------
    status : Status
    solver : str
        Solver name and version.
    relaxed : bool
        True for the LP relaxation: ``x`` may be fractional; ``chosen`` lists the options at 1.
    proven_optimal : bool
    gap : float or None
        Relative MIP gap reported by HiGHS (None for CBC and LP relaxations).
    explanation : tuple of Finding
        Why there is no portfolio (empty when there is one).
    price_of_rules : dict
        Rule -> objective lost because of it (value lost for ``objective="value"``, extra TCO
        for ``"cost"``), by re-solving without that rule; NaN when that re-solve failed.
        Clipped at 0 (differences within the MIP gap).
    budget_dual : float or None
        Marginal value of budget: objective improvement per extra unit of budget, from the LP
        relaxation's dual (value gained per euro for ``"value"``, TCO saved per euro for
        ``"cost"``); >= 0 whatever the solver. None without a budget.
    seconds : float
        Wall time of build + main solve.
    verdicts : tuple of RuleVerdict
        One verdict per rule and the budget (tight or not, price, the portfolio it blocked),
        computed once; every face prints these (see :mod:`decide.portfolio.verdict`).
    """

    status: Status
    problem: Problem = field(repr=False)
    solver: str = ""
    relaxed: bool = False
    proven_optimal: bool = False
    gap: float | None = None
    explanation: tuple = ()
    price_of_rules: dict = field(default_factory=dict)
    budget_dual: float | None = None
    seconds: float = 0.0
    verdicts: tuple = ()
    _measures: Measures | None = field(default=None, repr=False)
    _rules: pd.DataFrame | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ access
    @property
    def has_solution(self) -> bool:
        """True when a selection is attached (optimal, or a time-limited incumbent)."""
        return self._measures is not None

    def _unsolved(self) -> SolveError:
        """No portfolio: the solver's status and, in each language, why (the findings)."""
        status = Message(f"portfolio.status_{self.status.value}")
        reason = {lang: format_explanation(self.explanation, lang) or status.text(lang) for lang in ("nl", "en")}
        return SolveError(Message("portfolio.no_portfolio", status=status, reason=reason))

    def _m(self) -> Measures:
        if self._measures is None:
            raise self._unsolved()
        return self._measures

    def raise_for_status(self, *, allow_incumbent: bool = False) -> Allocation:
        """Raise :class:`SolveError` unless optimal (or, if allowed, an incumbent is attached)."""
        if self.status.is_ok or (allow_incumbent and self.has_solution):
            return self
        raise self._unsolved()

    @property
    def x(self) -> pd.Series:
        """Per option: 1 chosen, 0 not (fractional in an LP relaxation)."""
        return pd.Series(self._m().x, index=self.problem.options.index, name="x")

    @property
    def chosen(self) -> tuple:
        """Ids of the chosen options (x = 1), in the problem's option order."""
        x = self._m().x
        return tuple(i for i, v in zip(self.problem.options.index, x) if v > 1 - 1e-6)

    @property
    def fractional(self) -> tuple:
        """Ids with 0 < x < 1 (LP relaxation only)."""
        x = self._m().x
        return tuple(i for i, v in zip(self.problem.options.index, x) if 1e-6 < v < 1 - 1e-6)

    @property
    def objective(self) -> float:
        """Total value (objective ``value``) or total TCO (objective ``cost``)."""
        m = self._m()
        return m.value if self.problem.objective == "value" else m.tco

    @property
    def total_cost(self) -> float:
        """Summed TCO (NPV, integration included) of the selection."""
        return self._m().tco

    @property
    def total_value(self) -> float:
        return self._m().value

    @property
    def integration_cost(self) -> float:
        """Summed integration cost (paid to no supplier)."""
        return self._m().integration

    @property
    def supplier_spend(self) -> float:
        """Spend with suppliers (TCO without integration; in-house builds excluded)."""
        return self._m().supplier_spend

    @property
    def spend_by_supplier(self) -> pd.Series:
        """Spend per supplier that gets any (descending)."""
        m = self._m()
        s = pd.Series(m.spend_by_supplier, index=self.problem.suppliers.index, name="spend")
        return s[s > 1e-9].sort_values(ascending=False)

    @property
    def spend_sme(self) -> float:
        return self._m().sme_spend

    @property
    def spend_non_sme(self) -> float:
        m = self._m()
        return m.supplier_spend - m.sme_spend

    @property
    def sme_share(self) -> float:
        """SME spend / supplier spend (NaN without supplier spend)."""
        return self._m().sme_share

    @property
    def cost_by_tag(self) -> pd.Series:
        """TCO of the selection per tag (buy/make, open_source/commercial, cloud/on_premises,
        ...). TCO rather than supplier spend so that in-house (make) options count too; an
        option with several tags counts under each."""
        m = self._m()
        a = self.problem.arrays
        data = {tag: float(a.tco[mask] @ m.x[mask]) for tag, mask in sorted(a.tags.items())}
        return pd.Series(data, dtype=float, name="tco")

    @property
    def spend_by_tag(self) -> pd.Series:
        """Supplier spend of the selection per tag (TCO without integration; in-house builds
        have none, see :attr:`cost_by_tag` for their cost)."""
        m = self._m()
        a = self.problem.arrays
        spend = np.where(a.supplier >= 0, a.spend, 0.0) * m.x
        data = {tag: float(spend[mask].sum()) for tag, mask in sorted(a.tags.items())}
        return pd.Series(data, dtype=float, name="spend")

    @property
    def exit_cost(self) -> float:
        return self._m().exit_cost

    @property
    def suppliers_used(self) -> int:
        return self._m().suppliers_used

    @property
    def rules(self) -> pd.DataFrame:
        """Every active limit: limit, actual, slack (in the limit's unit), binding, price."""
        self._m()
        return self._rules.copy()

    @property
    def binding_rules(self) -> list:
        """Names of the limits the selection sits exactly on (zero slack)."""
        self._m()
        return [r for r, b in self._rules["binding"].items() if b]

    @property
    def limiting_rules(self) -> list:
        """Names of the rules that shape the portfolio: tight at the optimum, or costing value.

        In an integer programme a rule can rule out a better portfolio without being tight
        (its price, the value regained without it, is then positive), so ``binding_rules``
        alone understates what the rules do.
        """
        self._m()
        if self.verdicts:
            return [v.rule for v in self.verdicts if v.limiting and v.rule != "budget"]
        return [r for r in self._rules.index
                if self._rules.at[r, "binding"] or (self.price_of_rules.get(r) or 0.0) > 1e-9]

    def verdict(self, rule: str):
        """The :class:`~decide.portfolio.verdict.RuleVerdict` of one rule (None when not computed)."""
        for v in self.verdicts:
            if v.rule == rule:
                return v
        return None

    @property
    def share_base_spend(self) -> float:
        """What the shares are measured against (``problem.rules.share_base``)."""
        return self._m().share_base

    @property
    def slack(self) -> dict:
        """Rule -> slack, in the rule's own unit (see :attr:`rules`)."""
        self._m()
        return {r: float(s) for r, s in self._rules["slack"].items()}

    # ------------------------------------------------------------------ export
    def to_frame(self) -> pd.DataFrame:
        """The chosen options (all options with x > 0 in an LP relaxation)."""
        m = self._m()
        opts = self.problem.options
        sup = self.problem.suppliers
        keep = m.x > 1e-9
        df = opts.loc[keep, ["label", "supplier", "value", "tco", "spend", "integration",
                             "exit_cost", "covers", "tags"]].copy()
        df.insert(0, "x", m.x[keep])
        df.insert(3, "sme", [bool(sup.at[s, "sme"]) if s is not None else False
                             for s in df["supplier"]])
        df.index.name = "option"
        return df

    def to_dict(self, lang: str = "en") -> dict:
        """JSON-friendly, keyed by ids.

        With a portfolio: ``{"status", "objective", "objective_sense", "chosen", "total_cost",
        "total_value", "spend_by_supplier", "spend_sme", "spend_non_sme", "cost_by_tag",
        "spend_by_tag", "exit_cost", "binding_rules", "rules", "price_of_rules", "budget_dual",
        "solver", "relaxed", "proven_optimal", "gap"}`` (plus ``"x"`` for a relaxation). Without
        one:
        ``{"status", "explanation": [{"code", "rules", "alternative", "params", "text"}]}``.
        """
        if not self.has_solution:
            return {"status": self.status.value,
                    "explanation": [f.to_dict(lang) for f in self.explanation]}
        out = {
            "status": self.status.value,
            "objective": number(self.objective),
            "objective_sense": "max_value" if self.problem.objective == "value" else "min_cost",
            "chosen": [_key(i) for i in self.chosen],
            "total_cost": number(self.total_cost),
            "total_value": number(self.total_value),
            "spend_by_supplier": {_key(k): number(v) for k, v in self.spend_by_supplier.items()},
            "spend_sme": number(self.spend_sme),
            "spend_non_sme": number(self.spend_non_sme),
            "cost_by_tag": {_key(k): number(v) for k, v in self.cost_by_tag.items()},
            "spend_by_tag": {_key(k): number(v) for k, v in self.spend_by_tag.items()},
            "exit_cost": number(self.exit_cost),
            "binding_rules": list(self.binding_rules),
            "limiting_rules": list(self.limiting_rules),
            "rules": {
                r: {"limit": number(row["limit"]), "actual": number(row["actual"]),
                    "slack": number(row["slack"]), "binding": bool(row["binding"])}
                for r, row in self._rules.iterrows()
            },
            "price_of_rules": {k: number(v) for k, v in self.price_of_rules.items()},
            "verdicts": {v.rule: {**v.to_dict(), "text": v.text(lang)} for v in self.verdicts},
            "share_base": self.problem.rules.share_base,
            "share_base_spend": number(self.share_base_spend),
            "budget_dual": number(self.budget_dual),
            "solver": self.solver,
            "relaxed": self.relaxed,
            "proven_optimal": self.proven_optimal,
            "gap": number(self.gap),
        }
        if self.relaxed:
            out["x"] = {_key(k): number(v) for k, v in self.x.items() if v > 1e-9}
        return out

    def explanation_text(self, lang: str = "en") -> str:
        """The explanation as lines of text (empty when there is a portfolio)."""
        return format_explanation(self.explanation, lang)

    def __repr__(self) -> str:
        if not self.has_solution:
            return f"Allocation(status={self.status.value!r}, findings={len(self.explanation)})"
        return (
            f"Allocation(status={self.status.value!r}, objective={self.objective:.6g}, "
            f"chosen={list(self.chosen)!r}, total_cost={self.total_cost:.6g}, "
            f"binding_rules={self.binding_rules!r}, solver={self.solver!r})"
        )

    def _repr_html_(self, lang: str = "en") -> str:
        esc = html.escape
        title = esc(self.problem.title or t("portfolio.heading_allocation", lang))
        status = esc(t(f"portfolio.status_{self.status.value}", lang))
        parts = [f"<h4>{title}: {status}</h4>"]
        if not self.has_solution:
            parts.append(f"<p>{esc(t('portfolio.heading_explanation', lang))}</p><ul>")
            for f in self.explanation:
                parts.append(f"<li>{esc(f.text(lang))}</li>")
            parts.append("</ul>")
            return "".join(parts)
        cur = self.problem.currency
        if self.relaxed:
            parts.append(f"<p><em>{esc(t('portfolio.heading_relaxed', lang))}</em></p>")
        if not self.proven_optimal and not self.relaxed:
            gap = "?" if self.gap is None else fmt_pct(self.gap, lang, 2)
            parts.append(f"<p><em>{esc(t('portfolio.heading_not_proven', lang, gap=gap))}</em></p>")
        rows = [
            (t("portfolio.label_total_value", lang), fmt_number(self.total_value, lang)),
            (t("portfolio.label_total_cost", lang), fmt_money(self.total_cost, lang, cur)),
            (t("portfolio.label_exit_cost", lang), fmt_money(self.exit_cost, lang, cur)),
            (t("portfolio.label_suppliers", lang), str(self.suppliers_used)),
            (t("portfolio.label_sme_share", lang),
             "–" if math.isnan(self.sme_share) else fmt_pct(self.sme_share, lang, 1)),
            (t("portfolio.label_binding", lang),
             ", ".join(t(f"portfolio.rule_{r}", lang) for r in self.binding_rules)
             or t("portfolio.label_none", lang)),
        ]
        if self.budget_dual is not None:
            rows.append((t("portfolio.label_budget_dual", lang), fmt_number(self.budget_dual, lang, 4)))
        rows.append((t("portfolio.label_solver", lang), self.solver))
        parts.append("<table>" + "".join(
            f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows
        ) + "</table>")
        parts.append(self.to_frame().to_html())
        if self.price_of_rules:
            parts.append("<table><tr><th>" + esc(t("portfolio.label_price", lang)) + "</th><th></th></tr>")
            for r, p in self.price_of_rules.items():
                parts.append(f"<tr><td>{esc(t(f'portfolio.rule_{r}', lang))}</td>"
                             f"<td>{esc(fmt_number(p, lang))}</td></tr>")
            parts.append("</table>")
        return "".join(parts)
