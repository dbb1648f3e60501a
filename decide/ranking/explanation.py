"""Why an option ranks where it does: per-criterion contributions, dominance, and the criteria
that decide between the top two (:func:`explain`)."""
from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from decide.ranking._util import fmt_label, label, msg, plain
from decide.ranking.base import Ranking
from decide.ranking.bound import bind

#: At most this many pairwise comparisons (x criteria) are held in memory at once.
BLOCK_ELEMENTS = 2_000_000


def dominance_pairs(X: np.ndarray, types: np.ndarray) -> np.ndarray:
    """Pairs (a, b) of positions where option a dominates option b.

    a dominates b when a is at least as good as b on every criterion and strictly better on at
    least one, respecting the directions. Computed by blocks of rows.

    Returns
    -------
    ndarray of int (k, 2)
    """
    m, n = X.shape
    D = X * types
    rows = max(1, BLOCK_ELEMENTS // max(m * n, 1))
    found = []
    for a0 in range(0, m, rows):
        a1 = min(m, a0 + rows)
        A = D[a0:a1, None, :]
        geq = (A >= D[None, :, :]).all(axis=2)
        gt = (A > D[None, :, :]).any(axis=2)
        ia, ib = np.nonzero(geq & gt)
        found.append(np.column_stack([ia + a0, ib]))
    return np.concatenate(found) if found else np.zeros((0, 2), dtype=int)


def unit_scores(scores: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """A method's scores on 0..1 with 1 best, for drawing.

    Scores that already lie in 0..1 with higher better (TOPSIS closeness, WSM on
    max-normalised values, AHP priorities) are kept; others (VIKOR's Q, PROMETHEE's net flow,
    SPOTIS) are rescaled linearly so that the best option scores 1 and the worst 0.
    """
    s = np.asarray(scores, dtype=float)
    if not higher_is_better:
        s = -s
    if s.size == 0:
        return s
    lo, hi = float(s.min()), float(s.max())
    if higher_is_better and lo >= 0.0 and hi <= 1.0:
        return s
    return (s - lo) / (hi - lo) if hi > lo else np.ones_like(s)


def score_shares(bound: Any, w: Any = None, scores: Any = None) -> np.ndarray:
    """Each option's score on 0..1 (:func:`unit_scores`, 1 = best) split over the criteria.

    The split is in proportion to weight x min-max normalised value (1 = the best option on
    that criterion, 0 = the worst), so a bar drawn from a row has the length of the method's
    score and shows which criteria carry it. It reads the same for every method (TOPSIS and
    VIKOR have no additive decomposition of their score; :attr:`Explanation.contributions`
    holds each method's exact terms). This is the decomposition the report's ranking chart
    and the workshop's contribution bars draw.

    Parameters
    ----------
    bound : BoundMethod
    w : array, optional
        Weights (default: the bound problem's).
    scores : array, optional
        The method's scores under ``w`` (computed when not given).

    Returns
    -------
    ndarray (m, n)
        Rows sum to the unit scores (0 where an option is worst on every criterion).
    """
    w = bound.w if w is None else np.asarray(w, dtype=float)
    scores = bound.kernel(w) if scores is None else np.asarray(scores, dtype=float)
    X = bound.X
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        norm = np.where(bound.types > 0, X - lo, hi - X) / np.where(span > 0, span, np.nan)
    part = np.nan_to_num(norm, nan=0.0) * w
    total = part.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, part / np.where(total > 0, total, 1.0), 0.0)
    return share * unit_scores(scores, bound.higher_is_better)[:, None]


@dataclass(frozen=True, eq=False)
class Explanation:
    """The result of :func:`explain`.

    Attributes
    ----------
    ranking : Ranking
    contributions : DataFrame
        Options x criteria; larger helps the option. What they add up to is said by
        ``contribution_kind`` (and ``exact``): exactly the score for WSM and AHP (w_j times
        the normalised value), the net flow for PROMETHEE II, ln(score) for WPM, -score for
        SPOTIS, -S for VIKOR, D-² - D+² for TOPSIS; an approximation otherwise.
    exact : bool
    contribution_kind : str
        Human-readable statement of what the contributions decompose.
    terms : dict of DataFrame
        Further per-criterion tables (TOPSIS: ``d_plus_sq``, ``d_minus_sq``, the squared
        per-criterion terms of the distances to the ideal and anti-ideal).
    dominance : DataFrame
        Columns ``dominant``, ``dominated``: every pair where one option dominates another.
    dominated : Series of bool
        Whether an option is dominated by some other option.
    violations : DataFrame
        Dominance pairs that the ranking does not respect (the dominated option ranked
        strictly better). Empty for every built-in method with default parameters.
    top_two : tuple
        Labels of the two best-ranked options.
    decisive : Series
        Per criterion, contribution of the first minus that of the second of ``top_two``,
        sorted by absolute size: positive favours the first.
    notes : tuple of str
    shares : DataFrame
        Options x criteria: the score on 0..1 split by weight x normalised value
        (:func:`score_shares`), what the charts draw; ``shares_kind`` says so in words.
    shares_kind : str
    """

    ranking: Ranking
    contributions: pd.DataFrame
    exact: bool
    contribution_kind: str
    terms: dict
    dominance: pd.DataFrame
    dominated: pd.Series
    violations: pd.DataFrame
    top_two: tuple
    decisive: pd.Series
    notes: tuple[str, ...]
    shares: pd.DataFrame
    shares_kind: str

    def to_frame(self) -> pd.DataFrame:
        """Best first: the contributions per criterion (column group ``contribution``) next to
        their total, the score, the rank and the dominance flag (group ``result``)."""
        result = pd.DataFrame({"total": self.contributions.sum(axis=1),
                               "score": self.ranking.score_values,
                               "rank": self.ranking.rank_values,
                               "dominated": self.dominated}, index=self.contributions.index)
        df = pd.concat({"contribution": self.contributions, "result": result}, axis=1)
        return df.iloc[np.argsort(self.ranking.rank_values, kind="stable")]

    def to_dict(self) -> dict:
        """JSON-friendly, keyed by option and criterion ids."""
        return {
            "method": self.ranking.method,
            "params": plain(dict(self.ranking.params)),
            "contribution_kind": self.contribution_kind,
            "exact": bool(self.exact),
            "contributions": {str(plain(a)): {str(plain(c)): plain(v) for c, v in row.items()}
                              for a, row in self.contributions.iterrows()},
            "dominance": [{"dominant": plain(a), "dominated": plain(b)}
                          for a, b in self.dominance.itertuples(index=False)],
            "top_two": [plain(x) for x in self.top_two],
            "decisive": [{"criterion": plain(c), "difference": plain(v)}
                         for c, v in self.decisive.items()],
            "notes": list(self.notes),
        }

    def _repr_html_(self) -> str:
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return self.to_frame().to_html() + (f"<ul>{notes}</ul>" if notes else "")


def explain(matrix: Any, weights: Any = None, directions: Any = None, method: str = "topsis", *,
            lang: str = "en", **params: Any) -> Explanation:
    """Explain a ranking: contributions per criterion, dominance, and what decides the top two.

    Parameters
    ----------
    matrix, weights, directions
        As for :func:`decide.ranking.prepare` (or a :class:`Prepared` problem).
    method : str
        A registered method; its parameters follow as keywords.
    lang : {"en", "nl"}

    Returns
    -------
    Explanation

    Examples
    --------
    >>> e = explain([[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]],
    ...             [0.20, 0.15, 0.40, 0.25], ["max"] * 4, "wsm", normalization="none")
    >>> e.contributions.sum(axis=1).round(2).tolist()
    [21.5, 22.0, 22.0]
    """
    bm = bind(matrix, weights, directions, method, lang=lang, **params)
    prep = bm.prep
    ranking = bm.rank()
    con = bm.contributions()
    alts, crit = prep.alternatives, prep.criteria
    contributions = pd.DataFrame(con.values, index=alts, columns=crit)
    terms = {k: label(kind, v, alts, crit, k) for k, (kind, v) in con.terms.items()}

    pairs = dominance_pairs(prep.X, prep.types)
    dominance = pd.DataFrame({"dominant": alts[pairs[:, 0]], "dominated": alts[pairs[:, 1]]})
    dominated_mask = np.zeros(len(alts), dtype=bool)
    dominated_mask[pairs[:, 1]] = True
    ranks = ranking.rank_values
    bad = ranks[pairs[:, 1]] < ranks[pairs[:, 0]]
    violations = dominance[bad].reset_index(drop=True)

    order = np.argsort(ranks, kind="stable")
    first, second = order[0], order[1]
    diff = con.values[first] - con.values[second]
    sort = np.argsort(-np.abs(diff), kind="stable")
    decisive = pd.Series(diff[sort], index=crit[sort], name="difference")

    notes = list(ranking.notes)
    notes.append(msg(con.kind, lang))
    if pairs.size == 0:
        notes.append(msg("no_dominance", lang))
    else:
        for b in np.flatnonzero(dominated_mask)[:5]:
            by = alts[pairs[pairs[:, 1] == b, 0]]
            notes.append(msg("dominated_note", lang, dominated=fmt_label(alts[b]),
                             by=", ".join(fmt_label(x) for x in by)))
    if ranks[first] == ranks[second]:
        notes.append(msg("tied_top", lang, first=fmt_label(alts[first]),
                         second=fmt_label(alts[second])))
    else:
        favour = [fmt_label(crit[j]) for j in sort if diff[j] > 0][:3]
        if favour:
            notes.append(msg("decisive_note", lang, first=fmt_label(alts[first]),
                             second=fmt_label(alts[second]), criteria=", ".join(favour)))
    return Explanation(
        ranking=ranking, contributions=contributions, exact=con.exact,
        contribution_kind=msg(con.kind, lang), terms=terms, dominance=dominance,
        dominated=pd.Series(dominated_mask, index=alts, name="dominated"),
        violations=violations, top_two=(plain(alts[first]), plain(alts[second])),
        decisive=decisive, notes=tuple(notes),
        shares=pd.DataFrame(score_shares(bm, scores=ranking.score_values), index=alts, columns=crit),
        shares_kind=msg("contrib_shares", lang))
