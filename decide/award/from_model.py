"""The award section of a model, evaluated and simulated (model-level glue).

:func:`award_model` reads a :class:`~decide.model.DecisionModel`: its ``award`` section
(formula, quality criteria, bids) is evaluated with :func:`decide.award.evaluate`; its
options (TCO as expected price, scores as expected quality, the criteria weights as the
intended weights) feed :func:`decide.award.simulate`. The array-level modules never see
the model.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Optional, Sequence

import numpy as np
import pandas as pd

from decide.award.evaluation import Evaluation, evaluate
from decide.award.formulas import Scheme
from decide.award.simulation import FORMULAS, SimulationResult, simulate
from decide.award.validation import score_fraction
from decide.errors import ModelError, Problem
from decide.model import AwardSection, DecisionModel

__all__ = ["ModelAward", "award_model", "evaluate_model", "simulate_model", "scheme_of", "bid_inputs", "simulation_inputs", "price_share_of",
           "BEST_PRICE_QUALITY"]

#: Methods that award on the best price-quality ratio (art. 2.114 lid 2 Aanbestedingswet 2012).
BEST_PRICE_QUALITY = ("points", "fictive_price", "value_for_money", "utility_index")

#: At most this many bidder types enter the simulation (a tender rarely has more bidders);
#: with more viable options, those with the best expected evaluation are kept.
MAX_BIDDERS = 12

DEFAULT_TENDERS = 2000
DEFAULT_PRICE_SPREAD = 0.10
DEFAULT_QUALITY_SPREAD = 0.10


def scheme_of(section: AwardSection) -> Scheme:
    """The award section's formula as an array-level :class:`Scheme`."""
    m = section.method
    price = section.price
    if m == "fictive_price":
        weights = [c.value or 0.0 for c in section.quality]
    elif m in ("lowest_price", "lowest_cost"):
        weights = []
    else:
        weights = [c.points or 0.0 for c in section.quality]
    if price is None:
        return Scheme(m, weights)
    return Scheme(m, weights, price.points or 0.0, price.formula, ceiling=price.ceiling, floor=price.floor,
                  upper=price.upper)


def price_share_of(section: AwardSection) -> Optional[float]:
    """The nominal share of price: ``W_P / (W_P + W_Q)`` (None when the method has no price points)."""
    if section.method not in ("points", "utility_index") or section.price is None or not section.price.points:
        return None
    wq = sum(c.points or 0.0 for c in section.quality)
    return float(section.price.points / (section.price.points + wq))


def bid_inputs(section: AwardSection) -> tuple[list[str], np.ndarray, np.ndarray, list[list[Optional[str]]]]:
    """Bid ids, prices, quality fractions (bids x criteria) and the levels they came from."""
    crits = [] if section.method in ("lowest_price", "lowest_cost") else section.quality
    ids, prices, fractions, levels = [], [], [], []
    for b in section.bids:
        ids.append(b.id)
        prices.append(b.price)
        row, lv = [], []
        for c in crits:
            v = b.quality.get(c.id)
            f = score_fraction(v, c.scale)
            row.append(math.nan if f is None else f)
            scale = c.scale or {}
            lv.append(str(v) if (v is not None and str(v) in scale) else None)
        fractions.append(row)
        levels.append(lv)
    return ids, np.asarray(prices, dtype=float), np.asarray(fractions, dtype=float).reshape(len(ids), len(crits)), levels


