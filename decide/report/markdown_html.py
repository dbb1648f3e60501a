"""The readable report, as Markdown and as self-contained, printable HTML.

Both are rendered from one outline (:func:`outline`): the recommendation first, then why
(weights, scores, contributions, method comparison), how robust (the robustness sentence,
stability intervals, SMAA), what it costs (TCO), the portfolio (when the model has one), the
strategy review, and the provenance. Numbers are formatted per language (1.234.567,89 vs
1,234,567.89); id columns are left out (they are in the CSV and JSON).

The Markdown links the PNG charts in a folder next to it; the HTML embeds the charts as
inline SVG and carries its own CSS (with a print style sheet), so it is one file that can be
mailed or printed.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from decide import i18n
from decide._version import __version__
from decide.report.tables import Table, decisive_text, recommendation, robustness, tr

__all__ = ["Block", "format_cell", "outline", "to_html", "to_markdown"]


@dataclass(frozen=True)
class Block:
    """One element of the outline: ``h`` (heading), ``p`` (paragraph), ``em`` (small print),
    ``ul`` (list), ``table``, ``chart``, ``pre`` (preformatted text)."""

    kind: str
    text: str = ""
    level: int = 2
    items: tuple = ()
    table: Optional[Table] = None
    chart: str = ""
    anchor: str = ""
    rows: Optional[tuple] = None  # a subset of the table's rows (indices)
    hide: tuple = ()  # keys of columns to leave out, by position


def _award_blocks(analysis: Any, tables: Mapping[str, Table], lang: str) -> list:
    """The award section of the Markdown/HTML report (empty without an award section)."""
    if getattr(analysis, "award", None) is None or not any(k.startswith("award_") for k in tables):
        return []
    out = [Block("h", i18n.t("award.report.heading", lang), anchor="award")]
    for key in ("award_bids", "award_parts", "award_paradox", "award_simulation"):
        t = tables.get(key)
        if t is not None:
            out.append(Block("table", table=t))
    return out


def format_cell(value: Any, kind: str, lang: str, currency: str = "EUR") -> str:
    """A cell as text for people: money, percentages and numbers per language."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return tr("word.yes" if value else "word.no", lang)
    if isinstance(value, str):
        return value
    if kind == "money":
        return i18n.fmt_money(value, lang, currency)
    if kind == "pct":
        return i18n.fmt_pct(value, lang, 1)
    if kind == "pct2":
        return i18n.fmt_pct(value, lang, 2)
    if kind == "weight":  # weights are percentages everywhere a person reads them
        if value != value:
            return "–"
        return i18n.fmt_pct(value, lang, 1)
    if kind == "score":
        return i18n.fmt_number(value, lang, 4)
    if kind == "int":
        return i18n.fmt_number(value, lang, 0)
    if kind == "number":
        return i18n.fmt_number(value, lang, 2)
    return str(value)


_NUMERIC = {"money", "pct", "pct2", "weight", "score", "int", "number"}


# =========================================================================== outline
def _table(tables: Mapping[str, Table], key: str, rows: Optional[Sequence[int]] = None) -> list[Block]:
    t = tables.get(key)
    if t is None:
        return []
    return [Block("table", table=t, rows=tuple(rows) if rows is not None else None)]


def _chart(charts: Sequence[str], name: str, lang: str) -> list[Block]:
    return [Block("chart", chart=name, text=tr(f"caption.{name}", lang))] if name in charts else []


