"""The model loader: example models load, every broken model gives its exact located message."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from decide.errors import DecideError, ModelError
from decide.loader import load_model, loads_model

ROOT = Path(__file__).resolve().parents[1]
BROKEN = ROOT / "tests" / "data" / "broken"
EXPECTED = yaml.safe_load((BROKEN / "expected.yaml").read_text(encoding="utf-8"))
EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


def test_corpus_is_large_and_complete():
    files = {p.stem for p in BROKEN.glob("*.yaml") if p.name != "expected.yaml"}
    assert files == set(EXPECTED)
    assert len(files) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_model_message(name):
    with pytest.raises(ModelError) as info:
        load_model(f"tests/data/broken/{name}.yaml")
    assert [str(p) for p in info.value.problems] == EXPECTED[name]
    for p in info.value.problems:  # every problem is located
        assert p.file == f"tests/data/broken/{name}.yaml"
        assert p.code


def test_five_mistakes_reported_at_once():
    with pytest.raises(ModelError) as info:
        load_model("tests/data/broken/five_mistakes.yaml")
    assert len(info.value.problems) == 5
    assert set(info.value.codes) == {"horizon-years", "wrong-value", "unknown-criterion", "unknown-supplier", "negative-cost"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load(path):
    m = load_model(path)
    assert len(m.alternatives) >= 3
    assert m.sha256 and len(m.sha256) == 64
    for a in m.alternatives:  # labels in both languages
        assert a.name("nl") and a.name("en")


def test_model_is_frozen_and_replace_revalidates():
    m = load_model("tests/data/valid_small.yaml")
    with pytest.raises(Exception):
        m.title = "x"  # type: ignore[misc]
    m2 = m.replace(weights={"method": "equal"})
    assert m2.weights.method == "equal" and m.weights.method == "ahp"
    with pytest.raises(ModelError) as info:
        m.replace(horizon={"years": 0})
    assert "horizon-years" in info.value.codes


def test_allocation_only_model_needs_values():
    text = """
decide: 1
title: only values
alternatives:
  - {id: a, value: 3}
  - {id: b, value: 2}
"""
    m = loads_model(text)
    assert not m.has_criteria
    with pytest.raises(ModelError) as info:
        loads_model(text.replace("value: 2", "label: B"))
    assert info.value.codes == ["no-criteria"]


# --------------------------------------------------------------------------- mutation fuzz
BASE = yaml.safe_load((ROOT / "tests" / "data" / "valid_small.yaml").read_text(encoding="utf-8"))

_leaf_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5), st.lists(st.integers(-2, 5), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(BASE) if p]


def _mutate(data, path, value, action):
    import copy

    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    key = path[-1]
    if action == "delete":
        if isinstance(node, dict):
            del node[key]
        else:
            node.pop(key)
    else:
        node[key] = value
    return data


@given(st.sampled_from(ALL_PATHS), _leaf_values, st.sampled_from(["set", "delete"]))
def test_mutated_models_load_or_raise_decide_error(path, value, action):
    data = _mutate(BASE, path, value, action)
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        model = loads_model(text)
    except DecideError as exc:
        assert str(exc)
        return
    # a model that loads must also give its derived tables without crashing
    if model.criteria:
        try:
            model.score_table()
        except DecideError:
            pass


# --------------------------------------------------------------------------- text-level fuzz
# Mutations of the example model files as bytes: what editors, encodings and copy-paste do to a
# file (and what an attacker would try). Every mutant must load or raise decide's own error;
# a mutant that loads must give its derived tables. Bounded: the CI profile's example count,
# and each mutant is small (an example model plus at most a few kB).
TEXTS = [p.read_bytes() for p in EXAMPLES] + [(ROOT / "tests" / "data" / "valid_small.yaml").read_bytes()]
_SNIPPETS = [b"\x00", b"\x07", b"\x1b[31m", b"\xef\xbb\xbf", b"\xff\xfe", b"\xed\xa0\x80", b'"\\ud800"', b'"\\0"',
             b"&a [1, 2]", b"*a", b"*nope", b"!!python/object:os.system", b"!!binary aGk=", b"? ", b"- - - -",
             b"[" * 70, b"{a: " * 70, b"9" * 400, b"1e400", b"yes", b"~", b".nan", b"-.inf", b"2024-02-30",
             b"0x" + b"f" * 300, b"\t", b"\r", b"\xe2\x80\x8b", b"\xef\xbc\xa1", b"'", b'"', b":", b"|", b">", b"#",
             "ë€ŋ".encode(), b"\xc3", b"<<: *a"]


def _text_mutation(data: bytes, op: str, at: float, snippet: bytes, times: int) -> bytes:
    pos = int(at * len(data))
    lines = data.split(b"\n")
    row = int(at * len(lines)) % max(1, len(lines))
    if op == "insert":
        return data[:pos] + snippet * times + data[pos:]
    if op == "replace":
        return data[:pos] + snippet + data[pos + len(snippet) * times:]
    if op == "truncate":
        return data[:pos]
    if op == "flip":
        return data[:pos] + bytes([data[pos] ^ (1 << (times % 8))]) + data[pos + 1:] if pos < len(data) else data
    if op == "duplicate_line":
        return b"\n".join(lines[:row] + [lines[row]] * (times + 1) + lines[row + 1:])
    if op == "drop_line":
        return b"\n".join(lines[:row] + lines[row + 1:])
    if op == "indent_line":
        return b"\n".join(lines[:row] + [b" " * times + lines[row]] + lines[row + 1:])
    if op == "encode":
        text = data.decode("utf-8")
        codec = ["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"][times % 5]
        return text.encode(codec, errors="replace")
    if op == "line_ends":
        return data.replace(b"\n", [b"\r\n", b"\r", b"\x85", "\u2028".encode()][times % 4])
    raise AssertionError(op)


@given(st.sampled_from(range(len(TEXTS))),
       st.sampled_from(["insert", "replace", "truncate", "flip", "duplicate_line", "drop_line", "indent_line",
                        "encode", "line_ends"]),
       st.floats(0, 1), st.sampled_from(_SNIPPETS), st.integers(1, 40))
def test_text_mutants_load_or_raise_decide_error(tmp_path_factory, which, op, at, snippet, times):
    mutant = _text_mutation(TEXTS[which], op, at, snippet, times)
    path = tmp_path_factory.mktemp("mutant") / "model.yaml"
    path.write_bytes(mutant)
    try:
        model = load_model(path)
    except DecideError as exc:
        assert str(exc) and all(p.code for p in getattr(exc, "problems", ()))
        return
    if model.criteria:
        model.score_table()
