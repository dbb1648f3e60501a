"""The Ranking result: ties, packaging (frame, dict, HTML), method lookup, messages."""
from __future__ import annotations

import json
import string

import numpy as np
import pandas as pd
import pytest
import yaml
from importlib import resources

from decide.errors import InputError
from decide.ranking import Prepared, get_method, methods, prepare, rank
from decide.ranking._util import average_ranks, rank_values


def test_ties_share_the_best_rank_in_both_implementations():
    s = np.array([0.5, 0.9, 0.5, 0.1, 0.9, 0.5])
    assert rank_values(s, True).tolist() == [3, 1, 3, 6, 1, 3]
    assert rank_values(s, False).tolist() == [2, 5, 2, 1, 5, 2]
    big = np.repeat(s, 20)  # above the small-input threshold: the numpy path
    ref = np.array([1 + (big > v).sum() for v in big])
    np.testing.assert_array_equal(rank_values(big, True), ref)
    assert average_ranks(np.array([1, 1, 3, 4, 4, 4])).tolist() == [1.5, 1.5, 3, 5, 5, 5]


def test_rounding_noise_does_not_break_a_tie():
    s = np.array([22.0, 22.0 + 1e-14, 21.5])
    assert rank_values(s, True).tolist() == [1, 1, 3]


def test_result_packaging():
    df = pd.DataFrame({"cost": [300.0, 250, 400], "quality": [4.0, 3, 5]},
                      index=["suite", "modular", "open"])
    r = rank(df, [0.5, 0.5], ["min", "max"], "vikor")
    frame = r.to_frame()
    assert list(frame.columns[:2]) == ["score", "rank"] and {"S", "R", "Q"} <= set(frame)
    assert frame["rank"].is_monotonic_increasing
    d = r.to_dict()
    json.dumps(d)
    assert d["method"] == "vikor" and d["params"] == {"v": 0.5}
    assert [row["id"] for row in d["ranking"]] == list(frame.index)
    assert set(d["ranking"][0]) == {"id", "score", "rank"}
    html = r._repr_html_()
    assert "<table" in html and "vikor" in html
    assert r.winners == [frame.index[0]]
    assert "Ranking(method='vikor'" in repr(r)
    with pytest.raises(Exception):
        r.method = "topsis"  # frozen


def test_rank_accepts_a_prepared_problem():
    p = prepare([[1, 2], [2, 1], [3, 3]], [1, 1], ["max", "max"])
    assert isinstance(p, Prepared)
    assert rank(p, method="wsm").ranks.tolist() == [2, 2, 1]
    with pytest.raises(InputError, match="already holds weights"):
        rank(p, [1, 1], ["max", "max"])


def test_method_lookup():
    assert get_method("PROMETHEE-II").name == "promethee_ii"
    with pytest.raises(InputError, match="unknown method 'topsys' \\(did you mean 'topsis'\\?\\)"):
        rank([[1, 2], [2, 1]], [1, 1], ["max", "max"], "topsys")
    m = get_method("topsis")
    with pytest.raises(InputError, match="'normalisation' \\(did you mean 'normalization'\\?\\)"):
        m.check_params(normalisation="vector")


def test_every_message_has_both_languages_with_the_same_placeholders():
    text = (resources.files("decide") / "messages" / "ranking.yaml").read_text(encoding="utf-8")
    catalogue = yaml.safe_load(text)
    fmt = string.Formatter()
    for key, entry in catalogue.items():
        assert set(entry) == {"nl", "en"}, key
        fields = [{f for _, f, _, _ in fmt.parse(entry[lang]) if f} for lang in ("nl", "en")]
        assert fields[0] == fields[1], key


def test_methods_have_dutch_error_messages():
    with pytest.raises(InputError, match="onbekende methode"):
        rank([[1, 2], [2, 1]], [1, 1], ["max", "max"], "x", lang="nl")
    for name in methods():
        with pytest.raises(InputError, match="onbekende parameter"):
            rank([[1, 2], [2, 1]], [1, 1], ["max", "max"], name, lang="nl", zz=1)
