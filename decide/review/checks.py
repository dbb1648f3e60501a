"""The checks of the strategy review, one small function each, in the order shown.

Every check cites the section of the seed document ("Definieer je inkoopstrategie") it
comes from. They fall in three groups:

- ``evaluation.*``: the six questions of "Evaluatie van je inkoopstrategie";
- ``component.*``: the seven "Kerncomponenten van een effectieve inkoopstrategie";
- ``tradeoff.*``: the seven "Sleuteloverwegingen bij de ontwikkeling van je strategie",
  each: does the model let the choice be made (both sides among the viable options), and
  where the portfolio's scenario comparison answers it, the numbers.

The best practices and challenges are in :mod:`decide.review.practices`.

A check returns a :class:`~decide.review._core.Finding`; :func:`register_check` adds its
id, question and citation. Thresholds are module constants, named and documented here.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Optional, Sequence

from decide.model import Alternative
from decide.review._core import Finding, register_check, worst
from decide.review._text import Text, count, join, msg, name, names, num, pct
from decide.review.context import FUTURE_WORDS, ReviewContext, is_make as _is_make, status_text

#: Fewer distinct suppliers than this among the viable options: competition needs attention
#: (the Dutch "Gids Proportionaliteit" asks three to five for a multiple private tender).
MIN_COMPETING_SUPPLIERS = 3

#: An exit cost above this share of the recommendation's TCO is flagged as high.
HIGH_EXIT_SHARE = 0.20

SUSTAINABILITY_WORDS = ("sustainab", "duurza", "mvi", "circula", "co2", "klimaat", "climate",
                        "milieu", "environment", "energ")
INNOVATION_WORDS = ("innov",)
LOCK_IN_WORDS = ("lock", "afhankelijk", "vendor depend", "portab", "overstap")
RISK_WORDS = ("risk", "risico", "lock", "afhankelijk", "continu", "secur", "beveilig", "soverei",
              "soeverein", "privacy")
OPEN_STANDARD_TAGS = ("open_standards", "data_portability")


def _no_viable(ctx: ReviewContext) -> Optional[Finding]:
    """The finding for checks that need viable options, when none passes the knock-outs."""
    if ctx.viable:
        return None
    why = ctx.reason("screening") or msg("reason.no_options")
    return Finding("attention", msg("no_viable", why=why), msg("no_viable_advice"))


def _src_eval(question: str) -> str:
    return f"Evaluatie: {question}"


def _status(parts: list[tuple[str, Text]]) -> str:
    return worst(*(s for s, _ in parts)) if parts else "ok"


def _finish(parts: list[tuple[str, Text]], advice: Sequence[Text] = (), data: Optional[dict] = None,
            status: Optional[str] = None) -> Finding:
    """Combine ``(status, sentence)`` parts: the worst status, the sentences in order."""
    return Finding(status or _status(parts), join(p for _, p in parts), join(advice), data or {})


def _weight_text(ctx: ReviewContext, criteria) -> Callable[[str], str]:
    w = ctx.weight_of(criteria)
    return pct(w, 0) if w is not None else (lambda lang: "?")


def _scenario_row(ctx: ReviewContext, scenario: str):
    sc = ctx.scenarios
    if sc is None or scenario not in sc.index:
        return None
    return sc.loc[scenario]


def _scenario_text(ctx: ReviewContext, scenario: str, side: Text) -> Optional[Text]:
    """One sentence for a forced scenario: value, TCO, suppliers, SME share, exit cost."""
    row = _scenario_row(ctx, scenario)
    if row is None:
        return None
    if row["status"] != "optimal":
        return msg("scenario.infeasible", side=side, status=status_text(row["status"]))
    if int(row.get("n_chosen", 1)) == 0:
        return msg("scenario.empty", side=side)
    return msg("scenario.row", side=side, value=num(float(row["value"]), 3), tco=ctx.money(float(row["tco"])),
               suppliers=count(int(row["suppliers"]), "supplier"), sme=pct(float(row["sme_share"])),
               exit=ctx.money(float(row["exit_cost"])))


def _scenarios_unavailable(ctx: ReviewContext) -> tuple[str, Text]:
    """(status, sentence) when the scenario comparison could not be computed."""
    why = ctx.reason("scenarios")
    status = "ok" if ctx.model.allocation is None else "attention"
    return status, msg("scenario.not_computed", why=why)


# =========================================================================== evaluation
@register_check("evaluation.needs", question="q.evaluation.needs",
                source=_src_eval("Is de strategie afgestemd op gebruikersbehoeften?"))
def needs_alignment(ctx: ReviewContext) -> Finding:
    """Every need (required module) is covered by a viable option, and by the recommendation."""
    m = ctx.model
    modules = list(m.allocation.modules) if m.allocation is not None else []
    needs = list(m.strategy.needs)
    if not needs and not modules:
        return Finding("missing", msg("needs.none"), msg("needs.none_advice"))
    viable = ctx.viable_options
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    data: dict = {"needs": needs, "viable": len(viable), "options": len(m.alternatives)}
    if modules:
        per_module = {mod.id: [a for a in viable if mod.id in a.covers] for mod in modules}
        data["options_per_module"] = {k: len(v) for k, v in per_module.items()}
        required = [mod for mod in modules if mod.required]
        uncovered = [mod for mod in required if not per_module[mod.id]]
        if uncovered:
            parts.append(("attention", msg("needs.uncovered", modules=names(uncovered))))
            advice.append(msg("needs.uncovered_advice"))
        else:
            thin = min(required or modules, key=lambda mod: len(per_module[mod.id]))
            parts.append(("ok", msg("needs.covered", n=count(len(required), "required_module"),
                                    module=name(thin), k=count(len(per_module[thin.id]), "option"))))
        ids = {mod.id for mod in modules}
        unmatched = [n for n in needs if n not in ids]
        if unmatched:
            parts.append(("attention", msg("needs.unmatched", needs=names(unmatched))))
            advice.append(msg("needs.unmatched_advice"))
        not_needed = [mod for mod in required if needs and mod.id not in needs]
        if not_needed:
            parts.append(("attention", msg("needs.required_not_needed", modules=names(not_needed))))
            advice.append(msg("needs.required_not_needed_advice"))
    else:
        parts.append(("ok", msg("needs.alternatives", n=count(len(needs), "need"), needs=names(needs, 6))))
    excluded = [a for a in m.alternatives if a.id not in set(ctx.viable)]
    if ctx.screening is None:
        parts.append(("attention", msg("needs.screening_failed", why=ctx.reason("screening"))))
    elif excluded:
        parts.append(("ok", msg("needs.excluded", n=len(excluded), total=len(m.alternatives),
                                options=names(excluded))))
    rec = ctx.recommendation
    if rec is not None and rec.kind == "portfolio" and modules:
        covered = {c for i in rec.ids for c in m.alternative(i).covers}
        left = [mod for mod in modules if not mod.required and mod.id not in covered]
        parts.append(("ok", msg("needs.portfolio", covered=len([x for x in modules if x.id in covered]),
                                total=len(modules))))
        if left:
            parts.append(("ok", msg("needs.optional_left", modules=names(left))))
    elif rec is not None and rec.kind == "winner":
        parts.append(("ok", msg("needs.winner", option=name(m.alternative(rec.ids[0])))))
    elif m.allocation is not None:
        parts.append(("attention", msg("needs.no_portfolio", why=ctx.reason("portfolio"))))
        advice.append(msg("no_portfolio_advice"))
    return _finish(parts, advice, data)


@register_check("evaluation.tco", question="q.evaluation.tco",
                source=_src_eval("Houdt het rekening met de totale eigendomskosten?"))
def tco_in_decision(ctx: ReviewContext) -> Finding:
    """Cost (TCO) enters the decision; the winner compared with the cheapest viable option."""
    m = ctx.model
    tco = ctx.tco
    if not (tco["nominal"] > 0).any():
        return Finding("missing", msg("tco.no_costs"), msg("tco.no_costs_advice"))
    years = m.horizon.years
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    data: dict = {"years": years}
    cost_criteria = [c for c in m.leaves() if c.source == "tco"]
    alloc = m.allocation
    via_budget = alloc is not None and (alloc.budget is not None or alloc.objective == "cost")
    if cost_criteria:
        w = ctx.weight_of(cost_criteria)
        data["cost_weight"] = w
        if w is not None and w <= 0:
            parts.append(("attention", msg("tco.criterion_zero", criterion=name(cost_criteria[0]))))
            advice.append(msg("tco.criterion_zero_advice"))
        else:
            parts.append(("ok", msg("tco.criterion", criterion=name(cost_criteria[0]),
                                    weight=_weight_text(ctx, cost_criteria), years=years)))
    if via_budget:
        if alloc.objective == "cost":
            parts.append(("ok", msg("tco.objective_cost")))
        else:
            parts.append(("ok", msg("tco.budget", budget=ctx.money(alloc.budget), years=years)))
    if not cost_criteria and not via_budget:
        parts.append(("attention", msg("tco.not_in_decision")))
        advice.append(msg("tco.not_in_decision_advice"))
    viable = list(ctx.viable)
    r = ctx.ranking
    modular = alloc is not None and bool(alloc.modules)
    if r is not None and viable and not modular:
        # options are whole alternatives: the winner against the cheapest one
        totals = tco.loc[viable, "total"]
        cheapest = str(totals.idxmin())
        winner = r.winner
        data.update(winner=winner, cheapest=cheapest, winner_tco=float(totals[winner]),
                    cheapest_tco=float(totals[cheapest]))
        if winner == cheapest:
            parts.append(("ok", msg("tco.winner_is_cheapest", option=name(m.alternative(winner)),
                                    tco=ctx.money(totals[winner]), years=years)))
        else:
            diff = float(totals[winner] - totals[cheapest])
            parts.append(("ok", msg("tco.winner_vs_cheapest", winner=name(m.alternative(winner)),
                                    tco=ctx.money(totals[winner]), years=years, diff=ctx.money(diff),
                                    share=pct(diff / totals[cheapest]) if totals[cheapest] > 0 else "–",
                                    cheapest=name(m.alternative(cheapest)),
                                    cheapest_tco=ctx.money(totals[cheapest]))))
    elif r is None:
        parts.append(("ok", msg("tco.no_ranking", why=ctx.reason("ranking"))))
    if alloc is not None:
        if ctx.portfolio is not None:
            fig = ctx.figures(ctx.portfolio)
            data["portfolio_tco"] = fig.tco
            if alloc.budget:
                parts.append(("ok", msg("tco.portfolio_budget", tco=ctx.money(fig.tco), years=years,
                                        share=pct(fig.tco / alloc.budget), budget=ctx.money(alloc.budget))))
            else:
                parts.append(("ok", msg("tco.portfolio", tco=ctx.money(fig.tco), years=years)))
            parts += _rule_verdicts(ctx, "evaluation.tco")
        else:
            parts.append(("attention", msg("tco.no_portfolio", why=ctx.reason("portfolio"))))
            advice.append(msg("no_portfolio_advice"))
            if ctx.explanation:
                parts.append(("attention", ctx.explanation))
    if alloc is not None and alloc.modules and ctx.portfolio is not None and ctx.cheapest_cover is not None:
        fig = ctx.figures(ctx.portfolio)
        cheapest = ctx.cheapest_cover
        data["cheapest_cover_tco"] = cheapest
        diff = fig.tco - cheapest
        if diff <= max(1.0, 1e-6 * cheapest):
            parts.append(("ok", msg("tco.portfolio_is_cheapest", cheapest=ctx.money(cheapest))))
        else:
            parts.append(("ok", msg("tco.cheapest_cover", cheapest=ctx.money(cheapest), diff=ctx.money(diff),
                                    share=pct(diff / cheapest) if cheapest > 0 else "–")))
    return _finish(parts, advice, data)


@register_check("evaluation.competition", question="q.evaluation.competition",
                source=_src_eval("Bevordert het concurrentie en innovatie?"))
def competition_innovation(ctx: ReviewContext) -> Finding:
    """Distinct suppliers, SME participation, an innovation criterion, the supplier-share rule."""
    if (none := _no_viable(ctx)) is not None:
        return none
    m = ctx.model
    viable = ctx.viable_options
    suppliers = ctx.suppliers_of(viable)
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    data: dict = {"suppliers": len(suppliers)}
    if not suppliers:
        parts.append(("missing", msg("competition.no_suppliers")))
        advice.append(msg("competition.no_suppliers_advice"))
    elif len(suppliers) < MIN_COMPETING_SUPPLIERS:
        parts.append(("attention", msg("competition.few_suppliers", n=count(len(suppliers), "supplier"),
                                       suppliers=names([ctx.supplier_name(s) for s in suppliers]),
                                       min=MIN_COMPETING_SUPPLIERS)))
        advice.append(msg("competition.few_suppliers_advice"))
    else:
        parts.append(("ok", msg("competition.suppliers", n=count(len(suppliers), "supplier"),
                                options=count(len(viable), "viable_option"))))
    flags = {s: ctx.is_sme(s) for s in suppliers}
    if suppliers and all(v is not None for v in flags.values()):
        sme = [s for s in suppliers if flags[s]]
        data["sme_suppliers"] = len(sme)
        if sme:
            parts.append(("ok", msg("competition.sme", n=count(len(sme), "sme_supplier"),
                                    suppliers=names([ctx.supplier_name(s) for s in sme]))))
        else:
            parts.append(("attention", msg("competition.no_sme")))
            advice.append(msg("competition.no_sme_advice"))
    elif suppliers:
        parts.append(("ok", msg("competition.sme_unknown")))
    innovation = ctx.criteria_like(INNOVATION_WORDS)
    if not innovation:
        if m.criteria:
            parts.append(("attention", msg("competition.no_innovation")))
            advice.append(msg("competition.no_innovation_advice"))
    else:
        w = ctx.weight_of(innovation)
        data["innovation_weight"] = w
        if w is not None and w <= 0:
            parts.append(("attention", msg("competition.innovation_zero", criterion=name(innovation[0]))))
            advice.append(msg("competition.no_innovation_advice"))
        else:
            parts.append(("ok", msg("competition.innovation", criterion=name(innovation[0]),
                                    weight=_weight_text(ctx, innovation))))
    alloc = m.allocation
    if alloc is None:
        parts.append(("ok", msg("competition.no_allocation")))
    else:
        limit = alloc.rules.max_supplier_share
        data["max_supplier_share"] = limit
        if limit is None:
            parts.append(("attention", msg("competition.no_share_rule")))
            advice.append(msg("competition.no_share_rule_advice"))
        if ctx.portfolio is not None:
            fig = ctx.figures(ctx.portfolio)
            sid, share = fig.largest_supplier()
            a = ctx.allocation
            price = (getattr(a, "price_of_rules", {}) or {}).get("max_supplier_share")
            # a rule "binds" when it is tight or costs value (Allocation.limiting_rules)
            binding = "max_supplier_share" in list(getattr(a, "limiting_rules", []) or [])
            data.update(largest_supplier=sid, largest_share=share, share_rule_binds=binding)
            if sid is not None:
                parts.append(("ok", msg("competition.largest", supplier=ctx.supplier_name(sid), share=pct(share),
                                        n=count(len(fig.spend_by_supplier), "supplier"))))
            if sid is not None:
                parts.append(("ok", _share_base_note(m)))
            verdict = _verdict(a, "max_supplier_share")
            if limit is not None and verdict is not None:
                parts.append(("ok", verdict))
                if binding and price is not None and not math.isnan(price) and price > 0:
                    total = float(getattr(a, "total_value", float("nan")))
                    parts.append(("ok", msg("competition.share_rule_price", price=num(price, 3),
                                            share=pct(price / total, 1) if total > 0 else "–")))
            elif limit is not None:
                key = "competition.share_rule_binds" if binding else "competition.share_rule_slack"
                parts.append(("ok", msg(key, limit=pct(limit))))
            parts += _rule_verdicts(ctx, "evaluation.competition", skip=("max_supplier_share",))
        else:
            parts.append(("attention", msg("competition.no_portfolio", why=ctx.reason("portfolio"))))
            advice.append(msg("no_portfolio_advice"))
    return _finish(parts, advice, data)


@register_check("evaluation.exit", question="q.evaluation.exit",
                source=_src_eval("Is er een duidelijke exit-strategie?"))
def exit_strategy(ctx: ReviewContext) -> Finding:
    """Exit costs for every option, their share of the recommendation's TCO, lock-in, open standards."""
    if (none := _no_viable(ctx)) is not None:
        return none
    m = ctx.model
    tco = ctx.tco
    if not (tco["exit_nominal"] > 0).any():
        return Finding("missing", msg("exit.no_costs", n=len(m.alternatives)), msg("exit.no_costs_advice"),
                       {"options_without_exit_cost": len(m.alternatives)})
    viable = ctx.viable_options
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    lacking = [a for a in viable if tco.at[a.id, "exit_nominal"] <= 0]
    data: dict = {"options_without_exit_cost": len(lacking)}
    if lacking:
        parts.append(("attention", msg("exit.some_missing", options=names(lacking), n=len(lacking),
                                       total=len(viable))))
        advice.append(msg("exit.some_missing_advice"))
    else:
        parts.append(("ok", msg("exit.all_costed", n=count(len(viable), "viable_option"))))
    rec = ctx.recommendation
    if rec is not None:
        fig = ctx.figures(rec.ids)
        data.update(exit_cost=fig.exit_nominal, exit_share=fig.exit_share)
        high = not math.isnan(fig.exit_share) and fig.exit_share > HIGH_EXIT_SHARE
        parts.append(("attention" if high else "ok",
                      msg("exit.share", what=ctx.recommendation_text(), exit=ctx.money(fig.exit_nominal),
                          share=pct(fig.exit_share, 1))))
        if high:
            parts.append(("attention", msg("exit.share_high", limit=pct(HIGH_EXIT_SHARE))))
            advice.append(msg("exit.share_high_advice"))
    else:
        parts.append(("ok", msg("exit.no_recommendation", why=ctx.reason("portfolio" if m.allocation else "ranking"))))
    lock = ctx.criteria_like(LOCK_IN_WORDS)
    if lock:
        w = ctx.weight_of(lock)
        data["lock_in_weight"] = w
        status = "attention" if (w is not None and w <= 0) else "ok"
        parts.append((status, msg("exit.lock_in", criterion=name(lock[0]), weight=_weight_text(ctx, lock))))
    elif m.criteria:
        parts.append(("attention", msg("exit.no_lock_in")))
        advice.append(msg("exit.no_lock_in_advice"))
    open_std = [a for a in viable if any(tg in a.tags for tg in OPEN_STANDARD_TAGS)]
    data["open_standards_options"] = len(open_std)
    if open_std:
        in_rec = [a for a in open_std if rec is not None and a.id in rec.ids]
        parts.append(("ok", msg("exit.open_standards", n=len(open_std), total=len(viable),
                                k=len(in_rec), what=ctx.recommendation_text(short=True) if rec else msg("word.recommendation"))))
    else:
        parts.append(("attention", msg("exit.no_open_standards")))
        advice.append(msg("exit.no_open_standards_advice"))
    return _finish(parts, advice, data)


