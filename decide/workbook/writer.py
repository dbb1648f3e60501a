"""The model as an editable Excel workbook (openpyxl).

:func:`workbook_bytes` takes the model file's data (the parsed YAML, so that every key a model
holds is carried, including keys this module has no sheet for) and lays it out over the sheets of
:mod:`decide.workbook.layout`: each section with a sheet of its own is taken out of the data, and
what is left becomes rows of the settings sheet (a key path and its value as one line of YAML).
:func:`decide.workbook.reader.read_workbook` is the exact inverse.
"""
from __future__ import annotations

import copy
import io
from typing import Any, Iterable, Optional

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from decide.i18n import t
from decide.workbook.cells import put, to_cell, yaml_text
from decide.workbook.layout import (PARENT, PLAIN_TABLES, SHEETS, SKIP, TABLES, Column, format_path, path_choices, path_kind,
                                    schema_columns)

HEAD = Font(bold=True)
INFO = Font(italic=True, color="666666")
GREY = PatternFill("solid", fgColor="DDDDDD")
SPARE_ROWS = 200  # rows below the data that keep their dropdowns, for options added by hand
SAATY = ["9", "8", "7", "6", "5", "4", "3", "2", "1", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9"]


def _get(d: Any, path: Iterable) -> Any:
    for part in path:
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def _pop(data: dict, path: tuple) -> Any:
    """Take ``path`` out of ``data``; a mapping it leaves empty goes too (the reader rebuilds it)."""
    parents = []
    d = data
    for part in path[:-1]:
        if not isinstance(d, dict) or part not in d or not isinstance(d[part], dict):
            return None
        parents.append((d, part))
        d = d[part]
    if not isinstance(d, dict) or path[-1] not in d:
        return None
    value = d.pop(path[-1])
    for parent, key in reversed(parents):
        if parent[key] == {}:
            del parent[key]
        else:
            break
    return value


def flatten(value: Any, path: tuple = ()) -> list[tuple[tuple, Any]]:
    """Key paths and leaf values of what is left of the model, in the file's order.

    Mappings are followed while their keys are plain names; lists, empty mappings and
    mappings with other keys are one value (written as YAML).
    """
    import re

    if isinstance(value, dict) and value and all(isinstance(k, str) and re.fullmatch(r"[A-Za-z_][\w-]*", k)
                                                 for k in value):
        out: list[tuple[tuple, Any]] = []
        for k, v in value.items():
            out += flatten(v, path + (k,))
        return out
    return [(path, value)]


def _style_header(ws, ncols: int) -> None:
    for c in range(1, ncols + 1):
        ws.cell(row=1, column=c).font = HEAD
    ws.freeze_panes = "B2"


def _widths(ws, widths: dict[int, int]) -> None:
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8, min(60, w + 2))


def _dropdown(ws, col: int, first: int, last: int, choices: Iterable[str], *, strict: bool = True) -> None:
    """A list of allowed values for a column's cells; ``strict=False`` warns instead of refusing."""
    items = list(choices)
    formula = ",".join(items)
    if not items or len(formula) > 250 or any(('"' in i) or ("," in i) for i in items):
        return  # Excel's list validation holds at most 255 characters without commas or quotes
    dv = DataValidation(type="list", formula1=f'"{formula}"', allow_blank=True, showErrorMessage=True,
                        errorStyle="stop" if strict else "warning")
    ws.add_data_validation(dv)
    letter = get_column_letter(col)
    dv.add(f"{letter}{first}:{letter}{last}")


# --------------------------------------------------------------------------- table sheets
def _columns(key: str, items: list[dict], base: tuple) -> list[Column]:
    """The schema's columns for a table, label groups as used, plus columns for unknown keys."""
    cols: list[Column] = []
    for col in schema_columns(TABLES[key][1], SKIP.get(key, set())):
        if col.label_group:
            name = col.path[0]
            values = [it.get(name) for it in items if isinstance(it, dict)]
            plain = any(isinstance(v, str) for v in values)
            multi = any(isinstance(v, dict) for v in values)
            if plain or not multi:
                cols.append(Column((name,), "text"))
            if multi:
                langs = [lang for lang in ("nl", "en")]
                langs += sorted({k for v in values if isinstance(v, dict) for k in v} - set(langs))
                cols += [Column((name, lang), "text") for lang in langs]
        else:
            cols.append(col)
        if key == "criteria" and col.path == ("id",):
            cols.append(Column((PARENT,), "text"))
    known = {c.path for c in cols}
    prefixes = {c.path[:-1] for c in cols if len(c.path) > 1}
    for it in items:
        for path, _ in _item_paths(it, prefixes):
            if path not in known:
                known.add(path)
                cols.append(Column(path, path_kind(base + (0,) + path)))
    return cols


