"""The bundling motivation skeleton of Aanbestedingswet 2012 art. 1.5, filled from the model.

Art. 1.5 forbids combining contracts unnecessarily; before combining, the contracting
authority weighs at least (a) the composition of the relevant market and the effect of
combining on access for small and medium-sized enterprises, (b) the organisational
consequences and risks of combining for the authority and the contractor, and (c) how
closely the contracts are related, and it motivates the choice in the tender documents.

When the recommendation gives one supplier several modules, :func:`bundling_skeleton`
writes that motivation's outline with what the model knows (market figures, SME share,
risks, exit cost, module importance), and marks what the buyer has to complete.
"""
from __future__ import annotations

from typing import Optional

from decide.review._text import Text, count, join, msg, name, names, pct
from decide.review.context import ReviewContext

__all__ = ["bundling_skeleton"]


def _bullet(text: Text) -> Text:
    return join([Text.same("  -"), text])


def bundling_skeleton(ctx: ReviewContext) -> Optional[Text]:
    """The art. 1.5 motivation outline, or None when nothing is bundled with one supplier."""
    rec = ctx.recommendation
    if rec is None:
        return None
    fig = ctx.figures(rec.ids)
    bundles = fig.bundles
    if not bundles:
        return None
    m = ctx.model
    lines: list[Text] = [msg("skeleton.heading", title=lambda lang: m.name(lang)), msg("skeleton.draft"), Text()]
    total_spend = fig.supplier_spend
    for sup, mods in bundles.items():
        spend = fig.spend_by_supplier.get(sup, 0.0)
        lines.append(msg("skeleton.intro", what=ctx.recommendation_text(), supplier=ctx.supplier_name(sup),
                         modules=names([ctx.module_name(x) for x in mods], 8),
                         share=pct(spend / total_spend) if total_spend > 0 else "–",
                         spend=ctx.money(spend), years=m.horizon.years))
    bundled_modules = [x for mods in bundles.values() for x in mods]
    viable = ctx.viable_options
    suppliers = ctx.suppliers_of(viable)
    sme = [s for s in suppliers if ctx.is_sme(s)]

    # (a) market and SME access
    lines += [Text(), msg("skeleton.a")]
    lines.append(_bullet(msg("skeleton.a_market", options=count(len(viable), "viable_option"),
                             suppliers=count(len(suppliers), "supplier"), sme=len(sme),
                             sme_names=names([ctx.supplier_name(s) for s in sme], 6))))
    for mod in bundled_modules:
        offers = [a for a in viable if mod in a.covers]
        others = ctx.suppliers_of(offers)
        lines.append(_bullet(msg("skeleton.a_module", module=ctx.module_name(mod), n=count(len(offers), "option"),
                                 suppliers=names([ctx.supplier_name(s) for s in others], 6))))
    rule = m.allocation.rules.min_sme_share if m.allocation is not None else None
    if fig.sme_share == fig.sme_share:  # not NaN
        lines.append(_bullet(msg("skeleton.a_sme_share", share=pct(fig.sme_share),
                                 rule=pct(rule) if rule is not None else msg("word.none"))))
    mc = m.strategy.market_consultation
    lines.append(_bullet(msg("skeleton.a_consultation_yes" if mc else (
        "skeleton.a_consultation_no" if mc is False else "skeleton.a_consultation_unknown"))))
    lines.append(_bullet(msg("skeleton.todo_a")))

    # (b) organisational consequences and risks
    lines += [Text(), msg("skeleton.b")]
    for risk in m.strategy.risks:
        lines.append(_bullet(msg("skeleton.b_risk", risk=name(risk))))
    if not m.strategy.risks:
        lines.append(_bullet(msg("skeleton.b_no_risks")))
    bundled_ids = [i for i in rec.ids if m.alternative(i).supplier in bundles]
    sub = ctx.figures(bundled_ids)
    lines.append(_bullet(msg("skeleton.b_exit", exit=ctx.money(sub.exit_nominal), share=pct(sub.exit_share, 1))))
    limit = m.allocation.rules.max_supplier_share if m.allocation is not None else None
    if limit is not None:
        lines.append(_bullet(msg("skeleton.b_share_rule", limit=pct(limit))))
    lines.append(_bullet(msg("skeleton.todo_b")))

    # (c) how closely the contracts are related
    lines += [Text(), msg("skeleton.c")]
    for sup in bundles:
        opts = [m.alternative(i) for i in bundled_ids if m.alternative(i).supplier == sup]
        suites = [a for a in opts if len(a.covers) > 1]
        key = "skeleton.c_one_option" if len(opts) == 1 and suites else "skeleton.c_separate"
        lines.append(_bullet(msg(key, supplier=ctx.supplier_name(sup), options=names(opts, 6))))
    modules = {x.id: x for x in (m.allocation.modules if m.allocation is not None else [])}
    total = sum(x.importance for x in modules.values()) or 1.0
    if modules:
        lines.append(_bullet(msg("skeleton.c_importance", modules=names(
            [(lambda mod: (lambda lang: f"{mod.name(lang)} ({pct(mod.importance / total)(lang)})"))(modules[x])
             for x in bundled_modules if x in modules], 8))))
    separately = [x for x in bundled_modules
                  if any(x in a.covers and len(a.covers) == 1 for a in viable)]
    if separately:
        lines.append(_bullet(msg("skeleton.c_separately", modules=names([ctx.module_name(x) for x in separately], 8))))
    lines.append(_bullet(msg("skeleton.todo_c")))
    lines += [Text(), msg("skeleton.closing")]
    return join(lines, sep="\n", keep_empty=True)
