"""CSV (one file per table) and JSON (everything, keyed by ids).

CSV format (the same for both languages, on purpose)
    RFC 4180: comma separator, ``"`` quoting where needed, CRLF line ends, a point as the
    decimal mark and full precision (``0.8301522173658775``), no thousands separators;
    UTF-8 with a byte-order mark so Excel recognises the encoding of Dutch characters
    (``ë``, ``€``). Headers are in the report's language, but the first column holds stable
    ids so files join across languages. Booleans are ``true``/``false``; empty cells are
    missing values.

    Why not ``;`` and a decimal comma for Dutch? A CSV is the machine-readable export: a
    file whose number format follows the report language would parse differently in R,
    pandas or a BI tool depending on who wrote it. Excel in a Dutch locale does expect
    ``;`` and a decimal comma when a CSV is double-clicked, so for Excel use the ``.xlsx``
    (real numbers, formatted by Excel in the reader's own locale), or import the CSV with
    *Data > From Text/CSV* and choose comma / point.

    Text cells a spreadsheet would evaluate (beginning with ``=``, ``+``, ``-``, ``@``, tab,
    carriage return) are prefixed with ``'`` (see :mod:`decide.report.safe_io`).

JSON
    ``Analysis.to_dict(lang)`` (every part keyed by ids), the report's texts (recommendation,
    robustness) and every table under ``"tables"``. NaN and infinities become ``null``;
    UTF-8 without BOM, keys in insertion order.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from decide.report.safe_io import escape_cell
from decide.report.tables import Table, decisive_text, recommendation, robustness

__all__ = ["csv_cell", "jsonable", "report_dict", "to_csv", "to_json"]


def csv_cell(value: Any) -> str:
    """One cell as CSV text: numbers in full precision with a point, text escaped against formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return escape_cell(str(value))


def to_csv(table: Table) -> bytes:
    """The table as RFC 4180 CSV bytes (UTF-8 with BOM)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=",", quotechar='"', lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow([csv_cell(c) for c in table.columns])
    for row in table.rows:
        w.writerow([csv_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")


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
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        f = float(obj)
        return f if math.isfinite(f) else None
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
