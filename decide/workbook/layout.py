"""What goes where: the sheets of a model workbook and the kind of every column.

The columns of the table sheets come from the model schema itself (``decide.model``): each field
of a criterion, an option, a module, a supplier or a requirement is a column whose header is the
field's key (``direction``, ``costs.once``, ``label.nl``), and the field's type gives the cell's
kind (text, number, true/false, a comma list, or one line of YAML). A field added to the schema
therefore gets its column without a change here, and a key no sheet knows is still carried: as an
extra column of its table, or as a row of the settings sheet (a key path and its YAML value).

A new list in the model that deserves a sheet of its own (award bids, say) is an entry in
``SHEETS`` (its names), ``TABLES`` (where the list lives and the schema class of a row) and
``PLAIN_TABLES``; the writer and the reader then take it out of the settings and give it its sheet.
"""
from __future__ import annotations

import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from pydantic import BaseModel

from decide import model as schema
from decide.places import format_loc

#: Sheet keys in workbook order, with their names per language (the reader accepts either).
SHEETS: dict[str, dict[str, str]] = {
    "instructions": {"nl": "Instructies", "en": "Instructions"},
    "settings": {"nl": "Instellingen", "en": "Settings"},
    "criteria": {"nl": "Criteria", "en": "Criteria"},
    "options": {"nl": "Opties", "en": "Options"},
    "scores": {"nl": "Scores", "en": "Scores"},
    "weights": {"nl": "Gewichten", "en": "Weights"},
    "ahp": {"nl": "AHP", "en": "AHP"},
    "requirements": {"nl": "Eisen", "en": "Requirements"},
    "modules": {"nl": "Modules", "en": "Modules"},
    "suppliers": {"nl": "Leveranciers", "en": "Suppliers"},
    "rules": {"nl": "Regels", "en": "Rules"},
}

#: Table sheets: the list in the model they hold, and the schema class of one row.
TABLES: dict[str, tuple[tuple, type[BaseModel]]] = {
    "criteria": (("criteria",), schema.Criterion),
    "options": (("alternatives",), schema.Alternative),
    "requirements": (("requirements",), schema.Requirement),
    "modules": (("allocation", "modules"), schema.Module),
    "suppliers": (("allocation", "suppliers"), schema.Supplier),
}

#: Table sheets read and written alike (criteria and options have a tree and scores beside them).
#: A new list in the model gets a sheet of its own with an entry here, in TABLES and in SHEETS.
PLAIN_TABLES = ("requirements", "modules", "suppliers")

#: Fields a table sheet does not show as columns (they have a sheet or a column of their own).
SKIP = {"criteria": {"children"}, "options": {"scores"}}

#: A criterion's parent, a column of the criteria sheet (the tree in rows).
PARENT = "parent"


def sheet_key(name: str) -> Optional[str]:
    """The sheet key of a sheet name in either language (case and spaces ignored)."""
    norm = name.strip().lower()
    for key, names in SHEETS.items():
        if norm in (n.lower() for n in names.values()):
            return key
    return None


def all_sheet_names() -> list[str]:
    return sorted({n for names in SHEETS.values() for n in names.values()})


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _unwrap(args[0])
    return tp


def _is_label(tp: Any) -> bool:
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    tp = _unwrap(tp)
    args = typing.get_args(tp) if typing.get_origin(tp) in (typing.Union,) else ()
    return schema.LabelText in args or tp is schema.LabelText


def _is_flag(tp: Any) -> bool:
    """True/false or a text (a best practice of the strategy): a union of bool and text."""
    if typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    tp = _unwrap(tp)
    if typing.get_origin(tp) not in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return False
    args = typing.get_args(tp)
    return bool in args and (str in args or schema.LabelText in args)


def kind_of(tp: Any) -> str:
    """The cell kind of a field's annotation."""
    if _is_flag(tp):
        return "flag"
    if _is_label(tp):
        return "text"
    tp = _unwrap(tp)
    if tp is bool:
        return "bool"
    if tp in (int, float):
        return "number"
    if tp is str:
        return "text"
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "text"
    if origin is list and typing.get_args(tp) and typing.get_args(tp)[0] is str:
        return "list"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = typing.get_args(tp)
        if float in args or int in args:
            return "number"  # an amount or a list of amounts: numbers, or YAML for the list
    return "yaml"


def choices_of(tp: Any) -> Optional[list[str]]:
    """The allowed values of a Literal field (for a dropdown), else None."""
    tp = _unwrap(tp)
    if typing.get_origin(tp) is typing.Literal:
        return [str(a) for a in typing.get_args(tp)]
    if tp is bool:
        return None
    return None


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: its key path, kind and dropdown choices."""

    path: tuple[str, ...]
    kind: str
    choices: Optional[tuple[str, ...]] = None
    label_group: bool = False

    @property
    def header(self) -> str:
        return ".".join(self.path)


def schema_columns(cls: type[BaseModel], skip: set[str] = frozenset()) -> list[Column]:
    """The columns of a table whose rows are ``cls``: one per field, nested models expanded."""
    out: list[Column] = []
    for name, field in cls.model_fields.items():
        if name in skip:
            continue
        tp = field.annotation
        inner = _unwrap(tp)
        if _is_label(tp):
            out.append(Column((name,), "text", label_group=True))
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            for sub in schema_columns(inner):
                out.append(Column((name,) + sub.path, sub.kind, sub.choices, sub.label_group))
        else:
            ch = choices_of(tp)
            out.append(Column((name,), kind_of(tp), tuple(ch) if ch else None))
    return out


@lru_cache(maxsize=4096)
def path_kind(path: tuple) -> str:
    """The kind of a key path in the whole model (``horizon.years`` -> number); yaml when unknown."""
    cls: Any = schema.DecisionModel
    for part in path:
        cls = _unwrap(cls)
        if _is_label(cls) and part in ("nl", "en"):
            return "text"
        if isinstance(part, int):
            if typing.get_origin(cls) is list:
                cls = typing.get_args(cls)[0]
                continue
            return "yaml"
        if isinstance(cls, type) and issubclass(cls, BaseModel):
            f = cls.model_fields.get(part)
            if f is None:
                return "yaml"
            cls = f.annotation
        elif typing.get_origin(cls) is dict:
            cls = typing.get_args(cls)[1]
        else:
            return "yaml"
    inner = _unwrap(cls)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        return "yaml"
    return kind_of(cls)


def path_choices(path: tuple) -> Optional[list[str]]:
    cls: Any = schema.DecisionModel
    for part in path:
        cls = _unwrap(cls)
        if isinstance(cls, type) and issubclass(cls, BaseModel) and isinstance(part, str):
            f = cls.model_fields.get(part)
            if f is None:
                return None
            cls = f.annotation
        else:
            return None
    return choices_of(cls)


#: ``("weights", "ahp", "participants", 0, "x")`` -> ``weights.ahp.participants[0].x``: the
#: model file's place notation, the same in error messages and workbook cells.
format_path = format_loc


def parse_path(text: str) -> Optional[tuple]:
    """The inverse of :func:`format_path`; None when the text is no key path."""
    import re

    text = text.strip()
    if not text or not re.fullmatch(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[\d+\])*", text):
        return None
    out: list = []
    for name, index in re.findall(r"([A-Za-z_][\w-]*)|\[(\d+)\]", text):
        out.append(name if name else int(index))
    return tuple(out)
