"""From the workshop store back into the model file: the one export of collected input.

:func:`export` writes every participant's current judgements (as their own AHP participant
entry) and, when the model asks for committee scoring, the committee's scores into a copy of
the model file, with ruamel.yaml's round trip as :mod:`decide.workshop.save` does: comments,
key order and flow lists stay as they are, only what the workshop collected is touched, and the
first line records the export. The file is then loaded and validated again and its weights are
compared with the group weights of the store (what the facilitator saw).

Committee scores become the model's scores in one of three ways (``scores=``):

``agreed``
    The value the committee agreed after the discussion (entered by the facilitator). A cell
    without an agreed value keeps the model's score and is counted in ``scores_missing``.
``range``
    The evaluators' spread as a uniform uncertain score ``[low, high]`` (a single value where
    all agree), so SMAA and the portfolio's robustness see the disagreement.
``triangular``
    ``{low, mode, high}`` with the agreed value as the mode when there is one, else the median.

:func:`status` summarises a store for ``decide workshop status``.
"""
from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pandas as pd

from decide import i18n
from decide.errors import DecideError, Message
from decide.store import WorkshopInputError, WorkshopStore
from decide.workshop.save import (WORKSHOP_SUFFIX, SaveResult, _apply, default_path, max_difference, stamp,
                                  write_model)

__all__ = ["SCORE_MODES", "ExportResult", "Status", "export", "status"]

SCORE_MODES = ("agreed", "range", "triangular")


def _c(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"collect.{key}", lang, **kw)


#: An export's outcome is a :class:`decide.workshop.save.SaveResult` with the export's fields.
ExportResult = SaveResult


def _score_value(store: WorkshopStore, criterion: str, v: float) -> Any:
    """A score as the model file writes it: the level name on a named scale, else the number."""
    scale = store.plan.scales[criterion]
    if scale.named:
        for name, x in scale.levels:
            if abs(x - v) <= 1e-9 * max(1.0, abs(x)):
                return name
    return int(v) if float(v).is_integer() else float(v)


def _cell_value(store: WorkshopStore, cell: tuple[str, str], mode: str, values: list[float],
                agreed: Optional[float]) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    crit = cell[1]
    if mode == "agreed":
        return None if agreed is None else _score_value(store, crit, agreed)
    if not values:
        return None if agreed is None else _score_value(store, crit, agreed)
    lo, hi = min(values), max(values)
    if lo == hi:
        return _score_value(store, crit, lo)
    if mode == "range":
        seq = CommentedSeq([_score_value(store, crit, lo), _score_value(store, crit, hi)])
        seq.fa.set_flow_style()
        return seq
    mode_value = agreed if agreed is not None and lo <= agreed <= hi else float(statistics.median(values))
    tri = CommentedMap([("low", _score_value(store, crit, lo)), ("mode", _score_value(store, crit, mode_value)),
                        ("high", _score_value(store, crit, hi))])
    tri.fa.set_flow_style()
    return tri


def _apply_scores(data: Any, store: WorkshopStore, mode: str) -> tuple[int, int]:
    from ruamel.yaml.comments import CommentedMap

    everyone = store.all_scores()
    agreed = store.agreed()
    written = missing = 0
    alts = {a.get("id"): a for a in (data.get("alternatives") or []) if isinstance(a, dict)}
    for cell in store.plan.cells():
        values = [s[cell].value for s in everyone.values() if cell in s]
        ag = agreed[cell].value if cell in agreed else None
        new = _cell_value(store, cell, mode, values, ag)
        if new is None:
            missing += 1
            continue
        alt = alts[cell[0]]
        scores = alt.get("scores")
        if not isinstance(scores, dict):
            scores = CommentedMap()
            scores.fa.set_flow_style()
            alt["scores"] = scores
        if scores.get(cell[1]) != new:
            scores[cell[1]] = new
        written += 1
    return written, missing


