"""The review's checks of the seed's best practices and challenges.

- ``practice.*``: the seven "Best practices voor technologie-inkoop";
- ``challenge.*``: the five "Uitdagingen en oplossingen".

Each is answered from the model's ``strategy`` section (facts recorded as ``true``/``false``
or a text saying how), its ``award`` section, the contract length against the horizon,
exit costs and legacy options, and the spread of the participants' judgements.
"""
from __future__ import annotations

from typing import Any, Optional

from decide.model import Alternative
from decide.review._core import Finding, register_check
from decide.review._text import Text, count, join, msg, name, names, num, pct
from decide.review.context import FUTURE_WORDS, ReviewContext, is_make

#: Tags that mark a legacy option (the current system, to be migrated away from).
LEGACY_TAGS = ("end_of_life", "legacy", "current")
#: Tags that mark software development (where agile contracting applies).
DEVELOPMENT_TAGS = ("make", "custom")
#: Fewer distinct suppliers than this among the options: limited market knowledge.
MIN_SUPPLIERS_KNOWN = 3
#: Goepel's consensus S* below this is a low consensus among the participants.
LOW_CONSENSUS = 0.65


def _src_practice(text: str) -> str:
    return f"Best practice: {text}"


def _src_challenge(text: str) -> str:
    return f"Uitdaging: {text}"


def _finish(parts: list[tuple[str, Text]], advice: list[Text], data: Optional[dict] = None) -> Finding:
    from decide.review._core import worst

    status = worst(*(s for s, _ in parts)) if parts else "ok"
    return Finding(status, join(p for _, p in parts), join(advice), data or {})


def _fact(value: Any, key: str) -> tuple[str, Text]:
    """(status, sentence) for a best-practice fact: missing, no, yes, or how (a text)."""
    if value is None:
        return "missing", msg("practice.unrecorded", key=key)
    if value is False:
        return "attention", msg("practice.no", key=key)
    if value is True:
        return "ok", msg("practice.yes")
    return "ok", msg("practice.how", how=name(value))


def _development(ctx: ReviewContext) -> list[Alternative]:

    return [a for a in ctx.viable_options if is_make(a) or any(t in a.tags for t in DEVELOPMENT_TAGS)]


def award_motivation(model) -> Any:
    """The motivation of an award method other than the best price-quality ratio: the award
    section's own, or the strategy's when the strategy names the same method."""
    sec = model.award
    if sec is None:
        return None
    if sec.motivation is not None:
        return sec.motivation
    s = model.strategy
    return s.award_motivation if s.award == sec.method else None


def award_of(ctx: ReviewContext):
    """The model's award section evaluated (no simulation): the analysis's ``award_evaluation``."""
    return ctx._get("award")


# =========================================================================== best practices
@register_check("practice.market_engagement", question="q.practice.market_engagement",
                source=_src_practice("Vroege marktbetrokkenheid: Ga in gesprek met leveranciers vóór formele aanbesteding"))
def market_engagement(ctx: ReviewContext) -> Finding:
    s = ctx.model.strategy
    value = s.market_consultation
    parts = [_fact(value, "market_consultation")]
    advice = [] if value else [msg("practice.market_engagement_advice")]
    suppliers = ctx.suppliers_of(ctx.model.alternatives)
    parts.append(("ok", msg("practice.market_breadth", n=count(len(suppliers), "supplier"))))
    return _finish(parts, advice, {"market_consultation": value, "suppliers": len(suppliers)})


@register_check("practice.functional_specs", question="q.practice.functional_specs",
                source=_src_practice("Functionele specificaties: Focus op wat je wilt bereiken, niet hoe"))
def functional_specs(ctx: ReviewContext) -> Finding:
    s = ctx.model.strategy
    value = s.functional_specification
    parts = [_fact(value, "functional_specification")]
    advice = [] if value else [msg("practice.functional_specs_advice")]
    if s.needs:
        parts.append(("ok", msg("practice.needs", n=count(len(s.needs), "need"), needs=names(s.needs, 5))))
    return _finish(parts, advice, {"functional_specification": bool(value) if value is not None else None})


@register_check("practice.proof_of_concept", question="q.practice.proof_of_concept",
                source=_src_practice("Proof of concepts: Test oplossingen voordat je je vastlegt"))
