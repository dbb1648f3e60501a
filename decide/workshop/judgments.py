"""Pairwise judgements in a workshop: the session (state and live results) and its widgets.

:class:`JudgmentSession` holds every participant's judgements for every pair of sibling
criteria, starting from the model file, and computes what a facilitator shows live: each
participant's consistency ratio per sibling group with the repair hints, and the group result
(weights, consensus, each participant's distance) through :func:`decide.weights.derive` on the
model with the session's judgements, so the workshop shows exactly what the model file will
give once saved (:func:`decide.workshop.save.save_judgments`).

The widgets (:class:`JudgmentPanel`, :class:`ParticipantPanel`, :class:`GroupPanel`) are
views on a session: moving a slider changes the session, and the session tells every view.

>>> from decide.loader import load_model                                  # doctest: +SKIP
>>> session = JudgmentSession(load_model("models/zaaksysteem.yaml"))      # doctest: +SKIP
>>> session.set_value("Architectuur", "risk", "innovation", 5)           # doctest: +SKIP
>>> round(session.check("Architectuur", None).cr, 3)                     # doctest: +SKIP
0.039
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

import pandas as pd

from decide import ahp, i18n
from decide.errors import DecideError, InputError
from decide.model import AhpSection, DecisionModel
from decide.workshop import _html as H
from decide.workshop.scale import scale_options, sentence, snap, yaml_value

__all__ = ["GroupCheck", "GroupPanel", "JudgmentPanel", "JudgmentSession", "ParticipantPanel",
           "group_panel", "judgment_panel"]

Pair = tuple[str, str]
Listener = Callable[[Optional[str], Optional[str]], None]


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"workshop.{key}", lang, **kw)


@dataclass(frozen=True)
class GroupCheck:
    """One participant's consistency for one group of sibling criteria.

    Attributes
    ----------
    parent : str or None
        The parent criterion (None: the top level).
    cr : float or None
        Consistency ratio of the (completed) matrix; None when it cannot be computed
        (``error`` says why).
    max_cr : float
        The model's threshold.
    weights : pandas.Series or None
        The participant's local priorities in this group.
    hints : tuple of decide.ahp.Hint
        Repair hints (only when ``cr > max_cr``), most inconsistent first.
    estimated : tuple of (a, b)
        Skipped pairs that the completion estimated.
    error : str or None
        Why there is no CR (e.g. the judged pairs do not connect all criteria).
    """

    parent: Optional[str]
    cr: Optional[float]
    max_cr: float
    weights: Optional[pd.Series]
    hints: tuple = ()
    estimated: tuple = ()
    error: Optional[str] = None

    @property
    def consistent(self) -> bool:
        """True when the CR is known and at most ``max_cr``."""
        return self.cr is not None and self.cr <= self.max_cr


class JudgmentSession:
    """The judgements of a weights workshop: per participant, per pair of sibling criteria.

    Parameters
    ----------
    model : DecisionModel
        The model the workshop starts from. With AHP weights its participants and judgements
        are loaded; otherwise every pair starts at "equally important".
    participants : sequence of str or mapping of str to float, optional
        The participants (and their weights in the group). Default: the model's AHP
        participants, or one participant for a model without AHP weights. A participant the
        model already has keeps their judgements.
    lang : {'nl', 'en'}, optional
        Language of the texts (default: the model's).

    Notes
    -----
    Values are stored per pair ``(a, b)`` in the model's criteria order: ``v`` means "a is v
    times as important as b"; ``None`` means the pair is skipped (the completion estimates it,
    as for a skipped judgement in the model file).
    """

    def __init__(self, model: DecisionModel, participants: Sequence[str] | Mapping[str, float] | None = None,
                 *, lang: Optional[str] = None):
        if not isinstance(model, DecisionModel):
            raise TypeError(f"expected a DecisionModel (decide.loader.load_model), got {type(model).__name__}")
        if not model.criteria:
            raise InputError.keyed("workshop.no_criteria_to_weigh", "criteria", shown_in=lang or model.language)
        self.model = model
        self.lang = lang or model.language
        tree = model.tree()
        self.groups: dict[Optional[str], list[str]] = {p: list(k) for p, k in tree.items() if len(k) > 1}
        self.pairs: dict[Optional[str], list[Pair]] = {
            p: [(k[i], k[j]) for i in range(len(k)) for j in range(i + 1, len(k))] for p, k in self.groups.items()
        }
        self._parent_of = {a: p for p, ps in self.pairs.items() for pair in ps for a in pair}
        self._pair_key = {}
        for ps in self.pairs.values():
            for a, b in ps:
                self._pair_key[(a, b)] = ((a, b), False)
                self._pair_key[(b, a)] = ((a, b), True)
        self.labels = {c.id: c.name(self.lang) for _, c in model.iter_criteria()}
        w = model.weights
        section = w.ahp if (w.method == "ahp" and w.ahp is not None) else None
        self.is_ahp = section is not None
        self.settings: AhpSection = section if section is not None else AhpSection()
        known = {p.name: p for p in (section.participants if section is not None else [])}
        if participants is None:
            names = list(known) or [_t("default_participant", self.lang)]
            pweights = {n: (known[n].weight if n in known else 1.0) for n in names}
        elif isinstance(participants, Mapping):
            names, pweights = list(participants), {k: float(v) for k, v in participants.items()}
        else:
            names = list(participants)
            pweights = {n: (known[n].weight if n in known else 1.0) for n in names}
        if not names or len(set(names)) != len(names):
            raise InputError.keyed("workshop.participant_names_not_distinct", "participants", shown_in=self.lang,
                                   names=", ".join(map(repr, names)) or "-")
        self._weights = pweights
        self._values: dict[str, dict[Pair, Optional[float]]] = {}
        for n in names:
            if n in known:
                self._values[n] = self._from_judgments(known[n].judgments)
            else:
                self._values[n] = {pair: 1.0 for ps in self.pairs.values() for pair in ps}
        self._listeners: list[Listener] = []

    # ------------------------------------------------------------------ loading
    def _from_judgments(self, judgments: Sequence[Sequence[Any]]) -> dict[Pair, Optional[float]]:
        out: dict[Pair, Optional[float]] = {pair: None for ps in self.pairs.values() for pair in ps}
        by_group: dict[Optional[str], list] = {}
        for jd in judgments:
            by_group.setdefault(self._parent_of.get(jd[0]), []).append(jd)
        for parent, items in by_group.items():
            if parent not in self.groups:
                continue
            m = ahp.matrix_from_judgments(self.groups[parent], items)
            for a, b in self.pairs[parent]:
                v = float(m.loc[a, b])
                out[(a, b)] = None if math.isnan(v) else snap(v)
        return out

    # ------------------------------------------------------------------ state
    @property
    def participants(self) -> list[str]:
        """Participant names, in order."""
        return list(self._values)

    def weight(self, name: str) -> float:
        """A participant's weight in the group."""
        self._check_name(name)
        return float(self._weights[name])

    def label(self, cid: Optional[str]) -> str:
        """Display name of a criterion; the top level for ``None``."""
        return _t("group_top", self.lang) if cid is None else self.labels.get(cid, str(cid))

    def _check_name(self, name: str) -> None:
        if name not in self._values:
            raise InputError.keyed("workshop.participant_unknown", "participant", shown_in=self.lang, name=repr(name),
                                   known=", ".join(map(repr, self._values)))

    def _key(self, a: str, b: str) -> tuple[Pair, bool]:
        try:
            return self._pair_key[(a, b)]
        except KeyError:
            raise InputError.keyed("workshop.criteria_not_siblings", f"{a} / {b}", shown_in=self.lang,
                                   a=repr(a), b=repr(b)) from None

    def value(self, name: str, a: str, b: str) -> Optional[float]:
        """How many times ``a`` is as important as ``b`` for ``name`` (None: skipped)."""
        self._check_name(name)
        key, flipped = self._key(a, b)
        v = self._values[name][key]
        return None if v is None else (1.0 / v if flipped else v)

    def values(self, name: str) -> dict[Pair, Optional[float]]:
        """All pairs of a participant, ``(a, b) -> value`` in criteria order (None: skipped)."""
        self._check_name(name)
        return dict(self._values[name])

    def set_value(self, name: str, a: str, b: str, value: Optional[float]) -> None:
        """Set "``a`` is ``value`` times as important as ``b``" for ``name``; None skips the pair.

        Raises
        ------
        InputError
            Unknown participant, criteria that are not siblings, or a value that is not a
            positive number.
        """
        self._check_name(name)
        key, flipped = self._key(a, b)
        if value is not None:
            try:
                v = float(value)
            except (TypeError, ValueError):
                raise InputError.keyed("workshop.judgment_value_invalid", f"{a} / {b}", shown_in=self.lang,
                                       a=repr(a), b=repr(b), value=repr(value)) from None
            if not (math.isfinite(v) and v > 0):
                raise InputError.keyed("workshop.judgment_value_invalid", f"{a} / {b}", shown_in=self.lang,
                                       a=repr(a), b=repr(b), value=repr(value))
            v = snap(1.0 / v if flipped else v)
        else:
            v = None
        old = self._values[name][key]
        if old == v:
            return
        self._values[name][key] = v
        self._notify(name, self._parent_of[key[0]])

    def on_change(self, callback: Listener) -> None:
        """Call ``callback(participant, parent)`` after every change."""
        self._listeners.append(callback)

    def _notify(self, name: Optional[str], parent: Optional[str]) -> None:
        for cb in list(self._listeners):
            cb(name, parent)

    # ------------------------------------------------------------------ results
    def judgments(self, name: str) -> list[list[Any]]:
        """The participant's judgements as model-file entries ``[a, b, v]`` (v >= 1, ``"1/3"`` style)."""
        out = []
        for (a, b), v in self.values(name).items():
            if v is None:
                continue
            out.append([a, b, yaml_value(v)] if v >= 1 else [b, a, yaml_value(1.0 / v)])
        return out

    def check(self, name: str, parent: Optional[str]) -> GroupCheck:
        """Consistency of one participant in one sibling group, with the repair hints."""
        self._check_name(name)
        if parent not in self.groups:
            raise InputError.keyed("workshop.group_unknown", "parent", shown_in=self.lang, parent=repr(parent),
                                   groups=", ".join(repr(self.label(p)) for p in self.groups))
        s = self.settings
        kids = self.groups[parent]
        values = self._values[name]
        items = [[a, b, v] for (a, b) in self.pairs[parent] if (v := values[(a, b)]) is not None]
        if not items:
            return GroupCheck(parent, None, s.max_cr, None, error=_t("not_judged", self.lang))
        m = ahp.matrix_from_judgments(kids, items)
        estimated: tuple = ()
        if m.isna().to_numpy().any():
            try:
                comp = ahp.complete(m)
            except InputError:
                return GroupCheck(parent, None, s.max_cr, None, error=_t("disconnected", self.lang))
            m, estimated = comp.matrix, tuple(comp.estimated)
        pri = ahp.priorities(m, method=s.method, ri=s.ri, max_cr=s.max_cr)
        hints = tuple(ahp.repair_hints(m, method=s.method, ri=s.ri)) if pri.cr > s.max_cr else ()
        return GroupCheck(parent, float(pri.cr), s.max_cr, pri.weights, hints, estimated)

    def model_with_judgments(self) -> DecisionModel:
        """The model with this session's AHP judgements (re-validated, like a saved file)."""
        s = self.settings
        weights = self.model.weights.model_dump(mode="python", exclude_none=True)
        weights["method"] = "ahp"
        weights["ahp"] = {
            "ri": s.ri, "max_cr": s.max_cr, "method": s.method, "aggregate": s.aggregate,
            "participants": [{"name": n, "weight": self._weights[n], "judgments": self.judgments(n)}
                             for n in self.participants],
        }
        return self.model.replace(weights=weights)

    def derive(self):
        """The group result (:class:`decide.weights.Derivation`) of the current judgements.

        Raises
        ------
        DecideError
            When the judgements cannot give weights (a group nobody judged, judged pairs that
            do not connect all criteria); the message says which.
        """
        from decide.weights import derive

        return derive(self.model_with_judgments())

    def save(self, path=None, *, overwrite: bool = False):
        """Write the judgements into a copy of the model file (see :func:`decide.workshop.save.save_judgments`)."""
        from decide.workshop.save import save_judgments

        return save_judgments(self, path, overwrite=overwrite)

    def __repr__(self) -> str:
        return (f"JudgmentSession(model={self.model.name()!r}, participants={self.participants!r}, "
                f"groups={len(self.groups)})")


