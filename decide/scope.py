"""Scope-aware ranking: like is compared with like.

Where a model has modules, a single forms module and a suite that covers four modules are not
alternatives to one another: the recommendation is the portfolio (a complete cover), and the
ranking compares, per module, the options that cover it. :func:`module_rankings` ranks each
module's options with the model's method and weights; :func:`module_notes` says, for every
module whose best-ranked option is not in the recommended portfolio, what kept it out: a rule or
the budget (the allocation's verdicts name the portfolio each one blocked), or the value model
(the best portfolio that includes it, within the budget and the rules, is worth less).

Ranking-only models (no modules) keep the ranking of all options.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Optional

from decide.i18n import fmt_number, t

__all__ = ["ModuleRanking", "ModuleNote", "module_rankings", "module_notes"]


@dataclass(frozen=True)
class ModuleRanking:
    """The ranking of the options that cover one module (rank 1 = best)."""

    module: str
    ids: tuple[str, ...]
    ranks: tuple[int, ...]
    scores: tuple[float, ...]

    @property
    def best(self) -> tuple[str, ...]:
        return tuple(i for i, r in zip(self.ids, self.ranks) if r == 1)

    def to_dict(self) -> dict:
        return {"module": self.module,
                "ranking": [{"id": i, "rank": int(r), "score": float(s)}
                            for i, r, s in sorted(zip(self.ids, self.ranks, self.scores), key=lambda x: x[1])]}


@dataclass(frozen=True)
class ModuleNote:
    """Why a module's best-ranked option is (not) in the recommended portfolio.

    ``reason`` is ``"chosen"`` (it is in), a rule name or ``"budget"`` (a verdict's blocked
    portfolio holds it), ``"value"`` (with it the best portfolio within budget and rules is
    worth ``value_with``), or ``"infeasible"`` (no portfolio with it meets the budget and rules).
    """

    module: str
    option: str
    reason: str
    value_with: Optional[float] = None
    value_portfolio: Optional[float] = None

    def text(self, lang: str, option_label: str, module_label: str, method: str) -> str:
        kw = dict(option=option_label, module=module_label, method=method)
        if self.reason == "chosen":
            return t("portfolio.scope_chosen", lang, **kw)
        if self.reason == "value":
            return t("portfolio.scope_value", lang, with_=fmt_number(self.value_with, lang, 3),
                     portfolio=fmt_number(self.value_portfolio, lang, 3), **kw)
        if self.reason == "infeasible":
            return t("portfolio.scope_infeasible", lang, **kw)
        if self.reason == "budget":
            return t("portfolio.scope_budget", lang, **kw)
        return t("portfolio.scope_rule", lang, rule=t(f"portfolio.rule_{self.reason}", lang), **kw)


def module_rankings(ranked: Any) -> dict[str, ModuleRanking]:
    """Per module, the ranking of the options (that passed the requirements) covering it.

    Parameters
    ----------
    ranked : decide.analysis.ModelRanking
        The model's ranking (its weights, method and parameters are reused).
    """
    from decide.ranking import rank

    model = ranked.model
    if model.allocation is None or not model.allocation.modules:
        return {}
    out: dict[str, ModuleRanking] = {}
    passed = list(ranked.matrix.index)
    for mod in model.allocation.modules:
        ids = [a.id for a in model.alternatives if a.id in passed and mod.id in a.covers]
        if not ids:
            continue
        if len(ids) == 1:
            out[mod.id] = ModuleRanking(mod.id, tuple(ids), (1,), (math.nan,))
            continue
        r = rank(ranked.matrix.loc[ids], ranked.weights.to_numpy(), list(ranked.directions), method=ranked.method,
                 lang=model.language, **ranked.params)
        out[mod.id] = ModuleRanking(mod.id, tuple(ids), tuple(int(r.ranks[i]) for i in ids),
                                    tuple(float(r.scores[i]) for i in ids))
    return out


def module_notes(rankings: dict[str, ModuleRanking], allocation: Any, *, solver: str = "highs") -> list[ModuleNote]:
    """For each module: is its best-ranked option in the recommended portfolio, and if not, why."""
    from decide.portfolio import optimise

    if allocation is None or not allocation.has_solution:
        return []
    chosen = set(allocation.chosen)
    notes: list[ModuleNote] = []
    cache: dict[str, ModuleNote] = {}
    for mod, r in rankings.items():
        for best in r.best:
            if best in chosen:
                notes.append(ModuleNote(mod, best, "chosen"))
                continue
            if best in cache:
                n = cache[best]
                notes.append(ModuleNote(mod, best, n.reason, n.value_with, n.value_portfolio))
                continue
            reason = next((v.rule for v in allocation.verdicts if v.blocked and best in v.blocked), None)
            note = ModuleNote(mod, best, reason) if reason else None
            if note is None:
                alt = optimise(allocation.problem, pin=[best], solver=solver, price_rules=False,
                               explain_infeasible=False)
                if alt.has_solution:
                    note = ModuleNote(mod, best, "value", alt.total_value, allocation.total_value)
                else:
                    note = ModuleNote(mod, best, "infeasible")
            cache[best] = note
            notes.append(note)
    return notes
