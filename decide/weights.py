"""Criteria weights other than AHP: direct, rank-based, equal, and objective (entropy, CRITIC).

Every function returns a frozen :class:`WeightResult` (``.weights`` a Series summing to 1,
``.method``, ``.notes``). Notes are :class:`Note` objects: a stable ``code`` plus a text in
Dutch or English from ``decide/messages/weights.yaml`` (``str(note)`` is English).

Sources
-------
* Rank-order centroid (``roc``): Barron, F.H. & Barrett, B.E. (1996). Decision quality using
  ranked attribute weights. Management Science 42(11):1515-1523;
  ``w_r = (1/n) * sum_{k=r}^{n} 1/k``.
* Rank sum (``rs``) ``w_r = 2 (n + 1 - r) / (n (n + 1))`` and rank reciprocal (``rr``)
  ``w_r = (1/r) / sum_k 1/k``: Stillwell, W.G., Seaver, D.A. & Edwards, W. (1981). A
  comparison of weight approximation techniques in multiattribute utility decision making.
  Organizational Behavior and Human Performance 28(1):62-77.
* Tied ranks share the mean of the weights of the positions they occupy.
* Entropy weights (Shannon entropy of the column shares, ``w_j ~ 1 - E_j``, with
  ``0 ln 0 = 0``) and CRITIC (Diakoulaki, Mavrotas & Papayannakis 1995, Computers & OR
  22(7):763-770), the latter through ``pymcdm.weights.critic_weights``.
"""
from __future__ import annotations

import html
import math
import numbers
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from decide import i18n
from decide.errors import InputError, Message, Problem, code_of

__all__ = ["Note", "WeightResult", "critic", "critic_settings", "critic_settings_text", "direct", "entropy", "equal",
           "rank_order"]

RANK_METHODS = ("roc", "rs", "rr")


def _fmt_float(x: float, lang: str) -> str:
    """A number with up to 4 decimals, trailing zeros dropped, in the language's notation."""
    text = i18n.fmt_number(x, lang, 4)
    sep = "," if lang == "nl" else "."
    if sep in text:
        text = text.rstrip("0").rstrip(sep)
    return text


@dataclass(frozen=True)
class Note:
    """Something a reader of the weights should know (e.g. they were rescaled).

    ``code`` is stable (tests and faces match on it); ``params`` fill the catalogue text.
    """

    code: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str = "en") -> str:
        """The note in ``lang`` (``'nl'`` or ``'en'``)."""
        kwargs = {}
        for k, v in self.params:
            kwargs[k] = _fmt_float(v, lang) if isinstance(v, float) else v
        return i18n.t(f"weights.note_{self.code}", lang, **kwargs)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True, eq=False)
class WeightResult:
    """Criteria weights with how they were obtained.

    Attributes
    ----------
    weights : pandas.Series
        Non-negative, summing to 1, indexed by criterion id.
    method : str
        ``'direct'``, ``'roc'``, ``'rs'``, ``'rr'``, ``'equal'``, ``'entropy'`` or ``'critic'``.
    notes : tuple of Note
        Remarks for the reader (empty when there is nothing to say).
    """

    weights: pd.Series
    method: str
    notes: tuple[Note, ...] = field(default=())

    def to_frame(self) -> pd.DataFrame:
        """Weights and ranks (1 = highest weight)."""
        return pd.DataFrame({
            "weight": self.weights,
            "rank": self.weights.rank(ascending=False, method="min").astype(int),
        })

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(str(n))}</li>" for n in self.notes)
        head = f"<p><b>Weights</b> ({html.escape(self.method)})</p>" + (f"<ul>{notes}</ul>" if notes else "")
        return head + self.to_frame().to_html(float_format=lambda x: f"{x:.4f}")


def _result(values: np.ndarray, ids: Sequence[Hashable], method: str, notes: Sequence[Note] = ()) -> WeightResult:
    return WeightResult(weights=pd.Series(values, index=pd.Index(ids), name="weight"), method=method,
                        notes=tuple(notes))


def _check_ids(ids: Sequence[Hashable], what: str) -> list[Hashable]:
    out = list(ids)
    if not out:
        raise InputError(Message("input.weights_no_criteria", what=what))
    seen: set = set()
    dup = []
    for x in out:
        if x in seen:
            dup.append(x)
        seen.add(x)
    if dup:
        raise InputError(Message("input.weights_duplicate_criteria", what=what, duplicates=sorted(set(map(str, dup)))))
    return out