def proof_of_concept(ctx: ReviewContext) -> Finding:
    m = ctx.model
    value = m.strategy.proof_of_concept
    uncertain = 0
    if m.criteria:
        try:
            uncertain = int((m.score_bounds()[3] != "fixed").sum())
        except Exception:  # noqa: BLE001 - scores are the loader's business
            uncertain = 0
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if value is None:
        parts.append(("missing", msg("practice.unrecorded", key="proof_of_concept")))
        advice.append(msg("practice.poc_advice"))
    elif value:
        parts.append(("ok", msg("practice.yes")))
    elif uncertain:
        parts.append(("attention", msg("practice.poc_no_uncertain", n=uncertain)))
        advice.append(msg("practice.poc_advice"))
    else:
        parts.append(("ok", msg("practice.poc_no_certain")))
    if value and uncertain:
        parts.append(("ok", msg("practice.poc_uncertain", n=uncertain)))
    return _finish(parts, advice, {"proof_of_concept": value, "uncertain_scores": uncertain})


@register_check("practice.agile_contracting", question="q.practice.agile_contracting",
                source=_src_practice("Agile contracting: Gebruik flexibele contractvormen voor softwareontwikkeling"))
def agile_contracting(ctx: ReviewContext) -> Finding:
    value = ctx.model.strategy.agile_contracting
    dev = _development(ctx)
    data = {"agile_contracting": bool(value) if value is not None else None, "development_options": [a.id for a in dev]}
    if value:
        return _finish([_fact(value, "agile_contracting")], [], data)
    if dev:
        status, sentence = _fact(value, "agile_contracting")
        return _finish([(status, sentence), ("attention" if status == "ok" else status,
                                               msg("practice.agile_development", options=names(dev)))],
                       [msg("practice.agile_advice")], data)
    key = "practice.agile_not_needed_no" if value is False else "practice.agile_not_needed"
    advice = [] if value is False else [msg("practice.agile_record_advice")]
    return _finish([("ok", msg(key))], advice, data)


@register_check("practice.contract_reviews", question="q.practice.contract_reviews",
                source=_src_practice("Regelmatige evaluatie: Herzie contracten en relaties periodiek"))
def contract_reviews(ctx: ReviewContext) -> Finding:
    m = ctx.model
    value = m.strategy.contract_reviews
    parts = [_fact(value, "contract_reviews")]
    advice = [] if value else [msg("practice.contract_reviews_advice")]
    h = m.horizon
    if h.contract_years is not None and h.contract_years < h.years:
        parts.append(("ok", msg("practice.retender_moment", contract=h.contract_years, years=h.years)))
    return _finish(parts, advice, {"contract_reviews": bool(value) if value is not None else None})


@register_check("practice.partnership", question="q.practice.partnership",
                source=_src_practice("Samenwerking met leveranciers: Bouw partnerschappen in plaats van strikt klant-leverancier relaties"))
def partnership(ctx: ReviewContext) -> Finding:
    value = ctx.model.strategy.supplier_partnership
    parts = [_fact(value, "supplier_partnership")]
    advice = [] if value else [msg("practice.partnership_advice")]
    return _finish(parts, advice, {"supplier_partnership": bool(value) if value is not None else None})


@register_check("practice.knowledge_sharing", question="q.practice.knowledge_sharing",
                source=_src_practice("Kennisdeling: Deel ervaringen binnen de overheid"))
def knowledge_sharing(ctx: ReviewContext) -> Finding:
    s = ctx.model.strategy
    value = s.knowledge_sharing
    shared = ctx.options_tagged("shared_service")
    evidence = s.procurement_level == "joint" or bool(shared)
    status, sentence = _fact(value, "knowledge_sharing")
    if status == "missing" and evidence:
        status = "attention"
    parts = [(status, sentence)]
    if s.procurement_level == "joint":
        parts.append(("ok", msg("practice.joint")))
    if shared:
        parts.append(("ok", msg("practice.shared_service", options=names(shared))))
    advice = [] if value else [msg("practice.knowledge_sharing_advice")]
    return _finish(parts, advice, {"knowledge_sharing": bool(value) if value is not None else None})


# =========================================================================== challenges
@register_check("challenge.procurement_rules", question="q.challenge.procurement_rules",
                source=_src_challenge("Complexe aanbestedingsregels: Investeer in expertise en zoek innovatieve aanbestedingsvormen"))