def simulation_inputs(model: DecisionModel, *, screening: Any = None, tco: Optional[pd.DataFrame] = None,
                      weights: Optional[pd.Series] = None) -> dict[str, Any]:
    """What the simulation needs from the strategy model.

    ``screening``, ``tco`` and ``weights`` (the leaf weights) are the model's knock-out
    screening, TCO table and weights when already computed (an analysis passes its own
    stages); each one not given is computed here.

    Returns a dict with ``types`` (viable option ids), ``prices`` (their TCO), ``quality``
    (options x quality criteria, the expected fraction: each score placed linearly between
    the criterion's lowest and highest reference level, its scale's or else the observed
    ones, reversed for ``direction: min``), ``criteria`` (the non-cost leaf ids),
    ``weights`` (their weights), ``lot`` (with modules: the module the bidders compete for,
    the one with the most viable options covering only it) and ``price_share`` (the weight of the TCO criteria: the
    price weight the strategy intends; None without a TCO criterion).
    """
    from decide.requirements import all_excluded, screen
    from decide.tco import tco_table
    from decide.weights import derive

    where = model.path or "<model>"
    if not model.criteria:
        raise ModelError([Problem.of("award-no-criteria", "criteria", key="award.sim.no_criteria", file=where)], where)
    if screening is None:
        screening = screen(model)
    elif not screening.passed:
        raise all_excluded(model)
    types = [i for i in model.alternative_ids if i in set(screening.passed)]
    lot = None
    modules = model.allocation.modules if model.allocation is not None else []
    if modules:
        # bidders compete per lot: the module with the most viable single-module options
        def single(mod: str) -> list[str]:
            return [i for i in types if list(model.alternative(i).covers) == [mod]]

        def covering(mod: str) -> list[str]:
            return [i for i in types if mod in model.alternative(i).covers]

        best = max(modules, key=lambda m: (len(single(m.id)) >= 2, len(single(m.id)), len(covering(m.id)), m.importance))
        lot = best.id
        types = single(lot) if len(single(lot)) >= 2 else covering(lot)
    tco = (tco if tco is not None else tco_table(model))["total"]
    leaves = model.leaves()
    if weights is None:
        weights = derive(model).weights
    table = model.score_table()
    quality_leaves = [c for c in leaves if c.source != "tco"]
    cols = []
    for c in quality_leaves:
        x = table[c.id].astype(float)
        if c.scale:
            lo, hi = min(c.scale.values()), max(c.scale.values())
        else:
            lo, hi = float(x.min()), float(x.max())
        f = (x - lo) / (hi - lo) if hi > lo else pd.Series(1.0, index=x.index)
        if (c.direction or "max") == "min":
            f = 1.0 - f
        cols.append(f.clip(0.0, 1.0))
    quality = np.column_stack([c.loc[types].to_numpy() for c in cols]) if cols else np.zeros((len(types), 0))
    price_w = float(sum(weights.get(c.id, 0.0) for c in leaves if c.source == "tco"))
    has_tco = any(c.source == "tco" for c in leaves)
    prices = tco.loc[types].to_numpy(dtype=float)
    return {"lot": lot, "types": types, "prices": prices, "quality": quality, "criteria": [c.id for c in quality_leaves],
            "weights": np.array([float(weights.get(c.id, 0.0)) for c in quality_leaves]),
            "price_share": price_w if has_tco and 0.0 < price_w < 1.0 else None}


