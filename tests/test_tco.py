"""TCO: net present value of once/integration/yearly/exit costs over the horizon."""
from __future__ import annotations

import pytest

from decide.loader import loads_model
from decide.tco import cashflows, npv, tco_table

MODEL = """
decide: 1
title: TCO hand case
horizon: {years: 3, discount_rate: 0.05}
alternatives:
  - id: a
    value: 1
    costs: {once: 1000, integration: 200, yearly: 100, exit: 50}
  - id: b
    value: 1
    costs: {once: 0, yearly: [100, 200, 300]}
  - id: c
    value: 1
"""


def test_published_npv_example():
    """The Motley Fool, "Net Present Value (NPV)" (fool.com/terms/n/net-present-value):
    invest $15,000, receive $3,000 a year for 10 years, discount rate 10 % per year:
    NPV $3,433.70 (cash flows at the end of each year, the outlay at t = 0)."""
    assert npv([-15000] + [3000] * 10, 0.10) == pytest.approx(3433.70, abs=0.005)


def test_hand_computed_tco():
    """Hand computation, r = 5 %, T = 3: yearly at t = 1..3, exit at t = 3.

    a: 1000 + 200 + 100 (1/1.05 + 1/1.05^2 + 1/1.05^3) + 50/1.05^3
       = 1200 + 100 * 2.7232480 + 43.1918800 = 1515.5166829
    b: 100/1.05 + 200/1.05^2 + 300/1.05^3 = 95.2380952 + 181.4058957 + 259.1512797 = 535.7952706
    """
    m = loads_model(MODEL)
    t = tco_table(m)
    assert t.at["a", "total"] == pytest.approx(1515.5166829, abs=1e-6)
    assert t.at["a", "yearly"] == pytest.approx(272.3248029, abs=1e-6)
    assert t.at["a", "exit"] == pytest.approx(43.1918800, abs=1e-6)
    assert t.at["a", "spend"] == pytest.approx(1515.5166829 - 200, abs=1e-6)
    assert t.at["b", "total"] == pytest.approx(535.7952706, abs=1e-6)
    assert t.at["c", "total"] == 0
    assert t.at["a", "nominal"] == 1000 + 200 + 300 + 50


def test_cashflows_timing():
    m = loads_model(MODEL)
    cf = cashflows(m)
    assert list(cf.columns) == [0, 1, 2, 3]
    assert list(cf.loc["a"]) == [1200, 100, 100, 150]
    assert list(cf.loc["b"]) == [0, 100, 200, 300]


def test_zero_rate_is_nominal():
    m = loads_model(MODEL.replace("discount_rate: 0.05", "discount_rate: 0.0"))
    t = tco_table(m)
    assert t.at["a", "total"] == pytest.approx(t.at["a", "nominal"])


def test_tco_criterion_takes_values():
    text = MODEL.replace("alternatives:", """criteria:
  - {id: cost, direction: min, source: tco}
  - {id: q, direction: max}
alternatives:""").replace("    value: 1\n    costs: {once: 1000", "    scores: {q: 1}\n    costs: {once: 1000")
    text = text.replace("  - id: b\n    value: 1", "  - id: b\n    scores: {q: 2}").replace("  - id: c\n    value: 1", "  - id: c\n    scores: {q: 3}\n    costs: {once: 5}")
    m = loads_model(text)
    s = m.score_table()
    assert s.at["a", "cost"] == pytest.approx(1515.5166829, abs=1e-6)
    assert s.at["c", "cost"] == 5