def _drop_others(data: Any, keep: list[str]) -> tuple[str, ...]:
    people = (((data.get("weights") or {}).get("ahp") or {}).get("participants"))
    if not isinstance(people, list):
        return ()
    dropped = []
    for i in reversed(range(len(people))):
        p = people[i]
        if isinstance(p, dict) and p.get("name") not in keep:
            dropped.append(str(p.get("name")))
            del people[i]
    return tuple(reversed(dropped))


def export(store: WorkshopStore, path: str | os.PathLike | None = None, *, force: bool = False,
           scores: str = "agreed", lang: Optional[str] = None) -> ExportResult:
    """Write the collected input into a copy of the model file (comments and order kept).

    Parameters
    ----------
    store : WorkshopStore
        The workshop; its model must have been loaded from a file.
    path : path-like, optional
        Where to write. Default: ``NAME.workshop.yaml`` beside the model file (a workshop's own
        output, refreshed on every export). Any other existing file, the model file itself
        included, is only replaced with ``force``.
    force : bool
        Allow replacing an existing file.
    scores : {'agreed', 'range', 'triangular'}
        How committee scores become the model's scores (see the module docstring).

    Returns
    -------
    SaveResult
        With the export's fields (participants, dropped, scores, the store's group weights).

    Raises
    ------
    WorkshopInputError
        Nothing collected yet, an unknown score mode, or the target exists without ``force``.
    decide.errors.ModelError
        The written file does not validate.
    """
    lang = lang or store.lang
    if scores not in SCORE_MODES:
        raise WorkshopInputError("score-mode", "scores", Message("collect.score_mode", shown_in=lang, mode=scores,
                                                                 modes=", ".join(SCORE_MODES)))
    model = store.model
    if model.path is None:
        raise WorkshopInputError("no-file", "", Message("store.no_model_file", shown_in=lang))
    source = Path(model.path)
    target = Path(path) if path is not None else default_path(source)
    if target.exists() and not force and not (path is None and target.name.endswith(WORKSHOP_SUFFIX)):
        raise WorkshopInputError("exists", str(target), Message("collect.exists", shown_in=lang, path=str(target)))
    everyone = store.all_judgments()
    judges = [n for n, v in everyone.items() if v]
    session = store.session() if judges else None
    scored = store.plan.scoring and (any(store.all_scores().values()) or store.agreed())
    if session is None and not scored:
        raise WorkshopInputError("no-input", "", Message("store.no_judgments", shown_in=lang))
    def edit(data: Any) -> tuple:
        dropped: tuple = ()
        changed = added = removed = 0
        if session is not None:
            dropped = _drop_others(data, judges)
            changed, added, removed = _apply(data, session)
        written, missing = _apply_scores(data, store, scores) if store.plan.scoring else (0, 0)
        return dropped, changed, added, removed, written, missing

    comment = _c("export_comment", lang, date=stamp(), source=source.name, store=store.path.name)
    (dropped, changed, added, removed, written, missing), saved = write_model(source, target, edit, comment)
    group = None if session is None else session.derive().weights
    diff = 0.0 if group is None else max_difference(saved, group)
    return SaveResult(target, source, changed, added, removed, saved, diff, lang, participants=tuple(judges),
                      dropped=dropped, scores_written=written, scores_missing=missing, score_mode=scores,
                      group_weights=group)


@dataclass(frozen=True)
class Section:
    """One table of a status screen: a title, headers and formatted cells (``align``: ``left``/``right``)."""

    title: str
    headers: tuple
    rows: tuple
    align: tuple


