"""What the checks look at: the model plus its results, read from its analysis and guarded.

:class:`ReviewContext` reads the ranking, the portfolio (optimal allocation) and the
scenario comparison from a :class:`decide.analysis.Analysis` (which computes each stage at
most once, when a check first asks for it). Each piece is *guarded*: a model without
criteria, without an allocation section, or with an infeasible portfolio still gets a review; the piece is then ``None`` and :meth:`ReviewContext.reason`
says why, in Dutch and English, for the checks to report.
"""
from __future__ import annotations

import math

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Optional, Sequence

import pandas as pd

from decide.errors import DecideError, ModelError
from decide.model import Alternative, Criterion, DecisionModel
from decide.review._text import LangFn, Text, money, msg

if TYPE_CHECKING:
    from decide.analysis import Analysis

__all__ = ["ReviewContext", "Recommendation", "PortfolioFigures", "status_text"]



@dataclass(frozen=True)
class Recommendation:
    """What the model recommends: the optimal portfolio, else the ranking's winner.

    Attributes
    ----------
    kind : str
        ``portfolio`` (the allocation's chosen options) or ``winner`` (the best-ranked option).
    ids : tuple of str
    """

    kind: str
    ids: tuple[str, ...]


@dataclass(frozen=True)
class PortfolioFigures:
    """Money and supplier figures of a set of options, from :func:`decide.tco.tco_table`.

    ``tco`` and ``exit_npv`` are net present values over the horizon; ``exit_nominal`` is the
    exit cost as stated. ``spend_by_supplier`` is TCO without integration per supplier;
    ``sme_share`` is the SME suppliers' part of the supplier spend (NaN when unknown).
    ``modules_by_supplier`` maps a supplier to the modules its chosen options cover.
    """

    ids: tuple[str, ...]
    tco: float
    exit_npv: float
    exit_nominal: float
    spend_by_supplier: dict[str, float]
    sme_share: float
    modules_by_supplier: dict[str, tuple[str, ...]]
    share_base: float = float("nan")  # what shares are measured against (rules.share_base)

    @property
    def exit_share(self) -> float:
        """Exit cost (NPV) as a share of the TCO (NaN when the TCO is 0)."""
        return self.exit_npv / self.tco if self.tco > 0 else float("nan")

    @property
    def supplier_spend(self) -> float:
        return float(sum(self.spend_by_supplier.values()))

    def largest_supplier(self) -> tuple[Optional[str], float]:
        """The supplier with the largest spend and its share of the supplier spend."""
        base = self.supplier_spend if math.isnan(self.share_base) else self.share_base
        if not self.spend_by_supplier or base <= 0:
            return None, float("nan")
        sid = max(self.spend_by_supplier, key=self.spend_by_supplier.get)
        return sid, self.spend_by_supplier[sid] / base

    @property
    def bundles(self) -> dict[str, tuple[str, ...]]:
        """Suppliers given several modules: supplier -> the modules (art. 1.5 bundling)."""
        return {s: m for s, m in self.modules_by_supplier.items() if len(m) > 1}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if isinstance(exc, ModelError) and exc.problems:
        text = "; ".join(p.message for p in exc.problems)
    elif text:
        text = text.splitlines()[-1]
    return text.rstrip(". ") or type(exc).__name__


#: Criterion names that speak of the future (flexibility, innovation, scalability, open
#: standards): the checks on future needs look for them, in Dutch and English.
FUTURE_WORDS = ("flexib", "innov", "toekomst", "future", "scal", "schaal", "open standa")


def is_make(a: Alternative) -> bool:
    """An option built in-house: tagged ``make``, or without a supplier and not tagged ``buy``."""
    return "make" in a.tags or (a.supplier is None and "buy" not in a.tags)


