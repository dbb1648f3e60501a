"""The two views of a served workshop, as ipywidgets on the workshop store.

:class:`ParticipantView` is what one participant sees through their personal link: their own
pairwise comparisons (the sliders, live consistency ratio and repair hints of the notebooks'
:class:`decide.workshop.judgments.ParticipantPanel`), and when the model asks for committee
scoring, a score with optional reasoning per option and criterion. Every change is saved to
the store at once. It reads only its owner's input; when the facilitator reveals the spread it
also shows, per pair and per score, the lowest and highest values entered (never who entered them).

:class:`FacilitatorView` is what the facilitator's link shows: progress, the group result
(weights, consensus, each participant's CR and distance), the pairs and scores with the widest
spread, the agreed scores after discussion, the reveal switch and the export.

Both are plain widgets, so they are tested without a browser (set a widget's ``.value`` and
read the store); :mod:`decide.workshop.server` serves them.
"""
from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Optional

from decide import i18n
from decide.errors import DecideError
from decide.store import Person, WorkshopInputError, WorkshopStore
from decide.workshop import _html as H
from decide.workshop.scale import fmt_value, sentence

__all__ = ["FacilitatorView", "ParticipantView", "view_for"]


#: The "no score yet" entry of a score list (a value of its own: ipywidgets shows a None value as
#: an empty list, not as the entry that says so).
NO_SCORE = ""


def _s(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"serve.{key}", lang, **kw)


def _clock() -> str:
    return _dt.datetime.now().strftime("%H:%M:%S")


def _nearest(v: float) -> float:
    """The value of Saaty's scale nearest to ``v`` on a log scale (for words about a group mean)."""
    from decide.workshop.scale import SCALE

    return min(SCALE, key=lambda x: abs(math.log(x) - math.log(v)))


def _reveal_html(store: WorkshopStore, lang: str, labels: dict, options: dict) -> str:
    """The spread of everyone's input without names (what the reveal switch shows participants)."""
    parts = [H.heading(_s("reveal_heading", lang), 4), H.para(_s("reveal_intro", lang), H.MUTED)]
    js = store.judgment_spread()
    if not js.empty:
        rows = [[H.esc(labels[r.a]), H.esc(labels[r.b]), str(int(r.n)),
                 H.esc(fmt_value(r.low, lang)), H.esc(fmt_value(r.high, lang)),
                 H.esc(sentence(labels[r.a], labels[r.b], _nearest(r.geomean), lang)),
                 H.esc(i18n.fmt_number(r.geomean, lang, 2))] for r in js.itertuples()]
        parts.append(H.table([_s("col_a", lang), _s("col_b", lang), _s("col_n", lang), _s("col_low", lang),
                              _s("col_high", lang), _s("col_group", lang), _s("col_geomean", lang)], rows))
    ss = store.score_spread()
    if not ss.empty:
        scales = store.plan.scales
        rows = [[H.esc(options[r.option]), H.esc(labels[r.criterion]), str(int(r.n)),
                 H.esc(scales[r.criterion].label_of(r.low)), H.esc(scales[r.criterion].label_of(r.high))]
                for r in ss.itertuples()]
        parts.append(H.table([_s("col_option", lang), _s("col_criterion", lang), _s("col_n", lang),
                              _s("col_low", lang), _s("col_high", lang)], rows))
    return "".join(parts)


