"""The Excel workbook (openpyxl): one table per sheet.

Sheets follow the report's sections (Samenvatting/Summary, Gewichten/Weights, Scores,
Rangorde/Ranking, Gevoeligheid/Sensitivity, Portefeuille/Portfolio, Toets/Review,
Herkomst/Provenance): the first table of a section takes the section's name, the others
their own short name (names from ``report.yaml``, at most 31 characters); a section without
tables (a ranking-only model has no portfolio) has no sheet. Each sheet holds one table: a
bold title, a frozen header row with an autofilter, the rows, and the note. The ranking and
the efficient frontier carry native Excel charts (they stay live when a user edits the data).

Cells hold real values: numbers stay numbers with a number format (euros, percentages,
weights), booleans are Excel booleans, missing values are empty cells (never NaN, which
Excel reports as a damaged file). No formulas are written: a text that begins with ``=``,
``+``, ``-``, ``@``, tab or carriage return gets a leading ``'`` and is stored as a string.
Control characters that XML cannot hold are removed; texts are cut at Excel's 32 767
characters.
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from decide._version import __version__
from decide.report.safe_io import escape_cell
from decide.report.tables import SECTIONS, Table, tr

__all__ = ["NUMBER_FORMATS", "number_format", "sheet_name", "sheet_titles", "table_sheet_name", "to_xlsx"]

NUMBER_FORMATS = {
    "pct": "0.0%",
    "pct2": "0.00%",
    "weight": "0.0%",  # weights are percentages everywhere a person reads them
    "score": "0.0000",
    "number": "#,##0.00",
    "int": "0",
}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
MAX_TEXT = 32_767
MAX_WIDTH = 60
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def number_format(kind: str, currency: str = "EUR") -> str | None:
    """The Excel number format of a column kind (None for text)."""
    if kind == "money":
        sym = _SYMBOLS.get(currency, currency)
        return f'"{sym} "#,##0;-"{sym} "#,##0'
    return NUMBER_FORMATS.get(kind)


def sheet_name(section: str, lang: str) -> str:
    """The sheet's name in ``lang``: no ``[]:*?/\\``, at most 31 characters."""
    return _BAD_SHEET.sub("-", tr(f"sheet.{section}", lang))[:31]


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > MAX_TEXT:
        value = value[: MAX_TEXT - 1] + "…"
    return value


def _formula_like(value: str) -> bool:
    return escape_cell(value) != value


