"""Reading a model workbook back into model data, validated like a model file.

:func:`read_workbook` reads every sheet of :mod:`decide.workbook.layout` into the model file's
data and remembers, for every key path it fills, the cell it came from. :func:`import_workbook`
then runs decide's own model validation on that data and reports every problem at once, each at
its place in the workbook (``model.xlsx!Scores!D7: ...``): the sheet's own problems (a formula, a
merged range, an unknown sheet, a date where a number belongs) and the validation's, in one
:class:`~decide.errors.ModelError`. Nothing in a workbook is evaluated: a formula is an error.
"""
from __future__ import annotations

import difflib
import typing
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from decide.errors import ModelError, Problem
from decide.i18n import t
from decide.workbook.cells import CellProblem, read_cell
from decide.workbook.layout import (PARENT, PLAIN_TABLES, SHEETS, TABLES, all_sheet_names, format_path, parse_path, path_kind,
                                    sheet_key)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# the columns each table must have, for a row to be read at all
_REQUIRED = {"criteria": ("id",), "options": ("id",), "modules": ("id",), "suppliers": ("id",)}


@dataclass
class Reading:
    """What a workbook gave: the model data, the cell of every key path, and the problems."""

    file: str
    lang: str
    data: dict = field(default_factory=dict)
    cells: dict[str, str] = field(default_factory=dict)  # "alternatives[2].costs.once" -> "Opties!G4"
    problems: list[Problem] = field(default_factory=list)

    def problem(self, code: str, where: Optional[str], key: str, **fields: Any) -> None:
        place = f"{self.file}!{where}" if where else self.file
        self.problems.append(Problem(code, "", t(f"workbook.{key}", self.lang, **fields), None, place))

    def cell_problem(self, exc: CellProblem, where: str) -> None:
        self.problem(exc.code, where, exc.code.replace("-", "_"), **exc.fields)

    def record(self, loc: tuple, where: str) -> None:
        self.cells[format_path(loc)] = where

    def read_into(self, target: dict, key: str, cell, kind: str, where: str, loc: tuple) -> None:
        """Read ``cell`` as ``kind`` into ``target[key]`` (left out when empty), report a bad cell
        at ``where``, and record that ``loc`` of the model lives there."""
        try:
            value = read_cell(cell, kind)
        except CellProblem as exc:
            self.cell_problem(exc, where)
            value = None
        if value is not None:
            target[key] = value
        self.record(loc, where)

    def place(self, loc: str) -> Optional[str]:
        """The cell of a location, or of the nearest enclosing location that has one."""
        while loc:
            if loc in self.cells:
                return self.cells[loc]
            cut = max(loc.rfind("."), loc.rfind("["))
            if cut <= 0:
                break
            loc = loc[:cut]
        return self.cells.get(loc)


def _where(ws, cell) -> str:
    return f"{ws.title}!{cell.coordinate}"


_MAX_INDEX_GAP = 1000  # a key path may not make a list longer than this beyond what it holds


def _set(reading: Reading, target: dict, path: tuple, value: Any, where: str, column: str) -> bool:
    """Put ``value`` at ``path`` in ``target``, creating mappings and lists on the way.

    A path that runs into a value of another shape (``label`` filled and ``label.nl`` too, a list
    index on a mapping, ``alternatives.x`` on the options list) is a located conflict.
    """
    d: Any = target
    steps = list(path)
    for k, part in enumerate(steps):
        last = k == len(steps) - 1
        if isinstance(d, list):
            if not isinstance(part, int) or part > len(d) + _MAX_INDEX_GAP:
                reading.problem("conflict", where, "conflict", column=column)
                return False
            while len(d) <= part:
                d.append({})
        elif not isinstance(d, dict) or isinstance(part, int):
            reading.problem("conflict", where, "conflict", column=column)
            return False
        if last:
            break
        nxt = steps[k + 1]
        if isinstance(d, dict) and part not in d:
            d[part] = [] if isinstance(nxt, int) else {}
        if not isinstance(d[part], (dict, list)):
            reading.problem("conflict", where, "conflict", column=column)
            return False
        d = d[part]
    last = steps[-1]
    if isinstance(d, list):
        if d[last] == {} or d[last] is None:
            d[last] = value
            return True
        if isinstance(d[last], dict) and isinstance(value, dict):
            d[last].update(value)
            return True
        reading.problem("conflict", where, "conflict", column=column)
        return False
    if last in d:
        if isinstance(d[last], dict) and isinstance(value, dict):
            d[last].update(value)
            return True
        reading.problem("conflict", where, "conflict", column=column)
        return False
    d[last] = value
    return True


