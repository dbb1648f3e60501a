"""The additive value model of the portfolio (decide.value, decide.portfolio_model).

Reference: with linear value functions on fixed reference levels, an option's value
``V_i = sum_c w_c v_c(x_ic)`` is one minus its SPOTIS distance to the ideal point at the best
reference levels (Dezert, Tchamova, Han & Tacnet 2020, "The SPOTIS rank reversal free method for
multi-criteria decision-making support", 23rd International Conference on Information Fusion,
IEEE, 1-8: worked example with bounds [-5, 12], [-6, 10], [-8, 5], weights 0.2/0.3/0.5,
directions max/min/max, published scores 0.1989, 0.3705, 0.3063, 0.7491 to 4 decimals).
"""
from __future__ import annotations

import contextlib
import io
import json
import textwrap

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from decide.cli import main
from decide.errors import ModelError
from decide.loader import load_model, loads_model, validate_data
from decide.portfolio import optimise
from decide.portfolio_model import from_model
from decide.value import option_values, value_model


def _model(criteria, alternatives, weights=None, allocation=None, **extra):
    data = {"decide": 1, "title": "t", "language": "en", "criteria": criteria,
            "weights": weights or {"method": "equal"}, "alternatives": alternatives}
    if allocation is not None:
        data["allocation"] = allocation
    data.update(extra)
    return validate_data(data, "<test>")


def test_dezert_et_al_2020_values_are_one_minus_spotis():
    crit = [{"id": "c1", "direction": "max", "range": [-5, 12]},
            {"id": "c2", "direction": "min", "range": [-6, 10]},
            {"id": "c3", "direction": "max", "range": [-8, 5]}]
    X = [[10.5, -3.1, 1.7], [-4.7, 0, 3.4], [8.1, 0.3, 1.3], [3.2, 7.3, -5.3]]
    alts = [{"id": f"a{i}", "scores": dict(zip(["c1", "c2", "c3"], row))} for i, row in enumerate(X)]
    m = _model(crit, alts, {"method": "direct", "direct": {"c1": 0.2, "c2": 0.3, "c3": 0.5}})
    v = option_values(m)
    assert np.round(1 - v.to_numpy(), 4).tolist() == [0.1989, 0.3705, 0.3063, 0.7491]
    vm = value_model(m)
    assert vm.contributions().sum(axis=1).to_numpy() == pytest.approx(v.to_numpy())
    d = vm.to_dict()["criteria"]["c2"]
    assert d == {"low": -6.0, "high": 10.0, "direction": "min", "weight": 0.3, "reference": "range",
                 "function": "linear"}


def test_piecewise_value_function_on_a_scale_and_on_numbers():
    crit = [{"id": "fit", "direction": "max", "scale": {"laag": 1, "midden": 3, "hoog": 5},
             "value_function": {"laag": 0, "midden": 0.7, "hoog": 1}},
            {"id": "risk", "direction": "min", "range": [0, 10], "value_function": [[0, 1], [4, 0.9], [10, 0]]}]
    alts = [{"id": "a", "scores": {"fit": "midden", "risk": 4}},
            {"id": "b", "scores": {"fit": "hoog", "risk": 7}},
            {"id": "c", "scores": {"fit": [1, 5], "risk": 0}}]  # uncertain: expected score 3
    m = _model(crit, alts, {"method": "direct", "direct": {"fit": 0.5, "risk": 0.5}})
    v = option_values(m)
    assert v["a"] == pytest.approx(0.5 * 0.7 + 0.5 * 0.9)
    assert v["b"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.45)  # 0.9 - 3/6 * 0.9
    assert v["c"] == pytest.approx(0.5 * 0.7 + 0.5 * 1.0)


def _zaak_like(method="topsis", extra_option=None, rescore=None, baseline=None):
    text = open("models/zaaksysteem.yaml", encoding="utf-8").read()
    data = yaml.safe_load(text)
    data["ranking"] = {"method": method}
    if extra_option is not None:
        data["alternatives"].append(extra_option)
    if rescore is not None:
        aid, crit, score = rescore
        next(a for a in data["alternatives"] if a["id"] == aid)["scores"][crit] = score
    return validate_data(data, "models/zaaksysteem.yaml")


DOMINATED = {"id": "poor", "label": "Poor forms tool", "supplier": "vendor_c", "covers": ["intake"],
             "costs": {"once": 90000, "yearly": 90000, "exit": 90000},
             "scores": {"fit": "onvoldoende", "lock_in": "hoog", "continuity": 1, "security": 3, "innovation": 1,
                        "sustainability": 1, "flexibility": 1}}


