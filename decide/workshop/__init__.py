"""Widgets and helpers for the workshop notebooks (``notebooks/*.ipynb``).

The notebooks stay a few lines per cell; everything they show is built here, so it is tested
like the rest of decide (drive a widget's ``.value`` in a test and read what it shows).

Weights workshop (notebook 1)
    :class:`JudgmentSession` -- every participant's pairwise judgements, live CR and hints,
    the group result; :func:`judgment_panel` (pairwise sliders on the verbal Saaty scale, per
    participant), :func:`group_panel` (group weights, consensus, distances),
    :func:`save_panel` / :func:`save_judgments` (into a copy of the model file, comments kept).
Ranking and sensitivity (notebook 2)
    :func:`weight_panel` (weight sliders summing to 1, live ranking and contributions),
    :func:`comparison_view`, :func:`stability_view`, :func:`robustness_panel` (stability
    intervals and the SMAA acceptability heat map for the sliders' weights).
Portfolio (notebook 3)
    :func:`portfolio_panel` (budget and rule controls, chosen portfolio, spend per supplier,
    frontier), :func:`live_scenario_view` and :func:`live_review` (scenarios and the strategy
    review, following the panel's budget and rules), :func:`report_panel` (writes the report
    when its button is pressed), :func:`export_report`.
Building blocks
    :mod:`decide.workshop.scale` (the verbal scale), :func:`rebalance`, :class:`FastRanker`,
    :mod:`decide.workshop.charts`.

Widgets need ``ipywidgets`` (``pip install -e .[notebooks]``); the session, the scale, saving,
:func:`rebalance` and :class:`FastRanker` do not.
"""
from __future__ import annotations

from decide.loader import load_model
from decide.workshop.charts import Chart, acceptability_chart, frontier_chart, stability_chart
from decide.workshop.judgments import (GroupCheck, GroupPanel, JudgmentPanel, JudgmentSession, ParticipantPanel,
                                       group_panel, judgment_panel)
from decide.workshop._html import styled
from decide.workshop.live import LiveView, follow, live_review, live_scenario_view
from decide.workshop.portfolio import (ExportResult, PortfolioPanel, export_report, portfolio_panel,
                                       portfolio_problem, scenario_view)
from decide.workshop.robustness import (RobustnessPanel, comparison_view, robustness, robustness_panel,
                                        stability_view)
from decide.workshop.save import (ReportPanel, SavePanel, SaveResult, default_path, model_path, opened, report_panel,
                                  save_judgments, save_panel)
from decide.workshop.scale import fmt_value, scale_options, sentence, verbal
from decide.workshop.sliders import FastRanker, Snapshot, WeightPanel, rebalance, weight_panel

__all__ = [
    "Chart",
    "ExportResult",
    "FastRanker",
    "GroupCheck",
    "GroupPanel",
    "JudgmentPanel",
    "JudgmentSession",
    "LiveView",
    "ParticipantPanel",
    "PortfolioPanel",
    "ReportPanel",
    "RobustnessPanel",
    "SavePanel",
    "SaveResult",
    "Snapshot",
    "WeightPanel",
    "acceptability_chart",
    "comparison_view",
    "default_path",
    "export_report",
    "fmt_value",
    "follow",
    "frontier_chart",
    "group_panel",
    "judgment_panel",
    "live_review",
    "live_scenario_view",
    "load_model",
    "model_path",
    "opened",
    "portfolio_panel",
    "portfolio_problem",
    "rebalance",
    "report_panel",
    "robustness",
    "robustness_panel",
    "save_judgments",
    "save_panel",
    "scale_options",
    "scenario_view",
    "sentence",
    "stability_chart",
    "stability_view",
    "styled",
    "verbal",
    "weight_panel",
]
