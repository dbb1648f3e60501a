"""Settings users bring from other AHP tools: Saaty's later random-index table."""
from __future__ import annotations

import numpy as np
import pytest

from decide.ahp import RI_SOURCES, RI_TABLES, priorities, random_index
from decide.errors import InputError


def test_saaty_later_table_values():
    """Saaty & Vargas (2012), Models, Methods, Concepts & Applications of the AHP, 2nd ed.,
    ch. 1: RI = 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49 for n = 3..10 (the table
    AHPy uses; the 1980 table has RI(6) = 1.24, RI(7) = 1.32)."""
    expected = {3: 0.52, 4: 0.89, 5: 1.11, 6: 1.25, 7: 1.35, 8: 1.40, 9: 1.45, 10: 1.49}
    for n, ri in expected.items():
        assert random_index("saaty_vargas2012", n) == pytest.approx(ri)
    assert RI_TABLES["saaty1980"][6] == pytest.approx(1.24)
    assert "Saaty" in RI_SOURCES["saaty_vargas2012"]


def test_cr_with_the_later_table():
    """The same 6x6 matrix: CI is the table-free part; CR = CI / RI(6) with RI(6) = 1.25."""
    rng = np.random.default_rng(7)
    w = rng.dirichlet(np.ones(6))
    a = w[:, None] / w[None, :]
    a[0, 1], a[1, 0] = a[0, 1] * 2, a[1, 0] / 2  # a little inconsistency
    p80 = priorities(a, ri="saaty1980")
    p12 = priorities(a, ri="saaty_vargas2012")
    assert p12.ri == pytest.approx(1.25) and p80.ri == pytest.approx(1.24)
    assert p12.ci == pytest.approx(p80.ci)
    assert p12.cr == pytest.approx(p12.ci / 1.25)
    with pytest.raises(InputError):
        priorities(np.ones((11, 11)), ri="saaty_vargas2012")  # the table stops at n = 10


# --------------------------------------------------------------------------------------
# Priorities by the average of the normalised columns (the spreadsheet method)
# --------------------------------------------------------------------------------------

MIUP2012 = [[1, 2, 3, 4], [1 / 2, 1, 5, 7], [1 / 3, 1 / 5, 1, 3], [1 / 4, 1 / 7, 1 / 3, 1]]
WINSTON_JOB = [[1, 5, 2, 4], [1 / 5, 1, 1 / 2, 1 / 2], [1 / 2, 2, 1, 2], [1 / 4, 2, 1 / 2, 1]]


def test_column_average_reproduces_miup2012():
    """MIUP 2012 (Maratona Inter-Universitária de Programação, Portugal), problem B "AHP":
    each column of the matrix divided by its sum, the rows averaged, gives the weights
    0.4166, 0.3854, 0.1317, 0.0663 (published to 4 decimals). Settings: method='column_average'."""
    p = priorities(MIUP2012, method="column_average")
    assert np.round(p.weights.to_numpy(), 4).tolist() == [0.4166, 0.3854, 0.1317, 0.0663]
    assert p.method == "column_average" and p.weights.sum() == pytest.approx(1.0)
    # the eigenvector of the same matrix is a different vector (0.4264, 0.3875, 0.1240, 0.0621)
    eig = priorities(MIUP2012).weights.to_numpy()
    assert np.round(eig, 4).tolist() == [0.4264, 0.3875, 0.124, 0.0621]


def test_column_average_reproduces_winston_job_offer():
    """Winston, W.L., Operations Research: Applications and Algorithms, 4th ed., the AHP
    job-offer example: criteria salary, quality of life, interest in work, nearness to family;
    the normalised-column average gives 0.5115, 0.0986, 0.2433, 0.1466.
    Settings: method='column_average', ri='saaty1980' (RI(4) = 0.90).

    lambda-max by hand, as the spreadsheet computes it, with the published weights w:
      (A w)_1 = 0.5115 + 5(0.0986) + 2(0.2433) + 4(0.1466)         = 2.0775   -> / 0.5115 = 4.0616
      (A w)_2 = 0.5115/5 + 0.0986 + 0.2433/2 + 0.1466/2             = 0.39585  -> / 0.0986 = 4.0147
      (A w)_3 = 0.5115/2 + 2(0.0986) + 0.2433 + 2(0.1466)           = 0.98945  -> / 0.2433 = 4.0668
      (A w)_4 = 0.5115/4 + 2(0.0986) + 0.2433/2 + 0.1466            = 0.593325 -> / 0.1466 = 4.0472
      lambda = (4.0616 + 4.0147 + 4.0668 + 4.0472) / 4 = 4.0476
      CI = (4.0476 - 4) / 3 = 0.0159;  CR = 0.0159 / 0.90 = 0.0176 (consistent, < 0.10).
    """
    p = priorities(WINSTON_JOB, method="column_average", ri="saaty1980")
    assert np.round(p.weights.to_numpy(), 4).tolist() == [0.5115, 0.0986, 0.2433, 0.1466]
    assert p.lambda_max == pytest.approx(4.0476, abs=1e-4)
    assert p.ci == pytest.approx(0.0159, abs=1e-4)
    assert p.cr == pytest.approx(0.0176, abs=1e-4)
    assert p.ri == pytest.approx(0.90) and p.is_consistent
    # the estimate is the mean of (A w)_i / w_i with this method's own w, not the Perron root
    a = np.array(WINSTON_JOB)
    w = p.weights.to_numpy()
    assert p.lambda_max == pytest.approx(float(np.mean(a @ w / w)), rel=1e-12)
    assert p.lambda_max != pytest.approx(priorities(WINSTON_JOB).lambda_max, abs=1e-6)


