"""Method adapters, the registry and the :class:`Ranking` result.

A method is a small object: it declares its name, its score direction
(``higher_is_better``), its parameters and their defaults, checks them, and has a pure ``kernel``
that assumes valid input (a thin validating wrapper in front of a pure kernel), plus its batched
form for many weight vectors. :func:`decide.ranking.bind` validates once
(:func:`decide.ranking.prepare`), asks the method for data-dependent checks (``resolve``), and
:meth:`~decide.ranking.BoundMethod.rank` calls the kernel and packages the result. Code that
needs a method's behaviour asks the method object; nothing branches on method names.
"""
from __future__ import annotations

import difflib
import html
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, ClassVar, Mapping

import numpy as np
import pandas as pd

from decide.errors import InputError
from decide.ranking._util import (
    OPTION,
    error_msg,
    fmt_label,
    label,
    msg,
    plain,
)
from decide.ranking.normalize import orient
from decide.ranking.problem import Prepared


# --------------------------------------------------------------------------- method protocol
@dataclass(frozen=True)
class Evaluation:
    """What a method computes on a prepared problem.

    ``details`` and ``tables`` map a name to ``(kind, raw value)`` where kind says how to
    label it (see :mod:`decide.ranking._util`: option, criterion, option x criterion, ...).
    """

    scores: np.ndarray
    details: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Contributions:
    """Per-option, per-criterion terms that explain a method's score.

    ``values`` are oriented so that a larger value helps the option. ``exact`` says whether
    they add up to the quantity named by ``kind`` (a message key, e.g. ``contrib_score``).
    ``terms`` holds further per-criterion tables (e.g. TOPSIS squared distance terms).
    """

    values: np.ndarray
    exact: bool
    kind: str
    terms: dict = field(default_factory=dict)


