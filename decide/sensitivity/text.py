"""How robust is the winner, in one sentence (Dutch or English).

"the suite stays first while the weight of cost lies in 0.18-0.41; it is first in 62% of weight
samples". The library returns the text; the CLI, notebooks and reports show it.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from decide.i18n import fmt_number, fmt_pct, t

from decide.sensitivity.smaa import SMAA
from decide.sensitivity.stability import CriterionStability, Stability


def _name(x: Any, labels: Mapping | None, lang: str) -> str:
    if labels and x in labels:
        v = labels[x]
        if isinstance(v, Mapping):
            return str(v.get(lang) or next(iter(v.values())))
        return str(v)
    return str(x)


def most_sensitive(stability: Stability) -> CriterionStability | None:
    """The criterion whose weight is closest to a change of winner (None if no change exists)."""
    best, dist = None, np.inf
    for c in stability.criteria:
        d = min(c.weight - c.top_low if c.top_taker_low is not None else np.inf,
                c.top_high - c.weight if c.top_taker_high is not None else np.inf)
        if d < dist:
            best, dist = c, d
    return best


def robustness_text(stability: Stability | None = None, smaa: SMAA | None = None,
                    lang: str = "nl", labels: Mapping | None = None, decimals: int = 2) -> str:
    """One sentence on how robust the winner is.

    Parameters
    ----------
    stability : Stability, optional
        Gives the weight interval of the most sensitive criterion (the one whose weight is
        closest to a change of winner).
    smaa : SMAA, optional
        Gives the share of samples in which the winner is first.
    lang : {"nl", "en"}
    labels : mapping, optional
        Display names by id, for options and criteria (a string or ``{nl:, en:}`` each).
    decimals : int
        Decimals of the weights.

    Returns
    -------
    str

    Examples
    --------
    >>> import pandas as pd
    >>> from decide.sensitivity import smaa, stability
    >>> X = pd.DataFrame([[0.8, 0.2], [0.3, 0.5]], index=["suite", "modular"],
    ...                  columns=["cost", "quality"])
    >>> s = stability(X, [0.6, 0.4], ["max", "max"], method="wsm", normalization="none")
    >>> r = smaa(X, ["max", "max"], method="wsm", normalization="none", samples=4000)
    >>> robustness_text(s, r, "en")
    'suite stays first while the weight of cost lies in 38%-100%; it is first in 62% of weight samples'
    >>> robustness_text(s, r, "nl", labels={"suite": "de suite", "cost": "kosten"})
    'de suite blijft eerste zolang het gewicht van kosten tussen 38 % en 100 % ligt; het is eerste bij 62 % van de getrokken gewichten'
    """
    if stability is None and smaa is None:
        raise ValueError("robustness_text needs a Stability, an SMAA result or both")
    num = lambda x: fmt_number(x, lang, decimals)  # noqa: E731
    parts = []
    if stability is not None:
        top = stability.top
        if len(top) > 1:
            names = [_name(x, labels, lang) for x in top]
            return t("sensitivity.tied_first", lang,
                     options=", ".join(names[:-1]) + f" {t('sensitivity.and', lang)} " + names[-1])
        winner = top[0]
        option = _name(winner, labels, lang)
        c = most_sensitive(stability)
        if c is None:
            parts.append(t("sensitivity.stays_first_always", lang, option=option))
        else:
            parts.append(t("sensitivity.stays_first", lang, option=option,
                           criterion=_name(c.criterion, labels, lang),
                           low=fmt_pct(c.top_low, lang), high=fmt_pct(c.top_high, lang)))
    if smaa is not None:
        if stability is not None:
            winner = stability.top[0]
            share = float(smaa.first.get(winner, np.nan))
            key = "first_share_scores" if smaa.scores else "first_share"
            parts.append(t(f"sensitivity.{key}", lang, pct=fmt_pct(share, lang)))
        else:
            winner = smaa.first.idxmax()
            key = "smaa_only_scores" if smaa.scores else "smaa_only"
            parts.append(t(f"sensitivity.{key}", lang, option=_name(winner, labels, lang),
                           pct=fmt_pct(float(smaa.first[winner]), lang)))
    return "; ".join(parts)


#: The name the brief uses.
summarise = robustness_text
