"""Award formulas reproduce published worked examples; the paradox check finds a constructed reversal.

Every reference value states its source and the settings used.
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from decide.award import Scheme, evaluate, paradox, simulate
from decide.award.formulas import eur_per_point
from decide.errors import InputError


def test_relative_price_scoring_pianoo_weighted_factor_example():
    # PIANOo (Expertisecentrum Aanbesteden), weighted-factor method ("gewogen factormethode")
    # with relative price scoring: score = lowest price / price x price points, 60 price points.
    # The lowest bid, EUR 1,000,000, gets 60 points; EUR 1,250,000 gets 1,000,000 / 1,250,000
    # x 60 = 48 points.
    ev = evaluate([1_000_000, 1_250_000], [[1.0], [0.5]], Scheme("points", [40], price_points=60), ids=["A", "B"])
    assert ev.table.loc["A", "price_score"] == pytest.approx(60.0)
    assert ev.table.loc["B", "price_score"] == pytest.approx(48.0)
    assert ev.table.loc["B", "quality_score"] == pytest.approx(20.0)
    assert ev.table.loc["B", "total"] == pytest.approx(68.0)
    assert ev.winner == "A" and ev.relative


def test_gunnen_op_waarde_fictive_discount_pianoo_example():
    # PIANOo, "gunnen op waarde" (award on value, fictive discount per quality criterion):
    # a criterion worth EUR 2,500 at 100 %, scored "partly" (60 %), takes EUR 1,500 off a
    # bid of EUR 80,000: fictive price EUR 78,500.
    ev = evaluate([80_000], [[0.6]], Scheme("fictive_price", [2_500]), ids=["A"], levels=[["partly"]])
    assert ev.parts.loc[0, "contribution"] == pytest.approx(1_500.0)
    assert ev.table.loc["A", "fictive_price"] == pytest.approx(78_500.0)
    assert np.isnan(ev.table.loc["A", "price_score"]) and np.isnan(ev.table.loc["A", "total"])
    assert not ev.relative and ev.suggestion is None


def test_utility_index_negometrix_formula_60_40():
    # Utility Index as published by Negometrix (now Mercell), "Utility index (EU)":
    # U_i = (1 - (Q_best - Q_i) x N) / P_i x P_best, N = W_Q / W_P, P_best = the lowest price.
    # Settings: quality 60 points (two criteria, 40 + 20), price 40 points, so N = 1.5.
    # Bid A: EUR 100,000, quality (0.75 x 40 + 0.6 x 20) / 60 = 0.70;
    # bid B: EUR 120,000, quality (1.0 x 40 + 0.7 x 20) / 60 = 0.90 = Q_best.
    # U_A = (1 - 0.20 x 1.5) / 100,000 x 100,000 = 0.70; U_B = 1 / 120,000 x 100,000 = 0.8333.
    ev = evaluate([100_000, 120_000], [[0.75, 0.6], [1.0, 0.7]], Scheme("utility_index", [40, 20], price_points=40),
                  ids=["A", "B"])
    assert ev.table.loc["A", "quality_score"] == pytest.approx(0.70)
    assert ev.table.loc["B", "quality_score"] == pytest.approx(0.90)
    assert ev.table.loc["A", "utility"] == pytest.approx(0.70)
    assert round(ev.table.loc["B", "utility"], 4) == 0.8333
    assert ev.winner == "B" and ev.relative


def test_progressive_scale_with_a_penalty_level():
    # A progressive quality scale with a penalty level, as Rijkswaterstaat uses it in its
    # award practice: 3 -> 100 %, 2 -> 60 %, 1 -> 25 %, 0 -> 0 %, NR -> -50 % of the
    # criterion's value (the scale of this project's award syntax). Under award on value
    # with a risk criterion worth EUR 400,000: level 2 takes EUR 240,000 off the price, NR
    # adds EUR 200,000 (a fictive surcharge), so a cheaper bid with NR loses.
    from decide.loader import loads_model
    from decide.award import award_model

    model = loads_model("""
decide: 1
title: Progressive scale
alternatives: [{id: x, value: 1}]
award:
  method: fictive_price
  quality:
    - {id: risk, label: Risicobeheersing, value: 400000, scale: {"3": 1.0, "2": 0.6, "1": 0.25, "0": 0, NR: -0.5}}
  bids:
    - {id: A, price: 5000000, quality: {risk: NR}}
    - {id: B, price: 5300000, quality: {risk: 2}}
    - {id: C, price: 5500000, quality: {risk: "3"}}