@register_check("evaluation.sustainability", question="q.evaluation.sustainability",
                source=_src_eval("Is er aandacht voor duurzaamheid en sociale waarde?"))
def sustainability(ctx: ReviewContext) -> Finding:
    """A weighted sustainability criterion, the MVI ambition, social value through SME share."""
    m = ctx.model
    mvi = m.strategy.mvi
    crit = ctx.criteria_like(SUSTAINABILITY_WORDS, ids=mvi.criteria if mvi else ())
    ambition = mvi.ambition if mvi is not None else None
    if not crit and ambition is None:
        return Finding("missing", msg("sust.none"), msg("sust.none_advice"))
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    data: dict = {"mvi_ambition": ambition}
    if crit:
        w = ctx.weight_of(crit)
        data["sustainability_weight"] = w
        if w is not None and w <= 0:
            parts.append(("attention", msg("sust.criterion_zero", criteria=names(crit))))
            advice.append(msg("sust.criterion_zero_advice"))
        else:
            parts.append(("ok", msg("sust.criterion", criteria=names(crit), weight=_weight_text(ctx, crit))))
    else:
        parts.append(("attention", msg("sust.no_criterion")))
        advice.append(msg("sust.no_criterion_advice"))
    if ambition is not None:
        parts.append(("ok", msg("sust.ambition", level=ambition)))
    else:
        parts.append(("attention", msg("sust.no_ambition")))
        advice.append(msg("sust.no_ambition_advice"))
    known = {c.id for _, c in m.iter_criteria()}
    unknown = [c for c in (mvi.criteria if mvi else []) if c not in known]
    if unknown:
        parts.append(("attention", msg("sust.unknown_criteria", ids=names(unknown))))
        advice.append(msg("sust.unknown_criteria_advice"))
    alloc = m.allocation
    if ctx.portfolio is not None:
        fig = ctx.figures(ctx.portfolio)
        data["sme_share"] = fig.sme_share
        rule = alloc.rules.min_sme_share
        if not math.isnan(fig.sme_share):
            if rule is not None:
                parts.append(("ok", msg("sust.sme_share_rule", share=pct(fig.sme_share), rule=pct(rule))))
            else:
                parts.append(("ok", msg("sust.sme_share", share=pct(fig.sme_share))))
                advice.append(msg("sust.sme_rule_advice"))
    elif alloc is None:
        parts.append(("ok", msg("sust.sme_unknown")))
    return _finish(parts, advice, data)