class ParticipantView(H.Shown):
    """One participant's own input, saved as they go (see the module docstring).

    Attributes
    ----------
    panel : decide.workshop.judgments.ParticipantPanel
        The pairwise sliders, CR and hints (``panel.rows[(a, b)].slider``).
    scores : dict (option, criterion) -> ipywidgets.Dropdown
    reasons : dict (option, criterion) -> ipywidgets.Textarea
    saved : ipywidgets.HTML
        When the last change was saved, or why it was refused.
    widget : ipywidgets.VBox
    """

    def __init__(self, store: WorkshopStore, person: Person, lang: Optional[str] = None):
        import ipywidgets as W

        from decide.workshop.judgments import JudgmentSession, ParticipantPanel

        if person.is_facilitator:
            raise ValueError("a facilitator gets the FacilitatorView")
        self.store, self.person = store, person
        self.lang = lang = lang or store.lang
        model = store.model
        self.session = JudgmentSession(model, [person.name], lang=lang)
        mine = store.judgments(person.name)
        for a, b in store.plan.pairs:  # the store's values only (not the model file's)
            self.session.set_value(person.name, a, b, mine.get((a, b)))
        self._saved = dict(self.session.values(person.name))
        self.labels = {cid: self.session.label(cid) for cid in self.session.labels}
        self.options = {a.id: a.name(lang) for a in model.alternatives}
        self.saved = W.HTML()
        head = [W.HTML(H.heading(model.name(lang), 2) + H.para(_s("welcome", lang, name=person.name))
                       + H.para(_s("private", lang), H.MUTED))]
        parts: list = []
        self.panel = None
        if store.plan.pairs:
            self.panel = ParticipantPanel(self.session, person.name)
            parts += [W.HTML(H.heading(_s("judgments_heading", lang), 3)), self.panel.widget]
            self.session.on_change(self._judged)
        self.scores: dict = {}
        self.reasons: dict = {}
        if store.plan.scoring and (not store.plan.evaluators or person.name in store.plan.evaluators):
            parts += self._scoring(W)
        self.reveal = W.HTML()
        self.widget = W.VBox(head + [self.saved] + parts + [self.reveal], layout=W.Layout(max_width="70em"))
        self._version = None
        self.refresh()

    # ---------------------------------------------------------------- scoring
    def _scoring(self, W) -> list:
        store, lang = self.store, self.lang
        mine = store.scores(self.person.name)
        out = [W.HTML(H.heading(_s("scores_heading", lang), 3) + H.para(_s("scores_intro", lang), H.MUTED))]
        for option in store.plan.options:
            out.append(W.HTML(H.heading(self.options[option], 4)))
            for crit in store.plan.criteria:
                scale = store.plan.scales[crit]
                cur = mine.get((option, crit))
                # a native <select>: reachable with Tab, changed with the arrow keys; its label is
                # the criterion (so a screen reader names it) and each level says which end is best
                dd = W.Dropdown(options=[(_s("no_score", lang), NO_SCORE)] + self._levels(crit),
                                value=NO_SCORE if cur is None else cur.value, description=self.labels[crit],
                                style={"description_width": "16em"}, layout=W.Layout(width="30em"))
                why = W.Textarea(value="" if cur is None or cur.reasoning is None else cur.reasoning,
                                 placeholder=_s("reasoning", lang), continuous_update=False,
                                 layout=W.Layout(width="30em", height="2.4em"))
                dd.observe(lambda ch, o=option, c=crit: self._scored(o, c), names="value")
                why.observe(lambda ch, o=option, c=crit: self._scored(o, c), names="value")
                self.scores[(option, crit)], self.reasons[(option, crit)] = dd, why
                out.append(W.HBox([dd, why], layout=W.Layout(align_items="center", flex_flow="row wrap")))
        return out

    def _levels(self, crit: str) -> list[tuple[str, float]]:
        """The scale's levels, low to high, the best and the worst end named as such."""
        levels = list(self.store.plan.scales[crit].levels)
        higher_better = self.store.model.criterion(crit).direction != "min"
        out = []
        for k, (name, v) in enumerate(levels):
            end = "best" if (k == len(levels) - 1) == higher_better else "worst"
            text = _s(f"level_{end}", self.lang, level=name) if k in (0, len(levels) - 1) else name
            out.append((text, v))
        return out

    def _scored(self, option: str, crit: str) -> None:
        value = self.scores[(option, crit)].value
        if value == NO_SCORE:
            return
        reason = self.reasons[(option, crit)].value
        self._save(lambda: self.store.record_score(self.person.name, option, crit, value, reasoning=reason or None,
                                                   origin="browser"))

    # ---------------------------------------------------------------- judgements
    def _judged(self, name: Optional[str], parent: Optional[str]) -> None:
        if name != self.person.name:
            return
        now = self.session.values(self.person.name)
        for pair, v in now.items():
            if self._saved.get(pair) != v:
                if self._save(lambda p=pair, v=v: self.store.record_judgment(self.person.name, p[0], p[1], v,
                                                                             origin="browser")):
                    self._saved[pair] = v

    def _save(self, write) -> bool:
        try:
            write()
        except WorkshopInputError as exc:
            self.saved.value = H.para(_s("refused", self.lang, message=exc.message), H.BAD_COLOUR)
            return False
        self.saved.value = H.para(_s("saved", self.lang, time=_clock()), H.OK_COLOUR)
        return True

    def refresh(self) -> None:
        """Show or hide the revealed spread (the facilitator's switch); close the view of a revoked link."""
        import ipywidgets as W

        if self.store.person(self.person.name).revoked is not None:
            if len(self.widget.children) != 1:
                self.widget.children = (W.HTML(H.para(i18n.t("store.revoked", self.lang, name=self.person.name),
                                                      H.BAD_COLOUR)),)
            return
        on = self.store.flag("reveal")
        version = (on, self.store.version()) if on else (on, None)
        if version == self._version:
            return
        self._version = version
        self.reveal.value = _reveal_html(self.store, self.lang, self.labels, self.options) if on else ""



