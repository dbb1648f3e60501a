"""decide.report.tables: one function per table, language-aware headers, plain cell values."""
from __future__ import annotations

import math
from pathlib import Path

import pytest

from decide.errors import DecideError
from decide.report import tables as T

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_table_is_well_formed(zaak, lang):
    tables = T.build_tables(zaak, lang)
    assert list(tables)[0] == "summary" and list(tables)[-1] == "provenance"
    for key, t in tables.items():
        assert t.key == key and t.section in T.SECTIONS
        assert len(t.columns) == len(t.kinds) and all(k in T.KINDS for k in t.kinds)
        assert t.title and all(isinstance(c, str) and c for c in t.columns)
        for r in t.rows:
            assert len(r) == len(t.columns)
            for v in r:
                assert v is None or isinstance(v, (str, int, float, bool))
                assert not (isinstance(v, float) and not math.isfinite(v)), f"{key}: NaN/inf must be None"


def test_default_example_has_every_table(zaak):
    keys = set(T.build_tables(zaak, "nl"))
    assert {"summary", "weights", "weights_participants", "weights_consistency", "weights_hints", "scores",
            "scores_uncertain", "tco", "ranking", "ranking_methods", "ranking_contributions", "ranking_excluded",
            "sensitivity_stability", "sensitivity_smaa", "portfolio", "portfolio_spend", "portfolio_rules",
            "portfolio_frontier", "portfolio_scenarios", "review", "provenance"} <= keys


def test_headers_follow_the_language(zaak):
    nl, en = T.build_tables(zaak, "nl"), T.build_tables(zaak, "en")
    assert nl["ranking"].columns != en["ranking"].columns
    assert "Optie" in nl["ranking"].columns and "Option" in en["ranking"].columns
    # labels from the model's {nl, en} labels
    assert "Functionele aansluiting" in nl["scores"].columns and "Functional fit" in en["scores"].columns
    assert nl["ranking"].title == "Rangorde (TOPSIS)"


def test_ranking_table_matches_the_ranking(zaak):
    t = T.build_tables(zaak, "nl")["ranking"]
    frame = zaak.ranking.to_frame("nl")
    assert [r[1] for r in t.rows] == list(frame.index)
    assert [r[0] for r in t.rows] == list(frame["rank"])
    assert t.rows[0][4] == pytest.approx(float(frame["score"].iloc[0]))
    assert t.kinds[4] == "score"


def test_summary_carries_the_recommendation(zaak):
    t = T.build_tables(zaak, "nl")["summary"]
    rows = {r[0]: r for r in t.rows}
    assert rows["recommendation"][2].startswith("Aanbeveling: kies het portfolio van 4 opties")
    assert rows["winner"][2] == zaak.label(zaak.winner(), "nl")
    assert rows["portfolio_tco"][2] == pytest.approx(zaak.allocation.total_cost)
    k = [r[0] for r in t.rows].index("portfolio_tco")
    assert t.kind(k, 2) == "money"


def test_tco_table_is_the_tco(zaak):
    t = T.build_tables(zaak, "en")["tco"]
    by_id = {r[0]: r for r in t.rows}
    assert set(by_id) == set(zaak.tco.index)
    total = t.columns.index("TCO (present value)")
    for i, r in by_id.items():
        assert r[total] == pytest.approx(zaak.tco.at[i, "total"])
    assert t.kinds[total] == "money"


def test_rules_have_units_per_row(zaak):
    t = T.build_tables(zaak, "nl")["portfolio_rules"]
    kinds = {r[0]: t.kind(k, 2) for k, r in enumerate(t.rows)}
    assert kinds["budget"] == "money" and kinds["max_supplier_share"] == "pct" and kinds["min_suppliers"] == "int"


def test_participants_spread_sums_to_one(zaak):
    df = T.participant_leaf_weights(zaak)
    assert list(df.columns) == [p.name for p in zaak.weights.participants]
    assert df.sum().to_numpy() == pytest.approx(1.0)


def test_ranking_only_model_has_no_portfolio_tables(werkplek):
    keys = set(T.build_tables(werkplek, "nl"))
    assert not {k for k in keys if k.startswith("portfolio")}
    assert "weights_consistency" not in keys  # direct weights: no CR
    assert {"ranking", "sensitivity_smaa", "tco", "provenance"} <= keys


def test_infeasible_portfolio_is_explained():
    from decide.facade import analyse
    from decide.loader import load_model

    a = analyse(load_model(DATA / "review" / "infeasible.yaml"), samples=200, frontier_points=0)
    tables = T.build_tables(a, "nl")
    assert "portfolio" not in tables and "portfolio_explanation" in tables
    text = " ".join(r[1] for r in tables["portfolio_explanation"].rows)
    assert "budget" in text
    assert T.recommendation(a, "nl")[0].startswith("Er is geen portfolio")


def test_values_only_model_has_no_weights():
    from decide.facade import analyse
    from decide.loader import load_model

    a = analyse(load_model(DATA / "review" / "values_only.yaml"), frontier_points=3)
    keys = set(T.build_tables(a, "en"))
    assert "weights" not in keys and "ranking" not in keys and "portfolio" in keys
    assert T.recommendation(a, "en")[0].startswith("Recommendation: choose the portfolio")


def test_unknown_language_is_a_decide_error(zaak):
    with pytest.raises(DecideError, match="lang"):
        T.build_tables(zaak, "de")