_AWARD_KEYS = {"best_price_quality": "award.bpq", "lowest_price": "award.lowest_price",
               "lowest_cost": "award.lowest_cost"}


@register_check("evaluation.legal", question="q.evaluation.legal",
                source=_src_eval("Voldoet het aan alle wettelijke en beleidsmatige eisen?"))
def legal_policy(ctx: ReviewContext) -> Finding:
    """Award criterion (Aw 2012 art. 2.114) and bundling of modules (art. 1.5)."""
    m = ctx.model
    s = m.strategy
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    data: dict = {"award": s.award}
    if m.award is not None:
        _legal_award(ctx, parts, advice, data)
    elif s.award is None:
        parts.append(("missing", msg("legal.no_award")))
        advice.append(msg("legal.no_award_advice"))
    elif s.award == "best_price_quality":
        parts.append(("ok", msg("legal.award_bpq")))
    elif s.award_motivation is not None:
        parts.append(("ok", msg("legal.award_motivated", award=msg(_AWARD_KEYS[s.award]))))
    else:
        parts.append(("attention", msg("legal.award_unmotivated", award=msg(_AWARD_KEYS[s.award]))))
        advice.append(msg("legal.award_advice"))
    bundles = _bundles(ctx)
    data["bundles"] = {k: list(v) for k, v in (bundles or {}).items()}
    if bundles is None:
        parts.append(("attention", msg("legal.bundling_unknown", why=ctx.reason("portfolio"))))
        advice.append(msg("no_portfolio_advice"))
    elif bundles:
        described = join([msg("legal.bundle", supplier=ctx.supplier_name(sup),
                              modules=names([ctx.module_name(x) for x in mods], 8))
                          for sup, mods in bundles.items()], sep="; ")
        if s.bundling_motivation is not None:
            parts.append(("ok", msg("legal.bundled_motivated", bundles=described)))
        else:
            parts.append(("attention", msg("legal.bundled", bundles=described,
                                           what=ctx.recommendation_text())))
            advice.append(msg("legal.bundled_advice"))
    else:
        rec = ctx.recommendation
        if rec is not None and rec.kind == "winner" and not (m.allocation and m.allocation.modules):
            winner = m.alternative(rec.ids[0])
            if "monolithic" in winner.tags and s.bundling_motivation is None:
                parts.append(("attention", msg("legal.monolithic_winner", option=name(winner))))
                advice.append(msg("legal.monolithic_winner_advice"))
            else:
                parts.append(("ok", msg("legal.no_modules_winner", option=name(winner))))
        else:
            parts.append(("ok", msg("legal.not_bundled")))
    return _finish(parts, advice, data)


