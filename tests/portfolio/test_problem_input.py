"""The array-level input: normalisation, validation (all problems at once), what-ifs."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from decide.errors import InputError
from decide.portfolio import Problem, Rules, optimise


def test_defaults_and_derived_columns():
    p = Problem([dict(id="a", value=1, tco=100, integration=30), dict(id="b", value=2, tco=50)])
    o = p.options
    assert list(o.columns) == ["label", "supplier", "value", "tco", "integration", "spend",
                               "exit_cost", "covers", "tags", "requires", "excludes"]
    assert o.loc["a", "spend"] == 70 and o.loc["b", "spend"] == 50
    assert o.loc["a", "label"] == "a" and o.loc["a", "supplier"] is None
    assert o.loc["a", "covers"] == () and o.loc["a", "tags"] == ()
    assert not p.has_modules and len(p.suppliers) == 0
    assert p.rules == Rules() and p.objective == "value" and p.currency == "EUR"


def test_dataframe_input_is_copied():
    df = pd.DataFrame({"value": [1.0], "tco": [2.0]}, index=["x"])
    p = Problem(df)
    df.loc["x", "value"] = 99
    assert p.options.loc["x", "value"] == 1.0


def test_every_problem_is_reported_at_once():
    opts = [
        dict(id="a", value=1, tco=-5, supplier="ghost", covers=["Z"], requires=["nope"]),
        dict(id="b", value="lots", tco=10, excludes=["b"]),
        dict(id="c", value=1, tco=10, integration=20, spend=3),
    ]
    with pytest.raises(InputError) as err:
        Problem(opts, modules=[dict(id="A")], suppliers=[dict(id="s1")], pin=("zz",),
                ban=("a",), objective="profit", budget=-1)
    msg = str(err.value)
    for needle in ("options['a'].tco", "unknown supplier 'ghost'", "unknown module 'Z'",
                   "options['a'].requires: unknown option 'nope'", "options['b'].value",
                   "cannot refer to itself", "larger than its tco", "options['c'].spend",
                   "pin: unknown option 'zz'", "objective:", "budget:"):
        assert needle in msg, needle
    assert "problems found" in msg


def test_rules_are_validated():
    with pytest.raises(InputError, match="max_supplier_share"):
        Rules(max_supplier_share=1.5)
    with pytest.raises(InputError, match="min_suppliers"):
        Rules(min_suppliers=2.5)
    with pytest.raises(InputError, match="unknown rule"):
        Rules.coerce({"max_share": 0.5})
    assert Rules(min_suppliers=3.0).min_suppliers == 3
    assert Rules(max_exit_cost=5, min_sme_share=0.2).active() == {
        "min_sme_share": 0.2, "max_exit_cost": 5.0}


def test_min_sme_share_needs_a_supplier_table():
    with pytest.raises(InputError, match="sme"):
        Problem([dict(id="a", value=1, tco=1, supplier="s")], rules={"min_sme_share": 0.2})


def test_pin_and_ban_the_same_option():
    with pytest.raises(InputError, match="both pinned and banned"):
        Problem([dict(id="a", value=1, tco=1)], pin=("a",), ban=("a",))


def test_replace_is_a_what_if_never_a_mutation():
    p = Problem([dict(id="a", value=1, tco=1)], budget=10, rules=Rules(min_suppliers=1))
    q = p.replace(budget=5, rules={"max_exit_cost": 3})
    assert p.budget == 10 and q.budget == 5
    assert q.rules.min_suppliers == 1 and q.rules.max_exit_cost == 3  # a mapping merges
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.budget = 3  # type: ignore[misc]
    with pytest.raises(InputError):
        p.replace(budget="lots")


def test_yearly_budget_needs_matching_cashflows():
    opts = [dict(id="a", value=1, tco=10), dict(id="b", value=1, tco=10)]
    cf = pd.DataFrame([[5, 5], [8, 2]], index=["a", "b"])
    with pytest.raises(InputError, match="needs cashflows"):
        Problem(opts, yearly_budget=[5, 5])
    with pytest.raises(InputError, match="3 caps given for 2"):
        Problem(opts, cashflows=cf, yearly_budget=[5, 5, 5])
    p = Problem(opts, cashflows=cf, yearly_budget=[10, np.nan])
    assert p.yearly_budget == (10.0, None)


def test_optimise_takes_a_problem_and_names_the_way_from_a_model():
    """The array-level package knows no model files: anything but a Problem is refused, with
    the model-level translation named."""
    with pytest.raises(TypeError, match=r"Problem, got dict.*Analysis\(model\)\.problem"):
        optimise({"a": "model"})
    assert optimise(Problem([dict(id="a", value=1, tco=1)], budget=5)).chosen == ("a",)
