"""Rank-reversal probes: does the order of the other options depend on an irrelevant option?

Two probes per method (Belton & Gear 1983; Wang & Luo 2009, "On rank reversal in decision
analysis", Mathematical and Computer Modelling 49(5-6):1221-1229):

* **remove** each option in turn and re-rank the rest;
* **add a dominated copy**: a copy of the last-ranked option made slightly worse on every
  criterion (by ``worsen`` of the criterion's range), which should change nothing but land last.

A probe reverses when two of the original options change their strict order; the evidence is
the list of such pairs. Methods that normalise by the set of options (TOPSIS, AHP's
distributive mode, PROMETHEE II, VIKOR, min-max WSM) can reverse; this module reports what it
observes on the given data, and names the literature where the reversal is known.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd

from decide import ranking
from decide.errors import InputError, Message
from decide.i18n import t
from decide.sensitivity import _common as C

#: Methods whose rank reversals are documented in the literature.
KNOWN_REVERSAL = {
    "topsis": "García-Cascales & Lamata (2012), Mathematical and Computer Modelling 56(5-6):123-132",
    "ahp": "Belton & Gear (1983), Omega 11(3):228-230",
    "promethee_ii": "De Keyser & Peeters (1996), EJOR 89(3):457-461",
    "vikor": "Mufazzal & Muzakkir (2018), Computers & Industrial Engineering 119:427-438",
}


@dataclass(frozen=True)
class Probe:
    """One probe: ``kind`` is ``"remove"`` or ``"add_dominated"``; ``option`` the option
    removed or copied; ``swaps`` the pairs ``(was_ahead, now_ahead)`` among the original
    options; ``copy_rank`` the rank of the dominated copy (``add_dominated`` only)."""

    kind: str
    option: Any
    swaps: tuple = ()
    copy_rank: int | None = None
    copy_last: bool | None = None
    error: str | None = None

    @property
    def reversed(self) -> bool:
        return bool(self.swaps)


@dataclass(frozen=True)
class MethodReversal:
    """The probes of one method. ``known`` cites the literature where the method is known to
    reverse (the summary mentions it only when a probe reversed); ``error`` says why the
    method could not be probed on this data."""

    method: str
    probes: tuple[Probe, ...] = ()
    known: str | None = None
    error: str | None = None

    @property
    def reverses(self) -> bool:
        return any(p.reversed for p in self.probes)


@dataclass(frozen=True)
class RankReversal:
    """The result of :func:`rank_reversal`: one :class:`MethodReversal` per method."""

    methods: tuple[MethodReversal, ...]
    worsen: float

    def __getitem__(self, method: str) -> MethodReversal:
        for r in self.methods:
            if r.method == method:
                return r
        raise KeyError(method)

    @property
    def reversing(self) -> list[str]:
        """Methods that reversed in at least one probe."""
        return [r.method for r in self.methods if r.reverses]

    def to_frame(self) -> pd.DataFrame:
        """One row per probe: method, probe, option, reversed, swaps, copy_rank, copy_last,
        known (literature), error."""
        rows = []
        for r in self.methods:
            if r.error:
                rows.append({"method": r.method, "probe": None, "option": None, "reversed": None,
                             "swaps": [], "copy_rank": None, "copy_last": None,
                             "known": r.known, "error": r.error})
            for p in r.probes:
                rows.append({"method": r.method, "probe": p.kind, "option": p.option,
                             "reversed": p.reversed, "swaps": [list(s) for s in p.swaps],
                             "copy_rank": p.copy_rank, "copy_last": p.copy_last,
                             "known": r.known, "error": p.error})
        return pd.DataFrame(rows, columns=["method", "probe", "option", "reversed", "swaps",
                                           "copy_rank", "copy_last", "known", "error"])

    def to_dict(self) -> dict:
        out = {}
        for r in self.methods:
            out[r.method] = {
                "reverses": r.reverses,
                "known": r.known,
                "error": r.error,
                "probes": [{"kind": p.kind, "option": C.plain(p.option), "reversed": p.reversed,
                            "swaps": [[C.plain(a), C.plain(b)] for a, b in p.swaps],
                            "copy_rank": p.copy_rank, "copy_last": p.copy_last,
                            "error": p.error} for p in r.probes],
            }
        return {"worsen": self.worsen, "methods": out}

    def summary(self, lang: str = "en", labels: Any = None) -> list[str]:
        """One sentence per method, with the evidence of the first reversal found.

        ``labels`` maps option ids to the names shown (default: the ids).
        """
        name = (lambda x: str(labels.get(x, x))) if labels is not None else str  # noqa: E731
        lines = []
        for r in self.methods:
            if r.error:
                lines.append(t("sensitivity.reversal_error", lang, method=r.method, error=r.error))
                continue
            hit = next((p for p in r.probes if p.reversed), None)
            if hit is None:
                lines.append(t("sensitivity.reversal_none", lang, method=r.method,
                               probes=len(r.probes)))
                continue
            a, b = hit.swaps[0]
            key = "reversal_remove" if hit.kind == "remove" else "reversal_add"
            text = t(f"sensitivity.{key}", lang, method=r.method, option=name(hit.option), a=name(a), b=name(b))
            if r.known:
                text += " " + t("sensitivity.reversal_known", lang, ref=r.known)
            lines.append(text)
        return lines

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s)}</li>" for s in self.summary())
        return f"<p><b>Rank-reversal probes</b></p><ul>{items}</ul>"


def _strict_swaps(before: np.ndarray, after: np.ndarray, labels: list) -> tuple:
    """Pairs that were strictly ordered one way and are strictly ordered the other way now."""
    out = []
    k = len(before)
    for i in range(k):
        for j in range(k):
            if before[i] < before[j] and after[i] > after[j]:
                out.append((C.plain(labels[i]), C.plain(labels[j])))
    return tuple(out)


def _worse_copy(X: np.ndarray, types: np.ndarray, row: int, worsen: float) -> np.ndarray:
    """A copy of ``X[row]`` worse on every criterion by ``worsen`` of the column's range."""
    x = X[row].copy()
    spread = X.max(axis=0) - X.min(axis=0)
    spread = np.where(spread > 0, spread, np.where(np.abs(x) > 0, np.abs(x), 1.0))
    delta = worsen * spread
    out = np.where(types > 0, x - delta, x + delta)
    positive = (X > 0).all(axis=0)
    # keep positive columns positive (methods with ratios or powers need it)
    fix = positive & (types > 0) & (out <= 0)
    out = np.where(fix, x * (1.0 - worsen), out)
    return out


