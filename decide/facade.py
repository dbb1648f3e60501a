"""The facade: one call runs the whole analysis of a model, ``decide.analyse(model)``.

Weights, knock-outs, TCO, ranking with the method comparison and explanations,
sensitivity (stability intervals and SMAA-2), the portfolio with its frontier and
scenarios (when the model has an allocation section), the strategy review and the award,
as one :class:`~decide.analysis.Analysis` with every stage that applies computed, and its
provenance. The report writers and the notebooks read it.
"""
from __future__ import annotations

from typing import Callable, Optional, Sequence

from decide.analysis import Analysis, StageUnavailable, provenance
from decide.model import DecisionModel

__all__ = ["Analysis", "StageUnavailable", "analyse", "provenance"]


def analyse(model: DecisionModel, *, samples: Optional[int] = None, seed: Optional[int] = None,
            method: Optional[str] = None, solver: str = "highs", frontier_points: int = 12,
            sensitivity: bool = True, portfolio: bool = True, review: bool = True,
            portfolio_samples: int = 200,
            progress: Optional[Callable[[int, int], None]] = None, award_tenders: Optional[int] = None,
            award_price_spread: Optional[float] = None, award_quality_spread: Optional[float] = None,
            award_splits: Optional[Sequence[float]] = None, award_simulation: bool = True) -> Analysis:
    """Run the whole analysis of a model.

    Parameters
    ----------
    model : DecisionModel
    samples, seed : int, optional
        SMAA samples and seed (default: the model's ``sensitivity`` section; ``samples=0``
        skips SMAA).
    method : str, optional
        Ranking method (default: the model's).
    solver : {"highs", "cbc"}
        MILP solver for the portfolio.
    frontier_points : int
        Budget points on the value-vs-budget frontier (0 skips it).
    sensitivity, portfolio, review : bool
        Switch parts off (e.g. for a fast interactive update).
    progress : callable, optional
        ``progress(done, total)`` during SMAA.
    portfolio_samples : int
        Samples of the portfolio's robustness analysis (re-solves for sampled weights, scores
        and costs; :mod:`decide.portfolio_robustness`); 0 skips it. Seeded with ``seed``.
    award_tenders, award_price_spread, award_quality_spread, award_splits, award_simulation
        The award simulation (:class:`decide.analysis.Settings`; seeded with ``seed``):
        simulated tenders, price and quality spreads, price shares to compare (None: the
        defaults), and a switch that leaves only the bids' evaluation.

    Returns
    -------
    Analysis
        Every stage that applies computed (a stage that does not apply is None, and
        ``Analysis.unavailable(stage)`` says why in Dutch and English).
    """
    return Analysis(model, samples=samples, seed=seed, method=method, solver=solver,
                    frontier_points=frontier_points, sensitivity=sensitivity, portfolio=portfolio,
                    review=review, portfolio_samples=portfolio_samples, progress=progress,
                    award_tenders=award_tenders, award_price_spread=award_price_spread,
                    award_quality_spread=award_quality_spread,
                    award_splits=award_splits,
                    award_simulation=award_simulation).touch()