def _put(ws, row: int, col: int, value: Any, fmt: str | None = None):
    """Write one cell as a value, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = _text(value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise read a leading "=" as a formula
        if _formula_like(text):
            # Excel's own way to keep "=..." as text: the quote prefix is a cell style, so the
            # reader sees the exact label and no spreadsheet ever evaluates it
            cell.quotePrefix = True
    else:
        cell.value = value
        if fmt and value is not None and not isinstance(value, bool):
            cell.number_format = fmt
    return cell


def _display_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.splitlines()), default=0)
    if kind == "money":
        return len(f"{value:,.0f}") + 3
    if kind in ("pct", "pct2"):
        return 8
    if isinstance(value, bool):
        return 6
    return min(len(f"{value:,.4f}"), 16)


def table_sheet_name(t: Table, first_of_section: bool, lang: str) -> str:
    """The sheet of one table: the section's name for its first table, else the table's own."""
    key = f"sheet.{t.section}" if first_of_section else f"sheet.{t.key}"
    try:
        name = tr(key, lang)
    except KeyError:
        name = t.title
    return _BAD_SHEET.sub("-", name)[:31]


def to_xlsx(tables: Mapping[str, Table], lang: str, *, title: str = "", currency: str = "EUR") -> bytes:
    """The workbook as bytes: one table per sheet.

    Each sheet has the table's title in row 1, the header in row 2 (frozen, with an
    autofilter over the table) and the rows below; the table's note follows after one empty
    row. The ranking and the efficient frontier also get a native Excel chart of their data.

    Parameters
    ----------
    tables : mapping of key -> Table
        From :func:`decide.report.tables.build_tables`.
    lang : {"nl", "en"}
        The language of the sheet names.
    title : str
        The workbook's title property.
    currency : str
        For the money number format.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = f"decide {__version__}"
    wb.properties.title = escape_cell(_text(title))[:255] if title else None
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DCE6F0")
    title_font = Font(bold=True, size=12)
    note_font = Font(italic=True, color="555555")
    thin = Side(style="thin", color="9AA5B1")
    wrap = Alignment(wrap_text=True, vertical="top")

    by_section: dict[str, list[Table]] = {s: [] for s in SECTIONS}
    for t in tables.values():
        by_section.setdefault(t.section, []).append(t)

    used: set[str] = set()
    for section in SECTIONS:
        for k, t in enumerate(by_section.get(section) or []):
            name = table_sheet_name(t, k == 0, lang)
            base, n = name, 2
            while name.lower() in used:
                name = f"{base[:27]} ({n})"
                n += 1
            used.add(name.lower())
            ws = wb.create_sheet(name)
            widths: dict[int, int] = {}
            _put(ws, 1, 1, t.title).font = title_font
            ws.freeze_panes = "A3"
            for c, col in enumerate(t.columns, start=1):
                cell = _put(ws, 2, c, col)
                cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
                cell.border = Border(bottom=thin)
                widths[c] = max(widths.get(c, 0), min(max(len(w) for w in str(col).split()) + 2, MAX_WIDTH))
            for r, values in enumerate(t.rows):
                for c, value in enumerate(values, start=1):
                    kind = t.kind(r, c - 1)
                    cell = _put(ws, r + 3, c, value, number_format(kind, currency))
                    width = _display_width(value, kind)
                    if width > MAX_WIDTH:
                        cell.alignment = wrap
                    widths[c] = max(widths.get(c, 0), min(width + 2, MAX_WIDTH))
            last = 2 + len(t.rows)
            if t.columns:
                ws.auto_filter.ref = f"A2:{_col(len(t.columns))}{max(last, 2)}"
            if t.note:
                _put(ws, last + 2, 1, t.note).font = note_font
            for c, w in widths.items():
                ws.column_dimensions[_col(c)].width = max(w, 8)
            ws.page_setup.orientation = "landscape"
            ws.page_setup.paperSize = ws.PAPERSIZE_A4
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            ws.page_setup.fitToWidth = 1
            ws.page_setup.fitToHeight = 0
            ws.print_title_rows = "1:2"
            chart = _CHARTS.get(t.key)
            if chart is not None and t.rows:
                chart(ws, t, lang, last)
    if not wb.sheetnames:
        wb.create_sheet(sheet_name("summary", lang))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _column(t: Table, *kinds: str, after: int = -1) -> int | None:
    """The first column (0-based, after ``after``) of one of ``kinds``."""
    return next((c for c, k in enumerate(t.kinds) if c > after and k in kinds), None)


def _ranking_chart(ws, t: Table, lang: str, last: int) -> None:
    """A bar chart of the ranking's scores, options in rank order (native Excel chart)."""
    from openpyxl.chart import BarChart, Reference

    name = _column(t, "text")
    score = _column(t, "score")
    if name is None or score is None:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    method = t.title[t.title.find("(") + 1:t.title.rfind(")")] if "(" in t.title else ""
    chart.title = tr("chart.xlsx_ranking", lang, method=method)
    chart.y_axis.title = t.columns[score]
    chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
    chart.legend = None
    chart.add_data(Reference(ws, min_col=score + 1, min_row=2, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=name + 1, min_row=3, max_row=last))
    chart.height = max(7.5, 0.8 * len(t.rows) + 3)
    chart.width = 22
    ws.add_chart(chart, f"{_col(len(t.columns) + 2)}2")


def _frontier_chart(ws, t: Table, lang: str, last: int) -> None:
    """Value against TCO along the efficient frontier (native Excel scatter chart)."""
    from openpyxl.chart import Reference, ScatterChart, Series

    value = _column(t, "number", "score")
    money = [c for c, k in enumerate(t.kinds) if k == "money"]
    if value is None or len(money) < 2:
        return
    tco = money[1]  # budget first, then the portfolio's TCO
    chart = ScatterChart()
    chart.title = tr("chart.xlsx_frontier", lang)
    chart.style = 13
    chart.x_axis.title = t.columns[tco]
    chart.y_axis.title = t.columns[value]
    chart.legend = None
    xs = Reference(ws, min_col=tco + 1, min_row=3, max_row=last)
    ys = Reference(ws, min_col=value + 1, min_row=3, max_row=last)
    series = Series(ys, xs, title=t.columns[value])
    series.marker.symbol = "circle"
    chart.series.append(series)
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"{_col(len(t.columns) + 2)}2")


_CHARTS = {"ranking": _ranking_chart, "portfolio_frontier": _frontier_chart}


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def sheet_titles(lang: str) -> Sequence[str]:
    """All possible sheet names in ``lang``, in order."""
    return [sheet_name(s, lang) for s in SECTIONS]