@dataclass(frozen=True)
class Status:
    """A workshop's progress and where people differ most, for ``decide workshop status``."""

    path: Path
    progress: pd.DataFrame
    judgment_spread: pd.DataFrame
    score_spread: pd.DataFrame
    records: int
    group_weights: Optional[pd.Series]
    group_error: Optional[str]
    lang: str
    scales: dict = field(default_factory=dict, repr=False)

    def to_dict(self) -> dict:
        return {"store": str(self.path), "records": self.records,
                "progress": self.progress.reset_index().to_dict(orient="records"),
                "judgment_spread": self.judgment_spread.to_dict(orient="records"),
                "score_spread": self.score_spread.to_dict(orient="records"),
                "group_weights": None if self.group_weights is None else self.group_weights.to_dict(),
                "group_error": self.group_error}

    def sections(self, view: Any) -> list[Section]:
        """The status as tables for a screen, in ``view``'s language.

        ``view`` is a :class:`decide.render.View`: it names options and criteria by their labels
        (ids with ``--ids``) and formats numbers and percentages for the language.
        """
        from decide.workshop.scale import fmt_value

        lang = view.lang
        c = lambda key, **kw: _c(key, lang, **kw)  # noqa: E731
        L, R = "left", "right"
        out = []
        if not self.progress.empty:
            rows = tuple((str(name), c(f"role_{r.role}"), c("of", done=view.int(r.judged), total=view.int(r.pairs)),
                          c("of", done=view.int(r.scored), total=view.int(r.cells)))
                         for name, r in self.progress.iterrows())
            out.append(Section(c("status_progress"), (c("col_participant"), c("col_role"), c("col_judged"),
                                                      c("col_scored")), rows, (L, L, R, R)))
        if not self.judgment_spread.empty:
            judged = lambda x: fmt_value(float(x), lang)  # noqa: E731  3, 1/3: as on the sliders
            rows = tuple((c("top") if pd.isna(r.parent) else view.name(r.parent), view.name(r.a), view.name(r.b),
                          view.int(r.n), judged(r.low), judged(r.high), view.num(r.geomean, 2), view.int(r.steps))
                         for r in self.judgment_spread.itertuples())
            out.append(Section(c("status_pairs"), (c("col_group"), c("col_a"), c("col_b"), c("col_n"), c("col_low"),
                                                   c("col_high"), c("col_geomean"), c("col_steps")),
                               rows, (L, L, L, R, R, R, R, R)))
        if not self.score_spread.empty:
            out.append(score_spread_section(self.score_spread, self.scales, view, c("status_scores")))
        if self.group_weights is not None:
            rows = tuple((view.name(k), view.pct(w)) for k, w in self.group_weights.items())
            out.append(Section(c("status_weights"), (c("col_criterion"), c("col_weight")), rows, (L, R)))
        return out


def score_spread_section(spread: pd.DataFrame, scales: dict, view: Any, title: str) -> Section:
    """A :meth:`WorkshopStore.score_spread` frame as a table for a screen (levels by name on a named scale)."""
    c = lambda key: _c(key, view.lang)  # noqa: E731

    def level(crit: str, x: float) -> str:
        scale = scales.get(crit)
        if x != x:
            return "-"
        if scale is not None and scale.named:
            return scale.label_of(x)
        return view.int(x) if float(x).is_integer() else view.num(x, 2)

    rows = tuple((view.name(r.option), view.name(r.criterion), view.int(r.n), level(r.criterion, r.low),
                  level(r.criterion, r.high), view.num(r.median, 2), view.num(r.std, 2), level(r.criterion, r.agreed))
                 for r in spread.itertuples())
    return Section(title, (c("col_option"), c("col_criterion"), c("col_n"), c("col_low"), c("col_high"),
                           c("col_median"), c("col_std"), c("col_agreed")), rows, ("left", "left") + ("right",) * 6)


def status(store: WorkshopStore, *, top: int = 5) -> Status:
    """Progress per participant, the widest-spread pairs and scores, and the group weights so far."""
    group, error = None, None
    try:
        group = store.session().derive().weights
    except DecideError as exc:
        error = str(exc)
    return Status(store.path, store.progress().to_frame(), store.judgment_spread().head(top),
                  store.score_spread().head(top), len(store.audit()), group, error, store.lang,
                  dict(store.plan.scales))