# ====================================================================== widgets
def _widgets():
    import ipywidgets as W

    return W


def _cr_html(check: GroupCheck, lang: str) -> str:
    if check.cr is None:
        return H.badge(check.error or "", H.WARN_COLOUR)
    cr = i18n.fmt_number(check.cr, lang, 2)
    limit = i18n.fmt_number(check.max_cr, lang, 2)
    if check.consistent:
        text = H.badge(_t("cr_ok", lang, cr=cr, max_cr=limit), H.OK_COLOUR)
    else:
        text = H.badge(_t("cr_bad", lang, cr=cr, max_cr=limit), H.BAD_COLOUR)
    if check.estimated:
        text += f" <span style='color:{H.MUTED}'>" + H.esc(_t("estimated", lang, n=len(check.estimated))) + "</span>"
    return text


class PairRow:
    """One pair of criteria: a slider over the verbal Saaty scale and a 'skip' box."""

    def __init__(self, session: JudgmentSession, name: str, a: str, b: str):
        W = _widgets()
        self.session, self.name, self.a, self.b = session, name, a, b
        lang = session.lang
        v = session.value(name, a, b)
        la, lb = session.label(a), session.label(b)
        self.slider = W.SelectionSlider(options=scale_options(la, lb, lang, extra=v),
                                        value=1.0 if v is None else v, readout=False, continuous_update=False,
                                        layout=W.Layout(width="16em"))
        self.skip = W.Checkbox(value=v is None, description=_t("skip", lang), indent=False,
                               layout=W.Layout(width="9em"))
        self.slider.disabled = v is None
        self.text = W.HTML(self._text())
        # the verbal reading sits under its own slider, inside the pair's box, and a rule
        # separates pairs, so it never reads as the caption of the next slider; labels wrap
        # instead of being cut
        self.widget = W.VBox([
            W.HBox([
                W.HTML(f"<div style='text-align:right;white-space:normal'>{H.esc(la)}</div>",
                       layout=W.Layout(width="14em", min_width="10em")),
                self.slider,
                W.HTML(f"<div style='white-space:normal'>{H.esc(lb)}</div>",
                       layout=W.Layout(width="14em", min_width="10em")),
                self.skip,
            ], layout=W.Layout(flex_flow="row wrap", align_items="center")),
            W.HBox([self.text], layout=W.Layout(margin="0 0 0 14em")),
        ], layout=W.Layout(border_bottom="1px solid #e3e7eb", padding="0.2em 0 0.4em 0", margin="0 0 0.3em 0"))
        self.slider.observe(self._moved, names="value")
        self.skip.observe(self._skipped, names="value")
        self._syncing = False

    def _text(self) -> str:
        v = self.session.value(self.name, self.a, self.b)
        if v is None:
            return f"<i style='color:{H.MUTED}'>{H.esc(_t('skipped', self.session.lang))}</i>"
        return H.esc(sentence(self.session.label(self.a), self.session.label(self.b), v, self.session.lang))

    def _moved(self, change) -> None:
        if self._syncing or self.skip.value:
            return
        self.session.set_value(self.name, self.a, self.b, change["new"])

    def _skipped(self, change) -> None:
        if self._syncing:
            return
        self.slider.disabled = bool(change["new"])
        self.session.set_value(self.name, self.a, self.b, None if change["new"] else self.slider.value)

    def sync(self) -> None:
        """Show the session's value (after a change made elsewhere, e.g. an applied hint)."""
        v = self.session.value(self.name, self.a, self.b)
        self._syncing = True
        try:
            if v is None:
                self.skip.value = True
                self.slider.disabled = True
            else:
                if not any(o[1] == v for o in self.slider.options):
                    self.slider.options = scale_options(self.session.label(self.a), self.session.label(self.b),
                                                        self.session.lang, extra=v)
                self.slider.value = v
                self.skip.value = False
                self.slider.disabled = False
        finally:
            self._syncing = False
        self.text.value = self._text()