def test_a_dominated_option_changes_no_value_and_no_portfolio():
    base = _zaak_like()
    more = _zaak_like(extra_option=DOMINATED)
    v0, v1 = option_values(base), option_values(more)
    assert v1.drop("poor").to_numpy() == pytest.approx(v0.to_numpy(), abs=0)
    a0, a1 = optimise(from_model(base)), optimise(from_model(more))
    assert a0.chosen == a1.chosen and a0.total_value == pytest.approx(a1.total_value, abs=1e-12)


LEVELS = ["onvoldoende", "matig", "voldoende", "goed", "uitstekend"]


@settings(max_examples=25, deadline=None)
@given(who=st.sampled_from(["cg_forms", "suite_saas", "edepot", "cg_case"]),
       crit=st.sampled_from(["fit", "continuity", "innovation", "flexibility"]),
       level=st.integers(1, 5))
def test_rescoring_one_option_moves_no_other_value(who, crit, level):
    score = LEVELS[level - 1] if crit == "fit" else level
    v0 = option_values(_zaak_like())
    v1 = option_values(_zaak_like(rescore=(who, crit, score)))
    assert v1.drop(who).to_numpy() == pytest.approx(v0.drop(who).to_numpy(), abs=0)


@settings(max_examples=20, deadline=None)
@given(n=st.integers(0, 3), seed=st.integers(0, 10_000))
def test_adding_dominated_options_moves_no_value(n, seed):
    rng = np.random.default_rng(seed)
    base = _zaak_like()
    v0 = option_values(base)
    data = yaml.safe_load(open("models/zaaksysteem.yaml", encoding="utf-8").read())
    for k in range(n):
        # dominated by cg_forms on every criterion
        data["alternatives"].append({
            "id": f"dom{k}", "supplier": "vendor_c", "covers": ["intake"],
            "costs": {"once": 50000, "yearly": 40000},
            "scores": {"fit": LEVELS[int(rng.integers(0, 4))], "lock_in": "midden",
                       "continuity": int(rng.integers(1, 4)), "security": 3, "innovation": int(rng.integers(1, 5)),
                       "sustainability": int(rng.integers(1, 5)), "flexibility": int(rng.integers(1, 6))}})
    v1 = option_values(validate_data(data, "models/zaaksysteem.yaml"))
    assert v1.reindex(v0.index).to_numpy() == pytest.approx(v0.to_numpy(), abs=0)


@settings(max_examples=10, deadline=None)
@given(method=st.sampled_from(["topsis", "vikor", "promethee_ii", "wsm", "wpm", "spotis"]))
def test_ranking_method_changes_neither_portfolio_nor_value(method):
    ref = optimise(from_model(_zaak_like("topsis")))
    other = optimise(from_model(_zaak_like(method)))
    assert other.chosen == ref.chosen
    assert other.total_value == pytest.approx(ref.total_value, abs=1e-12)


def test_optional_module_baseline_counts_when_uncovered():
    """Clemen & Smith 2009: an optional module left uncovered keeps its baseline value."""
    crit = [{"id": "q", "direction": "max", "range": [0, 10]}]
    alts = [{"id": "core", "covers": ["core"], "costs": {"once": 10}, "scores": {"q": 10}},
            {"id": "extra", "covers": ["extra"], "costs": {"once": 10}, "scores": {"q": 4}}]
    alloc = {"budget": 100, "modules": [{"id": "core", "importance": 0.7},
                                          {"id": "extra", "required": False, "importance": 0.3}]}
    m0 = _model(crit, alts, allocation=alloc)
    a0 = optimise(from_model(m0))
    assert a0.chosen == ("core", "extra") and a0.total_value == pytest.approx(0.7 + 0.3 * 0.4)
    alloc["modules"][1]["baseline"] = 0.5  # the present situation is worth more than 'extra'
    m1 = _model(crit, alts, allocation=alloc)
    a1 = optimise(from_model(m1))
    assert a1.chosen == ("core",) and a1.total_value == pytest.approx(0.7 + 0.3 * 0.5)
    alloc["modules"][1]["baseline"] = 0.3
    a2 = optimise(from_model(_model(crit, alts, allocation=alloc)))
    assert a2.chosen == ("core", "extra") and a2.total_value == pytest.approx(0.7 + 0.3 * 0.4)


def test_explicit_values_need_no_criteria():
    data = {"decide": 1, "title": "t", "alternatives": [{"id": "a", "value": 3, "costs": {"once": 5}},
                                                         {"id": "b", "value": 2, "costs": {"once": 5}}],
            "allocation": {"budget": 6}}
    a = optimise(from_model(validate_data(data)))
    assert a.chosen == ("a",) and a.total_value == 3


