"""Cell values in and out of a workbook: never a formula out, never a formula evaluated in.

Writing
    :func:`put` writes text as a text cell; a text a spreadsheet would evaluate (``=``, ``+``,
    ``-``, ``@``, tab, carriage return) gets Excel's quote prefix, a cell style, so it stays
    exactly that text (formula injection stays closed; the reader sees the exact text back).

Reading
    :func:`read_cell` turns one cell into a value of the column's *kind* and reports what it
    cannot read with the cell's place: a formula (workbooks are read, never evaluated), an error
    value such as ``#N/A``, a date where Excel turned ``1/3`` into the 3rd of January, a number
    stored as text (read as the number, Dutch ``2,5`` and ``1.234.567,89`` included; ``250.000``
    alone is ambiguous and refused).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Optional

import yaml

from decide.report.safe_io import is_formula_like

#: Column kinds: how a cell's text is read and a value is written. ``flag`` is true/false or a
#: text (a best practice of the strategy: ``true``, or a text saying how it is done).
KINDS = ("text", "number", "bool", "list", "yaml", "score", "flag")

_TRUE = {"true", "waar", "ja", "yes", "j", "y", "1", "x"}
_FALSE = {"false", "onwaar", "nee", "no", "n", "0"}
_NUM_EN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM_NL = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+,\d+$")
_NUM_GROUPED_EN = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_AMBIGUOUS = re.compile(r"^[+-]?\d{1,3}[.,]\d{3}$")
_BOOL_FORMULA = re.compile(r"^=\s*(TRUE|FALSE)\s*(\(\s*\))?\s*$", re.IGNORECASE)
_CURRENCY = re.compile(r"^(€|EUR|\$|£)\s*|\s*(€|EUR)$")


class CellProblem(Exception):
    """A cell that cannot be read: ``code`` and the catalogue key's placeholders."""

    def __init__(self, code: str, **fields: Any):
        super().__init__(code)
        self.code = code
        self.fields = fields


