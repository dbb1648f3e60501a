"""Model-level analysis: the model file through weights, knock-outs, TCO and ranking.

``rank_model(model)`` applies the requirements, derives the weights, builds the score
matrix (TCO included) and ranks the remaining options with the model's method.
``value_scores(model)`` rescales a ranking's scores to 0..1 for the ranking chart's bars (the
portfolio never uses them: its values come from the additive value model, :mod:`decide.value`).
The whole pipeline (sensitivity, portfolio, review) is :func:`decide.facade.analyse`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide.errors import ModelError, Problem
from decide.model import DecisionModel
from decide.requirements import Screening, screen


def ranking_settings(model: DecisionModel, method: Optional[str] = None, **params: Any) -> tuple[str, dict]:
    """The method and parameters to rank with: the model's ``ranking`` section, overridden by arguments.

    The section's ``normalization`` and ``params`` belong to its own method; another method
    asked for on the command line starts from that method's published defaults.
    """
    from decide.ranking import get_method

    section = model.ranking
    chosen = method or section.method
    merged: dict[str, Any] = {}
    if chosen == section.method:
        merged.update(section.params)
        if section.normalization is not None:
            merged["normalization"] = section.normalization
    merged.update({k: v for k, v in params.items() if v is not None})
    adapter = get_method(chosen)
    if "normalization" in merged and "normalization" not in adapter.defaults:
        merged.pop("normalization")
    return chosen, merged


def _require_criteria(model: DecisionModel, what: str) -> None:
    if not model.criteria:
        file = model.path or "<model>"
        raise ModelError([Problem("no-criteria", "criteria",
                                  f"{what} needs criteria, and this model has none (its options carry explicit values); "
                                  "add criteria and scores to rank the options", None, file, {})], file)


@dataclass(frozen=True)
class ModelRanking:
    """The ranking of a model's options, with everything that went into it."""

    model: DecisionModel = field(repr=False)
    weights: pd.Series
    screening: Screening
    matrix: pd.DataFrame
    directions: tuple[str, ...]
    ranking: Any  # decide.ranking.Ranking

    @property
    def method(self) -> str:
        return self.ranking.method

    @property
    def params(self) -> dict:
        return dict(self.ranking.params)

    @property
    def winner(self) -> str:
        return str(self.ranking.ranks.idxmin())

    def to_frame(self, lang: Optional[str] = None) -> pd.DataFrame:
        """Options in rank order: label, score, rank (1 = best)."""
        lang = lang or self.model.language
        r = self.ranking
        df = pd.DataFrame({
            "label": [self.model.alternative(i).name(lang) for i in r.scores.index],
            "score": r.scores.to_numpy(),
            "rank": r.ranks.to_numpy(),
        }, index=pd.Index(r.scores.index, name="id"))
        return df.sort_values(["rank", "label"], kind="stable")

    def excluded(self, lang: Optional[str] = None) -> list[dict]:
        lang = lang or self.model.language
        return [{"id": k, "reason": "; ".join(v)} for k, v in self.screening.reasons(self.model, lang).items()]

    def to_dict(self, lang: Optional[str] = None) -> dict:
        df = self.to_frame(lang)
        return {
            "method": self.method,
            "params": self.params,
            "ranking": [{"id": i, "label": row["label"], "score": float(row["score"]), "rank": int(row["rank"])}
                        for i, row in df.iterrows()],
            "excluded": self.excluded(lang),
        }

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(float_format=lambda x: f"{x:.4f}")


def rank_model(model: DecisionModel, method: Optional[str] = None, *, weights: Optional[pd.Series] = None,
               lang: Optional[str] = None, **params: Any) -> ModelRanking:
    """Rank the model's options that pass the requirements.

    Parameters
    ----------
    model : DecisionModel
    method : str, optional
        A registered ranking method (default: the model's ``ranking.method``).
    weights : Series, optional
        Leaf weights to use instead of the model's (what-ifs, workshop sliders).
    lang : {"nl", "en"}, optional
        Language of the ranking's notes (default: the model's).
    **params
        Method parameters (override the model's).
    """
    from decide.ranking import rank
    from decide.weights import derive

    _require_criteria(model, "ranking")
    table = model.score_table()
    screening = screen(model, table)
    matrix = table.loc[list(screening.passed)]
    if weights is None:
        weights = derive(model).weights
    weights = pd.Series(weights, dtype=float).reindex(matrix.columns)
    directions = tuple(model.directions())
    chosen, merged = ranking_settings(model, method, **params)
    result = rank(matrix, weights.to_numpy(), list(directions), method=chosen, lang=lang or model.language, **merged)
    return ModelRanking(model, weights, screening, matrix, directions, result)