def _item_paths(item: dict, prefixes: set, path: tuple = ()) -> list[tuple[tuple, Any]]:
    out = []
    for k, v in item.items():
        sub = path + (k,)
        if isinstance(v, dict) and sub in prefixes and all(isinstance(x, str) for x in v):
            out += _item_paths(v, prefixes, sub)
        else:
            out.append((sub, v))
    return out


def _write_table(ws, key: str, items: list[dict], base: tuple, lang: str, *,
                 extra: Optional[dict[int, dict]] = None) -> list[Column]:
    cols = _columns(key, items, base)
    widths: dict[int, int] = {}
    for j, col in enumerate(cols, start=1):
        put(ws, 1, j, col.header)
        widths[j] = len(col.header)
    for i, item in enumerate(items, start=2):
        row = dict(extra.get(i - 2, {})) if extra else {}
        for j, col in enumerate(cols, start=1):
            if col.path == (PARENT,):
                value = row.get(PARENT)
                if value is None:
                    continue
            else:
                if not _has(item, col.path):
                    continue
                value = _get(item, col.path)
                if len(col.path) == 1 and isinstance(value, dict) and \
                        any(c.path[:1] == col.path and len(c.path) > 1 for c in cols):
                    continue  # written in its .nl / .en columns
            cell_value = to_cell(value, col.kind)
            put(ws, i, j, cell_value)
            widths[j] = max(widths[j], len(str(cell_value)))
    last = len(items) + 1 + SPARE_ROWS
    for j, col in enumerate(cols, start=1):
        if col.choices:
            _dropdown(ws, j, 2, last, col.choices)
        elif col.kind == "bool":
            _dropdown(ws, j, 2, last, ["TRUE", "FALSE"], strict=False)
    _style_header(ws, len(cols))
    _widths(ws, widths)
    return cols


def _has(d: Any, path: tuple) -> bool:
    for part in path:
        if not isinstance(d, dict) or part not in d:
            return False
        d = d[part]
    return True


def _criteria_rows(nodes: list, parent: Optional[str] = None) -> tuple[list[dict], list[dict]]:
    items, extra = [], []
    for node in nodes or []:
        if not isinstance(node, dict):
            continue
        kids = node.get("children")
        items.append({k: v for k, v in node.items() if k != "children"})
        extra.append({PARENT: parent})
        if kids:
            sub_items, sub_extra = _criteria_rows(kids, node.get("id"))
            items += sub_items
            extra += sub_extra
    return items, extra


def _leaves(nodes: list) -> list[dict]:
    out = []
    for node in nodes or []:
        if isinstance(node, dict):
            if node.get("children"):
                out += _leaves(node["children"])
            else:
                out.append(node)
    return out


def _label_text(label: Any, lang: str) -> str:
    if isinstance(label, dict):
        return str(label.get(lang) or next(iter(label.values()), ""))
    return "" if label is None else str(label)


def _both_labels(label: Any) -> str:
    if isinstance(label, dict):
        return " / ".join(str(v) for v in label.values())
    return "" if label is None else str(label)


# --------------------------------------------------------------------------- special sheets
def _write_scores(ws, alternatives: list[dict], criteria: list, lang: str) -> None:
    leaves = [c for c in _leaves(criteria) if c.get("source") != "tco"]
    cids = [c.get("id") for c in leaves]
    for a in alternatives:
        for cid in (a.get("scores") or {}):
            if cid not in cids:
                cids.append(cid)
    by_id = {c.get("id"): c for c in leaves}
    headers = ["id", t("workbook.label_column", lang)] + [str(c) for c in cids]
    for j, h in enumerate(headers, start=1):
        put(ws, 1, j, h)
    ws.cell(row=1, column=2).font = INFO
    widths = {1: 4, 2: 10}
    for i, a in enumerate(alternatives, start=2):
        put(ws, i, 1, a.get("id"))
        put(ws, i, 2, _label_text(a.get("label"), lang))
        ws.cell(row=i, column=2).font = INFO
        widths[1] = max(widths[1], len(str(a.get("id"))))
        widths[2] = max(widths[2], len(_label_text(a.get("label"), lang)))
        scores = a.get("scores") or {}
        for j, cid in enumerate(cids, start=3):
            if cid in scores:
                value = to_cell(scores[cid], "score")
                put(ws, i, j, value)
    last = len(alternatives) + 1 + SPARE_ROWS
    for j, cid in enumerate(cids, start=3):
        widths[j] = max(len(str(cid)), 8)
        crit = by_id.get(cid)
        if crit is None:
            continue
        note = [_both_labels(crit.get("label")) or str(cid), f"direction: {crit.get('direction') or 'max'}"]
        scale = crit.get("scale")
        rng = crit.get("range")
        letter = get_column_letter(j)
        if isinstance(scale, dict) and scale:
            note.append("scale: " + yaml_text(scale))
            _dropdown(ws, j, 2, last, [str(k) for k in scale], strict=False)
        elif isinstance(rng, list) and len(rng) == 2 and all(isinstance(v, (int, float)) for v in rng):
            note.append("range: " + yaml_text(rng))
            dv = DataValidation(type="decimal", operator="between", formula1=str(rng[0]), formula2=str(rng[1]),
                                allow_blank=True, showErrorMessage=True, errorStyle="warning")
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{last}")
        ws.cell(row=1, column=j).comment = Comment("\n".join(note), "decide")
    _style_header(ws, len(headers))
    ws.freeze_panes = "C2"
    _widths(ws, widths)