@dataclass(frozen=True, eq=False)
class ReviewContext:
    """The model and its results, as the checks see them: a view of one analysis.

    Every result comes from :class:`decide.analysis.Analysis` (each stage computed there at
    most once, on first use); the context computes nothing itself. Each piece is *guarded*: a
    model without criteria, without an allocation section, or with an infeasible portfolio
    still gets a review; the piece is then ``None`` and :meth:`reason` says why, in Dutch and
    English, for the checks to report.

    Parameters
    ----------
    analysis : decide.analysis.Analysis
        The analysis of the model under review (the report's, the command line's, ...).
    """

    analysis: "Analysis"
    _cache: dict = field(default_factory=dict, init=False, repr=False)

    @property
    def model(self) -> DecisionModel:
        return self.analysis.model

    @property
    def solver(self) -> str:
        return self.analysis.settings.solver

    # ------------------------------------------------------------------ guarded pieces
    #: Pieces the checks ask for by name (``ctx._get(name, ...)``) that are analysis stages.
    _STAGES = {"award": "award_evaluation", "derivation": "weights"}

    def _get(self, name: str, compute: Optional[Callable[[], Any]] = None) -> Any:
        """The piece ``name``, guarded: an analysis stage for the names in :attr:`_STAGES`
        (read from the analysis, never computed here), else ``compute()``."""
        if name in self._cache:
            return self._cache[name][0]
        if name in self._STAGES:
            stage = self._STAGES[name]
            compute = lambda: self._stage(stage)  # noqa: E731
        elif compute is None:
            raise TypeError(f"{name!r} is not an analysis stage: give the review a way to compute it")
        error = None
        try:
            value, reason = compute(), None
        except _Unavailable as exc:
            value, reason = None, exc.reason
        except DecideError as exc:
            value, reason = None, msg("reason.error", error=_first_line(exc))
        except ImportError as exc:
            value, reason = None, msg("reason.not_installed", error=str(exc))
            error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - a review must come out; the reason is shown
            value, reason = None, msg("reason.failed", error=f"{type(exc).__name__}: {exc}")
            error = f"{type(exc).__name__}: {exc}"
        self._cache[name] = (value, reason, error)
        return value

    def _stage(self, stage: str) -> Any:
        """An analysis stage; its unavailability as this context's guarded reason."""
        value = getattr(self.analysis, stage)
        if value is None:
            why = self.analysis.unavailable(stage)
            if why is not None and why.key in ("no_award",):
                return None
            raise _Unavailable(Text(nl=why.text("nl"), en=why.text("en")) if why is not None else Text())
        return value

    def reason(self, name: str) -> Text:
        """Why ``name`` (``ranking``, ``weights``, ``problem``, ``allocation``, ``portfolio``,
        ``scenarios``, ``screening``) is not available (empty when it is)."""
        getattr(self, name)
        entry = self._cache.get(name)
        return (entry[1] if entry and entry[1] is not None else Text())

    @property
    def errors(self) -> dict[str, str]:
        """Pieces that failed unexpectedly (not a model property such as "no allocation")."""
        return {k: v[2] for k, v in self._cache.items() if v[2] is not None}

    @property
    def tco(self) -> pd.DataFrame:
        """:func:`decide.tco.tco_table` of the model."""
        return self._get("tco", lambda: self._stage("tco"))

    @property
    def screening(self):
        """The knock-out screening (None when every option fails, with the reason)."""
        def screening():
            s = self._stage("screening")
            if not s.passed:
                from decide.i18n import t

                n = len(self.model.alternatives)
                raise _Unavailable(Text(**{lg: t("analysis.unavailable_all_excluded", lg, n=n) for lg in ("nl", "en")}))
            return s

        return self._get("screening", screening)

    @property
    def viable(self) -> tuple[str, ...]:
        """Ids of the options that pass the knock-out requirements."""
        s = self.screening
        return tuple(s.passed) if s is not None else ()

    @property
    def viable_options(self) -> list[Alternative]:
        ok = set(self.viable)
        return [a for a in self.model.alternatives if a.id in ok]

    @property
    def ranking(self):
        """The analysis's ranking (None without criteria)."""
        return self._get("ranking", lambda: self._stage("ranking"))

    @property
    def weights(self) -> Optional[pd.Series]:
        """Global leaf weights (None without criteria)."""
        return self._get("weights", lambda: pd.Series(self._stage("weights").weights, dtype=float))

    @property
    def problem(self):
        """The portfolio problem (None for a ranking-only model)."""
        return self._get("problem", lambda: self._stage("problem"))

    @property
    def allocation(self):
        """The optimal allocation (an Allocation object, also when infeasible), or None."""
        return self._get("allocation", lambda: self._stage("allocation"))

    @property
    def portfolio(self) -> Optional[tuple[str, ...]]:
        """The chosen options of an optimal allocation; None otherwise (see :meth:`reason`)."""
        def compute():
            a = self.allocation
            if a is None:
                raise _Unavailable(self.reason("allocation"))
            status = getattr(a, "status", None)
            ok = bool(getattr(status, "is_ok", False))
            if not ok:
                raise _Unavailable(msg("reason.infeasible", status=status_text(status)))
            return tuple(a.chosen)

        return self._get("portfolio", compute)

    @property
    def explanation(self) -> Text:
        """Why there is no portfolio, in procurement terms (empty when there is one)."""
        a = self.allocation
        if a is None or self.portfolio is not None or not hasattr(a, "explanation_text"):
            return Text()
        try:
            texts = {lang: " ".join(line.strip().lstrip("-").strip()
                                    for line in a.explanation_text(lang).splitlines() if line.strip())
                     for lang in ("nl", "en")}
        except Exception:  # noqa: BLE001 - the explanation is a courtesy; the status is reported anyway
            return Text()
        return Text(**texts)

    @property
    def scenarios(self) -> Optional[pd.DataFrame]:
        """:func:`decide.portfolio.scenarios` of the problem (None for a ranking-only model)."""
        return self._get("scenarios", lambda: self._stage("scenarios"))

    @property
    def cheapest_cover(self) -> Optional[float]:
        """Least TCO of a selection covering every required module (no budget, no rules)."""
        return self._get("cheapest_cover", lambda: self._stage("cheapest_cover"))

    @property
    def cheapest_covers(self):
        """The covers of every required module at the least one-off cost and at the least TCO
        (``Analysis.cheapest_covers``), or None."""
        return self._get("cheapest_covers", lambda: self._stage("cheapest_covers"))

    # ------------------------------------------------------------------ derived views
    @property
    def recommendation(self) -> Optional[Recommendation]:
        """The optimal portfolio; for a model without allocation the ranking's winner."""
        if self.portfolio is not None:
            return Recommendation("portfolio", tuple(self.portfolio))
        if self.model.allocation is None and self.ranking is not None:
            return Recommendation("winner", (self.ranking.winner,))
        return None

    def recommendation_text(self, short: bool = False) -> Text:
        """"the recommended portfolio (a, b)" / "the ranking's winner (a)"; ``short``: without
        the options."""
        rec = self.recommendation
        if rec is None:
            return Text()
        if short:
            return msg(f"rec.short_{rec.kind}")
        from decide.review._text import names

        opts = [self.model.alternative(i) for i in rec.ids]
        return msg(f"rec.{rec.kind}", options=names(opts, limit=6))

    def figures(self, ids: Iterable[str]) -> PortfolioFigures:
        """Money and supplier figures of a set of options (see :class:`PortfolioFigures`)."""
        ids = tuple(ids)
        tco = self.tco
        spend: dict[str, float] = {}
        modules: dict[str, list[str]] = {}
        for i in ids:
            a = self.model.alternative(i)
            if a.supplier is None:
                continue
            spend[a.supplier] = spend.get(a.supplier, 0.0) + float(tco.at[i, "spend"])
            for m in a.covers:
                if m not in modules.setdefault(a.supplier, []):
                    modules[a.supplier].append(m)
        total = sum(spend.values())
        alloc = self.model.allocation
        if alloc is None or alloc.rules.share_base == "options":
            # the share base is the spend on every chosen option, in-house builds included
            total = float(tco.loc[list(ids), "spend"].sum()) if ids else 0.0
        sme_flags = {s: self.is_sme(s) for s in spend}
        if total > 0 and all(v is not None for v in sme_flags.values()):
            sme_share = sum(v for s, v in spend.items() if sme_flags[s]) / total
        else:
            sme_share = float("nan")
        return PortfolioFigures(
            ids=ids,
            tco=float(tco.loc[list(ids), "total"].sum()) if ids else 0.0,
            exit_npv=float(tco.loc[list(ids), "exit"].sum()) if ids else 0.0,
            exit_nominal=float(tco.loc[list(ids), "exit_nominal"].sum()) if ids else 0.0,
            spend_by_supplier=spend,
            sme_share=float(sme_share),
            modules_by_supplier={s: tuple(m) for s, m in modules.items()},
            share_base=float(total),
        )

    def is_sme(self, supplier: Optional[str]) -> Optional[bool]:
        """Whether a supplier is an SME (None when the model does not say)."""
        s = self.model.supplier(supplier) if supplier is not None else None
        return None if s is None else bool(s.sme)

    def supplier_name(self, supplier: str) -> LangFn:
        return lambda lang: self.model.supplier_name(supplier, lang)

    def module_name(self, module: str) -> LangFn:
        alloc = self.model.allocation
        if alloc is not None:
            for m in alloc.modules:
                if m.id == module:
                    return m.name
        return lambda lang: module

    def suppliers_of(self, options: Iterable[Alternative]) -> list[str]:
        """Distinct supplier ids of some options, in order (in-house options have none)."""
        out: list[str] = []
        for a in options:
            if a.supplier is not None and a.supplier not in out:
                out.append(a.supplier)
        return out

    def criteria_like(self, words: Sequence[str], ids: Sequence[str] = ()) -> list[Criterion]:
        """Leaf criteria whose id or label (any language) contains one of ``words``, or whose
        id (or an ancestor's) is in ``ids``. A matching parent contributes its leaves."""
        words = tuple(w.lower() for w in words)
        found: list[Criterion] = []

        def leaves(c: Criterion) -> list[Criterion]:
            if c.is_leaf:
                return [c]
            return [leaf for k in c.children for leaf in leaves(k)]

        for _, c in self.model.iter_criteria():
            hay = " ".join([c.id, c.name("nl"), c.name("en")]).lower()
            if c.id in ids or any(w in hay for w in words):
                for leaf in leaves(c):
                    if leaf not in found:
                        found.append(leaf)
        return found

    def weight_of(self, criteria: Sequence[Criterion]) -> Optional[float]:
        """Summed global weight of some leaf criteria (None when the weights are unknown)."""
        w = self.weights
        if w is None:
            return None
        return float(sum(float(w.get(c.id, 0.0)) for c in criteria))

    def money(self, x: float) -> LangFn:
        """An amount in the model's currency."""
        return money(x, self.model.currency)

    def options_tagged(self, tag: str, options: Optional[Iterable[Alternative]] = None) -> list[Alternative]:
        options = self.model.alternatives if options is None else options
        return [a for a in options if tag in a.tags]


def status_text(status: Any) -> Callable[[str], str]:
    """The solver status in words (``portfolio.status_<value>``), else its value."""
    value = str(getattr(status, "value", status))

    def f(lang: str) -> str:
        from decide.i18n import t

        try:
            return t(f"portfolio.status_{value}", lang)
        except (KeyError, FileNotFoundError):
            return value
    return f


class _Unavailable(Exception):
    """A piece that this model cannot give (no criteria, no allocation, infeasible ...)."""

    def __init__(self, reason: Text):
        super().__init__(reason("en"))
        self.reason = reason

