"""How robust is the ranking: method comparison, weight stability intervals and SMAA-2.

Views for notebook 2. Each takes the model and, optionally, the weights a workshop set with
the sliders (:class:`decide.workshop.WeightPanel`), ranks the options with them
(:func:`decide.analysis.rank_model`) and shows the library's results with option and
criterion names in the model's language:

* :func:`comparison_view` -- the rank of every option under every ranking method, the
  consensus rank and whether the winner depends on the method;
* :func:`stability_view` -- per criterion the weight interval in which the winner stays first
  (and the whole ranking stays the same), with who takes over beyond it;
* :class:`RobustnessPanel` -- stability and SMAA-2 (the acceptability heat map) for the
  sliders' current weights, recomputed when the sliders come to rest (and with a button).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide import i18n
from decide.errors import DecideError
from decide.model import DecisionModel
from decide.workshop import _html as H
from decide.workshop.charts import acceptability_chart, stability_chart
from decide.workshop.live import Debounced, follow, on_change

__all__ = ["RobustnessPanel", "comparison_view", "robustness", "robustness_panel", "stability_view"]


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"workshop.{key}", lang, **kw)


def _weights_of(weights: Any) -> Optional[pd.Series]:
    if weights is None:
        return None
    w = getattr(weights, "weights", weights)  # a WeightPanel, a Derivation or a Series
    return pd.Series(w, dtype=float)


def _labels(model: DecisionModel, lang: str) -> dict[str, str]:
    out = {a.id: a.name(lang) for a in model.alternatives}
    out.update({c.id: c.name(lang) for _, c in model.iter_criteria()})
    return out


def robustness(model: DecisionModel, weights: Any = None, *, samples: Optional[int] = None,
               seed: Optional[int] = None, method: Optional[str] = None):
    """Stability intervals and SMAA-2 for the model ranked with ``weights``.

    Parameters
    ----------
    model : DecisionModel
    weights : Series, mapping, WeightPanel or Derivation, optional
        Leaf weights (default: the model's).
    samples, seed : int, optional
        SMAA samples and seed (default: the model's ``sensitivity`` section; 0 skips SMAA).
    method : str, optional
        Ranking method (default: the model's).

    Returns
    -------
    decide.analysis.ModelSensitivity
    """
    from decide.analysis import rank_model, sensitivity_model

    ranked = rank_model(model, method, weights=_weights_of(weights))
    return sensitivity_model(model, ranked, samples=samples, seed=seed)


def comparison_view(model: DecisionModel, weights: Any = None, *, lang: Optional[str] = None,
                    methods: Optional[list[str]] = None) -> H.HTMLView:
    """Ranks per method, side by side, with the consensus and whether the winner depends on the method.

    With a :class:`~decide.workshop.sliders.WeightPanel` as ``weights`` the view follows its
    sliders and method live (a :class:`decide.workshop.live.LiveView`).

    Returns
    -------
    HTMLView
        ``.data`` is the :class:`decide.ranking.Comparison`.
    """
    return follow(lambda w: _comparison(model, w, lang, methods), weights)


def _comparison(model: DecisionModel, weights: Any, lang: Optional[str], methods) -> tuple[str, Any]:
    from decide.analysis import compare_ranking, rank_model

    lang = lang or model.language
    labels = _labels(model, lang)
    ranked = rank_model(model, weights=_weights_of(weights))
    comp = compare_ranking(ranked, methods, lang=lang)
    from decide.ranking import get_method

    titles = [get_method(m).title or m for m in comp.methods]
    order = np.argsort(comp.consensus.to_numpy(), kind="stable")
    rows = []
    for i in order:
        opt = comp.ranks.index[i]
        cells = []
        for k in range(len(comp.methods)):
            r = int(comp.ranks.iat[i, k])
            style = "font-weight:bold;color:#1f5f8b" if r == 1 else ""
            cells.append(f"<span style='{style}'>{r}</span>")
        rows.append([H.esc(labels.get(str(opt), str(opt)))] + cells + [f"<b>{int(comp.consensus.iat[i])}</b>"])
    headers = [_t("option", lang)] + titles + [_t("consensus_rank", lang)]
    parts = [H.heading(_t("comparison_heading", lang)),
             H.table(headers, rows, ["left"] + ["center"] * (len(headers) - 1))]
    winners = {m: [labels.get(str(x), str(x)) for x in w] for m, w in comp.winners.items()}
    distinct = {tuple(w) for w in winners.values()}
    if len(distinct) == 1:
        parts.append(H.para(_t("winner_same", lang, winner=" & ".join(next(iter(distinct)))), H.OK_COLOUR))
    else:
        picks = "; ".join(f"{get_method(m).title or m}: {' & '.join(w)}" for m, w in winners.items())
        parts.append(H.para(_t("winner_differs", lang, picks=picks), H.WARN_COLOUR))
    rw = comp.rw
    base = ranked.method
    if base in rw.index:
        others = [f"{get_method(m).title or m} {i18n.fmt_number(float(rw.at[base, m]), lang, 2)}"
                  for m in rw.columns if m != base]
        parts.append(H.para(_t("correlation_note", lang, method=get_method(base).title or base,
                               values=", ".join(others)), H.MUTED))
    from decide.ranking import methods as registered

    if methods is None:
        prefixes = tuple(i18n.t("ranking.compare_skipped", lang, method=m, reason="").rstrip()
                         for m in registered() if m not in comp.methods)
        parts.append(H.items([n for n in comp.notes if prefixes and n.startswith(prefixes)], H.MUTED))
    return "".join(parts), comp


def _stability_html(sens, labels: Mapping[str, str], lang: str) -> str:
    stab = sens.stability
    num = lambda x: i18n.fmt_pct(x, lang, 1)  # noqa: E731  weights as percentages
    rows = []
    for c in stab.criteria:
        below = "–" if c.top_taker_low is None else labels.get(str(c.top_taker_low), str(c.top_taker_low))
        above = "–" if c.top_taker_high is None else labels.get(str(c.top_taker_high), str(c.top_taker_high))
        rows.append([H.esc(labels.get(str(c.criterion), str(c.criterion))), H.esc(num(c.weight)),
                     H.esc(f"{num(c.top_low)} – {num(c.top_high)}"), H.esc(below), H.esc(above),
                     H.esc(f"{num(c.rank_low)} – {num(c.rank_high)}")])
    headers = [_t("criterion", lang), _t("weight", lang), _t("winner_interval", lang), _t("taker_below", lang),
               _t("taker_above", lang), _t("ranking_interval", lang)]
    return H.table(headers, rows, ["left", "right", "center", "left", "left", "center"])


def stability_view(model: DecisionModel, weights: Any = None, *, lang: Optional[str] = None,
                   method: Optional[str] = None) -> H.HTMLView:
    """The weight stability intervals as a table with the verdict in one sentence.

    Returns
    -------
    HTMLView
        ``.data`` is the :class:`decide.analysis.ModelSensitivity` (without SMAA).
    """
    def build(w):
        lang_ = lang or model.language
        sens = robustness(model, w, samples=0, method=method or getattr(w, "method_name", None))
        html = (H.heading(_t("stability_heading", lang_)) + H.para(sens.text(lang_))
                + _stability_html(sens, _labels(model, lang_), lang_) + H.para(_t("stability_note", lang_), H.MUTED))
        return html, sens

    return follow(build, weights)


class RobustnessPanel(H.Shown):
    """Stability intervals and the SMAA-2 acceptability heat map for the sliders' weights.

    Parameters
    ----------
    model : DecisionModel
    source : WeightPanel, optional
        Where the weights and the method come from; the panel follows it (recomputed once a
        slider comes to rest, ``delay`` seconds after the last move). Default: the model's.
    samples, seed : int, optional
        SMAA samples and seed (default: the model's ``sensitivity`` section).
    lang : {'nl', 'en'}, optional

    Attributes
    ----------
    button : ipywidgets.Button
        Recompute for the current weights.
    summary, table : ipywidgets.HTML
    stability_image, smaa_image : ipywidgets.Image
    result : decide.analysis.ModelSensitivity
    """

    def __init__(self, model: DecisionModel, source: Any = None, *, samples: Optional[int] = None,
                 seed: Optional[int] = None, lang: Optional[str] = None, delay: float = 0.5):
        import ipywidgets as W

        self.model, self.source = model, source
        self.samples, self.seed = samples, seed
        self.lang = lang or model.language
        self.labels = _labels(model, self.lang)
        self.button = W.Button(description=_t("recompute", self.lang), icon="refresh", button_style="info",
                               layout=W.Layout(width="auto"))
        self.button.on_click(lambda _b: self.refresh())
        self.summary = W.HTML()
        self.table = W.HTML()
        self.stability_image = W.Image(format="png")
        self.smaa_image = W.Image(format="png")
        self.result = None
        self.widget = W.VBox([self.button, self.summary, self.table, self.stability_image, self.smaa_image])
        self.refresh()
        self.follow = Debounced(self.refresh, delay)
        if source is not None:
            on_change(source, self.follow)

    def refresh(self):
        """Recompute stability and SMAA for the current weights and redraw."""
        lang = self.lang
        weights = None if self.source is None else self.source.weights
        method = getattr(self.source, "method_name", None)
        try:
            self.result = robustness(self.model, weights, samples=self.samples, seed=self.seed, method=method)
        except DecideError as exc:
            self.summary.value = H.para(str(exc), H.BAD_COLOUR)
            return None
        r = self.result
        head = H.heading(_t("robustness_heading", lang))
        samples = "" if r.smaa is None else H.para(_t("smaa_note", lang, samples=i18n.fmt_number(r.smaa.samples, lang, 0),
                                                      seed=r.smaa.seed), H.MUTED)
        self.summary.value = head + H.para(r.text(lang)) + samples
        self.table.value = _stability_html(r, self.labels, lang)
        self.stability_image.value = stability_chart(r, self.labels, lang).png()
        if r.smaa is not None:
            self.smaa_image.value = acceptability_chart(r, self.labels, lang).png()
        return r



def robustness_panel(model: DecisionModel, source: Any = None, **kwargs: Any) -> RobustnessPanel:
    """Stability and SMAA for the current slider weights (see :class:`RobustnessPanel`)."""
    return RobustnessPanel(model, source, **kwargs)
