"""The facade: one call runs the whole analysis of a model, ``decide.analyse(model)``.

Weights, knock-outs, TCO, ranking with the method comparison and explanations,
sensitivity (stability intervals and SMAA-2), the portfolio with its frontier and
scenarios (when the model has an allocation section) and the strategy review, as one
frozen :class:`Analysis` with provenance. The report writers and the notebooks read it.
"""
from __future__ import annotations

import datetime as _dt
import platform
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any, Callable, Optional

import pandas as pd

from decide import __version__
from decide.model import DecisionModel
from decide.tco import tco_table


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


@dataclass(frozen=True)
class Analysis:
    """Everything decide computes for one model (parts are None where they do not apply)."""

    model: DecisionModel = field(repr=False)
    tco: pd.DataFrame = field(repr=False)
    weights: Any = None  # decide.weights.Derivation
    ranking: Any = None  # decide.analysis.ModelRanking
    comparison: Any = None  # decide.ranking.Comparison
    explanation: Any = None  # decide.ranking.Explanation
    sensitivity: Any = None  # decide.analysis.ModelSensitivity
    problem: Any = None  # decide.portfolio.Problem
    allocation: Any = None  # decide.portfolio.Allocation
    frontier: Any = None  # decide.portfolio.Frontier
    scenarios: Optional[pd.DataFrame] = None
    review: Any = None  # decide.review.Review
    provenance: dict = field(default_factory=dict)
    value_model: Any = None  # decide.value.ValueModel (portfolio values from criteria)
    module_rankings: dict = field(default_factory=dict)  # module id -> decide.scope.ModuleRanking
    module_notes: tuple = ()  # decide.scope.ModuleNote per module: best-ranked option in the portfolio?
    portfolio_robustness: Any = None  # decide.portfolio_robustness.PortfolioRobustness
    award: Any = None  # decide.award.ModelAward (when the model has an award section)

    @property
    def language(self) -> str:
        return self.model.language

    def label(self, option_id: str, lang: Optional[str] = None) -> str:
        return self.model.alternative(option_id).name(lang or self.language)

    def winner(self) -> Optional[str]:
        """The top-ranked option (None for a model without criteria)."""
        return self.ranking.winner if self.ranking is not None else None

    def to_dict(self, lang: Optional[str] = None) -> dict:
        """Everything, keyed by ids, JSON-friendly (NaN left for the writer to map)."""
        lang = lang or self.language
        out: dict[str, Any] = {
            "title": self.model.name(lang),
            "language": lang,
            "tco": {i: {k: float(v) for k, v in row.items()} for i, row in self.tco.iterrows()},
            "provenance": self.provenance,
        }
        if self.weights is not None:
            out["weights"] = self.weights.to_dict(lang)
        if self.ranking is not None:
            out["ranking"] = self.ranking.to_dict(lang)
        if self.comparison is not None:
            out["comparison"] = self.comparison.to_dict()
        if self.explanation is not None and hasattr(self.explanation, "to_dict"):
            out["explanation"] = self.explanation.to_dict()
        if self.sensitivity is not None:
            out["sensitivity"] = self.sensitivity.to_dict(lang)
        if self.allocation is not None:
            out["allocation"] = self.allocation.to_dict(lang)
        if self.frontier is not None and hasattr(self.frontier, "to_dict"):
            out["frontier"] = self.frontier.to_dict()
        if self.scenarios is not None:
            out["scenarios"] = [
                {"scenario": str(i), **{k: (list(v) if isinstance(v, tuple) else v) for k, v in row.items()}}
                for i, row in self.scenarios.iterrows()
            ]
        if self.review is not None:
            out["review"] = self.review.to_dict(lang)
        if self.value_model is not None:
            out["value_model"] = self.value_model.to_dict()
        if self.portfolio_robustness is not None:
            out["portfolio_robustness"] = self.portfolio_robustness.to_dict()
        if self.module_rankings:
            out["module_rankings"] = {k: r.to_dict() for k, r in self.module_rankings.items()}
        if self.award is not None:
            out["award"] = self.award.to_dict(lang, details=True)
        return out

    def module_texts(self, lang: Optional[str] = None) -> list[str]:
        """Per module: its best-ranked option, and what kept it out of the portfolio if it is not in."""
        lang = lang or self.language
        mods = {m.id: m.name(lang) for m in self.model.allocation.modules} if self.model.allocation else {}
        from decide.render import enum  # noqa: PLC0415

        method = enum("method", self.ranking.method, lang) if self.ranking is not None else ""
        return [n.text(lang, self.label(n.option, lang), mods.get(n.module, n.module), method)
                for n in self.module_notes]

    def _repr_html_(self) -> str:
        parts = [f"<h3>{self.model.name()}</h3>"]
        if self.ranking is not None:
            parts.append(self.ranking.to_frame().to_html(float_format=lambda x: f"{x:.4f}"))
        if self.sensitivity is not None:
            parts.append(f"<p>{self.sensitivity.text()}</p>")
        if self.allocation is not None and hasattr(self.allocation, "_repr_html_"):
            parts.append(self.allocation._repr_html_())
        return "\n".join(parts)