def _legal_award(ctx: ReviewContext, parts: list, advice: list, data: dict) -> None:
    """The award section against art. 2.114 (criterion, motivation) and 2.115 (weights in advance)."""
    from decide.award.from_model import BEST_PRICE_QUALITY, price_share_of
    from decide.review.practices import award_motivation, award_of

    m = ctx.model
    sec = m.award
    s = m.strategy
    method = msg(f"award.{sec.method}")
    bpq = sec.method in BEST_PRICE_QUALITY
    data.update(award_method=sec.method, best_price_quality=bpq)
    motivation = award_motivation(m)
    if bpq:
        share = price_share_of(sec)
        if share is not None:
            parts.append(("ok", msg("legal.award_section_bpq_share", method=method, price=pct(share))))
        else:
            parts.append(("ok", msg("legal.award_section_bpq", method=method)))
        parts.append(("ok", msg("legal.award_weights_published", n=count(len(sec.quality), "award_criterion"))))
    elif motivation is not None:
        parts.append(("ok", msg("legal.award_motivated", award=method)))
    else:
        parts.append(("attention", msg("legal.award_unmotivated", award=method)))
        advice.append(msg("legal.award_advice"))
    expected = {"best_price_quality": bpq, "lowest_price": sec.method == "lowest_price",
                "lowest_cost": sec.method == "lowest_cost"}
    if s.award is not None and not expected[s.award]:
        parts.append(("attention", msg("legal.award_mismatch", strategy=msg(_AWARD_KEYS[s.award]), method=method)))
        advice.append(msg("legal.award_mismatch_advice"))
    a = award_of(ctx)
    ev = a.evaluation if a is not None else None
    if ev is not None and ev.relative:
        data["paradox"] = [x.to_dict() for x in ev.paradox]
        key = "legal.award_paradox" if ev.paradox else "legal.award_relative"
        parts.append(("attention", msg(key, n=len(ev.paradox))))
        advice.append(msg("legal.award_relative_advice"))


def _bundles(ctx: ReviewContext) -> Optional[dict[str, tuple[str, ...]]]:
    """Supplier -> modules, for suppliers given several modules by the recommendation.

    None when the recommendation is unknown (an allocation without a portfolio)."""
    rec = ctx.recommendation
    if rec is None:
        return None if ctx.model.allocation is not None else {}
    return ctx.figures(rec.ids).bundles


