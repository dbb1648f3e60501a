"""The model-level glue of the portfolio: a decision model as a :class:`~decide.portfolio.problem.Problem`.

The array-level package :mod:`decide.portfolio` takes a Problem and knows nothing of model files;
this module translates a model into one (:func:`from_model`), with the options' portfolio
values (:func:`option_values`) and the optional modules' baselines (:func:`baselines`).
:class:`decide.analysis.Analysis` calls it once per analysis (its ``problem`` stage).

An option's portfolio value comes from the additive value model (:mod:`decide.value`): its
value ``V_i = sum_c w_c v_c(x_ic)`` on fixed reference levels, times the summed importance of
the modules it covers (1 when the model has no modules). An option's explicit ``value`` is its
contribution as is (values brought from elsewhere). Nothing here depends on the ranking method
or on the other options.

Baselines (Clemen & Smith 2009, "On the choice of baselines in multiattribute portfolio
analysis: a cautionary note", Operations Research 57(4); Liesiö & Punkka 2014, EJOR 237): an
optional module that no chosen option covers keeps its ``baseline`` value (0..1, default 0) on
the options' value scale, weighted by its importance. A portfolio's value is therefore
``sum_i x_i V_i imp_i + sum_{optional m uncovered} imp_m b_m``. With the default baseline 0,
covering an optional module with any option adds value, which favours doing more; a baseline
says how good the present situation (or doing nothing) already is, so that an option only
enters where it beats it. Required modules are always covered: their baseline never counts.
In the problem, an option's ``value`` is its contribution minus the baselines of the optional
modules it covers, and ``value_offset`` holds the sum of all optional baselines.

Options excluded by the knock-out requirements do not enter the problem, nor do options that
require one of them. Money comes from
:mod:`decide.tco`: TCO and integration as net present values, exit costs and per-year cash
flows nominal.
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import pandas as pd

from decide.errors import ModelError, Problem as Located
from decide.model import DecisionModel
from decide.portfolio.problem import Problem, Rules
from decide.tco import cashflows


def option_values(model: DecisionModel, weights: Optional[pd.Series] = None, *,
                  intrinsic: Optional[pd.Series] = None) -> pd.Series:
    """Each option's contribution to a portfolio (all options; excluded ones included for display).

    ``V_i`` times the summed importance of the modules the option covers (1 without modules);
    an explicit ``value`` as is.

    Parameters
    ----------
    weights : Series, optional
        Global leaf weights (default: the model's).
    intrinsic : Series, optional
        ``V_i`` per option, already computed (:func:`decide.value.option_values`).
    """
    alloc = model.allocation
    importance = {m.id: m.importance for m in alloc.modules} if alloc is not None and alloc.modules else {}
    if intrinsic is None:
        from decide.value import option_values as intrinsic_values

        intrinsic = intrinsic_values(model, weights)
    out = {}
    for a in model.alternatives:
        if a.value is not None:
            out[a.id] = float(a.value)
            continue
        weight = sum(importance.get(m, 0.0) for m in a.covers) if importance else 1.0
        out[a.id] = float(intrinsic[a.id]) * weight
    return pd.Series(out, name="value")


def baselines(model: DecisionModel) -> dict[str, float]:
    """Optional module id -> importance x baseline (what leaving it uncovered is worth)."""
    alloc = model.allocation
    if alloc is None:
        return {}
    return {m.id: m.importance * m.baseline for m in alloc.modules if not m.required and m.baseline}


def no_allocation(model: DecisionModel) -> ModelError:
    """The located error of a model without an allocation section, for a face that needs a portfolio."""
    file = model.path or "<model>"
    return ModelError([Located("no-allocation", "allocation",
                               "this model has no allocation section, so there is no portfolio to optimise; "
                               "add allocation: {budget: ..., modules: [...], suppliers: [...]} (models/README.md)",
                               None, file, {})], file)


def from_model(model: DecisionModel, *, values: Optional[pd.Series] = None, lang: Optional[str] = None,
               passed: Optional[tuple[str, ...]] = None, tco: Optional[pd.DataFrame] = None) -> Problem:
    """The model's allocation section as a portfolio problem.

    Parameters
    ----------
    model : DecisionModel
        Must have an ``allocation`` section.
    values : Series, optional
        Contribution per option id (before baselines); default :func:`option_values`.
    lang : str, optional
        Language of the labels (default the model's).
    passed : tuple of str, optional
        The options that passed the knock-out requirements (default: computed).
    tco : DataFrame, optional
        The model's :func:`decide.tco.tco_table`, already computed (default: the model's own).
    """
    if not isinstance(model, DecisionModel):
        raise TypeError(f"expected a DecisionModel, got {type(model).__name__}")
    alloc = model.allocation
    file = model.path or "<model>"
    if alloc is None:
        raise no_allocation(model)
    lang = lang or model.language
    if passed is None:
        if model.requirements and model.criteria:
            from decide.requirements import screen

            passed = screen(model).passed
        else:
            passed = tuple(model.alternative_ids)
    if values is None:
        values = option_values(model)
    base = baselines(model)
    tco = model.tco_table() if tco is None else tco
    keep = [a for a in model.alternatives if a.id in passed]
    keep_ids = {a.id for a in keep}
    # an option that requires an excluded option can never be chosen: it leaves the problem too
    # (transitively), so the model's own bans are the problem's only bans
    while True:
        out = {a.id for a in keep if any(r not in keep_ids for r in a.requires)}
        if not out:
            break
        keep = [a for a in keep if a.id not in out]
        keep_ids -= out
    knocked = [p for p in alloc.pin if p not in keep_ids]
    if knocked:
        raise ModelError([Located.of("pinned-excluded", "allocation.pin", option=o, file=file) for o in knocked], file)
    options = pd.DataFrame({
        "label": [a.name(lang) for a in keep],
        "supplier": [a.supplier for a in keep],
        "value": [float(values[a.id]) - sum(base.get(m, 0.0) for m in a.covers) for a in keep],
        "tco": [float(tco.at[a.id, "total"]) for a in keep],
        "integration": [float(tco.at[a.id, "integration"]) for a in keep],
        "exit_cost": [float(tco.at[a.id, "exit_nominal"]) for a in keep],
        "covers": [tuple(a.covers) if alloc.modules else () for a in keep],
        "tags": [tuple(a.tags) for a in keep],
        "requires": [tuple(r for r in a.requires if r in keep_ids) for a in keep],
        "excludes": [tuple(r for r in a.excludes if r in keep_ids) for a in keep],
    }, index=pd.Index([a.id for a in keep], name="id"))
    modules = pd.DataFrame({
        "label": [m.name(lang) for m in alloc.modules],
        "required": [m.required for m in alloc.modules],
        "importance": [m.importance for m in alloc.modules],
    }, index=pd.Index([m.id for m in alloc.modules], name="id")) if alloc.modules else None
    supplier_ids = {a.supplier for a in keep if a.supplier is not None}
    described = model.supplier_list
    if described:
        suppliers = pd.DataFrame({
            "label": [model.supplier_name(s.id, lang) for s in described],
            "sme": [s.sme for s in described],
        }, index=pd.Index([s.id for s in described], name="id"))
    else:
        ids = sorted(supplier_ids)
        suppliers = pd.DataFrame({"label": [model.supplier_name(i, lang) for i in ids], "sme": [False] * len(ids)},
                                 index=pd.Index(ids, name="id"))
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
                  max_exit_cost=r.max_exit_cost, share_base=r.share_base)
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
        ban=tuple(b for b in alloc.ban if b in keep_ids),
        currency=model.currency,
        title=model.name(lang),
        value_offset=float(sum(base.values())),
    )
