"""decide.ranking.explanation: contributions, dominance, what decides the top two."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from decide.ranking import explain, methods, rank
from decide.ranking.explanation import dominance_pairs

OPTIONS = pd.DataFrame({
    "cost": [300.0, 250, 400, 320],
    "quality": [4.0, 3, 5, 3],
    "lock_in": [2.0, 4, 1, 3],
}, index=["suite", "modular", "open", "clone"])
W = [0.4, 0.4, 0.2]
D = ["min", "max", "min"]


def test_wsm_contributions_are_exact():
    e = explain(OPTIONS, W, D, "wsm")
    assert e.exact
    np.testing.assert_allclose(e.contributions.sum(axis=1), e.ranking.scores)
    t = rank(OPTIONS, W, D, "wsm", tables=True).tables
    np.testing.assert_allclose(e.contributions, t["weighted"])


def test_topsis_terms_are_the_squared_distance_terms():
    e = explain(OPTIONS, W, D)
    t = rank(OPTIONS, W, D, tables=True).tables
    plus, minus = e.terms["d_plus_sq"], e.terms["d_minus_sq"]
    np.testing.assert_allclose(np.sqrt(plus.sum(axis=1)), t["d_plus"])
    np.testing.assert_allclose(np.sqrt(minus.sum(axis=1)), t["d_minus"])
    np.testing.assert_allclose(e.contributions, minus - plus)


@pytest.mark.parametrize("name", methods())
def test_every_method_explains(name):
    e = explain(OPTIONS, W, D, name)
    assert e.contributions.shape == OPTIONS.shape
    assert list(e.contributions.index) == list(OPTIONS.index)
    assert e.violations.empty
    assert len(e.top_two) == 2
    assert set(e.decisive.index) == set(OPTIONS.columns)
    assert e.decisive.abs().is_monotonic_decreasing
    json.dumps(e.to_dict())
    assert "<table" in e._repr_html_()
    first, second = e.top_two
    np.testing.assert_allclose(e.decisive.sort_index(),
                               (e.contributions.loc[first] - e.contributions.loc[second])
                               .sort_index())


@pytest.mark.parametrize("name,total", [
    ("promethee_ii", lambda r: r.scores), ("ahp", lambda r: r.scores),
    ("spotis", lambda r: -r.scores), ("wpm", lambda r: np.log(r.scores)),
    ("vikor", lambda r: -r.details["S"]),
])
def test_exact_decompositions(name, total):
    e = explain(OPTIONS, W, D, name)
    assert e.exact
    np.testing.assert_allclose(e.contributions.sum(axis=1), total(e.ranking), atol=1e-12)


def test_dominance_flags():
    e = explain(OPTIONS, W, D)
    # suite (300, 4, 2) dominates clone (320, 3, 3); nothing else is dominated
    assert e.dominance.to_dict("records") == [{"dominant": "suite", "dominated": "clone"}]
    assert e.dominated.to_dict() == {"suite": False, "modular": False, "open": False,
                                     "clone": True}
    assert any("'clone' is dominated by 'suite'" in n for n in e.notes)


def test_dominance_pairs_by_blocks(monkeypatch):
    import decide.ranking.explanation as ex
    X = np.random.default_rng(2).integers(0, 4, size=(30, 3)).astype(float)
    t = np.array([1, -1, 1])
    whole = {tuple(p) for p in dominance_pairs(X, t)}
    monkeypatch.setattr(ex, "BLOCK_ELEMENTS", 30 * 3 * 4)
    assert {tuple(p) for p in dominance_pairs(X, t)} == whole
    brute = {(a, b) for a in range(30) for b in range(30)
             if (X[a] * t >= X[b] * t).all() and (X[a] * t > X[b] * t).any()}
    assert whole == brute


def test_decisive_criteria_between_the_top_two():
    X = pd.DataFrame({"price": [100.0, 120, 200], "quality": [3.0, 5, 1],
                      "support": [4.0, 4, 1]}, index=["A", "B", "C"])
    e = explain(X, [0.6, 0.2, 0.2], ["min", "max", "max"], "wsm")
    assert e.top_two == ("A", "B")
    assert e.decisive["price"] > 0 > e.decisive["quality"] and e.decisive["support"] == 0
    assert "'A' is ahead of 'B' mainly because of 'price'." in e.notes


def test_tied_top_two_are_reported():
    X = [[25, 20, 15, 30], [10, 30, 20, 30], [30, 10, 30, 10]]
    e = explain(X, [0.2, 0.15, 0.4, 0.25], ["max"] * 4, "wsm", normalization="none")
    assert "1 and 2 are tied." in e.notes


# Papathanasiou, J., & Ploskas, N. (2018). TOPSIS. In Multiple Criteria Decision Aid (pp. 1-30).
# Springer. 6 options, 4 benefit criteria, weights 0.4/0.3/0.1/0.2, vector normalisation;
# closeness printed to 3 decimals (the same example as tests/ranking/test_topsis.py).
PP_MATRIX = np.array([[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7],
                      [6, 9, 5, 4]], dtype=float)
PP_CLOSENESS = [0.387, 0.327, 0.391, 0.615, 0.868, 0.493]


def test_shares_split_the_published_topsis_closeness_by_weighted_normalised_scores():
    e = explain(PP_MATRIX, [0.4, 0.3, 0.1, 0.2], ["max"] * 4, "topsis")
    # the bars are as long as the published closeness (TOPSIS scores lie in 0..1, higher better)
    assert np.round(e.shares.sum(axis=1).to_numpy(), 3).tolist() == PP_CLOSENESS
    # option 5 (11, 10, 3, 7): best on criteria 1, 2 and 4, so min-max 1, 1, (3-2)/(7-2) = 0.2, 1
    part = np.array([0.4, 0.3, 0.1 * 0.2, 0.2])
    np.testing.assert_allclose(e.shares.iloc[4].to_numpy(), 0.868 * part / part.sum(), atol=5e-4)
    assert e.shares_kind.startswith("score on 0-1")
    assert explain(PP_MATRIX, [0.4, 0.3, 0.1, 0.2], ["max"] * 4, lang="nl").shares_kind.startswith("score op 0-1")


@pytest.mark.parametrize("name", methods())
def test_shares_follow_the_ranking_for_every_method(name):
    from decide.ranking.explanation import unit_scores

    e = explain(OPTIONS, W, D, name)
    r = e.ranking
    totals = e.shares.sum(axis=1).to_numpy()
    np.testing.assert_allclose(totals, unit_scores(r.score_values, r.higher_is_better), atol=1e-12)
    assert (e.shares.to_numpy() >= 0).all() and totals.max() <= 1 + 1e-12
    best = int(np.argmin(r.rank_values))
    assert totals[best] == pytest.approx(totals.max())
