"""decide.ranking.problem: validation once, vectorised, located messages."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from decide.errors import InputError
from decide.ranking import prepare


def frame():
    return pd.DataFrame({"cost": [300.0, 250, 400], "quality": [4.0, 3, 5]},
                        index=["suite", "modular", "open"])


def test_prepared_problem():
    p = prepare(frame(), {"quality": 1, "cost": 3}, {"cost": "min", "quality": "max"})
    assert p.X.dtype == np.float64 and p.X.flags.c_contiguous and not p.X.flags.writeable
    assert p.w.tolist() == [0.75, 0.25] and p.types.tolist() == [-1, 1]
    assert list(p.alternatives) == ["suite", "modular", "open"]
    assert list(p.criteria) == ["cost", "quality"]
    assert p.notes == ("The weights summed to 4; they were scaled to sum to 1 (ratios unchanged).",)
    assert p.weights.to_dict() == {"cost": 0.75, "quality": 0.25}
    assert p.directions.to_dict() == {"cost": "min", "quality": "max"}
    assert p.to_frame().equals(frame())


def test_inputs_are_not_modified_or_aliased():
    X = np.array([[1.0, 2], [3, 4]])
    w = np.array([2.0, 2.0])
    p = prepare(X, w, ["max", "max"])
    assert X.flags.writeable and w.tolist() == [2.0, 2.0]
    assert p.w.tolist() == [0.5, 0.5]


def test_every_nonfinite_cell_is_named():
    df = frame()
    df.loc["suite", "cost"] = np.nan
    df.loc["open", "quality"] = np.inf
    with pytest.raises(InputError) as exc:
        prepare(df, [1, 1], ["min", "max"])
    msg = str(exc.value)
    assert "2 cell(s)" in msg
    assert "option 'suite', criterion 'cost' = nan" in msg
    assert "option 'open', criterion 'quality' = inf" in msg


@pytest.mark.parametrize("weights,match", [
    ([1, 2, 3], "expected 2 values \\(one per criterion\\), got 3"),
    ([1, -1], "weights must be 0 or more, got 'quality' = -1"),
    ([0, 0], "all weights are 0"),
    ([1, np.nan], "missing or infinite for 'quality'"),
    ({"cost": 1, "qualty": 1}, "missing: 'quality'; unknown: 'qualty'"),
    ("0.5,0.5", "expected a list of 2 values"),
])
def test_bad_weights(weights, match):
    with pytest.raises(InputError, match=match):
        prepare(frame(), weights, ["min", "max"])


@pytest.mark.parametrize("directions,match", [
    (["min", "maks"], "criterion 'quality': got 'maks'"),
    (["min"], "expected 2 values"),
    ({"cost": "min"}, "missing: 'quality'"),
])
def test_bad_directions(directions, match):
    with pytest.raises(InputError, match=match):
        prepare(frame(), [1, 1], directions)


def test_directions_accept_case_and_signs():
    p = prepare(frame(), [1, 1], [" MIN", 1])
    assert p.types.tolist() == [-1, 1]


@pytest.mark.parametrize("matrix,match", [
    ([[1, 2, 3]], "at least 2 options, got 1"),
    ([1, 2, 3], "expected a 2-D table"),
    (np.zeros((3, 0)), "at least one criterion"),
    ([["a", 1], ["b", 2]], "expected a table of numbers"),
])
def test_bad_matrices(matrix, match):
    with pytest.raises(InputError, match=match):
        prepare(matrix, [1] * max(1, np.shape(matrix)[-1] if np.ndim(matrix) > 1 else 1),
                ["max"] * max(1, np.shape(matrix)[-1] if np.ndim(matrix) > 1 else 1))


def test_text_column_and_duplicate_labels():
    df = frame()
    df["quality"] = ["good", "poor", "great"]
    with pytest.raises(InputError, match="column\\(s\\) 'quality' hold text"):
        prepare(df, [1, 1], ["min", "max"])
    dup = frame()
    dup.index = ["a", "a", "b"]
    with pytest.raises(InputError, match="label of the options must be unique, but 'a'"):
        prepare(dup, [1, 1], ["min", "max"])


def test_constant_criterion_gets_a_note():
    df = frame()
    df["sla"] = 99.0
    p = prepare(df, [1, 1, 1], ["min", "max", "max"])
    assert p.constant.tolist() == [False, False, True]
    assert any("'sla' has the same value for every option: it carries no information" in n
               for n in p.notes)


def test_dutch_messages():
    with pytest.raises(InputError, match="optie 'suite', criterium 'cost' = nan"):
        df = frame()
        df.loc["suite", "cost"] = np.nan
        prepare(df, [1, 1], ["min", "max"], lang="nl")
    p = prepare(frame(), [1, 3], ["min", "max"], lang="nl")
    assert p.notes[0].startswith("De gewichten telden op tot 4")


def test_validation_is_vectorised_and_fast_on_a_large_matrix():
    X = np.random.default_rng(0).random((200_000, 10))
    p = prepare(X, np.ones(10), ["max"] * 10)
    np.testing.assert_array_equal(p.col_max, X.max(axis=0))
    np.testing.assert_array_equal(p.col_min, X.min(axis=0))