def _is_info(header: Any) -> bool:
    return isinstance(header, str) and header.strip().startswith("(")


def rows_of(ws) -> list[tuple]:
    """The sheet's rows as tuples of the cells the file holds, in order.

    Not ``ws.iter_rows()``: that fills every row up to the sheet's dimension, and a sheet saved by
    LibreOffice or formatted down to row 1 048 576 would become millions of empty cells.
    """
    by_row: dict[int, list] = {}
    for (r, _c), cell in sorted(ws._cells.items()):
        by_row.setdefault(r, []).append(cell)
    return [tuple(cells) for _, cells in sorted(by_row.items())]


_rows = rows_of


def _empty(cell) -> bool:
    v = cell.value
    return v is None or (isinstance(v, str) and not v.strip())


def _header(reading: Reading, ws, rows, expected: list[str]):
    """The first filled row as {column index: header}, with problems for duplicates."""
    for r, row in enumerate(rows):
        if any(not _empty(c) for c in row):
            heads: dict[int, str] = {}
            seen: dict[str, str] = {}
            for c in row:
                if _empty(c) or _is_info(c.value):
                    continue
                text = str(c.value).strip()
                if text in seen:
                    reading.problem("duplicate-column", _where(ws, c), "duplicate_column", column=text,
                                    other=seen[text])
                    continue
                seen[text] = c.coordinate
                heads[c.column] = text
            return r, heads
    if expected:
        reading.problem("no-header", f"{ws.title}!A1", "no_header", columns=", ".join(expected[:4]))
    return None, {}


# --------------------------------------------------------------------------- table sheets
def _read_table(reading: Reading, ws, key: str) -> tuple[list[dict], list[dict]]:
    """Rows of a table sheet as items, plus per row {column path: cell place} and the row."""
    base = TABLES[key][0]
    rows = _rows(ws)
    required = list(_REQUIRED.get(key, ()))
    h, heads = _header(reading, ws, rows, required or ["id"])
    if h is None:
        return [], []
    columns: dict[int, tuple] = {}
    for col, text in heads.items():
        path = parse_path(text.lower()) if "[" not in text else None
        if path is None:
            known = [".".join(c.path) for c in _known_columns(key)]
            near = difflib.get_close_matches(text.lower(), known, n=1)
            hint = t("workbook.did_you_mean", reading.lang, name=near[0]) if near else ""
            reading.problem("bad-column", f"{ws.title}!{ws.cell(row=rows[h][0].row, column=col).coordinate}",
                            "bad_column", column=text, hint=hint)
            continue
        columns[col] = path
    for name in required:
        if (name,) not in columns.values():
            reading.problem("column-missing", f"{ws.title}!{rows[h][0].coordinate}", "column_missing", column=name)
            return [], []
    kinds = {col: "text" if path == (PARENT,) else path_kind(base + (0,) + path) for col, path in columns.items()}
    items, meta = [], []
    for row in rows[h + 1:]:
        cells = {c.column: c for c in row if c.column in columns}
        if all(_empty(c) for c in cells.values()):
            continue
        item: dict = {}
        places: dict = {"_row": row[0].row}
        for col, path in columns.items():
            cell = cells.get(col) or ws.cell(row=row[0].row, column=col)
            where = _where(ws, cell)
            places[path] = where
            if _empty(cell):
                if path in [(r,) for r in required]:
                    reading.problem("required-empty", where, "required_empty", column=".".join(path))
                continue
            try:
                value = read_cell(cell, kinds[col])
            except CellProblem as exc:
                reading.cell_problem(exc, where)
                continue
            _set(reading, item, path, value, where, ".".join(path))
        items.append(item)
        meta.append(places)
    return items, meta


def _known_columns(key: str):
    from decide.workbook.layout import SKIP, Column, schema_columns

    cols = schema_columns(TABLES[key][1], SKIP.get(key, set()))
    extra = [Column((c.path[0], lang), "text") for c in cols if c.label_group for lang in ("nl", "en")]
    return cols + extra + ([Column((PARENT,), "text")] if key == "criteria" else [])


def _record_rows(reading: Reading, base: tuple, meta: list[dict]) -> None:
    for i, places in enumerate(meta):
        first = next((w for p, w in places.items() if p != "_row"), None)
        if first:
            reading.record(base + (i,), first)
        for path, where in places.items():
            if path != "_row":
                reading.record(base + (i,) + path, where)


