"""The readable report: recommendation first, charts embedded (html) or linked (md), both languages."""
from __future__ import annotations

import re

import pytest

from decide.report import build_report

ORDER = {
    "nl": ["Aanbeveling", "Waarom", "Hoe robuust", "Wat het kost", "Portefeuille", "Toets", "Herkomst"],
    "en": ["Recommendation", "Why", "How robust", "What it costs", "Portfolio", "Review", "Provenance"],
}
CHARTS = ["weights", "ranking", "stability", "smaa", "frontier", "value_for_money", "spend"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_markdown_recommendation_first_then_why_robust_cost_portfolio(zaak, zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en
    md = files[f"zaaksysteem-{lang}.md"].decode("utf-8")
    assert md.startswith(f"# {zaak.model.name(lang)}\n")
    heads = re.findall(r"^## (.+)$", md, flags=re.M)
    assert len(heads) == len(ORDER[lang])
    for head, start in zip(heads, ORDER[lang]):
        assert head.startswith(start)
    first_section = md.split("\n## ")[1]
    assert zaak.label(zaak.allocation.chosen[0], lang) in first_section
    assert zaak.sensitivity.text(lang) in first_section
    for name in CHARTS:  # every chart linked, and the PNG is part of the report
        path = f"zaaksysteem-{lang}-charts/{name}.png"
        assert f"]({path})" in md
        assert files[path].startswith(b"\x89PNG")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_html_self_contained_printable_with_embedded_charts(zaak, zaak_nl, zaak_en, lang):
    files = zaak_nl if lang == "nl" else zaak_en
    page = files[f"zaaksysteem-{lang}.html"].decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    assert f"<h2>{ORDER[lang][0]}</h2>" in page
    assert page.index(ORDER[lang][0]) < page.index(ORDER[lang][1])
    for name in CHARTS:
        assert f'id="chart-{name}"' in page
    assert page.count("<svg") == len(CHARTS)
    assert "@media print" in page and "@page" in page
    # nothing to fetch: no external stylesheets, scripts or images
    assert not re.search(r"<(link|script|img)\b", page)
    assert "http://" not in page.replace("http://www.w3.org", "")
    # labels in the chosen language inside the charts (SVG text is kept as text)
    svg = page[page.index('id="chart-weights"'):]
    assert zaak.model.criterion("fit").name(lang) in svg


def test_html_escapes_model_text(injection):
    page = build_report(injection, "html", lang="en")["injection-en.html"].decode("utf-8")
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page
    assert '=HYPERLINK("http://x"' not in page.split("<svg")[0]


def test_markdown_for_a_ranking_only_model(werkplek):
    files = build_report(werkplek, ("md",), lang="nl")
    md = files["werkplek-nl.md"].decode("utf-8")
    heads = re.findall(r"^## (.+)$", md, flags=re.M)
    assert heads[0] == "Aanbeveling" and not any(h.startswith("Portefeuille") for h in heads)
    assert md.split("\n## ")[1].count("Aanbeveling: ") == 1
    assert "werkplek-nl-charts/frontier.png" not in files
    assert "werkplek-nl-charts/ranking.png" in files


def test_same_analysis_same_bytes(werkplek):
    """Charts carry no timestamps or random ids: a report can be diffed and archived."""
    one = build_report(werkplek, ("html", "png", "csv", "json"), lang="en")
    two = build_report(werkplek, ("html", "png", "csv", "json"), lang="en")
    assert one.keys() == two.keys()
    assert [k for k in one if one[k] != two[k]] == []


def test_markdown_keeps_model_text_inert():
    from decide.report.markdown_html import _md_cell, _md_text

    assert _md_text("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)>"
    assert _md_cell("a | b\nc") == "a \\| b<br>c"
