"""Tests for decide.weights: direct, rank-based, equal, entropy and CRITIC weights."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pymcdm.weights import critic_weights, entropy_weights

from decide import i18n, weights
from decide.errors import InputError

# ----------------------------------------------------------------------------------------
# direct / equal
# ----------------------------------------------------------------------------------------


def test_direct_normalises_with_a_note():
    r = weights.direct({"cost": 30, "risk": 20, "innovation": 50})
    assert r.weights.to_dict() == pytest.approx({"cost": 0.3, "risk": 0.2, "innovation": 0.5})
    assert r.method == "direct"
    assert [n.code for n in r.notes] == ["normalised"]
    assert str(r.notes[0]) == "The weights summed to 100; they were rescaled to sum to 1."
    assert r.notes[0].text("nl") == "De gewichten telden op tot 100; ze zijn herschaald naar een som van 1."
    assert weights.direct({"a": 20.5, "b": 30}).notes[0].text("nl").startswith("De gewichten telden op tot 50,5;")


def test_direct_sum_one_has_no_note_and_keeps_order():
    s = pd.Series({"b": 0.25, "a": 0.75})
    r = weights.direct(s)
    assert list(r.weights.index) == ["b", "a"] and r.notes == ()
    assert r.weights.name == "weight"
    assert weights.direct({"a": 0.0, "b": 1.0}).weights.to_dict() == {"a": 0.0, "b": 1.0}


def test_direct_errors_name_the_criterion():
    with pytest.raises(InputError, match=r"weights\['risk'\] = -0.2: weights must be >= 0"):
        weights.direct({"cost": 0.6, "risk": -0.2})
    with pytest.raises(InputError, match="all weights are 0"):
        weights.direct({"cost": 0, "risk": 0})
    with pytest.raises(InputError, match=r"weights\['cost'\] = nan: expected a finite number"):
        weights.direct({"cost": float("nan"), "risk": 1})
    with pytest.raises(InputError, match=r"weights\['cost'\] = '0.5': expected a number"):
        weights.direct({"cost": "0.5", "risk": 1})
    with pytest.raises(InputError, match="no criteria given"):
        weights.direct({})
    with pytest.raises(InputError, match="expected a mapping"):
        weights.direct([0.5, 0.5])
    with pytest.raises(InputError) as e:
        weights.direct({"a": -1, "b": math.inf})
    assert "weights['a']" in str(e.value) and "weights['b']" in str(e.value)


def test_equal():
    r = weights.equal(["a", "b", "c"])
    assert r.weights.tolist() == pytest.approx([1 / 3] * 3) and r.method == "equal"
    with pytest.raises(InputError, match="listed more than once"):
        weights.equal(["a", "a"])
    with pytest.raises(InputError, match="no criteria"):
        weights.equal([])
    with pytest.raises(InputError, match="got the string"):
        weights.equal("abc")


# ----------------------------------------------------------------------------------------
# rank_order
# ----------------------------------------------------------------------------------------


def test_rank_order_centroid_hand_derivation():
    # Barron & Barrett (1996): w_r = (1/n) sum_{k=r}^n 1/k. For n = 4:
    # (1 + 1/2 + 1/3 + 1/4)/4 = 25/48, (1/2 + 1/3 + 1/4)/4 = 13/48, (1/3 + 1/4)/4 = 7/48, (1/4)/4 = 3/48.
    r = weights.rank_order(["cost", "risk", "flexibility", "innovation"])
    assert r.weights.tolist() == pytest.approx([25 / 48, 13 / 48, 7 / 48, 3 / 48])
    assert list(r.weights.index) == ["cost", "risk", "flexibility", "innovation"] and r.method == "roc"


def test_rank_sum_and_reciprocal_hand_derivation():
    # Rank sum: 2 (n + 1 - r) / (n (n + 1)) -> 4/10, 3/10, 2/10, 1/10 for n = 4.
    assert weights.rank_order(list("abcd"), method="rs").weights.tolist() == pytest.approx([0.4, 0.3, 0.2, 0.1])
    # Rank reciprocal: (1/r) / (1 + 1/2 + 1/3 + 1/4) = (1/r) * 12/25 -> 12/25, 6/25, 4/25, 3/25.
    assert weights.rank_order(list("abcd"), method="rr").weights.tolist() == pytest.approx(
        [12 / 25, 6 / 25, 4 / 25, 3 / 25])


def test_rank_order_ties_share_the_mean_of_their_positions():
    r = weights.rank_order(["a", ["b", "c"], "d"])
    assert r.weights.tolist() == pytest.approx([25 / 48, 10 / 48, 10 / 48, 3 / 48])
    assert weights.rank_order([["a", "b", "c"]]).weights.tolist() == pytest.approx([1 / 3] * 3)


def test_rank_order_errors():
    with pytest.raises(InputError, match="method: expected one of 'roc', 'rs', 'rr'"):
        weights.rank_order(["a"], method="centroid")
    with pytest.raises(InputError, match=r"\['a'\] listed more than once"):
        weights.rank_order(["a", ["b", "a"]])
    with pytest.raises(InputError, match=r"order\[1\]: an empty group"):
        weights.rank_order(["a", []])
    with pytest.raises(InputError, match="expected a list of criterion ids"):
        weights.rank_order("abc")
    with pytest.raises(InputError, match="no criteria"):
        weights.rank_order([])


@given(st.integers(1, 30), st.sampled_from(weights.RANK_METHODS))
def test_prop_rank_weights_on_simplex_and_decreasing(n, method):
    w = weights.rank_order([f"c{k}" for k in range(n)], method=method).weights.to_numpy()
    assert w.sum() == pytest.approx(1.0) and np.all(w > 0)
    assert np.all(np.diff(w) < 0) or n == 1


# ----------------------------------------------------------------------------------------
# entropy
# ----------------------------------------------------------------------------------------


def test_entropy_equals_pymcdm_on_positive_data():
    x = np.random.default_rng(0).uniform(1, 10, size=(6, 4))
    np.testing.assert_allclose(weights.entropy(x).weights.to_numpy(), entropy_weights(x), rtol=1e-12)


def test_entropy_hand_derivation_with_a_zero():
    # Column A = (1, 1, 2): shares (1/4, 1/4, 1/2), E = (2 * 1/4 ln 4 + 1/2 ln 2) / ln 3.
    # Column B = (2, 0, 2): shares (1/2, 0, 1/2), 0 ln 0 = 0, E = ln 2 / ln 3.
    # (pymcdm 1.4 sets E = 0 for a column with a zero, over-weighting it.)
    df = pd.DataFrame({"A": [1, 1, 2], "B": [2, 0, 2]}, index=["x", "y", "z"])
    e_a = (0.5 * math.log(4) + 0.5 * math.log(2)) / math.log(3)
    e_b = math.log(2) / math.log(3)
    d = np.array([1 - e_a, 1 - e_b])
    r = weights.entropy(df)
    assert r.weights.to_dict() == pytest.approx(dict(zip("AB", d / d.sum())))
    assert r.method == "entropy" and r.notes == ()


def test_entropy_constant_column_gets_zero_with_note():
    r = weights.entropy([[1, 5, 2], [2, 5, 3], [3, 5, 1]])
    assert r.weights[1] == 0.0 and r.weights.sum() == pytest.approx(1.0)
    assert [n.code for n in r.notes] == ["constant_column"]
    assert "Criterion 1 has the same value for every option" in str(r.notes[0])


def test_entropy_errors():
    with pytest.raises(InputError, match=r"criteria \['B'\] have negative values"):
        weights.entropy(pd.DataFrame({"A": [1, 2], "B": [-1, 2]}))
    with pytest.raises(InputError, match=r"missing or infinite value\(s\) at \['y', 'A'\]"):
        weights.entropy(pd.DataFrame({"A": [1, np.nan], "B": [1, 2]}, index=["x", "y"]))
    with pytest.raises(InputError, match=r"\['B'\] are 0 for every alternative"):
        weights.entropy(pd.DataFrame({"A": [1, 2], "B": [0, 0]}))
    with pytest.raises(InputError, match="every criterion has the same value"):
        weights.entropy([[1, 2], [1, 2]])
    with pytest.raises(InputError, match="at least 2 alternatives"):
        weights.entropy([[1, 2]])
    with pytest.raises(InputError, match="expected a 2-D matrix"):
        weights.entropy([1, 2, 3])
    with pytest.raises(InputError, match="not numbers"):
        weights.entropy([["a", 1], [2, 3]])
    with pytest.raises(InputError, match="duplicate criterion columns"):
        weights.entropy(pd.DataFrame([[1, 2], [3, 4]], columns=["a", "a"]))


# ----------------------------------------------------------------------------------------
# CRITIC
# ----------------------------------------------------------------------------------------


def _critic_by_hand(x, directions):
    # Diakoulaki et al. (1995): min-max normalise with direction (best = 1), s_j = sample std,
    # r = Pearson correlation between columns, C_j = s_j * sum_k (1 - r_jk), w = C / sum C.
    x = np.asarray(x, dtype=float)
    lo, hi = x.min(axis=0), x.max(axis=0)
    z = np.where(np.array(directions) == "max", (x - lo) / (hi - lo), (hi - x) / (hi - lo))
    s = z.std(axis=0, ddof=1)
    r = np.corrcoef(z, rowvar=False)
    c = s * (1 - r).sum(axis=0)
    return c / c.sum()


def test_critic_matches_the_formula_and_pymcdm():
    x = np.random.default_rng(1).uniform(0, 10, size=(7, 4))
    dirs = ["max", "min", "max", "min"]
    r = weights.critic(pd.DataFrame(x, columns=["cost", "risk", "innovation", "lock_in"]), dirs)
    np.testing.assert_allclose(r.weights.to_numpy(), _critic_by_hand(x, dirs), rtol=1e-10)
    assert list(r.weights.index) == ["cost", "risk", "innovation", "lock_in"] and r.method == "critic"
    np.testing.assert_allclose(weights.critic(x, ["max"] * 4).weights.to_numpy(), critic_weights(x), rtol=1e-12)


def test_critic_errors():
    x = [[1, 2, 3], [2, 2, 1], [3, 2, 2]]
    with pytest.raises(InputError, match=r"criteria \['1'\] have the same value for every alternative"):
        weights.critic(x, ["max", "max", "max"])
    with pytest.raises(InputError, match="expected 3 entries"):
        weights.critic(x, ["max", "max"])
    with pytest.raises(InputError, match=r"directions\[1\] \(1\) = 'maks'"):
        weights.critic(x, ["max", "maks", "min"])
    with pytest.raises(InputError, match="expected a list of 'max'/'min'"):
        weights.critic(x, "max")
    with pytest.raises(InputError, match="missing or infinite"):
        weights.critic([[1, np.inf], [2, 3]], ["max", "max"])
    with pytest.raises(InputError, match="perfectly correlated"):
        weights.critic([[1, 2], [2, 4]], ["max", "max"])


# ----------------------------------------------------------------------------------------
# result object and message catalogue
# ----------------------------------------------------------------------------------------


def test_weight_result_object():
    r = weights.rank_order(["a", "b"])
    f = r.to_frame()
    assert list(f.columns) == ["weight", "rank"] and f.loc["a", "rank"] == 1
    assert "roc" in r._repr_html_()
    with pytest.raises(AttributeError):
        r.method = "rs"
    n = weights.direct({"a": 2, "b": 2}).notes[0]
    assert "rescaled" in weights.direct({"a": 2, "b": 2})._repr_html_() and n.code == "normalised"


def test_weights_catalogue_has_both_languages():
    cat = i18n.catalogue("weights")
    assert cat
    for key, entry in cat.items():
        assert set(entry) == {"nl", "en"}, key
        assert all(isinstance(v, str) and v for v in entry.values()), key