def _criteria_tree(reading: Reading, ws, items: list[dict], meta: list[dict]) -> list[dict]:
    ids = [it.get("id") for it in items]
    nodes = []
    for it in items:
        node = {k: v for k, v in it.items() if k != PARENT}
        nodes.append(node)
    parent_of: dict[int, Optional[int]] = {}
    for i, it in enumerate(items):
        p = it.get(PARENT)
        if p is None:
            parent_of[i] = None
        elif p in ids:
            parent_of[i] = ids.index(p)
        else:
            near = difflib.get_close_matches(str(p), [str(x) for x in ids if x is not None], n=1)
            hint = t("workbook.did_you_mean", reading.lang, name=near[0]) if near else ""
            reading.problem("unknown-parent", meta[i].get((PARENT,)), "unknown_parent", parent=p, hint=hint)
            parent_of[i] = None
    for i in range(len(items)):  # a cycle would hang the tree: cut it at the first repeat
        seen, j = set(), i
        while parent_of.get(j) is not None:
            if j in seen:
                reading.problem("parent-cycle", meta[i].get((PARENT,)), "parent_cycle", id=ids[i])
                parent_of[i] = None
                break
            seen.add(j)
            j = parent_of[j]
    top: list[dict] = []
    locs: dict[int, tuple] = {}

    def place(i: int) -> tuple:
        if i in locs:
            return locs[i]
        p = parent_of[i]
        if p is None:
            top.append(nodes[i])
            locs[i] = ("criteria", len(top) - 1)
        else:
            parent_loc = place(p)
            kids = nodes[p].setdefault("children", [])
            kids.append(nodes[i])
            locs[i] = parent_loc + ("children", len(kids) - 1)
        return locs[i]

    order = sorted(range(len(items)), key=lambda i: (_depth(i, parent_of), i))
    for i in order:
        place(i)
    for i, places in enumerate(meta):
        loc = locs[i]
        first = places.get(("id",))
        if first:
            reading.record(loc, first)
        for path, where in places.items():
            if path not in ("_row", (PARENT,)):
                reading.record(loc + path, where)
    return top


def _depth(i: int, parent_of: dict) -> int:
    d, j, guard = 0, i, 0
    while parent_of.get(j) is not None and guard < 1000:
        j = parent_of[j]
        d += 1
        guard += 1
    return d


# --------------------------------------------------------------------------- special sheets
def _read_scores(reading: Reading, ws, alternatives: list[dict], options_sheet: str) -> None:
    rows = _rows(ws)
    h, heads = _header(reading, ws, rows, ["id"])
    if h is None:
        return
    id_col = next((c for c, text in heads.items() if text.lower() == "id"), None)
    if id_col is None:
        reading.problem("column-missing", f"{ws.title}!{rows[h][0].coordinate}", "column_missing", column="id")
        return
    index = {}
    for i, a in enumerate(alternatives):
        if isinstance(a.get("id"), str):
            index.setdefault(a["id"], i)
    seen: dict[str, int] = {}
    for row in rows[h + 1:]:
        cells = {c.column: c for c in row if c.column in heads}
        if all(_empty(c) for c in cells.values()):
            continue
        id_cell = cells.get(id_col) or ws.cell(row=row[0].row, column=id_col)
        try:
            aid = read_cell(id_cell, "text")
        except CellProblem as exc:
            reading.cell_problem(exc, _where(ws, id_cell))
            continue
        if aid is None:
            reading.problem("required-empty", _where(ws, id_cell), "required_empty", column="id")
            continue
        if aid not in index:
            near = difflib.get_close_matches(aid, list(index), n=1)
            hint = t("workbook.did_you_mean", reading.lang, name=near[0]) if near else ""
            reading.problem("unknown-option-row", _where(ws, id_cell), "unknown_option_row", id=aid,
                            sheet=options_sheet, hint=hint)
            continue
        if aid in seen:
            reading.problem("duplicate-row", _where(ws, id_cell), "duplicate_row", id=aid, other=seen[aid])
            continue
        seen[aid] = row[0].row
        i = index[aid]
        scores = alternatives[i].setdefault("scores", {})
        for col, cid in heads.items():
            if col == id_col:
                continue
            cell = cells.get(col) or ws.cell(row=row[0].row, column=col)
            where = _where(ws, cell)
            reading.record(("alternatives", i, "scores", cid), where)
            if _empty(cell):
                continue
            try:
                scores[cid] = read_cell(cell, "score")
            except CellProblem as exc:
                reading.cell_problem(exc, where)
        reading.record(("alternatives", i, "scores"), _where(ws, id_cell))


