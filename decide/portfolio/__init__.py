"""Budget optimisation: which options to buy under a budget and supplier-diversity rules.

A mixed-integer programme over binary choices, built as arrays and solved by HiGHS through
highspy (default) or by CBC through PuLP (fallback):
cover every required module once, stay within the budget (and per-year caps), keep each
supplier's share, the number of suppliers, the SME share, the lots per supplier and the exit
cost within their rules, and maximise value (or minimise TCO for a minimum value).

Public API
----------
Problem, Rules
    The array-level input (the model adapter fills it; see :mod:`.problem`).
optimise(problem_or_model, *, budget=None, solver="highs", relax=False, time_limit=60,
         gap=None, rules=None, pin=None, ban=None, price_rules=True,
         explain_infeasible=True, threads=None) -> Allocation
frontier(problem_or_model, budgets=None, points=20, *, ...) -> Frontier
scenarios(problem_or_model, *, ...) -> pandas.DataFrame
Allocation, Frontier, Finding, Status
"""
from __future__ import annotations

from typing import Any

# The public names, imported on first use: ``decide validate`` checks the supplier rules
# through :class:`Rules` (decide.portfolio.problem) without loading the solver layers (scipy's
# sparse matrices and optimisers, highspy, PuLP).
_WHERE = {
    "Allocation": "allocation", "cbc_available": "backends", "Frontier": "frontiers", "frontier": "frontiers",
    "Finding": "infeasibility", "format_explanation": "infeasibility", "RULE_NAMES": "problem",
    "Problem": "problem", "Rules": "problem", "scenarios": "scenario_runs", "optimise": "solve", "Status": "status",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'decide.portfolio' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"decide.portfolio.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "Allocation",
    "Finding",
    "Frontier",
    "Problem",
    "RULE_NAMES",
    "Rules",
    "Status",
    "cbc_available",
    "format_explanation",
    "frontier",
    "optimise",
    "scenarios",
]
