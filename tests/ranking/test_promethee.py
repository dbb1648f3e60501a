"""PROMETHEE II: published worked examples, the six preference functions, thresholds."""
from __future__ import annotations

import numpy as np
import pytest
from pymcdm import methods as pm

from decide.errors import InputError
from decide.ranking import rank
from decide.ranking.adapters import promethee
from decide.ranking.adapters.promethee import preference


def test_zhao_peng_li_2013_usual():
    """Zhao, H., Peng, Y., & Li, W. (2013). Revised PROMETHEE II for improving efficiency in
    emergency response. Procedia Computer Science 17, 181-188: usual function, weights
    0.5/0.3/0.2, net flows printed to 2 decimals (as in pymcdm's test suite)."""
    r = rank([[4, 3, 2], [3, 2, 4], [5, 1, 3]], [0.5, 0.3, 0.2], ["max"] * 3, "promethee_ii")
    assert np.round(r.scores.to_numpy(), 2).tolist() == [0.1, -0.3, 0.2]
    np.testing.assert_allclose(r.details["phi_plus"], [0.55, 0.35, 0.6])
    np.testing.assert_allclose(r.details["phi_minus"], [0.45, 0.65, 0.4])


def test_papathanasiou_ploskas_2018_linear():
    """Papathanasiou, J., & Ploskas, N. (2018). PROMETHEE. In Multiple Criteria Decision Aid
    (pp. 57-89). Springer. https://doi.org/10.1007/978-3-319-91648-4_3 -- linear (V-shape
    with indifference) function on every criterion, q = 1, p = 2; net flows to 2 decimals
    (as in the test suite of pyrepo-mcda, A. Baczkiewicz)."""
    X = [[8, 7, 2, 1], [5, 3, 7, 5], [7, 5, 6, 4], [9, 9, 7, 3], [11, 10, 3, 7], [6, 9, 5, 4]]
    r = rank(X, [0.4, 0.3, 0.1, 0.2], ["max"] * 4, "promethee_ii", preference="linear", q=1,
             p=2)
    assert np.round(r.scores.to_numpy(), 2).tolist() == [-0.26, -0.52, -0.22, 0.36, 0.7, -0.06]


# The six generalised criteria (Brans & Vincke 1985, Management Science 31(6), fig. 1-6),
# evaluated at hand-picked differences d with q = 1, p = 3, s = 2.
@pytest.mark.parametrize("kind,d,expected", [
    ("usual", [-1, 0, 0.1, 5], [0, 0, 1, 1]),
    ("ushape", [0.5, 1, 1.01, 5], [0, 0, 1, 1]),
    ("vshape", [0, 1.5, 3, 4], [0, 0.5, 1, 1]),
    ("level", [1, 2, 3, 3.5], [0, 0.5, 0.5, 1]),
    ("linear", [1, 2, 3, 10], [0, 0.5, 1, 1]),
    ("gaussian", [0, 2, -2], [0, 1 - np.exp(-0.5), 0]),
])
def test_preference_functions_follow_their_definition(kind, d, expected):
    np.testing.assert_allclose(preference(kind, np.array(d, float), 1.0, 3.0, 2.0), expected)


@pytest.mark.parametrize("pf,kwargs,theirs", [
    ("usual", {}, ("usual", None, None)),
    ("ushape", {"q": 4.0}, ("ushape", None, 4.0)),
    ("vshape", {"p": 9.0}, ("vshape", 9.0, None)),
    ("level", {"q": 3.0, "p": 9.0}, ("level", 9.0, 3.0)),
    ("linear", {"q": 3.0, "p": 9.0}, ("vshape_2", 9.0, 3.0)),
])
def test_agrees_with_pymcdm(pf, kwargs, theirs):
    """Cross-check against pymcdm's PROMETHEE_II (a fresh object per call: its preference
    functions come from a one-shot generator and must not be reused)."""
    rng = np.random.default_rng(3)
    X = rng.integers(0, 30, size=(9, 4)).astype(float)
    w = np.array([0.4, 0.3, 0.2, 0.1])
    t = np.array([1, -1, 1, -1])
    name, p, q = theirs
    body = pm.PROMETHEE_II(name, p=None if p is None else [p] * 4,
                           q=None if q is None else [q] * 4)
    ref = body(X, w, t)
    got = rank(X, w, ["max", "min", "max", "min"], "promethee_ii", preference=pf, **kwargs)
    np.testing.assert_allclose(got.scores.to_numpy(), ref, atol=1e-12)