def _read_weights(reading: Reading, ws) -> Optional[dict]:
    rows = _rows(ws)
    h, heads = _header(reading, ws, rows, [])
    if h is None:
        return None
    cols = {text.lower(): c for c, text in heads.items()}
    for name in ("criterion", "weight"):
        if name not in cols:
            reading.problem("column-missing", f"{ws.title}!{rows[h][0].coordinate}", "column_missing", column=name)
            return None
    out: dict = {}
    seen: dict = {}
    for row in rows[h + 1:]:
        by = {c.column: c for c in row}
        ccell = by.get(cols["criterion"]) or ws.cell(row=row[0].row, column=cols["criterion"])
        wcell = by.get(cols["weight"]) or ws.cell(row=row[0].row, column=cols["weight"])
        if _empty(ccell) and _empty(wcell):
            continue
        try:
            cid = read_cell(ccell, "text")
            w = read_cell(wcell, "number")
        except CellProblem as exc:
            reading.cell_problem(exc, _where(ws, wcell if not _empty(ccell) else ccell))
            continue
        if cid is None:
            reading.problem("required-empty", _where(ws, ccell), "required_empty", column="criterion")
            continue
        if cid in seen:
            reading.problem("duplicate-row", _where(ws, ccell), "duplicate_row", id=cid, other=seen[cid])
            continue
        seen[cid] = row[0].row
        if w is None:
            reading.problem("required-empty", _where(ws, wcell), "required_empty", column="weight")
            continue
        out[cid] = w
        reading.record(("weights", "direct", cid), _where(ws, wcell))
    return out or None


def _read_ahp(reading: Reading, ws) -> list[dict]:
    participants: list[dict] = []
    header: Optional[list[tuple[int, str]]] = None
    pairs: dict[frozenset, str] = {}
    for row in _rows(ws):
        by = {c.column: c for c in row}
        first = by.get(1)
        a_text = None if first is None or _empty(first) else str(first.value).strip()
        if a_text is not None and a_text.lower() in ("participant", "deelnemer"):
            p: dict = {}
            loc = ("weights", "ahp", "participants", len(participants))
            reading.record(loc, _where(ws, first))
            name_cell = by.get(2) or ws.cell(row=first.row, column=2)
            reading.read_into(p, "name", name_cell, "text", _where(ws, name_cell), loc + ("name",))
            label = by.get(3)
            if label is not None and not _empty(label) and str(label.value).strip().lower() in ("weight", "gewicht"):
                wcell = by.get(4) or ws.cell(row=first.row, column=4)
                reading.read_into(p, "weight", wcell, "number", _where(ws, wcell), loc + ("weight",))
            p["judgments"] = []
            participants.append(p)
            header, pairs = None, {}
            continue
        rest = [c for col, c in sorted(by.items()) if col > 1 and not _empty(c)]
        if a_text is None or _is_info(a_text):
            if rest:
                header = []
                for c in sorted((c for c in row if c.column > 1), key=lambda c: c.column):
                    if _empty(c) or c.column != 2 + len(header):
                        break  # the matrix ends at the first gap (the scale's legend lies beyond it)
                    header.append((c.column, str(c.value).strip()))
                header = header or None
            else:
                header = None
            continue
        if header is None:
            continue  # text beside the matrices (the scale's legend)
        if not participants:
            reading.problem("judgment-outside", _where(ws, first), "judgment_outside")
            continue
        p = participants[-1]
        ploc = ("weights", "ahp", "participants", len(participants) - 1)
        for col, b in header:
            if b == a_text:
                continue
            cell = by.get(col)
            if cell is None or _empty(cell):
                continue
            where = _where(ws, cell)
            try:
                v = read_cell(cell, "number")
            except CellProblem as exc:
                reading.cell_problem(exc, where)
                continue
            key = frozenset((a_text, b))
            if key in pairs:
                reading.problem("judgment-twice", where, "judgment_twice", a=a_text, b=b, other=pairs[key])
                continue
            pairs[key] = cell.coordinate
            j = len(p["judgments"])
            p["judgments"].append([a_text, b, v])
            reading.record(ploc + ("judgments", j), where)
    return participants


