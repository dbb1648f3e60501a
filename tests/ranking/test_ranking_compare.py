"""decide.ranking.comparison: methods side by side, correlations, consensus, winner note."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pymcdm import correlations

from decide.errors import InputError
from decide.ranking import compare, methods, rank

OPTIONS = pd.DataFrame({
    "cost": [300.0, 250, 400, 280, 310],
    "quality": [4.0, 3, 5, 4, 2],
    "lock_in": [2.0, 4, 1, 3, 5],
}, index=["suite", "modular", "open", "hybrid", "custom"])
W = {"cost": 0.4, "quality": 0.4, "lock_in": 0.2}
D = {"cost": "min", "quality": "max", "lock_in": "min"}


def test_all_methods_side_by_side():
    c = compare(OPTIONS, W, D)
    assert c.methods == tuple(methods())
    assert list(c.ranks.columns) == methods() and list(c.ranks.index) == list(OPTIONS.index)
    for name in c.methods:
        assert c.ranks[name].tolist() == rank(OPTIONS, W, D, name).ranks.tolist()
    assert c.rw.shape == (8, 8) and np.allclose(np.diag(c.rw), 1)
    np.testing.assert_allclose(c.rw, c.rw.T)
    a, b = c.ranks["topsis"].to_numpy(float), c.ranks["vikor"].to_numpy(float)
    assert c.rw.loc["topsis", "vikor"] == pytest.approx(correlations.weighted_spearman(a, b))
    assert c.ws.loc["topsis", "vikor"] == pytest.approx(correlations.rank_similarity_coef(a, b))
    assert c.consensus_method == "borda"
    assert any(n.startswith("Consensus: Borda count") for n in c.notes)
    json.dumps(c.to_dict())
    assert "<table" in c._repr_html_()
    assert c.to_frame().iloc[:, -1].is_monotonic_increasing


def test_borda_points():
    c = compare(OPTIONS, W, D, ["topsis", "wsm", "vikor"])
    m = len(OPTIONS)
    expected = (m - c.ranks.astype(float)).sum(axis=1)  # no ties here
    np.testing.assert_allclose(c.consensus_points, expected)
    assert c.consensus.idxmin() == expected.idxmax()


def test_copeland_consensus():
    X = np.array([[3.0, 1], [2, 2], [1, 3]])
    c = compare(X, [0.5, 0.5], ["max", "max"], ["topsis", "wsm", "promethee_ii"],
                consensus="copeland")
    assert c.consensus_method == "copeland"
    assert abs(c.consensus_points.sum()) < 1e-12


def test_winner_depends_on_method_note():
    # A is best on the heavy criterion, B is never bad: VIKOR's regret prefers B
    X = pd.DataFrame({"c1": [10.0, 6, 0], "c2": [0.0, 4, 10]}, index=["A", "B", "C"])
    c = compare(X, [0.55, 0.45], ["max", "max"], ["wsm", "vikor"],
                wsm={"normalization": "none"})
    assert c.winners["wsm"] == ["A"] and c.winners["vikor"] == ["B"]
    assert c.winner_depends_on_method
    assert "The winner depends on the method: wsm picks 'A'; vikor picks 'B'." in c.notes
    same = compare(X, [0.9, 0.1], ["max", "max"], ["wsm", "topsis"])
    assert not same.winner_depends_on_method
    assert "Every method picks 'A'." in same.notes


def test_per_method_params_and_errors():
    assert compare(OPTIONS, W, D, "vikor").methods == ("vikor",)
    c = compare(OPTIONS, W, D, ["topsis", "wsm"], topsis={"normalization": "minmax"})
    assert c.rankings["topsis"].params["normalization"] == "minmax"
    with pytest.raises(InputError, match="unknown: vikor"):
        compare(OPTIONS, W, D, ["topsis"], vikor={"v": 0.3})
    with pytest.raises(InputError, match="must be a dict"):
        compare(OPTIONS, W, D, ["topsis"], topsis="minmax")
    with pytest.raises(InputError, match="consensus must be"):
        compare(OPTIONS, W, D, consensus="kemeny")


def test_methods_that_cannot_use_the_data_are_skipped_only_by_default():
    X = OPTIONS.copy()
    X.loc["open", "lock_in"] = 0.0  # WPM needs values > 0
    c = compare(X, W, D)
    assert "wpm" not in c.methods
    assert any(n.startswith("wpm was skipped: wpm: the weighted product needs values above 0")
               for n in c.notes)
    with pytest.raises(InputError, match="wpm"):
        compare(X, W, D, ["topsis", "wpm"])
