"""Every example model with an allocation section: an optimal portfolio, a frontier, scenarios.

Runs through the model adapter (decide.portfolio_model.from_model), so a change in the model
format or the adapter that breaks the optimisation shows up here.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import decide
from decide.portfolio import Status, frontier, optimise, scenarios
from decide.portfolio_model import from_model

MODELS = sorted((Path(__file__).resolve().parents[2] / "models").glob("*.yaml"))


def _with_allocation():
    out = []
    for path in MODELS:
        model = decide.load_model(path)
        if getattr(model, "allocation", None) is not None:
            out.append(pytest.param(model, id=path.stem))
    return out


@pytest.mark.parametrize("model", _with_allocation())
def test_example_model_portfolio(model):
    problem = from_model(model)
    a = optimise(problem)
    assert a.status is Status.optimal, a.explanation_text()
    d = a.to_dict()
    json.dumps(d)
    priced = set(problem.rules.active())
    if problem.yearly_budget is not None:
        priced.add("yearly_budget")
    assert set(d["price_of_rules"]) == priced
    assert all(v >= 0 for v in d["price_of_rules"].values())
    f = frontier(problem, points=4)
    assert (f.frame["status"] == "optimal").all()
    top = optimise(problem.replace(budget=None), price_rules=False)
    assert f.frame["value"].iloc[-1] == pytest.approx(top.objective, rel=1e-4)
    df = scenarios(problem)
    assert df.loc["free", "value"] == pytest.approx(a.objective, rel=1e-4)
