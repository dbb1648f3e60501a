"""decide/messages/portfolio.yaml: both languages, same placeholders, every code present."""
from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from decide.i18n import catalogue, t
from decide.portfolio import Finding, Status
from decide.portfolio.evaluate import RULE_ORDER

SRC = Path(__file__).resolve().parents[2] / "decide" / "portfolio"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_nl_and_en_with_the_same_placeholders():
    cat = catalogue("portfolio")
    assert cat
    for key, entry in cat.items():
        assert set(entry) == {"nl", "en"}, key
        assert entry["nl"].strip() and entry["en"].strip(), key
        assert placeholders(entry["nl"]) == placeholders(entry["en"]), key


def test_every_finding_code_in_the_code_has_a_message():
    codes = set()
    for path in SRC.glob("*.py"):
        codes |= set(re.findall(r'Finding\(\s*"([a-z_]+)"', path.read_text()))
    assert codes
    missing = sorted(c for c in codes if c not in catalogue("portfolio"))
    assert not missing


def test_rule_and_status_labels_exist():
    for rule in RULE_ORDER + ("cover", "pin"):
        assert t(f"portfolio.rule_{rule}", "nl") and t(f"portfolio.rule_{rule}", "en")
    for status in Status:
        assert t(f"portfolio.status_{status.value}", "nl")


@pytest.mark.parametrize("lang, expected", [
    ("en", "raise the budget by €120,000 to €500,000"),
    ("nl", "het budget met € 120.000 verhoogt tot € 500.000"),
])
def test_finding_text_formats_money(lang, expected):
    f = Finding("relax_budget", {"amount": 120_000, "new": 500_000},
                {"amount": "money", "new": "money"}, ("budget",), 1)
    assert f.text(lang) == expected
    d = f.to_dict(lang)
    assert d["code"] == "relax_budget" and d["params"]["amount"] == 120_000


def test_shares_are_percentages():
    f = Finding("relax_max_supplier_share", {"limit": 0.4, "needed": 0.525},
                {"limit": "pct", "needed": "pct"})
    assert f.text("en") == "allow a largest supplier share of 52.5% instead of 40.0%"
    assert "52,5 %" in f.text("nl")
