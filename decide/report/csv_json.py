"""CSV (one file per table) and JSON (everything, keyed by ids).

CSV format: two dialects (``decide report --csv-dialect``)
    ``excel-nl`` (the default for a Dutch report): ``;`` separator and a decimal comma, what
    Excel with a Dutch list separator opens correctly by double-click. ``rfc4180`` (the default
    for an English report, and the one for R, pandas or a BI tool): comma separator, decimal
    point. Both: CRLF line ends, no thousands separators, UTF-8 with a byte-order mark so Excel
    recognises the encoding of Dutch characters (``ë``, ``€``). Numbers are rounded to what
    they mean (money to cents, scores, weights and shares to 6 significant digits); the JSON
    keeps full precision. Headers are in the report's language, but the first column holds
    stable ids so files join across languages. Booleans are ``true``/``false``; empty cells
    are missing values.

    Injection: text cells a spreadsheet would evaluate (beginning with ``=``, ``+``, ``-``,
    ``@``, tab, carriage return) are prefixed with ``'`` (see :mod:`decide.report.safe_io`),
    and every text holding ``,``, ``;``, a quote, a tab or a line break is quoted, whichever
    the dialect: a label ``x;=1+1`` stays one text cell even when Excel splits on ``;``.

JSON
    ``Analysis.to_dict(lang)`` (every part keyed by ids), the report's texts (recommendation,
    robustness) and every table under ``"tables"``. NaN and infinities become ``null``;
    UTF-8 without BOM, keys in insertion order.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from decide.jsonsafe import NUMBER_TYPES, number
from decide.report.safe_io import escape_cell
from decide.report.tables import Table, decisive_text, recommendation, robustness

__all__ = ["CSV_DIALECTS", "DEFAULT_CSV_DIALECT", "csv_cell", "csv_dialect", "csv_number", "jsonable", "report_dict",
           "to_csv", "to_json"]


#: CSV dialects: ``rfc4180`` (comma, decimal point) and ``excel-nl`` (semicolon, decimal comma:
#: what Excel with a Dutch list separator opens by double-click).
CSV_DIALECTS = {"rfc4180": {"delimiter": ",", "decimal": "."}, "excel-nl": {"delimiter": ";", "decimal": ","}}
#: The dialect a report's CSV gets by default, per report language.
DEFAULT_CSV_DIALECT = {"nl": "excel-nl", "en": "rfc4180"}
#: Significant digits of a number in CSV (scores, weights, shares); money keeps cents.
CSV_DIGITS = 6
_QUOTE_IF = set(',;\t\r\n"')


def csv_dialect(dialect: Any, lang: str = "en") -> str:
    """The dialect name: ``dialect`` itself, or the language's default when None."""
    from decide.errors import DecideError, Message

    if dialect is None:
        return DEFAULT_CSV_DIALECT.get(lang, "rfc4180")
    if dialect not in CSV_DIALECTS:
        raise DecideError(Message("report.csv_dialect_unknown", allowed=", ".join(map(repr, CSV_DIALECTS)),
                                  value=repr(dialect)))
    return dialect


def csv_number(value: float, kind: str = "number", decimal: str = ".") -> str:
    """A number with the precision that means something: cents for money, else 6 significant digits.

    Never in exponent notation (a spreadsheet reads ``1e-07`` as text in some locales).
    """
    if not math.isfinite(value):
        return ""
    if kind == "money":
        text = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")
    elif kind == "int" and float(value).is_integer():
        text = str(int(value))
    else:
        text = np.format_float_positional(float(f"{value:.{CSV_DIGITS}g}"), trim="-")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", decimal)


def csv_cell(value: Any, kind: str = "number", decimal: str = ".") -> str:
    """One cell as CSV text: numbers rounded (see :func:`csv_number`), text escaped against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return csv_number(value, kind, decimal)
    return escape_cell(str(value))


def _field(text: str, number: bool, other: str = ";") -> str:
    """Quote a text that holds either separator, a quote or a line break (numbers never need it).

    A reader that splits on the *other* separator (``other``: Excel with a Dutch list separator
    opening a comma file splits on ``;``) does not see the quotes where a field starts mid-text,
    so a formula start right after that separator gets the ``'`` prefix too: ``x;=1+1`` is
    written ``"x;'=1+1"`` in a comma file, and neither reading evaluates it. Spaces and quotes
    between the separator and the formula start count as "right after": ``x;"=1+1`` is written
    ``"x;""'=1+1"``, because that reader takes the doubled quote for an empty quoted start and
    would otherwise read ``=1+1...`` as the cell.
    """
    if number:
        return text
    text = re.sub(rf"({re.escape(other)}[\s\"]*)(?=[=+\-@\t\r])", r"\1'", text)
    if not (_QUOTE_IF & set(text)):
        return text
    return '"' + text.replace('"', '""') + '"'


def to_csv(table: Table, dialect: str = "rfc4180") -> bytes:
    """The table as CSV bytes (UTF-8 with BOM, CRLF) in ``dialect`` (see :data:`CSV_DIALECTS`)."""
    spec = CSV_DIALECTS[dialect]
    sep, dec = spec["delimiter"], spec["decimal"]
    other = ";" if sep == "," else ","
    lines = [sep.join(_field(csv_cell(c), False, other) for c in table.columns)]
    for r, row in enumerate(table.rows):
        cells = []
        for c, v in enumerate(row):
            number = isinstance(v, (int, float)) and not isinstance(v, bool)
            cells.append(_field(csv_cell(v, table.kind(r, c), dec), number, other))
        lines.append(sep.join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def jsonable(obj: Any) -> Any:
    """A JSON-safe copy: str keys, lists for tuples/arrays, Python numbers, None for NaN/inf."""
    if isinstance(obj, Mapping):
        return {str(k) if not isinstance(k, str) else k: jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, pd.Series):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, pd.DataFrame):
        return [jsonable(r) for r in obj.reset_index().to_dict(orient="records")]
    if obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, NUMBER_TYPES):
        return number(obj)
    if isinstance(obj, (_dt.datetime, _dt.date, pd.Timestamp)):
        return obj.isoformat()
    try:
        if pd.isna(obj):
            return None
    except (TypeError, ValueError):
        pass
    value = getattr(obj, "value", None)  # enums (Status)
    if isinstance(value, (str, int, float)):
        return value
    return str(obj)


def report_dict(analysis: Any, tables: Mapping[str, Table], lang: str) -> dict:
    """Everything for the JSON export, keyed by ids."""
    data = analysis.to_dict(lang)
    if analysis.allocation is not None:
        data["allocation"] = analysis.allocation.to_dict(lang)
    head = {
        "report": {
            "language": lang,
            "title": analysis.model.name(lang),
            "recommendation": recommendation(analysis, lang),
            "winner": analysis.winner(),
            "robustness": robustness(analysis, lang),
            "decisive": decisive_text(analysis, lang),
        }
    }
    out = {**head, **data}
    out["tables"] = {k: t.to_dict() for k, t in tables.items()}
    return jsonable(out)


def to_json(analysis: Any, tables: Mapping[str, Table], lang: str) -> bytes:
    """The JSON export as UTF-8 bytes (indented, NaN as null)."""
    text = json.dumps(report_dict(analysis, tables, lang), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")