class ParticipantPanel(H.Shown):
    """One participant's judgements: per group of sibling criteria the pair sliders, the live
    consistency ratio and the repair hints (each with a button that applies it).

    Attributes
    ----------
    rows : dict (a, b) -> PairRow
        ``rows[(a, b)].slider`` is the slider of a pair (value: how many times ``a`` is as
        important as ``b``), ``rows[(a, b)].skip`` its 'skip' box.
    status : dict parent -> ipywidgets.HTML
        The consistency line per group.
    hints : dict parent -> ipywidgets.VBox
        The repair hints per group.
    widget : ipywidgets.VBox
    """

    def __init__(self, session: JudgmentSession, name: str):
        W = _widgets()
        session._check_name(name)
        self.session, self.name = session, name
        lang = session.lang
        self.rows: dict[Pair, PairRow] = {}
        self.status: dict[Optional[str], Any] = {}
        self.hints: dict[Optional[str], Any] = {}
        self.checks: dict[Optional[str], GroupCheck] = {}
        parts = [W.HTML(f"<p style='color:{H.MUTED}'>{H.esc(_t('how_to_judge', lang))}</p>")]
        for parent, pairs in session.pairs.items():
            title = _t("group_title_top", lang) if parent is None else _t("group_title", lang,
                                                                          parent=session.label(parent))
            parts.append(W.HTML(H.heading(title, 4)))
            for a, b in pairs:
                row = PairRow(session, name, a, b)
                self.rows[(a, b)] = row
                parts.append(row.widget)
            self.status[parent] = W.HTML()
            self.hints[parent] = W.VBox()
            parts.extend([self.status[parent], self.hints[parent]])
        self.widget = W.VBox(parts)
        for parent in session.pairs:
            self.refresh(parent)
        session.on_change(self._changed)

    def _changed(self, name: Optional[str], parent: Optional[str]) -> None:
        if name != self.name:
            return
        for pair in self.session.pairs.get(parent, []):
            self.rows[pair].sync()
        self.refresh(parent)

    def refresh(self, parent: Optional[str]) -> GroupCheck:
        """Recompute and show the consistency and hints of one group."""
        W = _widgets()
        lang = self.session.lang
        chk = self.session.check(self.name, parent)
        self.checks[parent] = chk
        self.status[parent].value = _cr_html(chk, lang)
        children = []
        for h in chk.hints:
            text = W.HTML(H.esc(h.text(lang, labels=self.session.labels)), layout=W.Layout(width="auto"))
            button = W.Button(description=_t("apply_hint", lang), button_style="warning",
                              layout=W.Layout(width="auto"))
            button.on_click(lambda _b, h=h: self.apply(h))
            children.append(W.HBox([button, text]))
        self.hints[parent].children = tuple(children)
        return chk

    def apply(self, hint) -> None:
        """Take over a repair hint: set the judgement to the suggested value."""
        self.session.set_value(self.name, hint.a, hint.b, hint.suggested)