def procurement_rules(ctx: ReviewContext) -> Finding:
    """The award formula tested before publication: weights, motivation, the rank paradox."""
    from decide.award.from_model import BEST_PRICE_QUALITY
    from decide.award.text import suggestion_text

    m = ctx.model
    sec = m.award
    if sec is None:
        return Finding("missing", msg("rules.no_award"), msg("rules.no_award_advice"))
    a = award_of(ctx)
    parts: list[tuple[str, Text]] = [("ok", msg("rules.method", method=msg(f"award.{sec.method}"),
                                                  n=count(len(sec.quality), "award_criterion")))]
    advice: list[Text] = []
    data: dict = {"method": sec.method, "bids": len(sec.bids)}
    if sec.method not in BEST_PRICE_QUALITY and award_motivation(m) is None:
        parts.append(("attention", msg("rules.unmotivated", method=msg(f"award.{sec.method}"))))
        advice.append(msg("legal.award_advice"))
    ev = a.evaluation if a is not None else None
    if ev is not None:
        data.update(winner=ev.winner, paradox=[s.to_dict() for s in ev.paradox])
        parts.append(("ok", msg("rules.tested", n=count(len(sec.bids), "bid"), winner=ev.winner)))
    else:
        parts.append(("attention", msg("rules.no_bids")))
        advice.append(msg("rules.no_bids_advice"))
    if ev is not None and ev.relative:
        swaps = "; ".join(f"{s.removed}: {s.a}/{s.b}" for s in ev.paradox)
        parts.append(("attention", msg("rules.relative_paradox", swaps=swaps) if ev.paradox else msg("rules.relative")))
        sug = {lang: suggestion_text(a, lang) for lang in ("nl", "en")}
        advice.append(Text(**sug) if sug["nl"] and sug["en"] else msg("rules.relative_advice"))
    elif ev is not None:
        parts.append(("ok", msg("rules.absolute")))
    return _finish(parts, advice, data)


@register_check("challenge.technology_change", question="q.challenge.technology_change",
                source=_src_challenge("Snelle technologische verandering: Bouw flexibiliteit in contracten"))
def technology_change(ctx: ReviewContext) -> Finding:
    """Contract length against the horizon, the recorded term trade-off, agile contracts."""

    m = ctx.model
    h = m.horizon
    s = m.strategy
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if h.contract_years is None:
        parts.append(("missing", msg("change.no_contract_years", years=h.years)))
        advice.append(msg("ctco.no_contract_years_advice"))
    elif h.contract_years < h.years:
        parts.append(("ok", msg("change.shorter", contract=h.contract_years, years=h.years)))
    elif s.contract_term is not None:
        parts.append(("ok", msg("change.whole_horizon_motivated", contract=h.contract_years)))
    else:
        parts.append(("attention", msg("change.whole_horizon", contract=h.contract_years, years=h.years)))
        advice.append(msg("change.whole_horizon_advice"))
    if s.contract_term is not None:
        parts.append(("ok", msg("change.term", text=name(s.contract_term))))
    if s.agile_contracting:
        parts.append(("ok", msg("change.agile")))
    future = ctx.criteria_like(FUTURE_WORDS)
    if future:
        w = ctx.weight_of(future)
        parts.append(("ok", msg("term.future", criteria=names(future), weight=pct(w) if w is not None else "?")))
    return _finish(parts, advice, {"contract_years": h.contract_years, "years": h.years})


@register_check("challenge.market_knowledge", question="q.challenge.market_knowledge",
                source=_src_challenge("Beperkte marktkennis: Voer gedegen marktonderzoek uit"))