# =========================================================================== key components
@register_check("component.needs", question="q.component.needs", source="Kerncomponent 1: Behoefteanalyse")
def needs_analysis(ctx: ReviewContext) -> Finding:
    """Needs recorded, modules with importance, knock-out requirements (minimum demands)."""
    m = ctx.model
    needs = list(m.strategy.needs)
    modules = list(m.allocation.modules) if m.allocation is not None else []
    reqs = list(m.requirements)
    if not needs and not modules and not reqs:
        return Finding("missing", msg("cneeds.none"), msg("cneeds.none_advice"))
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if needs:
        parts.append(("ok", msg("cneeds.needs", n=count(len(needs), "need"))))
    else:
        parts.append(("attention", msg("cneeds.no_needs")))
        advice.append(msg("cneeds.no_needs_advice"))
    if modules:
        total = sum(x.importance for x in modules) or 1.0
        top = max(modules, key=lambda x: x.importance)
        req = [x for x in modules if x.required]
        parts.append(("ok", msg("cneeds.modules", n=count(len(modules), "module"), required=len(req),
                                top=name(top), share=pct(top.importance / total))))
    if reqs:
        n_out = len(m.alternatives) - len(ctx.viable)
        parts.append(("ok", msg("cneeds.requirements", n=count(len(reqs), "requirement"), excluded=n_out)))
    else:
        parts.append(("attention", msg("cneeds.no_requirements")))
        advice.append(msg("cneeds.no_requirements_advice"))
    return _finish(parts, advice, {"needs": len(needs), "modules": len(modules), "requirements": len(reqs)})


@register_check("component.market", question="q.component.market", source="Kerncomponent 2: Marktverkenning")
def market_exploration(ctx: ReviewContext) -> Finding:
    """Market consultation, breadth of the options and suppliers, choice per module."""
    m = ctx.model
    s = m.strategy
    viable = ctx.viable_options
    suppliers = ctx.suppliers_of(m.alternatives)
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    parts.append(("ok", msg("market.breadth", options=count(len(m.alternatives), "option"),
                            suppliers=count(len(suppliers), "supplier"), viable=len(viable))))
    if s.market_consultation is None:
        parts.append(("missing", msg("market.consultation_unknown")))
        advice.append(msg("market.consultation_advice"))
    elif s.market_consultation:
        parts.append(("ok", msg("market.consultation_yes")))
    else:
        parts.append(("attention", msg("market.consultation_no")))
        advice.append(msg("market.consultation_advice"))
    none = _no_viable(ctx)
    if none is not None:
        parts.append((none.status, none.finding))
        advice.append(none.advice)
    elif len(viable) < 2:
        parts.append(("attention", msg("market.no_choice", n=count(len(viable), "viable_option"))))
        advice.append(msg("market.more_options_advice"))
    if m.allocation is not None and m.allocation.modules:
        single = [mod for mod in m.allocation.modules if mod.required
                  and len([a for a in viable if mod.id in a.covers]) == 1]
        if single:
            parts.append(("attention", msg("market.single_option_modules", modules=names(single))))
            advice.append(msg("market.more_options_advice"))
    return _finish(parts, advice, {"options": len(m.alternatives), "viable": len(viable),
                                   "suppliers": len(suppliers), "market_consultation": s.market_consultation})


@register_check("component.sourcing", question="q.component.sourcing", source="Kerncomponent 3: Sourcingmodel")
def sourcing_model(ctx: ReviewContext) -> Finding:
    """The mix of in-house/external and cloud/on-premises, among the options and recommended."""
    m = ctx.model
    viable = ctx.viable_options
    cloud = ctx.options_tagged("cloud", viable)
    onprem = ctx.options_tagged("on_premises", viable)
    shared = ctx.options_tagged("shared_service", viable)
    make = [a for a in viable if _is_make(a)]
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    parts.append(("ok", msg("sourcing.internal", make=len(make), buy=len(viable) - len(make))))
    if shared:
        parts.append(("ok", msg("sourcing.shared", n=count(len(shared), "option"), options=names(shared))))
    any_hosting = any(("cloud" in a.tags or "on_premises" in a.tags) for a in m.alternatives)
    if not any_hosting:
        parts.append(("missing", msg("sourcing.no_hosting")))
        advice.append(msg("sourcing.no_hosting_advice"))
    else:
        status = "ok" if (cloud and onprem) else "attention"
        parts.append((status, msg("sourcing.hosting", cloud=len(cloud), onprem=len(onprem))))
        if status != "ok":
            advice.append(msg("sourcing.one_hosting_advice"))
    rec = ctx.recommendation
    if rec is not None and any_hosting:
        fig = ctx.figures(rec.ids)
        tco = ctx.tco
        total = fig.tco

        def share(pred) -> Callable[[str], str]:
            x = sum(float(tco.at[i, "total"]) for i in rec.ids if pred(m.alternative(i)))
            return pct(x / total) if total > 0 else (lambda lang: "–")

        parts.append(("ok", msg("sourcing.mix", what=ctx.recommendation_text(short=True),
                                internal=share(_is_make), cloud=share(lambda a: "cloud" in a.tags),
                                onprem=share(lambda a: "on_premises" in a.tags))))
    parts += _rule_verdicts(ctx, "component.sourcing")
    if m.allocation is not None:
        if ctx.scenarios is not None:
            rows = [_scenario_text(ctx, scen, msg(key))
                    for scen, key in (("only_cloud", "side.cloud"), ("only_on_premises", "side.on_premises"))]
            rows = [r for r in rows if r is not None]
            if rows:
                parts.append(("ok", msg("tradeoff.scenarios", rows=join(rows, sep="; "))))
        else:
            parts.append(_scenarios_unavailable(ctx))
    return _finish(parts, advice, {"make": len(make), "cloud": len(cloud), "on_premises": len(onprem)})


@register_check("component.tco", question="q.component.tco", source="Kerncomponent 4: Total cost of ownership")
def tco_lifecycle(ctx: ReviewContext) -> Finding:
    """All lifecycle costs per option, a horizon of at least the contract life, a stated rate."""
    if (none := _no_viable(ctx)) is not None:
        return none
    m = ctx.model
    tco = ctx.tco
    if not (tco["nominal"] > 0).any():
        return Finding("missing", msg("tco.no_costs"), msg("tco.no_costs_advice"))
    viable = ctx.viable_options
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    no_yearly = [a for a in viable if float(tco.at[a.id, "yearly"]) <= 0]
    no_exit = [a for a in viable if float(tco.at[a.id, "exit_nominal"]) <= 0]
    no_once = [a for a in viable if float(tco.at[a.id, "once"] + tco.at[a.id, "integration"]) <= 0]
    if no_yearly:
        parts.append(("attention", msg("ctco.no_yearly", options=names(no_yearly), n=len(no_yearly))))
    if no_exit:
        parts.append(("attention", msg("ctco.no_exit", options=names(no_exit), n=len(no_exit))))
    if no_once:
        parts.append(("attention", msg("ctco.no_once", options=names(no_once), n=len(no_once))))
    if no_yearly or no_exit or no_once:
        advice.append(msg("ctco.components_advice"))
    else:
        parts.append(("ok", msg("ctco.complete", n=count(len(viable), "viable_option"))))
    sub = tco.loc[[a.id for a in viable]] if viable else tco
    total = float(sub["total"].sum())
    if total > 0:
        parts.append(("ok", msg("ctco.breakdown", once=pct((sub["once"] + sub["integration"]).sum() / total),
                                yearly=pct(sub["yearly"].sum() / total), exit=pct(sub["exit"].sum() / total))))
    h = m.horizon
    if h.contract_years is None:
        parts.append(("attention", msg("ctco.no_contract_years", years=h.years)))
        advice.append(msg("ctco.no_contract_years_advice"))
    elif h.years < h.contract_years:
        parts.append(("attention", msg("ctco.horizon_short", years=h.years, contract=h.contract_years)))
        advice.append(msg("ctco.horizon_short_advice", contract=h.contract_years))
    else:
        parts.append(("ok", msg("ctco.horizon", years=h.years, contract=h.contract_years)))
    stated = "horizon" in m.model_fields_set and "discount_rate" in h.model_fields_set
    if stated:
        parts.append(("ok", msg("ctco.rate", rate=pct(h.discount_rate, 2))))
    else:
        parts.append(("attention", msg("ctco.rate_default", rate=pct(h.discount_rate, 2))))
        advice.append(msg("ctco.rate_advice"))
    return _finish(parts, advice, {"without_yearly": len(no_yearly), "without_exit": len(no_exit),
                                   "years": h.years, "contract_years": h.contract_years,
                                   "discount_rate": h.discount_rate, "rate_stated": stated})