@dataclass(frozen=True, eq=False)
class ModelAward:
    """The award section evaluated and the candidate formulas simulated, for one model.

    ``evaluation`` is None without an award section or bids; ``simulation`` is None when
    the model cannot feed it (``reasons`` says why, as a message key and parameters).
    """

    model: DecisionModel = field(repr=False)
    evaluation: Optional[Evaluation]
    simulation: Optional[SimulationResult]
    criteria_labels: dict[str, Any] = field(default_factory=dict, repr=False)
    reasons: dict[str, str] = field(default_factory=dict)
    lot: Optional[str] = None
    simulated_criteria: tuple[str, ...] = ()

    @property
    def section(self) -> Optional[AwardSection]:
        return self.model.award

    @property
    def method(self) -> Optional[str]:
        return self.model.award.method if self.model.award is not None else None

    def bid_label(self, bid: str, lang: str) -> str:
        for b in (self.model.award.bids if self.model.award else []):
            if b.id == bid:
                return b.name(lang)
        return bid

    def to_dict(self, lang: Optional[str] = None, *, details: bool = False) -> dict:
        """``{method, bids: [{id, price, price_score, quality_score, total, fictive_price, utility,
        rank}], winner, paradox: [{removed, swapped: [a, b]}], simulation}``.

        ``details=True`` adds ``relative``, ``eur_per_point``, ``suggestion``, ``parts`` (per
        bid and criterion) and ``reasons`` (why a part is missing).
        """
        ev = self.evaluation
        out: dict[str, Any] = {"method": self.method, "bids": [], "winner": None, "paradox": []}
        if ev is not None:
            out.update(ev.to_dict())
        if details and ev is not None:
            out["relative"] = ev.relative
            out["eur_per_point"] = None if math.isnan(ev.eur_per_point) or math.isinf(ev.eur_per_point) else ev.eur_per_point
            out["suggestion"] = ev.suggestion.to_dict() if ev.suggestion is not None else None
            out["parts"] = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                            for r in ev.parts.to_dict(orient="records")]
        out["simulation"] = self.simulation.to_dict() if self.simulation is not None else None
        if out["simulation"] is not None:
            out["simulation"]["lot"] = self.lot
            out["simulation"]["criteria"] = list(self.simulated_criteria)
        if details:
            out["reasons"] = dict(self.reasons)
        return out


def _likely_bidders(inp: dict[str, Any], keep: list[int]) -> list[int]:
    """The :data:`MAX_BIDDERS` options with the best expected evaluation under the strategy's
    own weights (weighted-factor points with relative price scoring, at expected values)."""
    from decide.award.formulas import Scheme, scores

    share = inp["price_share"] if inp["price_share"] is not None else 0.5
    w = inp["weights"] / inp["weights"].sum() * (1.0 - share) * 100.0
    key = scores(inp["prices"][keep], inp["quality"][keep], Scheme("points", w, share * 100.0))["key"]
    best = sorted(range(len(keep)), key=lambda j: key[j])[:MAX_BIDDERS]
    return [keep[j] for j in sorted(best)]


def _simulate(model: DecisionModel, reasons: dict[str, str], *, tenders: int, seed: Optional[int],
              price_spread: float, quality_spread: float, splits: Optional[Sequence[float]],
              formulas: Sequence[str], stages: dict[str, Any]) -> tuple[Optional[SimulationResult], Optional[str],
                                                                        tuple[str, ...]]:
    """The simulation part of :func:`award_model`; a reason goes into ``reasons`` when it cannot run."""
    if not model.criteria:
        reasons["simulation"] = "no_criteria"
        return None, None, ()
    try:
        inp = simulation_inputs(model, **stages)
    except ModelError:  # the knock-outs exclude every option: no bidders to simulate
        reasons["simulation"] = "all_excluded"
        return None, None, ()
    lot, crit_ids = inp["lot"], tuple(inp["criteria"])
    keep = [i for i, p in enumerate(inp["prices"]) if p > 0]  # an option without costs does not bid
    if len(keep) > MAX_BIDDERS and inp["weights"].sum() > 0:
        keep = _likely_bidders(inp, keep)
        reasons["simulation_types"] = "capped"
    inp = {**inp, "types": [inp["types"][i] for i in keep], "prices": inp["prices"][keep],
           "quality": inp["quality"][keep]}
    if len(inp["types"]) < 2:
        reasons["simulation"] = "few_options"
        return None, lot, crit_ids
    if inp["quality"].shape[1] == 0 or inp["weights"].sum() <= 0:
        reasons["simulation"] = "no_quality"
        return None, lot, crit_ids
    chosen = list(splits) if splits else []
    if not chosen:
        if inp["price_share"] is not None:
            chosen.append(round(inp["price_share"], 2))
        own = price_share_of(model.award) if model.award is not None else None
        if own is not None:
            chosen.append(round(own, 2))
        if not chosen:
            chosen = [0.3, 0.5, 0.7]
    chosen = sorted({x for x in chosen if 0.0 < x < 1.0})
    sim = simulate(inp["prices"], inp["quality"], chosen, inp["weights"], types=inp["types"],
                   tenders=tenders, seed=model.sensitivity.seed if seed is None else seed,
                   price_spread=price_spread, quality_spread=quality_spread,
                   intended_price_share=inp["price_share"], formulas=formulas)
    return sim, lot, crit_ids