def outline(analysis: Any, tables: Mapping[str, Table], lang: str, charts: Sequence[str] = ()) -> list[Block]:
    """The report as a list of blocks, in reading order."""
    m = analysis.model
    prov = analysis.provenance
    out: list[Block] = [Block("h", m.name(lang), level=1)]
    if m.description is not None:
        out.append(Block("p", i18n.label(m.description, lang)))
    out.append(Block("em", tr("generated", lang, version=prov.get("decide_version", __version__),
                                timestamp=prov.get("timestamp", ""), file=prov.get("model_file") or "–")))

    # ---------------------------------------------------------------- recommendation
    out.append(Block("h", tr("heading.recommendation", lang), anchor="recommendation"))
    for sentence in recommendation(analysis, lang):
        out.append(Block("p", sentence))
    rob = robustness(analysis, lang)
    if rob:
        out.append(Block("p", tr("robustness_lead", lang, text=rob)))
    summary = tables.get("summary")
    if summary is not None:
        skip = {"title", "description", "recommendation", "robustness"}
        keep = [k for k, r in enumerate(summary.rows) if r[0] not in skip]
        out.append(Block("table", table=summary, rows=tuple(keep)))

    # ---------------------------------------------------------------- why
    if analysis.weights is not None or analysis.ranking is not None:
        out.append(Block("h", tr("heading.why", lang), anchor="why"))
        out += _chart(charts, "weights", lang)
        w = tables.get("weights")
        if w is not None:
            leaves = [k for k, r in enumerate(w.rows) if r[-1]]
            out.append(Block("table", table=w, rows=tuple(leaves)))
        out += _table(tables, "weights_participants")
        out += _table(tables, "weights_consistency")
        out += _table(tables, "weights_hints")
        dec = decisive_text(analysis, lang)
        if dec:
            out.append(Block("p", dec))
        out += _chart(charts, "ranking", lang)
        out += _table(tables, "ranking")
        out += _table(tables, "ranking_excluded")
        out += _table(tables, "ranking_methods")
        out += _table(tables, "scores")
        out += _table(tables, "scores_uncertain")

    # ---------------------------------------------------------------- robustness
    if analysis.sensitivity is not None:
        out.append(Block("h", tr("heading.robust", lang), anchor="robust"))
        if rob:
            out.append(Block("p", rob + "."))
        out += _chart(charts, "stability", lang)
        out += _table(tables, "sensitivity_stability")
        out += _chart(charts, "smaa", lang)
        out += _table(tables, "sensitivity_smaa")

    # ---------------------------------------------------------------- cost
    out.append(Block("h", tr("heading.cost", lang), anchor="cost"))
    out += _table(tables, "tco")

    # ---------------------------------------------------------------- portfolio
    if analysis.allocation is not None:
        out.append(Block("h", tr("heading.portfolio", lang), anchor="portfolio"))
        out += _table(tables, "portfolio_explanation")
        out += _table(tables, "portfolio")
        out += _table(tables, "portfolio_values")
        out += _chart(charts, "value_for_money", lang)
        out += _chart(charts, "spend", lang)
        out += _table(tables, "portfolio_spend")
        out += _table(tables, "portfolio_rules")
        out += _chart(charts, "frontier", lang)
        f = tables.get("portfolio_frontier")
        if f is not None:
            eff_col = len(f.columns) - 2
            eff = [k for k, r in enumerate(f.rows) if r[eff_col]]
            out.append(Block("table", table=f, rows=tuple(eff)))
        out += _table(tables, "portfolio_robustness")
        out += _table(tables, "portfolio_scenarios")

    # ---------------------------------------------------------------- award
    out += _award_blocks(analysis, tables, lang)

    # ---------------------------------------------------------------- review
    rv = tables.get("review")
    if rv is not None:
        out.append(Block("h", tr("heading.review", lang), anchor="review"))
        c = analysis.review.counts
        out.append(Block("p", tr("review_counts", lang, ok=c.get("ok", 0), attention=c.get("attention", 0),
                                 missing=c.get("missing", 0))))
        out.append(Block("table", table=rv, hide=(len(rv.columns) - 1,)))  # the source repeats the question
        mot = analysis.review.motivation_skeleton(lang)
        if mot:
            out.append(Block("h", tr("table.review_motivation", lang), level=3))
            out.append(Block("pre", mot))

    # ---------------------------------------------------------------- provenance
    out.append(Block("h", tr("heading.provenance", lang), anchor="provenance"))
    out += _table(tables, "provenance")
    return out


def _shown_columns(block: Block) -> list[int]:
    """Columns for people: no id columns (unless the table has nothing else to name its rows)."""
    t = block.table
    cols = [c for c, k in enumerate(t.kinds) if k != "id" and c not in block.hide]
    return cols or list(range(len(t.columns)))


#: A table in the readable report shows at most this many rows (the exports hold them all).
MAX_ROWS = 60


def _rows(block: Block) -> list[int]:
    t = block.table
    rows = list(block.rows) if block.rows is not None else list(range(len(t.rows)))
    return rows[:MAX_ROWS]


