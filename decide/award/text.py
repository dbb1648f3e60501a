"""The award evaluation and simulation as plain text (the command line prints it)."""
from __future__ import annotations

import math
from typing import Optional

import pandas as pd

from decide.i18n import fmt_money, fmt_number, fmt_pct, t
from decide.model import text as label_text

__all__ = ["format_award", "summary_text", "bids_frame", "parts_frame", "simulation_frame", "swap_texts",
           "suggestion_text", "best_text"]


def _m(key: str, lang: str, **kw) -> str:
    return t(f"award.{key}", lang, **kw)


def _pts(x: float, lang: str) -> str:
    s = fmt_number(x, lang, 2)
    sep = "," if lang == "nl" else "."
    return s.rstrip("0").rstrip(sep) if sep in s else s


def summary_text(award, lang: str) -> str:
    """One sentence naming the method and its weights."""
    sec = award.section
    cur = award.model.currency
    m = sec.method
    name = _m(f"method.{m}", lang)
    quality = sum(c.points or 0.0 for c in sec.quality)
    if m == "points":
        p = sec.price
        pts = _pts(p.points or 0.0, lang)
        if p.formula == "relative":
            price = _m("price.relative", lang, points=pts)
        elif p.formula == "linear":
            price = (_m("price.linear", lang, points=pts, upper=fmt_money(p.upper, lang, cur)) if p.upper is not None
                     else _m("price.linear_observed", lang, points=pts))
        else:
            price = _m("price.absolute", lang, points=pts, floor=fmt_money(p.floor or 0.0, lang, cur),
                       ceiling=fmt_money(p.ceiling, lang, cur))
        total = sec.total if sec.total is not None else (p.points or 0.0) + quality
        return _m("summary.points", lang, method=name, price=price, quality=_pts(quality, lang), total=_pts(total, lang))
    if m == "utility_index":
        wp = sec.price.points if sec.price else 0.0
        return _m("summary.utility_index", lang, method=name, price=_pts(wp, lang), quality=_pts(quality, lang),
                  n=fmt_number(quality / wp, lang, 3) if wp else "–")
    if m == "fictive_price":
        return _m("summary.fictive_price", lang, method=name,
                  quality=fmt_money(sum(c.value or 0.0 for c in sec.quality), lang, cur))
    if m == "value_for_money":
        return _m("summary.value_for_money", lang, method=name, quality=_pts(quality, lang))
    return _m("summary.lowest", lang, method=name)


def bids_frame(award, lang: str) -> pd.DataFrame:
    """The evaluated bids with translated column names, only the columns the method uses."""
    ev = award.evaluation
    df = ev.table.copy()
    df.insert(0, "label", [award.bid_label(i, lang) for i in df.index])
    keep = ["label", "price"] + [c for c in ("price_score", "quality_score", "total", "fictive_price", "utility")
                                 if df[c].notna().any()] + ["rank"]
    df = df[keep]
    df.index.name = _m("column.bid", lang)
    return df.rename(columns={c: _m(f"column.{c}", lang) for c in keep})


def parts_frame(award, lang: str) -> pd.DataFrame:
    """Per bid and criterion: level, fraction, weight, contribution."""
    ev = award.evaluation
    df = ev.parts.copy()
    labels = award.criteria_labels
    df["criterion"] = [label_text(labels.get(c), lang, c) for c in df["criterion"]]
    df["level"] = df["level"].map(lambda v: "" if v is None or v != v else str(v))
    return df.rename(columns={c: _m(f"column.{c}", lang) for c in df.columns})


def swap_texts(award, lang: str) -> list[str]:
    return [_m("paradox.swap", lang, removed=s.removed, a=s.a, b=s.b) for s in award.evaluation.paradox]


def suggestion_text(award, lang: str) -> Optional[str]:
    ev = award.evaluation
    if ev is None or ev.suggestion is None:
        return None
    s = ev.suggestion
    cur = award.model.currency
    labels = award.criteria_labels
    values = ", ".join(f"{label_text(labels.get(c), lang, c)} {fmt_money(v, lang, cur)}" for c, v in s.values.items())
    return _m("suggestion", lang, floor=fmt_money(s.floor, lang, cur), ceiling=fmt_money(s.ceiling, lang, cur),
              values=values, rate=fmt_money(s.eur_per_point, lang, cur))


def simulation_frame(award, lang: str, *, ids: bool = False) -> pd.DataFrame:
    """One row per candidate formula and split, translated, with win probabilities per type
    (columns named by the options' labels, or by their ids with ``ids=True``)."""
    sim = award.simulation
    df = sim.table.copy()
    df["formula"] = [_m(f"formula.{f}", lang) for f in df["formula"]]
    model = award.model
    rename = {f"win:{ty}": (ty if ids else model.alternative(ty).name(lang)) for ty in sim.types}
    rename.update({c: _m(f"column.{c}", lang) for c in ("formula", "price_share", "effective_price_weight",
                                                          "eur_per_point", "paradox_frequency")})
    return df.rename(columns=rename)


