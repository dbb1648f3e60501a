"""The report's tables: one function per table, shared by every writer.

Each function takes an :class:`~decide.facade.Analysis` and a language and returns a
:class:`Table` (or None when the table does not apply to the model: a ranking-only model
has no portfolio tables, a values-only model no weights). A table holds plain Python cell
values (numbers stay numbers, missing values are None) with headers in the report's
language, and a *kind* per column that tells the writers how to show a number (euros,
percentages, weights, scores, counts). The fixed texts come from
``decide/messages/report.yaml``; labels come from the model's ``{nl, en}`` labels.

The first column of a table is a stable id (option, criterion, supplier, rule, check) where
the rows have one, so a CSV can be joined across languages.

:func:`build_tables` returns every applicable table, in report order.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import numpy as np
import pandas as pd

from decide import i18n
from decide.report.award_tables import AWARD_TABLES
from decide.report.table import KINDS, SECTIONS, Table, _plain, _table  # noqa: F401  (re-exported)

__all__ = [
    "KINDS", "SECTIONS", "Table", "build_tables", "tr", "recommendation", "robustness", "decisive_text",
    "summary_table", "weights_table", "participant_weights_table", "consistency_table", "hints_table",
    "scores_table", "uncertain_scores_table", "tco_table", "ranking_table", "comparison_table",
    "contributions_table", "excluded_table", "stability_table", "smaa_table", "central_weights_table",
    "portfolio_table", "values_table", "spend_table", "portfolio_robustness_table", "rules_table", "frontier_table", "scenarios_table",
    "portfolio_explanation_table", "review_table", "motivation_table", "provenance_table",
    "participant_leaf_weights", "method_name", "status_name",
]

#: The SMAA table shows the acceptability of the first ranks only (a catalogue of thousands
#: of options would otherwise give thousands of columns); the JSON keeps them all.
MAX_RANKS = 20


def tr(key: str, lang: str, **kwargs: Any) -> str:
    """A fixed report text: ``decide/messages/report.yaml`` key ``key`` in ``lang``."""
    return i18n.t(f"report.{key}", lang, **kwargs)


def _has(topic: str, key: str) -> bool:
    return key in i18n.catalogue(topic)


def method_name(method: str, lang: str) -> str:
    """Display name of a ranking method (``topsis`` -> ``TOPSIS``)."""
    key = f"method.{method}"
    return tr(key, lang) if _has("report", key) else str(method).upper()


def status_name(status: Any, lang: str) -> str:
    """A solver status (``optimal``, ``infeasible`` ...) in words."""
    value = getattr(status, "value", status)
    key = f"status_{value}"
    return i18n.t(f"portfolio.{key}", lang) if _has("portfolio", key) else str(value)


def _rule_name(rule: str, lang: str) -> str:
    key = f"rule_{rule}"
    return i18n.t(f"portfolio.{key}", lang) if _has("portfolio", key) else str(rule)


def _relang(text: str, topic: str, lang: str) -> str:
    """The ``lang`` version of a catalogue text that was produced in another language."""
    for entry in i18n.catalogue(topic).values():
        if isinstance(entry, dict) and text in entry.values():
            return entry.get(lang, text)
    return text


# =========================================================================== labels
class _Labels:
    """Labels of a model's options, criteria, suppliers and modules in one language."""

    def __init__(self, analysis: Any, lang: str):
        m = analysis.model
        self.lang = lang
        self.options = {a.id: a.name(lang) for a in m.alternatives}
        self.criteria = {c.id: c.name(lang) for _, c in m.iter_criteria()}
        alloc = m.allocation
        self.model = m
        self.modules = {x.id: x.name(lang) for x in alloc.modules} if alloc is not None else {}

    def option(self, i: Any) -> str:
        return self.options.get(i, str(i))

    def criterion(self, i: Any) -> str:
        if i is None or i == "top":
            return tr("top_level", self.lang)
        return self.criteria.get(i, str(i))

    def supplier(self, i: Any) -> str:
        if i is None or (isinstance(i, float) and math.isnan(i)):
            return tr("in_house", self.lang)
        return self.model.supplier_name(i, self.lang)

    def module(self, i: Any) -> str:
        return self.modules.get(i, str(i))


