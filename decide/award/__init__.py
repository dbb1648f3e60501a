"""Award design: Dutch award formulas, bid evaluation, the rank paradox, simulation.

Array level (no model needed)::

    from decide.award import Scheme, evaluate, simulate
    ev = evaluate([1_000_000, 1_250_000], [[1.0], [0.7]], Scheme("points", [40], price_points=60),
                  ids=["A", "B"])
    ev.table          # price_score, quality_score, total, fictive_price, utility, rank
    ev.paradox        # pairs that swap when another bid is removed

Model level: :func:`award_model` evaluates a model's ``award`` section and simulates the
candidate formulas from its options; :func:`format_award` renders it as text.
"""
from __future__ import annotations

from decide.award.evaluation import Evaluation, Suggestion, Swap, evaluate, paradox, suggest
from decide.award.formulas import METHODS, PRICE_FORMULAS, Scheme, price_scores, ranks, scores
from decide.award.simulation import FORMULAS, Candidate, SimulationResult, candidates, simulate

__all__ = ["METHODS", "PRICE_FORMULAS", "FORMULAS", "Scheme", "Evaluation", "Swap", "Suggestion",
           "Candidate", "SimulationResult", "evaluate", "paradox", "suggest", "price_scores", "ranks", "scores",
           "candidates", "simulate", "award_model", "ModelAward", "format_award"]


def __getattr__(name: str):
    # model-level glue is imported on first use: the array-level modules stay free of the model
    if name in ("award_model", "ModelAward"):
        from decide.award import from_model

        return getattr(from_model, name)
    if name == "format_award":
        from decide.award.text import format_award

        return format_award
    raise AttributeError(f"module 'decide.award' has no attribute {name!r}")
