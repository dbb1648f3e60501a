"""Model texts that try to be markup or formulas: inert in CSV (either separator) and Markdown."""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from decide.facade import analyse
from decide.loader import loads_model
from decide.report import build_report
from decide.report.csv_json import to_csv
from decide.report.tables import Table

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "data" / "hostile"))
import markup  # noqa: E402  (the hostile-text corpus)
LABELS = {
    "suite": "x;=1+1",
    "modular": "Suite;=1+1;@SUM(A1)",
    "build": "[click me](http://example.invalid/x) ![](http://tracker.invalid/p.png) `code` *bold* <b>",
}


@pytest.fixture(scope="module")
def hostile():
    text = (ROOT / "tests" / "data" / "valid_small.yaml").read_text(encoding="utf-8")
    for aid, label in LABELS.items():
        quoted = label.replace("\\", "\\\\").replace('"', '\\"')
        text = text.replace(f"  - id: {aid}\n", f"  - id: {aid}\n    label: \"{quoted}\"\n", 1)
    return analyse(loads_model(text), samples=300)


def _cells(data: bytes, sep: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep) for c in row]


@pytest.mark.parametrize("lang,dialect", [("nl", None), ("en", None), ("nl", "rfc4180"), ("en", "excel-nl")])
def test_a_label_with_a_separator_and_a_formula_arrives_as_one_text_cell(hostile, lang, dialect):
    files = build_report(hostile, "csv", lang=lang, csv_dialect=dialect)
    ranking = next(v for k, v in files.items() if k.endswith("/ranking.csv"))
    comma = (dialect or {"nl": "excel-nl", "en": "rfc4180"}[lang]) == "rfc4180"
    # a comma file is also read with ';' (Excel with a Dutch list separator, by double-click)
    for sep in (",", ";") if comma else (";",):
        cells = _cells(ranking, sep)
        assert not any(c.startswith(("=", "@", "+")) for c in cells), (lang, dialect, sep)
        if sep == (";" if not comma else ","):  # the file's own separator: the label, one cell
            shown = {"x;=1+1", "Suite;=1+1;@SUM(A1)"} if not comma else {"x;'=1+1", "Suite;'=1+1;'@SUM(A1)"}
            assert shown <= set(cells)
        else:  # split where a Dutch Excel splits: the pieces are texts
            assert "'=1+1" in cells and "=1+1" not in cells


#: Labels with a formula after a separator, also behind spaces and quotes (the quote a writer doubles
#: is an empty quoted start to a reader that splits there, and the formula would be the cell).
SEPARATED_FORMULAS = ["x;=1+1", "x,=1+1", "x; =1+1", "x;\"=1+1", "x;\"=1+1\"", "x,\"=1+1", "x; \" =1+1",
                      "x;\"\"=1+1", "Suite;=1+1;@SUM(A1)", "a;+1;-1;@x", "x;\t=1", 'x;"=HYPERLINK(""http://e"")"']


@pytest.mark.parametrize("dialect", ["excel-nl", "rfc4180"])
@pytest.mark.parametrize("label", SEPARATED_FORMULAS)
def test_a_formula_after_either_separator_is_text_in_either_reading(label, dialect):
    """Python's csv reader stands in for Excel's: a quote opens a quoted field only at a field's
    start, and characters after a closing quote are kept (Excel does the same)."""
    table = Table("t", "ranking", "T", ("id", "Label", "Score"), (("a", label, 0.5),), ("id", "text", "score"))
    data = to_csv(table, dialect)
    own = "," if dialect == "rfc4180" else ";"
    for sep in (",", ";"):
        cells = _cells(data, sep)
        assert not [c for c in cells if c.lstrip(' "\t\r').startswith(("=", "+", "-", "@"))], (sep, data)
        if sep == own:  # the file's own reading: the label, one cell (a ' may precede a formula start)
            assert cells[4] == label or cells[4].replace("'", "") == label.replace("'", ""), (cells, data)