class FacilitatorView(H.Shown):
    """Everyone's progress and the group result, live (see the module docstring).

    Attributes
    ----------
    progress, group, spread : ipywidgets.HTML
    reveal : ipywidgets.Checkbox
        Shows the spread to every participant.
    agree_option, agree_criterion, agree_value : ipywidgets.Dropdown
    agree_button : ipywidgets.Button
        Record the committee's agreed score for a cell.
    export_mode : ipywidgets.Dropdown
    export_button : ipywidgets.Button
    export_status : ipywidgets.HTML
    """

    def __init__(self, store: WorkshopStore, person: Person, lang: Optional[str] = None):
        import ipywidgets as W

        if not person.is_facilitator:
            raise ValueError("only a facilitator gets the FacilitatorView")
        self.store, self.person = store, person
        self.lang = lang = lang or store.lang
        model = store.model
        self.labels = {c.id: c.name(lang) for _, c in model.iter_criteria()}
        self.options = {a.id: a.name(lang) for a in model.alternatives}
        self.progress, self.group, self.spread = W.HTML(), W.HTML(), W.HTML()
        self.reveal = W.Checkbox(value=store.flag("reveal"), description=_s("reveal_switch", lang), indent=False,
                                 layout=W.Layout(width="auto"))
        self.reveal.observe(lambda ch: store.set_flag("reveal", bool(ch["new"])), names="value")
        parts = [W.HTML(H.heading(_s("facilitator_heading", lang, title=model.name(lang)), 2)
                        + H.para(_s("facilitator_intro", lang), H.MUTED)),
                 W.HTML(H.heading(_s("progress_heading", lang), 3)), self.progress, self.reveal,
                 self.group, self.spread]
        if store.plan.scoring:
            parts += self._agree(W)
        from decide.workshop.collect import SCORE_MODES

        self.export_mode = W.Dropdown(options=[(_s(f"mode_{k}", lang), k) for k in SCORE_MODES], value="agreed",
                                      layout=W.Layout(width="22em"))
        self.export_button = W.Button(description=_s("export_button", lang), button_style="primary")
        self.export_status = W.HTML()
        self.export_button.on_click(lambda _b: self.export())
        parts += [W.HTML(H.heading(_s("export_heading", lang), 3) + H.para(_s("export_intro", lang), H.MUTED)),
                  W.HBox([self.export_mode, self.export_button] if store.plan.scoring else [self.export_button]),
                  self.export_status]
        self.widget = W.VBox(parts, layout=W.Layout(max_width="80em"))
        self._version = None
        self.refresh()

    def _agree(self, W) -> list:
        lang, plan = self.lang, self.store.plan
        self.agree_option = W.Dropdown(options=[(self.options[o], o) for o in plan.options],
                                       description=_s("col_option", lang), layout=W.Layout(width="24em"))
        self.agree_criterion = W.Dropdown(options=[(self.labels[c], c) for c in plan.criteria],
                                          description=_s("col_criterion", lang), layout=W.Layout(width="24em"))
        self.agree_value = W.Dropdown(description=_s("agreed", lang), layout=W.Layout(width="16em"))
        self.agree_reason = W.Text(placeholder=_s("reasoning", lang), layout=W.Layout(width="24em"))
        self.agree_button = W.Button(description=_s("agree_button", lang), button_style="warning")
        self.agree_status = W.HTML()

        def levels(_=None):
            sc = plan.scales[self.agree_criterion.value]
            self.agree_value.options = [(n, v) for n, v in sc.levels]

        levels()
        self.agree_criterion.observe(levels, names="value")
        self.agree_button.on_click(lambda _b: self.agree())
        return [W.HTML(H.heading(_s("agree_heading", lang), 3) + H.para(_s("agree_intro", lang), H.MUTED)),
                W.HBox([self.agree_option, self.agree_criterion]),
                W.HBox([self.agree_value, self.agree_reason, self.agree_button]), self.agree_status]

    def agree(self) -> None:
        """Record the committee's agreed score for the chosen cell."""
        try:
            self.store.record_score(self.person.name, self.agree_option.value, self.agree_criterion.value,
                                    self.agree_value.value, reasoning=self.agree_reason.value or None,
                                    origin="browser")
        except WorkshopInputError as exc:
            self.agree_status.value = H.para(_s("refused", self.lang, message=exc.message), H.BAD_COLOUR)
            return
        self.agree_status.value = H.para(_s("saved", self.lang, time=_clock()), H.OK_COLOUR)
        self.refresh(force=True)

    def export(self):
        """Export the collected input into ``NAME.workshop.yaml`` beside the model (refreshed each time)."""
        from decide.workshop.collect import export

        try:
            r = export(self.store, scores=self.export_mode.value, lang=self.lang)
        except DecideError as exc:
            self.export_status.value = H.para(str(exc), H.BAD_COLOUR)
            return None
        self.export_status.value = r._repr_html_()
        return r

    # ---------------------------------------------------------------- live parts
    def refresh(self, force: bool = False) -> None:
        """Recompute what changed since the last refresh (cheap when nothing did)."""
        version = self.store.version()
        if version == self._version and not force:
            return
        self._version = version
        self.progress.value = self._progress()
        self.group.value = self._group()
        self.spread.value = self._spread()

    def _progress(self) -> str:
        lang = self.lang
        p = self.store.progress()
        rows = []
        for name, role, judged, pairs, scored, cells, last in p.rows:
            done = judged >= pairs and scored >= cells
            state = H.badge(_s("done" if done else ("revoked" if role == "revoked" else "busy"), lang),
                            H.OK_COLOUR if done else H.WARN_COLOUR)
            rows.append([H.esc(name), f"{judged} / {pairs}", f"{scored} / {cells}" if cells else "–",
                         H.esc(last[11:19] if last else "–"), state])
        if not rows:
            return H.para(_s("nobody", lang), H.MUTED)
        return H.table([_s("col_participant", lang), _s("col_judged", lang), _s("col_scored", lang),
                        _s("col_last", lang), ""], rows, ["left", "right", "right", "left", "left"])

    def _group(self) -> str:
        from decide.workshop.judgments import GroupPanel

        try:
            session = self.store.session()
        except WorkshopInputError as exc:
            return H.para(exc.message, H.MUTED)
        return GroupPanel(session, live=False).render()

    def _spread(self) -> str:
        lang = self.lang
        parts = []
        js = self.store.judgment_spread().head(8)
        if not js.empty:
            rows = [[H.esc(self.labels[r.a]), H.esc(self.labels[r.b]), str(int(r.n)),
                     H.esc(fmt_value(r.low, lang)), H.esc(fmt_value(r.high, lang)),
                     H.esc(i18n.fmt_number(r.steps, lang, 0))] for r in js.itertuples()]
            parts += [H.heading(_s("pairs_heading", lang), 3), H.para(_s("pairs_intro", lang), H.MUTED),
                      H.table([_s("col_a", lang), _s("col_b", lang), _s("col_n", lang), _s("col_low", lang),
                               _s("col_high", lang), _s("col_steps", lang)], rows,
                              ["left", "left", "right", "right", "right", "right"])]
        ss = self.store.score_spread().head(8)
        if not ss.empty:
            scales = self.store.plan.scales
            rows = []
            for r in ss.itertuples():
                sc = scales[r.criterion]
                agreed = "–" if math.isnan(r.agreed) else sc.label_of(r.agreed)
                rows.append([H.esc(self.options[r.option]), H.esc(self.labels[r.criterion]), str(int(r.n)),
                             H.esc(sc.label_of(r.low)), H.esc(sc.label_of(r.high)),
                             H.esc(i18n.fmt_number(r.std, lang, 2)), H.esc(agreed)])
            parts += [H.heading(_s("scores_spread_heading", lang), 3),
                      H.table([_s("col_option", lang), _s("col_criterion", lang), _s("col_n", lang),
                               _s("col_low", lang), _s("col_high", lang), _s("col_std", lang), _s("agreed", lang)],
                              rows, ["left", "left", "right", "left", "left", "right", "left"])]
        return "".join(parts)



def view_for(store: WorkshopStore, person: Person, lang: Optional[str] = None):
    """The view a person's link opens: the facilitator's or their own."""
    return FacilitatorView(store, person, lang) if person.is_facilitator else ParticipantView(store, person, lang)
