"""Model-level analysis: the model file through weights, knock-outs, TCO and ranking.

``rank_model(model)`` applies the requirements, derives the weights, builds the score
matrix (TCO included) and ranks the remaining options with the model's method.
The ranking chart's bars are the explanation's shares (:func:`decide.ranking.explanation.score_shares`);
the portfolio never uses ranking scores: its values come from the additive value model, :mod:`decide.value`.
The whole pipeline is :class:`Analysis`: one object over a model with one cached stage per
step (see its docstring); :func:`decide.facade.analyse` returns one with every stage computed.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable, Generic, Optional, TypeVar, overload

import numpy as np
import pandas as pd

from decide.errors import DecideError, InputError, ModelError, Problem
from decide.model import DecisionModel
from decide.requirements import Screening, screen

if TYPE_CHECKING:  # the stages' result types; their modules are imported where a stage runs
    from decide.award import ModelAward
    from decide.portfolio import Allocation, Frontier
    from decide.portfolio import Problem as PortfolioProblem
    from decide.portfolio_robustness import PortfolioRobustness
    from decide.ranking import Comparison, Explanation, Ranking
    from decide.review import Review
    from decide.scope import ModuleNote, ModuleRanking
    from decide.sensitivity import SMAA, RankReversal, Stability
    from decide.value import ValueModel
    from decide.weights import Derivation

T = TypeVar("T")


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


def _require_criteria(model: DecisionModel) -> None:
    if not model.criteria:
        file = model.path or "<model>"
        raise ModelError([Problem.of("no-criteria", "criteria", file=file)], file)


@dataclass(frozen=True)
class ModelRanking:
    """The ranking of a model's options, with everything that went into it."""

    model: DecisionModel = field(repr=False)
    weights: pd.Series
    screening: Screening
    matrix: pd.DataFrame
    directions: tuple[str, ...]
    ranking: Ranking

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
               lang: Optional[str] = None, screening: Optional[Screening] = None, **params: Any) -> ModelRanking:
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
    screening : Screening, optional
        The knock-out screening of the model, already computed (default: computed here).
    **params
        Method parameters (override the model's).
    """
    from decide.ranking import rank
    from decide.weights import derive

    _require_criteria(model)
    table = model.score_table()
    if screening is None:
        screening = screen(model, table)
    matrix = table.loc[list(screening.passed)]
    if weights is None:
        weights = derive(model).weights
    weights = pd.Series(weights, dtype=float).reindex(matrix.columns)
    directions = tuple(model.directions())
    chosen, merged = ranking_settings(model, method, **params)
    result = rank(matrix, weights.to_numpy(), list(directions), method=chosen, lang=lang or model.language, **merged)
    return ModelRanking(model, weights, screening, matrix, directions, result)


# --------------------------------------------------------------------------- sensitivity
@dataclass(frozen=True)
class ModelSensitivity:
    """Stability intervals and SMAA-2 for a model's ranking, with the verdict in words."""

    ranked: ModelRanking = field(repr=False)
    stability: Stability
    smaa: Optional[SMAA]
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


# --------------------------------------------------------------------------- the pipeline
class StageUnavailable(DecideError):
    """A stage of an :class:`Analysis` that does not apply to this model or these settings.

    ``stage`` names the stage that is missing (for a stage that needs another one, the first
    missing stage up the pipeline), ``key`` the reason (``decide/messages/analysis.yaml``,
    ``unavailable_<key>``) and ``params`` fill it; :meth:`text` says it in Dutch or English.
    ``cause`` is the located error a face reports when it cannot do without the stage
    (:meth:`Analysis.need`), e.g. the model file's "no criteria" problem.
    """

    def __init__(self, stage: str, key: str, *, cause: Optional[DecideError] = None, **params: Any):
        self.stage, self.key, self.cause, self.params = stage, key, cause, params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """Why the stage is unavailable, in ``lang``."""
        from decide.i18n import t

        def show(v: Any) -> Any:
            if isinstance(v, StageUnavailable):
                return v.text(lang)
            return v(lang) if callable(v) else v

        return t(f"analysis.unavailable_{self.key}", lang, **{k: show(v) for k, v in self.params.items()})


def _status_words(status: Any) -> Callable[[str], str]:
    """A solver status in words (``portfolio.status_<value>``), else its value."""
    value = str(getattr(status, "value", status))

    def words(lang: str) -> str:
        from decide.i18n import catalogue, t

        return t(f"portfolio.status_{value}", lang) if f"status_{value}" in catalogue("portfolio") else value

    return words


#: The stages in pipeline order (filled as :class:`_stage` descriptors are defined).
STAGES: list[str] = []


class _stage(Generic[T]):
    """A stage of :class:`Analysis` (a typed, read-only attribute): computed on first use, then
    cached with its outcome.

    The outcome is the result, or a :class:`StageUnavailable` (the attribute gives None and
    :meth:`Analysis.unavailable` the reason), or another :class:`~decide.errors.DecideError`
    (a problem of the model, raised again on every access, never recomputed).
    """

    def __init__(self, fn: Callable[["Analysis"], T]):
        self.fn, self.name, self.__doc__ = fn, fn.__name__, fn.__doc__
        STAGES.append(self.name)

    @overload
    def __get__(self, obj: None, owner: type) -> "_stage[T]": ...

    @overload
    def __get__(self, obj: "Analysis", owner: type) -> Optional[T]: ...

    def __get__(self, obj: Optional["Analysis"], owner: type) -> "Optional[T] | _stage[T]":
        if obj is None:
            return self
        entry = obj._done.get(self.name)
        if entry is None:
            try:
                entry = (self.fn(obj), None)
            except DecideError as exc:  # StageUnavailable included
                entry = (None, exc)
            obj._done[self.name] = entry
        value, error = entry
        if error is not None and not isinstance(error, StageUnavailable):
            raise error
        return value

    def __set__(self, obj: "Analysis", value: Any) -> None:
        raise AttributeError(f"the stage {self.name!r} is computed, not set")


@dataclass(frozen=True)
class Settings:
    """How an :class:`Analysis` computes its stages, given once when it is created.

    ``method`` ranks (default: the model's); ``samples``/``seed`` drive SMAA (default: the
    model's ``sensitivity`` section; ``samples=0`` skips SMAA) and seed the portfolio's
    robustness; ``solver``/``time_limit`` solve every portfolio; ``relax`` solves the LP
    relaxation of the allocation; ``budget`` replaces the model's budget (problem, allocation,
    frontier, scenarios, robustness); ``frontier_points`` (0: no frontier);
    ``portfolio_samples`` re-solves of the robustness analysis (0: none; None: the model's
    ``sensitivity.samples``); ``lang`` the language of the ranking's notes, the problem's
    labels and the scenarios (default: the model's; the method comparison's notes default to
    English); ``progress(done, total)`` is called during SMAA; ``sensitivity``, ``portfolio``
    and ``review`` switch those parts off.

    The award simulation (candidate award formulas tried on simulated tenders) is seeded with
    ``seed`` as well; ``award_tenders`` simulated tenders, ``award_price_spread`` (coefficient
    of variation of bid prices) and ``award_quality_spread`` (standard deviation of quality
    fractions), each None for the simulation's default (2000, 0.10, 0.10); ``award_splits`` the
    price shares to compare (None: the strategy's and the award section's); ``award_simulation``
    switches the simulation off (the bids are still evaluated). :class:`Analysis` refuses award
    settings that cannot be used with a located error in the analysis' language.
    """

    method: Optional[str] = None
    samples: Optional[int] = None
    seed: Optional[int] = None
    solver: str = "highs"
    time_limit: Optional[float] = 60
    relax: bool = False
    budget: Optional[float] = None
    frontier_points: int = 12
    portfolio_samples: Optional[int] = 200
    lang: Optional[str] = None
    progress: Optional[Callable[[int, int], None]] = field(default=None, compare=False, repr=False)
    sensitivity: bool = True
    portfolio: bool = True
    review: bool = True
    award_tenders: Optional[int] = None
    award_price_spread: Optional[float] = None
    award_quality_spread: Optional[float] = None
    award_splits: Optional[tuple[float, ...]] = None
    award_simulation: bool = True

    def award_settings(self) -> dict[str, Any]:
        """The award simulation's settings that were given, as :func:`decide.award.from_model.simulate_model`
        takes them (the seed included)."""
        given = {"tenders": self.award_tenders, "price_spread": self.award_price_spread,
                 "quality_spread": self.award_quality_spread, "splits": self.award_splits, "seed": self.seed}
        return {k: v for k, v in given.items() if v is not None}


def _checked(settings: Settings, lang: str) -> Settings:
    """``settings`` with the award simulation's settings checked (a located error in ``lang``
    for one that cannot be used); given splits become a tuple."""
    s = settings
    if all(v is None for v in (s.award_tenders, s.award_price_spread, s.award_quality_spread, s.award_splits)):
        return s
    from decide.award.simulation import check_settings

    check_settings(tenders=s.award_tenders, price_spread=s.award_price_spread, quality_spread=s.award_quality_spread,
                   splits=s.award_splits, prefix="award_", lang=lang)
    if s.award_splits is None:
        return s
    return replace(s, award_splits=tuple(float(x) for x in s.award_splits))


class Analysis:
    """Everything decide computes for one model: one lazily computed, cached stage per step.

    ``Analysis(model, **settings)`` (see :class:`Settings`) computes nothing yet. Each stage is
    a property computed on first use from the stages before it, at most once:

    ``tco`` -> ``weights`` -> ``screening`` -> ``ranking`` -> ``comparison``, ``explanation``,
    ``sensitivity``, ``reversal``, ``module_rankings``; ``weights`` ->
    ``value_model`` -> ``option_values``, ``values`` -> ``problem`` -> ``allocation`` ->
    ``frontier``, ``scenarios``, ``portfolio_robustness``, ``module_notes``, ``cheapest_cover``,
    ``cheapest_covers``; all of them -> ``review``; ``award_evaluation`` -> ``award_design`` -> ``award``;
    ``provenance``.

    A stage that does not apply (a model without criteria has no ranking, one without an
    allocation section no portfolio, a switched-off part nothing) is None, and
    :meth:`unavailable` gives the reason, a :class:`StageUnavailable` that says it in Dutch
    and English; :meth:`need` gives the stage or raises that reason (or the located model
    error behind it). A stage that fails on the model (a located :class:`~decide.errors.ModelError`)
    raises that error on every access. The faces (command line, report, review, workshop)
    ask this object and never compute a stage themselves; :func:`decide.facade.analyse`
    returns one with every stage touched.
    """

    def __init__(self, model: DecisionModel, **settings: Any):
        if not isinstance(model, DecisionModel):
            raise TypeError(f"expected a DecisionModel (decide.load_model(path)), got {type(model).__name__}")
        self.model = model
        self.settings = _checked(Settings(**settings), settings.get("lang") or model.language)
        self._done: dict[str, tuple[Any, Optional[DecideError]]] = {}

    # ------------------------------------------------------------------ access
    @property
    def language(self) -> str:
        return self.model.language

    @property
    def lang(self) -> str:
        """The language of the stages' texts (the settings', else the model's)."""
        return self.settings.lang or self.model.language

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """The model's warnings (:attr:`decide.model.DecisionModel.warnings`, found once when it
        was loaded): every option knocked out, and each setting its other settings make irrelevant."""
        return self.model.warnings

    @property
    def computed(self) -> tuple[str, ...]:
        """The stages computed so far (available or not), in the order they were computed."""
        return tuple(self._done)

    def unavailable(self, stage: str) -> Optional[StageUnavailable]:
        """Why ``stage`` is unavailable (None when it is available); computes it if needed."""
        if stage not in STAGES:
            raise InputError.keyed("analysis.stage_unknown", "stage", stage=repr(stage), known=", ".join(map(repr, STAGES)))
        getattr(self, stage)
        error = self._done[stage][1]
        return error if isinstance(error, StageUnavailable) else None

    def need(self, stage: str) -> Any:
        """``stage``, or the reason it is unavailable raised (its located cause when it has one)."""
        value = getattr(self, stage)
        why = self.unavailable(stage)
        if why is None:
            return value
        raise why.cause if why.cause is not None else why

    def _need(self, stage: str) -> Any:
        """Inside a stage: ``stage``, or its :class:`StageUnavailable` raised (the stage that
        asks becomes unavailable for the same reason)."""
        value = getattr(self, stage)
        if value is None:
            raise self._done[stage][1]
        return value

    def touch(self) -> "Analysis":
        """Compute every stage that applies: all but the on-request ``reversal`` probe and
        ``award_design`` (computed through ``award`` when the model has an award section), and the
        value model only when some option's portfolio value comes from it (a model whose
        options all carry an explicit value need not give its criteria reference levels)."""
        from decide.value import needs_value_model

        for name in STAGES:
            if name in _ON_REQUEST or (name == "value_model" and not needs_value_model(self.model)):
                continue
            getattr(self, name)
        return self

    def _no_criteria(self, stage: str) -> StageUnavailable:
        try:
            _require_criteria(self.model)
        except ModelError as exc:
            return StageUnavailable(stage, "no_criteria", cause=exc)
        raise AssertionError("the model has criteria")  # pragma: no cover

    def _leaf_weights(self) -> Optional[pd.Series]:
        w = self.weights
        return w.weights if w is not None else None

    # ------------------------------------------------------------------ ranking side
    @_stage
    def tco(self) -> pd.DataFrame:
        """TCO per option (:func:`decide.tco.tco_table`): NPV of once, yearly, exit and integration costs."""
        return self.model.tco_table()

    @_stage
    def weights(self) -> "Derivation":
        """The criteria weights (:func:`decide.weights.derive`)."""
        from decide import weights

        if not self.model.criteria:
            try:
                weights.derive(self.model)  # raises its own located "no criteria" problem
            except ModelError as exc:
                raise StageUnavailable("weights", "no_criteria", cause=exc) from None
        return weights.derive(self.model)

    @_stage
    def screening(self) -> Screening:
        """The knock-out requirements applied (:func:`decide.requirements.screen`)."""
        model = self.model
        if not model.criteria and any(r.criterion for r in model.requirements):
            raise self._no_criteria("screening")
        from decide import requirements

        return requirements.screen(model, model.score_table() if model.criteria else None, refuse_empty=False)

    def _options_left(self, stage: str) -> Screening:
        """The screening, or ``stage`` unavailable because the knock-outs exclude every option:
        a legitimate state of a strategy that is too strict, which the review and the report
        show; a face that needs the stage reports the located problem (:meth:`need`)."""
        screening = self._need("screening")
        if not screening.passed:
            from decide.requirements import all_excluded

            raise StageUnavailable(stage, "all_excluded", cause=all_excluded(self.model), n=len(self.model.alternatives))
        return screening

    @_stage
    def ranking(self) -> ModelRanking:
        """The ranking of the options that pass the requirements (:func:`rank_model`)."""
        if not self.model.criteria:
            raise self._no_criteria("ranking")
        return rank_model(self.model, self.settings.method, weights=self._need("weights").weights, lang=self.lang,
                          screening=self._options_left("ranking"))

    @_stage
    def comparison(self) -> "Comparison":
        """The same options ranked by every registered method (:func:`compare_ranking`)."""
        return compare_ranking(self._need("ranking"), lang=self.settings.lang or "en")

    @_stage
    def explanation(self) -> "Explanation":
        """Why the ranking is what it is: contributions per criterion (:func:`decide.ranking.explain`)."""
        from decide import ranking

        r = self._need("ranking")
        return ranking.explain(r.matrix, r.weights.to_numpy(), list(r.directions), method=r.method, **r.params)

    @_stage
    def sensitivity(self) -> ModelSensitivity:
        """Weight stability intervals and SMAA-2 (:func:`sensitivity_model`)."""
        if not self.settings.sensitivity:
            raise StageUnavailable("sensitivity", "switched_off", part="sensitivity")
        s = self.settings
        return sensitivity_model(self.model, self._need("ranking"), samples=s.samples, seed=s.seed,
                                 progress=s.progress)

    @_stage
    def reversal(self) -> "RankReversal":
        """Rank-reversal probes per method (on request only: ``analyse`` does not compute it)."""
        from decide import sensitivity

        r = self._need("ranking")
        return sensitivity.rank_reversal(r.matrix, r.weights.to_numpy(), list(r.directions))

    @_stage
    def module_rankings(self) -> dict[str, "ModuleRanking"]:
        """Per module, the ranking of the options covering it (:func:`decide.scope.module_rankings`)."""
        from decide.scope import module_rankings

        return module_rankings(self._need("ranking"))

    # ------------------------------------------------------------------ portfolio side
    @_stage
    def value_model(self) -> "ValueModel":
        """The portfolio's additive value model of the criteria (:func:`decide.value.value_model`)."""
        if not self.model.criteria:
            raise self._no_criteria("value_model")
        self._portfolio_on("value_model")
        from decide import value

        return value.value_model(self.model, self._need("weights").weights)

    @_stage
    def option_values(self) -> pd.Series:
        """``V_i`` per option: its explicit ``value``, else its additive value (as :func:`decide.value.option_values`)."""
        model = self.model
        out = pd.Series({a.id: (float(a.value) if a.value is not None else np.nan) for a in model.alternatives},
                        dtype=float, name="value")
        if out.isna().any():
            if self.value_model is None:
                raise StageUnavailable("option_values", "no_values", why=self.unavailable("value_model"))
            out = out.fillna(self.value_model.values().reindex(out.index))
        return out

    @_stage
    def values(self) -> pd.Series:
        """Each option's contribution to a portfolio (:func:`decide.portfolio_model.option_values`)."""
        from decide import portfolio_model

        return portfolio_model.option_values(self.model, intrinsic=self._need("option_values"))

    def _portfolio_on(self, stage: str) -> None:
        if not self.settings.portfolio:
            raise StageUnavailable(stage, "switched_off", part="portfolio")
        if self.model.allocation is None:
            from decide import portfolio_model

            raise StageUnavailable(stage, "no_allocation", cause=portfolio_model.no_allocation(self.model))

    @_stage
    def problem(self) -> "PortfolioProblem":
        """The portfolio problem (:func:`decide.portfolio_model.from_model`), with the settings' budget."""
        self._portfolio_on("problem")
        from decide import portfolio_model

        screening = self.screening  # None: requirements on criteria in a model without criteria
        if screening is not None:
            screening = self._options_left("problem")
        problem = portfolio_model.from_model(self.model, values=self._need("values"), lang=self.lang,
                                             passed=screening.passed if screening is not None else None,
                                             tco=self._need("tco"))
        if self.settings.budget is not None:
            problem = problem.replace(budget=self.settings.budget)
        return problem

    @_stage
    def allocation(self) -> "Allocation":
        """The optimal portfolio (:func:`decide.portfolio.optimise`); also when infeasible."""
        from decide import portfolio

        s = self.settings
        return portfolio.optimise(self._need("problem"), solver=s.solver, relax=s.relax, time_limit=s.time_limit)

    @_stage
    def frontier(self) -> "Frontier":
        """Best value per budget (:func:`decide.portfolio.frontier`, ``frontier_points`` points)."""
        from decide import portfolio

        s = self.settings
        problem = self._need("problem")
        if s.frontier_points <= 0:
            raise StageUnavailable("frontier", "no_points")
        return portfolio.frontier(problem, points=s.frontier_points, solver=s.solver, time_limit=s.time_limit)

    @_stage
    def scenarios(self) -> pd.DataFrame:
        """Forced scenarios side by side (:func:`decide.portfolio.scenarios`)."""
        from decide import portfolio

        s = self.settings
        return portfolio.scenarios(self._need("problem"), solver=s.solver, time_limit=s.time_limit, lang=self.lang)

    def _solution(self, stage: str) -> "Allocation":
        alloc = self._need("allocation")
        if not alloc.has_solution:
            raise StageUnavailable(stage, "no_solution", status=_status_words(alloc.status))
        return alloc

    @_stage
    def portfolio_robustness(self) -> "PortfolioRobustness":
        """Re-solves for sampled weights, scores and costs (:func:`decide.portfolio_robustness.portfolio_robustness`)."""
        s = self.settings
        alloc = self._solution("portfolio_robustness")
        if s.portfolio_samples is not None and s.portfolio_samples <= 0:
            raise StageUnavailable("portfolio_robustness", "no_samples", part="portfolio_robustness")
        from decide import portfolio_robustness as pr

        from decide.value import needs_value_model

        model = self.model
        if s.budget is not None:
            model = model.replace(allocation={**model.allocation.model_dump(mode="python", exclude_none=True),
                                              "budget": s.budget})
        return pr.portfolio_robustness(model, samples=s.portfolio_samples, seed=s.seed,
                                       weights=self._leaf_weights(), recommended=alloc.chosen, solver=s.solver,
                                       problem=self._need("problem"), tco=self._need("tco"),
                                       values=self._need("value_model") if needs_value_model(model) else None)

    @_stage
    def module_notes(self) -> tuple["ModuleNote", ...]:
        """Per module: is its best-ranked option in the portfolio, and if not, why (:func:`decide.scope.module_notes`)."""
        from decide.scope import module_notes

        rankings = self._need("module_rankings")
        return tuple(module_notes(rankings, self._solution("module_notes"), solver=self.settings.solver))

    @_stage
    def cheapest_cover(self) -> float:
        """Least TCO of a selection covering every required module, without budget and rules."""
        from decide.portfolio.backends import Backend
        from decide.portfolio.infeasibility import cheapest_cover

        s = self.settings
        status, cost = cheapest_cover(self._need("problem"), Backend(s.solver, s.time_limit))
        if cost is None:
            raise StageUnavailable("cheapest_cover", "no_solution", status=_status_words(status))
        return float(cost)

    @_stage
    def cheapest_covers(self) -> tuple[tuple[tuple[str, ...], float, float], ...]:
        """The portfolio covering every required module at the least one-off cost, and the one at
        the least TCO, both under the supplier rules without budget: ``(chosen, once, tco)`` each."""
        from decide import portfolio

        s = self.settings
        problem, tco = self._need("problem"), self._need("tco")
        if not problem.has_modules:
            raise StageUnavailable("cheapest_covers", "no_modules")
        ids = list(problem.options.index)
        once = (tco.loc[ids, "once"] + tco.loc[ids, "integration"]).to_numpy(dtype=float)
        out = []
        for cost in (once, problem.options["tco"].to_numpy(dtype=float)):
            opts = problem.options.copy()
            opts["value"] = -cost  # maximise -cost: the cheapest cover under the rules
            alloc = portfolio.optimise(problem.replace(options=opts, budget=None, yearly_budget=None),
                                       solver=s.solver, time_limit=s.time_limit, price_rules=False,
                                       explain_infeasible=False)
            if not alloc.status.is_ok:
                raise StageUnavailable("cheapest_covers", "no_solution", status=_status_words(alloc.status))
            chosen = tuple(alloc.chosen)
            out.append((chosen, float(tco.loc[list(chosen), ["once", "integration"]].to_numpy().sum()),
                        float(tco.loc[list(chosen), "total"].sum())))
        return tuple(out)

    # ------------------------------------------------------------------ review, award, provenance
    @_stage
    def review(self) -> "Review":
        """The strategy review (:func:`decide.review.review`), reading this analysis."""
        if not self.settings.review:
            raise StageUnavailable("review", "switched_off", part="review")
        from decide import review

        return review.review(self.model, lang=self.settings.lang, context=review.ReviewContext(self))

    @_stage
    def award_evaluation(self) -> "ModelAward":
        """The award section's bids evaluated without the simulation (what the review reads;
        :func:`decide.award.from_model.evaluate_model`)."""
        if self.model.award is None:
            raise StageUnavailable("award_evaluation", "no_award")
        from decide.award import from_model

        return from_model.evaluate_model(self.model)

    @_stage
    def award_design(self) -> "ModelAward":
        """The award section's bids as evaluated (``award_evaluation``, not evaluated again) and
        the candidate formulas simulated from the strategy's options with the settings' award
        simulation (:func:`decide.award.from_model.simulate_model`, reading this analysis'
        screening, TCO and weights). Present for a model without an award section too (the
        simulation tests formulas before there are bids), so only on request: ``award`` is this
        stage for a model with an award section."""
        from decide.award import from_model

        evaluated = self.award_evaluation
        if evaluated is None:
            evaluated = from_model.evaluate_model(self.model)  # no award section: the reason only
        s = self.settings
        if not s.award_simulation:
            return evaluated
        stages = {}
        if self.model.criteria:
            stages = {"screening": self.screening, "tco": self._need("tco"), "weights": self._leaf_weights()}
        return from_model.simulate_model(evaluated, **s.award_settings(), **stages)

    @_stage
    def award(self) -> "ModelAward":
        """The award section: bids evaluated and formulas simulated (the ``award_design`` stage)."""
        if self.model.award is None:
            raise StageUnavailable("award", "no_award")
        return self._need("award_design")

    @_stage
    def provenance(self) -> dict:
        """Who computed what with which settings: enough to reproduce the numbers later."""
        parts: dict[str, Any] = {}
        w, r, c = self.weights, self.ranking, self.comparison
        if w is not None and r is not None:
            from decide.weights import critic_settings

            parts.update({"weights_method": w.method, "ri_table": w.ri_table, "ahp_aggregation": w.aggregate,
                          "ahp_priorities": w.priorities, "critic_settings": critic_settings(self.model.weights),
                          "ranking_method": r.method, "ranking_params": r.params,
                          "compared_methods": list(c.methods) if hasattr(c, "methods") else None})
        sens = self.sensitivity
        if sens is not None and sens.smaa is not None:
            parts.update({"smaa_samples": int(sens.smaa.samples), "smaa_seed": sens.smaa.seed,
                          "smaa_weights": sens.weight_model})
        alloc = self.allocation
        if alloc is not None:
            if self.portfolio_robustness is not None:
                s = self.settings.portfolio_samples
                parts["portfolio_samples"] = int(s if s is not None else self.model.sensitivity.samples)
            parts.update({"solver": alloc.solver, "allocation_status": str(alloc.status.value)})
        awarded = self.award
        if awarded is not None and awarded.simulation is not None:
            sim = awarded.simulation
            parts.update({"award_tenders": sim.tenders, "award_seed": sim.seed, "award_price_spread": sim.price_spread,
                          "award_quality_spread": sim.quality_spread,
                          "award_splits": list(self.settings.award_splits) if self.settings.award_splits else None})
        if self.warnings:
            from decide.ignored import warning_dict

            parts["model_warnings"] = [warning_dict(w, "en") for w in self.warnings]
        return provenance(self.model, **parts)

    # ------------------------------------------------------------------ views
    def label(self, option_id: str, lang: Optional[str] = None) -> str:
        return self.model.alternative(option_id).name(lang or self.language)

    def winner(self) -> Optional[str]:
        """The top-ranked option (None for a model without criteria)."""
        return self.ranking.winner if self.ranking is not None else None

    def to_dict(self, lang: Optional[str] = None) -> dict:
        """Everything, keyed by ids, JSON-friendly (NaN left for the writer to map)."""
        from decide.value import needs_value_model

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
        if self.allocation is not None and needs_value_model(self.model) and self.value_model is not None:
            out["value_model"] = self.value_model.to_dict()
        if self.portfolio_robustness is not None:
            out["portfolio_robustness"] = self.portfolio_robustness.to_dict()
        if self.allocation is not None and self.module_rankings:
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
                for n in (self.module_notes or ())]

    def _repr_html_(self) -> str:
        parts = [f"<h3>{self.model.name()}</h3>"]
        if self.ranking is not None:
            parts.append(self.ranking.to_frame().to_html(float_format=lambda x: f"{x:.4f}"))
        if self.sensitivity is not None:
            parts.append(f"<p>{self.sensitivity.text()}</p>")
        if self.allocation is not None and hasattr(self.allocation, "_repr_html_"):
            parts.append(self.allocation._repr_html_())
        return "\n".join(parts)

    def __repr__(self) -> str:
        return f"Analysis({self.model.name()!r}, computed={list(self.computed)})"


#: Stages that :meth:`Analysis.touch` leaves to be asked for.
_ON_REQUEST = frozenset({"reversal", "award_design"})


def _version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(model: DecisionModel, **parts: Any) -> dict:
    """Who computed what with which settings: enough to reproduce the numbers later."""
    import datetime as _dt
    import platform

    from decide._version import __version__

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
