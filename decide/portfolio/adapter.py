"""Build a portfolio :class:`~decide.portfolio.problem.Problem` from a decision model.

An option's value is its explicit ``value``, else its MCDA score (scaled to 0..1, 1 best;
see :func:`decide.analysis.value_scores`) times the summed importance of the modules it
covers (1 when the model has no modules). Options excluded by the knock-out requirements
do not enter the problem. Money comes from :mod:`decide.tco`: TCO and integration as net
present values, exit costs and per-year cash flows nominal.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from decide.errors import ModelError, Problem as Located
from decide.model import DecisionModel
from decide.portfolio.problem import Problem, Rules
from decide.tco import cashflows, tco_table


def option_values(model: DecisionModel, scores: Optional[pd.Series] = None) -> pd.Series:
    """Portfolio value per option (all options; excluded ones included for display).

    Parameters
    ----------
    scores : Series, optional
        MCDA value scores in 0..1 per option id (default: the model's ranking, through
        :func:`decide.analysis.value_scores`).
    """
    alloc = model.allocation
    importance = {m.id: m.importance for m in alloc.modules} if alloc is not None else {}
    need_scores = any(a.value is None for a in model.alternatives)
    if need_scores and scores is None:
        from decide.analysis import value_scores

        scores = value_scores(model)
    out = {}
    for a in model.alternatives:
        if a.value is not None:
            out[a.id] = float(a.value)
            continue
        s = float(scores.get(a.id, np.nan)) if scores is not None else np.nan
        weight = sum(importance.get(m, 0.0) for m in a.covers) if importance else 1.0
        out[a.id] = s * weight
    return pd.Series(out, name="value")


def from_model(model: DecisionModel, *, values: Optional[pd.Series] = None, lang: Optional[str] = None,
               passed: Optional[tuple[str, ...]] = None) -> Problem:
    """The model's allocation section as a portfolio problem.

    Parameters
    ----------
    model : DecisionModel
        Must have an ``allocation`` section.
    values : Series, optional
        Portfolio value per option id; default :func:`option_values`.
    lang : str, optional
        Language of the labels (default the model's).
    passed : tuple of str, optional
        The options that passed the knock-out requirements (default: computed).
    """
    if not isinstance(model, DecisionModel):
        raise TypeError(f"expected a DecisionModel, got {type(model).__name__}")
    alloc = model.allocation
    file = model.path or "<model>"
    if alloc is None:
        raise ModelError([Located("no-allocation", "allocation",
                                  "this model has no allocation section, so there is no portfolio to optimise; "
                                  "add allocation: {budget: ..., modules: [...], suppliers: [...]} (models/README.md)",
                                  None, file, {})], file)
    lang = lang or model.language
    if passed is None:
        if model.requirements and model.criteria:
            from decide.requirements import screen

            passed = screen(model).passed
        else:
            passed = tuple(model.alternative_ids)
    if values is None:
        values = option_values(model)
    tco = tco_table(model)
    keep = [a for a in model.alternatives if a.id in passed]
    keep_ids = {a.id for a in keep}
    knocked = [p for p in alloc.pin if p not in keep_ids]
    if knocked:
        raise ModelError([Located("pinned-excluded", "allocation.pin",
                                  f"pinned option '{o}' fails a knock-out requirement, so it cannot be chosen; "
                                  "unpin it or relax the requirement", None, file, {"option": o}) for o in knocked], file)
    options = pd.DataFrame({
        "label": [a.name(lang) for a in keep],
        "supplier": [a.supplier for a in keep],
        "value": [float(values[a.id]) for a in keep],
        "tco": [float(tco.at[a.id, "total"]) for a in keep],
        "integration": [float(tco.at[a.id, "integration"]) for a in keep],
        "exit_cost": [float(tco.at[a.id, "exit_nominal"]) for a in keep],
        "covers": [tuple(a.covers) if alloc.modules else () for a in keep],
        "tags": [tuple(a.tags) for a in keep],
        "requires": [tuple(r for r in a.requires if r in keep_ids) for a in keep],
        "excludes": [tuple(r for r in a.excludes if r in keep_ids) for a in keep],
    }, index=pd.Index([a.id for a in keep], name="id"))
    # an option that requires an excluded option can never be chosen
    blocked = tuple(a.id for a in keep if any(r not in keep_ids for r in a.requires))
    modules = pd.DataFrame({
        "label": [m.name(lang) for m in alloc.modules],
        "required": [m.required for m in alloc.modules],
        "importance": [m.importance for m in alloc.modules],
    }, index=pd.Index([m.id for m in alloc.modules], name="id")) if alloc.modules else None
    supplier_ids = {a.supplier for a in keep if a.supplier is not None}
    if alloc.suppliers:
        suppliers = pd.DataFrame({
            "label": [s.name(lang) for s in alloc.suppliers],
            "sme": [s.sme for s in alloc.suppliers],
        }, index=pd.Index([s.id for s in alloc.suppliers], name="id"))
    else:
        ids = sorted(supplier_ids)
        suppliers = pd.DataFrame({"label": ids, "sme": [False] * len(ids)}, index=pd.Index(ids, name="id"))
    yearly = alloc.yearly_budget
    T = model.horizon.years
    if isinstance(yearly, (int, float)):
        yearly = tuple([float(yearly)] * (T + 1))
    elif yearly is not None:
        yearly = tuple(float(v) for v in yearly)
    cf = cashflows(model).loc[[a.id for a in keep]] if yearly is not None else None
    r = alloc.rules
    rules = Rules(max_supplier_share=r.max_supplier_share, min_suppliers=r.min_suppliers,
                  min_sme_share=r.min_sme_share, max_lots_per_supplier=r.max_lots_per_supplier,
                  max_exit_cost=r.max_exit_cost)
    return Problem(
        options=options,
        modules=modules,
        suppliers=suppliers,
        cashflows=cf,
        budget=alloc.budget,
        yearly_budget=yearly,
        objective=alloc.objective,
        min_value=alloc.min_value,
        rules=rules,
        pin=tuple(p for p in alloc.pin if p in keep_ids),
        ban=tuple(dict.fromkeys(tuple(b for b in alloc.ban if b in keep_ids) + blocked)),
        currency=model.currency,
        title=model.name(lang),
    )