@register_check("component.risk", question="q.component.risk", source="Kerncomponent 5: Risicoanalyse")
def risk_analysis(ctx: ReviewContext) -> Finding:
    """A risk register, risk criteria with weight, uncertain scores, proof of concept."""
    m = ctx.model
    s = m.strategy
    crit = ctx.criteria_like(RISK_WORDS)
    if not s.risks and not crit:
        return Finding("missing", msg("risk.none"), msg("risk.none_advice"))
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if s.risks:
        parts.append(("ok", msg("risk.register", n=count(len(s.risks), "risk"), first=name(s.risks[0]))))
    else:
        parts.append(("attention", msg("risk.no_register")))
        advice.append(msg("risk.no_register_advice"))
    if crit:
        parts.append(("ok", msg("risk.criteria", criteria=names(crit, 5), weight=_weight_text(ctx, crit))))
    else:
        parts.append(("attention", msg("risk.no_criteria")))
        advice.append(msg("risk.no_criteria_advice"))
    n_uncertain = 0
    if m.criteria:
        try:
            n_uncertain = int((m.score_bounds()[3] != "fixed").sum())
        except Exception:  # noqa: BLE001 - scores are the loader's business; do not fail here
            n_uncertain = 0
    if n_uncertain:
        parts.append(("ok", msg("risk.uncertain", n=n_uncertain)))
    elif m.criteria:
        parts.append(("ok", msg("risk.certain")))
    poc = s.proof_of_concept
    parts.append(("ok", msg("risk.poc_yes" if poc else ("risk.poc_no" if poc is False else "risk.poc_unknown"))))
    return _finish(parts, advice, {"risks": len(s.risks), "risk_criteria": [c.id for c in crit],
                                   "uncertain_scores": n_uncertain, "proof_of_concept": poc})


@register_check("component.contract", question="q.component.contract", source="Kerncomponent 6: Contractstrategie")
def contract_strategy(ctx: ReviewContext) -> Finding:
    """Contract type recorded, contract life within the TCO horizon."""
    m = ctx.model
    ct = m.strategy.contract_type
    h = m.horizon
    if ct is None and h.contract_years is None:
        return Finding("missing", msg("contract.none"), msg("contract.none_advice"))
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if ct is not None:
        parts.append(("ok", msg("contract.type", type=name(ct))))
    else:
        parts.append(("attention", msg("contract.no_type")))
        advice.append(msg("contract.no_type_advice"))
    if h.contract_years is None:
        parts.append(("attention", msg("contract.no_years")))
        advice.append(msg("ctco.no_contract_years_advice"))
    elif h.contract_years > h.years:
        parts.append(("attention", msg("contract.longer", contract=h.contract_years, years=h.years)))
        advice.append(msg("ctco.horizon_short_advice", contract=h.contract_years))
    elif h.contract_years < h.years:
        parts.append(("ok", msg("contract.shorter", contract=h.contract_years, years=h.years)))
    else:
        parts.append(("ok", msg("contract.equal", contract=h.contract_years)))
    return _finish(parts, advice, {"contract_years": h.contract_years})


@register_check("component.exit", question="q.component.exit", source="Kerncomponent 7: Exitstrategie")
def exit_plan(ctx: ReviewContext) -> Finding:
    """An exit plan, a cap on the exit cost, legacy options that need migration."""
    m = ctx.model
    plan = m.strategy.exit_plan
    has_costs = bool((ctx.tco["exit_nominal"] > 0).any())
    if plan is None and not has_costs:
        return Finding("missing", msg("cexit.none"), msg("cexit.none_advice"))
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if plan is not None:
        parts.append(("ok", msg("cexit.plan", plan=name(plan))))
    else:
        parts.append(("attention", msg("cexit.no_plan")))
        advice.append(msg("cexit.no_plan_advice"))
    alloc = m.allocation
    if alloc is not None:
        cap = alloc.rules.max_exit_cost
        if cap is None:
            parts.append(("ok", msg("cexit.no_rule")))
            advice.append(msg("cexit.rule_advice"))
        elif ctx.portfolio is not None:
            fig = ctx.figures(ctx.portfolio)
            parts.append(("ok", msg("cexit.rule", cap=ctx.money(cap), actual=ctx.money(fig.exit_nominal))))
            verdict = _verdict(ctx.allocation, "max_exit_cost")
            if verdict is not None:
                parts.append(("ok", verdict))
        else:
            parts.append(("ok", msg("cexit.rule_only", cap=ctx.money(cap))))
    legacy = ctx.options_tagged("end_of_life")
    if legacy:
        parts.append(("ok", msg("cexit.legacy", options=names(legacy))))
    return _finish(parts, advice, {"exit_plan": plan is not None})


# =========================================================================== trade-offs
def _side_sentence(ctx: ReviewContext, side: Text, options: list[Alternative]) -> Text:
    return msg("side.count", side=side, n=count(len(options), "option"), options=names(options, 3))


def _best_ranked(ctx: ReviewContext, side: Text, options: list[Alternative]) -> Optional[Text]:
    r = ctx.ranking
    if r is None or not options:
        return None
    ranks = r.ranking.ranks
    ids = [a.id for a in options if a.id in ranks.index]
    if not ids:
        return None
    best = min(ids, key=lambda i: ranks[i])
    return msg("side.best", side=side, option=name(ctx.model.alternative(best)), rank=int(ranks[best]))


