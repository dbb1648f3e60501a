"""Tests for decide.ahp: published examples (cited, settings pinned), validation, properties."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from decide import ahp
from decide.errors import DecideError, InputError

# ----------------------------------------------------------------------------------------
# Published examples
# ----------------------------------------------------------------------------------------

# Saaty, T.L. (2008). Decision making with the analytic hierarchy process. Int. J. Services
# Sciences 1(1):83-98, "Which drink is consumed more in the U.S.?". Matrix as transcribed in
# the test suite of AHPy (PhilipGriffith/AHPy, tests/test_ahp.py), which cites the same paper.
DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
DRINKS_MATRIX = np.array([
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
])


def test_saaty_2008_drinks_weights_to_printed_precision():
    # Settings: principal right eigenvector; printed to 3 decimals.
    m = pd.DataFrame(DRINKS_MATRIX, index=DRINKS, columns=DRINKS)
    p = ahp.priorities(m, method="eigenvector", ri="saaty1980")
    printed = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
    assert list(p.weights.index) == DRINKS
    assert p.weights.round(3).tolist() == printed
    assert p.is_consistent  # the paper uses it as an example of near-consistent judgements


# Saaty, T.L. (1990). How to make a decision: the analytic hierarchy process. EJOR 48:9-26
# (also Saaty 1980, ch. 2): buying a house, 8 criteria (size, transportation, neighbourhood,
# age, yard, modern facilities, general condition, financing). Printed: lambda_max = 9.669,
# C.I. = 0.238, C.R. = 0.169 and priorities .173 .054 .188 .018 .031 .036 .167 .333.
# Settings: eigenvector, RI table 'saaty1980' (RI(8) = 1.41).
# Verification note: the EJOR text was not reachable through the project's search corpus. The
# matrix's fractions and its first column sum (9.01) were checked against the Russian edition
# of Saaty's book (studopedia.net, "Pokupka doma: matritsa poparnykh sravnenii dlya urovnya 2"),
# which prints lambda_max 9.73 / CI 0.247 / CR 0.175 from an approximate (column-sum) method.
HOUSE = np.array([
    [1, 5, 3, 7, 6, 6, 1 / 3, 1 / 4],
    [1 / 5, 1, 1 / 3, 5, 3, 3, 1 / 5, 1 / 7],
    [1 / 3, 3, 1, 6, 3, 4, 6, 1 / 5],
    [1 / 7, 1 / 5, 1 / 6, 1, 1 / 3, 1 / 4, 1 / 7, 1 / 8],
    [1 / 6, 1 / 3, 1 / 3, 3, 1, 1 / 2, 1 / 5, 1 / 6],
    [1 / 6, 1 / 3, 1 / 4, 4, 2, 1, 1 / 5, 1 / 6],
    [3, 5, 1 / 6, 7, 5, 5, 1, 1 / 2],
    [4, 7, 5, 8, 6, 6, 2, 1],
])


def test_saaty_1990_house_consistency_ratio():
    assert HOUSE.sum(axis=0)[0] == pytest.approx(9.01, abs=0.005)  # printed in the Russian edition
    p = ahp.priorities(HOUSE, method="eigenvector", ri="saaty1980")
    assert p.ri == 1.41
    assert round(p.lambda_max, 3) == 9.669
    assert round(p.ci, 3) == 0.238
    assert round(p.cr, 3) == 0.169
    assert p.weights.round(3).tolist() == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert not p.is_consistent
    # the same matrix against the other named tables (CR = CI / RI(8))
    for table in ("donegan_dodd", "tummala_ling", "alonso_lamata"):
        q = ahp.priorities(HOUSE, ri=table)
        assert q.cr == pytest.approx(p.ci / ahp.random_index(table, 8))
        assert q.ri_table == table


# Bozoki, S., Fulop, J. & Ronyai, L. (2010). On optimal completion of incomplete pairwise
# comparison matrices. Math. Comput. Modelling 52:318-333, Example 3: a 4 x 4 matrix with the
# single entry x = a_34 missing. Printed: van Uden's estimate sqrt(2/5 * 4/3) = 0.73029674334
# and the lambda_max-optimal x = 0.7302965066047, "which equals van Uden's approximation up to
# 6 digits".
EXAMPLE3 = np.array([
    [1, 1, 5, 2],
    [1, 1, 3, 4],
    [1 / 5, 1 / 3, 1, np.nan],
    [1 / 2, 1 / 4, np.nan, 1],
])


def test_bozoki_2010_example3_llsm_completion():
    # Hand derivation: the comparison graph is K4 minus the edge 3-4. Subtracting the LLSM
    # normal equations of items 3 and 4 (2 y3 - y1 - y2 = ln a31 + ln a32, likewise for 4)
    # gives y3 - y4 = (ln a31 a14 + ln a32 a24) / 2: exactly van Uden's geometric mean.
    c = ahp.complete(EXAMPLE3, method="llsm")
    x = c.matrix.iloc[2, 3]
    assert x == pytest.approx(math.sqrt(2 / 5 * 4 / 3), rel=1e-12)
    assert round(x, 11) == 0.73029674334
    assert c.matrix.iloc[3, 2] == pytest.approx(1 / x)
    assert c.estimated == ((2, 3),)
    assert c.method == "llsm"


def test_bozoki_2010_example3_eigenvector_completion():
    c = ahp.complete(EXAMPLE3, method="eigenvector")
    x = c.matrix.iloc[2, 3]
    assert round(x, 6) == round(0.7302965066047, 6)
    assert x == pytest.approx(0.7302965066047, abs=5e-7)
    # our optimum is a stationary point of lambda_max (the printed value is 2.4e-7 away on a
    # plateau where lambda_max differs by ~1e-15)
    lam, grad = ahp._lambda_max_and_grad(c.matrix.to_numpy(), [(2, 3)])
    assert abs(grad[0]) < 1e-9


def test_eigenvector_completion_matches_ahpy_cross_implementation():
    # Not a published table: the 8 x 8 incomplete matrix of AHPy's test suite
    # ('Incomplete Housing', cyclic coordinates per Bozoki et al. 2010, tolerance 1e-4) and the
    # values AHPy computes. An independent implementation agreeing to its tolerance.
    pairs = {("a", "b"): 5, ("a", "c"): 3, ("a", "d"): 7, ("a", "e"): 6, ("a", "f"): 6, ("b", "d"): 5,
             ("b", "f"): 3, ("c", "e"): 3, ("c", "g"): 6, ("f", "d"): 4, ("g", "a"): 3, ("g", "e"): 5,
             ("h", "a"): 4, ("h", "b"): 7, ("h", "d"): 8, ("h", "f"): 6}
    m = ahp.matrix_from_judgments(list("abcdefgh"), [[a, b, v] for (a, b), v in pairs.items()])
    ahpy = {("b", "c"): 0.3300187496240363, ("b", "e"): 1.7197409185349517, ("b", "g"): 0.4663515002203321,
            ("c", "d"): 9.920512661898753, ("c", "f"): 4.852486449214693, ("c", "h"): 0.5696073301509899,
            ("d", "e"): 0.5252768142894285, ("d", "g"): 0.1424438146531802, ("e", "f"): 0.9311973564754218,
            ("e", "h"): 0.10930828182051665, ("f", "g"): 0.2912120796181874, ("g", "h"): 0.4030898885178746}
    c = ahp.complete(m, method="eigenvector")
    assert set(c.estimated) == set(ahpy)
    for (a, b), v in ahpy.items():
        assert c.matrix.loc[a, b] == pytest.approx(v, rel=5e-5)
    llsm = ahp.complete(m)
    assert ahp.priorities(c.matrix).lambda_max <= ahp.priorities(llsm.matrix).lambda_max + 1e-12


def test_aczel_saaty_geometric_mean_of_2_3_4():
    # Aczel, J. & Saaty, T.L. (1983). Procedures for synthesizing ratio judgements. J. Math.
    # Psychology 27:93-102: the geometric mean is the synthesis of judgements 2, 3 and 4.
    ms = [[[1, v], [1 / v, 1]] for v in (2, 3, 4)]
    g = ahp.aggregate(ms, how="judgments")
    assert g.iloc[0, 1] == pytest.approx(24 ** (1 / 3), rel=1e-12)
    assert g.iloc[1, 0] == pytest.approx(24 ** (-1 / 3), rel=1e-12)
    assert g.iloc[0, 1] * g.iloc[1, 0] == pytest.approx(1.0)


def test_barzilai_golany_aij_equals_aip_under_geometric_mean():
    # Barzilai, J. & Golany, B. (1994). AHP rank reversal, normalization and aggregation rules.
    # INFOR 32(2):57-64: with the row geometric mean, aggregating judgements (weighted geometric
    # mean) and aggregating priorities (weighted geometric mean) give the same priorities.
    rng = np.random.default_rng(3)
    ms = [_random_saaty_matrix(rng, 5) for _ in range(4)]
    w = [0.1, 0.2, 0.3, 0.4]
    aij = ahp.priorities(ahp.aggregate(ms, how="judgments", weights=w), method="geometric").weights
    aip = ahp.aggregate(ms, how="priorities", weights=w, method="geometric")
    np.testing.assert_allclose(aij.to_numpy(), aip.to_numpy(), rtol=1e-12)


# ----------------------------------------------------------------------------------------
# Random index tables
# ----------------------------------------------------------------------------------------


def test_ri_tables():
    assert [ahp.random_index("saaty1980", n) for n in range(1, 16)] == [
        0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59]
    from pymcdm.weights.subjective import AHP as PymcdmAHP

    assert [ahp.random_index("tummala_ling", n) for n in range(1, 16)] == list(PymcdmAHP.RI_M)
    assert ahp.random_index("donegan_dodd", 3) == 0.4914
    assert ahp.random_index("donegan_dodd", 20) == 1.5371
    # Alonso & Lamata (2006): RI(n) = (1.7699 n - 4.3513) / (n - 1), any n
    assert ahp.random_index("alonso_lamata", 4) == pytest.approx((1.7699 * 4 - 4.3513) / 3)
    assert ahp.random_index("alonso_lamata", 40) == pytest.approx((1.7699 * 40 - 4.3513) / 39)
    assert ahp.random_index("alonso_lamata", 2) == 0.0
    assert set(ahp.RI_SOURCES) == {"saaty1980", "saaty_vargas2012", "donegan_dodd", "tummala_ling", "alonso_lamata"}
    with pytest.raises(TypeError):
        ahp.RI_TABLES["mine"] = {}  # read-only


def test_ri_out_of_range_names_covering_tables():
    with pytest.raises(InputError) as e:
        ahp.random_index("saaty1980", 16)
    msg = str(e.value)
    assert "covers n = 1..15" in msg and "n = 16" in msg
    assert "'donegan_dodd'" in msg and "'alonso_lamata'" in msg and "'tummala_ling'" not in msg
    with pytest.raises(InputError, match="'alonso_lamata'"):
        ahp.priorities(np.ones((25, 25)), ri="donegan_dodd")
    assert ahp.priorities(np.ones((25, 25)), ri="alonso_lamata").cr == 0.0  # a consistent matrix: exactly 0


def test_unknown_ri_table():
    with pytest.raises(InputError, match="ri: expected one of 'saaty1980'.*got 'saaty'"):
        ahp.priorities(HOUSE, ri="saaty")
    with pytest.raises(InputError, match="got 'nope'"):
        ahp.priorities([[1]], ri="nope")


# ----------------------------------------------------------------------------------------
# priorities()
# ----------------------------------------------------------------------------------------


def test_small_matrices_have_cr_zero():
    p1 = ahp.priorities([[1.0]])
    assert p1.weights.tolist() == [1.0] and p1.cr == 0 and p1.ci == 0 and p1.ri == 0
    p2 = ahp.priorities([[1, 4], [0.25, 1]])
    assert p2.weights.tolist() == pytest.approx([0.8, 0.2])
    assert p2.cr == 0 and p2.is_consistent


def test_geometric_method_and_lambda_estimate():
    p = ahp.priorities(HOUSE, method="geometric")
    g = np.exp(np.log(HOUSE).mean(axis=1))
    w = g / g.sum()
    np.testing.assert_allclose(p.weights.to_numpy(), w)
    assert p.lambda_max == pytest.approx(np.mean(HOUSE @ w / w))
    assert p.ci == pytest.approx((p.lambda_max - 8) / 7)
    assert p.cr == pytest.approx(p.ci / 1.41)
    assert p.method == "geometric"


def test_result_object():
    m = pd.DataFrame(DRINKS_MATRIX, index=DRINKS, columns=DRINKS)
    p = ahp.priorities(m, max_cr=0.01)
    assert not p.is_consistent and p.max_cr == 0.01
    f = p.to_frame()
    assert list(f.columns) == ["weight", "rank"] and f.loc["water", "rank"] == 1 and f.loc["wine", "rank"] == 7
    assert "CR" in p._repr_html_() and "saaty1980" in p._repr_html_()
    assert p.summary()["ri_table"] == "saaty1980"
    assert p.matrix.loc["coffee", "wine"] == 9
    assert p.n == 7
    with pytest.raises(AttributeError):
        p.cr = 0.0  # frozen


def test_check_scale_warns_only_when_asked():
    m = [[1, 2.5, 1], [0.4, 1, 1], [1, 1, 1]]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ahp.priorities(m)  # no warning by default
    with pytest.warns(ahp.ScaleWarning, match=r"matrix\[0, 1\] = 2.5"):
        ahp.priorities(m, check_scale=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ahp.priorities(DRINKS_MATRIX, check_scale=True)  # all on the scale


# ----------------------------------------------------------------------------------------
# Validation: every error case, message content asserted
# ----------------------------------------------------------------------------------------


def test_error_not_square():
    with pytest.raises(InputError, match=r"expected a square n x n matrix.*got shape \(2, 3\)"):
        ahp.priorities([[1, 2, 3], [0.5, 1, 1]])


def test_error_empty():
    with pytest.raises(InputError, match=r"empty \(n = 0\)"):
        ahp.priorities(np.empty((0, 0)))


def test_error_non_positive_and_non_finite():
    with pytest.raises(InputError) as e:
        ahp.priorities([[1, -2], [-0.5, 1]])
    assert "matrix[0, 1] = -2: judgements must be positive" in str(e.value)
    with pytest.raises(InputError, match=r"matrix\[0, 1\] = inf: judgements must be finite"):
        ahp.priorities([[1, np.inf], [0.0, 1]])
    with pytest.raises(InputError, match=r"matrix\[1, 0\] = 0: judgements must be positive"):
        ahp.priorities([[1, np.inf], [0.0, 1]])


def test_error_not_numbers():
    with pytest.raises(InputError, match="not numbers"):
        ahp.priorities([[1, "three"], ["1/3", 1]])


def test_error_diagonal():
    with pytest.raises(InputError, match=r"matrix\[1, 1\] = 2: the diagonal must be 1"):
        ahp.priorities([[1, 1], [1, 2]])


def test_error_not_reciprocal_names_cells_and_value():
    with pytest.raises(InputError) as e:
        ahp.priorities([[1, 3, 1], [0.5, 1, 1], [1, 1, 1]])
    assert "matrix[1, 0] = 0.5 should be 0.333 because matrix[0, 1] is 3" in str(e.value)
    labelled = pd.DataFrame([[1, 3], [0.5, 1]], index=["cost", "risk"], columns=["cost", "risk"])
    with pytest.raises(InputError, match=r"matrix\['risk', 'cost'\] = 0.5 should be 0.333 because "
                                         r"matrix\['cost', 'risk'\] is 3"):
        ahp.priorities(labelled)


def test_reciprocity_tolerance_is_relative_1e6():
    ahp.priorities([[1, 3], [1 / 3 * (1 + 5e-7), 1]])
    with pytest.raises(InputError, match="reciprocal"):
        ahp.priorities([[1, 3], [1 / 3 * (1 + 5e-6), 1]])


def test_error_lists_all_problems_at_once():
    with pytest.raises(InputError) as e:
        ahp.priorities([[2, 3, 1], [1, 1, 1], [1, 1, 1]])
    msg = str(e.value)
    assert "2 problems" in msg and "diagonal" in msg and "should be 0.333" in msg


def test_error_missing_judgements_point_to_complete():
    with pytest.raises(InputError, match=r"missing \(NaN\).*decide\.ahp\.complete\(matrix\)"):
        ahp.priorities(EXAMPLE3)


def test_error_labels():
    m = pd.DataFrame(np.ones((2, 2)), index=["a", "b"], columns=["b", "a"])
    with pytest.raises(InputError, match="row labels .* and column labels .* differ"):
        ahp.priorities(m)
    m = pd.DataFrame(np.ones((2, 2)), index=["a", "a"], columns=["a", "a"])
    with pytest.raises(InputError, match="duplicate labels"):
        ahp.priorities(m)


def test_error_method_and_max_cr():
    with pytest.raises(InputError, match="method: expected one of 'eigenvector', 'geometric'"):
        ahp.priorities([[1]], method="mean")
    with pytest.raises(InputError, match="max_cr: expected a positive number"):
        ahp.priorities([[1]], max_cr=-0.1)
    with pytest.raises(InputError, match="max_cr"):
        ahp.priorities([[1]], max_cr="ten")


def test_input_error_is_a_value_error_and_decide_error():
    with pytest.raises(ValueError):
        ahp.priorities([[1, 2]])
    with pytest.raises(DecideError):
        ahp.priorities([[1, 2]])


# ----------------------------------------------------------------------------------------
# matrix_from_judgments()
# ----------------------------------------------------------------------------------------


def test_matrix_from_judgments_builds_reciprocal_matrix():
    m = ahp.matrix_from_judgments(
        ["cost", "risk", "innovation"],
        [["cost", "risk", 2], ["innovation", "cost", "1/3"], ["risk", "innovation", "3"]],
    )
    assert list(m.index) == list(m.columns) == ["cost", "risk", "innovation"]
    assert m.loc["cost", "risk"] == 2 and m.loc["risk", "cost"] == 0.5
    assert m.loc["cost", "innovation"] == pytest.approx(3) and m.loc["innovation", "cost"] == pytest.approx(1 / 3)
    assert m.loc["risk", "innovation"] == 3
    assert np.all(np.diag(m) == 1)


def test_matrix_from_judgments_missing_pairs_are_nan_and_duplicates_may_agree():
    m = ahp.matrix_from_judgments(["a", "b", "c"], [["a", "b", 3], ["b", "a", "1/3"], ["b", "c", 0.5]])
    assert np.isnan(m.loc["a", "c"]) and np.isnan(m.loc["c", "a"])
    assert m.loc["a", "b"] == 3


def test_matrix_from_judgments_contradictions_name_both_entries():
    with pytest.raises(ahp.JudgmentsError) as e:
        ahp.matrix_from_judgments(["cost", "risk"], [["cost", "risk", 3], ["risk", "cost", 3]])
    msg = str(e.value)
    assert "judgments[1]" in msg and "contradicts judgments[0]" in msg
    assert "'cost' vs 'risk' is both 1/3 and 3" in msg
    assert e.value.codes == ["contradiction"]
    with pytest.raises(ahp.JudgmentsError, match=r"judgments\[2\].*contradicts judgments\[0\]"):
        ahp.matrix_from_judgments(["a", "b"], [["a", "b", 3], ["a", "b", 3], ["a", "b", "5"]])


def test_matrix_from_judgments_reports_every_problem():
    with pytest.raises(ahp.JudgmentsError) as e:
        ahp.matrix_from_judgments(
            ["cost", "risk"],
            [["cots", "risk", 2], ["risk", "risk", 1], ["cost", "risk", "abc"], ["cost", "risk", 0],
             ["cost", "risk", -3], "cost>risk", ["cost", "risk", True], ["cost", "risk", "1/0"]],
        )
    err = e.value
    assert isinstance(err, InputError)
    assert err.codes == ["unknown_id", "self_comparison", "bad_value", "bad_value", "bad_value",
                         "bad_entry", "bad_value", "bad_value"]
    msg = str(err)
    assert "judgments[0]: unknown id 'cots'; known ids: 'cost', 'risk'" in msg
    assert "judgments[1]: compares 'risk' with itself" in msg
    assert "judgments[2]: value 'abc' for 'cost' vs 'risk' is not a positive number" in msg
    assert "judgments[3]: value 0" in msg and "judgments[4]: value -3" in msg
    assert "judgments[5]: expected [a, b, value], got 'cost>risk'" in msg
    assert [i for i, _, _ in err.problems] == list(range(8))


def test_matrix_from_judgments_items_errors():
    with pytest.raises(ahp.JudgmentsError, match="listed twice"):
        ahp.matrix_from_judgments(["a", "a"], [])
    with pytest.raises(ahp.JudgmentsError, match="empty"):
        ahp.matrix_from_judgments([], [])


# ----------------------------------------------------------------------------------------
# complete()
# ----------------------------------------------------------------------------------------


def test_complete_recovers_a_consistent_matrix():
    w = np.array([0.4, 0.3, 0.15, 0.1, 0.05])
    full = w[:, None] / w[None, :]
    holey = full.copy()
    for i, j in [(0, 2), (1, 4), (3, 4), (0, 3)]:
        holey[i, j] = holey[j, i] = np.nan
    for method in ("llsm", "eigenvector"):
        c = ahp.complete(holey, method=method)
        np.testing.assert_allclose(c.matrix.to_numpy(), full, rtol=1e-7)
        assert c.estimated == ((0, 2), (0, 3), (1, 4), (3, 4))


def test_llsm_completion_is_the_least_squares_optimum():
    # LLSM (Bozoki et al. 2010): y minimises sum over given pairs (ln a_ij - y_i + y_j)^2 and a
    # missing entry becomes exp(y_i - y_j). Solve the least-squares problem independently
    # (edge-incidence matrix, numpy lstsq), check its optimality conditions (the normal
    # equations: for every item, the residuals of its judgements sum to 0), then the holes.
    rng = np.random.default_rng(7)
    a = _random_saaty_matrix(rng, 6)
    holes = [(0, 1), (0, 5), (1, 2), (2, 4), (3, 5)]
    for i, j in holes:
        a[i, j] = a[j, i] = np.nan
    edges = [(i, j) for i in range(6) for j in range(i + 1, 6) if not np.isnan(a[i, j])]
    inc = np.zeros((len(edges), 6))
    for k, (i, j) in enumerate(edges):
        inc[k, i], inc[k, j] = 1, -1
    logs = np.array([math.log(a[i, j]) for i, j in edges])
    y = np.linalg.lstsq(inc, logs, rcond=None)[0]
    resid = logs - inc @ y
    np.testing.assert_allclose(inc.T @ resid, 0.0, atol=1e-12)  # normal equations
    b = ahp.complete(a).matrix.to_numpy()
    for i, j in holes:
        assert b[i, j] == pytest.approx(math.exp(y[i] - y[j]), rel=1e-10)
    np.testing.assert_allclose(b * b.T, 1.0)
    for i, j in edges:
        assert b[i, j] == a[i, j]  # given judgements unchanged


def test_complete_labels_and_passthrough():
    m = ahp.matrix_from_judgments(["cost", "risk", "exit"], [["cost", "risk", 2], ["risk", "exit", 3]])
    c = ahp.complete(m)
    assert c.estimated == (("cost", "exit"),)
    assert c.matrix.loc["cost", "exit"] == pytest.approx(6)
    assert c.to_frame().to_dict("records") == [{"a": "cost", "b": "exit", "value": pytest.approx(6)}]
    assert "1 pair(s) estimated" in c._repr_html_()
    full = ahp.complete(DRINKS_MATRIX)
    assert full.estimated == () and np.allclose(full.matrix.to_numpy(), DRINKS_MATRIX)
    p = ahp.priorities(c.matrix)
    assert p.weights.index.tolist() == ["cost", "risk", "exit"]


def test_complete_disconnected_names_the_groups():
    m = ahp.matrix_from_judgments(["cost", "risk", "innovation", "exit"],
                                  [["cost", "risk", 2], ["innovation", "exit", 3]])
    with pytest.raises(InputError) as e:
        ahp.complete(m)
    msg = str(e.value)
    assert "never compared with each other: {'cost', 'risk'}; {'innovation', 'exit'}" in msg
    assert "'cost' vs 'innovation'" in msg


def test_complete_errors():
    with pytest.raises(InputError, match=r"matrix\[1, 0\] is missing but matrix\[0, 1\] is 3.*should be 0.333"):
        ahp.complete([[1, 3], [np.nan, 1]])
    with pytest.raises(InputError, match="method: expected 'llsm' or 'eigenvector'"):
        ahp.complete([[1]], method="harker")


# ----------------------------------------------------------------------------------------
# repair_hints()
# ----------------------------------------------------------------------------------------


def test_repair_hints_find_a_single_corrupted_judgement():
    ids = ["cost", "risk", "innovation", "flexibility"]
    w = np.array([8.0, 4.0, 2.0, 1.0])
    m = w[:, None] / w[None, :]
    m[0, 1], m[1, 0] = 1 / 5, 5  # the truth is cost : risk = 2
    df = pd.DataFrame(m, index=ids, columns=ids)
    p = ahp.priorities(df)
    assert not p.is_consistent
    hints = ahp.repair_hints(df, top=3)
    first = hints[0]
    assert (first.a, first.b) == ("cost", "risk")
    assert first.current == pytest.approx(0.2) and first.suggested == 2.0
    assert first.rank == 1 and first.cr_before == pytest.approx(p.cr)
    assert first.cr_after == pytest.approx(0.0, abs=1e-12)
    e = first.current * p.weights["risk"] / p.weights["cost"]
    assert first.deviation == pytest.approx(max(e, 1 / e))
    assert [h.rank for h in hints] == list(range(1, len(hints) + 1))
    assert all(h1.deviation >= h2.deviation for h1, h2 in zip(hints, hints[1:]))


def test_repair_hint_text_in_both_languages():
    ids = ["cost", "risk", "innovation", "flexibility"]
    w = np.array([8.0, 4.0, 2.0, 1.0])
    m = w[:, None] / w[None, :]
    m[0, 1], m[1, 0] = 5, 1 / 5
    hints = ahp.repair_hints(pd.DataFrame(m, index=ids, columns=ids))
    h = hints[0]
    cr = f"{h.cr_before:.2f}"
    assert h.text("en") == (f"Judgement 'cost vs risk' = 5 is most inconsistent; 2 would fit the rest "
                            f"(CR {cr} -> 0.00)")
    assert h.text("nl") == (f"Oordeel 'cost vs risk' = 5 is het meest inconsistent; 2 past bij de rest "
                            f"(CR {cr.replace('.', ',')} -> 0,00)")
    assert "Kosten vs Risico" in h.text("nl", labels={"cost": "Kosten", "risk": "Risico"})
    if len(hints) > 1:
        assert "(no. 2)" in hints[1].text("en") and "(nr. 2)" in hints[1].text("nl")
    assert h.to_dict()["suggested"] == 2.0


def test_repair_hints_consistent_and_small_matrices():
    w = np.array([0.5, 0.3, 0.2])
    assert ahp.repair_hints(w[:, None] / w[None, :]) == []
    assert ahp.repair_hints([[1, 9], [1 / 9, 1]]) == []
    with pytest.raises(InputError, match="top: expected a positive whole number"):
        ahp.repair_hints(HOUSE, top=0)


def test_repair_hints_house_example():
    hints = ahp.repair_hints(HOUSE, top=3)
    assert len(hints) == 3
    assert all(h.cr_after < h.cr_before for h in hints)
    assert hints[0].cr_before == pytest.approx(ahp.priorities(HOUSE).cr)


# ----------------------------------------------------------------------------------------
# aggregate() and consensus()
# ----------------------------------------------------------------------------------------


def test_aggregate_labels_weights_and_missing_cells():
    ids = ["cost", "risk", "exit"]
    a = ahp.matrix_from_judgments(ids, [["cost", "risk", 4], ["risk", "exit", 2], ["cost", "exit", 8]])
    b = ahp.matrix_from_judgments(ids, [["cost", "risk", 1], ["risk", "exit", 2]])  # skipped cost-exit
    b_reordered = b.loc[["exit", "cost", "risk"], ["exit", "cost", "risk"]]
    g = ahp.aggregate({"inkoop": a, "it": b_reordered}, weights={"inkoop": 3, "it": 1})
    assert list(g.index) == ids
    assert g.loc["cost", "risk"] == pytest.approx(4 ** 0.75)
    assert g.loc["cost", "exit"] == pytest.approx(8)  # only 'inkoop' judged it
    np.testing.assert_allclose(g.to_numpy() * g.to_numpy().T, 1.0)
    nobody = ahp.aggregate([b, b])
    assert np.isnan(nobody.loc["cost", "exit"])


def test_aggregate_priorities_and_errors():
    ms = [HOUSE, HOUSE.T.copy()]
    w = ahp.aggregate(ms, how="priorities")
    assert w.sum() == pytest.approx(1.0) and w.name == "weight"
    with pytest.raises(InputError, match="how: expected 'judgments'"):
        ahp.aggregate(ms, how="mean")
    with pytest.raises(InputError, match="expected 2 participant weights"):
        ahp.aggregate(ms, weights=[1, 2, 3])
    with pytest.raises(InputError, match="all participant weights are 0"):
        ahp.aggregate(ms, weights=[0, 0])
    with pytest.raises(InputError, match=r"finite and >= 0; check participant\(s\) \[1\]"):
        ahp.aggregate(ms, weights=[1, -1])
    with pytest.raises(InputError, match="group is empty"):
        ahp.aggregate([])
    with pytest.raises(InputError, match="Wrap a single matrix in a list"):
        ahp.aggregate(HOUSE)
    with pytest.raises(InputError, match=r"matrices\[1\]: shape \(7, 7\) differs"):
        ahp.aggregate([HOUSE, DRINKS_MATRIX])
    with pytest.raises(InputError, match=r"(?s)matrices\[1\]: 1 problem.*matrices\[1\]\[1, 0\] = 2 should be 0.5"):
        ahp.aggregate([[[1, 2], [0.5, 1]], [[1, 2], [2, 1]]])
    with pytest.raises(InputError, match="unknown \\['x'\\], without weight \\['b'\\]"):
        ahp.aggregate({"a": HOUSE, "b": HOUSE}, weights={"a": 1, "x": 1})
    with pytest.raises(InputError, match="every participant must compare the same items"):
        ahp.aggregate([pd.DataFrame([[1.0]], index=["a"], columns=["a"]),
                       pd.DataFrame([[1.0]], index=["b"], columns=["b"])])
    with pytest.raises(InputError, match="missing"):
        ahp.aggregate([EXAMPLE3, EXAMPLE3], how="priorities")


def _entropy(p):
    p = np.asarray(p, dtype=float)
    return float(-(p * np.log(p)).sum())


def test_consensus_goepel_hand_derivation():
    # Goepel (2013; AHP-OS, AhpGroup::getConsensus): H_alpha = mean individual Shannon entropy,
    # H_gamma = entropy of the mean priorities, H_beta = H_gamma - H_alpha, D_beta = exp(H_beta);
    # S* = (1/D_beta - 1/c)/(1 - 1/c), c = exp(ln n - H_alpha_min), H_alpha_min the entropy of
    # (M, 1, ..., 1)/(n + M - 1) with M = 9. Relative homogeneity S = (1/D_beta - 1/n)/(1 - 1/n).
    # Two participants, n = 2: judgements 3 and 1/3 -> priorities (3/4, 1/4) and (1/4, 3/4).
    c = ahp.consensus([[[1, 3], [1 / 3, 1]], [[1, 1 / 3], [3, 1]]])
    h_alpha = _entropy([0.75, 0.25])
    h_gamma = math.log(2)
    inv_d = math.exp(-(h_gamma - h_alpha))
    h_min = _entropy([0.9, 0.1])  # (9, 1)/10
    inv_c = math.exp(h_min - math.log(2))
    assert c.h_alpha == pytest.approx(h_alpha)
    assert c.h_gamma == pytest.approx(h_gamma)
    assert c.h_beta == pytest.approx(h_gamma - h_alpha)
    assert c.value == pytest.approx((inv_d - inv_c) / (1 - inv_c))
    assert c.homogeneity == pytest.approx((inv_d - 0.5) / 0.5)
    assert c.band == "low"
    # extremes: the two most opposed judgements of the 1..9 scale give S* = 0
    assert ahp.consensus([[[1, 9], [1 / 9, 1]], [[1, 1 / 9], [9, 1]]]).value == pytest.approx(0.0, abs=1e-12)


def test_consensus_identical_participants_and_bands():
    c = ahp.consensus({"inkoop": HOUSE, "it": HOUSE, "juridisch": HOUSE})
    assert c.value == pytest.approx(1.0) and c.homogeneity == pytest.approx(1.0) and c.band == "high"
    np.testing.assert_allclose(c.distance.to_numpy(), 0.0, atol=1e-12)
    # compatibility of each (identical) participant with the group = the matrix's own GCI
    w = ahp.priorities(HOUSE).weights.to_numpy()
    iu = np.triu_indices(8, 1)
    gci = 2 / (7 * 6) * np.sum(np.log(HOUSE[iu] * w[iu[1]] / w[iu[0]]) ** 2)
    np.testing.assert_allclose(c.compatibility.to_numpy(), gci)
    assert list(c.to_frame().index) == ["inkoop", "it", "juridisch"]
    assert c.text("en") == "Group consensus: 100% (high)"
    assert c.text("nl") == "Consensus in de groep: 100 % (hoog)"
    assert "S*" in c._repr_html_()
    assert [ahp._band(x) for x in (0.64, 0.65, 0.75, 0.751)] == ["low", "moderate", "moderate", "high"]


def test_consensus_distance_and_errors():
    rng = np.random.default_rng(11)
    ms = [_random_saaty_matrix(rng, 4) for _ in range(3)]
    c = ahp.consensus(ms)
    group = ahp.priorities(ahp.aggregate(ms)).weights.to_numpy()
    for k, m in enumerate(ms):
        wk = ahp.priorities(m).weights.to_numpy()
        assert c.distance[k] == pytest.approx(np.linalg.norm(wk - group))
    assert 0.0 <= c.value <= 1.0
    assert math.isnan(ahp.consensus([[[1, 2], [0.5, 1]], [[1, 3], [1 / 3, 1]]]).compatibility[0])
    with pytest.raises(InputError, match="at least two participants"):
        ahp.consensus([HOUSE])
    with pytest.raises(InputError, match="at least two items"):
        ahp.consensus([[[1]], [[1]]])
    with pytest.raises(InputError, match="scale_max"):
        ahp.consensus(ms, scale_max=1)


# ----------------------------------------------------------------------------------------
# global_weights()
# ----------------------------------------------------------------------------------------

TREE = {None: ["cost", "risk", "innovation"], "risk": ["lock_in", "continuity"]}


def test_global_weights_products_down_the_tree():
    local = {
        None: pd.Series({"cost": 0.5, "risk": 0.3, "innovation": 0.2}),
        "risk": ahp.priorities(pd.DataFrame([[1, 3], [1 / 3, 1]], index=["lock_in", "continuity"],
                                            columns=["lock_in", "continuity"])),
    }
    g = ahp.global_weights(TREE, local)
    assert list(g.index) == ["cost", "lock_in", "continuity", "innovation"]
    np.testing.assert_allclose(g.to_numpy(), [0.5, 0.3 * 0.75, 0.3 * 0.25, 0.2])
    assert g.sum() == pytest.approx(1.0)
    deep = {None: ["a", "b"], "a": ["a1"], "a1": ["x", "y"]}
    g2 = ahp.global_weights(deep, {None: {"a": 0.4, "b": 0.6}, "a1": {"y": 0.5, "x": 0.5}})
    assert g2.to_dict() == pytest.approx({"x": 0.2, "y": 0.2, "b": 0.6})  # 'a' has one child: weight 1


def test_global_weights_errors():
    ok_root = {"cost": 0.5, "risk": 0.3, "innovation": 0.2}
    with pytest.raises(InputError, match=r"local\['risk'\]: no local weights for the children"):
        ahp.global_weights(TREE, {None: ok_root})
    with pytest.raises(InputError, match=r"missing \['continuity'\], not children \['continuty'\]"):
        ahp.global_weights(TREE, {None: ok_root, "risk": {"lock_in": 0.5, "continuty": 0.5}})
    with pytest.raises(InputError, match="sum to 0.9, expected 1"):
        ahp.global_weights(TREE, {None: {"cost": 0.5, "risk": 0.2, "innovation": 0.2},
                                  "risk": {"lock_in": 0.5, "continuity": 0.5}})
    with pytest.raises(InputError, match="finite and >= 0"):
        ahp.global_weights(TREE, {None: {"cost": 1.2, "risk": -0.4, "innovation": 0.2},
                                  "risk": {"lock_in": 0.5, "continuity": 0.5}})
    with pytest.raises(InputError, match="root under the key None"):
        ahp.global_weights({"goal": ["a"]}, {})
    with pytest.raises(InputError, match="child of both"):
        ahp.global_weights({None: ["a", "b"], "a": ["x"], "b": ["x"]}, {})
    with pytest.raises(InputError, match=r"weights given for \['riks'\]"):
        ahp.global_weights(TREE, {None: ok_root, "riks": {}})
    with pytest.raises(InputError, match=r"parent\(s\) \['orphan'\] are not below the root"):
        ahp.global_weights({None: ["a"], "orphan": ["b"]}, {})
    with pytest.raises(InputError, match="non-empty list of child ids"):
        ahp.global_weights({None: []}, {})


# ----------------------------------------------------------------------------------------
# Property tests (hypothesis, small)
# ----------------------------------------------------------------------------------------


def _random_saaty_matrix(rng, n):
    scale = np.array(ahp.SAATY_SCALE)
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            v = rng.choice(scale)
            a[i, j], a[j, i] = v, 1 / v
    return a


saaty_values = st.sampled_from(ahp.SAATY_SCALE)


@st.composite
def saaty_matrices(draw, min_n=2, max_n=7):
    n = draw(st.integers(min_n, max_n))
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            v = draw(saaty_values)
            a[i, j], a[j, i] = v, 1 / v
    return a


positive_weights = st.lists(st.floats(0.01, 100.0), min_size=1, max_size=8)


@given(saaty_matrices(), st.sampled_from(ahp.METHODS))
def test_prop_weights_on_the_simplex(a, method):
    p = ahp.priorities(a, method=method)
    w = p.weights.to_numpy()
    assert np.all(w > 0) and w.sum() == pytest.approx(1.0)
    assert p.lambda_max >= a.shape[0] - 1e-9 and p.cr >= 0


@given(positive_weights, st.sampled_from(ahp.METHODS))
def test_prop_consistent_matrix_gives_cr_zero_and_returns_w(raw, method):
    w = np.array(raw) / sum(raw)
    p = ahp.priorities(w[:, None] / w[None, :], method=method)
    np.testing.assert_allclose(p.weights.to_numpy(), w, rtol=1e-9)
    assert p.cr == pytest.approx(0.0, abs=1e-9)
    assert ahp.repair_hints(w[:, None] / w[None, :]) == []


@given(saaty_matrices(min_n=3), st.randoms(use_true_random=False), st.sampled_from(ahp.METHODS))
def test_prop_permuting_criteria_permutes_weights(a, rnd, method):
    n = a.shape[0]
    perm = list(range(n))
    rnd.shuffle(perm)
    p = ahp.priorities(a, method=method)
    q = ahp.priorities(a[np.ix_(perm, perm)], method=method)
    np.testing.assert_allclose(q.weights.to_numpy(), p.weights.to_numpy()[perm], rtol=1e-8, atol=1e-12)
    assert q.cr == pytest.approx(p.cr, abs=1e-9)


@given(st.lists(saaty_matrices(min_n=3, max_n=3), min_size=2, max_size=4).filter(
    lambda ms: len({m.shape for m in ms}) == 1), st.data())
def test_prop_scaling_participant_weights_changes_nothing(ms, data):
    k = len(ms)
    w = np.array(data.draw(st.lists(st.floats(0.1, 10.0), min_size=k, max_size=k)))
    factor = data.draw(st.floats(0.01, 1000.0))
    for how in ("judgments", "priorities"):
        a = ahp.aggregate(ms, how=how, weights=list(w))
        b = ahp.aggregate(ms, how=how, weights=list(w * factor))
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-10)
    c1, c2 = ahp.consensus(ms, weights=list(w)), ahp.consensus(ms, weights=list(w * factor))
    assert c1.value == pytest.approx(c2.value, abs=1e-10)


@given(st.lists(saaty_matrices(min_n=4, max_n=4), min_size=2, max_size=4), st.data())
def test_prop_barzilai_golany(ms, data):
    w = data.draw(st.lists(st.floats(0.1, 10.0), min_size=len(ms), max_size=len(ms)))
    aij = ahp.priorities(ahp.aggregate(ms, weights=w), method="geometric").weights.to_numpy()
    aip = ahp.aggregate(ms, how="priorities", weights=w, method="geometric").to_numpy()
    np.testing.assert_allclose(aij, aip, rtol=1e-10)


@given(saaty_matrices(min_n=3, max_n=8), st.sampled_from(ahp.METHODS))
def test_prop_first_repair_hint_lowers_cr(a, method):
    hints = ahp.repair_hints(a, method=method, top=1)
    if hints:
        h = hints[0]
        assert h.cr_after < h.cr_before
        b = a.copy()
        i, j = h.a, h.b
        b[i, j], b[j, i] = h.suggested, 1 / h.suggested
        assert ahp.priorities(b, method=method).cr == pytest.approx(h.cr_after)


def test_docstring_examples_run():
    import doctest

    from decide import weights

    for module in (ahp, weights):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0, module.__name__
        assert result.attempted > 0
