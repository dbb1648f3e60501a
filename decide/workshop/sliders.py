"""Weight sliders: move one criterion's weight and watch the ranking and its make-up change.

:func:`rebalance` keeps the weights on the simplex: the moved weight takes its new value and
the others are rescaled proportionally so that all still sum to 1 (the same path the stability
intervals of :func:`decide.sensitivity.stability` walk along). :class:`FastRanker` validates
the options once and then only runs the method's kernel on new weights, so a slider update --
rebalance, scores, ranks, per-criterion contributions and the HTML table -- takes about a
millisecond for tens of options (``bench/workshop.py``).

:class:`WeightPanel` is the widget: a slider per leaf criterion, a method choice, a reset
button and the ranking table with a contribution bar per option and the rank change against
the model's own weights.
"""
from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide import i18n
from decide.errors import DecideError, InputError
from decide.model import DecisionModel
from decide.workshop import _html as H

__all__ = ["FastRanker", "Snapshot", "WeightPanel", "rebalance", "weight_panel"]


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"workshop.{key}", lang, **kw)


def rebalance(weights: Sequence[float] | np.ndarray, index: int, value: float) -> np.ndarray:
    """Set weight ``index`` to ``value`` and rescale the others proportionally to sum 1.

    Parameters
    ----------
    weights : sequence of float
        Current weights (non-negative; they need not sum to 1 exactly).
    index : int
        The weight that moved.
    value : float
        Its new value, clipped to [0, 1].

    Returns
    -------
    numpy.ndarray
        Non-negative weights summing to 1. When all the others are 0 they share the rest
        equally; a single criterion always has weight 1.

    Examples
    --------
    >>> rebalance([0.5, 0.3, 0.2], 0, 0.6).round(3).tolist()
    [0.6, 0.24, 0.16]
    >>> rebalance([1.0, 0.0, 0.0], 0, 0.4).round(3).tolist()
    [0.4, 0.3, 0.3]
    """
    w = np.clip(np.asarray(weights, dtype=float), 0.0, None).copy()
    n = w.shape[0]
    if not 0 <= index < n:
        raise InputError.keyed("workshop.slider_index_out_of_range", "index", last=n - 1, value=repr(index))
    if n == 1:
        return np.ones(1)
    v = float(np.clip(value, 0.0, 1.0))
    others = np.ones(n, dtype=bool)
    others[index] = False
    rest = float(w[others].sum())
    if rest > 0:
        w[others] *= (1.0 - v) / rest
    else:
        w[others] = (1.0 - v) / (n - 1)
    w[index] = v
    return w / w.sum()


@dataclass(frozen=True)
class Snapshot:
    """Scores, ranks and per-criterion contributions for one set of weights.

    ``contributions`` are the method's exact terms (:attr:`decide.ranking.Explanation.contributions`);
    ``shares`` the score on 0..1 split by weight x normalised score
    (:func:`decide.ranking.explanation.score_shares`), what the bars draw, as in the report.
    """

    weights: np.ndarray
    scores: np.ndarray
    ranks: np.ndarray
    contributions: np.ndarray
    shares: np.ndarray


class FastRanker:
    """Rank the same options again and again under new weights.

    The method is bound once (:func:`decide.ranking.bind`: the matrix and directions validated,
    the parameters checked); each call runs only the bound method's kernel, ranks and
    contributions -- what :func:`decide.ranking.rank` and :func:`decide.ranking.explain` use,
    so the numbers are the same.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Options x criteria.
    directions : sequence of {'max', 'min'}
    method : str
        A registered ranking method.
    **params
        Its parameters.
    """

    def __init__(self, matrix: pd.DataFrame, directions: Sequence[str], method: str = "topsis", **params: Any):
        from decide.ranking import bind

        n = matrix.shape[1]
        self.bound = bind(matrix, np.full(n, 1.0 / n), list(directions), method, **params)
        self.method, self.prep = self.bound.method, self.bound.prep
        self.params, self.notes = self.bound.params, self.bound.notes
        self.kind: Optional[str] = None

    @property
    def options(self) -> pd.Index:
        return self.prep.alternatives

    @property
    def criteria(self) -> pd.Index:
        return self.prep.criteria

    def __call__(self, weights: Sequence[float] | np.ndarray) -> Snapshot:
        from decide.ranking.explanation import score_shares

        w = np.asarray(weights, dtype=float)
        w = w / w.sum()
        scores = self.bound.kernel(w)
        con = self.bound.contributions(w)
        self.kind = con.kind
        return Snapshot(w, scores, self.bound.ranks(scores), np.asarray(con.values, dtype=float),
                        score_shares(self.bound, w, scores))

    def contribution_kind(self, lang: str = "en") -> str:
        """What the exact contributions add up to, in words (from the method)."""
        from decide.ranking._util import msg

        if self.kind is None:
            self(self.prep.w)
        return msg(self.kind, lang)

    @staticmethod
    def shares_kind(lang: str = "en") -> str:
        """What the bars show, in the words of the report's ranking chart."""
        from decide.ranking._util import msg

        return msg("contrib_shares", lang)