# --------------------------------------------------------------------------- writing
def yaml_text(value: Any) -> str:
    """One value as a single line of YAML (flow style) that reads back as exactly that value."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**9)
    text = text.strip()
    if text.endswith("\n..."):
        text = text[: -len("\n...")]
    if text.endswith("..."):
        text = text[: -len("...")].strip()
    return text


def plain_list(value: Any) -> Optional[str]:
    """``[a, b]`` of plain words as ``a, b``; None when a list of this kind needs YAML."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    if any(("," in v) or v != v.strip() or not v or v.startswith(("[", "{")) for v in value):
        return None
    return ", ".join(value)


def quoted(text: str) -> str:
    """A text as a double-quoted YAML string (it reads back as exactly that text)."""
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10**9).strip()


def to_cell(value: Any, kind: str) -> Any:
    """The cell value that writes ``value`` in a column of ``kind`` (None leaves the cell empty)."""
    if value is None:
        return "null" if kind == "yaml" else None
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and float(f"{value:.16g}") != value:
        return repr(value)  # the file keeps 16 significant digits; this number needs 17, as text it is exact
    if isinstance(value, (int, float)):
        return value
    if kind == "list":
        flat = plain_list(value)
        return flat if flat is not None else yaml_text(value)
    if isinstance(value, str):
        if kind in ("yaml",):
            return yaml_text(value)
        if kind in ("number", "score") and (_number(value) is not None or value.strip().startswith(("[", "{"))):
            return yaml_text(value)  # a text that would read back as a number or a range: quote it
        if kind == "score" and value != value.strip():
            return yaml_text(value)
        if kind == "flag" and (value != value.strip() or not value or value.lower() in _TRUE | _FALSE
                               or value.startswith(("'", '"'))):
            return quoted(value)  # a text that would read back as true/false or lose its spaces
        return value
    return yaml_text(value)


def put(ws, row: int, col: int, value: Any):
    """Write one cell as a value, never as a formula."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # openpyxl would otherwise take a leading "=" for a formula
        if is_formula_like(value):
            cell.quotePrefix = True  # Excel's own marker: this text is text
    else:
        cell.value = value
    return cell


# --------------------------------------------------------------------------- reading
def _number(text: str) -> Optional[float | int]:
    """A number written as text (``250000``, ``0.0225``, ``0,0225``, ``1.234.567,89``, ``€ 5``)."""
    t = _CURRENCY.sub("", text.strip()).replace("\u00a0", " ").replace(" ", "")
    if not t:
        return None
    if _AMBIGUOUS.match(t) and not t.startswith(("0", "-0", "+0")):
        raise CellProblem("ambiguous-number", got=text)
    if _NUM_EN.match(t):
        v, fraction = float(t), bool(re.search(r"[.eE]", t))
    elif _NUM_NL.match(t):
        v, fraction = float(t.replace(".", "").replace(",", ".")), "," in t
    elif _NUM_GROUPED_EN.match(t):
        v, fraction = float(t.replace(",", "")), "." in t
    else:
        return None
    if not math.isfinite(v):
        return None
    return int(v) if v.is_integer() and not fraction else v


def number_text(text: str) -> Optional[float | int]:
    """Public form of the number-as-text reader (None when ``text`` is no number)."""
    return _number(text)


def _yaml(text: str) -> Any:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CellProblem("yaml-cell", got=text, what=what) from None
    if isinstance(value, str) and value == text.strip():
        num = _number(value)
        if num is not None:
            return num
    if isinstance(value, (_dt.date, _dt.datetime)):
        return text.strip()
    return value


def raw(cell) -> Any:
    """A cell's stored value, refusing formulas, error values and dates."""
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f" and isinstance(value, str):
        constant = _BOOL_FORMULA.match(value)
        if constant:  # LibreOffice stores TRUE and FALSE as the formulas =TRUE() and =FALSE()
            return constant.group(1).upper() == "TRUE"
    if cell.data_type == "f" or type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        shown = value if isinstance(value, str) else getattr(value, "text", "") or "="
        raise CellProblem("formula", got=str(shown))
    if cell.data_type == "e":
        raise CellProblem("error-value", got=str(value))
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        raise CellProblem("date", got=str(value))
    if isinstance(value, str):
        if not value.strip():
            return None
    if isinstance(value, float) and not math.isfinite(value):
        raise CellProblem("error-value", got=str(value))
    return value


def read_cell(cell, kind: str) -> Any:
    """The value of one cell in a column of ``kind``; None for an empty cell.

    Raises
    ------
    CellProblem
        For a formula, an error value, a date, an ambiguous number or unreadable YAML.
    """
    value = raw(cell)
    if value is None:
        return None
    if kind == "text":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip() if isinstance(value, str) else str(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)  # LibreOffice and some exports store TRUE/FALSE as 1/0
        word = str(value).strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise CellProblem("not-bool", got=str(value))
    if kind == "flag":
        return _flag(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if kind == "list":
            return [str(int(value)) if float(value).is_integer() else str(value)]
        return value
    text = value.strip()
    if kind == "list":
        if text.startswith("["):
            return _yaml(text)
        return [part.strip() for part in text.split(",") if part.strip()]
    if kind in ("number", "score"):
        if text.startswith(("[", "{", "'", '"')):
            return _yaml(text)
        num = _number(text)
        if num is not None:
            return num
        return text  # a scale level, or a wrong value the validation reports with its place
    return _yaml(text)  # kind == "yaml"


def _flag(value: Any) -> Any:
    """True/false or a text: a boolean cell, 1/0 or a yes/no word is a boolean, other text is text.

    A text in double or single quotes is read as a quoted YAML string (how decide writes a text
    that would otherwise read as true/false); quoted text YAML cannot read stays as typed.
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)  # LibreOffice and some exports store TRUE/FALSE as 1/0
        return str(int(value)) if float(value).is_integer() else str(value)
    text = value.strip()
    if text.startswith(("'", '"')):
        try:
            unquoted = yaml.safe_load(text)
        except yaml.YAMLError:
            return text
        return unquoted if isinstance(unquoted, str) else text
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return text
