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


def _input_calls():
    """Every ``Message("input.<key>", **params)`` in decide: (file:line, key, param names)."""
    import ast
    from pathlib import Path

    import decide

    root = Path(decide.__file__).parent
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message" and node.args
                    and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith("input.")):
                names = {k.arg for k in node.keywords if k.arg and k.arg != "shown_in"}
                yield f"{path.relative_to(root)}:{node.lineno}", node.args[0].value.partition(".")[2], names


def test_input_keys_name_the_problem_not_a_counter():
    """The codes users and tests match come from these keys (``ahp_matrix_not_square`` ->
    ``ahp-matrix-not-square``): a key ending in ``_<digit>`` or a placeholder named ``x<digit>``
    says nothing about what went wrong."""
    import re

    cat = catalogue("input")
    counters = [k for k in cat if re.search(r"_\d+$", k)]
    assert not counters, f"input keys named by a counter: {counters}"
    positional = {k: sorted(f for f in _fields(e["en"]) | _fields(e["nl"]) if re.fullmatch(r"x\d+", f.split("!")[0]))
                  for k, e in cat.items() if isinstance(e, dict) and set(e) == {"nl", "en"}}
    positional = {k: v for k, v in positional.items() if v}
    assert not positional, f"input placeholders named by position: {positional}"
    # the guard sees the catalogue as the code uses it
    assert "ahp_matrix_not_square" in cat and "weights_critic_all_correlated" in cat


def test_every_input_message_call_names_a_key_with_its_placeholders():
    cat = catalogue("input")
    calls = list(_input_calls())
    assert len(calls) > 90, "the scan found the Message calls"
    for where, key, names in calls:
        assert key in cat, f"{where}: no catalogue entry input.{key}"
        fields = {f.split(".")[0].split("[")[0].split("!")[0].split(":")[0]
                  for f in _fields(cat[key]["en"])}
        assert fields == names, f"{where}: input.{key} has placeholders {sorted(fields)}, the call gives {sorted(names)}"