def _tradeoff(ctx: ReviewContext, left: tuple[str, Callable[[Alternative], bool]],
              right: tuple[str, Callable[[Alternative], bool]], *, tags: Sequence[str] = (),
              scenarios: Sequence[str] = (), known: Optional[Callable[[Alternative], bool]] = None,
              missing_key: str = "tradeoff.untagged", missing_advice: str = "tradeoff.untagged_advice",
              motivation: Any = None) -> Finding:
    """Both sides among the viable options? The ranking's best per side, the scenario numbers.

    ``left``/``right`` are ``(side message key, predicate)``; ``known`` says whether an
    option is classified at all (default: either predicate holds). ``motivation`` is the
    strategy's recorded reason for this trade-off: it is quoted, and a side without options
    is then a recorded choice rather than a gap.
    """
    m = ctx.model
    lkey, lpred = left
    rkey, rpred = right
    known = known or (lambda a: lpred(a) or rpred(a))
    lside, rside = msg(lkey), msg(rkey)
    if not any(known(a) for a in m.alternatives):
        if motivation is not None:
            return Finding("ok", join([msg(missing_key, tags=", ".join(tags)), msg("tradeoff.motivation", text=name(motivation))]))
        return Finding("missing", msg(missing_key, tags=", ".join(tags)), msg(missing_advice, tags=", ".join(tags)))
    if (none := _no_viable(ctx)) is not None:
        return none
    viable = ctx.viable_options
    lopts = [a for a in viable if lpred(a)]
    ropts = [a for a in viable if rpred(a)]
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    parts.append(("ok", msg("tradeoff.sides", sides=join([_side_sentence(ctx, lside, lopts),
                                                         _side_sentence(ctx, rside, ropts)], sep="; "))))
    if lopts and ropts:
        parts.append(("ok", msg("tradeoff.both")))
    elif motivation is not None:
        parts.append(("ok", msg("tradeoff.one_side_motivated", side=rside if lopts else lside)))
    else:
        absent = rside if lopts else lside
        parts.append(("attention", msg("tradeoff.one_side", side=absent)))
        advice.append(msg("tradeoff.one_side_advice", side=absent))
    if motivation is not None:
        parts.append(("ok", msg("tradeoff.motivation", text=name(motivation))))
    best = [b for b in (_best_ranked(ctx, lside, lopts), _best_ranked(ctx, rside, ropts)) if b]
    if best:
        parts.append(("ok", msg("tradeoff.best", best=join(best, sep="; "))))
    rec = ctx.recommendation
    if rec is not None and rec.kind == "portfolio":
        tco = ctx.tco
        total = float(tco.loc[list(rec.ids), "total"].sum())
        x = sum(float(tco.at[i, "total"]) for i in rec.ids if lpred(m.alternative(i)))
        y = sum(float(tco.at[i, "total"]) for i in rec.ids if rpred(m.alternative(i)))
        if total > 0:
            parts.append(("ok", msg("tradeoff.portfolio_mix", left=lside, lshare=pct(x / total),
                                    right=rside, rshare=pct(y / total))))
    if scenarios:
        if ctx.scenarios is not None:
            rows = [_scenario_text(ctx, s, side) for s, side in zip(scenarios, (lside, rside))]
            rows = [r for r in rows if r is not None]
            if rows:
                parts.append(("ok", msg("tradeoff.scenarios", rows=join(rows, sep="; "))))
            else:
                parts.append(("ok", msg("scenario.not_applicable")))
        else:
            parts.append(_scenarios_unavailable(ctx))
    return _finish(parts, advice, {"left": [a.id for a in lopts], "right": [a.id for a in ropts]})


@register_check("tradeoff.make_buy", question="q.tradeoff.make_buy",
                source="Sleuteloverweging: Make vs. buy: Wanneer zelf ontwikkelen en wanneer inkopen?")
def make_or_buy(ctx: ReviewContext) -> Finding:
    return _tradeoff(ctx, ("side.make", _is_make), ("side.buy", lambda a: not _is_make(a)),
                     tags=("make", "buy"), scenarios=("only_make", "only_buy"), motivation=ctx.model.strategy.make_or_buy)


@register_check("tradeoff.open_source", question="q.tradeoff.open_source",
                source="Sleuteloverweging: Open source vs. commercieel: Wat is de juiste balans?")
def open_or_commercial(ctx: ReviewContext) -> Finding:
    return _tradeoff(ctx, ("side.open_source", lambda a: "open_source" in a.tags),
                     ("side.commercial", lambda a: "commercial" in a.tags),
                     tags=("open_source", "commercial"), scenarios=("only_open_source", "only_commercial"),
                     motivation=ctx.model.strategy.open_source)


@register_check("tradeoff.supplier_size", question="q.tradeoff.supplier_size",
                source="Sleuteloverweging: Grote vs. kleine leveranciers: Hoe diversifieer je je leveranciersportfolio?")
def large_or_small(ctx: ReviewContext) -> Finding:
    f = _tradeoff(ctx, ("side.large", lambda a: ctx.is_sme(a.supplier) is False),
                  ("side.small", lambda a: ctx.is_sme(a.supplier) is True),
                  tags=("sme",), missing_key="size.unknown", missing_advice="tradeoff.sme_advice",
                  motivation=ctx.model.strategy.supplier_size)
    if f.status == "missing" or ctx.portfolio is None:
        return f
    alloc = ctx.model.allocation
    fig = ctx.figures(ctx.portfolio)
    extra: list[Text] = []
    if not math.isnan(fig.sme_share):
        extra.append(msg("size.sme_share", share=pct(fig.sme_share),
                         n=count(len(fig.spend_by_supplier), "supplier")))
    rule = alloc.rules.min_sme_share
    a = ctx.allocation
    if not math.isnan(fig.sme_share):
        extra.append(_share_base_note(ctx.model))
    verdict = _verdict(a, "min_sme_share")
    if rule is not None and verdict is not None:
        extra.append(verdict)
    elif rule is not None:
        binding = "min_sme_share" in list(getattr(a, "binding_rules", []) or [])
        extra.append(msg("size.rule_binds" if binding else "size.rule_slack", rule=pct(rule)))
    return Finding(f.status, join([f.finding, *extra]), f.advice, f.data)


#: Where the review states each rule's verdict: every rule a model can set has one home, next
#: to the question it answers (the budget to TCO, the supplier rules to competition, the SME
#: share to large vs small suppliers, the exit cap to the exit strategy, pinned and banned
#: options to the sourcing model).
VERDICT_CHECKS = {
    "budget": "evaluation.tco", "yearly_budget": "evaluation.tco", "min_value": "evaluation.tco",
    "max_supplier_share": "evaluation.competition", "min_suppliers": "evaluation.competition",
    "max_lots_per_supplier": "evaluation.competition",
    "min_sme_share": "tradeoff.supplier_size",
    "max_exit_cost": "evaluation.exit",
    "pin": "component.sourcing", "ban": "component.sourcing",
}


def _rule_verdicts(ctx: ReviewContext, check: str, skip: tuple = ()) -> list[tuple[str, Text]]:
    """The allocation's verdicts on the rules whose home is ``check`` (``skip``: stated already)."""
    a = ctx.allocation
    rules = [v.rule for v in getattr(a, "verdicts", ()) if VERDICT_CHECKS.get(v.rule) == check and v.rule not in skip]
    return [("ok", text) for text in (_verdict(a, r) for r in rules) if text is not None]