def _cut_note(block: Block, lang: str) -> str:
    t = block.table
    n = len(block.rows) if block.rows is not None else len(t.rows)
    return tr("note.rows_cut", lang, n=MAX_ROWS, m=n) if n > MAX_ROWS else ""


# =========================================================================== Markdown
_MD_INLINE = re.compile(r"([\\`*_\[\]!|~&#])")
_MD_INDENT = re.compile(r"(?m)^[ \t]+")
_MD_LINE_START = re.compile(r"(?m)^(?:([>+=-])|(\d+)([.)]))")
#: The colon of ``scheme://`` and the dot of ``www.``: GitHub-flavoured Markdown makes a link of
#: ``http://``, ``https://``, ``ftp://`` and ``www.`` text on its own ("autolinks (extension)").
_MD_AUTOLINK = re.compile(r"(?i):(?=//)|(?<=www)\.")
#: U+2060 WORD JOINER: no glyph, no width, no line break.
WORD_JOINER = "\u2060"


def _md_text(text: str) -> str:
    """Model text made inert in Markdown: it renders as the same characters, never as markup.

    Every Markdown face writes model text through this one function.

    No raw HTML (``<`` becomes ``&lt;``: a label ``<img ...>`` stays text, and ``<https://x>`` is no
    autolink); the inline syntax (backslash, backticks, ``*``, ``_``, ``[``, ``]``, ``!``, ``|``,
    ``~``, ``&``, ``#``) is escaped with a backslash, so ``[click me](http://x)`` and
    ``![](http://tracker/p.png)`` are neither a link nor a remote image, ``&amp;`` shows as written,
    and a heading keeps a trailing ``#``; a line that would start a quote, list or setext underline
    (``>``, ``-``, ``+``, ``=``, ``1.``) has that character escaped, and a line loses its indent (a
    paragraph shows no indent, and an indented line after a blank one would be a code block).

    Bare addresses: GitHub-flavoured renderers link ``http://...``, ``https://...``, ``ftp://...``,
    ``www....`` and e-mail addresses found in plain text. The colon before ``//`` and the dot after
    ``www`` are backslash-escaped (they still show, and the renderer no longer sees an address).
    An e-mail address is found in the text after escapes and entities are decoded, so no escape
    hides it; a WORD JOINER (U+2060, invisible, zero width) after every ``@`` leaves no domain
    to link (``mailto:`` and ``xmpp:`` links need one too). The text reads the same; only a copy of
    an address carries the invisible joiner, which is the point: the report links nothing.
    """
    text = _MD_INLINE.sub(r"\\\1", _MD_INDENT.sub("", text)).replace("<", "&lt;")
    text = _MD_AUTOLINK.sub(r"\\\g<0>", text).replace("@", "@" + WORD_JOINER)
    return _MD_LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


def _md_cell(text: str) -> str:
    return re.sub(r"\s*\n\s*", "<br>", _md_text(text.strip()))


