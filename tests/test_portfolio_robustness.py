"""Portfolio robustness: re-solving for sampled weights, scores and costs (decide.portfolio_robustness).

Analytic reference: one module, two options that are mirror images on two criteria (scores
(1, 0) and (0, 1) on the reference levels [0, 1]) and weights uniform on the simplex. Option A's
value is w1, B's is w2 = 1 - w1, so A is optimal exactly when w1 > 1/2: probability 1/2. With
n samples the share's standard error is sqrt(0.25 / n); the test allows four of them.
The inclusion share is the sampled core index of Liesiö, Mild & Salo (2007), EJOR 181(3).
"""
from __future__ import annotations

import contextlib
import io
import json
import math

import pytest

from decide.cli import main
from decide.errors import DecideError, ModelError
from decide.loader import load_model, validate_data
from decide.portfolio_robustness import portfolio_robustness


def mirror(weights="uniform", costs_b=None, budget=None):
    b_costs = costs_b or {"once": 100}
    return validate_data({
        "decide": 1, "title": "mirror", "language": "en",
        "criteria": [{"id": "c1", "direction": "max", "range": [0, 1]},
                     {"id": "c2", "direction": "max", "range": [0, 1]}],
        "alternatives": [{"id": "a", "covers": ["m"], "costs": {"once": 100}, "scores": {"c1": 1, "c2": 0}},
                         {"id": "b", "covers": ["m"], "costs": b_costs, "scores": {"c1": 0, "c2": 1}}],
        "sensitivity": {"weights": weights, "samples": 2000, "seed": 5},
        "allocation": {"budget": budget, "modules": [{"id": "m"}]} if budget else {"modules": [{"id": "m"}]},
    }, "<mirror>")


def test_mirror_images_are_each_chosen_in_half_of_the_samples():
    n = 2000
    r = portfolio_robustness(mirror(), samples=n, seed=11)
    se = math.sqrt(0.25 / n)
    assert r.inclusion["a"] == pytest.approx(0.5, abs=4 * se)
    assert r.inclusion["b"] == pytest.approx(0.5, abs=4 * se)
    assert r.inclusion.sum() == pytest.approx(1.0)  # one module, exactly one option per optimum
    assert len(r.portfolios) == 2 and r.core == () and r.unsolved == 0
    assert r.recommended_share == pytest.approx(r.inclusion[r.recommended[0]])
    assert r.budget_overrun is None
    # reproducible with its seed
    assert portfolio_robustness(mirror(), samples=200, seed=3).inclusion.equals(
        portfolio_robustness(mirror(), samples=200, seed=3).inclusion)


def test_uncertain_cost_gives_the_overrun_probability():
    """B's one-off cost is uniform on [50, 250] against a budget of 200: B alone overruns the
    budget with probability 50 / 200 = 1/4 whenever it is the recommended portfolio; 'around' the
    equal weights (concentration 50) B has the same value as A, so B is recommended when A is
    made slightly worse."""
    m = mirror(weights="around", costs_b={"once": {"low": 50, "high": 250}}, budget=200)
    assert m.alternative("b").costs.once == 150 and m.alternative("b").costs.ranges == {"once": [50.0, 250.0]}
    r = portfolio_robustness(m, samples=2000, seed=1, recommended=("b",))
    assert r.budget_overrun == pytest.approx(0.25, abs=4 * math.sqrt(0.25 * 0.75 / 2000))
    # a sample in which B costs more than the budget cannot choose B
    assert r.inclusion["b"] < 0.5


def test_core_options_of_the_example():
    r = portfolio_robustness(load_model("models/dataplatform.yaml"), samples=150, seed=2)
    assert "sovereign_storage" in r.core and "hyperscaler" in r.exterior
    assert 0 < r.recommended_share <= 1
    d = r.to_dict()
    assert set(d) >= {"samples", "seed", "inclusion", "portfolios", "recommended_share", "budget_overrun"}
    assert sum(p["share"] for p in d["portfolios"]) == pytest.approx(1.0)


def test_bad_samples_and_seed_are_refused():
    with pytest.raises(DecideError, match="samples"):
        portfolio_robustness(mirror(), samples=0)
    with pytest.raises(DecideError, match="seed"):
        portfolio_robustness(mirror(), samples=5, seed=1.5)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["allocate", "models/zaaksysteem.yaml", "--robustness", "--samples", "0", "--lang", "en"]) == 2
    assert "--samples" in err.getvalue() and "'0'" in err.getvalue()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main(["allocate", "models/zaaksysteem.yaml", "--robustness", "--seed", "x"]) == 2
    assert "--seed" in err.getvalue()


def test_uncertain_cost_with_low_above_high_is_a_located_error():
    with pytest.raises(ModelError) as e:
        mirror(costs_b={"once": {"low": 300, "mode": 200, "high": 250}})
    assert e.value.problems[0].loc == "alternatives[1].costs" and "low <= mode <= high" in e.value.problems[0].message


def test_allocate_json_robustness():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["allocate", "models/zaaksysteem.yaml", "--json", "--robustness", "--samples", "60",
                     "--seed", "4"]) == 0
    d = json.loads(out.getvalue())["robustness"]
    assert d["samples"] == 60 and d["seed"] == 4
    assert set(d["inclusion"]) >= {"cg_forms", "cg_case"} and 0 <= d["budget_overrun"] <= 1
    assert all(set(p) == {"chosen", "share"} for p in d["portfolios"])