""")
    ev = award_model(model, simulate_formulas=False).evaluation
    fictive = ev.table["fictive_price"]
    assert fictive["A"] == pytest.approx(5_200_000)
    assert fictive["B"] == pytest.approx(5_060_000)
    assert fictive["C"] == pytest.approx(5_100_000)
    assert list(ev.parts["level"]) == ["NR", "2", "3"]
    assert ev.winner == "B" and list(ev.table["rank"]) == [3, 1, 2]


def test_constructed_rank_paradox_is_found_and_an_absolute_alternative_suggested():
    # Constructed case (the rank paradox of relative scoring: Stilger, Siderius & van Raaij
    # 2017, J. Public Procurement 17(1), section "ranking paradox"). 50 price points relative,
    # one quality criterion of 50 points.
    # With C: P_min = 50; A = 50 x 50/100 + 50 = 75; B = 50 x 50/80 + 41 = 72.25: A ahead of B.
    # Without C: P_min = 80; A = 40 + 50 = 90; B = 50 + 41 = 91: B ahead of A.
    scheme = Scheme("points", [50], price_points=50)
    ev = evaluate([100, 80, 50], [[1.0], [0.82], [0.0]], scheme, ids=["A", "B", "C"])
    assert ev.table.loc["A", "total"] == pytest.approx(75.0)
    assert ev.table.loc["B", "total"] == pytest.approx(72.25)
    assert [s.to_dict() for s in ev.paradox] == [{"removed": "C", "swapped": ["A", "B"]}]
    sug = ev.suggestion
    assert sug is not None
    # the suggested absolute formula spreads the 50 price points over [floor, ceiling]
    assert (sug.floor, sug.ceiling) == (45.0, 110.0)
    assert sug.eur_per_point == pytest.approx((110 - 45) / 50)
    assert sug.values == {"q1": pytest.approx(65.0)}
    # ... and has no paradox on the same bids
    absolute = Scheme("points", [50], price_points=50, price_formula="absolute", ceiling=sug.ceiling, floor=sug.floor)
    assert paradox([100, 80, 50], [[1.0], [0.82], [0.0]], absolute, ["A", "B", "C"]) == ()
    fictive = Scheme("fictive_price", list(sug.values.values()))
    assert evaluate([100, 80, 50], [[1.0], [0.82], [0.0]], fictive).paradox == ()


def test_linear_and_absolute_price_formulas():
    # linear between the lowest bid and a stated upper price: 100 -> 60, 150 -> 30, 200 (upper) -> 0
    lin = Scheme("points", [40], price_points=60, price_formula="linear", upper=200)
    ev = evaluate([100, 150, 210], [[0], [0], [0]], lin)
    assert list(ev.table["price_score"]) == pytest.approx([60.0, 30.0, 0.0])
    assert not lin.relative and Scheme("points", [40], price_points=60, price_formula="linear").relative
    # absolute between floor 0 and ceiling 200
    ab = Scheme("points", [40], price_points=60, price_formula="absolute", ceiling=200)
    assert list(evaluate([100, 150], [[0], [0]], ab).table["price_score"]) == pytest.approx([30.0, 15.0])
    with pytest.raises(InputError, match="above the ceiling"):
        evaluate([100, 250], [[0], [0]], ab)


def test_value_for_money_and_lowest_price():
    vfm = evaluate([200_000, 100_000], [[1.0], [0.4]], Scheme("value_for_money", [50]), ids=["A", "B"])
    # quality points per million: A 50 / 0.2 M = 250, B 20 / 0.1 M = 200
    assert list(vfm.table["utility"]) == pytest.approx([250.0, 200.0])
    assert vfm.winner == "A"
    low = evaluate([3, 2, 2], np.zeros((3, 0)), Scheme("lowest_price"), ids=["A", "B", "C"])
    assert list(low.table["rank"]) == [3, 1, 1] and low.tied == ("B", "C") and low.winner == "B"


def test_eur_per_point_is_the_exchange_rate_at_the_margin():
    # relative: at the lowest bid one point is worth P_min / W_P; at another bid P^2 / (W_P P_min)
    scheme = Scheme("points", [40], price_points=60)
    p = np.array([1_000_000.0, 1_250_000.0])
    q = np.array([[0.5], [0.9]])
    assert float(eur_per_point(p, q, scheme, np.array(0))) == pytest.approx(1_000_000 / 60)
    rate = float(eur_per_point(p, q, scheme, np.array(1)))
    assert rate == pytest.approx(1_250_000 ** 2 / (60 * 1_000_000))
    # the second bid adding that price and one quality point keeps its total (to first order)
    base = evaluate(p, q, scheme).table.loc["bid2", "total"]
    eps = 1e-3
    moved = evaluate([1_000_000, 1_250_000 + eps * rate], [[0.5], [0.9 + eps / 40]], scheme).table
    assert moved.loc["bid2", "total"] == pytest.approx(base, abs=1e-6)
    # absolute and fictive price: a fixed rate, (ceiling - floor) / W_P and value per nominal point
    ab = Scheme("points", [40], price_points=60, price_formula="absolute", ceiling=1_600_000, floor=400_000)
    assert float(eur_per_point(p, q, ab, np.array(1))) == pytest.approx(20_000)
    fp = Scheme("fictive_price", [800_000], nominal_points=40)
    assert float(eur_per_point(p, q, fp, np.array(1))) == pytest.approx(20_000)


def test_bad_arrays_are_refused_with_a_located_message():
    with pytest.raises(InputError, match=r"bids\['B'\]\.price: the price must be a positive amount"):
        evaluate([1, 0], [[1], [1]], Scheme("points", [1], price_points=1), ids=["A", "B"])
    with pytest.raises(InputError, match=r"scores\['q1'\]"):
        evaluate([1, 2], [[1], [np.nan]], Scheme("points", [1], price_points=1))


@given(st.lists(st.tuples(st.floats(10, 1000), st.floats(0, 1)), min_size=2, max_size=6, unique_by=lambda t: t[0]),
       st.randoms(use_true_random=False))
def test_permuting_bids_permutes_the_result_and_absolute_formulas_have_no_paradox(bids, rnd):
    prices = [b[0] for b in bids]
    quality = [[b[1]] for b in bids]
    ids = [f"b{i}" for i in range(len(bids))]
    for scheme in (Scheme("points", [40], price_points=60),
                   Scheme("points", [40], price_points=60, price_formula="absolute", ceiling=1000),
                   Scheme("fictive_price", [300]), Scheme("utility_index", [40], price_points=60)):
        ev = evaluate(prices, quality, scheme, ids=ids)
        order = list(range(len(bids)))
        rnd.shuffle(order)
        ev2 = evaluate([prices[i] for i in order], [quality[i] for i in order], scheme, ids=[ids[i] for i in order])
        assert ev2.table.loc[ids, "rank"].tolist() == ev.table.loc[ids, "rank"].tolist()
        if not scheme.relative:
            assert ev.paradox == ()


def test_simulation_is_seeded_and_measures_what_the_formula_rewards():
    prices = [1.0e6, 1.2e6, 0.9e6, 1.5e6]
    quality = np.array([[0.6, 0.5], [0.8, 0.7], [0.4, 0.5], [0.9, 0.9]])
    a = simulate(prices, quality, [0.4, 0.6], [2, 1], types=list("ABCD"), tenders=800, seed=3, intended_price_share=0.4)
    b = simulate(prices, quality, [0.4, 0.6], [2, 1], types=list("ABCD"), tenders=800, seed=3, intended_price_share=0.4)
    assert a.table.equals(b.table)
    wins = a.table[[f"win:{t}" for t in "ABCD"]].sum(axis=1)
    assert np.allclose(wins, 1.0)
    assert (a.table.loc[a.table["formula"] == "lowest_price", "effective_price_weight"] == 1.0).all()
    assert (a.table["formula"] == "lowest_price").sum() == 1  # formulas without a split appear once
    # absolute formulas never show the paradox, relative ones do here
    assert (a.table.loc[a.table["formula"].isin(["points_absolute", "fictive_price", "value_for_money"]),
                        "paradox_frequency"] == 0).all()
    assert (a.table.loc[a.table["formula"] == "points_relative", "paradox_frequency"] > 0).all()
    # more price points -> more effective weight of price, for every formula with a split
    for f in ("points_relative", "points_absolute", "fictive_price", "utility_index"):
        rows = a.table[a.table["formula"] == f].sort_values("price_share")
        assert rows["effective_price_weight"].is_monotonic_increasing
    # the best match is named at the intended split
    assert a.best in set(a.table["formula"]) and a.best_split == 0.4


def test_equal_quality_leaves_price_all_the_weight():
    # Bergman & Lundberg (2013): the effective weight of price depends on the spread of
    # scores; with no spread in quality, price decides alone whatever its nominal weight.
    q = np.full((3, 2), 0.7)
    r = simulate([1.0e6, 1.1e6, 1.2e6], q, [0.3], [1, 1], tenders=300, seed=1, quality_spread=0.0)
    split = r.table[r.table["price_share"] == 0.3]
    assert np.allclose(split["effective_price_weight"], 1.0)
