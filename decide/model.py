"""The decision model: schema version 1, as frozen pydantic objects.

A model file (YAML) is read by :func:`decide.loader.load_model`, which reports every
problem at once with its file, line and path. This module holds the schema
(what each key may hold) and the derived views the rest of decide uses:
the criteria tree and its leaves, the score matrix, score uncertainty.

Unknown keys are errors everywhere (``extra="forbid"``): a typo must not pass silently.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Callable, Iterator, Literal, Optional, Union

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, PlainValidator, PrivateAttr, model_validator

from decide.errors import Message

if TYPE_CHECKING:  # pandas is imported where a table is built, not when a model file is read
    import pandas as pd

SCHEMA_VERSIONS = (1,)


class _Frozen(BaseModel):
    # strict: a bool is never a number (``budget: yes`` is not EUR 1) and a text is never a
    # number (``budget: 1e400`` is the YAML text "1e400", not infinity)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class LabelText(_Frozen):
    """A label in several languages: ``{nl: ..., en: ...}``."""

    nl: Optional[str] = None
    en: Optional[str] = None

    def get(self, lang: str) -> str:
        return getattr(self, lang, None) or self.nl or self.en or ""


def _label(value: Any) -> Union[str, LabelText]:
    if isinstance(value, (str, LabelText)):
        return value
    if isinstance(value, dict):
        unknown = [k for k in value if k not in ("nl", "en")]
        if unknown or not value:
            hint = Message("checks.hint_none")
            if unknown and ("nl" in value or "en" in value):
                hint = Message("checks.schema_label_comma")
            raise ValueError(Message("checks.schema_label_keys", keys=sorted(map(str, value)), hint=hint))
        bad = [k for k, v in value.items() if not isinstance(v, str)]
        if bad:
            raise ValueError(Message("checks.schema_label_language_not_text", language=bad[0], value=value[bad[0]]))
        return LabelText(**value)
    raise ValueError(Message("checks.schema_label_wrong_type", value=value))


def _amounts(value: Any) -> Union[float, list[float]]:
    """A single amount or a list of amounts (one per year)."""
    def one(v: Any) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(Message("checks.schema_amount_not_number", value=v))
        return float(v)

    if isinstance(value, list):
        return [one(v) for v in value]
    return one(value)


def _label_out(value: Any) -> Any:
    if isinstance(value, LabelText):
        return value.model_dump(exclude_none=True)
    return value


Label = Annotated[Union[str, LabelText], PlainValidator(_label), PlainSerializer(_label_out)]
Amounts = Annotated[Union[float, list[float]], PlainValidator(_amounts)]


def text(label: Label | None, lang: str = "nl", default: str = "") -> str:
    """The text of a label in ``lang`` (a plain string serves every language)."""
    if label is None:
        return default
    if isinstance(label, str):
        return label
    return label.get(lang) or default


class Horizon(_Frozen):
    years: int = 5
    discount_rate: float = 0.0225
    contract_years: Optional[int] = None


class Criterion(_Frozen):
    id: str
    label: Optional[Label] = None
    description: Optional[Label] = None
    direction: Optional[Literal["max", "min"]] = None
    source: Optional[Literal["tco"]] = None
    scale: Optional[dict[str, float]] = None
    # fixed reference levels of the additive value model (numeric criteria): [low, high]
    range: Optional[list[float]] = None
    # piecewise-linear value function: {level: value} or [[x, value], ...] (see decide.value)
    value_function: Optional[Union[dict[Union[str, float], float], list[list[float]]]] = None
    children: Optional[list["Criterion"]] = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def name(self, lang: str = "nl") -> str:
        return text(self.label, lang, self.id)


class Participant(_Frozen):
    name: str
    weight: float = 1.0
    judgments: list[list[Any]] = Field(default_factory=list)


class AhpSection(_Frozen):
    ri: str = "saaty1980"
    max_cr: float = 0.10
    method: Literal["eigenvector", "geometric", "column_average"] = "eigenvector"
    aggregate: Literal["judgments", "priorities"] = "judgments"
    participants: list[Participant] = Field(default_factory=list)


class CriticSection(_Frozen):
    # min-max scale the scores first (Diakoulaki et al.); false works on the scores as they are
    scale: bool = True
    correlation: Literal["pearson", "spearman"] = "pearson"
    # count 'min' criteria reversed (Diakoulaki et al.); false: as given, as pymcdm computes CRITIC
    reverse_costs: bool = True


class WeightsSection(_Frozen):
    method: Literal["ahp", "direct", "rank", "equal", "entropy", "critic"] = "equal"
    ahp: Optional[AhpSection] = None
    critic: Optional[CriticSection] = None
    direct: Optional[dict[str, float]] = None
    rank: Optional[list[Any]] = None
    rank_method: Literal["roc", "rs", "rr"] = "roc"


class Requirement(_Frozen):
    criterion: Optional[str] = None
    min: Optional[float] = None
    max: Optional[float] = None
    tag: Optional[str] = None
    not_tag: Optional[str] = None
    label: Optional[Label] = None


def _uncertain_amount(key: str, v: Any) -> Optional[list[float]]:
    """``{low, high}`` / ``{low, mode, high}`` (or ``[low, high]`` for a one-off amount) as a list."""
    def num(x: Any) -> float:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not np.isfinite(x):
            raise ValueError(Message("checks.schema_uncertain_amount_not_number", item=key, value=x))
        return float(x)

    if isinstance(v, dict):
        if set(v) == {"low", "high"}:
            out = [num(v["low"]), num(v["high"])]
        elif set(v) == {"low", "mode", "high"}:
            out = [num(v["low"]), num(v["mode"]), num(v["high"])]
        else:
            raise ValueError(Message("checks.schema_uncertain_amount_keys", item=key, keys=', '.join(map(str, v))))
    elif isinstance(v, list) and key != "yearly" and len(v) == 2:
        out = [num(v[0]), num(v[1])]
    else:
        return None
    if any(b < a for a, b in zip(out, out[1:])):
        raise ValueError(Message("checks.schema_uncertain_amount_order", item=key, mode_bound='mode <= ' if len(out) == 3 else '', amounts=', '.join(f'{x:g}' for x in out)))
    if out[0] < 0:
        raise ValueError(Message("checks.schema_uncertain_amount_negative", item=key, low=out[0]))
    return out


class Costs(_Frozen):
    once: float = 0.0
    yearly: Amounts = 0.0
    integration: float = 0.0
    exit: float = 0.0
    # uncertain components, {component: [low, high] | [low, mode, high]}: filled from an amount
    # written as {low, high} or {low, mode, high} (uniform or triangular); the component itself
    # then holds the mean, so the TCO and the budget use the expected cost
    ranges: dict[str, list[float]] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _ranges(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        ranges = dict(data.get("ranges") or {})
        for key in ("once", "integration", "yearly", "exit"):
            r = _uncertain_amount(key, data.get(key))
            if r is not None:
                ranges[key] = r
                data[key] = sum(r) / len(r)
        if ranges:
            data["ranges"] = ranges
        return data


class Alternative(_Frozen):
    id: str
    label: Optional[Label] = None
    description: Optional[Label] = None
    supplier: Optional[str] = None
    covers: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    costs: Optional[Costs] = None
    scores: dict[str, Any] = Field(default_factory=dict)
    value: Optional[float] = None
    requires: list[str] = Field(default_factory=list)
    excludes: list[str] = Field(default_factory=list)

    def name(self, lang: str = "nl") -> str:
        return text(self.label, lang, self.id)


class RankingSection(_Frozen):
    method: str = "topsis"
    normalization: Optional[str] = None
    params: dict[str, Any] = Field(default_factory=dict)
    compare: list[str] = Field(default_factory=list)


class SensitivitySection(_Frozen):
    samples: int = 10_000
    seed: int = 0
    weights: Literal["uniform", "around"] = "around"
    concentration: float = 50.0


class Module(_Frozen):
    id: str
    label: Optional[Label] = None
    required: bool = True
    importance: float = 1.0
    # value (0..1) of leaving an optional module uncovered (the baseline, see decide.value)
    baseline: float = 0.0

    def name(self, lang: str = "nl") -> str:
        return text(self.label, lang, self.id)


class Supplier(_Frozen):
    id: str
    label: Optional[Label] = None
    sme: bool = False

    def name(self, lang: str = "nl") -> str:
        return text(self.label, lang, self.id)


class Rules(_Frozen):
    # what supplier and SME shares are measured against: spend on all chosen options
    # (in-house builds included, integration excluded) or on external suppliers only
    share_base: Literal["options", "suppliers"] = "options"
    max_supplier_share: Optional[float] = None
    min_suppliers: Optional[int] = None
    min_sme_share: Optional[float] = None
    max_lots_per_supplier: Optional[int] = None
    max_exit_cost: Optional[float] = None


class AllocationSection(_Frozen):
    budget: Optional[float] = None
    yearly_budget: Optional[Amounts] = None
    objective: Literal["value", "cost"] = "value"
    min_value: Optional[float] = None
    modules: list[Module] = Field(default_factory=list)
    suppliers: list[Supplier] = Field(default_factory=list)
    rules: Rules = Field(default_factory=Rules)
    pin: list[str] = Field(default_factory=list)
    ban: list[str] = Field(default_factory=list)


class MviSection(_Frozen):
    ambition: Optional[int] = None
    criteria: list[str] = Field(default_factory=list)


def _practice(value: Any) -> Union[bool, str, LabelText]:
    """A best practice: ``true``/``false``, or a text (or {nl, en}) saying how it is done."""
    if isinstance(value, bool):
        return value
    try:
        return _label(value)
    except ValueError:
        raise ValueError(Message("checks.schema_practice", value=value)) from None


Practice = Annotated[Union[bool, str, LabelText], PlainValidator(_practice), PlainSerializer(_label_out)]


def _levels(value: Any) -> dict[str, float]:
    """A scoring scale: level -> fraction of the maximum; keys read as text (``3`` is level "3")."""
    if not isinstance(value, dict):
        raise ValueError(Message("checks.schema_levels_not_mapping", value=value))
    out: dict[str, float] = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(Message("checks.schema_levels_not_number", level=k, value=v))
        out[str(k)] = float(v)
    return out


def _quality_scores(value: Any) -> dict[str, Union[str, int, float]]:
    """A bid's quality: criterion -> a level of its scale or a fraction of its maximum."""
    if not isinstance(value, dict):
        raise ValueError(Message("checks.schema_quality_scores_not_mapping", value=value))
    out: dict[str, Union[str, int, float]] = {}
    for k, v in value.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, str)):
            raise ValueError(Message("checks.schema_quality_scores_wrong_score", criterion=k, value=v))
        out[str(k)] = v
    return out