# --------------------------------------------------------------------------------------
# Direct, equal, rank
# --------------------------------------------------------------------------------------


def direct(weights: Mapping[Hashable, float] | pd.Series) -> WeightResult:
    """Weights given directly, normalised to sum 1.

    Parameters
    ----------
    weights : mapping or pandas.Series
        ``{criterion: weight}``; non-negative numbers, not all zero. Any positive sum is
        accepted (percentages, points); a sum other than 1 is rescaled and a ``normalised``
        note records the original sum.

    Returns
    -------
    WeightResult

    Raises
    ------
    InputError
        Empty, not numbers, non-finite, negative (each named), or all zero.

    Examples
    --------
    >>> from decide import weights
    >>> r = weights.direct({"cost": 30, "risk": 20, "innovation": 50})
    >>> r.weights.to_dict(), [n.code for n in r.notes]
    ({'cost': 0.3, 'risk': 0.2, 'innovation': 0.5}, ['normalised'])
    """
    if isinstance(weights, pd.Series):
        items = list(weights.items())
    elif isinstance(weights, Mapping):
        items = list(weights.items())
    else:
        raise InputError(Message("input.weights_direct_not_mapping", type_name=type(weights).__name__))
    ids = _check_ids([k for k, _ in items], "weights")
    values = []
    problems = []
    for k, v in items:
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            problems.append(Message("input.weights_not_number", cell=f"weights[{k!r}]", value=repr(v)))
            values.append(math.nan)
            continue
        x = float(v)
        if not math.isfinite(x):
            problems.append(Message("input.weights_not_finite", cell=f"weights[{k!r}]", value=repr(v)))
        elif x < 0:
            problems.append(Message("input.weights_negative", cell=f"weights[{k!r}]", value=repr(v)))
        values.append(x)
    if problems:
        raise InputError.of(Problem(code_of(m.key), "", m) for m in problems)
    arr = np.array(values)
    total = float(arr.sum())
    if total <= 0:
        raise InputError(Message("input.weights_all_zero"))
    notes = []
    if abs(total - 1.0) > 1e-9:
        notes.append(Note("normalised", (("total", total),)))
    return _result(arr / total, ids, "direct", notes)


