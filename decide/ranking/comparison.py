"""Several methods side by side: rank correlations, a consensus ranking, and whether the
winner depends on the method (:func:`compare`)."""
from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from decide.errors import InputError
from decide.ranking._util import average_ranks, error_msg, fmt_label, msg, plain, rank_values
from decide.ranking.base import Ranking, get_method, methods as registered
from decide.ranking.bound import bind
from decide.ranking.problem import _prepared

CONSENSUS = ("borda", "copeland")


@dataclass(frozen=True, eq=False)
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    methods : tuple of str
        The methods compared (those skipped are named in ``notes``).
    rankings : mapping method -> Ranking
    scores : DataFrame
        Options x methods, each method's own score (mind ``higher_is_better`` per method).
    ranks : DataFrame
        Options x methods, 1 = best, ties share the best rank.
    rw : DataFrame
        Weighted Spearman rank correlation between methods (Pinto da Costa & Soares 2005),
        symmetric, 1 = identical ranking; from :func:`pymcdm.correlations.weighted_spearman`.
    ws : DataFrame
        WS rank similarity coefficient (Salabun & Urbaniak 2020), asymmetric: row = reference
        ranking; weighs disagreements at the top more; from
        :func:`pymcdm.correlations.rank_similarity_coef`.
    consensus : Series of int
        Consensus rank of every option (1 = best) by ``consensus_method``.
    consensus_points : Series
        Borda points (sum over methods of m - average rank) or Copeland score (pairwise
        majority wins minus losses).
    consensus_method : {"borda", "copeland"}
    winners : mapping method -> list of labels
    winner_depends_on_method : bool
        True when not every method ranks the same option(s) first.
    notes : tuple of str
    """

    methods: tuple[str, ...]
    rankings: Mapping[str, Ranking]
    scores: pd.DataFrame
    ranks: pd.DataFrame
    rw: pd.DataFrame
    ws: pd.DataFrame
    consensus: pd.Series
    consensus_points: pd.Series
    consensus_method: str
    winners: Mapping[str, list]
    winner_depends_on_method: bool
    notes: tuple[str, ...]

    def winner_note(self, lang: str = "en", labels: Mapping[Any, str] | None = None,
                    method_names: Mapping[str, str] | None = None) -> str:
        """The sentence on which option each method puts first, with ``labels`` for the ids."""
        return _winner_note(dict(self.winners), lang, labels, method_names)[1]

    def to_frame(self) -> pd.DataFrame:
        """Ranks per method and the consensus rank, sorted by the consensus."""
        df = self.ranks.copy()
        df[f"consensus ({self.consensus_method})"] = self.consensus
        return df.iloc[np.argsort(self.consensus.to_numpy(), kind="stable")]

    def to_dict(self) -> dict:
        """JSON-friendly, keyed by option ids."""
        order = np.argsort(self.consensus.to_numpy(), kind="stable")
        rows = []
        for i in order:
            alt = self.ranks.index[i]
            rows.append({"id": plain(alt),
                         "ranks": {m: int(self.ranks.iat[i, k]) for k, m in enumerate(self.methods)},
                         "scores": {m: plain(self.scores.iat[i, k])
                                    for k, m in enumerate(self.methods)},
                         "consensus": int(self.consensus.iat[i])})
        return {
            "methods": list(self.methods),
            "params": {m: plain(dict(r.params)) for m, r in self.rankings.items()},
            "ranking": rows,
            "correlations": {"rw": plain(self.rw.to_dict()), "ws": plain(self.ws.to_dict())},
            "consensus_method": self.consensus_method,
            "winners": {m: [plain(x) for x in w] for m, w in self.winners.items()},
            "winner_depends_on_method": bool(self.winner_depends_on_method),
            "notes": list(self.notes),
        }

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return (self.to_frame().to_html() + "<p>rw (weighted Spearman)</p>"
                + self.rw.round(3).to_html() + (f"<ul>{notes}</ul>" if notes else ""))


def _copeland(R: np.ndarray) -> np.ndarray:
    """Copeland score per option: pairwise majority wins minus losses over the methods."""
    m, k = R.shape
    score = np.zeros(m)
    rows = max(1, 2_000_000 // max(m * k, 1))
    for a0 in range(0, m, rows):
        a1 = min(m, a0 + rows)
        better = (R[a0:a1, None, :] < R[None, :, :]).sum(axis=2)
        worse = (R[a0:a1, None, :] > R[None, :, :]).sum(axis=2)
        score[a0:a1] = np.sign(better - worse).sum(axis=1)
    return score


def _winner_note(winners: dict, lang: str, labels: Mapping[Any, str] | None = None,
                 method_names: Mapping[str, str] | None = None) -> tuple[bool, str]:
    """Whether the winner depends on the method, and the sentence that says so.

    ``labels`` maps option ids to the names a reader knows; without it ids are quoted.
    ``method_names`` maps method ids to their display names.
    """
    groups: dict[tuple, list[str]] = {}
    for name, w in winners.items():
        groups.setdefault(tuple(w), []).append((method_names or {}).get(name, name))
    def show(w):
        if labels is not None:
            return " & ".join(str(labels.get(x, x)) for x in w)
        return " & ".join(fmt_label(x) for x in w)
    if len(groups) == 1:
        return False, msg("winner_same", lang, winner=show(next(iter(groups))))
    picks = []
    for w, names in groups.items():
        key = "winner_pick" if len(names) == 1 else "winner_picks_plural"
        picks.append(msg(key, lang, methods=", ".join(names), winner=show(w)))
    return True, msg("winner_differs", lang, picks="; ".join(picks))


def compare(matrix: Any, weights: Any = None, directions: Any = None,
            methods: list[str] | tuple[str, ...] | None = None, *, consensus: str = "borda",
            lang: str = "en", **per_method_params: Mapping[str, Any]) -> Comparison:
    """Rank with several methods and compare the rankings.

    Parameters
    ----------
    matrix, weights, directions
        As for :func:`decide.ranking.prepare` (or a :class:`Prepared` problem).
    methods : list of str, optional
        Methods to compare; default every registered method. With the default, a method that
        cannot work on this data (e.g. WPM with a zero value) is skipped with a note; a method
        asked for explicitly raises instead.
    consensus : {"borda", "copeland"}
        Consensus rule. Borda: every method gives an option m - (average rank) points.
        Copeland: an option scores +1 for every other option a majority of methods rank it
        above, -1 for every one ranked above it.
    lang : {"en", "nl"}
    **per_method_params
        Parameters per method: ``topsis={"normalization": "minmax"}``.

    Returns
    -------
    Comparison

    Examples
    --------
    Opricovic & Tzeng's (2004) example, where TOPSIS and VIKOR disagree:

    >>> c = compare([[1, 3000], [2, 3750], [5, 4500]], [0.5, 0.5], ["min", "max"],
    ...             ["topsis", "vikor"])
    >>> c.winners["topsis"], c.winners["vikor"], c.winner_depends_on_method
    ([0], [1], True)
    """
    if consensus not in CONSENSUS:
        raise InputError(error_msg("compare_consensus", lang, got=consensus))
    if isinstance(methods, str):
        methods = [methods]
    explicit = methods is not None
    names = [get_method(m, lang=lang).name for m in (methods if explicit else registered())]
    names = list(dict.fromkeys(names))
    unknown = [k for k in per_method_params if k not in names]
    if unknown:
        raise InputError(error_msg("compare_unknown_params", lang, known=", ".join(names),
                             names=", ".join(unknown)))
    for k, v in per_method_params.items():
        if not isinstance(v, Mapping):
            raise InputError(error_msg("compare_params_not_dict", lang, method=k, got=repr(v)[:60]))
    prep = _prepared(matrix, weights, directions, lang)

    rankings: dict[str, Ranking] = {}
    notes: list[str] = list(prep.notes)
    skipped = []
    for name in names:
        try:
            r = bind(prep, method=name, lang=lang, **dict(per_method_params.get(name, {}))).rank()
        except InputError as exc:
            if explicit:
                raise
            skipped.append(name)
            notes.append(msg("compare_skipped", lang, method=name, reason=str(exc)))
            continue
        rankings[name] = r
        notes.extend(n for n in r.notes if n not in notes)
    if not rankings:
        raise InputError(error_msg("compare_too_few", lang, skipped=", ".join(skipped)))

    done = tuple(rankings)
    alts = prep.alternatives
    m = len(alts)
    S = np.column_stack([rankings[k].score_values for k in done])
    R = np.column_stack([rankings[k].rank_values for k in done])
    A = np.column_stack([average_ranks(R[:, k]) for k in range(len(done))])
    # pymcdm's package import pulls in matplotlib's pyplot: import it where it is used, not at start-up
    from pymcdm import correlations  # noqa: PLC0415

    k = len(done)
    rw = np.ones((k, k))
    ws = np.ones((k, k))
    for i in range(k):
        for j in range(k):
            if i != j:
                rw[i, j] = correlations.weighted_spearman(A[:, i], A[:, j])
                ws[i, j] = correlations.rank_similarity_coef(A[:, i], A[:, j])
    if consensus == "borda":
        points = (m - A).sum(axis=1)
    else:
        points = _copeland(R)
    notes.append(msg(f"consensus_{consensus}", lang))
    winners = {name: [plain(x) for x in rankings[name].winners] for name in done}
    depends, note = _winner_note(winners, lang)
    notes.append(note)
    cols = pd.Index(done, name="method")
    return Comparison(
        methods=done,
        rankings=MappingProxyType(rankings),
        scores=pd.DataFrame(S, index=alts, columns=cols),
        ranks=pd.DataFrame(R, index=alts, columns=cols),
        rw=pd.DataFrame(rw, index=cols, columns=cols),
        ws=pd.DataFrame(ws, index=cols, columns=cols),
        consensus=pd.Series(rank_values(points, True), index=alts, name="consensus"),
        consensus_points=pd.Series(points, index=alts, name=consensus),
        consensus_method=consensus,
        winners=MappingProxyType(winners),
        winner_depends_on_method=depends,
        notes=tuple(notes),
    )