class Method:
    """Base class of a ranking method adapter.

    Subclasses set ``name``, ``higher_is_better``, ``defaults``, ``reference`` and implement
    :meth:`kernel`; they may refine :meth:`_check`, :meth:`resolve`, :meth:`evaluate` and
    :meth:`contributions`.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    reference: ClassVar[str] = ""
    higher_is_better: ClassVar[bool] = True
    #: parameter name -> default value
    defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    #: parameter name -> allowed values (for enumerated parameters)
    choices: ClassVar[Mapping[str, tuple]] = MappingProxyType({})

    # ---------------------------------------------------------------- parameters
    def check_params(self, **params: Any) -> dict:
        """Validated parameters with defaults filled in.

        Raises
        ------
        InputError
            Unknown parameter names (with the known ones) or invalid values.
        """
        return self._check_params(params, "en")

    def _check_params(self, params: Mapping[str, Any], lang: str) -> dict:
        unknown = [k for k in params if k not in self.defaults]
        if unknown:
            known = ", ".join(self.defaults) or msg("none", lang)
            hints = []
            for k in unknown:
                close = difflib.get_close_matches(k, list(self.defaults), n=1)
                hints.append(f"{k!r}" + (msg("did_you_mean", lang, name=close[0]) if close else ""))
            raise InputError(error_msg("unknown_param", lang, method=self.name,
                                 names=", ".join(hints), known=known))
        out = dict(self.defaults)
        out.update(params)
        for key, allowed in self.choices.items():
            value = out[key]
            if isinstance(value, str) or value is None:
                values = [value]
            elif isinstance(value, (Mapping, pd.Series)):
                values = list(value.values()) if isinstance(value, Mapping) else list(value)
            else:
                values = list(value) if np.ndim(value) == 1 else [value]
            bad = [v for v in values if v not in allowed]
            if bad:
                raise InputError(error_msg("bad_choice", lang, method=self.name, param=key,
                                     got=", ".join(repr(b) for b in bad),
                                     allowed=", ".join(repr(a) for a in allowed)))
        self._check(out, lang)
        return out

    def _check(self, params: dict, lang: str) -> None:
        """Check parameter values that do not need the data (hook)."""

    def resolve(self, prep: Prepared, params: dict, lang: str = "en") -> tuple[dict, list[str]]:
        """Data-dependent checks and parameter binding (hook).

        Returns the parameters to pass to the kernel (e.g. per-criterion lists aligned by
        label) and notes. Raises :class:`InputError` for data the method cannot work with.
        """
        return params, []

    # ---------------------------------------------------------------- computation
    def kernel(self, X: np.ndarray, w: np.ndarray, types: np.ndarray, **params: Any) -> np.ndarray:
        """Scores of the options; pure and without validation (input as :class:`Prepared`)."""
        raise NotImplementedError

    def evaluate(self, X: np.ndarray, w: np.ndarray, types: np.ndarray, *, tables: bool = False,
                 **params: Any) -> Evaluation:
        """Scores plus method details, and the intermediate tables when ``tables``."""
        return Evaluation(self.kernel(X, w, types, **params))

    def contributions(self, X: np.ndarray, w: np.ndarray, types: np.ndarray,
                      **params: Any) -> Contributions:
        """Per-criterion terms of the score (default: an approximation).

        Methods whose score does not decompose per criterion fall back to the weighted
        min-max normalised values -- what a weighted sum would credit each criterion with.
        """
        return Contributions(w * orient(X, types, "minmax"), exact=False, kind="contrib_approx")

    def batch(self, X: np.ndarray, types: np.ndarray, **params: Any):
        """The method's scores on ``X`` for many weight vectors at once, or None.

        Returns a scorer whose ``scores(W)`` maps weights (k, n) to the kernel's scores (k, m),
        computed with the kernel's own formulas in bulk (see :mod:`decide.ranking.batch`).
        None (the default): no batched form for this method or parameter set.
        """
        return None

    def batch_sampled(self, Xs: np.ndarray, types: np.ndarray, **params: Any):
        """Like :meth:`batch` for sampled matrices ``Xs`` (k, m, n), or None."""
        return None

    def score_scale(self, prep: Prepared, params: dict) -> float:
        """Natural size of the scores, for the tie tolerance (see ``rank_values``).

        0 (the default) makes ties purely relative to the largest score. Methods whose scores
        are bounded (closeness, utility, net flow) return 1.
        """
        return 0.0

    def __repr__(self) -> str:
        return f"<ranking method {self.name!r}>"


# --------------------------------------------------------------------------- registry
_REGISTRY: dict[str, Method] = {}


def register(method: Method) -> Method:
    """Add a method adapter to the registry (its ``name`` must be new)."""
    if not method.name or method.name in _REGISTRY:
        raise ValueError(f"method name {method.name!r} is empty or already registered")
    _REGISTRY[method.name] = method
    return method


def methods() -> list[str]:
    """Names of the registered ranking methods, in registration order."""
    return list(_REGISTRY)


def get_method(name: str | Method, *, lang: str = "en") -> Method:
    """The method adapter registered under ``name``.

    Raises
    ------
    InputError
        Unknown name (with the registered names and the closest match).
    """
    if isinstance(name, Method):
        return name
    try:
        return _REGISTRY[name]
    except (KeyError, TypeError):
        pass
    key = str(name).strip().lower().replace("-", "_")
    if key in _REGISTRY:
        return _REGISTRY[key]
    close = difflib.get_close_matches(key, list(_REGISTRY), n=1)
    hint = msg("did_you_mean", lang, name=close[0]) if close else ""
    raise InputError(error_msg("unknown_method", lang, name=repr(name), hint=hint,
                         known=", ".join(_REGISTRY)))


# --------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class Ranking:
    """The result of :func:`rank`.

    Attributes
    ----------
    method : str
        Registered method name.
    params : mapping
        Effective parameters (defaults filled in).
    higher_is_better : bool
        Direction of ``scores`` (False for VIKOR's Q and SPOTIS's distance).
    notes : tuple of str
        Adjustments and observations (normalised weights, constant criteria, ...).
    scores : pandas.Series
        The method's own measure, indexed by option label.
    ranks : pandas.Series of int
        1 = best; tied options share the best rank of their group.
    details : dict
        Method extras: VIKOR ``S``, ``R``, ``Q``, ``compromise``; PROMETHEE ``phi_plus``,
        ``phi_minus``, ``phi``; COPRAS ``S_plus``, ``S_minus``, ``Q``.
    tables : dict of DataFrame/Series
        "Show your working" (only with ``rank(..., tables=True)``): normalised matrix,
        weighted matrix, ideal points, distances, ...
    """

    method: str
    params: Mapping[str, Any]
    higher_is_better: bool
    notes: tuple[str, ...]
    alternatives: pd.Index
    criteria: pd.Index
    score_values: np.ndarray = field(repr=False)
    rank_values: np.ndarray = field(repr=False)
    raw_details: Mapping[str, Any] = field(default_factory=dict, repr=False)
    raw_tables: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def scores(self) -> pd.Series:
        return pd.Series(self.score_values, index=self.alternatives, name="score")

    @cached_property
    def ranks(self) -> pd.Series:
        return pd.Series(self.rank_values, index=self.alternatives, name="rank")

    @cached_property
    def details(self) -> dict:
        return {k: label(kind, v, self.alternatives, self.criteria, k)
                for k, (kind, v) in self.raw_details.items()}

    @cached_property
    def tables(self) -> dict:
        return {k: label(kind, v, self.alternatives, self.criteria, k)
                for k, (kind, v) in self.raw_tables.items()}

    @property
    def winners(self) -> list:
        """Labels of the option(s) ranked first."""
        return list(self.alternatives[self.rank_values == 1])

    @property
    def order(self) -> pd.Index:
        """Option labels from best to worst (ties in input order)."""
        return self.alternatives[np.argsort(self.rank_values, kind="stable")]

    def to_frame(self) -> pd.DataFrame:
        """Ranking table sorted from best to worst: score, rank and per-option details."""
        df = pd.DataFrame({"score": self.score_values, "rank": self.rank_values},
                          index=self.alternatives)
        for k, (kind, v) in self.raw_details.items():
            if kind == OPTION and k not in df.columns:
                df[k] = v
        return df.iloc[np.argsort(self.rank_values, kind="stable")]

    def to_dict(self) -> dict:
        """JSON-friendly: ``{"method", "params", "higher_is_better", "ranking", "notes"}``."""
        order = np.argsort(self.rank_values, kind="stable")
        return {
            "method": self.method,
            "params": plain(dict(self.params)),
            "higher_is_better": bool(self.higher_is_better),
            "ranking": [{"id": plain(self.alternatives[i]),
                         "score": plain(self.score_values[i]),
                         "rank": int(self.rank_values[i])} for i in order],
            "notes": list(self.notes),
        }

    def _repr_html_(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        head = f"<p><b>{html.escape(self.method)}</b> ({html.escape(params)})</p>"
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return head + self.to_frame().to_html() + (f"<ul>{notes}</ul>" if notes else "")

    def __repr__(self) -> str:
        top = ", ".join(fmt_label(x) for x in self.order[:5])
        return (f"Ranking(method={self.method!r}, options={len(self.alternatives)}, "
                f"best first: {top}{', ...' if len(self.alternatives) > 5 else ''})")


__all__ = ["Contributions", "Evaluation", "Method", "Ranking", "get_method", "methods", "register"]