# --------------------------------------------------------------------------- bad input
def _codes(data) -> list[str]:
    with pytest.raises(ModelError) as e:
        m = validate_data(data, "<test>")
        value_model(m)
    return e.value.codes


BASE_ALTS = [{"id": "a", "scores": {"x": 3}, "costs": {"once": 10}}, {"id": "b", "scores": {"x": 4}, "costs": {"once": 10}}]


@pytest.mark.parametrize("criterion, code", [
    ({"id": "x", "direction": "max"}, "range-missing"),
    ({"id": "x", "direction": "max", "range": [5, 1]}, "range-order"),
    ({"id": "x", "direction": "max", "range": [1, 1]}, "range-order"),
    ({"id": "x", "direction": "max", "range": [1]}, "range-shape"),
    ({"id": "x", "direction": "max", "range": [3.5, 5]}, "score-out-of-range"),
    ({"id": "x", "direction": "max", "range": [1, 5], "value_function": [[1, 0], [5, 1], [3, 0.5]]}, "value-function-order"),
    ({"id": "x", "direction": "max", "range": [1, 5], "value_function": [[1, 0], [3, 1.2], [5, 1]]}, "value-function-range"),
    ({"id": "x", "direction": "max", "range": [1, 5], "value_function": [[1, 0], [3, 0.8], [5, 0.6]]}, "value-function-order"),
    ({"id": "x", "direction": "max", "range": [1, 5], "value_function": [[1, 0.2], [5, 1]]}, "value-function-anchor"),
    ({"id": "x", "direction": "max", "range": [1, 5], "value_function": [[2, 0], [5, 1]]}, "value-function-span"),
    ({"id": "x", "direction": "max", "scale": {"l": 1, "h": 5}, "value_function": {"l": 0, "m": 1}}, "value-function-level"),
])
def test_value_model_errors_are_located(criterion, code):
    alts = BASE_ALTS
    if "scale" in criterion:
        alts = [{"id": "a", "scores": {"x": "l"}}, {"id": "b", "scores": {"x": "h"}}]
    data = {"decide": 1, "title": "t", "criteria": [criterion], "alternatives": alts,
            "allocation": {"budget": 100}}
    assert code in _codes(data)


def test_missing_range_error_names_file_line_and_remedy(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text(textwrap.dedent("""\
        decide: 1
        title: t
        criteria:
          - {id: x, direction: max}
          - {id: cost, direction: min, source: tco}
        alternatives:
          - {id: a, scores: {x: 3}, costs: {once: 10}}
          - {id: b, scores: {x: 4}, costs: {once: 20}}
        allocation: {budget: 100}
        """), encoding="utf-8")
    m = load_model(p)
    with pytest.raises(ModelError) as e:
        value_model(m)
    probs = {x.loc: x for x in e.value.problems}
    assert set(probs) == {"criteria[0].range", "criteria[1].range"}
    assert "add range: [low, high]" in probs["criteria[0].range"].message
    # the library names the place; the face that shows the problem adds its line from the file
    from decide.render import with_lines

    assert {p.loc: p.line for p in with_lines(e.value.problems)}["criteria[0].range"] == 4
    assert "budget" in probs["criteria[1].range"].message  # cost usually enters through the budget
    # the command line: exit 2 and the located message, no traceback
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["allocate", str(p)]) == 2
    assert "m.yaml:4: criteria[0].range" in err.getvalue() and "Traceback" not in err.getvalue()
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        assert main(["validate", str(p)]) == 2
    assert "m.yaml:4: criteria[0].range" in err.getvalue()


def test_baseline_outside_unit_interval():
    data = {"decide": 1, "title": "t", "alternatives": [{"id": "a", "value": 1, "covers": ["m"]}],
            "allocation": {"modules": [{"id": "m", "required": False, "baseline": 1.5}]}}
    with pytest.raises(ModelError) as e:
        validate_data(data, "<test>")
    assert "baseline-range" in e.value.codes


def test_ranking_only_model_needs_no_range():
    load_model("models/werkplek.yaml")  # a source: tco criterion and no allocation: fine


def test_allocate_json_has_option_values_and_value_model():
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["allocate", "models/dataplatform.yaml", "--json"]) == 0
    d = json.loads(out.getvalue())
    m = load_model("models/dataplatform.yaml")
    assert d["option_values"] == pytest.approx(option_values(m).to_dict())
    assert d["value_model"]["method"] == "additive"
    assert set(d["value_model"]["criteria"]) == {c.id for c in m.leaves()}