def test_the_dutch_csv_reads_back_with_semicolons_and_decimal_commas(hostile):
    files = build_report(hostile, "csv", lang="nl")
    rows = list(csv.reader(io.StringIO(files["report-nl-csv/ranking.csv"].decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 3 and all(len(r) == len(header) for r in body)
    col = header.index("Score (TOPSIS)")
    scores = [float(r[col].replace(",", ".")) for r in body]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert all("," in r[col] and "." not in r[col] for r in body)  # a decimal comma, not a point


def test_dialects_and_rounding_on_one_table():
    table = Table("t", "ranking", "T", ("id", "Waarde", "Bedrag"), (("a;b", 0.123456789, 1234.5678),),
                  ("id", "score", "money"))
    assert to_csv(table, "excel-nl").decode("utf-8-sig") == 'id;Waarde;Bedrag\r\n"a;b";0,123457;1234,57\r\n'
    assert to_csv(table, "rfc4180").decode("utf-8-sig") == 'id,Waarde,Bedrag\r\n"a;b",0.123457,1234.57\r\n'


def test_markdown_shows_model_text_and_renders_no_link_image_or_html(hostile):
    mistune = pytest.importorskip("mistune")
    md = build_report(hostile, "md", lang="en")["report-en.md"].decode("utf-8")
    assert "[click me](" not in md and "![](" not in md
    html = mistune.html(md)
    assert "example.invalid" in html  # the text is shown ...
    assert 'href="http://example.invalid' not in html  # ... but is no link
    assert "<img" not in html.replace('<img src="report-en-charts/', "")  # only our own charts are images
    assert "<code>code</code>" not in html and "<b>" not in html and "<em>bold</em>" not in html


def test_a_huge_label_is_cut_in_charts_only():
    import time

    from decide.report.charts import MAX_LABEL_LINES, _wrap

    text = (ROOT / "tests" / "data" / "valid_small.yaml").read_text(encoding="utf-8")
    huge = "Suite " + "zeer lange omschrijving " * 8_000  # about 190 000 characters
    text = text.replace("  - id: suite\n", f"  - id: suite\n    label: \"{huge}\"\n", 1)
    analysis = analyse(loads_model(text), samples=200)
    start = time.perf_counter()
    files = build_report(analysis, ("html", "png"), lang="nl")
    assert time.perf_counter() - start < 60
    assert huge.strip() in files["report-nl.html"].decode("utf-8")  # the table keeps the whole label
    assert len(_wrap(huge, 30).splitlines()) == MAX_LABEL_LINES and _wrap(huge, 30).endswith("…")


def test_cli_csv_dialect_option(tmp_path, monkeypatch, capsys):
    from decide.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "r"
    assert main(["report", "models/werkplek.yaml", "--out", str(out), "--format", "csv", "--samples", "200"]) == 0
    nl = (out / "werkplek-nl-csv" / "tco.csv").read_bytes().decode("utf-8-sig")
    assert nl.splitlines()[0].count(";") > 2 and "," in nl.splitlines()[1]  # ';' and a decimal comma
    assert main(["report", "models/werkplek.yaml", "--out", str(out), "--format", "csv", "--samples", "200",
                 "--force", "--csv-dialect", "rfc4180"]) == 0
    rfc = (out / "werkplek-nl-csv" / "tco.csv").read_bytes().decode("utf-8-sig")
    assert ";" not in rfc.splitlines()[0] and rfc.splitlines()[0].count(",") > 2
    assert main(["report", "models/werkplek.yaml", "--out", "", "--format", "csv"]) == 2
    assert "--out" in capsys.readouterr().err


# =========================================================================== links and HTML in Markdown
# GitHub renders Markdown with cmark-gfm and its "autolink (extension)": bare http://, https://,
# ftp://, www. text, e-mail addresses and mailto:/xmpp: addresses become links on their own.
# cmarkgfm wraps that C library; rendering with CMARK_OPT_UNSAFE keeps any raw HTML, so a tag that
# slipped through shows up here (GitHub would sanitise some of them, other renderers may not).
def _gfm(md: str) -> str:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    from cmarkgfm.cmark import Options

    return cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)


class _Page(HTMLParser):
    """Tags (with attributes) and the visible text of an HTML fragment (no <style>/<script> text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.text.append(" ")
        if tag in ("style", "script"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.text.append(data)

    def handle_comment(self, data):
        self.tags.append(("!--", {"text": data}))


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def _visible(page: _Page) -> str:
    """What a reader sees: the text, whitespace collapsed, and no WORD JOINER (it has no glyph)."""
    from decide.report.markdown_html import WORD_JOINER

    return " ".join("".join(page.text).replace(WORD_JOINER, "").split())


def _shown(text: str) -> str:
    return " ".join(text.split())


#: The tags the Markdown report itself makes (headings, paragraphs, tables, emphasis of its own
#: notes, its chart images, the line breaks it writes in a cell, the motivation skeleton's fence).
OWN_TAGS = {"h1", "h2", "h3", "p", "em", "strong", "table", "thead", "tbody", "tr", "th", "td", "img", "br",
            "pre", "code", "ul", "li"}


@pytest.fixture(scope="module")
def markup_analysis():
    return analyse(loads_model(markup.model()), samples=300)


@pytest.mark.parametrize("field", sorted(markup.TEXTS))
@pytest.mark.parametrize("where", ["paragraph", "heading", "cell"])
def test_each_payload_shows_as_written_and_links_nothing(field, where):
    from decide.report.markdown_html import _md_cell, _md_text

    text = markup.TEXTS[field]
    md = {"paragraph": _md_text(text), "heading": "# " + _md_text(text),
          "cell": "| Tekst |\n|---|\n| " + _md_cell(text) + " |"}[where]
    page = _page(_gfm(md))
    tags = {tag for tag, _ in page.tags}
    assert "a" not in tags and "img" not in tags, md
    assert tags <= OWN_TAGS, (tags - OWN_TAGS, md)
    assert _visible(page) == ("Tekst " if where == "cell" else "") + _shown(text), md


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_markdown_report_links_nothing_from_the_model_in_github_flavoured_markdown(markup_analysis, lang):
    files = build_report(markup_analysis, "md", lang=lang)
    md = files[f"report-{lang}.md"].decode("utf-8")
    page = _page(_gfm(md))
    assert [attrs for tag, attrs in page.tags if tag == "a"] == []
    assert {tag for tag, _ in page.tags} <= OWN_TAGS
    charts = [attrs["src"] for tag, attrs in page.tags if tag == "img"]
    assert charts and all(src.startswith(f"report-{lang}-charts/") and src in files for src in charts)
    shown = _visible(page)
    for field, text in markup.TEXTS.items():  # every payload reaches the report, and reads as written
        assert _shown(text) in shown, field


def test_without_the_escaping_github_would_link_the_payloads(markup_analysis, monkeypatch):
    """The corpus bites: with only the old inline escaping, cmark-gfm links the bare addresses."""
    from decide.report import markdown_html

    monkeypatch.setattr(markdown_html, "_md_text", lambda text: markdown_html._MD_INLINE.sub(r"\\\1", text)
                        .replace("<", "&lt;"))
    md = build_report(markup_analysis, "md", lang="nl")["report-nl.md"].decode("utf-8")
    hrefs = {attrs["href"] for tag, attrs in _page(_gfm(md)).tags if tag == "a"}
    for address in ("http://evil.example/x?a=1", "mailto:inkoop@evil.example", "http://www.modulair.example",
                    "xmpp:balie@chat.example/web", "ftp://bestanden.example/a", "https://exit.example/plan"):
        assert any(href.startswith(address) for href in hrefs), (address, hrefs)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_html_report_links_only_its_own_sections(markup_analysis, lang):
    page_html = build_report(markup_analysis, "html", lang=lang)[f"report-{lang}.html"].decode("utf-8")
    page = _page(page_html)
    links = [attrs.get("href", "") for tag, attrs in page.tags if tag == "a"]
    assert links and all(re.fullmatch(r"#[a-z_]+", href) for href in links), links  # the section menu
    assert not {"script", "img", "iframe", "object", "embed", "link"} & {tag for tag, _ in page.tags}
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on")]  # no event handlers
    shown = " ".join("".join(page.text).split())
    for field, text in markup.TEXTS.items():
        assert _shown(text) in shown, field


def test_csv_and_json_carry_the_payloads_verbatim(markup_analysis):
    """The Markdown escaping stays in the Markdown: the exports hold the model's text as written."""
    from decide.report.markdown_html import WORD_JOINER

    files = build_report(markup_analysis, ("csv", "json"), lang="nl")
    data = json.loads(files["report-nl.json"])
    texts = set()

    def walk(x):
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
        elif isinstance(x, str):
            texts.add(x)

    walk(data)
    for field in ("option.suite", "option.modular", "option.build", "criterion.cost", "supplier.vendor_a"):
        assert markup.TEXTS[field] in texts, field
    assert not any(WORD_JOINER in t or "\\:" in t for t in texts)
    cells = {c for k, v in files.items() if k.endswith(".csv") for c in _cells(v, ";")}
    for field in ("option.suite", "option.modular", "option.build"):
        assert markup.TEXTS[field] in cells, field
    assert not any(WORD_JOINER in c or "\\:" in c or "www\\." in c for c in cells)