Levels = Annotated[dict[str, float], PlainValidator(_levels)]
QualityScores = Annotated[dict[str, Union[str, int, float]], PlainValidator(_quality_scores)]


class AwardPrice(_Frozen):
    """How price is scored under ``points``: ``relative`` (P_min / P x points), ``linear``
    (between the lowest price and ``upper`` or the highest bid) or ``absolute`` (between
    ``floor``, default 0, and the published ``ceiling``)."""

    points: Optional[float] = None
    formula: Literal["relative", "linear", "absolute"] = "relative"
    ceiling: Optional[float] = None
    floor: Optional[float] = None
    upper: Optional[float] = None


class AwardCriterion(_Frozen):
    """A quality award criterion: points, or ``value`` in money at 100 % (fictive_price)."""

    id: str
    label: Optional[Label] = None
    points: Optional[float] = None
    value: Optional[float] = None
    scale: Optional[Levels] = None

    def name(self, lang: str = "nl") -> str:
        return text(self.label, lang, self.id)


class Bid(_Frozen):
    """A bid (or a test bid): its price and a score per quality criterion."""

    id: str
    label: Optional[Label] = None
    price: float
    quality: QualityScores = Field(default_factory=dict)

    def name(self, lang: str = "nl") -> str:
        return text(self.label, lang, self.id)