def _fmt_score(x: float, lang: str) -> str:
    return i18n.fmt_number(x, lang, 3)


class WeightPanel(H.Shown):
    """Weight sliders with the live ranking table and contribution bars.

    Parameters
    ----------
    model : DecisionModel
        Its options (those that pass the requirements), scores, directions, weights and
        ranking method are the starting point.
    lang : {'nl', 'en'}, optional
        Language (default: the model's).
    method : str, optional
        Ranking method (default: the model's).
    weights : mapping or Series, optional
        Starting weights per leaf criterion (default: the model's).
    max_rows : int
        Rows shown in the table (the best ones); the rest are counted.

    Attributes
    ----------
    sliders : dict criterion id -> ipywidgets.FloatSlider
        Setting ``sliders[c].value`` moves that weight and rescales the others.
    method : ipywidgets.Dropdown
    reset : ipywidgets.Button
    table : ipywidgets.HTML
        The ranking with the contribution bars.
    snapshot : Snapshot
        The current scores, ranks and contributions.
    last_update : float
        Seconds the last update took (rebalance, ranking, contributions, HTML).
    """

    def __init__(self, model: DecisionModel, *, lang: Optional[str] = None, method: Optional[str] = None,
                 weights: Mapping[str, float] | pd.Series | None = None, max_rows: int = 40):
        import ipywidgets as W

        from decide.analysis import rank_model, ranking_settings
        from decide.ranking import get_method, methods

        self.model = model
        self.lang = lang or model.language
        self.max_rows = int(max_rows)
        base = rank_model(model, method)
        self.base = base
        self.matrix = base.matrix
        self.directions = tuple(base.directions)
        self.criteria = list(self.matrix.columns)
        self.labels = {c.id: c.name(self.lang) for _, c in model.iter_criteria()}
        self.option_labels = {a.id: a.name(self.lang) for a in model.alternatives}
        self.model_weights = base.weights.astype(float).reindex(self.criteria).to_numpy()
        start = self.model_weights if weights is None else (
            pd.Series(weights, dtype=float).reindex(self.criteria).fillna(0.0).to_numpy())
        if not (np.all(np.isfinite(start)) and start.sum() > 0 and (start >= 0).all()):
            raise InputError.keyed("workshop.slider_weights_invalid", "weights", shown_in=self.lang)
        self._w = start / start.sum()
        self._ranking_settings = ranking_settings
        self._ranker = self._make_ranker(base.method)
        self._base_ranks = base.ranking.rank_values
        self._excluded = base.excluded(self.lang)
        self.last_update = 0.0
        self._syncing = False
        self._listeners: list = []

        lang_ = self.lang
        parent_of = {c.id: p for p, c in model.iter_criteria()}
        self.sliders: dict[str, Any] = {}
        self.readouts: dict[str, Any] = {}
        rows = []
        for k, cid in enumerate(self.criteria):
            parent = parent_of.get(cid)
            name = self.labels.get(cid, cid) if parent is None else f"{self.labels.get(parent, parent)} › {self.labels.get(cid, cid)}"
            # no step: the slider holds the model's own weight (27.6248 %, not 27.5 %), so the
            # screen, the model and the report agree until someone moves it
            s = W.FloatSlider(value=float(self._w[k]), min=0.0, max=1.0, step=None, readout=False,
                              continuous_update=True, layout=W.Layout(width="22em"))
            s.observe(lambda ch, cid=cid: self._moved(cid, ch), names="value")
            self.sliders[cid] = s
            swatch = f"<span style='display:inline-block;width:0.8em;height:0.8em;background:{H.colour(k)};margin-right:0.4em'></span>"
            # the readout in the language's own notation (27,6 % in Dutch), as in every table
            self.readouts[cid] = W.HTML(layout=W.Layout(width="5em"))
            rows.append(W.HBox([W.HTML(swatch + H.esc(name), layout=W.Layout(width="22em")), s, self.readouts[cid]],
                               layout=W.Layout(align_items="center")))
        if len(self.criteria) == 1:
            next(iter(self.sliders.values())).disabled = True
        options = [(get_method(m).title or m, m) for m in methods()]
        self.method = W.Dropdown(options=options, value=base.method, description=_t("method", lang_),
                                 style={"description_width": "6em"})
        self.method.observe(self._method_changed, names="value")
        self.reset = W.Button(description=_t("reset_weights", lang_), icon="undo")
        self.reset.on_click(lambda _b: self.set_weights(self.model_weights))
        self.notice = W.HTML()
        self.table = W.HTML()
        self.widget = W.VBox([
            W.HTML(f"<p style='color:{H.MUTED}'>{H.esc(_t('sliders_intro', lang_))}</p>"),
            W.VBox(rows),
            W.HBox([self.method, self.reset]),
            self.notice,
            self.table,
        ])
        self.update()

    # ------------------------------------------------------------------ state
    def _make_ranker(self, method: str) -> FastRanker:
        chosen, params = self._ranking_settings(self.model, method)
        return FastRanker(self.matrix, self.directions, chosen, **params)

    @property
    def weights(self) -> pd.Series:
        """The current leaf weights (sum 1)."""
        return pd.Series(self._w.copy(), index=pd.Index(self.criteria, name="criterion"), name="weight")

    @property
    def method_name(self) -> str:
        """The ranking method in use."""
        return self._ranker.method.name

    def set_weight(self, criterion: str, value: float) -> None:
        """Move one weight (the others are rescaled proportionally), as its slider does."""
        if criterion not in self.sliders:
            raise InputError.keyed("workshop.slider_criterion_unknown", "criterion", shown_in=self.lang,
                                   criterion=repr(criterion), known=", ".join(map(repr, self.criteria)))
        self.sliders[criterion].value = float(value)

    def set_weights(self, weights: Mapping[str, float] | pd.Series | Sequence[float]) -> None:
        """Set all weights at once (normalised to sum 1)."""
        if isinstance(weights, (Mapping, pd.Series)):
            w = pd.Series(weights, dtype=float).reindex(self.criteria).fillna(0.0).to_numpy()
        else:
            w = np.asarray(weights, dtype=float)
        if w.shape != (len(self.criteria),) or not (w >= 0).all() or w.sum() <= 0:
            raise InputError.keyed("workshop.slider_weights_invalid", "weights", shown_in=self.lang)
        self._w = w / w.sum()
        self._sync_sliders(None)
        self.update()

    def _moved(self, cid: str, change) -> None:
        if self._syncing:
            return
        t0 = time.perf_counter()
        k = self.criteria.index(cid)
        self._w = rebalance(self._w, k, change["new"])
        self._sync_sliders(cid)
        self.update(t0)

    def _sync_sliders(self, moved: Optional[str]) -> None:
        self._syncing = True
        try:
            for k, cid in enumerate(self.criteria):
                if cid != moved:
                    self.sliders[cid].value = float(self._w[k])
        finally:
            self._syncing = False

    def _method_changed(self, change) -> None:
        try:
            self._ranker = self._make_ranker(change["new"])
        except DecideError as exc:
            self.notice.value = H.para(str(exc), H.BAD_COLOUR)
            return
        self.notice.value = ""
        self.update()

    # ------------------------------------------------------------------ results
    def update(self, started: Optional[float] = None) -> Snapshot:
        """Rank under the current weights and redraw the table."""
        t0 = time.perf_counter() if started is None else started
        self.snapshot = self._ranker(self._w)
        for k, cid in enumerate(self.criteria):
            self.readouts[cid].value = H.esc(i18n.fmt_pct(float(self._w[k]), self.lang, 1))
        self.table.value = self.render()
        self.last_update = time.perf_counter() - t0
        for listener in list(getattr(self, "_listeners", ())):
            listener()
        return self.snapshot

    def on_change(self, listener) -> None:
        """Call ``listener()`` after every change of the weights or the method (once per move, after re-ranking)."""
        self._listeners.append(listener)

    def ranking_frame(self) -> pd.DataFrame:
        """The current ranking, best first: label, score, rank, and the rank under the model's weights."""
        s = self.snapshot
        ids = list(self.matrix.index)
        df = pd.DataFrame({"label": [self.option_labels.get(i, i) for i in ids], "score": s.scores,
                           "rank": s.ranks, "model_rank": self._base_ranks}, index=pd.Index(ids, name="id"))
        return df.iloc[np.argsort(s.ranks, kind="stable")]

    def contributions_frame(self) -> pd.DataFrame:
        """Options x criteria: the method's per-criterion contributions under the current weights."""
        return pd.DataFrame(self.snapshot.contributions, index=self.matrix.index, columns=self.criteria)

    def shares_frame(self) -> pd.DataFrame:
        """Options x criteria: what the bars draw (the score on 0..1 split by weight x normalised score)."""
        return pd.DataFrame(self.snapshot.shares, index=self.matrix.index, columns=self.criteria)

    def render(self) -> str:
        """The ranking table with a contribution bar per option (HTML)."""
        s, lang = self.snapshot, self.lang
        con = s.shares
        order = np.argsort(s.ranks, kind="stable")
        ids = self.matrix.index
        colours = [H.colour(k) for k in range(len(self.criteria))]
        names = [self.labels.get(c, c) for c in self.criteria]
        rows = []
        for i in order[: self.max_rows]:
            moved = int(self._base_ranks[i]) - int(s.ranks[i])
            if moved > 0:
                delta = f"<span style='color:{H.OK_COLOUR}'>▲{moved}</span>"
            elif moved < 0:
                delta = f"<span style='color:{H.BAD_COLOUR}'>▼{-moved}</span>"
            else:
                delta = f"<span style='color:{H.MUTED}'>=</span>"
            # the bar is the score on 0..1 (full width = 1), split as the report's ranking chart
            segs = "".join(
                f"<div title='{H.esc(names[j])}: {H.esc(i18n.fmt_number(float(con[i, j]), lang, 3))}' "
                f"style='width:{100 * con[i, j]:.2f}%;background:{colours[j]}'></div>"
                for j in range(con.shape[1]) if con[i, j] > 0)
            chart = f"<div style='display:flex;width:22em;max-width:100%;height:0.9em;background:#f4f4f4'>{segs}</div>"
            rows.append([str(int(s.ranks[i])), delta, H.esc(self.option_labels.get(ids[i], ids[i])),
                         H.esc(_fmt_score(float(s.scores[i]), lang)), chart])
        method = self._ranker.method
        direction = _t("higher_better" if method.higher_is_better else "lower_better", lang)
        head = H.heading(_t("ranking_heading", lang, method=method.title or method.name), 4)
        table = H.table([_t("rank", lang), _t("vs_model", lang), _t("option", lang),
                         _t("score", lang, direction=direction), _t("contributions", lang)],
                        rows, ["right", "center", "left", "right", "left"])
        more = len(order) - self.max_rows
        extra = H.para(_t("more_rows", lang, n=more), H.MUTED) if more > 0 else ""
        excluded = self._excluded
        knocked = H.items([f"{self.option_labels.get(e['id'], e['id'])}: {e['reason']}" for e in excluded], H.MUTED)
        knocked = (H.para(_t("excluded", lang), H.MUTED) + knocked) if excluded else ""
        kind = H.para(_t("contributions_kind", lang, kind=self._ranker.shares_kind(lang)), H.MUTED)
        return head + table + extra + H.legend(names, colours) + kind + knocked



def weight_panel(model: DecisionModel, **kwargs: Any) -> WeightPanel:
    """Weight sliders with the live ranking (see :class:`WeightPanel`)."""
    return WeightPanel(model, **kwargs)