def best_text(award, lang: str) -> str:
    sim = award.simulation
    if sim.intended_price_share is None or sim.best is None:
        return _m("sim.no_intended", lang)
    row = sim.table[(sim.table["formula"] == sim.best) & ((sim.table["price_share"] - sim.best_split).abs() < 1e-12)]
    eff = float(row["effective_price_weight"].iloc[0]) if len(row) else math.nan
    return _m("sim.best", lang, intended=fmt_pct(sim.intended_price_share, lang), split=fmt_pct(sim.best_split, lang),
              formula=_m(f"formula.{sim.best}", lang), effective=fmt_pct(eff, lang))


def _table(df: pd.DataFrame, fmt) -> str:
    """A frame as the command line draws every table (decide.render): its index first, cells
    formatted by ``fmt`` per column, numbers right-aligned."""
    from decide.render import LEFT, RIGHT, render_table

    headers = [str(df.index.name or "")] + [str(c) for c in df.columns]
    rows, align = [], [LEFT] + [RIGHT if c in fmt else LEFT for c in df.columns]
    for idx, row in df.iterrows():
        cells = [str(idx)]
        for c in df.columns:
            v = row[c]
            cells.append("–" if v is None or (isinstance(v, float) and v != v) else
                         fmt[c](v) if c in fmt else str(v))
        rows.append(cells)
    return render_table(headers, rows, align)


def format_award(award, lang: Optional[str] = None) -> str:
    """The award evaluation and simulation as text, in ``lang`` (default the model's)."""
    model = award.model
    lang = lang or model.language
    cur = model.currency
    money = lambda v: "–" if v != v else fmt_money(v, lang, cur)  # noqa: E731
    num = lambda v: "–" if v != v else fmt_number(v, lang, 2)  # noqa: E731
    pct = lambda v: "–" if v != v else fmt_pct(v, lang)  # noqa: E731
    lines = [f"{_m('heading', lang)}: {model.name(lang)}", ""]
    sec = award.section
    ev = award.evaluation
    if sec is None:
        lines.append(_m("no_award", lang))
    else:
        lines.append(summary_text(award, lang))
        if sec.method not in ("points", "fictive_price", "value_for_money", "utility_index"):
            lines.append(_m("motivation", lang, text=label_text(sec.motivation, lang)) if sec.motivation is not None
                         else _m("no_motivation", lang, method=_m(f"method.{sec.method}", lang)))
        if ev is None:
            lines.append(_m("no_bids", lang))
    if ev is not None:
        if ev.relative:
            lines.append(_m("relative_warning", lang))
            sug = suggestion_text(award, lang)
            if sug:
                lines.append(sug)
        lines.append("")
        bids = bids_frame(award, lang)
        fmt = {c: (money if c in (_m("column.price", lang), _m("column.fictive_price", lang)) else num)
               for c in bids.columns if c not in (_m("column.label", lang), _m("column.rank", lang))}
        lines.append(_table(bids, fmt))
        if len(ev.parts):
            lines += ["", _m("parts_heading", lang)]
            parts = parts_frame(award, lang)
            pf = {_m("column.fraction", lang): num, _m("column.weight", lang): num,
                  _m("column.contribution", lang): money if sec.method == "fictive_price" else num}
            lines.append(_table(parts.set_index(_m("column.bid", lang)), pf))
        lines.append("")
        lines.append(_m("winner", lang, bid=f"{ev.winner} ({award.bid_label(ev.winner, lang)})"))
        if len(ev.tied) > 1:
            lines.append(_m("tie", lang, bids=", ".join(ev.tied)))
        if math.isfinite(ev.eur_per_point):
            lines.append(_m("rate", lang, rate=money(ev.eur_per_point)))
        if ev.paradox:
            lines.append(_m("paradox.found", lang, n=len(ev.paradox)) + " " + "; ".join(swap_texts(award, lang)) + ".")
        else:
            lines.append(_m("paradox.none", lang))
    sim = award.simulation
    lines.append("")
    if sim is None:
        why = award.reasons.get("simulation")
        if why:
            lines.append(_m("sim.not_run", lang, why=_m(f"sim.{why}", lang)))
    else:
        lines.append(_m("sim.heading", lang, tenders=sim.tenders, seed=sim.seed, price_spread=pct(sim.price_spread),
                        quality_spread=fmt_number(sim.quality_spread, lang, 2)))
        names = ", ".join(model.alternative(ty).name(lang) for ty in sim.types)
        if award.reasons.get("simulation_types") == "capped":
            from decide.award.from_model import MAX_BIDDERS

            lines.append(_m("sim.capped", lang, n=MAX_BIDDERS))
        if award.lot is not None:
            lot = next((mod.name(lang) for mod in model.allocation.modules if mod.id == award.lot), award.lot) \
                if model.allocation is not None else award.lot
            lines.append(_m("sim.lot", lang, lot=lot, types=names))
        else:
            lines.append(_m("sim.types", lang, types=names))
        df = simulation_frame(award, lang)
        fmt = {c: pct for c in df.columns if c not in (_m("column.formula", lang), _m("column.eur_per_point", lang))}
        fmt[_m("column.eur_per_point", lang)] = money
        lines.append(_table(df.set_index(_m("column.formula", lang)), fmt))
        lines.append(_m("sim.note", lang))
        lines.append(best_text(award, lang))
    return "\n".join(lines) + "\n"