def _read_keyvalues(reading: Reading, ws, base: tuple, target: dict) -> None:
    """Rows of key path and value; ``base`` is prepended to each key (the rules sheet)."""
    rows = _rows(ws)
    h, heads = _header(reading, ws, rows, ["key", "value"])
    if h is None:
        return
    cols = {text.lower(): c for c, text in heads.items()}
    for name in ("key", "value"):
        if name not in cols:
            reading.problem("column-missing", f"{ws.title}!{rows[h][0].coordinate}", "column_missing", column=name)
            return
    seen: dict[tuple, int] = {}
    for row in rows[h + 1:]:
        by = {c.column: c for c in row}
        kcell = by.get(cols["key"]) or ws.cell(row=row[0].row, column=cols["key"])
        vcell = by.get(cols["value"]) or ws.cell(row=row[0].row, column=cols["value"])
        if _empty(kcell) and _empty(vcell):
            continue
        try:
            key = read_cell(kcell, "text")
        except CellProblem as exc:
            reading.cell_problem(exc, _where(ws, kcell))
            continue
        if key is None:
            reading.problem("required-empty", _where(ws, kcell), "required_empty", column="key")
            continue
        path = parse_path(key)
        if path is None:
            reading.problem("bad-key", _where(ws, kcell), "bad_key", key=key)
            continue
        if path in seen:
            reading.problem("duplicate-key", _where(ws, kcell), "duplicate_key", key=key, other=seen[path])
            continue
        seen[path] = row[0].row
        if _empty(vcell):
            continue
        where = _where(ws, vcell)
        try:
            value = read_cell(vcell, path_kind(base + path))
        except CellProblem as exc:
            reading.cell_problem(exc, where)
            continue
        reading.record(base + path, where)
        _set(reading, target, base + path, value, where, key)


# --------------------------------------------------------------------------- opening
def _open(path: Path, reading: Reading):
    if not path.exists():
        reading.problem("file-not-found", None, "file_not_found")
        return None
    if not path.is_file():
        reading.problem("not-a-file", None, "not_a_file")
        return None
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE):
        blob = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in blob or "EncryptionInfo".encode("utf-16-le") in blob:
            reading.problem("encrypted", None, "encrypted")
        else:
            reading.problem("old-xls", None, "old_xls")
        return None
    if not head.startswith(b"PK"):
        reading.problem("not-xlsx", None, "not_xlsx")
        return None
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "mimetype" in names and b"opendocument" in zf.read("mimetype"):
                reading.problem("ods", None, "ods")
                return None
            if "xl/workbook.xml" not in names:
                reading.problem("not-xlsx", None, "not_xlsx")
                return None
    except zipfile.BadZipFile:
        reading.problem("not-xlsx", None, "not_xlsx")
        return None
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
            return openpyxl.load_workbook(path, data_only=False, keep_links=False, keep_vba=False)
    except Exception as exc:  # a damaged or foreign file: openpyxl raises many kinds  # noqa: BLE001
        reading.problem("unreadable", None, "unreadable", what=f"{type(exc).__name__}: {exc}"[:200])
        return None


def _sheets(reading: Reading, wb) -> dict[str, Any]:
    found: dict[str, Any] = {}
    known = ", ".join(SHEETS[k][reading.lang] for k in SHEETS)
    for ws in wb.worksheets:
        key = sheet_key(ws.title)
        if key is None:
            near = difflib.get_close_matches(ws.title, all_sheet_names(), n=1, cutoff=0.6)
            hint = t("workbook.did_you_mean", reading.lang, name=near[0]) if near else ""
            reading.problem("unknown-sheet", f"{ws.title}!A1", "unknown_sheet", sheet=ws.title, hint=hint, known=known)
            continue
        if key in found:
            reading.problem("duplicate-sheet", f"{ws.title}!A1", "duplicate_sheet", sheet=ws.title,
                            other=found[key].title)
            continue
        found[key] = ws
        if key != "instructions":
            for rng in ws.merged_cells.ranges:
                reading.problem("merged", f"{ws.title}!{rng.coord}", "merged", range=rng.coord)
    return found