class JudgmentPanel(H.Shown):
    """A tab per participant with their pairwise sliders (:class:`ParticipantPanel`).

    Attributes
    ----------
    panels : dict name -> ParticipantPanel
    widget : ipywidgets.Tab
    """

    def __init__(self, session: JudgmentSession):
        W = _widgets()
        self.session = session
        self.panels = {n: ParticipantPanel(session, n) for n in session.participants}
        self.widget = W.Tab(children=[p.widget for p in self.panels.values()])
        self.widget.add_class("decide-tabs")  # titles take their full width and wrap (see _html.STYLE)
        self.widget.titles = tuple(self._title(n) for n in self.panels)
        session.on_change(lambda name, parent: self._retitle())

    def _title(self, name: str) -> str:
        ok = all(c.consistent for c in self.panels[name].checks.values())
        return f"{name} {'✓' if ok else '⚠'}"

    def _retitle(self) -> None:
        self.widget.titles = tuple(self._title(n) for n in self.panels)



class GroupPanel(H.Shown):
    """The group result, live: weights, group consistency, consensus and each participant's distance.

    Attributes
    ----------
    html : ipywidgets.HTML
        The result (updated after every change in the session when ``live``).
    derivation : decide.weights.Derivation or None
        The last result (None when the judgements cannot give weights; ``error`` says why).
    error : str or None
    """

    def __init__(self, session: JudgmentSession, live: bool = True):
        W = _widgets()
        self.session = session
        self.html = W.HTML()
        self.derivation = None
        self.error: Optional[str] = None
        self.widget = W.VBox([self.html])
        self.refresh()
        if live:
            session.on_change(lambda name, parent: self.refresh())

    @property
    def weights(self) -> Optional[pd.Series]:
        """The group's leaf weights (None when there are none)."""
        return None if self.derivation is None else self.derivation.weights

    def refresh(self) -> None:
        """Recompute the group result and show it."""
        try:
            self.derivation = self.session.derive()
            self.error = None
        except DecideError as exc:
            self.derivation, self.error = None, str(exc)
        self.html.value = self.render()

    def render(self) -> str:
        """The group result as HTML."""
        s, lang = self.session, self.session.lang
        if self.derivation is None:
            return H.heading(_t("group_heading", lang)) + H.para(_t("group_error", lang), H.BAD_COLOUR) + \
                f"<pre style='white-space:pre-wrap'>{H.esc(self.error)}</pre>"
        d = self.derivation
        parts = [H.heading(_t("group_heading", lang)),
                 H.para(_t("group_method", lang, aggregate=_t(f"aggregate_{d.aggregate}", lang),
                           ri=d.ri_table, max_cr=i18n.fmt_number(d.max_cr, lang, 2)), H.MUTED)]
        top = float(d.weights.max()) or 1.0
        rows = []
        for k, (cid, w) in enumerate(d.weights.items()):
            rows.append([H.esc(s.label(cid)), H.esc(i18n.fmt_pct(w, lang, 1)), H.bar(w / top, H.colour(k))])
        parts.append(H.table([_t("criterion", lang), _t("weight", lang), ""], rows, ["left", "right", "left"]))
        # per sibling group: the group's CR and the consensus
        rows = []
        for parent in s.groups:
            g = d.group.get(parent)
            cr = "–" if g is None else i18n.fmt_number(g.cr, lang, 2)
            c = d.consensus.get(parent)
            cons = "–" if c is None else f"{i18n.fmt_pct(c.value, lang, 0)} ({_t('band_' + c.band, lang)})"
            colour = H.MUTED if c is None else {"high": H.OK_COLOUR, "moderate": H.WARN_COLOUR}.get(c.band, H.BAD_COLOUR)
            rows.append([H.esc(s.label(parent)), H.esc(cr), f"<span style='color:{colour}'>{H.esc(cons)}</span>"])
        parts.append(H.heading(_t("consensus_heading", lang), 5))
        parts.append(H.table([_t("group", lang), _t("group_cr", lang), _t("consensus", lang)], rows,
                             ["left", "right", "left"]))
        # per participant: CR per group and distance to the group
        groups = list(s.groups)
        headers = [_t("participant", lang), _t("participant_weight", lang)]
        headers += [_t("cr_in", lang, group=s.label(p)) for p in groups]
        headers += [_t("distance_in", lang, group=s.label(p)) for p in groups if p in d.consensus]
        rows = []
        for p in d.participants:
            row = [H.esc(p.name), H.esc(i18n.fmt_number(p.weight, lang, 1))]
            for g in groups:
                cr = p.cr.get(g)
                if cr is None:
                    row.append("–")
                else:
                    ok = cr <= d.max_cr
                    row.append(H.badge(i18n.fmt_number(cr, lang, 2), H.OK_COLOUR if ok else H.BAD_COLOUR))
            for g in groups:
                c = d.consensus.get(g)
                if c is None:
                    continue
                dist = c.distance.get(p.name)
                row.append("–" if dist is None else H.esc(i18n.fmt_number(float(dist), lang, 3)))
            rows.append(row)
        parts.append(H.heading(_t("participants_heading", lang), 5))
        parts.append(H.table(headers, rows, ["left"] + ["right"] * (len(headers) - 1)))
        parts.append(H.para(_t("distance_note", lang), H.MUTED))
        return "".join(parts)



def judgment_panel(session: JudgmentSession) -> JudgmentPanel:
    """Pairwise sliders per participant, with live CR and repair hints (see :class:`JudgmentPanel`)."""
    return JudgmentPanel(session)


def group_panel(session: JudgmentSession, live: bool = True) -> GroupPanel:
    """The live group result of a session (see :class:`GroupPanel`)."""
    return GroupPanel(session, live=live)
