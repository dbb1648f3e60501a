"""The message catalogue: every text in Dutch and English, with the same placeholders."""
from __future__ import annotations

import string

import pytest

from decide.i18n import catalogue, fmt_money, fmt_number, fmt_pct, t, topics


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("topic", topics())
def test_every_key_has_both_languages_and_same_placeholders(topic):
    cat = catalogue(topic)
    assert cat, topic
    for key, entry in cat.items():
        assert isinstance(key, str), f"{topic}.{key}: YAML read the key as {type(key).__name__}; quote it"
        if not isinstance(entry, dict) or set(entry) - {"nl", "en"}:
            continue  # structured entries (lists of texts) are checked by their own module's tests
        assert set(entry) == {"nl", "en"}, f"{topic}.{key}"
        assert _fields(entry["nl"]) == _fields(entry["en"]), f"{topic}.{key}"


def test_number_formats():
    assert fmt_number(1234567.891, "nl") == "1.234.567,89"
    assert fmt_number(1234567.891, "en") == "1,234,567.89"
    assert fmt_money(-1500, "nl") == "-€ 1.500" and fmt_money(1500, "en") == "€1,500"
    assert fmt_pct(0.625, "nl", 1) == "62,5 %" and fmt_pct(0.625, "en", 1) == "62.5%"


def test_lookup_fills_placeholders_and_refuses_unknown_language():
    assert t("cli.n_options", "nl", n=3) == "3 opties"
    with pytest.raises(ValueError):
        t("cli.n_options", "de", n=3)


def _catalogue_calls(topic: str):
    """Every ``Message("<topic>.<key>", **params)`` in decide, and for ``checks`` every
    ``_m("<key>", **params)`` of decide.validation (and of the modules that import it): (file:line,
    key, param names). A key chosen at run time (``_m("a" if c else "b", ...)``) gives each branch."""
    import ast
    from pathlib import Path

    import decide

    root = Path(decide.__file__).parent
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        checks_m = topic == "checks" and (
            path.name == "validation.py" and path.parent == root
            or any(isinstance(n, ast.ImportFrom) and n.module == "decide.validation"
                   and any(a.name == "_m" and a.asname is None for a in n.names) for n in ast.walk(tree)))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = getattr(node.func, "id", None)
            first = node.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            if not all(isinstance(o, ast.Constant) and isinstance(o.value, str) for o in options):
                continue
            names = {k.arg for k in node.keywords if k.arg and k.arg != "shown_in"}
            for o in options:
                if name == "Message" and o.value.startswith(topic + "."):
                    key = o.value.partition(".")[2]
                elif name == "_m" and checks_m:
                    key = o.value
                else:
                    continue
                yield f"{path.relative_to(root)}:{node.lineno}", key, names


def _placeholders(text: str) -> set[str]:
    return {f.split(".")[0].split("[")[0].split("!")[0].split(":")[0] for f in _fields(text)}


@pytest.mark.parametrize("topic", ["input", "checks"])
def test_keys_name_the_problem_not_a_counter(topic):
    """A key says which problem it words (``input.ahp_matrix_not_square``,
    ``checks.score_invalid_range_length``) and a placeholder what it holds: a key ending in
    ``_<digit>`` or a placeholder named ``x<digit>`` (or ``<name>_<digit>``, an element picked by
    position) says nothing about what went wrong. (The problem codes users match are set apart:
    validation's findings name theirs, e.g. ``score-invalid``.)"""
    import re

    cat = catalogue(topic)
    counters = [k for k in cat if re.search(r"_\d+$", k)]
    assert not counters, f"{topic} keys named by a counter: {counters}"
    positional = {k: sorted(f for f in _placeholders(e["en"]) | _placeholders(e["nl"])
                            if re.fullmatch(r"x\d+|\w+_\d+", f))
                  for k, e in cat.items() if isinstance(e, dict) and set(e) == {"nl", "en"}}
    positional = {k: v for k, v in positional.items() if v}
    assert not positional, f"{topic} placeholders named by position: {positional}"
    # the guard sees the catalogue as the code uses it
    assert {"input": "ahp_matrix_not_square", "checks": "score_invalid_range_length"}[topic] in cat


@pytest.mark.parametrize("topic,at_least", [("input", 90), ("checks", 90)])
def test_every_message_call_names_a_key_with_its_placeholders(topic, at_least):
    cat = catalogue(topic)
    calls = list(_catalogue_calls(topic))
    assert len(calls) > at_least, "the scan found the Message calls"
    for where, key, names in calls:
        assert key in cat, f"{where}: no catalogue entry {topic}.{key}"
        fields = _placeholders(cat[key]["en"])
        assert fields == names, f"{where}: {topic}.{key} has placeholders {sorted(fields)}, the call gives {sorted(names)}"