def read_workbook(path: str | Path, lang: Optional[str] = None) -> Reading:
    """Read a model workbook into model data, with the cell of every key and the sheet problems.

    Parameters
    ----------
    path : str or Path
        An .xlsx workbook written by ``decide workbook`` (or laid out the same way).
    lang : {"nl", "en"}, optional
        Language of the messages; default the workbook's ``language`` setting, else Dutch.
    """
    p = Path(path)
    reading = Reading(str(path), lang or "nl")
    wb = _open(p, reading)
    if wb is None:
        return reading
    found = _sheets(reading, wb)
    if lang is None:  # messages in the model's own language
        ws = found.get("settings")
        if ws is not None:
            for row in rows_of(ws):
                if len(row) > 1 and str(row[0].value).strip() == "language" and row[1].value in ("nl", "en"):
                    reading.lang = row[1].value
    data: dict = {}
    for key in ("settings", "options"):
        if key not in found:
            reading.problem("sheet-missing", None, "sheet_missing", sheet=SHEETS[key][reading.lang])
    if "criteria" in found:
        items, meta = _read_table(reading, found["criteria"], "criteria")
        if items:
            data["criteria"] = _criteria_tree(reading, found["criteria"], items, meta)
    if "weights" in found:
        direct = _read_weights(reading, found["weights"])
        if direct is not None:
            data.setdefault("weights", {})["direct"] = direct
    if "ahp" in found:
        participants = _read_ahp(reading, found["ahp"])
        if participants:
            data.setdefault("weights", {}).setdefault("ahp", {})["participants"] = participants
    if "options" in found:
        items, meta = _read_table(reading, found["options"], "options")
        data["alternatives"] = items
        _record_rows(reading, ("alternatives",), meta)
        if "scores" in found:
            _read_scores(reading, found["scores"], items, found["options"].title)
    for key in PLAIN_TABLES:
        if key in found:
            items, meta = _read_table(reading, found[key], key)
            if items:
                where = TABLES[key][0]
                _set(reading, data, where, items, f"{found[key].title}!A1", key)
                _record_rows(reading, where, meta)
    if "rules" in found:
        _read_keyvalues(reading, found["rules"], ("allocation", "rules"), data)
    if "settings" in found:
        _read_keyvalues(reading, found["settings"], (), data)
    reading.data = _ordered(data)
    return reading


def _ordered(data: Any, cls: Any = None) -> Any:
    """Keys in the schema's order (as in the example models), unknown keys after them."""
    from pydantic import BaseModel

    from decide.model import DecisionModel
    from decide.workbook.layout import _unwrap

    cls = DecisionModel if cls is None else _unwrap(cls)
    if isinstance(data, list):
        inner = typing.get_args(cls)[0] if typing.get_origin(cls) is list and typing.get_args(cls) else None
        return [_ordered(v, inner) if inner is not None else v for v in data]
    if not isinstance(data, dict) or not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        return data
    fields = cls.model_fields
    out = {k: _ordered(data[k], fields[k].annotation) for k in fields if k in data}
    out.update({k: v for k, v in data.items() if k not in out})
    return out


def import_workbook(path: str | Path, lang: Optional[str] = None):
    """Read and validate a model workbook: the model and its data, or every problem at once.

    Returns
    -------
    (DecisionModel, dict)
        The validated model and the model file's data (for writing it as YAML).

    Raises
    ------
    ModelError
        Every problem of the workbook and of the model, each at its ``file.xlsx!Sheet!Cell``.
    """
    from decide.loader import validate_data

    reading = read_workbook(path, lang)
    problems = list(reading.problems)
    flagged = {p.file for p in problems}  # a cell the sheet already reported needs no second message
    model = None
    structural = any(p.code == "sheet-missing" for p in problems)
    if (reading.data or not problems) and not structural:
        try:
            model = validate_data(reading.data, file=reading.file)
        except ModelError as exc:
            for p in exc.problems:
                place = _place_of(reading, p)
                if place and f"{reading.file}!{place}" in flagged:
                    continue
                problems.append(Problem(p.code, p.loc, p.message, None,
                                        f"{reading.file}!{place}" if place else reading.file))
    if problems:
        unique: dict[tuple, Problem] = {}
        for p in problems:
            unique.setdefault((p.code, p.file, p.loc, p.message), p)
        raise ModelError(list(unique.values()), reading.file)
    assert model is not None
    model._path = reading.file
    return model, reading.data


def _place_of(reading: Reading, p: Problem) -> Optional[str]:
    """The cell of a validation problem; a missing score points at its own empty cell."""
    if not p.loc:
        return None
    if p.code == "score-missing":
        prefix = p.loc + "."
        for loc, where in reading.cells.items():
            if loc.startswith(prefix) and f"criterion '{loc[len(prefix):]}'" in p.message:
                return where
    return reading.place(p.loc)


def model_yaml(data: dict, source: Optional[str] = None) -> str:
    """The model data as a model file (YAML), leaf lists and mappings in flow style."""
    head = f"# Imported from {Path(source).name} by decide import.\n" if source else ""
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100)
