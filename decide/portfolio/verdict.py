"""One verdict per rule, computed once: tight or not, its price, and the portfolio it blocked.

In an integer programme a rule can shape the answer in two ways that differ: it can be *tight*
(the chosen portfolio sits exactly on its limit) and it can have a *price* (the value regained
by re-solving without it). A rule can be tight and free (another portfolio of equal value lies
just inside it), or slack and costly (it rules out a better portfolio that would have broken it,
while the second best stays well inside). The verdict states both, and when the price is
positive it names the portfolio the rule blocked: what would be chosen without it, with its value
and cost. Every face (command line, report, review, workshop) prints :meth:`RuleVerdict.text`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from decide.i18n import fmt_money, fmt_number, t

__all__ = ["RuleVerdict", "STATES"]

#: The four verdicts, from the strongest: tight and costing value, costing value without being
#: tight, tight without cost, neither.
STATES = ("tight_costly", "costly", "tight", "slack")

_PRICE_TOL = 1e-9


@dataclass(frozen=True)
class RuleVerdict:
    """The verdict on one rule (or on the budget) for an optimal portfolio.

    Attributes
    ----------
    rule : str
        ``budget``, ``yearly_budget``, a name from :data:`~decide.portfolio.problem.RULE_NAMES`,
        ``pin`` or ``ban`` (the pinned or banned options, as a group) or ``min_value``.
    tight : bool
        The portfolio sits exactly on the rule's limit.
    price : float
        Objective lost because of the rule (value for a value objective, extra TCO for a cost
        objective), by re-solving without it; NaN when that re-solve did not reach an optimum.
    blocked : tuple of option ids or None
        The portfolio chosen without the rule, when the price is positive.
    blocked_labels : tuple of str
        Their labels, in the same order.
    blocked_value, blocked_cost : float or None
        That portfolio's value and TCO.
    objective : {"value", "cost"}
    currency : str
    """

    rule: str
    tight: bool
    price: float
    blocked: tuple | None = None
    blocked_labels: tuple = ()
    blocked_value: float | None = None
    blocked_cost: float | None = None
    objective: str = "value"
    currency: str = "EUR"

    @property
    def costly(self) -> bool:
        return not math.isnan(self.price) and self.price > _PRICE_TOL

    @property
    def limiting(self) -> bool:
        """Tight or costing value: the rule shapes the portfolio."""
        return self.tight or self.costly

    @property
    def state(self) -> str:
        if self.costly:
            return "tight_costly" if self.tight else "costly"
        return "tight" if self.tight else "slack"

    def word(self, lang: str = "en") -> str:
        """The verdict in a few words (``tight, costs value``; in money for a cost objective)."""
        return t(f"portfolio.verdict_{self.state}" + ("_cost" if self.objective == "cost" else ""), lang)

    def text(self, lang: str = "en") -> str:
        """The whole verdict as one sentence: rule, verdict, price and the blocked portfolio."""
        rule = t(f"portfolio.rule_{self.rule}", lang)
        out = t("portfolio.verdict_line", lang, rule=rule, verdict=self.word(lang))
        if math.isnan(self.price):
            return out + " " + t("portfolio.verdict_unpriced", lang)
        if self.costly and self.blocked is not None:
            price = (fmt_number(self.price, lang, 3) if self.objective == "value"
                     else fmt_money(self.price, lang, self.currency))
            key = "portfolio.verdict_blocked" if self.objective == "value" else "portfolio.verdict_blocked_cost"
            out += " " + t(key, lang, price=price, options=", ".join(self.blocked_labels),
                           value=fmt_number(self.blocked_value, lang, 3),
                           tco=fmt_money(self.blocked_cost, lang, self.currency))
        return out

    def to_dict(self) -> dict:
        price = None if math.isnan(self.price) else float(self.price)
        out = {"tight": bool(self.tight), "price": price, "state": self.state, "limiting": self.limiting,
               "blocked": None}
        if self.blocked is not None:
            out["blocked"] = {"chosen": [str(i) for i in self.blocked], "value": self.blocked_value,
                              "total_cost": self.blocked_cost}
        return out