def evaluate_model(model: DecisionModel) -> ModelAward:
    """The model's award section: its bids evaluated, without the simulation.

    Without an award section or without bids, ``evaluation`` is None and ``reasons`` says why.
    """
    sec = model.award
    reasons: dict[str, str] = {}
    evaluation = None
    if sec is None:
        reasons["evaluation"] = "no_award"
    elif not sec.bids:
        reasons["evaluation"] = "no_bids"
    else:
        ids, prices, fractions, levels = bid_inputs(sec)
        crits = [c.id for c in sec.quality] if sec.method not in ("lowest_price", "lowest_cost") else []
        evaluation = evaluate(prices, fractions, scheme_of(sec), ids=ids, criteria=crits, levels=levels)
    labels = {c.id: c.label for c in (sec.quality if sec is not None else [])}
    return ModelAward(model, evaluation, None, labels, reasons)


def simulate_model(evaluated: ModelAward, *, tenders: int = DEFAULT_TENDERS, seed: Optional[int] = None,
                   price_spread: float = DEFAULT_PRICE_SPREAD, quality_spread: float = DEFAULT_QUALITY_SPREAD,
                   splits: Optional[Sequence[float]] = None, formulas: Sequence[str] = FORMULAS,
                   screening: Any = None, tco: Optional[pd.DataFrame] = None,
                   weights: Optional[pd.Series] = None) -> ModelAward:
    """``evaluated`` (from :func:`evaluate_model`) with the candidate formulas simulated.

    The bids are not evaluated again. ``screening``, ``tco`` and ``weights`` are the model's
    stages when already computed (see :func:`simulation_inputs`). The settings are those of
    :func:`award_model`; they are checked first (:func:`decide.award.simulation.check_settings`).
    """
    from decide.award.simulation import check_settings

    check_settings(tenders=tenders, price_spread=price_spread, quality_spread=quality_spread, splits=splits)
    reasons = dict(evaluated.reasons)
    stages = {k: v for k, v in (("screening", screening), ("tco", tco), ("weights", weights)) if v is not None}
    sim, lot, crit_ids = _simulate(evaluated.model, reasons, tenders=tenders, seed=seed, price_spread=price_spread,
                                   quality_spread=quality_spread, splits=splits, formulas=formulas, stages=stages)
    return replace(evaluated, simulation=sim, reasons=reasons, lot=lot, simulated_criteria=crit_ids)


def award_model(model: DecisionModel, *, simulate_formulas: bool = True, tenders: int = DEFAULT_TENDERS,
                seed: Optional[int] = None, price_spread: float = DEFAULT_PRICE_SPREAD,
                quality_spread: float = DEFAULT_QUALITY_SPREAD, splits: Optional[Sequence[float]] = None,
                formulas: Sequence[str] = FORMULAS) -> ModelAward:
    """Evaluate the model's bids and simulate the candidate formulas.

    Parameters
    ----------
    model : DecisionModel
    simulate_formulas : bool
        Run the simulation (needs criteria and at least two viable options).
    tenders, seed : int
        Simulated tenders; the seed (default: the model's ``sensitivity.seed``).
    price_spread, quality_spread : float
        Coefficient of variation of prices; standard deviation of quality fractions.
    splits : sequence of float, optional
        Nominal price shares to compare (default: the share the criteria weights intend
        and the award section's own share).
    """
    evaluated = evaluate_model(model)
    if not simulate_formulas:
        return evaluated
    return simulate_model(evaluated, tenders=tenders, seed=seed, price_spread=price_spread,
                          quality_spread=quality_spread, splits=splits, formulas=formulas)