def value_scores(model: DecisionModel, ranked: Optional[ModelRanking] = None) -> pd.Series:
    """MCDA scores on 0..1 (1 best) per option, for drawing the ranking chart.

    These are relative to the other options and to the method, so the portfolio does not use
    them (see :mod:`decide.value`).

    A method whose scores already lie in 0..1 with higher better (TOPSIS closeness,
    WSM on max-normalised values, AHP priorities) keeps them; other scores (VIKOR's Q,
    PROMETHEE's net flow) are rescaled linearly so the best option scores 1 and the
    worst 0. Options excluded by the requirements get NaN.
    """
    ranked = ranked or rank_model(model)
    s = ranked.ranking.scores.astype(float)
    if not ranked.ranking.higher_is_better:
        s = -s
    lo, hi = float(s.min()), float(s.max())
    if not (ranked.ranking.higher_is_better and lo >= 0.0 and hi <= 1.0):
        s = (s - lo) / (hi - lo) if hi > lo else pd.Series(1.0, index=s.index)
    return s.reindex(model.alternative_ids)


# --------------------------------------------------------------------------- sensitivity
@dataclass(frozen=True)
class ModelSensitivity:
    """Stability intervals and SMAA-2 for a model's ranking, with the verdict in words."""

    ranked: ModelRanking = field(repr=False)
    stability: Any  # decide.sensitivity.Stability
    smaa: Any  # decide.sensitivity.SMAA or None
    weight_model: str  # "uniform" or "around (concentration k)"

    def text(self, lang: Optional[str] = None) -> str:
        from decide.sensitivity import robustness_text

        lang = lang or self.ranked.model.language
        model = self.ranked.model
        labels = {a.id: a.name(lang) for a in model.alternatives}
        labels.update({c.id: c.name(lang) for _, c in model.iter_criteria()})
        return robustness_text(self.stability, self.smaa, lang=lang, labels=labels)

    def to_dict(self, lang: Optional[str] = None) -> dict:
        out = {"stability": self.stability.to_dict(), "summary": self.text(lang), "weights_sampled": self.weight_model}
        if self.smaa is not None:
            out["smaa"] = self.smaa.to_dict()
        return out


def score_spec(model: DecisionModel, ids: list[str]):
    """The uncertain scores of the given options as a SMAA ScoreSpec (None when all are fixed)."""
    from decide.sensitivity import ScoreSpec

    low, mode, high, kind = model.score_bounds()
    rows = [model.alternative_ids.index(i) for i in ids]
    cells = {}
    for r, i in zip(rows, ids):
        for c, crit in enumerate(low.columns):
            k = kind[r, c]
            if k == "uniform":
                cells[(i, crit)] = ("uniform", low.iat[r, c], high.iat[r, c])
            elif k == "triangular":
                cells[(i, crit)] = ("triangular", low.iat[r, c], mode.iat[r, c], high.iat[r, c])
    return ScoreSpec.cells(cells) if cells else None


def sensitivity_model(model: DecisionModel, ranked: Optional[ModelRanking] = None, *,
                      samples: Optional[int] = None, seed: Optional[int] = None, method: Optional[str] = None,
                      progress=None) -> ModelSensitivity:
    """Weight stability intervals and SMAA-2 for the model's ranking.

    SMAA samples the weights around the model's weights (Dirichlet, the ``sensitivity``
    section's concentration) or uniformly, and the uncertain scores from their ranges.
    ``samples=0`` skips SMAA.
    """
    from decide.sensitivity import WeightSpec, smaa, stability

    ranked = ranked or rank_model(model, method)
    sec = model.sensitivity
    samples = sec.samples if samples is None else samples
    seed = sec.seed if seed is None else seed
    params = ranked.params
    stab = stability(ranked.matrix, ranked.weights.to_numpy(), list(ranked.directions), method=ranked.method, **params)
    if sec.weights == "uniform":
        spec, described = WeightSpec.uniform(), "uniform"
    else:
        spec = WeightSpec.dirichlet(ranked.weights, concentration=sec.concentration)
        described = f"around the model's weights (Dirichlet, concentration {sec.concentration:g})"
    result = None
    if samples > 0:
        scores = score_spec(model, list(ranked.matrix.index))
        result = smaa(ranked.matrix, list(ranked.directions), method=ranked.method, weights=spec, samples=samples,
                      seed=seed, scores=scores, progress=progress, **params)
    return ModelSensitivity(ranked, stab, result, described)


def compare_ranking(ranked: ModelRanking, methods: Optional[list[str]] = None, lang: str = "en"):
    """Rank the same options with every registered method (or the given ones).

    The model's own method keeps its parameters; the others use their authors' defaults.
    Without ``methods``, a method that cannot work on these data is skipped with a note.
    """
    from decide.ranking import compare

    per_method = {ranked.method: ranked.params} if ranked.params else {}
    return compare(ranked.matrix, ranked.weights.to_numpy(), list(ranked.directions), methods=methods,
                   lang=lang, **per_method)