def _copy_label(labels: pd.Index, option: Any) -> Any:
    if isinstance(labels, pd.RangeIndex) or all(isinstance(x, (int, np.integer)) for x in labels):
        return int(max(labels)) + 1
    base = f"{option} (dominated copy)"
    name, k = base, 2
    while name in labels:
        name, k = f"{base} {k}", k + 1
    return name


def _method_params(name: str, adapter: Any, params: dict, per_method: Mapping) -> dict:
    keys = set(getattr(adapter, "defaults", {}) or {})
    out = {k: v for k, v in params.items() if k in keys}
    out.update(per_method.get(name, {}))
    return out


def _probe_method(name: str, matrix: Any, weights: Any, directions: Any, params: dict,
                  worsen: float) -> MethodReversal:
    known = KNOWN_REVERSAL.get(name)
    try:
        ctx = C.context(matrix, weights, directions, name, params)
    except InputError as exc:
        return MethodReversal(name, (), known, str(exc))
    labels = ctx.alternatives
    X, w, types = ctx.X, ctx.w, ctx.types
    base = ctx.ranks(ctx.kernel(w))

    def ranks_of(Xn: np.ndarray, labs: pd.Index) -> np.ndarray:
        frame = pd.DataFrame(Xn, index=labs, columns=ctx.criteria)
        c2 = C.context(frame, w, types, name, params)
        return c2.ranks(c2.kernel(c2.w))

    probes = []
    m = ctx.m
    if m >= 3:
        for i in range(m):
            keep = np.delete(np.arange(m), i)
            try:
                after = ranks_of(X[keep], labels[keep])
            except InputError as exc:
                probes.append(Probe("remove", C.plain(labels[i]), error=str(exc)))
                continue
            probes.append(Probe("remove", C.plain(labels[i]),
                                _strict_swaps(base[keep], after, list(labels[keep]))))
    worst = int(np.flatnonzero(base == base.max())[0])
    copy = _worse_copy(X, types, worst, worsen)
    lab = _copy_label(labels, labels[worst])
    try:
        after = ranks_of(np.vstack([X, copy]), labels.append(pd.Index([lab])))
        probes.append(Probe("add_dominated", C.plain(labels[worst]),
                            _strict_swaps(base, after[:m], list(labels)),
                            copy_rank=int(after[m]),
                            copy_last=bool(after[m] == after.max() and (after == after[m]).sum() == 1)))
    except InputError as exc:
        probes.append(Probe("add_dominated", C.plain(labels[worst]), error=str(exc)))
    return MethodReversal(name, tuple(probes), known)


def rank_reversal(matrix: Any, weights: Any, directions: Any, methods: Any = None,
                  worsen: float = 0.05, method_params: Mapping[str, Mapping] | None = None,
                  **params: Any) -> RankReversal:
    """Probe every method for rank reversal on this problem.

    Parameters
    ----------
    matrix, weights, directions
        As for :func:`decide.ranking.rank`.
    methods : sequence of str, optional
        Methods to probe (default: every registered method).
    worsen : float
        How much worse the dominated copy is, as a fraction of each criterion's range.
    method_params : mapping, optional
        ``{method: {param: value}}``.
    **params
        Parameters passed to every method that has them (e.g. ``normalization``).

    Returns
    -------
    RankReversal
        Per method the probes with the swapped pairs as evidence; ``known`` cites the
        literature for methods that reversed and are known to (TOPSIS, AHP, PROMETHEE II,
        VIKOR). A method that cannot handle the data is reported with its error.
    """
    names = list(ranking.methods()) if methods is None else [methods] if isinstance(methods, str) \
        else list(methods)
    if not (0 < float(worsen) < 1):
        raise InputError(Message("input.reversal_worsen_out_of_range", worsen=worsen))
    per_method = dict(method_params or {})
    adapters = {n: ranking.get_method(n) for n in names}
    if params:
        used = set().union(*(set(getattr(a, "defaults", {}) or {}) for a in adapters.values()))
        unused = sorted(set(params) - used)
        if unused:
            raise InputError(
                Message("input.reversal_params_unused", names=names, unused=unused)
            )
    out = []
    for n in names:
        a = adapters[n]
        p = _method_params(getattr(a, "name", n), a, params, per_method)
        out.append(_probe_method(getattr(a, "name", n), matrix, weights, directions, p, float(worsen)))
    return RankReversal(tuple(out), float(worsen))
