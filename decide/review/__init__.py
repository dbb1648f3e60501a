"""Strategy review: the seed's evaluation questions and key components, answered from the model.

The seed document ("Definieer je inkoopstrategie") ends with six questions every
procurement strategy must answer, lists seven key components, seven trade-offs, seven best
practices and five challenges (32 checks). The review answers each from the model file and its computed results (ranking, optimal
portfolio, scenario comparison) with a status (``ok``, ``attention``, ``missing``), a
finding with the model's own numbers and names, advice on what to add to the model, and
the seed section it comes from. Everything is in Dutch and English.

>>> from decide.loader import load_model
>>> from decide.review import review, format_review
>>> model = load_model("models/zaaksysteem.yaml")               # doctest: +SKIP
>>> r = decide.Analysis(model).review                            # doctest: +SKIP
>>> r.check("evaluation.legal").status                          # doctest: +SKIP
'ok'
>>> print(format_review(r, "en"))                                # doctest: +SKIP

The checks are a table (:data:`CHECKS`); add one with :func:`register_check`:

>>> from decide.review import Finding, Text, register_check      # doctest: +SKIP
>>> @register_check("extra.dpia", question={"nl": "Is er een DPIA?", "en": "Is there a DPIA?"},
...                 source="Uitdagingen en oplossingen")        # doctest: +SKIP
... def dpia(ctx):
...     return Finding("missing", Text(nl="Geen DPIA.", en="No DPIA."), Text(nl="...", en="..."))

Public API
----------
review(model, *, lang=None, context, checks=None) -> Review   (or decide.Analysis(model).review)
format_review(review, lang=None) -> str
ReviewContext(analysis)  # reads a decide.analysis.Analysis (decide.Analysis(model))
Review, Check, Finding, CHECKS, register_check, Text, STATUSES
"""
from __future__ import annotations

from typing import Iterable, Optional

from decide.model import DecisionModel
from decide.review._core import (CHECKS, STATUSES, Check, CheckRegistry, CheckSpec, Finding, Review,
                                 format_review, register_check, worst)
from decide.review._text import Text, msg
from decide.review.context import PortfolioFigures, Recommendation, ReviewContext
from decide.review import checks as _checks  # noqa: F401  (registers the seed's checks)
from decide.review import practices as _practices  # noqa: F401  (best practices and challenges)
from decide.review.motivation import bundling_skeleton

__all__ = [
    "CHECKS",
    "STATUSES",
    "Check",
    "CheckRegistry",
    "CheckSpec",
    "Finding",
    "PortfolioFigures",
    "Recommendation",
    "Review",
    "ReviewContext",
    "Text",
    "bundling_skeleton",
    "format_review",
    "msg",
    "register_check",
    "review",
    "worst",
]


def review(model: DecisionModel, *, lang: Optional[str] = None, context: Optional[ReviewContext] = None,
           checks: Optional[Iterable[CheckSpec]] = None) -> Review:
    """Review the model's strategy against the seed's questions, components and trade-offs.

    Parameters
    ----------
    model : DecisionModel
    lang : {"nl", "en"}, optional
        Default language of the review's exports (default: the model's ``language``).
        Every text is held in both languages regardless.
    context : ReviewContext
        The context over the model's analysis (``ReviewContext(analysis)``: its ranking,
        allocation and scenarios are read, never computed again). ``decide.Analysis(model).review``
        is the review of a model with a new analysis.
    checks : iterable of CheckSpec, optional
        The checks to run (default: the table :data:`CHECKS`, in its order).

    Returns
    -------
    Review
        Never raises for a thin or unsolvable model: the affected checks say what could
        not be computed and why.
    """
    if lang is not None and lang not in ("nl", "en"):
        from decide.errors import InputError

        raise InputError.keyed("review.language_unknown", "lang", value=repr(lang))
    if context is None:
        # the review reads an analysis and never builds one (the analysis has the review as a stage)
        raise TypeError("review() reads the model's analysis: use decide.Analysis(model).review, or pass "
                        "context=ReviewContext(decide.Analysis(model))")
    if context.model is not model:
        raise ValueError("the context was built for another model; pass ReviewContext(decide.Analysis(model))")
    specs = list(CHECKS if checks is None else checks)
    results = tuple(spec(context) for spec in specs)
    try:
        skeleton = bundling_skeleton(context)
    except Exception:  # noqa: BLE001 - the checks already report what is missing
        skeleton = None
    title = Text(**{lg: model.name(lg) for lg in ("nl", "en")})
    return Review(results, title=title, language=lang or model.language, skeleton=skeleton)
