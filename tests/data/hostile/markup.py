"""Hostile text: model texts that try to become a link, an image or raw HTML in the Markdown report.

:data:`TEXTS` are the payloads (bare URLs, ``www.`` names, e-mail addresses, ``mailto:`` and
``xmpp:`` addresses, angle-bracket autolinks, inline and reference links to ``javascript:``, remote
images, raw HTML, entities, a heading's closing ``#``, indented code); :func:`model` is the valid
Dutch model of ``tests/data/valid_small.yaml`` with one payload in each text field a report shows
(title, description, criterion, option, module and supplier labels, a participant's name, the
strategy's texts). ``tests/report/test_report_hostile_text.py`` renders the report with GitHub's
own Markdown implementation and requires every payload to show as written and link nothing;
``tests/test_hostile.py`` requires the model to pass ``decide validate``.
"""
from __future__ import annotations

from pathlib import Path

BASE = (Path(__file__).resolve().parents[1] / "valid_small.yaml").read_text(encoding="utf-8")

#: field -> payload; every payload is distinct, so each can be found in the rendered report.
TEXTS: dict[str, str] = {
    "title": "Plan #1 voor www.gemeente-voorbeeld.nl ##",
    "description": "Zie http://evil.example/x?a=1&b=2 of schrijf inkoop@evil.example\n\n    ingesprongen https://code.example",
    "criterion.cost": "Kosten <https://evil.example/hoek>",
    "criterion.risk": "Risico [klik](javascript:alert(1))",
    "criterion.innovation": "Innovatie ![](http://tracker.example/p.png)",
    "option.suite": "Suite <a href=\"http://evil.example\">hier</a>",
    "option.modular": "Modulair (www.modulair.example) mailto:verkoop@modulair.example",
    "option.build": "Zelfbouw <img src=x onerror=alert(1)> HTTPS://WWW.EVIL.EXAMPLE/X",
    "module.intake": "Intake xmpp:balie@chat.example/web",
    "module.case": "Zaak <inkoop@evil.example> ftp://bestanden.example/a",
    "supplier.vendor_a": "Leverancier A &amp; zn. &#64; &lt;b&gt; http://user@evil.example",
    "supplier.vendor_b": "Leverancier B _www.b.example_ *www.b.example* ~~weg~~",
    "participant": "Inkoop <script>alert(1)</script> [ref]: http://evil.example",
    "strategy.exit_plan": "Exit via https://exit.example/plan en data@exit.example",
}


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def model() -> str:
    """The model file's text with every payload in place."""
    t = {k: _quoted(v) for k, v in TEXTS.items()}
    text = BASE.replace("title: Kapotte modellen (testcorpus)\n", f"title: {t['title']}\ndescription: {t['description']}\n", 1)
    text = text.replace("{id: cost, label: Kosten,", f"{{id: cost, label: {t['criterion.cost']},", 1)
    text = text.replace("    label: Risico\n", f"    label: {t['criterion.risk']}\n", 1)
    text = text.replace("{id: innovation, direction: max", f"{{id: innovation, label: {t['criterion.innovation']}, direction: max", 1)
    for oid in ("suite", "modular", "build"):
        text = text.replace(f"  - id: {oid}\n", f"  - id: {oid}\n    label: {t['option.' + oid]}\n", 1)
    for mid in ("intake", "case"):
        text = text.replace(f"{{id: {mid}, required", f"{{id: {mid}, label: {t['module.' + mid]}, required", 1)
    for sid in ("vendor_a", "vendor_b"):
        text = text.replace(f"{{id: {sid}, sme", f"{{id: {sid}, label: {t['supplier.' + sid]}, sme", 1)
    text = text.replace("      - name: Inkoop\n", f"      - name: {t['participant']}\n", 1)
    return text + f"strategy:\n  exit_plan: {t['strategy.exit_plan']}\n"