def _md_fence(text: str) -> str:
    """A code fence longer than any run of backticks in ``text`` (a text cannot close it)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _md_table(block: Block, lang: str, currency: str) -> list[str]:
    t = block.table
    cols = _shown_columns(block)
    lines = [f"**{_md_cell(t.title)}**", ""]
    lines.append("| " + " | ".join(_md_cell(t.columns[c]) for c in cols) + " |")
    lines.append("|" + "|".join("---:" if t.kinds[c] in _NUMERIC else "---" for c in cols) + "|")
    for r in _rows(block):
        cells = [_md_cell(format_cell(t.rows[r][c], t.kind(r, c), lang, currency)) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    note = " ".join(x for x in (_cut_note(block, lang), t.note) if x)
    if note:
        lines += ["", f"*{_md_cell(note)}*"]
    return lines + [""]


def to_markdown(analysis: Any, tables: Mapping[str, Table], lang: str, chart_paths: Mapping[str, str] = None) -> str:
    """The report as Markdown; ``chart_paths`` maps chart names to relative PNG paths."""
    chart_paths = dict(chart_paths or {})
    cur = analysis.model.currency
    lines: list[str] = []
    for b in outline(analysis, tables, lang, list(chart_paths)):
        if b.kind == "h":
            lines += ["#" * b.level + " " + _md_text(b.text), ""]
        elif b.kind == "p":
            lines += [_md_text(b.text), ""]
        elif b.kind == "em":
            lines += [f"*{_md_text(b.text)}*", ""]
        elif b.kind == "ul":
            lines += [f"- {_md_text(x)}" for x in b.items] + [""]
        elif b.kind == "table":
            lines += _md_table(b, lang, cur)
        elif b.kind == "chart":
            lines += [f"![{_md_text(b.text)}]({chart_paths[b.chart]})", "", f"*{_md_text(b.text)}*", ""]
        elif b.kind == "pre":
            fence = _md_fence(b.text)
            lines += [fence + "text", b.text, fence, ""]
    return "\n".join(lines).rstrip() + "\n"


# =========================================================================== HTML
CSS = """
:root { --ink: #1b1b1b; --muted: #5a6570; --line: #c9d1d9; --head: #dce6f0; --accent: #1f5f8b; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       max-width: 64rem; margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin-bottom: .3rem; }
h2 { font-size: 1.3rem; color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: .2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin-top: 1.4rem; }
p.small, p.note { color: var(--muted); font-size: .85rem; }
nav { font-size: .9rem; margin: 1rem 0; }
nav a { margin-right: 1rem; color: var(--accent); text-decoration: none; }
section.recommendation p:first-of-type { font-size: 1.1rem; font-weight: 600; }
/* tables fit the page: cells wrap (numbers never), a very wide table is printed long */
.table-wrap { margin: .6rem 0 .2rem; max-width: 100%; }
table { border-collapse: collapse; font-size: .85rem; width: auto; max-width: 100%; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .25rem .45rem; vertical-align: top; text-align: left;
         overflow-wrap: break-word; hyphens: auto; }
th { background: var(--head); font-weight: 600; }
td.name { min-width: 11rem; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td.long-name { font-weight: 600; background: #f3f6f9; }
table.long td.field { color: var(--muted); }
figure { margin: 1rem 0; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .8rem; border-radius: 4px; font-size: .85rem; }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  nav { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3, caption { break-after: avoid; }
  figure, tr, pre { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8pt; }
  th, td { padding: .15rem .3rem; }
  td.name { min-width: 8rem; }
  a { color: inherit; text-decoration: none; }
}
"""


def _svg_inline(svg: str, prefix: str) -> str:
    """The ``<svg>`` element alone (no XML declaration, doctype or RDF metadata), its ids
    prefixed so that several charts in one page never share an id."""
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'\s+xmlns:(?:dc|cc|rdf)="[^"]*"', "", svg)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'xlink:href="#([^"]+)"', lambda m: f'xlink:href="#{prefix}-{m.group(1)}"', svg)


#: A table whose estimated narrowest width (in CSS px at the screen font) exceeds the page's
#: content width is shown long in HTML: one block of rows per row of the table (its name,
#: then each column as "column | value"), so it fits any page and prints whole.
PAGE_PX = 976
_MIN_PX = {"text": 130, "money": 95, "number": 65, "score": 65, "weight": 55, "pct": 55, "pct2": 60,
           "int": 45, "bool": 45}
_NAME_PX, _PAD_PX = 180, 15


#: Width of one character of a header at the table font (px): a header wraps between words, never
#: inside one, so its longest word is as narrow as its column can get.
_CHAR_PX = 7.5


def _min_width(t: Table, cols: list[int]) -> int:
    """The narrowest a table can be drawn: its name column, the others at their kind's minimum,
    and no column narrower than the longest word of its header."""
    name = next((c for c in cols if t.kinds[c] == "text"), None)

    def col(c: int) -> float:
        word = max((len(w) for w in str(t.columns[c]).split()), default=0) * _CHAR_PX
        return max(_NAME_PX if c == name else _MIN_PX.get(t.kinds[c], 65), word) + _PAD_PX

    return int(sum(col(c) for c in cols))


def _html_table(block: Block, lang: str, currency: str) -> str:
    t = block.table
    cols = _shown_columns(block)
    if _min_width(t, cols) > PAGE_PX:
        return _html_long_table(block, lang, currency, cols)
    e = html.escape
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if t.kinds[c] in _NUMERIC else ""}>{e(t.columns[c])}</th>' for c in cols)
    name_col = next((c for c in cols if t.kinds[c] == "text"), None)
    body = []
    for r in _rows(block):
        cells = []
        for c in cols:
            kind = t.kind(r, c)
            text = e(format_cell(t.rows[r][c], kind, lang, currency)).replace("\n", "<br>")
            cls = ' class="num"' if kind in _NUMERIC and not isinstance(t.rows[r][c], str) else ""
            if c == name_col and not cls:
                cls = ' class="name"'
            cells.append(f"<td{cls}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return _wrap_table(block, lang, f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>")


def _wrap_table(block: Block, lang: str, inner: str, cls: str = "") -> str:
    t = block.table
    e = html.escape
    note = " ".join(x for x in (_cut_note(block, lang), t.note) if x)
    note = f'<p class="note">{e(note)}</p>' if note else ""
    klass = f' class="{cls}"' if cls else ""
    return (f'<div class="table-wrap"><table id="t-{e(t.key)}"{klass}><caption>{e(t.title)}</caption>'
            f"{inner}</table></div>{note}")


def _html_long_table(block: Block, lang: str, currency: str, cols: list[int]) -> str:
    """A wide table, long: per row its name (first text column), then one line per column."""
    t = block.table
    e = html.escape
    name_col = next((c for c in cols if t.kinds[c] == "text"), cols[0])
    rest = [c for c in cols if c != name_col]
    head = (f'<th scope="col">{e(t.columns[name_col])}</th><th scope="col">{e(tr("col.field", lang))}</th>'
            f'<th scope="col" class="num">{e(tr("col.field_value", lang))}</th>')
    body = []
    for r in _rows(block):
        name = e(format_cell(t.rows[r][name_col], t.kind(r, name_col), lang, currency))
        for k, c in enumerate(rest):
            kind = t.kind(r, c)
            text = e(format_cell(t.rows[r][c], kind, lang, currency)).replace("\n", "<br>")
            cls = "num" if kind in _NUMERIC and not isinstance(t.rows[r][c], str) else ""
            lead = (f'<td class="name long-name" rowspan="{len(rest)}">{name}</td>' if k == 0 else "")
            body.append(f'<tr>{lead}<td class="field">{e(t.columns[c])}</td><td class="{cls}">{text}</td></tr>')
    return _wrap_table(block, lang, f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody>", "long")


def to_html(analysis: Any, tables: Mapping[str, Table], lang: str, svgs: Mapping[str, str] = None) -> str:
    """The report as one self-contained HTML page; ``svgs`` maps chart names to SVG text."""
    svgs = dict(svgs or {})
    cur = analysis.model.currency
    e = html.escape
    blocks = outline(analysis, tables, lang, list(svgs))
    nav = [f'<a href="#{b.anchor}">{e(b.text)}</a>' for b in blocks if b.kind == "h" and b.anchor]
    parts: list[str] = []
    open_section = False
    for b in blocks:
        if b.kind == "h" and b.level == 1:
            parts.append(f"<header><h1>{e(b.text)}</h1>")
        elif b.kind == "h" and b.level == 2:
            if open_section:
                parts.append("</section>")
            elif parts and parts[0].startswith("<header>"):
                parts.append(f"<nav>{''.join(nav)}</nav></header>")
            parts.append(f'<section id="{e(b.anchor)}" class="{e(b.anchor)}"><h2>{e(b.text)}</h2>')
            open_section = True
        elif b.kind == "h":
            parts.append(f"<h{b.level}>{e(b.text)}</h{b.level}>")
        elif b.kind == "p":
            parts.append(f"<p>{e(b.text)}</p>")
        elif b.kind == "em":
            parts.append(f'<p class="small">{e(b.text)}</p>')
        elif b.kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in b.items) + "</ul>")
        elif b.kind == "table":
            parts.append(_html_table(b, lang, cur))
        elif b.kind == "chart":
            parts.append(f'<figure id="chart-{e(b.chart)}" role="img" aria-label="{e(b.text)}">'
                         f"{_svg_inline(svgs[b.chart], b.chart)}<figcaption>{e(b.text)}</figcaption></figure>")
        elif b.kind == "pre":
            parts.append(f"<pre>{e(b.text)}</pre>")
    if open_section:
        parts.append("</section>")
    title = e(analysis.model.name(lang))
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="decide {e(__version__)}">\n'
            f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(parts) + "\n</body>\n</html>\n")