def _write_weights(ws, direct: Optional[dict], criteria: list, lang: str) -> None:
    names = {}
    for node, _ in _walk(criteria):
        names[node.get("id")] = _label_text(node.get("label"), lang)
    headers = ["criterion", "weight", t("workbook.label_column", lang)]
    for j, h in enumerate(headers, start=1):
        put(ws, 1, j, h)
    for i, (cid, w) in enumerate((direct or {}).items(), start=2):
        put(ws, i, 1, to_cell(cid, "text"))
        put(ws, i, 2, to_cell(w, "number"))
        put(ws, i, 3, names.get(cid, ""))
        ws.cell(row=i, column=3).font = INFO
    ids = [str(k) for k in names]
    _dropdown(ws, 1, 2, len(direct or {}) + 1 + SPARE_ROWS, ids, strict=False)
    _style_header(ws, 3)
    _widths(ws, {1: max(map(len, ids), default=10), 2: 8, 3: max(map(len, names.values()), default=10)})


def _walk(nodes: list, parent: Optional[str] = None):
    for node in nodes or []:
        if isinstance(node, dict):
            yield node, parent
            yield from _walk(node.get("children") or [], node.get("id"))


def _groups(criteria: list, lang: str) -> list[tuple[str, list[str]]]:
    """Sibling groups of the tree (the pairs AHP compares), top level first."""
    out = [(t("workbook.group_top", lang), [c.get("id") for c in criteria if isinstance(c, dict)])]
    for node, _ in _walk(criteria):
        kids = node.get("children")
        if kids:
            out.append((f"({_label_text(node.get('label'), lang) or node.get('id')})",
                        [k.get("id") for k in kids if isinstance(k, dict)]))
    return [(name, ids) for name, ids in out if len(ids) >= 2]


def _write_ahp(ws, participants: list[dict], criteria: list, lang: str) -> None:
    groups = _groups(criteria, lang)
    width = max((len(ids) for _, ids in groups), default=2) + 1
    row = 1
    matrix_cells = []
    for p in participants:
        put(ws, row, 1, "participant")
        ws.cell(row=row, column=1).font = HEAD
        put(ws, row, 2, to_cell(p.get("name"), "text"))
        ws.cell(row=row, column=2).font = HEAD
        if "weight" in p:
            put(ws, row, 3, "weight")
            put(ws, row, 4, to_cell(p.get("weight"), "number"))
        row += 1
        judgments = {}
        for jd in p.get("judgments") or []:
            if isinstance(jd, list) and len(jd) == 3:
                judgments[(jd[0], jd[1])] = jd[2]
        for name, ids in groups:
            put(ws, row, 1, name)
            ws.cell(row=row, column=1).font = INFO
            for j, cid in enumerate(ids, start=2):
                put(ws, row, j, to_cell(cid, "text"))
                ws.cell(row=row, column=j).font = HEAD
            row += 1
            for a in ids:
                put(ws, row, 1, to_cell(a, "text"))
                ws.cell(row=row, column=1).font = HEAD
                for j, b in enumerate(ids, start=2):
                    cell = ws.cell(row=row, column=j)
                    if a == b:
                        put(ws, row, j, "(1)")
                        cell.fill = GREY
                        continue
                    cell.number_format = "@"  # 1/3 stays text; Excel would make it a date
                    cell.alignment = Alignment(horizontal="center")
                    matrix_cells.append(cell.coordinate)
                    if (a, b) in judgments:
                        put(ws, row, j, to_cell(judgments[(a, b)], "number"))
                row += 1
            row += 1
        row += 1
    if matrix_cells:
        dv = DataValidation(type="list", formula1='"' + ",".join(SAATY) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="warning")
        ws.add_data_validation(dv)
        for coord in matrix_cells:
            dv.add(coord)
    legend = width + 2
    put(ws, 1, legend, t("workbook.scale_legend", lang))
    ws.cell(row=1, column=legend).font = HEAD
    for k in range(1, 10):
        put(ws, 1 + k, legend, str(k))
        put(ws, 1 + k, legend + 1, t(f"workshop.scale_{k}", lang))
    put(ws, 11, legend, t("workbook.reciprocal", lang))
    widths = {c: 14 for c in range(1, width + 1)}
    widths[1] = 22
    widths[legend + 1] = 40
    _widths(ws, widths)