def equal(ids: Sequence[Hashable]) -> WeightResult:
    """Equal weights ``1/n`` for the given criteria.

    Examples
    --------
    >>> from decide import weights
    >>> weights.equal(["a", "b", "c", "d"]).weights.tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    if isinstance(ids, (str, bytes)):
        raise InputError(Message("input.weights_ids_is_text", ids=ids))
    out = _check_ids(ids, "ids")
    return _result(np.full(len(out), 1.0 / len(out)), out, "equal")


def _rank_position_weights(n: int, method: str) -> np.ndarray:
    r = np.arange(1, n + 1, dtype=float)
    if method == "roc":
        inv = 1.0 / r
        return np.array([inv[k:].sum() for k in range(n)]) / n
    if method == "rs":
        return 2.0 * (n + 1 - r) / (n * (n + 1))
    inv = 1.0 / r
    return inv / inv.sum()


def rank_order(order: Sequence[Hashable | Sequence[Hashable]], method: str = "roc") -> WeightResult:
    """Weights from a ranking of criteria, most important first.

    Parameters
    ----------
    order : sequence
        Criterion ids from most to least important. An element may be a list of ids that
        tie; tied criteria share the mean of the weights of the positions they occupy.
    method : {'roc', 'rs', 'rr'}
        Rank-order centroid (Barron & Barrett 1996), rank sum or rank reciprocal
        (Stillwell, Seaver & Edwards 1981).

    Returns
    -------
    WeightResult

    Examples
    --------
    >>> from decide import weights
    >>> weights.rank_order(["cost", "risk", "flexibility"]).weights.round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    """
    if method not in RANK_METHODS:
        raise InputError(Message("input.weights_rank_unknown_method", allowed=', '.join(repr(m) for m in RANK_METHODS), method=method))
    if isinstance(order, (str, bytes)) or not isinstance(order, Sequence):
        raise InputError(Message("input.weights_rank_order_not_a_list", order=order))
    groups: list[list[Hashable]] = []
    for k, item in enumerate(order):
        if isinstance(item, (list, tuple)):
            if not item:
                raise InputError(Message("input.weights_rank_empty_tie_group", position=k))
            groups.append(list(item))
        else:
            groups.append([item])
    ids = _check_ids([x for g in groups for x in g], "order")
    pos_w = _rank_position_weights(len(ids), method)
    values = []
    start = 0
    for g in groups:
        share = pos_w[start:start + len(g)].mean()
        values.extend([share] * len(g))
        start += len(g)
    arr = np.array(values)
    return _result(arr / arr.sum(), ids, method)


# --------------------------------------------------------------------------------------
# Objective weights from data
# --------------------------------------------------------------------------------------


def _data_matrix(matrix: Any, what: str) -> tuple[np.ndarray, pd.Index]:
    if isinstance(matrix, pd.DataFrame):
        cols = matrix.columns
        if cols.has_duplicates:
            raise InputError(Message("input.weights_data_duplicate_columns", what=what, duplicates=list(cols[cols.duplicated()].unique())))
        rows = matrix.index
        values = matrix.to_numpy()
    else:
        values, rows, cols = matrix, None, None
    try:
        a = np.array(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(Message("input.weights_data_not_numbers", what=what)) from None
    if a.ndim != 2:
        raise InputError(Message("input.weights_data_not_2d", what=what, shape=a.shape))
    if a.shape[0] < 2 or a.shape[1] < 1:
        raise InputError(Message("input.weights_data_too_small", what=what, shape=a.shape))
    cols = cols if cols is not None else pd.RangeIndex(a.shape[1])
    rows = rows if rows is not None else pd.RangeIndex(a.shape[0])
    bad = [(rows[i], cols[j]) for i, j in zip(*np.nonzero(~np.isfinite(a)))]
    if bad:
        shown = ", ".join(f"[{r!r}, {c!r}]" for r, c in bad[:6]) + (", ..." if len(bad) > 6 else "")
        raise InputError(Message("input.weights_data_missing_values", what=what, count=len(bad), shown=shown))
    return a, cols


def _kernel_entropy(a: np.ndarray) -> np.ndarray:
    """Entropy weights; assumes non-negative data with positive column sums (0 ln 0 = 0)."""
    m = a.shape[0]
    p = a / a.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    e = -plogp.sum(axis=0) / math.log(m)
    d = 1.0 - e
    return d / d.sum()


def entropy(matrix: Any) -> WeightResult:
    """Objective weights from the Shannon entropy of each criterion's column.

    A criterion whose values are spread evenly over the alternatives carries little
    information and gets a small weight. ``p_ij = x_ij / sum_i x_ij``,
    ``E_j = -sum_i p_ij ln p_ij / ln m`` (with ``0 ln 0 = 0``), ``w_j ~ 1 - E_j``. On strictly
    positive data this equals ``pymcdm.weights.entropy_weights``; pymcdm 1.4 sets ``E_j = 0``
    for any column containing a zero, which over-weights such columns, so the formula is
    computed here.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        Alternatives (rows) x criteria (columns); non-negative, finite, at least 2 rows.

    Returns
    -------
    WeightResult
        A constant column gets weight 0 (with a ``constant_column`` note).

    Raises
    ------
    InputError
        Missing/infinite or negative values, a column of zeros, or every column constant.
    """
    a, cols = _data_matrix(matrix, "matrix")
    neg = [(i, j) for i, j in zip(*np.nonzero(a < 0))]
    if neg:
        crits = sorted({str(cols[j]) for _, j in neg})
        raise InputError(Message("input.weights_entropy_negative_values", criteria=crits))
    zero = [cols[j] for j in range(a.shape[1]) if a[:, j].sum() == 0]
    if zero:
        raise InputError(Message("input.weights_entropy_zero_criteria", criteria=list(zero)))
    const = [j for j in range(a.shape[1]) if np.ptp(a[:, j]) == 0]
    if len(const) == a.shape[1]:
        raise InputError(Message("input.weights_entropy_all_constant"))
    w = _kernel_entropy(a)
    w[const] = 0.0
    w = w / w.sum()
    notes = [Note("constant_column", (("criterion", str(cols[j])),)) for j in const]
    return _result(w, list(cols), "entropy", notes)


def critic(matrix: Any, directions: Sequence[str], *, scale: bool = True,
           correlation: str = "pearson", reverse_costs: bool = True) -> WeightResult:
    """Objective weights by CRITIC (contrast intensity and conflict between criteria).

    Columns are min-max normalised with their direction (best = 1), then
    ``C_j = s_j * sum_k (1 - r_jk)`` with ``s_j`` the sample standard deviation and ``r`` the
    Pearson correlation of the normalised columns; ``w_j ~ C_j`` (Diakoulaki et al. 1995).
    Computed by ``pymcdm.weights.critic_weights`` after flipping cost columns (pymcdm's own
    normalisation ignores directions).

    The settings other tools offer (scikit-criteria's ``CRITIC(correlation=..., scale=...)``):
    ``scale=False`` skips the min-max step (``s_j`` and ``r`` of the raw columns, cost columns
    negated, which keeps ``s_j`` and turns their correlations round), and
    ``correlation='spearman'`` uses Spearman's rank correlation instead of Pearson's. Which
    standard deviation (``ddof`` 0 or 1) is used does not matter: every ``s_j`` has the same
    factor ``sqrt(m / (m - 1))`` between the two, and it cancels when the weights are
    normalised.

    ``reverse_costs=False`` treats every criterion as higher-is-better, as
    ``pymcdm.weights.critic_weights`` and pyrepo-mcda's ``critic_weighting`` do and as the
    published example of Tuş & Aytaç Adalı (2019, OPSEARCH 56:528-538) was computed. Reversing
    a cost column leaves its spread unchanged and turns the sign of its correlations with the
    other criteria, so only the conflict term of cost criteria differs: with reversal a cost
    that rises with a benefit (expensive but good) is in conflict with it, as in Diakoulaki
    et al.'s normalisation towards the ideal; without, it is not.

    Parameters
    ----------
    matrix : array_like or pandas.DataFrame
        Alternatives (rows) x criteria (columns), finite, at least 2 rows.
    directions : sequence of {'max', 'min'}
        One per criterion.
    scale : bool
        Min-max normalise the columns first (Diakoulaki et al.; the default).
    correlation : {'pearson', 'spearman'}
        How the conflict between criteria is measured.
    reverse_costs : bool
        Count 'min' criteria reversed (the default) or as given.

    Returns
    -------
    WeightResult

    Raises
    ------
    InputError
        Missing/infinite values, wrong number of directions or a direction other than
        'max'/'min', a constant column (its correlation is undefined), or criteria whose
        conflict is zero everywhere (all perfectly correlated).
    """
    from pymcdm.weights import critic_weights

    _check_critic_settings(scale, correlation, reverse_costs)
    a, cols = _data_matrix(matrix, "matrix")
    dirs = _directions(directions, a.shape[1], cols)
    const = [cols[j] for j in range(a.shape[1]) if np.ptp(a[:, j]) == 0]
    if const:
        raise InputError(Message("input.weights_critic_constant_criteria", criteria=list(map(str, const))))
    signed = np.where((np.array(dirs) == "min") & bool(reverse_costs), -a, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        if scale and correlation == "pearson":
            w = np.asarray(critic_weights(signed), dtype=float)
        else:
            w = _kernel_critic(signed, scale, correlation)
    if not np.all(np.isfinite(w)) or w.sum() <= 0:
        raise InputError(Message("input.weights_critic_all_correlated"))
    notes = ([] if scale else [Note("critic_unscaled")]) + ([Note("critic_spearman")] if correlation == "spearman" else [])
    if not reverse_costs and "min" in dirs:
        notes.append(Note("critic_costs_as_given"))
    return _result(w / w.sum(), list(cols), "critic", notes)


CRITIC_CORRELATIONS = ("pearson", "spearman")


def _check_critic_settings(scale: Any, correlation: Any, reverse_costs: Any) -> None:
    if not isinstance(scale, (bool, np.bool_)):
        raise InputError(Message("weights.critic_bad_scale", got=repr(scale)))
    if not isinstance(reverse_costs, (bool, np.bool_)):
        raise InputError(Message("weights.critic_bad_reverse_costs", got=repr(reverse_costs)))
    if correlation not in CRITIC_CORRELATIONS:
        raise InputError(Message("weights.critic_bad_correlation", got=repr(correlation)))


def _kernel_critic(signed: np.ndarray, scale: bool, correlation: str) -> np.ndarray:
    """CRITIC information ``C_j = s_j * sum_k (1 - r_jk)`` of direction-signed columns (not normalised).

    ``s_j`` is the population standard deviation (``ddof=0``, numpy's default); the sample one
    (``ddof=1``, pymcdm's) differs by the same factor ``sqrt(m / (m - 1))`` in every column,
    which cancels in the weights, so either reproduces scikit-criteria's published values. Spearman's correlation is Pearson's on the average ranks
    (ties share their mean rank), as ``scipy.stats.spearmanr`` computes it.
    """
    x = signed
    if scale:
        x = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    s = x.std(axis=0, ddof=0)
    if correlation == "spearman":
        from scipy.stats import rankdata

        x = rankdata(x, axis=0)
    r = np.atleast_2d(np.corrcoef(x, rowvar=False))
    return s * (1.0 - r).sum(axis=0)


def critic_settings(section: Any) -> dict[str, Any] | None:
    """The CRITIC settings of a model's weights section (None unless it weights by CRITIC)."""
    if getattr(section, "method", None) != "critic":
        return None
    cs = section.critic
    return {"scale": cs.scale if cs else True, "correlation": cs.correlation if cs else "pearson",
            "reverse_costs": cs.reverse_costs if cs else True}


def critic_settings_text(settings: Mapping[str, Any], lang: str) -> str:
    """The CRITIC settings in words, e.g. ``min-max scaled; Pearson correlation; costs reversed``."""
    return "; ".join([
        i18n.t("weights.critic_scaled" if settings.get("scale", True) else "weights.critic_not_scaled", lang),
        i18n.t(f"weights.critic_{settings.get('correlation', 'pearson')}", lang),
        i18n.t("weights.critic_costs_reversed" if settings.get("reverse_costs", True) else "weights.critic_costs_given",
               lang),
    ])


def _directions(directions: Sequence[str], n: int, cols: pd.Index) -> list[str]:
    if isinstance(directions, str) or not isinstance(directions, Sequence):
        raise InputError(Message("input.weights_directions_not_a_list", directions=directions))
    dirs = list(directions)
    if len(dirs) != n:
        raise InputError(Message("input.weights_directions_wrong_count", expected=n, given=len(dirs)))
    bad = [f"directions[{k}] ({cols[k]!r}) = {d!r}" for k, d in enumerate(dirs) if d not in ("max", "min")]
    if bad:
        raise InputError(Message("input.weights_bad_directions", bad=", ".join(bad)))
    return dirs


# =========================================================================== model level
@dataclass(frozen=True, eq=False)
class ParticipantWeights:
    """One participant's AHP result: per sibling group (parent id, None = top level)."""

    name: str
    weight: float
    groups: Mapping[Hashable | None, Any]  # parent -> ahp.Priorities (of the completed matrix)
    estimated: Mapping[Hashable | None, tuple]  # parent -> pairs the completion estimated
    hints: Mapping[Hashable | None, tuple]  # parent -> ahp.Hint (only where CR > max_cr)

    @property
    def cr(self) -> dict:
        return {p: float(r.cr) for p, r in self.groups.items()}

    @property
    def max_cr(self) -> float:
        return max(self.cr.values(), default=0.0)


@dataclass(frozen=True, eq=False)
class Derivation:
    """Global leaf weights of a model with their provenance.

    ``weights`` are what the ranking uses (leaves, tree order, summing to 1); ``local``
    the weight of each criterion within its sibling group; for AHP, ``participants``,
    ``group`` (the group's priorities per sibling group, with CR for AIJ), ``consensus``
    per sibling group and the repair ``hints``.
    """

    weights: pd.Series
    method: str
    local: Mapping[Hashable | None, pd.Series]
    participants: tuple = ()
    group: Mapping[Hashable | None, Any] = field(default_factory=dict)
    consensus: Mapping[Hashable | None, Any] = field(default_factory=dict)
    ri_table: str | None = None
    max_cr: float | None = None
    aggregate: str | None = None
    notes: tuple = ()
    labels: Mapping[Hashable, str] = field(default_factory=dict)
    #: AHP priority method of every comparison matrix (``weights.ahp.method``); None otherwise
    priorities: str | None = None

    @property
    def cr(self) -> dict:
        """Group consistency ratio per sibling group (AIJ only; AIP has no group matrix)."""
        return {("top" if p is None else p): float(r.cr) for p, r in self.group.items() if r is not None}

    def hints(self, lang: str = "en") -> list[dict]:
        out = []
        for p in self.participants:
            for parent, hs in p.hints.items():
                for h in hs:
                    out.append({"participant": p.name, "group": "top" if parent is None else parent,
                                "a": h.a, "b": h.b, "current": h.current, "suggested": h.suggested,
                                "cr_before": h.cr_before, "cr_after": h.cr_after,
                                "text": h.text(lang, labels=self._labels(lang))})
        return out

    def _labels(self, lang: str) -> dict:
        """Criterion labels in ``lang`` (``labels`` maps language -> {id: label}, or id -> label)."""
        if lang in self.labels and isinstance(self.labels[lang], Mapping):
            return dict(self.labels[lang])
        return {k: v for k, v in self.labels.items() if not isinstance(v, Mapping)}

    def to_frame(self, lang: str = "en") -> pd.DataFrame:
        """One row per leaf criterion: label and global weight."""
        labels = self._labels(lang)
        return pd.DataFrame({"label": [labels.get(i, str(i)) for i in self.weights.index],
                             "weight": self.weights.to_numpy()}, index=pd.Index(self.weights.index, name="criterion"))

    def participants_frame(self) -> pd.DataFrame:
        """CR per participant and sibling group (rows participants, columns groups)."""
        rows = {p.name: {("top" if g is None else g): v for g, v in p.cr.items()} for p in self.participants}
        return pd.DataFrame.from_dict(rows, orient="index")

    def to_dict(self, lang: str = "en") -> dict:
        out: dict[str, Any] = {
            "method": self.method,
            "weights": {str(k): float(v) for k, v in self.weights.items()},
            "local": {("top" if p is None else str(p)): {str(k): float(v) for k, v in s.items()}
                      for p, s in self.local.items()},
            "notes": [n.text(lang) if hasattr(n, "text") else str(n) for n in self.notes],
        }
        if self.method == "ahp":
            out.update({
                "ri_table": self.ri_table,
                "priorities": self.priorities,
                "max_cr": self.max_cr,
                "aggregate": self.aggregate,
                "cr": self.cr,
                "participants": {p.name: {"weight": p.weight,
                                          "cr": {("top" if g is None else str(g)): v for g, v in p.cr.items()},
                                          "consistent": p.max_cr <= (self.max_cr or 0.1),
                                          "estimated": {("top" if g is None else str(g)): [list(e) for e in es]
                                                        for g, es in p.estimated.items() if es}}
                                 for p in self.participants},
                "consensus": {("top" if g is None else str(g)): {"value": float(c.value), "band": c.band,
                                                                 "distance": {str(k): float(v) for k, v in c.distance.items()}}
                              for g, c in self.consensus.items()},
                "hints": self.hints(lang),
            })
        return out

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(float_format=lambda x: f"{x:.4f}")


def _located(model: Any, loc: str, code: str, message: str):
    from decide.errors import ModelError, Problem

    file = model.path or "<model>"
    return ModelError([Problem(code, loc, message, None, file)], file)


def derive(model: Any, *, hints: bool = True) -> Derivation:
    """Global leaf weights of a decision model, with provenance.

    ``hints=False`` leaves out the AHP repair hints of inconsistent matrices (an optimisation
    per judgement; ``decide validate`` needs only whether the weights can be derived).

    Follows ``model.weights``: ``ahp`` (per participant and sibling group: judgements ->
    matrix -> optimal completion of skipped pairs -> priorities, CR and repair hints;
    group by AIJ or AIP; consensus), ``direct`` (leaf weights, or local weights per level),
    ``rank`` (rank-order weights), ``equal``, ``entropy`` or ``critic`` (from the scores of
    the options that pass the requirements).
    """
    from decide import ahp

    lang = model.language
    leaves = [c.id for c in model.leaves()]
    labels = {code: {c.id: c.name(code) for _, c in model.iter_criteria()} for code in ("nl", "en")}
    tree = model.tree()
    w = model.weights
    if not leaves:
        raise _located(model, "criteria", "no-criteria", "weights need criteria; this model has none")

    if w.method == "equal":
        r = equal(leaves)
        return Derivation(r.weights, "equal", {None: r.weights}, notes=r.notes, labels=labels)
    if w.method == "rank":
        r = rank_order(list(w.rank or []), method=w.rank_method)
        return Derivation(r.weights.reindex(leaves), f"rank ({w.rank_method})", {None: r.weights},
                          notes=r.notes, labels=labels)
    if w.method in ("entropy", "critic"):
        from decide.requirements import screen

        table = model.score_table()
        data = table.loc[list(screen(model, table).passed)]
        if w.method == "entropy":
            r = entropy(data)
        else:
            r = critic(data, model.directions(), **critic_settings(w))
        return Derivation(r.weights.reindex(leaves), w.method, {None: r.weights}, notes=r.notes, labels=labels)
    if w.method == "direct":
        given = dict(w.direct or {})
        if set(given) == set(leaves):
            r = direct(given)
            return Derivation(r.weights.reindex(leaves), "direct", {None: r.weights}, notes=r.notes, labels=labels)
        local, notes = {}, []
        for parent, kids in tree.items():
            if len(kids) == 1:
                local[parent] = pd.Series([1.0], index=kids)
                continue
            r = direct({k: given[k] for k in kids})
            local[parent] = r.weights
            notes.extend(r.notes)
        g = ahp.global_weights(tree, local)
        return Derivation(g.reindex(leaves), "direct", local, notes=tuple(notes), labels=labels)

    # ---------------------------------------------------------------- AHP
    sec = w.ahp
    parent_of = {c.id: p for p, c in model.iter_criteria()}
    people: list[ParticipantWeights] = []
    raw: dict[Hashable | None, dict[str, pd.DataFrame]] = {p: {} for p, kids in tree.items() if len(kids) > 1}
    pweights = {p.name: p.weight for p in sec.participants}
    for k, person in enumerate(sec.participants):
        by_group: dict[Hashable | None, list[tuple[int, list]]] = {}
        for j, jd in enumerate(person.judgments):
            by_group.setdefault(parent_of[jd[0]], []).append((j, jd))
        groups, estimated, repairs = {}, {}, {}
        for parent, items in by_group.items():
            kids = tree[parent]
            loc = f"weights.ahp.participants[{k}].judgments"
            try:
                m = ahp.matrix_from_judgments(kids, [jd for _, jd in items])
            except ahp.JudgmentsError as exc:
                i, code, msg = exc.problems[0]
                where = f"{loc}[{items[i][0]}]" if i is not None else loc
                raise _located(model, where, f"judgment-{code}", msg) from None
            raw[parent][person.name] = m
            try:
                comp = ahp.complete(m) if m.isna().to_numpy().any() else None
            except InputError as exc:
                raise _located(model, loc, "judgments-disconnected",
                               f"participant '{person.name}', criteria under {parent or 'the top level'}: {exc}") from None
            full = comp.matrix if comp is not None else m
            pri = ahp.priorities(full, method=sec.method, ri=sec.ri, max_cr=sec.max_cr)
            groups[parent] = pri
            estimated[parent] = tuple(comp.estimated) if comp is not None else ()
            if pri.cr > sec.max_cr and hints:
                repairs[parent] = tuple(ahp.repair_hints(full, method=sec.method, ri=sec.ri))
        people.append(ParticipantWeights(person.name, float(person.weight), groups, estimated, repairs))

    local, group, cons = {}, {}, {}
    for parent, kids in tree.items():
        if len(kids) == 1:
            local[parent] = pd.Series([1.0], index=kids)
            continue
        mats = raw.get(parent, {})
        if not mats:
            names = ", ".join(map(str, kids))
            raise _located(model, "weights.ahp.participants", "judgments-missing",
                           f"nobody compared the criteria under {parent or 'the top level'} ({names}); "
                           "add judgments for them to at least one participant")
        wts = {n: pweights[n] for n in mats}
        if sec.aggregate == "judgments":
            gm = ahp.aggregate(mats, how="judgments", weights=wts)
            if gm.isna().to_numpy().any():
                gm = ahp.complete(gm).matrix
            gp = ahp.priorities(gm, method=sec.method, ri=sec.ri, max_cr=sec.max_cr)
            group[parent] = gp
            local[parent] = gp.weights
        else:
            full = {p.name: (p.groups[parent].matrix) for p in people if parent in p.groups}
            local[parent] = ahp.aggregate(full, how="priorities", weights=wts, method=sec.method)
            group[parent] = None
        if len(mats) >= 2:
            full = {p.name: p.groups[parent].matrix for p in people if parent in p.groups}
            cons[parent] = ahp.consensus(full, weights=wts, method=sec.method)
    g = ahp.global_weights(tree, local)
    return Derivation(g.reindex(leaves), "ahp", local, tuple(people), group, cons, sec.ri, sec.max_cr,
                      sec.aggregate, labels=labels, priorities=sec.method)