def _join(items: Sequence[str], lang: str) -> str:
    items = [str(x) for x in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {tr('and', lang)} " + items[-1]


def _ranked_ids(analysis: Any) -> list:
    return list(analysis.ranking.to_frame(analysis.language).index)


# =========================================================================== text
def recommendation(analysis: Any, lang: str) -> list[str]:
    """The recommendation in sentences: the portfolio (when there is one) and the best option."""
    lab = _Labels(analysis, lang)
    m = analysis.model
    out: list[str] = []
    alloc = analysis.allocation
    if alloc is not None:
        if alloc.has_solution:
            chosen = [lab.option(i) for i in alloc.chosen]
            kw = dict(n=len(chosen), options=_join(chosen, lang),
                      cost=i18n.fmt_money(alloc.total_cost, lang, m.currency), years=m.horizon.years)
            if alloc.problem.budget is not None:
                out.append(tr("rec_portfolio_budget", lang, budget=i18n.fmt_money(alloc.problem.budget, lang, m.currency),
                              share=i18n.fmt_pct(alloc.total_cost / alloc.problem.budget, lang), **kw))
            else:
                out.append(tr("rec_portfolio", lang, **kw))
            if not alloc.proven_optimal:
                out.append(tr("rec_not_proven", lang))
        else:
            out.append(tr("rec_no_portfolio", lang, status=status_name(alloc.status, lang)))
    r = analysis.ranking
    notes = getattr(analysis, "module_notes", ())
    if notes and alloc is not None and alloc.has_solution:
        # modules: the portfolio is the answer; per module, its best-ranked option and what kept
        # it out when it is not in (decide.scope)
        out += analysis.module_texts(lang)
    elif r is not None:
        df = r.to_frame(lang)
        firsts = [lab.option(i) for i in df.index[df["rank"] == 1]]
        n = len(df)
        method = method_name(r.method, lang)
        if len(firsts) > 1:
            out.append(tr("rec_tie", lang, options=_join(firsts, lang), n=n, method=method))
        else:
            key = "rec_best_ranked" if alloc is not None else "rec_winner"
            out.append(tr(key, lang, option=firsts[0], n=n, method=method,
                          score=i18n.fmt_number(float(df["score"].iloc[0]), lang, 3)))
    if not out:
        why = analysis.unavailable("ranking") if hasattr(analysis, "unavailable") else None
        if why is not None and why.key == "all_excluded":
            out.append(tr("rec_none_because", lang, why=why.text(lang)))
        else:
            out.append(tr("rec_none", lang))
    return out


def robustness(analysis: Any, lang: str) -> str:
    """The one-sentence robustness verdict ("" when there is no sensitivity analysis)."""
    s = analysis.sensitivity
    return s.text(lang) if s is not None else ""


def decisive_text(analysis: Any, lang: str, top: int = 3) -> str:
    """Which criteria put the first option ahead of the second ("" when not applicable)."""
    e = analysis.explanation
    if e is None or len(getattr(e, "top_two", ())) < 2:
        return ""
    lab = _Labels(analysis, lang)
    a, b = e.top_two
    pos = [lab.criterion(c) for c, v in e.decisive.items() if v > 1e-12][:top]
    neg = [lab.criterion(c) for c, v in e.decisive.items() if v < -1e-12][:top]
    if not pos:
        return tr("decisive_none", lang, first=lab.option(a), second=lab.option(b))
    text = tr("decisive", lang, first=lab.option(a), second=lab.option(b), criteria=_join(pos, lang))
    if neg:
        text += " " + tr("decisive_against", lang, second=lab.option(b), criteria=_join(neg, lang))
    return text


def _weights_sampled(analysis: Any, lang: str) -> str:
    sec = analysis.model.sensitivity
    if sec.weights == "uniform":
        return tr("smaa_uniform", lang)
    return tr("smaa_around", lang, k=i18n.fmt_number(sec.concentration, lang, 0))


# =========================================================================== summary
def summary_table(analysis: Any, lang: str) -> Table:
    """Key facts: the recommendation, the best option, robustness, the portfolio, the review."""
    m = analysis.model
    lab = _Labels(analysis, lang)
    rows: list[tuple[str, str, Any, str]] = [("title", tr("item.title", lang), m.name(lang), "text")]
    if m.description is not None:
        rows.append(("description", tr("item.description", lang), i18n.label(m.description, lang), "text"))
    rows.append(("recommendation", tr("item.recommendation", lang), " ".join(recommendation(analysis, lang)), "text"))
    r = analysis.ranking
    if r is not None:
        df = r.to_frame(lang)
        rows += [
            ("winner", tr("item.winner", lang), lab.option(df.index[0]), "text"),
            ("winner_score", tr("item.winner_score", lang, method=method_name(r.method, lang)),
             float(df["score"].iloc[0]), "score"),
            ("method", tr("item.method", lang), method_name(r.method, lang), "text"),
            ("options", tr("item.options", lang), len(m.alternatives), "int"),
            ("ranked", tr("item.ranked", lang), len(df), "int"),
            ("excluded", tr("item.excluded", lang), len(r.excluded(lang)), "int"),
        ]
    s = analysis.sensitivity
    if s is not None:
        rows.append(("robustness", tr("item.robustness", lang), s.text(lang), "text"))
        if s.smaa is not None and r is not None:
            w = r.winner
            rows.append(("winner_first", tr("item.winner_first", lang), float(s.smaa.acceptability.loc[w, 1]), "pct"))
    alloc = analysis.allocation
    if alloc is not None:
        rows.append(("portfolio_status", tr("item.portfolio_status", lang), status_name(alloc.status, lang), "text"))
        if alloc.has_solution:
            rows += [
                ("portfolio", tr("item.portfolio", lang), "; ".join(lab.option(i) for i in alloc.chosen), "text"),
                ("portfolio_tco", tr("item.portfolio_tco", lang), alloc.total_cost, "money"),
            ]
            if alloc.problem.budget is not None:
                rows.append(("budget", tr("item.budget", lang), float(alloc.problem.budget), "money"))
            rows += [
                ("portfolio_value", tr("item.portfolio_value", lang), alloc.total_value, "number"),
                ("suppliers", tr("item.suppliers", lang), alloc.suppliers_used, "int"),
                ("sme_share", tr("item.sme_share", lang), alloc.sme_share, "pct"),
                ("share_base", tr("item.share_base", lang),
                 i18n.t(f"portfolio.share_base_{alloc.problem.rules.share_base}", lang), "text"),
                ("exit_cost", tr("item.exit_cost", lang), alloc.exit_cost, "money"),
            ]
    rows += [
        ("horizon", tr("item.horizon", lang), m.horizon.years, "int"),
        ("discount_rate", tr("item.discount_rate", lang), m.horizon.discount_rate, "pct2"),
        ("currency", tr("item.currency", lang), m.currency, "text"),
    ]
    rv = analysis.review
    if rv is not None:
        c = rv.counts
        parts = [f"{c.get(k, 0)} {i18n.t(f'review.status.{k}', lang)}" for k in ("ok", "attention", "missing")]
        rows.append(("review", tr("item.review", lang), ", ".join(parts), "text"))
    cols = [(tr("col.key", lang), "id"), (tr("col.item", lang), "text"), (tr("col.value", lang), "text")]
    cell_kinds = {(i, 2): k for i, (_, _, _, k) in enumerate(rows)}
    return _table("summary", "summary", tr("table.summary", lang), cols,
                  [(a, b, c) for a, b, c, _ in rows], cell_kinds=cell_kinds)


# =========================================================================== weights
def participant_leaf_weights(analysis: Any) -> Optional[pd.DataFrame]:
    """Each AHP participant's global leaf weights (leaves x participants), or None.

    A participant who did not judge a sibling group takes the group's local weights there.
    """
    from decide.ahp import global_weights

    w = analysis.weights
    if w is None or not getattr(w, "participants", ()):
        return None
    tree = analysis.model.tree()
    cols = {}
    for p in w.participants:
        local = {parent: (p.groups[parent].weights if parent in p.groups else w.local[parent]) for parent in tree}
        cols[p.name] = global_weights(tree, local).reindex(w.weights.index)
    return pd.DataFrame(cols)


def weights_table(analysis: Any, lang: str) -> Optional[Table]:
    """Every criterion of the tree: parent, direction, local and global weight."""
    w = analysis.weights
    if w is None:
        return None
    m = analysis.model
    lab = _Labels(analysis, lang)
    glob = w.weights
    tree = m.tree()

    def global_of(cid: str) -> float:
        if cid in glob.index:
            return float(glob[cid])
        return float(sum(global_of(k) for k in tree.get(cid, [])))

    rows = []
    for parent, c in m.iter_criteria():
        local = w.local.get(parent)
        lw = float(local[c.id]) if local is not None and c.id in local.index else None
        direction = tr(f"direction.{c.direction}", lang) if c.is_leaf and c.direction else ""
        if c.source == "tco":
            direction = tr("direction.tco", lang)
        rows.append((c.id, lab.criterion(c.id), lab.criterion(parent) if parent else "", direction,
                     lw, global_of(c.id), c.is_leaf))
    cols = [(tr("col.criterion_id", lang), "id"), (tr("col.criterion", lang), "text"), (tr("col.parent", lang), "text"),
            (tr("col.direction", lang), "text"), (tr("col.local_weight", lang), "weight"),
            (tr("col.weight", lang), "weight"), (tr("col.leaf", lang), "bool")]
    notes = [n.text(lang) if hasattr(n, "text") else str(n) for n in w.notes]
    note = " ".join([tr("note.weights", lang, method=tr(f"weights_method.{w.method.split(' ')[0]}", lang))] + notes)
    return _table("weights", "weights", tr("table.weights", lang), cols, rows, note)


def participant_weights_table(analysis: Any, lang: str) -> Optional[Table]:
    """Leaf weights per AHP participant next to the group's (the spread of opinions)."""
    df = participant_leaf_weights(analysis)
    if df is None:
        return None
    lab = _Labels(analysis, lang)
    g = analysis.weights.weights
    rows = []
    for cid in df.index:
        vals = df.loc[cid].to_numpy(dtype=float)
        rows.append((cid, lab.criterion(cid), float(g[cid]), *vals, float(vals.min()), float(vals.max())))
    cols = ([(tr("col.criterion_id", lang), "id"), (tr("col.criterion", lang), "text"), (tr("col.group", lang), "weight")]
            + [(str(p), "weight") for p in df.columns]
            + [(tr("col.min", lang), "weight"), (tr("col.max", lang), "weight")])
    return _table("weights_participants", "weights", tr("table.weights_participants", lang), cols, rows,
                  tr("note.weights_participants", lang))


def consistency_table(analysis: Any, lang: str) -> Optional[Table]:
    """AHP consistency ratio per participant and sibling group, and the group's."""
    w = analysis.weights
    if w is None or w.method != "ahp":
        return None
    lab = _Labels(analysis, lang)
    max_cr = w.max_cr if w.max_cr is not None else 0.1
    rows = []
    for p in w.participants:
        for parent, cr in p.cr.items():
            est = len(p.estimated.get(parent, ()))
            rows.append((p.name, lab.criterion(parent), p.weight, cr, cr <= max_cr + 1e-12, est))
    for parent, cr in w.cr.items():
        rows.append((tr("group_aij", lang), lab.criterion(parent), None, cr, cr <= max_cr + 1e-12, None))
    cols = [(tr("col.participant", lang), "text"), (tr("col.criteria_group", lang), "text"),
            (tr("col.participant_weight", lang), "number"), (tr("col.cr", lang), "score"),
            (tr("col.consistent", lang), "bool"), (tr("col.estimated_pairs", lang), "int")]
    note = tr("note.consistency", lang, max_cr=i18n.fmt_number(max_cr, lang, 2), ri=str(w.ri_table),
              aggregate=tr(f"aggregate.{w.aggregate}", lang) if w.aggregate else "")
    if getattr(w, "priorities", None):
        note += " " + i18n.t("weights.priorities_note", lang, method=i18n.t(f"weights.priorities_{w.priorities}", lang))
    for parent, c in w.consensus.items():
        band = i18n.t(f"weights.band_{c.band}", lang) if _has("weights", f"band_{c.band}") else str(c.band)
        note += " " + tr("note.consensus", lang, group=lab.criterion(parent), value=i18n.fmt_pct(float(c.value), lang),
                         band=band)
    return _table("weights_consistency", "weights", tr("table.weights_consistency", lang), cols, rows, note)


def hints_table(analysis: Any, lang: str) -> Optional[Table]:
    """Repair hints for inconsistent AHP judgements (None when every CR is acceptable)."""
    w = analysis.weights
    if w is None or w.method != "ahp":
        return None
    lab = _Labels(analysis, lang)
    rows = []
    for p in w.participants:
        for parent, hs in p.hints.items():
            for h in hs:
                rows.append((p.name, lab.criterion(parent), lab.criterion(h.a), lab.criterion(h.b), h.current,
                             h.suggested, h.cr_before, h.cr_after, h.text(lang, labels=lab.criteria)))
    if not rows:
        return None
    cols = [(tr("col.participant", lang), "text"), (tr("col.criteria_group", lang), "text"),
            (tr("col.a", lang), "text"), (tr("col.b", lang), "text"), (tr("col.current", lang), "number"),
            (tr("col.suggested", lang), "number"), (tr("col.cr_before", lang), "score"),
            (tr("col.cr_after", lang), "score"), (tr("col.hint", lang), "text")]
    return _table("weights_hints", "weights", tr("table.weights_hints", lang), cols, rows, tr("note.hints", lang))


# =========================================================================== scores and TCO
def scores_table(analysis: Any, lang: str) -> Optional[Table]:
    """Raw scores of every option (expected values of uncertain ones), rank, knock-out reason."""
    m = analysis.model
    if not m.criteria:
        return None
    lab = _Labels(analysis, lang)
    table = m.score_table()
    ranks = {}
    reasons = {}
    if analysis.ranking is not None:
        ranks = analysis.ranking.to_frame(lang)["rank"].to_dict()
    screening = analysis.screening  # the ranking's own; also when the knock-outs exclude every option
    if screening is not None:
        reasons = {k: "; ".join(v) for k, v in screening.reasons(m, lang).items()}
    order = [i for i in _ranked_ids(analysis)] if analysis.ranking is not None else []
    order += [i for i in table.index if i not in order]
    leaves = list(table.columns)
    rows = []
    for i in order:
        a = m.alternative(i)
        rows.append((i, lab.option(i), lab.supplier(a.supplier), ranks.get(i), *table.loc[i].tolist(),
                     reasons.get(i, "")))
    money = {c.id for c in m.leaves() if c.source == "tco"}
    cols = ([(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"), (tr("col.supplier", lang), "text"),
             (tr("col.rank", lang), "int")]
            + [(lab.criterion(c), "money" if c in money else "number") for c in leaves]
            + [(tr("col.excluded_reason", lang), "text")])
    return _table("scores", "scores", tr("table.scores", lang), cols, rows, tr("note.scores", lang))


def uncertain_scores_table(analysis: Any, lang: str) -> Optional[Table]:
    """The uncertain scores: distribution, low, mode, high, expected value."""
    m = analysis.model
    if not m.criteria:
        return None
    low, mode, high, kind = m.score_bounds()
    mean = m.score_table()
    lab = _Labels(analysis, lang)
    rows = []
    for r, i in enumerate(low.index):
        for c, cid in enumerate(low.columns):
            k = kind[r, c]
            if k == "fixed":
                continue
            rows.append((i, lab.option(i), lab.criterion(cid), tr(f"distribution.{k}", lang), low.iat[r, c],
                         mode.iat[r, c] if k == "triangular" else None, high.iat[r, c], mean.iat[r, c]))
    if not rows:
        return None
    cols = [(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"), (tr("col.criterion", lang), "text"),
            (tr("col.distribution", lang), "text"), (tr("col.low", lang), "number"), (tr("col.mode", lang), "number"),
            (tr("col.high", lang), "number"), (tr("col.expected", lang), "number")]
    return _table("scores_uncertain", "scores", tr("table.scores_uncertain", lang), cols, rows,
                  tr("note.scores_uncertain", lang))


def tco_table(analysis: Any, lang: str) -> Table:
    """TCO per option: once, integration, yearly and exit (present values), total, spend, nominal."""
    m = analysis.model
    lab = _Labels(analysis, lang)
    t = analysis.tco
    order = _ranked_ids(analysis) if analysis.ranking is not None else []
    order += [i for i in t.index if i not in order]
    names = ["once", "integration", "yearly", "exit", "total", "spend", "nominal", "exit_nominal"]
    rows = []
    for i in order:
        rows.append((i, lab.option(i), lab.supplier(m.alternative(i).supplier),
                     *[float(t.at[i, n]) if n in t.columns else None for n in names]))
    cols = ([(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"), (tr("col.supplier", lang), "text")]
            + [(tr(f"col.tco_{n}", lang), "money") for n in names])
    note = tr("note.tco", lang, years=m.horizon.years, rate=i18n.fmt_pct(m.horizon.discount_rate, lang, 2))
    return _table("tco", "scores", tr("table.tco", lang), cols, rows, note)


# =========================================================================== ranking
def ranking_table(analysis: Any, lang: str) -> Optional[Table]:
    """The ranking: rank, option, the method's score, SMAA first-rank share, consensus rank."""
    r = analysis.ranking
    if r is None:
        return None
    lab = _Labels(analysis, lang)
    df = r.to_frame(lang)
    smaa = analysis.sensitivity.smaa if analysis.sensitivity is not None else None
    comp = analysis.comparison
    cols = [(tr("col.rank", lang), "int"), (tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"),
            (tr("col.supplier", lang), "text"), (tr("col.score", lang, method=method_name(r.method, lang)), "score")]
    if smaa is not None:
        cols.append((tr("col.first_share", lang), "pct"))
    if comp is not None:
        cols.append((tr("col.consensus_rank", lang), "int"))
    rows = []
    for i, row in df.iterrows():
        cells = [int(row["rank"]), i, lab.option(i), lab.supplier(analysis.model.alternative(i).supplier),
                 float(row["score"])]
        if smaa is not None:
            cells.append(float(smaa.acceptability.loc[i, 1]))
        if comp is not None:
            cells.append(int(comp.consensus[i]) if i in comp.consensus.index else None)
        rows.append(cells)
    higher = getattr(r.ranking, "higher_is_better", True)
    note = tr("note.ranking_higher" if higher else "note.ranking_lower", lang, method=method_name(r.method, lang))
    from decide.render import enum

    params = ", ".join(f"{enum('param', k, lang)} = {enum(k, v, lang)}" for k, v in r.params.items())
    if params:
        note += " " + tr("note.parameters", lang, params=params)
    return _table("ranking", "ranking", tr("table.ranking", lang, method=method_name(r.method, lang)), cols, rows, note)


def comparison_table(analysis: Any, lang: str) -> Optional[Table]:
    """The rank of every option under every method compared, and the consensus rank."""
    c = analysis.comparison
    if c is None or analysis.ranking is None:
        return None
    lab = _Labels(analysis, lang)
    order = [i for i in _ranked_ids(analysis) if i in c.ranks.index]
    methods = list(c.methods)
    rows = []
    for i in order:
        rows.append((i, lab.option(i), *[int(c.ranks.at[i, mm]) for mm in methods], int(c.consensus[i])))
    cols = ([(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text")]
            + [(method_name(mm, lang), "int") for mm in methods]
            + [(tr("col.consensus", lang, method=tr(f"consensus.{c.consensus_method}", lang)), "int")])
    if c.winner_depends_on_method:
        winners = {mm: [lab.option(x) for x in ws] for mm, ws in c.winners.items()}
        parts = [f"{method_name(mm, lang)}: {_join(ws, lang)}" for mm, ws in winners.items()]
        note = tr("note.winner_depends", lang, winners="; ".join(parts))
    else:
        first = next(iter(c.winners.values()), [])
        note = tr("note.winner_same", lang, n=len(methods), option=_join([lab.option(x) for x in first], lang))
    return _table("ranking_methods", "ranking", tr("table.ranking_methods", lang), cols, rows, note)


def contributions_table(analysis: Any, lang: str) -> Optional[Table]:
    """Per-criterion contributions to each option's result (what they add up to: the note)."""
    e = analysis.explanation
    if e is None or analysis.ranking is None:
        return None
    lab = _Labels(analysis, lang)
    con = e.contributions
    order = [i for i in _ranked_ids(analysis) if i in con.index]
    rows = [(i, lab.option(i), *[float(v) for v in con.loc[i].tolist()], float(con.loc[i].sum())) for i in order]
    cols = ([(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text")]
            + [(lab.criterion(c), "score") for c in con.columns] + [(tr("col.total", lang), "score")])
    note = tr("note.contributions", lang, kind=_relang(e.contribution_kind, "ranking", lang))
    dec = decisive_text(analysis, lang)
    if dec:
        note += " " + dec
    return _table("ranking_contributions", "ranking", tr("table.ranking_contributions", lang), cols, rows, note)


def excluded_table(analysis: Any, lang: str) -> Optional[Table]:
    """Options excluded by the knock-out requirements, each with its reason."""
    r = analysis.ranking
    if r is None:
        return None
    ex = r.excluded(lang)
    if not ex:
        return None
    lab = _Labels(analysis, lang)
    rows = [(e["id"], lab.option(e["id"]), e["reason"]) for e in ex]
    cols = [(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"), (tr("col.reason", lang), "text")]
    return _table("ranking_excluded", "ranking", tr("table.ranking_excluded", lang), cols, rows)


# =========================================================================== sensitivity
def stability_table(analysis: Any, lang: str) -> Optional[Table]:
    """Weight stability intervals: per criterion, the weights for which the winner stays first."""
    s = analysis.sensitivity
    if s is None or s.stability is None:
        return None
    lab = _Labels(analysis, lang)
    rows = []
    for c in s.stability.criteria:
        take_lo = lab.option(c.top_taker_low) if c.top_taker_low is not None else ""
        take_hi = lab.option(c.top_taker_high) if c.top_taker_high is not None else ""
        rows.append((c.criterion, lab.criterion(c.criterion), c.weight, c.top_low, c.top_high, take_lo, take_hi,
                     c.rank_low, c.rank_high))
    cols = [(tr("col.criterion_id", lang), "id"), (tr("col.criterion", lang), "text"), (tr("col.weight", lang), "weight"),
            (tr("col.top_low", lang), "weight"), (tr("col.top_high", lang), "weight"),
            (tr("col.taker_low", lang), "text"), (tr("col.taker_high", lang), "text"),
            (tr("col.rank_low", lang), "weight"), (tr("col.rank_high", lang), "weight")]
    winner = _join([lab.option(x) for x in s.stability.top], lang)
    return _table("sensitivity_stability", "sensitivity", tr("table.sensitivity_stability", lang), cols, rows,
                  tr("note.stability", lang, winner=winner))


def smaa_table(analysis: Any, lang: str) -> Optional[Table]:
    """SMAA-2 rank acceptability (share of samples giving each rank) and confidence factor."""
    s = analysis.sensitivity
    if s is None or s.smaa is None:
        return None
    lab = _Labels(analysis, lang)
    acc = s.smaa.acceptability
    order = [i for i in _ranked_ids(analysis) if i in acc.index]
    ranks = list(acc.columns)[:MAX_RANKS]
    # a confidence factor only where the option is first often enough for it to mean something
    from decide.sensitivity.smaa import CONFIDENCE_MIN_FIRST

    conf = s.smaa.reported_confidence()
    rows = [(i, lab.option(i), *[float(acc.at[i, k]) for k in ranks], conf.get(i)) for i in order]
    cols = ([(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text")]
            + [(tr("col.rank_n", lang, n=k), "pct") for k in ranks] + [(tr("col.confidence", lang), "pct")])
    note = tr("note.smaa", lang, samples=i18n.fmt_number(s.smaa.samples, lang, 0), seed=s.smaa.seed,
              weights=_weights_sampled(analysis, lang))
    if len(acc.columns) > MAX_RANKS:
        note += " " + tr("note.ranks_cut", lang, n=MAX_RANKS, m=len(acc.columns))
    note += " " + tr("note.confidence_threshold", lang, threshold=i18n.fmt_pct(CONFIDENCE_MIN_FIRST, lang))
    return _table("sensitivity_smaa", "sensitivity", tr("table.sensitivity_smaa", lang), cols, rows, note)


def central_weights_table(analysis: Any, lang: str) -> Optional[Table]:
    """SMAA central weights: the typical weights that make each option first."""
    s = analysis.sensitivity
    if s is None or s.smaa is None:
        return None
    lab = _Labels(analysis, lang)
    cw = s.smaa.central_weights
    order = [i for i in _ranked_ids(analysis) if i in cw.index and cw.loc[i].notna().any()]
    if not order:
        return None
    rows = [(i, lab.option(i), *[float(v) for v in cw.loc[i].tolist()]) for i in order]
    cols = ([(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text")]
            + [(lab.criterion(c), "weight") for c in cw.columns])
    return _table("sensitivity_central_weights", "sensitivity", tr("table.sensitivity_central_weights", lang), cols,
                  rows, tr("note.central_weights", lang))


# =========================================================================== portfolio
def portfolio_table(analysis: Any, lang: str) -> Optional[Table]:
    """The chosen options: supplier, SME, modules, value, TCO, supplier spend, integration, exit."""
    a = analysis.allocation
    if a is None or not a.has_solution:
        return None
    lab = _Labels(analysis, lang)
    df = a.to_frame()
    rows = []
    for i, row in df.iterrows():
        cells = [i, lab.option(i), lab.supplier(row["supplier"]), bool(row["sme"]),
                 _join([lab.module(x) for x in row["covers"]], lang), float(row["value"]), float(row["tco"]),
                 float(row["spend"]), float(row["integration"]), float(row["exit_cost"])]
        if a.relaxed:
            cells.append(float(row["x"]))
        rows.append(cells)
    cols = [(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"), (tr("col.supplier", lang), "text"),
            (tr("col.sme", lang), "bool"), (tr("col.modules", lang), "text"), (tr("col.value", lang), "number"),
            (tr("col.tco_total", lang), "money"), (tr("col.tco_spend", lang), "money"),
            (tr("col.tco_integration", lang), "money"), (tr("col.exit_nominal", lang), "money")]
    if a.relaxed:
        cols.append((tr("col.fraction", lang), "number"))
    note = tr("note.portfolio", lang, solver=a.solver, status=status_name(a.status, lang))
    return _table("portfolio", "portfolio", tr("table.portfolio", lang), cols, rows, note)


def spend_table(analysis: Any, lang: str) -> Optional[Table]:
    """Spend per supplier of the chosen portfolio and its share of all supplier spend."""
    a = analysis.allocation
    if a is None or not a.has_solution:
        return None
    lab = _Labels(analysis, lang)
    s = a.spend_by_supplier
    total = float(s.sum())
    sme = a.problem.suppliers["sme"] if a.problem.suppliers is not None else {}
    rows = [(k, lab.supplier(k), bool(sme.get(k, False)) if hasattr(sme, "get") else False, float(v),
             float(v) / total if total > 0 else None) for k, v in s.items()]
    cols = [(tr("col.supplier_id", lang), "id"), (tr("col.supplier", lang), "text"), (tr("col.sme", lang), "bool"),
            (tr("col.spend", lang), "money"), (tr("col.share", lang), "pct")]
    return _table("portfolio_spend", "portfolio", tr("table.portfolio_spend", lang), cols, rows,
                  tr("note.spend", lang))


_UNIT_KIND = {"money": "money", "share": "pct", "count": "int", "value": "number"}
_SLACK_KIND = {"money": "money", "share": "money", "count": "int", "value": "number"}


def rules_table(analysis: Any, lang: str) -> Optional[Table]:
    """Each rule: limit, actual, slack, whether it binds, and its price (objective lost to it)."""
    a = analysis.allocation
    if a is None or not a.has_solution:
        return None
    rules = a.rules
    price_kind = "number" if a.problem.objective == "value" else "money"
    rows, cell_kinds = [], {}
    for k, (rule, row) in enumerate(rules.iterrows()):
        unit = row.get("unit", "number")
        verdict = a.verdict(rule)
        # the verdict's price: one number for the rule in every face (the budget's included)
        price = verdict.price if verdict is not None else a.price_of_rules.get(rule)
        rows.append((rule, _rule_name(rule, lang), row["limit"], row["actual"], row["slack"], bool(row["binding"]),
                     price, verdict.text(lang) if verdict is not None else ""))
        cell_kinds[(k, 2)] = cell_kinds[(k, 3)] = _UNIT_KIND.get(unit, "number")
        cell_kinds[(k, 4)] = _SLACK_KIND.get(unit, "number")
    cols = [(tr("col.rule_id", lang), "id"), (tr("col.rule", lang), "text"), (tr("col.limit", lang), "number"),
            (tr("col.actual", lang), "number"), (tr("col.slack", lang), "number"), (tr("col.binding", lang), "bool"),
            (tr("col.price", lang), price_kind), (tr("col.verdict", lang), "text")]
    note = tr("note.rules_value" if a.problem.objective == "value" else "note.rules_cost", lang)
    return _table("portfolio_rules", "portfolio", tr("table.portfolio_rules", lang), cols, rows, note, cell_kinds)


def values_table(analysis: Any, lang: str) -> Optional[Table]:
    """Each option's portfolio value: the weighted per-criterion parts ``w_c v_c(x)`` that sum to
    ``V_i`` (additive value on fixed reference levels), the summed importance of the modules it
    covers, and its contribution to a portfolio (``V_i`` times that importance)."""
    vm = getattr(analysis, "value_model", None)
    a = analysis.allocation
    if vm is None or a is None:
        return None
    lab = _Labels(analysis, lang)
    m = analysis.model
    parts = vm.contributions()
    values = parts.sum(axis=1)
    importance = {x.id: x.importance for x in m.allocation.modules}
    chosen = set(a.chosen) if a.has_solution else set()
    rows = []
    for alt in m.alternatives:
        if alt.value is not None:
            continue
        imp = sum(importance.get(x, 0.0) for x in alt.covers) if importance else 1.0
        rows.append((alt.id, lab.option(alt.id), *[float(parts.at[alt.id, c.id]) for c in vm.criteria],
                     float(values[alt.id]), imp, float(values[alt.id]) * imp, alt.id in chosen))
    cols = [(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text")]
    cols += [(lab.criterion(c.id), "number") for c in vm.criteria]
    cols += [(tr("col.option_value", lang), "number"), (tr("col.importance", lang), "number"),
             (tr("col.contribution", lang), "number"), (tr("col.in_portfolio", lang), "bool")]
    refs = "; ".join(f"{lab.criterion(c.id)} {c.low:g}-{c.high:g}" for c in vm.criteria)
    note = tr("note.values", lang, refs=refs)
    return _table("portfolio_values", "portfolio", tr("table.portfolio_values", lang), cols, rows, note)


def portfolio_robustness_table(analysis: Any, lang: str) -> Optional[Table]:
    """Per option: the share of sampled optima that include it (the core index of Liesiö, Mild &
    Salo 2007: 100 % = core, 0 % = exterior)."""
    rb = getattr(analysis, "portfolio_robustness", None)
    if rb is None:
        return None
    lab = _Labels(analysis, lang)
    rec = set(rb.recommended)
    rows = [(i, lab.option(i), float(p), i in rec) for i, p in rb.inclusion.sort_values(ascending=False).items()]
    cols = [(tr("col.option_id", lang), "id"), (tr("col.option", lang), "text"),
            (tr("col.inclusion", lang), "pct"), (tr("col.in_portfolio", lang), "bool")]
    return _table("portfolio_robustness", "portfolio", tr("table.portfolio_robustness", lang), cols, rows,
                  rb.text(lang))


def frontier_table(analysis: Any, lang: str) -> Optional[Table]:
    """Best value at each budget (the efficient frontier) with the portfolio at each point."""
    f = analysis.frontier
    if f is None or f.frame.empty:
        return None
    eff = set(f.efficient().index)
    sampled = not getattr(f, "is_exact", False) and "gap" in f.frame  # exact points have no gap
    rows = []
    for k, row in f.frame.iterrows():
        gap = (float(row["gap"]) if row["gap"] is not None and row["gap"] == row["gap"] else float("nan"),) \
            if sampled else ()
        rows.append((row["budget"], status_name(row["status"], lang), row["value"], row["tco"], row["n_chosen"],
                     row["suppliers"], row["sme_share"], row["exit_cost"], k in eff, *gap, tuple(row["chosen"])))
    cols = [(tr("col.budget", lang), "money"), (tr("col.status", lang), "text"), (tr("col.value", lang), "number"),
            (tr("col.tco_total", lang), "money"), (tr("col.n_chosen", lang), "int"), (tr("col.suppliers", lang), "int"),
            (tr("col.sme_share", lang), "pct"), (tr("col.exit_nominal", lang), "money"),
            (tr("col.efficient", lang), "bool"),
            *([(tr("col.bound_gap", lang), "pct2")] if sampled else []), (tr("col.chosen_ids", lang), "text")]
    return _table("portfolio_frontier", "portfolio", tr("table.portfolio_frontier", lang), cols, rows,
                  tr("note.frontier_exact" if getattr(f, "is_exact", False) else "note.frontier", lang))


def scenarios_table(analysis: Any, lang: str) -> Optional[Table]:
    """The portfolio when forced to one side of each trade-off (only open source, only cloud ...)."""
    from decide.portfolio.scenario_runs import scenario_note

    sc = analysis.scenarios
    if sc is None or len(sc) == 0:
        return None
    rows = []
    for name, row in sc.iterrows():
        name = str(name)
        if name == "free":
            label = i18n.t("portfolio.scenario_free", lang)
        elif name.startswith("only_"):
            tag = name[len("only_"):]
            tag = tr(f"tag.{tag}", lang) if _has("report", f"tag.{tag}") else tag
            label = i18n.t("portfolio.scenario_only", lang, tag=tag)
        else:
            label = str(row.get("label", name))
        rows.append((name, label, status_name(row["status"], lang), row["value"], row["tco"], row["n_chosen"],
                     row["suppliers"], row["sme_share"], row["exit_cost"], tuple(row["chosen"]),
                     scenario_note(sc, name, lang)))
    cols = [(tr("col.scenario_id", lang), "id"), (tr("col.scenario", lang), "text"), (tr("col.status", lang), "text"),
            (tr("col.value", lang), "number"), (tr("col.tco_total", lang), "money"), (tr("col.n_chosen", lang), "int"),
            (tr("col.suppliers", lang), "int"), (tr("col.sme_share", lang), "pct"),
            (tr("col.exit_nominal", lang), "money"), (tr("col.chosen_ids", lang), "text"), (tr("col.note", lang), "text")]
    return _table("portfolio_scenarios", "portfolio", tr("table.portfolio_scenarios", lang), cols, rows,
                  tr("note.scenarios", lang))


def portfolio_explanation_table(analysis: Any, lang: str) -> Optional[Table]:
    """Why there is no portfolio: the findings, in procurement terms."""
    a = analysis.allocation
    if a is None or a.has_solution:
        return None
    text = a.explanation_text(lang) or status_name(a.status, lang)
    rows = [(k + 1, line) for k, line in enumerate(text.splitlines()) if line.strip()]
    cols = [(tr("col.number", lang), "int"), (tr("col.finding", lang), "text")]
    return _table("portfolio_explanation", "portfolio", tr("table.portfolio_explanation", lang), cols, rows,
                  tr("note.portfolio_none", lang, status=status_name(a.status, lang)))


# =========================================================================== review
def review_table(analysis: Any, lang: str) -> Optional[Table]:
    """The strategy review: each of the seed's questions with status, finding and advice."""
    rv = analysis.review
    if rv is None:
        return None
    df = rv.to_frame(lang)
    rows = []
    for cid, row in df.iterrows():
        group = str(cid).split(".")[0]
        gkey = f"group.{group}"
        group_name = i18n.t(f"review.{gkey}", lang) if _has("review", gkey) else group
        skey = f"status.{row['status']}"
        status = i18n.t(f"review.{skey}", lang) if _has("review", skey) else str(row["status"])
        rows.append((cid, group_name, row["question"], status, row["finding"], row["advice"], row["source"]))
    cols = [(tr("col.check_id", lang), "id"), (tr("col.review_group", lang), "text"),
            (i18n.t("review.column.question", lang), "text"), (i18n.t("review.column.status", lang), "text"),
            (i18n.t("review.column.finding", lang), "text"), (i18n.t("review.column.advice", lang), "text"),
            (i18n.t("review.column.source", lang), "text")]
    return _table("review", "review", i18n.t("review.heading", lang), cols, rows)


def motivation_table(analysis: Any, lang: str) -> Optional[Table]:
    """The draft bundling motivation (art. 1.5 Aanbestedingswet 2012), line by line, when it applies."""
    rv = analysis.review
    text = rv.motivation_skeleton(lang) if rv is not None else None
    if not text:
        return None
    rows = [(line,) for line in text.splitlines()]
    return _table("review_motivation", "review", tr("table.review_motivation", lang),
                  [(tr("col.text", lang), "text")], rows)


# =========================================================================== provenance
def _prov_value(key: str, value: Any, analysis: Any, lang: str) -> tuple[Any, str]:
    if key == "smaa_weights":
        return _weights_sampled(analysis, lang), "text"
    if key == "libraries" and isinstance(value, Mapping):
        return "; ".join(f"{k} {v}" for k, v in value.items()), "text"
    if key == "ranking_method":
        return method_name(str(value), lang), "text"
    if key == "compared_methods" and isinstance(value, (list, tuple)):
        return ", ".join(method_name(str(v), lang) for v in value), "text"
    if key == "allocation_status":
        return status_name(value, lang), "text"
    if key == "ahp_priorities" and value:
        return i18n.t(f"weights.priorities_{value}", lang), "text"
    if key == "critic_settings" and isinstance(value, Mapping):
        from decide.weights import critic_settings_text

        return critic_settings_text(value, lang), "text"
    if key == "model_warnings":  # the model's own warnings, each with its place, in the report's language
        return "; ".join(f"{w.loc}: {w.text(lang)} [{w.code}]" if w.loc else f"{w.text(lang)} [{w.code}]"
                         for w in analysis.warnings), "text"
    if key == "discount_rate":
        return float(value), "pct2"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {v}" for k, v in value.items()) or "–", "text"
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)), "text"
    if isinstance(value, bool):
        return value, "bool"
    if isinstance(value, (int, np.integer)):
        return int(value), "int"
    if isinstance(value, (float, np.floating)):
        return float(value), "number"
    return (str(value) if value is not None else None), "text"


def provenance_table(analysis: Any, lang: str) -> Table:
    """Who computed what with which settings: enough to reproduce the numbers later."""
    prov = dict(analysis.provenance)
    prov["report_language"] = lang
    rows, kinds = [], {}
    for k, (key, value) in enumerate(prov.items()):
        v, kind = _prov_value(key, value, analysis, lang)
        item = tr(f"prov.{key}", lang) if _has("report", f"prov.{key}") else key
        rows.append((key, item, v))
        kinds[(k, 2)] = kind
    cols = [(tr("col.key", lang), "id"), (tr("col.item", lang), "text"), (tr("col.value", lang), "text")]
    return _table("provenance", "provenance", tr("table.provenance", lang), cols, rows, tr("note.provenance", lang),
                  kinds)


# =========================================================================== all
TABLES: tuple[Callable[[Any, str], Optional[Table]], ...] = (
    summary_table,
    weights_table, participant_weights_table, consistency_table, hints_table,
    scores_table, uncertain_scores_table, tco_table,
    ranking_table, comparison_table, contributions_table, excluded_table,
    stability_table, smaa_table, central_weights_table,
    portfolio_table, values_table, spend_table, rules_table, frontier_table, portfolio_robustness_table, scenarios_table, portfolio_explanation_table,
    *AWARD_TABLES,
    review_table, motivation_table,
    provenance_table,
)


def build_tables(analysis: Any, lang: Optional[str] = None) -> dict[str, Table]:
    """Every table that applies to the analysis, in report order, keyed by :attr:`Table.key`."""
    lang = lang or analysis.language
    if lang not in i18n.LANGUAGES:
        from decide.errors import DecideError, Message

        raise DecideError(Message("report.language_unknown", allowed=", ".join(map(repr, i18n.LANGUAGES)), value=repr(lang)))
    out: dict[str, Table] = {}
    for fn in TABLES:
        table = fn(analysis, lang)
        if table is not None:
            out[table.key] = table
    return out