def _write_keyvalues(ws, rows: list[tuple[tuple, Any]], base: tuple, lang: str, *,
                     shown: Optional[Iterable[tuple]] = None) -> None:
    put(ws, 1, 1, "key")
    put(ws, 1, 2, "value")
    widths = {1: 10, 2: 10}
    values = dict(rows)
    order = list(dict.fromkeys(list(shown or []) + [p for p, _ in rows]))
    for i, path in enumerate(order, start=2):
        put(ws, i, 1, format_path(path))
        widths[1] = max(widths[1], len(format_path(path)))
        if path in values:
            kind = path_kind(base + path)
            value = to_cell(values[path], kind)
            put(ws, i, 2, value)
            widths[2] = max(widths[2], len(str(value)))
        choices = path_choices(base + path)
        if choices:
            _dropdown(ws, 2, i, i, choices)
    _style_header(ws, 2)
    _widths(ws, widths)


def _write_instructions(ws, lang: str, file: str) -> None:
    ws.column_dimensions["A"].width = 120
    for i, line in enumerate(_instruction_lines(lang, file), start=1):
        cell = put(ws, i, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = HEAD


def _instruction_lines(lang: str, file: str) -> list[str]:
    from decide.i18n import catalogue

    keys = sorted((k for k in catalogue("workbook") if k.startswith("instructions_")), key=lambda k: int(k[13:]))
    return [t(f"workbook.{k}", lang, file=file) for k in keys]


# --------------------------------------------------------------------------- public
def workbook_bytes(data: dict, *, file_name: str = "model.xlsx", lang: Optional[str] = None) -> bytes:
    """The model data (a parsed model file) as an xlsx workbook, every key carried.

    Parameters
    ----------
    data : dict
        The model file's data, as ``yaml.safe_load`` gives it (validated beforehand).
    file_name : str
        The workbook's file name, quoted in the instructions' import command.
    lang : {"nl", "en"}, optional
        Language of the sheet names and the instructions; default the model's.

    Returns
    -------
    bytes
        The xlsx file.
    """
    data = copy.deepcopy(data)
    if lang not in ("nl", "en"):
        lang = data.get("language") if data.get("language") in ("nl", "en") else "nl"
    criteria = _pop(data, ("criteria",)) or []
    alternatives = _pop(data, ("alternatives",)) or []
    direct = _pop(data, ("weights", "direct"))
    participants = _pop(data, ("weights", "ahp", "participants")) or []
    tables = {key: _pop(data, TABLES[key][0]) or [] for key in PLAIN_TABLES}
    rules = _pop(data, ("allocation", "rules"))
    leftovers: list[tuple[tuple, Any]] = flatten(data) if data else []
    for i, p in enumerate(participants):
        rest = {k: v for k, v in p.items() if k not in ("name", "weight", "judgments")}
        leftovers += flatten(rest, ("weights", "ahp", "participants", i)) if rest else []

    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS["instructions"][lang]
    _write_instructions(ws, lang, file_name)
    sheets = {key: wb.create_sheet(SHEETS[key][lang]) for key in SHEETS if key != "instructions"}
    _write_keyvalues(sheets["settings"], leftovers, (), lang)
    crit_items, crit_extra = _criteria_rows(criteria)
    _write_table(sheets["criteria"], "criteria", crit_items, ("criteria",), lang,
                 extra=dict(enumerate(crit_extra)))
    _write_table(sheets["options"], "options",
                 [{k: v for k, v in a.items() if k != "scores"} for a in alternatives], ("alternatives",), lang)
    supplier_ids = [str(s.get("id")) for s in tables["suppliers"] if isinstance(s, dict) and s.get("id")]
    opt_ws = sheets["options"]
    for j in range(1, opt_ws.max_column + 1):
        if opt_ws.cell(row=1, column=j).value == "supplier":
            _dropdown(opt_ws, j, 2, len(alternatives) + 1 + SPARE_ROWS, supplier_ids, strict=False)
    _write_scores(sheets["scores"], alternatives, criteria, lang)
    _write_weights(sheets["weights"], direct, criteria, lang)
    _write_ahp(sheets["ahp"], participants, criteria, lang)
    for key in PLAIN_TABLES:
        _write_table(sheets[key], key, tables[key], TABLES[key][0], lang)
    from decide.model import Rules

    rule_rows = flatten(rules) if isinstance(rules, dict) and rules else []
    _write_keyvalues(sheets["rules"], rule_rows, ("allocation", "rules"), lang,
                     shown=[(k,) for k in Rules.model_fields])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def sheet_names(lang: str) -> list[str]:
    return [names[lang] for names in SHEETS.values()]
