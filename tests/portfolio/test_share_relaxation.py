"""An infeasible share rule is relaxed by the least change of the share itself.

Regression: the elastic re-solve measured the share rule's slack in euros and suggested
57.5 % for the zaaksysteem example at a 20 % limit, where 35 % already works.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from decide.loader import load_model
from decide.portfolio import optimise
from decide.portfolio_model import from_model

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def problem():
    return from_model(load_model(ROOT / "models" / "zaaksysteem.yaml"))


def _status(problem, **rules):
    return optimise(problem.replace(rules=problem.rules.replace(**rules)), price_rules=False,
                    explain_infeasible=False).status.value


def test_suggested_max_share_is_the_least_that_works(problem):
    alloc = optimise(problem.replace(rules=problem.rules.replace(max_supplier_share=0.2)))
    assert alloc.status.value == "infeasible"
    found = [f for f in alloc.explanation if f.code == "relax_max_supplier_share"]
    assert found
    needed = found[0].params["needed"]
    assert _status(problem, max_supplier_share=needed) == "optimal"
    assert _status(problem, max_supplier_share=needed - 0.002) == "infeasible"


def test_suggested_sme_share_is_the_most_that_works(problem):
    alloc = optimise(problem.replace(rules=problem.rules.replace(min_sme_share=0.95)))
    assert alloc.status.value == "infeasible"
    found = [f for f in alloc.explanation if f.code == "relax_min_sme_share"]
    assert found
    achievable = found[0].params["achievable"]
    assert _status(problem, min_sme_share=achievable) == "optimal"
    assert _status(problem, min_sme_share=achievable + 0.002) == "infeasible"