def market_knowledge(ctx: ReviewContext) -> Finding:
    """Market consultation, the breadth of the options, how uncertain the scores still are."""
    m = ctx.model
    s = m.strategy
    suppliers = ctx.suppliers_of(m.alternatives)
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if s.market_consultation is None:
        parts.append(("missing", msg("knowledge.unknown")))
        advice.append(msg("market.consultation_advice"))
    elif s.market_consultation:
        parts.append(("ok", msg("knowledge.consulted")))
    else:
        parts.append(("attention", msg("knowledge.not_consulted")))
        advice.append(msg("market.consultation_advice"))
    if len(suppliers) < MIN_SUPPLIERS_KNOWN:
        parts.append(("attention", msg("knowledge.few_suppliers", n=count(len(suppliers), "supplier"), min=MIN_SUPPLIERS_KNOWN)))
        advice.append(msg("competition.few_suppliers_advice"))
    else:
        parts.append(("ok", msg("knowledge.suppliers", n=count(len(suppliers), "supplier"),
                                options=count(len(m.alternatives), "option"))))
    uncertain = 0
    if m.criteria:
        try:
            uncertain = int((m.score_bounds()[3] != "fixed").sum())
        except Exception:  # noqa: BLE001
            uncertain = 0
    if uncertain:
        parts.append(("ok", msg("knowledge.uncertain", n=uncertain)))
    return _finish(parts, advice, {"suppliers": len(suppliers), "uncertain_scores": uncertain,
                                   "market_consultation": s.market_consultation})


@register_check("challenge.legacy", question="q.challenge.legacy",
                source=_src_challenge("Legacy-afhankelijkheden: Ontwikkel migratiestrategieën"))
def legacy(ctx: ReviewContext) -> Finding:
    """Legacy options, the migration (exit) plan, exit costs as the cost of migrating away."""
    m = ctx.model
    legacy_opts = [a for a in m.alternatives if any(t in a.tags for t in LEGACY_TAGS)]
    plan = m.strategy.exit_plan
    tco = ctx.tco
    lacking = [a for a in m.alternatives if float(tco.at[a.id, "exit_nominal"]) <= 0]
    parts: list[tuple[str, Text]] = []
    advice: list[Text] = []
    if legacy_opts:
        parts.append(("ok", msg("legacy.options", options=names(legacy_opts))))
    if plan is not None:
        parts.append(("ok", msg("legacy.plan", plan=name(plan))))
    elif legacy_opts:
        parts.append(("attention", msg("legacy.no_plan")))
        advice.append(msg("legacy.plan_advice"))
    else:
        parts.append(("missing", msg("legacy.nothing")))
        advice.append(msg("legacy.nothing_advice"))
    if lacking:
        parts.append(("attention", msg("legacy.no_exit_costs", options=names(lacking), n=len(lacking))))
        advice.append(msg("exit.some_missing_advice"))
    else:
        total = float(tco["exit_nominal"].max())
        parts.append(("ok", msg("legacy.exit_costs", n=count(len(m.alternatives), "option"), top=ctx.money(total))))
    return _finish(parts, advice, {"legacy_options": [a.id for a in legacy_opts], "exit_plan": plan is not None,
                                   "without_exit_cost": len(lacking)})


@register_check("challenge.stakeholders", question="q.challenge.stakeholders",
                source=_src_challenge("Balanceren van meerdere belangen: Stem af met alle belanghebbenden"))
def stakeholders(ctx: ReviewContext) -> Finding:
    """Who set the weights: the AHP participants and how far they agree (Goepel's S*)."""
    m = ctx.model
    if not m.criteria:
        return Finding("missing", msg("stake.no_criteria"), msg("stake.no_criteria_advice"))
    w = m.weights
    participants = list(w.ahp.participants) if (w.method == "ahp" and w.ahp is not None) else []
    data: dict = {"weights_method": w.method, "participants": [p.name for p in participants]}
    if w.method != "ahp":
        return Finding("attention", msg("stake.not_ahp", method=w.method), msg("stake.not_ahp_advice"), data)
    if len(participants) < 2:
        return Finding("attention", msg("stake.one", who=participants[0].name if participants else "-"),
                       msg("stake.one_advice"), data)

    derivation = ctx._get("derivation")  # the analysis's weights stage
    parts: list[tuple[str, Text]] = [("ok", msg("stake.participants", n=len(participants),
                                                  who=names([p.name for p in participants], 6)))]
    advice: list[Text] = []
    cons = getattr(derivation, "consensus", {}) or {}
    top = cons.get(None)
    if top is not None:
        value = float(top.value)
        data["consensus"] = value
        if value < LOW_CONSENSUS:
            parts.append(("attention", msg("stake.low", value=num(value, 2))))
            advice.append(msg("stake.low_advice"))
        else:
            parts.append(("ok", msg("stake.consensus", value=num(value, 2), band=msg(f"stake.band_{top.band}"))))
    return _finish(parts, advice, data)
