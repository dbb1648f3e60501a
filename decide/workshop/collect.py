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

import datetime as _dt
import io
import math
import os
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pandas as pd

from decide import i18n
from decide.errors import DecideError
from decide.store import WorkshopInputError, WorkshopStore
from decide.workshop.save import (MARKER, WORKSHOP_SUFFIX, _apply, _layout, _with_marker, _write_atomic, _yaml,
                                  default_path)

__all__ = ["SCORE_MODES", "ExportResult", "Status", "export", "status"]

SCORE_MODES = ("agreed", "range", "triangular")


def _c(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"collect.{key}", lang, **kw)


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export` wrote and how the written file checks out.

    Attributes
    ----------
    path, source : Path
    participants : tuple of str
        The participants whose judgements were written.
    changed, added, removed : int
        Judgements rewritten, appended and removed, over all participants.
    dropped : tuple of str
        Participants of the model file who gave no input in the workshop (left out).
    scores_written, scores_missing : int
        Score cells written; cells without an agreed value (``agreed`` mode) or without scores.
    score_mode : str
    weights : pandas.Series or None
        The leaf weights of the written file (loaded and derived again).
    group_weights : pandas.Series or None
        The group weights of the store's judgements (what the facilitator saw).
    max_difference : float
    """

    path: Path
    source: Path
    participants: tuple
    changed: int
    added: int
    removed: int
    dropped: tuple
    scores_written: int
    scores_missing: int
    score_mode: str
    weights: Optional[pd.Series]
    group_weights: Optional[pd.Series]
    max_difference: float
    lang: str = "nl"

    @property
    def same_weights(self) -> bool:
        return self.max_difference <= 1e-9

    def text(self, lang: Optional[str] = None) -> str:
        lang = lang or self.lang
        parts = [_c("exported", lang, path=str(self.path), n=len(self.participants), changed=self.changed,
                    added=self.added, removed=self.removed)]
        if self.dropped:
            parts.append(_c("dropped", lang, names=", ".join(self.dropped)))
        if self.scores_written or self.scores_missing:
            parts.append(_c("scores_written", lang, n=self.scores_written, mode=_c(f"mode_{self.score_mode}", lang),
                            missing=self.scores_missing))
        if self.group_weights is not None:
            parts.append(_c("same" if self.same_weights else "different", lang,
                            diff=i18n.fmt_number(self.max_difference, lang, 6)))
        return "\n".join(parts)

    def to_dict(self) -> dict:
        return {"path": str(self.path), "source": str(self.source), "participants": list(self.participants),
                "changed": self.changed, "added": self.added, "removed": self.removed,
                "dropped": list(self.dropped), "scores_written": self.scores_written,
                "scores_missing": self.scores_missing, "score_mode": self.score_mode,
                "weights": None if self.weights is None else self.weights.to_dict(),
                "group_weights": None if self.group_weights is None else self.group_weights.to_dict(),
                "max_difference": self.max_difference, "same_weights": self.same_weights}


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
    ExportResult

    Raises
    ------
    WorkshopInputError
        Nothing collected yet, an unknown score mode, or the target exists without ``force``.
    decide.errors.ModelError
        The written file does not validate.
    """
    from decide.loader import load_model
    from decide.weights import derive

    lang = lang or store.lang
    if scores not in SCORE_MODES:
        raise WorkshopInputError("score-mode", "scores", _c("score_mode", lang, mode=scores,
                                                             modes=", ".join(SCORE_MODES)))
    model = store.model
    if model.path is None:
        raise WorkshopInputError("no-file", "", i18n.t("store.no_model_file", lang))
    source = Path(model.path)
    target = Path(path) if path is not None else default_path(source)
    if target.exists() and not force and not (path is None and target.name.endswith(WORKSHOP_SUFFIX)):
        raise WorkshopInputError("exists", str(target), _c("exists", lang, path=str(target)))
    everyone = store.all_judgments()
    judges = [n for n, v in everyone.items() if v]
    session = store.session() if judges else None
    scored = store.plan.scoring and (any(store.all_scores().values()) or store.agreed())
    if session is None and not scored:
        raise WorkshopInputError("no-input", "", i18n.t("store.no_judgments", lang))
    text = source.read_text(encoding="utf-8")
    data = _yaml().load(text)
    y = _layout(data, text)
    changed = added = removed = 0
    dropped: tuple = ()
    if session is not None:
        dropped = _drop_others(data, judges)
        changed, added, removed = _apply(data, session)
    written, missing = (0, 0)
    if store.plan.scoring:
        written, missing = _apply_scores(data, store, scores)
    buf = io.StringIO()
    y.dump(data, buf)
    stamp = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    line = f"{MARKER} " + _c("export_comment", lang, date=stamp, source=source.name, store=store.path.name)
    _write_atomic(target, _with_marker(buf.getvalue(), line))

    saved = derive(load_model(target)).weights
    group = None
    diff = math.nan
    if session is not None:
        group = session.derive().weights
        diff = float((saved.reindex(group.index) - group).abs().max())
        if math.isnan(diff):
            diff = math.inf
    return ExportResult(target, source, tuple(judges), changed, added, removed, dropped, written, missing, scores,
                        saved, group, diff if session is not None else 0.0, lang)


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

    def to_dict(self) -> dict:
        return {"store": str(self.path), "records": self.records,
                "progress": self.progress.reset_index().to_dict(orient="records"),
                "judgment_spread": self.judgment_spread.to_dict(orient="records"),
                "score_spread": self.score_spread.to_dict(orient="records"),
                "group_weights": None if self.group_weights is None else self.group_weights.to_dict(),
                "group_error": self.group_error}


def status(store: WorkshopStore, *, top: int = 5) -> Status:
    """Progress per participant, the widest-spread pairs and scores, and the group weights so far."""
    group, error = None, None
    try:
        group = store.session().derive().weights
    except DecideError as exc:
        error = str(exc)
    return Status(store.path, store.progress().to_frame(), store.judgment_spread().head(top),
                  store.score_spread().head(top), len(store.audit()), group, error, store.lang)
