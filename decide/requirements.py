"""Knock-out requirements: options that fail a minimum demand leave before scoring.

A requirement is ``{criterion, min}``, ``{criterion, max}``, ``{tag}`` (the option must
carry the tag) or ``{not_tag}`` (it must not). Criterion requirements test the option's
point score (the expected value of an uncertain score; the TCO for a ``source: tco``
criterion). Every exclusion carries its reason, in Dutch and English.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from decide.errors import ModelError, Problem
from decide.i18n import fmt_number, t
from decide.model import DecisionModel, text


@dataclass(frozen=True)
class Exclusion:
    """One option knocked out by one requirement."""

    id: str
    requirement: int  # index in model.requirements
    kind: str  # "min" | "max" | "tag" | "not_tag"
    criterion: str | None
    limit: float | str
    found: float | str | None

    def reason(self, model: DecisionModel, lang: str = "nl") -> str:
        """The reason in words, e.g. "Informatiebeveiliging is 2, minimum 3"."""
        if self.criterion is not None:
            name = model.criterion(self.criterion).name(lang)
            return t(f"requirements.{self.kind}", lang, criterion=name,
                     found=fmt_number(float(self.found), lang, 2).rstrip("0").rstrip(",."),
                     limit=fmt_number(float(self.limit), lang, 2).rstrip("0").rstrip(",."))
        return t(f"requirements.{self.kind}", lang, tag=self.limit)


@dataclass(frozen=True)
class Screening:
    """The result of the knock-out requirements."""

    passed: tuple[str, ...]
    excluded: tuple[Exclusion, ...]

    def reasons(self, model: DecisionModel, lang: str = "nl") -> dict[str, list[str]]:
        """Option id -> every reason it was excluded for."""
        out: dict[str, list[str]] = {}
        for e in self.excluded:
            out.setdefault(e.id, []).append(e.reason(model, lang))
        return out

    def to_frame(self, model: DecisionModel, lang: str = "nl") -> pd.DataFrame:
        rows = [{"id": e.id, "label": model.alternative(e.id).name(lang), "requirement": e.requirement,
                 "reason": e.reason(model, lang)} for e in self.excluded]
        return pd.DataFrame(rows, columns=["id", "label", "requirement", "reason"])


def screen(model: DecisionModel, scores: pd.DataFrame | None = None) -> Screening:
    """Apply the model's requirements to its options.

    Raises
    ------
    ModelError
        When the requirements exclude every option (there would be nothing to rank).
    """
    if scores is None and model.criteria:
        scores = model.score_table()
    excluded: list[Exclusion] = []
    for a in model.alternatives:
        for i, r in enumerate(model.requirements):
            if r.criterion is not None:
                v = float(scores.at[a.id, r.criterion])  # type: ignore[union-attr]
                if r.min is not None and v < r.min:
                    excluded.append(Exclusion(a.id, i, "min", r.criterion, r.min, v))
                if r.max is not None and v > r.max:
                    excluded.append(Exclusion(a.id, i, "max", r.criterion, r.max, v))
            elif r.tag is not None and r.tag not in a.tags:
                excluded.append(Exclusion(a.id, i, "tag", None, r.tag, None))
            elif r.not_tag is not None and r.not_tag in a.tags:
                excluded.append(Exclusion(a.id, i, "not_tag", None, r.not_tag, None))
    out = {e.id for e in excluded}
    passed = tuple(a.id for a in model.alternatives if a.id not in out)
    if not passed:
        file = model.path or "<model>"
        raise ModelError([Problem.of("all-excluded", "requirements", n=len(model.alternatives), file=file)], file)
    return Screening(passed, tuple(excluded))
