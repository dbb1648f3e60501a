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

from decide.portfolio.allocation import Allocation
from decide.portfolio.backends import cbc_available
from decide.portfolio.frontier import Frontier, frontier
from decide.portfolio.infeasibility import Finding, format_explanation
from decide.portfolio.problem import RULE_NAMES, Problem, Rules
from decide.portfolio.scenarios import scenarios
from decide.portfolio.solve import optimise
from decide.portfolio.status import Status

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