class AwardSection(_Frozen):
    """The award formula of the tender, its criteria and (test) bids."""

    method: Literal["points", "fictive_price", "value_for_money", "utility_index", "lowest_price",
                    "lowest_cost"] = "points"
    total: Optional[float] = None
    price: Optional[AwardPrice] = None
    quality: list[AwardCriterion] = Field(default_factory=list)
    bids: list[Bid] = Field(default_factory=list)
    motivation: Optional[Label] = None


class StrategySection(_Frozen):
    """Facts about the procurement strategy that the review checks against the seed."""

    award: Optional[Literal["best_price_quality", "lowest_price", "lowest_cost"]] = None
    award_motivation: Optional[Label] = None
    bundling_motivation: Optional[Label] = None
    market_consultation: Optional[bool] = None
    proof_of_concept: Optional[bool] = None
    procurement_level: Optional[Literal["central", "decentral", "joint"]] = None
    contract_type: Optional[Label] = None
    mvi: Optional[MviSection] = None
    needs: list[str] = Field(default_factory=list)
    risks: list[Label] = Field(default_factory=list)
    exit_plan: Optional[Label] = None
    # why each trade-off came out as it did (free text; the review quotes it)
    make_or_buy: Optional[Label] = None
    open_source: Optional[Label] = None
    supplier_size: Optional[Label] = None
    modularity: Optional[Label] = None
    standard_or_custom: Optional[Label] = None
    contract_term: Optional[Label] = None
    # best practices of technology procurement: true/false, or a text saying how
    functional_specification: Optional[Practice] = None
    agile_contracting: Optional[Practice] = None
    contract_reviews: Optional[Practice] = None
    supplier_partnership: Optional[Practice] = None
    knowledge_sharing: Optional[Practice] = None


