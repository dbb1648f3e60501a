"""decide.analyse: one call, every part, with provenance; nothing computed twice wrongly."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import decide
from decide.cli import _jsonable

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def zaak():
    return decide.analyse(decide.load_model(ROOT / "models/zaaksysteem.yaml"), samples=1000, frontier_points=5)


def test_every_part_present(zaak):
    assert zaak.weights is not None and zaak.ranking is not None and zaak.comparison is not None
    assert zaak.sensitivity is not None and zaak.sensitivity.smaa.samples == 1000
    assert zaak.allocation.status.is_ok and zaak.frontier is not None and zaak.scenarios is not None
    assert zaak.review is not None
    assert zaak.winner() == zaak.ranking.to_frame().index[0]


def test_review_checks_ran_without_error(zaak):
    """Regression: the facade once passed the Derivation where the review wanted leaf weights."""
    assert all(getattr(c, "error", None) is None for c in zaak.review.checks)


def test_provenance_names_what_reproduces_the_numbers(zaak):
    p = zaak.provenance
    for key in ("decide_version", "model_file", "model_sha256", "schema_version", "timestamp", "weights_method",
                "ri_table", "ranking_method", "ranking_params", "smaa_samples", "smaa_seed", "solver",
                "allocation_status", "libraries"):
        assert key in p, key
    assert p["ri_table"] == "saaty1980" and p["smaa_seed"] == 2026 and p["solver"].startswith("HiGHS")


def test_to_dict_is_json(zaak):
    for lang in ("nl", "en"):
        text = json.dumps(_jsonable(zaak.to_dict(lang)), allow_nan=False)
        assert "ranking" in json.loads(text)


def test_ranking_only_and_values_only_models():
    w = decide.analyse(decide.load_model(ROOT / "models/werkplek.yaml"), samples=500)
    assert w.allocation is None and w.ranking is not None
    v = decide.analyse(decide.load_model(ROOT / "tests/data/review/values_only.yaml"), samples=500)
    assert v.ranking is None and v.sensitivity is None
    assert v.allocation is not None


def test_same_seed_same_numbers():
    m = decide.load_model(ROOT / "models/dataplatform.yaml")
    a = decide.analyse(m, samples=800, portfolio=False, review=False)
    b = decide.analyse(m, samples=800, portfolio=False, review=False)
    assert a.sensitivity.smaa.acceptability.equals(b.sensitivity.smaa.acceptability)
