"""Rank-reversal probes: remove one option, add a dominated copy."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("decide.ranking")

from decide.errors import InputError  # noqa: E402
from decide.ranking import methods  # noqa: E402
from decide.sensitivity import rank_reversal  # noqa: E402

# AHP synthesis (distributive mode), two benefit criteria, equal weights.
# Column sums 22 and 23:
#   A (6, 5): (6/22 + 5/23) / 2 = 0.24506     B (6, 9): 0.33202
#   C (3, 8): (3/22 + 8/23) / 2 = 0.24209     D (7, 1): 0.18083      order B, A, C, D
# The dominated copy of D is 5 % of each range worse: (7 - 0.05*4, 1 - 0.05*8) = (6.8, 0.6).
# Column sums become 28.8 and 23.6:
#   A: (6/28.8 + 5/23.6) / 2 = 0.21010        C: (3/28.8 + 8/23.6) / 2 = 0.22157
# so C overtakes A although nothing about A or C changed (Belton & Gear 1983's effect).
# TOPSIS (vector normalisation) on the same data: closeness A 0.5591 < C 0.5985; without D
# the ideal and the norms change and A 0.5207 > C 0.4022 (values from decide.ranking.rank).
BG = pd.DataFrame([[6, 5], [6, 9], [3, 8], [7, 1]], index=list("ABCD"), columns=["x", "y"],
                  dtype=float)


@pytest.fixture(scope="module")
def probes():
    return rank_reversal(BG, [0.5, 0.5], ["max", "max"])


def test_ahp_reverses_with_a_dominated_copy(probes):
    ahp = probes["ahp"]
    add = [p for p in ahp.probes if p.kind == "add_dominated"][0]
    assert add.option == "D" and add.swaps == (("A", "C"),)
    assert add.copy_rank == 5 and add.copy_last
    assert ahp.reverses and "Belton & Gear" in ahp.known


def test_topsis_reverses_when_an_option_is_removed(probes):
    topsis = probes["topsis"]
    rm = {p.option: p for p in topsis.probes if p.kind == "remove"}
    assert rm["D"].swaps == (("C", "A"),)
    assert topsis.reverses and "TOPSIS" in probes.summary()[0].upper()
    assert "García-Cascales" in probes.summary("en")[0]


def test_wsm_on_values_as_given_never_reverses():
    """WSM without normalisation scores each option on its own: nothing can reverse."""
    r = rank_reversal(BG, [0.5, 0.5], ["max", "max"], methods=["wsm"], normalization="none")
    assert not r["wsm"].reverses
    assert r.reversing == []
    assert "no rank reversal" in r.summary("en")[0]
    assert "geen rangomkering" in r.summary("nl")[0]


@pytest.mark.parametrize("method", methods())
def test_dominated_copy_lands_last_for_every_method(method):
    rng = np.random.default_rng(2)
    X = rng.uniform(1, 10, (5, 3))
    r = rank_reversal(X, [0.4, 0.4, 0.2], ["max", "min", "max"], methods=[method])
    add = [p for p in r[method].probes if p.kind == "add_dominated"][0]
    assert add.error is None
    assert add.copy_last, f"{method} ranks a dominated option at {add.copy_rank}"
    assert len([p for p in r[method].probes if p.kind == "remove"]) == 5


def test_outputs(probes):
    df = probes.to_frame()
    assert list(df.columns) == ["method", "probe", "option", "reversed", "swaps", "copy_rank",
                                "copy_last", "known", "error"]
    assert set(df["method"]) == set(methods())
    json.dumps(probes.to_dict(), allow_nan=False)
    assert "<li>" in probes._repr_html_()


def test_parameter_routing_and_errors():
    with pytest.raises(InputError, match="takes"):
        rank_reversal(BG, [0.5, 0.5], ["max", "max"], methods=["topsis"], v=0.3)
    r = rank_reversal(BG, [0.5, 0.5], ["max", "max"], methods=["vikor", "topsis"],
                      method_params={"vikor": {"v": 0.9}}, normalization="minmax")
    assert [m.method for m in r.methods] == ["vikor", "topsis"]
    with pytest.raises(InputError, match="worsen"):
        rank_reversal(BG, [0.5, 0.5], ["max", "max"], worsen=2)
    # a method that cannot take the data is reported, not raised
    neg = BG - 5
    r = rank_reversal(neg, [0.5, 0.5], ["max", "max"], methods=["wpm", "wsm"])
    assert r["wpm"].error and not r["wsm"].error
    assert "could not be probed" in r.summary()[0]