class ScoringSection(_Frozen):
    """Committee scoring in a workshop: each evaluator scores the options alone first."""

    evaluators: list[str] = Field(default_factory=list)
    criteria: list[str] = Field(default_factory=list)
    range: Optional[list[float]] = None
    step: float = 1.0


class WorkshopSection(_Frozen):
    """Who gives input in a workshop (``decide workshop serve``): judges and, optionally, evaluators."""

    participants: list[str] = Field(default_factory=list)
    scoring: Optional[ScoringSection] = None


class DecisionModel(_Frozen):
    """A whole decision: criteria, weights, options, and the optional allocation."""

    decide: int
    title: Label
    description: Optional[Label] = None
    language: Literal["nl", "en"] = "nl"
    currency: str = "EUR"
    horizon: Horizon = Field(default_factory=Horizon)
    criteria: list[Criterion] = Field(default_factory=list)
    weights: WeightsSection = Field(default_factory=WeightsSection)
    requirements: list[Requirement] = Field(default_factory=list)
    alternatives: list[Alternative]
    # the suppliers the options name (label, SME) in a model without allocation.suppliers
    suppliers: list[Supplier] = Field(default_factory=list)
    ranking: RankingSection = Field(default_factory=RankingSection)
    sensitivity: SensitivitySection = Field(default_factory=SensitivitySection)
    allocation: Optional[AllocationSection] = None
    strategy: StrategySection = Field(default_factory=StrategySection)
    award: Optional[AwardSection] = None
    workshop: Optional[WorkshopSection] = None

    _path: Optional[str] = PrivateAttr(default=None)
    _sha256: Optional[str] = PrivateAttr(default=None)
    _tco: Any = PrivateAttr(default=None)  # tco_table(), computed once: the model is frozen
    _warnings: Any = PrivateAttr(default=None)  # set by the loader (decide.ignored.model_warnings)

    # --- provenance -------------------------------------------------------------
    @property
    def path(self) -> Optional[str]:
        """The file the model was loaded from (None when built in code)."""
        return self._path

    @property
    def sha256(self) -> Optional[str]:
        """SHA-256 of the file's bytes, for provenance."""
        return self._sha256

    def name(self, lang: Optional[str] = None) -> str:
        return text(self.title, lang or self.language)

    @property
    def warnings(self) -> tuple:
        """What a valid model should still hear about, as located problems (code, place, line,
        message in both languages): the knock-outs excluding every option, and each setting that
        the model's other settings make irrelevant (:mod:`decide.ignored`). Computed once, when
        the model is loaded; a model built in code gets the ignored settings on first use."""
        if self._warnings is None:
            from decide.ignored import model_warnings

            self._warnings = model_warnings(self)
        return self._warnings

    # --- what-ifs -------------------------------------------------------------------
    def replace(self, **changes: Any) -> "DecisionModel":
        """A new, fully re-validated model with some top-level sections replaced.

        ``model.replace(weights={"method": "equal"})``. The original is unchanged.
        """
        validate_data = _VALIDATOR[0]
        data = self.model_dump(mode="python", exclude_none=True)
        for key, value in changes.items():
            if isinstance(value, BaseModel):
                value = value.model_dump(mode="python", exclude_none=True)
            data[key] = value
        new = validate_data(data, file=self._path)
        new._path = self._path
        new._sha256 = None if changes else self._sha256
        return new

    # --- criteria tree --------------------------------------------------------------
    def iter_criteria(self) -> Iterator[tuple[Optional[str], Criterion]]:
        """Every criterion with its parent id (None at the top), depth first."""

        def walk(parent: Optional[str], nodes: list[Criterion]):
            for c in nodes:
                yield parent, c
                if c.children:
                    yield from walk(c.id, c.children)

        yield from walk(None, self.criteria)

    def leaves(self) -> list[Criterion]:
        """The leaf criteria in tree order: these are scored and ranked."""
        return [c for _, c in self.iter_criteria() if c.is_leaf]

    def criterion(self, cid: str) -> Criterion:
        for _, c in self.iter_criteria():
            if c.id == cid:
                return c
        raise KeyError(cid)

    def tree(self) -> dict[Optional[str], list[str]]:
        """Parent id (None for the root) -> ordered child ids."""
        out: dict[Optional[str], list[str]] = {None: [c.id for c in self.criteria]}
        for _, c in self.iter_criteria():
            if c.children:
                out[c.id] = [k.id for k in c.children]
        return out

    def alternative(self, aid: str) -> Alternative:
        for a in self.alternatives:
            if a.id == aid:
                return a
        raise KeyError(aid)

    @property
    def alternative_ids(self) -> list[str]:
        return [a.id for a in self.alternatives]

    # --- suppliers ------------------------------------------------------------------
    @property
    def supplier_list(self) -> list[Supplier]:
        """The suppliers the model describes: ``allocation.suppliers`` or, in a model without
        them, the top-level ``suppliers`` (a model names them in one of the two places)."""
        alloc = self.allocation
        return list(alloc.suppliers) if alloc is not None and alloc.suppliers else list(self.suppliers)

    def supplier(self, sid: str) -> Optional[Supplier]:
        """The described supplier ``sid`` (None when the model names it only on its options)."""
        return next((s for s in self.supplier_list if s.id == sid), None)

    def supplier_name(self, sid: str, lang: Optional[str] = None) -> str:
        """What every face shows for a supplier: its label in ``lang``, else its id.

        The id is kept rather than dressed up: it is the only name the model gives, the one a
        reader can find in the file."""
        s = self.supplier(sid)
        return s.name(lang or self.language) if s is not None else str(sid)

    @property
    def has_criteria(self) -> bool:
        return bool(self.criteria)

    # --- scores ---------------------------------------------------------------------
    def score_table(self) -> pd.DataFrame:
        """Point scores: alternatives x leaf criteria (expected value of uncertain scores).

        A ``source: tco`` criterion takes each option's TCO (NPV over the horizon).
        Scale levels are mapped to their numbers; a range ``[low, high]`` gives its
        midpoint and ``{low, mode, high}`` its mean ``(low + mode + high) / 3``.
        """
        low, mode, high, kind = self.score_bounds()
        mean = np.where(kind == "triangular", (low + mode + high) / 3.0, (low + high) / 2.0)
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame(mean, index=low.index, columns=low.columns)

    def score_bounds(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, np.ndarray]:
        """Score uncertainty as ``low, mode, high`` tables and a kind per cell.

        ``kind`` is ``"fixed"``, ``"uniform"`` or ``"triangular"``; for fixed cells
        low = mode = high.
        """
        import pandas as pd  # noqa: PLC0415

        leaves = self.leaves()
        ids = self.alternative_ids
        cols = [c.id for c in leaves]
        # filled as arrays and wrapped once: cell-by-cell DataFrame writes took ~3 s per call
        # for 2 000 options x 30 criteria
        bounds = np.full((3, len(ids), len(cols)), np.nan)
        kind = np.full(bounds.shape[1:], "fixed", dtype=object)
        tco = self.tco_table()["total"] if any(c.source == "tco" for c in leaves) else None
        for i, a in enumerate(self.alternatives):
            for j, c in enumerate(leaves):
                if c.source == "tco":
                    lo = mo = hi = float(tco[a.id])
                    k = "fixed"
                else:
                    lo, mo, hi, k = parse_score(a.scores.get(c.id), c.scale)
                bounds[:, i, j] = lo, mo, hi
                kind[i, j] = k
        index, columns = pd.Index(ids, name="alternative"), pd.Index(cols, name="criterion")
        low, mode, high = (pd.DataFrame(b, index=index, columns=columns) for b in bounds)
        return low, mode, high, kind

    def tco_table(self) -> pd.DataFrame:
        """:func:`decide.tco.tco_table` of this model, computed once per model (a copy each time)."""
        if self._tco is None:
            from decide.tco import tco_table

            self._tco = tco_table(self)
        return self._tco.copy()

    @property
    def has_uncertain_scores(self) -> bool:
        return bool(self.criteria) and bool((self.score_bounds()[3] != "fixed").any())

    def directions(self) -> list[str]:
        return [c.direction or "max" for c in self.leaves()]


#: The model file's validation (``decide.loader.validate_data``: the schema, the cross-checks,
#: every problem located), installed by the loader when it is imported (``import decide`` does),
#: so that :meth:`DecisionModel.replace` re-validates without this module importing its loader.
_VALIDATOR: list[Callable[..., DecisionModel]] = []


def parse_score(value: Any, scale: Optional[dict[str, float]] = None) -> tuple[float, float, float, str]:
    """Turn one score entry into ``(low, mode, high, kind)``; the loader has validated it."""
    def num(v: Any) -> float:
        if isinstance(v, str):
            return float(scale[v])  # type: ignore[index]
        return float(v)

    if isinstance(value, (list, tuple)):
        lo, hi = num(value[0]), num(value[1])
        return lo, (lo + hi) / 2.0, hi, "uniform"
    if isinstance(value, dict):
        lo, mo, hi = num(value["low"]), num(value["mode"]), num(value["high"])
        return lo, mo, hi, "triangular"
    v = num(value)
    return v, v, v, "fixed"


Criterion.model_rebuild()