def provenance(model: DecisionModel, **parts: Any) -> dict:
    """Who computed what with which settings: enough to reproduce the numbers later."""
    out = {
        "decide_version": __version__,
        "model_file": model.path,
        "model_sha256": model.sha256,
        "schema_version": model.decide,
        "timestamp": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "libraries": {name: _version(name) for name in ("numpy", "pandas", "scipy", "pymcdm", "pulp", "highspy")},
        "horizon_years": model.horizon.years,
        "discount_rate": model.horizon.discount_rate,
    }
    out.update({k: v for k, v in parts.items() if v is not None})
    return out


def analyse(model: DecisionModel, *, samples: Optional[int] = None, seed: Optional[int] = None,
            method: Optional[str] = None, solver: str = "highs", frontier_points: int = 12,
            sensitivity: bool = True, portfolio: bool = True, review: bool = True,
            portfolio_samples: int = 200,
            progress: Optional[Callable[[int, int], None]] = None) -> Analysis:
    """Run the whole analysis of a model.

    Parameters
    ----------
    model : DecisionModel
    samples, seed : int, optional
        SMAA samples and seed (default: the model's ``sensitivity`` section; ``samples=0``
        skips SMAA).
    method : str, optional
        Ranking method (default: the model's).
    solver : {"highs", "cbc"}
        MILP solver for the portfolio.
    frontier_points : int
        Budget points on the value-vs-budget frontier (0 skips it).
    sensitivity, portfolio, review : bool
        Switch parts off (e.g. for a fast interactive update).
    progress : callable, optional
        ``progress(done, total)`` during SMAA.
    portfolio_samples : int
        Samples of the portfolio's robustness analysis (re-solves for sampled weights, scores
        and costs; :mod:`decide.portfolio_robustness`); 0 skips it. Seeded with the model's
        ``sensitivity.seed``.
    """
    from decide.analysis import compare_ranking, rank_model, sensitivity_model

    tco = tco_table(model)
    weights = ranked = comparison = explanation = sens = None
    prov: dict[str, Any] = {}
    if model.criteria:
        from decide.ranking import explain
        from decide.weights import critic_settings, derive

        weights = derive(model)
        ranked = rank_model(model, method, weights=weights.weights)
        comparison = compare_ranking(ranked)
        explanation = explain(ranked.matrix, ranked.weights.to_numpy(), list(ranked.directions),
                              method=ranked.method, **ranked.params)
        prov.update({
            "weights_method": weights.method,
            "ri_table": weights.ri_table,
            "ahp_aggregation": weights.aggregate,
            "ahp_priorities": weights.priorities,
            "critic_settings": critic_settings(model.weights),
            "ranking_method": ranked.method,
            "ranking_params": ranked.params,
            "compared_methods": list(comparison.methods) if hasattr(comparison, "methods") else None,
        })
        if sensitivity:
            sens = sensitivity_model(model, ranked, samples=samples, seed=seed, progress=progress)
            if sens.smaa is not None:
                prov.update({"smaa_samples": int(sens.smaa.samples), "smaa_seed": sens.smaa.seed,
                             "smaa_weights": sens.weight_model})
    problem = allocation = front = scen = vm = robust = None
    mod_rank: dict = {}
    notes: tuple = ()
    if portfolio and model.allocation is not None:
        from decide.portfolio import frontier, optimise, scenarios
        from decide.portfolio.adapter import from_model, option_values

        from decide.value import needs_value_model, value_model

        if needs_value_model(model):
            vm = value_model(model, weights.weights if weights is not None else None)
        values = option_values(model, weights.weights if weights is not None else None,
                               intrinsic=vm.values() if vm is not None else None)
        passed = ranked.screening.passed if ranked is not None else None
        problem = from_model(model, values=values, passed=passed)
        allocation = optimise(problem, solver=solver)
        if frontier_points > 0:
            front = frontier(problem, points=frontier_points, solver=solver)
        scen = scenarios(problem, solver=solver, lang=model.language)
        if portfolio_samples > 0 and allocation.has_solution:
            from decide.portfolio_robustness import portfolio_robustness

            robust = portfolio_robustness(model, samples=int(portfolio_samples), seed=seed,
                                          weights=weights.weights if weights is not None else None,
                                          recommended=allocation.chosen, solver=solver)
            prov.update({"portfolio_samples": int(portfolio_samples)})
        if ranked is not None:
            from decide.scope import module_notes, module_rankings

            mod_rank = module_rankings(ranked)
            notes = tuple(module_notes(mod_rank, allocation, solver=solver))
        prov.update({"solver": allocation.solver, "allocation_status": str(allocation.status.value)})
    rev = None
    if review:
        from decide.review import ReviewContext, review as run_review

        ctx = ReviewContext.from_model(model, ranking=ranked,
                                       weights=weights.weights if weights is not None else None, problem=problem,
                                       allocation=allocation, scenarios=scen, solver=solver)
        rev = run_review(model, context=ctx)
    awarded = None
    if model.award is not None:
        from decide.award import award_model

        awarded = award_model(model)
        if awarded.simulation is not None:
            prov.update({"award_tenders": awarded.simulation.tenders, "award_seed": awarded.simulation.seed})
    return Analysis(model, tco, weights, ranked, comparison, explanation, sens, problem, allocation, front, scen,
                    rev, provenance(model, **prov), vm, mod_rank, notes, robust, award=awarded)