def test_per_criterion_functions_by_list_and_by_label():
    import pandas as pd
    df = pd.DataFrame({"price": [100.0, 120, 90, 150], "quality": [3.0, 4, 2, 5],
                       "delivery": [10.0, 7, 14, 5]}, index=list("abcd"))
    dirs = {"price": "min", "quality": "max", "delivery": "min"}
    w = [0.5, 0.3, 0.2]
    by_list = rank(df, w, dirs, "promethee_ii", preference=["linear", "usual", "gaussian"],
                   q=[5, None, None], p=[30, None, None], s=[None, None, 3])
    by_label = rank(df, w, dirs, "promethee_ii",
                    preference={"price": "linear", "quality": "usual", "delivery": "gaussian"},
                    q={"price": 5}, p={"price": 30}, s={"delivery": 3})
    np.testing.assert_allclose(by_list.scores, by_label.scores)
    phi = by_list.details
    np.testing.assert_allclose(phi["phi"], phi["phi_plus"] - phi["phi_minus"])
    assert abs(by_list.scores.sum()) < 1e-12


def test_missing_or_inconsistent_thresholds_are_named():
    X = [[1, 2], [2, 1], [3, 3]]
    with pytest.raises(InputError, match="preference function linear needs threshold"):
        rank(X, [1, 1], ["max", "max"], "promethee_ii", preference="linear", q=1)
    with pytest.raises(InputError, match="for criterion 1 needs q < p, got q = 2, p = 1"):
        rank(X, [1, 1], ["max", "max"], "promethee_ii", preference=["usual", "level"],
             q=[None, 2], p=[None, 1])
    with pytest.raises(InputError, match="expected 2 values"):
        rank(X, [1, 1], ["max", "max"], "promethee_ii", preference=["usual"] * 3)
    with pytest.raises(InputError, match="must be one of"):
        rank(X, [1, 1], ["max", "max"], "promethee_ii", preference="v-shape")
    with pytest.raises(InputError, match="threshold q must be a number of 0 or more"):
        rank(X, [1, 1], ["max", "max"], "promethee_ii", preference="ushape", q=-1)


def test_blocks_give_the_same_flows(monkeypatch):
    rng = np.random.default_rng(5)
    X = rng.normal(size=(40, 3))
    args = dict(preference=["gaussian", "linear", "usual"], s=[0.5, None, None],
                q=[None, 0.1, None], p=[None, 0.8, None])
    whole = rank(X, [0.2, 0.5, 0.3], ["max", "min", "max"], "promethee_ii", **args)
    monkeypatch.setattr(promethee, "BLOCK_ELEMENTS", 7 * 40)
    blocked = rank(X, [0.2, 0.5, 0.3], ["max", "min", "max"], "promethee_ii", tables=True,
                   **args)
    np.testing.assert_allclose(blocked.scores, whole.scores, atol=1e-14)
    pi = blocked.tables["pi"].to_numpy()
    np.testing.assert_allclose(pi.sum(axis=1) / 39, blocked.details["phi_plus"], atol=1e-14)
    np.testing.assert_allclose(pi.sum(axis=0) / 39, blocked.details["phi_minus"], atol=1e-14)


def test_nan_is_refused_where_pymcdm_returns_numbers():
    """pymcdm 1.4 quirk: NaN passes its PROMETHEE II without validation and gives finite,
    wrong flows. We refuse it, naming the cell."""
    X = np.array([[4, 3, 2], [3, np.nan, 4], [5, 1, 3]])
    out = pm.PROMETHEE_II("usual")(X, np.array([0.5, 0.3, 0.2]), np.ones(3), validation=False)
    assert np.isfinite(out).all()
    with pytest.raises(InputError, match="option 1, criterion 1 = nan"):
        rank(X, [0.5, 0.3, 0.2], ["max"] * 3, "promethee_ii")


def test_net_flows_that_are_zero_up_to_rounding_tie():
    """Both net flows are 0 in exact arithmetic but come out as -/+5.6e-17: ties are judged on
    the scale of the flows (1), not relative to the (tiny) largest flow."""
    r = rank([[2, 1, 1, 1], [1, 2, 2, 1]], [0.5, 0.1, 0.4, 0.2], ["max"] * 4, "promethee_ii")
    assert abs(r.scores).max() < 1e-15  # not bit-for-bit 0 with numpy 2.4 on x86-64
    assert r.ranks.tolist() == [1, 1]
