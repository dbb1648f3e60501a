"""decide.weights.derive: the model file's weights section into global leaf weights."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from decide import ahp
from decide.cli import main
from decide.errors import ModelError
from decide.loader import load_model, loads_model
from decide.weights import derive

ROOT = Path(__file__).resolve().parents[1]


def model(name):
    return load_model(ROOT / "models" / f"{name}.yaml")


def test_direct_local_weights_multiply_down_the_tree():
    d = derive(model("werkplek"))
    assert d.weights.sum() == pytest.approx(1.0)
    assert d.weights["cost"] == pytest.approx(0.20)
    assert d.weights["lock_in"] == pytest.approx(0.35 * 0.45)
    assert d.weights["sovereignty"] == pytest.approx(0.35 * 0.35)
    assert list(d.weights.index) == [c.id for c in model("werkplek").leaves()]


def test_ahp_group_weights_equal_hand_chain():
    """AIJ: per sibling group, the weighted geometric mean of the participants' matrices,
    then the eigenvector; global = local(top) x local(risk) for the risk leaves."""
    m = model("zaaksysteem")
    d = derive(m)
    tree = m.tree()
    mats = {}
    for p in m.weights.ahp.participants:
        top = [j for j in p.judgments if j[0] in tree[None]]
        mats[p.name] = ahp.matrix_from_judgments(tree[None], top)
    g = ahp.priorities(ahp.aggregate(mats, how="judgments")).weights
    assert d.local[None].to_numpy() == pytest.approx(g.to_numpy(), abs=1e-12)
    assert d.weights["lock_in"] == pytest.approx(d.local[None]["risk"] * d.local["risk"]["lock_in"])
    assert d.weights.sum() == pytest.approx(1.0)


def test_inconsistent_participant_gets_hints():
    d = derive(model("zaaksysteem"))
    arch = next(p for p in d.participants if p.name == "Architectuur")
    assert arch.cr[None] > 0.10
    hints = [h for h in d.hints("en") if h["participant"] == "Architectuur"]
    assert hints and hints[0]["cr_after"] < hints[0]["cr_before"]
    assert all(p.max_cr <= 0.10 for p in d.participants if p.name != "Architectuur")


def test_skipped_pairs_are_estimated_and_reported():
    d = derive(model("dataplatform"))
    team = next(p for p in d.participants if p.name == "Data team")
    assert set(map(frozenset, team.estimated[None])) == {frozenset({"scalability", "sustainability"})}
    assert set(map(frozenset, team.estimated["risk"])) == {frozenset({"sovereignty", "security"})}
    out = d.to_dict("en")
    assert out["participants"]["Data team"]["estimated"]


def test_participant_weights_scale_free():
    m = model("dataplatform")
    data = m.model_dump(mode="python", exclude_none=True)
    for p in data["weights"]["ahp"]["participants"]:
        p["weight"] *= 10
    d1, d2 = derive(m), derive(m.replace(weights=data["weights"]))
    assert np.allclose(d1.weights, d2.weights, atol=1e-12)


def test_aip_and_other_methods():
    m = model("zaaksysteem")
    w = m.model_dump(mode="python", exclude_none=True)["weights"]
    w["ahp"]["aggregate"] = "priorities"
    d = derive(m.replace(weights=w))
    assert d.weights.sum() == pytest.approx(1.0) and d.cr == {}
    leaves = [c.id for c in m.leaves()]
    r = derive(m.replace(weights={"method": "rank", "rank": leaves}))
    assert r.weights.is_monotonic_decreasing and r.weights.sum() == pytest.approx(1)
    e = derive(m.replace(weights={"method": "equal"}))
    assert np.allclose(e.weights, 1 / len(leaves))
    for method in ("entropy", "critic"):
        o = derive(m.replace(weights={"method": method}))
        assert o.weights.sum() == pytest.approx(1) and (o.weights >= 0).all()


def test_group_nobody_judged_is_a_located_error():
    text = (ROOT / "tests/data/valid_small.yaml").read_text().replace("          - [lock_in, continuity, 1]\n", "")
    with pytest.raises(ModelError) as info:
        derive(loads_model(text))
    assert "judgments-missing" in info.value.codes
    assert "lock_in, continuity" in str(info.value)


def test_cli_weights_json(capsys):
    assert main(["weights", str(ROOT / "models/zaaksysteem.yaml"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"weights", "cr", "participants", "hints"}
    assert out["participants"]["Architectuur"]["consistent"] is False
    assert sum(out["weights"].values()) == pytest.approx(1.0)
