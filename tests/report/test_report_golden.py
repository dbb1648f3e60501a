"""Golden files: the CSV and JSON exports of models/dataplatform.yaml (English).

The golden files are regenerated only deliberately, by ``tests/data/golden/regenerate.py``;
its docstring says what is left out of the comparison (timestamp, versions, the review).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"


def _regenerate_module():
    spec = importlib.util.spec_from_file_location("decide_report_golden", GOLDEN / "regenerate.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def golden():
    mod = _regenerate_module()
    return mod, mod.golden_files(mod.render())


def test_golden_file_list(golden):
    mod, files = golden
    stored = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.suffix in (".csv", ".json")}
    assert stored == set(files), "run tests/data/golden/regenerate.py if the set of tables changed on purpose"


def test_golden_csv(golden):
    mod, files = golden
    diffs = []
    for rel, data in files.items():
        if rel.endswith(".csv"):
            name = Path(rel).stem
            old = mod.normalise_csv(name, (GOLDEN / rel).read_bytes())
            new = mod.normalise_csv(name, data)
            diffs += [f"{rel}: {d}" for d in mod.same(old, new)]
    assert not diffs, "\n".join(diffs[:20])


def test_golden_json(golden):
    mod, files = golden
    rel = "dataplatform-en.json"
    diffs = mod.same(mod.normalise_json((GOLDEN / rel).read_bytes()), mod.normalise_json(files[rel]))
    assert not diffs, "\n".join(diffs[:20])


def test_normalisation_hides_only_volatile_values():
    mod = _regenerate_module()
    row = b'\xef\xbb\xbfkey,Item,Value\r\ntimestamp,Computed at (UTC),2026-01-01\r\nsmaa_seed,SMAA seed,7\r\n'
    rows = mod.normalise_csv("provenance", row)
    assert rows[1][2] == mod.VOLATILE and rows[2][2] == "7"
    assert mod.same([["1.0000000000001"]], [["1.0"]]) == []
    assert mod.same([["1.1"]], [["1.0"]])