def test_column_average_of_a_consistent_matrix_is_exact():
    """a_ij = v_i / v_j: every normalised column is v / sum(v), so w = v / sum(v) and the
    lambda estimate is n exactly (CI = CR = 0), as for the eigenvector."""
    v = np.array([5.0, 3.0, 1.5, 1.0, 0.5])
    p = priorities(v[:, None] / v[None, :], method="column_average")
    np.testing.assert_allclose(p.weights.to_numpy(), v / v.sum(), rtol=1e-12)
    assert p.lambda_max == pytest.approx(5.0, rel=1e-12)
    assert p.ci == 0.0 and p.cr == 0.0


def test_column_average_in_groups_hints_and_consensus():
    """Group AHP with the spreadsheet method: AIP is the weighted geometric mean of each
    participant's normalised-column averages; AIJ takes the column average of the group
    matrix; repair hints and the consensus indicator accept the method."""
    from decide.ahp import aggregate, consensus, repair_hints

    mats = {"a": MIUP2012, "b": WINSTON_JOB}
    aip = aggregate(mats, how="priorities", weights={"a": 2, "b": 1}, method="column_average")
    w1 = priorities(MIUP2012, method="column_average").weights.to_numpy()
    w2 = priorities(WINSTON_JOB, method="column_average").weights.to_numpy()
    g = (w1 ** 2 * w2) ** (1 / 3)
    np.testing.assert_allclose(aip.to_numpy(), g / g.sum(), rtol=1e-12)
    c = consensus(mats, method="column_average")
    gm = aggregate(mats, how="judgments")
    np.testing.assert_allclose(c.group_weights.to_numpy(),
                               priorities(gm, method="column_average").weights.to_numpy(), rtol=1e-12)
    hints = repair_hints(MIUP2012, method="column_average")
    assert hints and hints[0].cr_after < hints[0].cr_before
    with pytest.raises(InputError, match="column_average"):
        priorities(MIUP2012, method="column_averages")


def test_model_with_the_spreadsheet_method_names_it_everywhere():
    """weights.ahp.method: column_average in a model file: every participant's and the group's
    priorities use it (AIJ and AIP), and the CLI, the report's consistency note and the
    provenance name it in the reader's language."""
    from pathlib import Path

    from decide import ahp
    from decide.facade import analyse
    from decide.loader import load_model
    from decide.report.tables import consistency_table, provenance_table
    from decide.weights import derive

    m = load_model(Path(__file__).resolve().parents[1] / "models" / "zaaksysteem.yaml")
    w = m.model_dump(mode="python", exclude_none=True)["weights"]
    w["ahp"]["method"] = "column_average"
    spread = m.replace(weights=w)
    d = derive(spread)
    assert d.priorities == "column_average" and d.to_dict("en")["priorities"] == "column_average"
    tree = spread.tree()
    mats = {p.name: ahp.matrix_from_judgments(tree[None], [j for j in p.judgments if j[0] in tree[None]])
            for p in spread.weights.ahp.participants}
    mats = {k: (ahp.complete(v).matrix if v.isna().to_numpy().any() else v) for k, v in mats.items()}
    for p in d.participants:  # each participant's CR is the spreadsheet estimate
        assert p.groups[None].method == "column_average"
    group = ahp.priorities(ahp.aggregate(mats, how="judgments"), method="column_average")
    np.testing.assert_allclose(d.local[None].to_numpy(), group.weights.to_numpy(), atol=1e-12)
    assert d.cr["top"] == pytest.approx(group.cr)
    assert not np.allclose(d.weights.to_numpy(), derive(m).weights.to_numpy(), atol=1e-6)
    w["ahp"]["aggregate"] = "priorities"
    aip = derive(m.replace(weights=w))
    np.testing.assert_allclose(aip.local[None].to_numpy(),
                               ahp.aggregate(mats, how="priorities", method="column_average").to_numpy(), atol=1e-12)

    analysis = analyse(spread, samples=0, sensitivity=False, portfolio=False, review=False, frontier_points=0)
    assert analysis.provenance["ahp_priorities"] == "column_average"
    for lang, words in (("en", "average of the normalised columns"), ("nl", "gemiddelde van de genormaliseerde kolommen")):
        assert words in consistency_table(analysis, lang).note
        prov = {row[0]: row[2] for row in provenance_table(analysis, lang).rows}
        assert words in prov["ahp_priorities"]
