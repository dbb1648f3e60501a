"""The Excel workbook (openpyxl): one sheet per report section.

Sheets, in order (names from ``report.yaml``, at most 31 characters): Samenvatting/Summary,
Gewichten/Weights, Scores, Rangorde/Ranking, Gevoeligheid/Sensitivity,
Portefeuille/Portfolio, Toets/Review, Herkomst/Provenance; a section without tables (a
ranking-only model has no portfolio) has no sheet. The tables of a section are stacked, each
with a bold title, a header row and a note; the first table's header is frozen.

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

from decide import __version__
from decide.report.safe_io import escape_cell
from decide.report.tables import SECTIONS, Table, tr

__all__ = ["NUMBER_FORMATS", "number_format", "sheet_name", "sheet_titles", "to_xlsx"]

NUMBER_FORMATS = {
    "pct": "0.0%",
    "pct2": "0.00%",
    "weight": "0.000",
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


def to_xlsx(tables: Mapping[str, Table], lang: str, *, title: str = "", currency: str = "EUR") -> bytes:
    """The workbook as bytes.

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

    for section in SECTIONS:
        stack = by_section.get(section) or []
        if not stack:
            continue
        ws = wb.create_sheet(sheet_name(section, lang))
        widths: dict[int, int] = {}
        row = 1
        for k, t in enumerate(stack):
            _put(ws, row, 1, t.title).font = title_font
            row += 1
            if k == 0:
                ws.freeze_panes = ws.cell(row=row + 1, column=1)
            for c, name in enumerate(t.columns, start=1):
                cell = _put(ws, row, c, name)
                cell.font, cell.fill, cell.alignment = head_font, head_fill, wrap
                cell.border = Border(bottom=thin)
                widths[c] = max(widths.get(c, 0), min(max(len(w) for w in str(name).split()) + 2, MAX_WIDTH))
            row += 1
            for r, values in enumerate(t.rows):
                for c, value in enumerate(values, start=1):
                    kind = t.kind(r, c - 1)
                    cell = _put(ws, row, c, value, number_format(kind, currency))
                    width = _display_width(value, kind)
                    if width > MAX_WIDTH:
                        cell.alignment = wrap
                    widths[c] = max(widths.get(c, 0), min(width + 2, MAX_WIDTH))
                row += 1
            if t.note:
                _put(ws, row, 1, t.note).font = note_font
                row += 1
            row += 1
        for c, w in widths.items():
            ws.column_dimensions[_col(c)].width = max(w, 8)
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = "1:2"
    if not wb.sheetnames:
        wb.create_sheet(sheet_name("summary", lang))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _col(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c)


def sheet_titles(lang: str) -> Sequence[str]:
    """All possible sheet names in ``lang``, in order."""
    return [sheet_name(s, lang) for s in SECTIONS]
