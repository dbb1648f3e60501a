"""Evaluators' score sheets: one workbook per evaluator out, the committee's scores back in.

:func:`write_scoresheets` writes, for each evaluator, a workbook with one row per option and
criterion to score (what the workshop plan of :mod:`decide.store` asks for: the model's
``workshop.scoring`` section, or every criterion not taken from the TCO), the scale's levels as a
dropdown, a column for the reasoning (award decisions must be motivated), and a locked structure:
the sheets are protected and only the score and reasoning cells can be edited.

:func:`collect_scoresheets` reads a folder of filled-in sheets back into the workshop store (the
same store the browser workshop writes), reports every missing or invalid cell at its place
(``scores/Jansen.xlsx!Beoordeling!E9``), and returns the spread per option and criterion for the
consensus meeting. Nothing in a sheet is evaluated: a formula is an invalid cell.

The committee's agreed scores reach the model the way the browser workshop's do: through the
workshop store's export, for a model whose ``workshop.scoring`` section asks for committee scoring
(for a model without one, :func:`scoring_model` gives the plan the sheets were written with).
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from decide.errors import DecideError, Message, ModelError, Problem
from decide.i18n import t
from decide.model import DecisionModel
from decide.report.safe_io import atomic_write
from decide.workbook.cells import CellProblem, put, raw, read_cell

FORMAT = "decide-scoresheet 1"
HEADER_ROW = 5
COLUMNS = ("option", "criterion", "score", "reasoning")


def _t(key: str, lang: str, **kw: Any) -> str:
    return t(f"workbook.{key}", lang, **kw)


def _m(key: str, lang: str, **kw: Any) -> Message:
    """``workbook.<key>`` as a Message in ``lang`` (faces render it in theirs; its code names the problem)."""
    return Message(f"workbook.{key}", shown_in=lang, **kw)


def scoring_model(model: DecisionModel, evaluators: Optional[list[str]] = None) -> DecisionModel:
    """The model with committee scoring: its own ``workshop.scoring``, or one over every scored criterion.

    A model without a scoring section scores every criterion not taken from the TCO, on its
    named scale or 1..5 in steps of 1 (the workshop store's defaults), by ``evaluators``.
    """
    ws = model.workshop
    if ws is not None and ws.scoring is not None:
        if evaluators and not ws.scoring.evaluators:
            scoring = ws.scoring.model_dump(exclude_none=True) | {"evaluators": list(evaluators)}
            return model.replace(workshop=ws.model_dump(exclude_none=True) | {"scoring": scoring})
        return model
    section = ws.model_dump(exclude_none=True) if ws is not None else {}
    section["scoring"] = {"evaluators": list(evaluators or [])}
    new = model.replace(workshop=section)
    new._sha256 = model.sha256
    return new


def _file_name(name: str, taken: set[str]) -> str:
    stem = re.sub(r"[^\w-]+", "_", name, flags=re.UNICODE).strip("_") or "evaluator"
    out, k = stem, 2
    while out.lower() in taken:
        out, k = f"{stem}_{k}", k + 1
    taken.add(out.lower())
    return out + ".xlsx"


def scoresheet_bytes(model: DecisionModel, evaluator: str, lang: Optional[str] = None) -> bytes:
    """One evaluator's score sheet as xlsx bytes (``model`` is a scoring model)."""
    from decide.store import plan

    lang = lang or model.language
    p = plan(model)
    wb = Workbook()
    ws = wb.active
    ws.title = _t("sheet_scores", lang)
    put(ws, 1, 1, _t("score_title", lang, title=model.name(lang))).font = Font(bold=True, size=13)
    put(ws, 2, 1, _t("score_evaluator", lang, name=evaluator)).font = Font(bold=True)
    how = put(ws, 3, 1, _t("score_how", lang))
    how.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[3].height = 48
    heads = ["option", "criterion", _t("score_option", lang), _t("score_criterion", lang), "score", "reasoning",
             _t("score_levels", lang)]
    for j, h in enumerate(heads, start=1):
        put(ws, HEADER_ROW, j, h).font = Font(bold=True)
    row = HEADER_ROW + 1
    leaves = {c.id: c for c in model.leaves()}
    validations: dict[str, DataValidation] = {}
    for option in p.options:
        for cid in p.criteria:
            scale = p.scales[cid]
            put(ws, row, 1, option)
            put(ws, row, 2, cid)
            put(ws, row, 3, model.alternative(option).name(lang))
            put(ws, row, 4, leaves[cid].name(lang))
            names = [n for n, _ in scale.levels]
            put(ws, row, 7, ", ".join(names) if scale.named else f"{names[0]} .. {names[-1]}")
            for col in (5, 6):
                ws.cell(row=row, column=col).protection = Protection(locked=False)
            ws.cell(row=row, column=6).alignment = Alignment(wrap_text=True, vertical="top")
            key = "|".join(names)
            if key not in validations:
                formula = ",".join(names)
                if len(formula) <= 250 and not any(("," in n) or ('"' in n) for n in names):
                    dv = DataValidation(type="list", formula1=f'"{formula}"', allow_blank=True,
                                        showErrorMessage=True, errorStyle="stop")
                    ws.add_data_validation(dv)
                    validations[key] = dv
            if key in validations:
                validations[key].add(f"E{row}")
            row += 1
    for col, width in zip("ABCDEFG", (16, 16, 36, 30, 14, 60, 30)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = f"E{HEADER_ROW + 1}"
    ws.protection.sheet = True  # structure locked; the score and reasoning cells are unlocked
    ws.protection.formatColumns = False  # widening a column stays possible
    about = wb.create_sheet(_t("sheet_about", lang))
    meta = {"format": FORMAT, "evaluator": evaluator, "model": str(model.path or ""),
            "sha256": model.sha256 or "", "language": lang}
    for i, (k, v) in enumerate(meta.items(), start=1):
        put(about, i, 1, k)
        put(about, i, 2, v)
    about.column_dimensions["B"].width = 70
    about.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_scoresheets(model: DecisionModel, out: str | Path, evaluators: Optional[list[str]] = None, *,
                      lang: Optional[str] = None, force: bool = False) -> list[Path]:
    """One score sheet per evaluator in folder ``out``; the evaluators default to the model's own."""
    from decide.store import plan

    lang = lang or model.language
    names = [e.strip() for e in (evaluators or []) if e.strip()]
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise DecideError(_m("evaluator_named_twice", lang, name=n))
        seen.add(n)
    smodel = scoring_model(model, names)
    p = plan(smodel)
    names = names or list(p.evaluators)
    if not names:
        raise DecideError(_m("evaluators_missing", lang))
    if not p.criteria:
        raise DecideError(_m("nothing_to_score", lang))
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DecideError(_m("file_exists", lang, path=out))
    taken: set[str] = set()
    targets = [(n, out / _file_name(n, taken)) for n in names]
    existing = [str(path) for _, path in targets if path.exists()]
    if existing and not force:
        raise DecideError(_m("file_exists", lang, path=", ".join(existing)))
    return [atomic_write(path, scoresheet_bytes(smodel, n, lang),
                         if_exists=None if force else _m("file_exists", lang, path=path)) for n, path in targets]


# --------------------------------------------------------------------------- collecting
@dataclass(frozen=True)
class Collected:
    """What a folder of score sheets gave.

    Attributes
    ----------
    store : Path
        The workshop store the scores went into.
    lang : str
        Language of the messages.
    evaluators : tuple of str
    recorded : int
        Scores stored by this collection (a score already in the store unchanged is not stored again).
    problems : tuple of Problem
        Invalid cells and unreadable sheets, each at ``file!Sheet!Cell``; these scores were not stored.
    missing : tuple of Problem
        Empty score cells (an evaluator not finished yet), each at its place.
    unmotivated : tuple of Problem
        Scores without a reasoning, at the reasoning cell (an award decision must be motivated).
    spread : pandas.DataFrame
        Per option x criterion: n, low, high, median, mean, std, range, relative, agreed (widest first).
    """

    store: Path
    lang: str
    evaluators: tuple
    recorded: int
    problems: tuple
    missing: tuple
    unmotivated: tuple
    spread: pd.DataFrame

    @property
    def ok(self) -> bool:
        return not self.problems


def _meta(ws) -> dict[str, str]:
    from decide.workbook.reader import rows_of

    out = {}
    for row in rows_of(ws):
        if len(row) == 2 and isinstance(row[0].value, str) and row[1].value is not None:
            out[row[0].value.strip()] = str(row[1].value)
    return out


def _sheet(wb, key: str):
    names = {t(f"workbook.{key}", lang).lower() for lang in ("nl", "en")}
    for ws in wb.worksheets:
        if ws.title.strip().lower() in names:
            return ws
    return None


def collect_scoresheets(folder: str | Path, *, model: Optional[str | Path] = None, store: Optional[str | Path] = None,
                        lang: Optional[str] = None) -> Collected:
    """Read every score sheet in ``folder`` into the workshop store.

    Parameters
    ----------
    folder : path
        The folder of filled-in sheets (``*.xlsx``).
    model : path, optional
        The model file; default the one each sheet names.
    store : path, optional
        The workshop store; default the one beside the model (``NAME.workshop.sqlite``).
    lang : {"nl", "en"}, optional
        Language of the messages; default the model's.

    Raises
    ------
    DecideError
        No sheets in the folder, or no model to check them against.
    """
    from decide.loader import load_model
    from decide.store import WorkshopInputError, WorkshopStore, store_path
    from decide.workbook.reader import Reading, _open, rows_of

    folder = Path(folder)
    files = sorted(p for p in folder.glob("*.xlsx") if not p.name.startswith("~$")) if folder.is_dir() else []
    if not files:
        raise DecideError(_m("score_sheets_missing", lang or "nl", dir=folder))
    problems: list[Problem] = []
    sheets: list[tuple[Path, str, Any, dict]] = []
    for path in files:
        reading = Reading(str(path), lang or "nl")
        wb = _open(path, reading)
        problems += reading.problems
        if wb is None:
            continue
        scores_ws, about_ws = _sheet(wb, "sheet_scores"), _sheet(wb, "sheet_about")
        if scores_ws is None or about_ws is None:
            missing = t("workbook.sheet_scores" if scores_ws is None else "workbook.sheet_about", lang or "nl")
            problems.append(Problem("not-a-scoresheet", "", _t("not_a_scoresheet", lang or "nl", sheet=missing),
                                    None, str(path)))
            continue
        meta = _meta(about_ws)
        sheets.append((path, meta.get("evaluator") or path.stem, scores_ws, meta))
    model_path = Path(model) if model is not None else None
    if model_path is None:
        named = next((m.get("model") for _, _, _, m in sheets if m.get("model")), None)
        candidates = [Path(named), folder / Path(named).name] if named else []
        model_path = next((c for c in candidates if c.is_file()), None)
        if model_path is None:
            raise DecideError(_m("scoresheet_model_unknown", lang or "nl", model=named or ""))
    base = load_model(model_path)
    lang = lang or base.language
    names: dict[str, str] = {}
    for path, name, _, meta in sheets:
        if name in names:
            problems.append(Problem("evaluator-twice", "", _t("evaluator_twice", lang, name=name, other=names[name]),
                                    None, str(path)))
        else:
            names[name] = str(path)
        if meta.get("sha256") and base.sha256 and meta["sha256"] != base.sha256:
            problems.append(Problem("model-changed", "", _t("model_changed", lang, model=model_path), None,
                                    str(path)))
    smodel = scoring_model(base, list(names))
    ws_store = WorkshopStore(Path(store) if store is not None else store_path(model_path), smodel, lang=lang)
    known = {p.name for p in ws_store.people()}
    new = [n for n in names if n not in known]
    if new:
        ws_store.add_participants(new)
    missing: list[Problem] = []
    unmotivated: list[Problem] = []
    recorded = 0
    done: set[str] = set()
    for path, name, ws, _ in sheets:
        if name in done:
            continue
        done.add(name)
        current = ws_store.scores(name)
        head_row, cols = _header(ws)
        if cols is None:
            problems.append(Problem("column-missing", "", _t("column_missing", lang, column=", ".join(
                c for c in COLUMNS if c not in (head_row or {}))), None, f"{path}!{ws.title}!A{HEADER_ROW}"))
            continue
        for row in rows_of(ws):
            if row[0].row <= head_row:
                continue
            by = {c.column: c for c in row}
            cells = {k: by.get(col) or ws.cell(row=row[0].row, column=col) for k, col in cols.items()}
            option, criterion = (_text(cells["option"]), _text(cells["criterion"]))
            if option is None and criterion is None:
                continue
            where = f"{path}!{ws.title}!{cells['score'].coordinate}"
            if (option, criterion) not in ws_store.plan.cells():
                problems.append(Problem("score-row-unknown", "", _t("score_row_unknown", lang, option=option,
                                                                    criterion=criterion), None,
                                        f"{path}!{ws.title}!{cells['option'].coordinate}"))
                continue
            try:
                value = raw(cells["score"])
                reasoning = read_cell(cells["reasoning"], "text")
            except CellProblem as exc:
                problems.append(Problem(exc.code, "", t(f"workbook.{exc.code.replace('-', '_')}", lang, **exc.fields),
                                        None, where))
                continue
            if value is None:
                missing.append(Problem("score-missing", "", _t("score_missing", lang, option=option,
                                                               criterion=criterion), None, where))
                continue
            scale = ws_store.plan.scales[criterion]
            v = scale.value_of(value.strip() if isinstance(value, str) else value)
            if v is not None and reasoning is None:
                unmotivated.append(Problem("reasoning-missing", "", _t("reasoning_missing", lang, option=option,
                                                                       criterion=criterion), None,
                                           f"{path}!{ws.title}!{cells['reasoning'].coordinate}"))
            before = current.get((option, criterion))
            if v is not None and before is not None and before.value == v and before.reasoning == reasoning:
                continue  # collected before, unchanged
            try:
                ws_store.record_score(name, option, criterion, value.strip() if isinstance(value, str) else value,
                                      reasoning=reasoning, origin="excel")
                recorded += 1
            except WorkshopInputError as exc:
                problems.append(Problem(exc.code, "", exc.message, None, where))
    return Collected(ws_store.path, lang, tuple(names), recorded, tuple(problems), tuple(missing),
                     tuple(unmotivated), ws_store.score_spread())


def _text(cell) -> Optional[str]:
    try:
        return read_cell(cell, "text")
    except CellProblem:
        return None


def _header(ws) -> tuple[Optional[int], Optional[dict[str, int]]]:
    for row in ws.iter_rows(max_row=HEADER_ROW + 5):
        found = {str(c.value).strip().lower(): c.column for c in row if isinstance(c.value, str)}
        if "option" in found:
            if all(k in found for k in COLUMNS):
                return row[0].row, {k: found[k] for k in COLUMNS}
            return row[0].row, None
    return None, None


def collect_error(collected: Collected) -> Optional[ModelError]:
    """The invalid cells of a collection as one located error (None when every filled cell was valid)."""
    if not collected.problems:
        return None
    return ModelError(list(collected.problems), "score sheets")
