"""The report's table: one value type that every writer (CSV, JSON, xlsx, Markdown/HTML)
reads, with the sections it goes in and the kinds of its columns. The tables themselves are
built in :mod:`decide.report.tables` and :mod:`decide.report.award_tables`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np
import pandas as pd

from decide.jsonsafe import NUMBER_TYPES, number

__all__ = ["KINDS", "SECTIONS", "Table"]

#: Sections of the report, in order; each is a sheet of the workbook.
SECTIONS = ("summary", "weights", "scores", "ranking", "sensitivity", "portfolio", "award", "review", "provenance")

#: How a column's values are shown: ``text`` and ``id`` (strings), ``money`` (the model's
#: currency, no decimals), ``pct`` (a fraction shown as a percentage, 1 decimal), ``pct2``
#: (2 decimals), ``weight`` (3 decimals), ``score`` (4 decimals), ``number`` (2 decimals),
#: ``int`` and ``bool``.
KINDS = ("text", "id", "money", "pct", "pct2", "weight", "score", "number", "int", "bool")


def _plain(v: Any) -> Any:
    """A JSON-friendly cell: None for missing/NaN/inf, Python numbers, text for sequences."""
    if v is None or isinstance(v, NUMBER_TYPES):
        return number(v)
    if isinstance(v, (tuple, list, np.ndarray)):
        return ", ".join(str(_plain(x)) for x in v)
    if v is pd.NA or v is pd.NaT:
        return None
    return str(v)


@dataclass(frozen=True, eq=False)
class Table:
    """One table of the report.

    Attributes
    ----------
    key : str
        Stable name (``ranking``, ``portfolio_rules``): the CSV file name and the JSON key.
    section : str
        One of :data:`SECTIONS`: the sheet it goes on.
    title : str
        In the report's language.
    columns : tuple of str
        Headers in the report's language.
    rows : tuple of tuple
        Plain cell values (str, int, float, bool or None).
    kinds : tuple of str
        One of :data:`KINDS` per column.
    cell_kinds : mapping
        ``(row, column) -> kind`` where a cell differs from its column (key-value tables).
    note : str
        A sentence under the table (what the numbers mean), or "".
    """

    key: str
    section: str
    title: str
    columns: tuple
    rows: tuple
    kinds: tuple
    cell_kinds: Mapping = field(default_factory=dict)
    note: str = ""

    def kind(self, row: int, col: int) -> str:
        """The kind of one cell."""
        return self.cell_kinds.get((row, col), self.kinds[col])

    @property
    def frame(self) -> pd.DataFrame:
        """The table as a DataFrame (object columns; headers in the report's language)."""
        return pd.DataFrame(list(self.rows), columns=list(self.columns), dtype=object)

    def to_dict(self) -> dict:
        """``{"title", "columns", "kinds", "rows", "note"}`` for JSON."""
        return {"title": self.title, "columns": list(self.columns), "kinds": list(self.kinds),
                "rows": [list(r) for r in self.rows], "note": self.note}

    def __len__(self) -> int:
        return len(self.rows)


def _table(key: str, section: str, title: str, cols: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]],
           note: str = "", cell_kinds: Optional[Mapping] = None) -> Table:
    for _, kind in cols:
        if kind not in KINDS:
            raise ValueError(f"unknown column kind {kind!r}")
    clean = tuple(tuple(_plain(v) for v in r) for r in rows)
    for r in clean:
        if len(r) != len(cols):
            raise ValueError(f"table {key}: a row has {len(r)} cells for {len(cols)} columns")
    return Table(key, section, title, tuple(c for c, _ in cols), clean, tuple(k for _, k in cols),
                 dict(cell_kinds or {}), note)
