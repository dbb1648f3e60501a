"""The report's award section: the award formula's bid evaluation, the rank-paradox check
and the simulation of candidate formulas (tables on the "Gunning"/"Award" sheet, and the
blocks of the Markdown/HTML report).

Present when the model has an ``award`` section; the analysis computes it once
(:func:`decide.award.award_model`), every face reads ``analysis.award``.
"""
from __future__ import annotations

import math
from typing import Any, Mapping, Optional

from decide import i18n
from decide.report.table import Table, _table

__all__ = ["AWARD_TABLES", "award_bids_table", "award_parts_table", "award_paradox_table",
           "award_simulation_table"]

SECTION = "award"


def _a(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"award.{key}", lang, **kw)


def _award(analysis: Any):
    return getattr(analysis, "award", None)


def award_bids_table(analysis: Any, lang: str) -> Optional[Table]:
    """Per bid: price, price score, quality score, total / fictive price / utility, rank."""
    a = _award(analysis)
    if a is None or a.evaluation is None:
        return None
    ev = a.evaluation
    t = ev.table
    kinds = {"price": "money", "price_score": "number", "quality_score": "number", "total": "number",
             "fictive_price": "money", "utility": "score"}
    if ev.method == "utility_index":
        kinds["quality_score"] = "pct"
    shown = [c for c in kinds if c == "price" or t[c].notna().any()]
    cols = [(_a("column.bid", lang), "id"), (_a("column.label", lang), "text")]
    cols += [(_a(f"column.{c}", lang), kinds[c]) for c in shown] + [(_a("column.rank", lang), "int")]
    rows = [(bid, a.bid_label(bid, lang), *[float(t.at[bid, c]) for c in shown], int(t.at[bid, "rank"]))
            for bid in t.index]
    from decide.award.text import summary_text

    note = summary_text(a, lang)
    if math.isfinite(ev.eur_per_point):
        note += " " + _a("rate", lang, rate=i18n.fmt_money(ev.eur_per_point, lang, analysis.model.currency))
    return _table("award_bids", SECTION, _a("report.bids", lang), cols, rows, note=note)


def award_parts_table(analysis: Any, lang: str) -> Optional[Table]:
    """Per bid and criterion: the level, its fraction of the maximum, the weight and the contribution."""
    a = _award(analysis)
    if a is None or a.evaluation is None or a.evaluation.parts.empty:
        return None
    from decide.model import text as label_text

    money = a.evaluation.method == "fictive_price"
    cols = [(_a("column.bid", lang), "text"), (_a("column.criterion", lang), "text"), (_a("column.level", lang), "text"),
            (_a("column.fraction", lang), "pct"), (_a("column.weight", lang), "money" if money else "number"),
            (_a("column.contribution", lang), "money" if money else "number")]
    rows = [(r["bid"], label_text(a.criteria_labels.get(r["criterion"]), lang, r["criterion"]),
             "" if r["level"] is None or r["level"] != r["level"] else str(r["level"]),
             r["fraction"], r["weight"], r["contribution"]) for r in a.evaluation.parts.to_dict(orient="records")]
    return _table("award_parts", SECTION, _a("parts_heading", lang), cols, rows)


def award_paradox_table(analysis: Any, lang: str) -> Optional[Table]:
    """Every pair that swaps when another bid is removed (an empty table says: none)."""
    a = _award(analysis)
    if a is None or a.evaluation is None:
        return None
    ev = a.evaluation
    cols = [(_a("column.removed", lang), "text"), (_a("column.swapped", lang), "text")]
    rows = [(s.removed, _a("paradox.swap", lang, removed=s.removed, a=s.a, b=s.b)) for s in ev.paradox]
    notes = [_a("paradox.found", lang, n=len(ev.paradox)) if ev.paradox else _a("paradox.none", lang)]
    if ev.relative:
        notes.append(_a("relative_warning", lang))
        from decide.award.text import suggestion_text

        sug = suggestion_text(a, lang)
        if sug:
            notes.append(sug)
    return _table("award_paradox", SECTION, _a("report.paradox", lang), cols, rows, note=" ".join(notes))


def award_simulation_table(analysis: Any, lang: str) -> Optional[Table]:
    """Per candidate formula and weight split: effective price weight, money per quality point,
    paradox frequency and the probability that each option type wins."""
    a = _award(analysis)
    if a is None or a.simulation is None:
        return None
    sim = a.simulation
    model = analysis.model
    cols = [(_a("column.formula", lang), "text"), (_a("column.price_share", lang), "pct"),
            (_a("column.effective_price_weight", lang), "pct"), (_a("column.eur_per_point", lang), "money"),
            (_a("column.paradox_frequency", lang), "pct")]
    cols += [(model.alternative(ty).name(lang), "pct") for ty in sim.types]

    def num(v: Any) -> Optional[float]:
        f = float(v)
        return None if math.isnan(f) or math.isinf(f) else f

    rows = []
    for _, r in sim.table.iterrows():
        rows.append((_a(f"formula.{r['formula']}", lang), num(r["price_share"]), num(r["effective_price_weight"]),
                     num(r["eur_per_point"]), num(r["paradox_frequency"]), *[num(r[f"win:{ty}"]) for ty in sim.types]))
    from decide.award.text import best_text

    head = _a("sim.heading", lang, tenders=sim.tenders, seed=sim.seed,
              price_spread=i18n.fmt_pct(sim.price_spread, lang), quality_spread=i18n.fmt_number(sim.quality_spread, lang, 2))
    note = " ".join([head + ".", _a("sim.note", lang), best_text(a, lang)])
    return _table("award_simulation", SECTION, _a("report.simulation", lang), cols, rows, note=note)


#: The award tables, in report order.
AWARD_TABLES = (award_bids_table, award_parts_table, award_paradox_table, award_simulation_table)