def _verdict(allocation: Any, rule: str) -> Optional[Text]:
    """The allocation's one verdict on ``rule`` (decide.portfolio.verdict), as a Text."""
    get = getattr(allocation, "verdict", None)
    v = get(rule) if callable(get) and getattr(allocation, "has_solution", False) else None
    if v is None:
        return None
    return Text(nl=v.text("nl"), en=v.text("en"))


def _share_base_note(model: Any) -> Text:
    """Which spend the shares are measured against."""
    from decide.i18n import t

    base = model.allocation.rules.share_base if model.allocation is not None else "options"
    return msg("share_base_note", base=Text(nl=t(f"portfolio.share_base_{base}", "nl"),
                                             en=t(f"portfolio.share_base_{base}", "en")))


def _is_monolithic(a: Alternative) -> bool:
    if "monolithic" in a.tags:
        return True
    return "modular" not in a.tags and len(a.covers) > 1


def _is_modular(a: Alternative) -> bool:
    if "modular" in a.tags and "monolithic" not in a.tags:
        return True
    return "monolithic" not in a.tags and "modular" not in a.tags and len(a.covers) == 1


@register_check("tradeoff.modularity", question="q.tradeoff.modularity",
                source="Sleuteloverweging: Monolithisch vs. modulair: Eén grote of meerdere kleine oplossingen?")
def monolithic_or_modular(ctx: ReviewContext) -> Finding:
    return _tradeoff(ctx, ("side.monolithic", _is_monolithic), ("side.modular", _is_modular),
                     tags=("monolithic", "modular"), scenarios=("only_monolithic", "only_modular"),
                     motivation=ctx.model.strategy.modularity)


@register_check("tradeoff.standard_custom", question="q.tradeoff.standard_custom",
                source="Sleuteloverweging: Standaard vs. maatwerk: Wanneer is aanpassing noodzakelijk?")
def standard_or_custom(ctx: ReviewContext) -> Finding:
    return _tradeoff(ctx, ("side.standard", lambda a: "standard" in a.tags),
                     ("side.custom", lambda a: "custom" in a.tags), tags=("standard", "custom"),
                     motivation=ctx.model.strategy.standard_or_custom)


def _cheapest_covers(ctx: ReviewContext):
    """With modules, options of different scope cannot be compared one by one: compare the
    portfolio that covers every required module at the least one-off cost with the one at the
    least TCO, both under the model's supplier rules (no budget). None when not computable."""
    return ctx.cheapest_covers  # the analysis's stage: the check falls back to single options without it


@register_check("tradeoff.term", question="q.tradeoff.term",
                source="Sleuteloverweging: Korte vs. lange termijn: Hoe balanceer je directe behoeften met toekomstbestendigheid?")
def short_or_long_term(ctx: ReviewContext) -> Finding:
    """Cheapest up front vs cheapest over the horizon; weight on future-proofing criteria."""
    if (none := _no_viable(ctx)) is not None:
        return none
    m = ctx.model
    tco = ctx.tco
    viable = list(ctx.viable)
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    h = m.horizon
    data: dict = {"years": h.years, "contract_years": h.contract_years}
    covers = _cheapest_covers(ctx) if m.allocation is not None and m.allocation.modules else None
    if covers is not None:
        (up_ids, up_once, up_tco), (tc_ids, tc_once, tc_tco) = covers
        data.update(cheapest_upfront=list(up_ids), cheapest_tco=list(tc_ids))
        label = lambda ids: names([m.alternative(i) for i in ids])  # noqa: E731
        if set(up_ids) == set(tc_ids):
            parts.append(("ok", msg("term.portfolio_same", options=label(up_ids), upfront=ctx.money(up_once),
                                    tco=ctx.money(tc_tco), years=h.years)))
        else:
            parts.append(("ok", msg("term.portfolio_differ", upfront_options=label(up_ids),
                                    upfront=ctx.money(up_once), tco_a=ctx.money(up_tco),
                                    tco_options=label(tc_ids), tco=ctx.money(tc_tco), years=h.years)))
    elif viable and (tco.loc[viable, "nominal"] > 0).any():
        sub = tco.loc[viable]
        upfront = sub["once"] + sub["integration"]
        a, b = str(upfront.idxmin()), str(sub["total"].idxmin())
        data.update(cheapest_upfront=a, cheapest_tco=b)
        if a == b:
            parts.append(("ok", msg("term.same", option=name(m.alternative(a)), upfront=ctx.money(upfront[a]),
                                    tco=ctx.money(sub.at[a, "total"]), years=h.years)))
        else:
            parts.append(("ok", msg("term.differ", upfront_option=name(m.alternative(a)),
                                    upfront=ctx.money(upfront[a]), tco_a=ctx.money(sub.at[a, "total"]),
                                    tco_option=name(m.alternative(b)), tco=ctx.money(sub.at[b, "total"]),
                                    years=h.years)))
    else:
        parts.append(("missing", msg("tco.no_costs")))
        advice.append(msg("tco.no_costs_advice"))
    future = ctx.criteria_like(FUTURE_WORDS)
    if future:
        data["future_weight"] = ctx.weight_of(future)
        parts.append(("ok", msg("term.future", criteria=names(future), weight=_weight_text(ctx, future))))
    elif m.criteria:
        parts.append(("attention", msg("term.no_future")))
        advice.append(msg("term.no_future_advice"))
    if h.contract_years is None:
        parts.append(("attention", msg("term.no_contract_years", years=h.years)))
        advice.append(msg("ctco.no_contract_years_advice"))
    elif h.contract_years < h.years:
        parts.append(("ok", msg("term.retender", contract=h.contract_years, years=h.years)))
    if m.strategy.contract_term is not None:
        parts.append(("ok", msg("tradeoff.motivation", text=name(m.strategy.contract_term))))
    return _finish(parts, advice, data)


_LEVEL_KEYS = {"central": "level.central", "decentral": "level.decentral", "joint": "level.joint"}


@register_check("tradeoff.level", question="q.tradeoff.level",
                source="Sleuteloverweging: Centrale vs. decentrale inkoop: Wat is het juiste niveau voor besluitvorming?")
def central_or_decentral(ctx: ReviewContext) -> Finding:
    """The procurement level recorded; shared-service options (central provision) considered."""
    m = ctx.model
    level = m.strategy.procurement_level
    shared = ctx.options_tagged("shared_service", ctx.viable_options)
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if level is None:
        parts.append(("missing", msg("level.none")))
        advice.append(msg("level.none_advice"))
    else:
        parts.append(("ok", msg("level.is", level=msg(_LEVEL_KEYS[level]))))
    if shared:
        parts.append(("ok", msg("level.shared", options=names(shared))))
    else:
        parts.append(("ok", msg("level.no_shared")))
    return _finish(parts, advice, {"procurement_level": level, "shared_service_options": [a.id for a in shared]})
