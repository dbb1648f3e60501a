"""Reading and validating model files: every problem reported at once, with its line.

``load_model(path)`` reads a YAML model file (``yaml.safe_load`` semantics), checks the
schema version, validates the structure (pydantic, unknown keys forbidden) and then the
cross-references (unknown criteria, suppliers, modules, options; contradictions) in one
pass, and raises one :class:`~decide.errors.ModelError` listing every located problem::

    models/x.yaml:23: criteria[2].direction: expected 'max' or 'min', got 'maks' [wrong-value]

Line numbers come from the YAML node marks (PyYAML's composer).
"""
from __future__ import annotations

import difflib
import hashlib
import typing
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ValidationError

from decide.errors import ModelError, Problem
from decide.model import SCHEMA_VERSIONS, DecisionModel
from decide.validation import cross_check

Loc = tuple  # path inside the document: ("criteria", 2, "direction")


# --------------------------------------------------------------------------- YAML
class _LineMap:
    """Maps document paths to 1-based line numbers, from the YAML nodes."""

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int]] = []

    def walk(self, node: yaml.Node, path: Loc = ()) -> None:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                sub = path + (key,)
                if key in seen:
                    self.duplicates.append((sub, key_node.start_mark.line + 1))
                seen.add(key)
                self.lines[sub] = key_node.start_mark.line + 1
                self.walk_value(value_node, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.walk(item, path + (i,))

    def walk_value(self, node: yaml.Node, path: Loc) -> None:
        line = self.lines[path]
        self.walk(node, path)
        self.lines[path] = line  # keep the key's line for the key itself

    def line(self, loc: Loc) -> Optional[int]:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def format_loc(loc: Loc) -> str:
    """``("criteria", 2, "direction")`` -> ``criteria[2].direction``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _read_text(path: Path, shown: str) -> str:
    if not path.exists():
        raise ModelError(
            [Problem("file-not-found", "", "file not found; check the path (models live in models/*.yaml)", None, shown)],
            shown,
        )
    if not path.is_file():
        raise ModelError([Problem("not-a-file", "", "this is a folder, not a model file; name a .yaml file", None, shown)], shown)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ModelError(
            [Problem("not-utf8", "", f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be read); "
                     "save it as UTF-8", line, shown)],
            shown,
        ) from None


def parse_yaml(text: str, shown: str = "<model>") -> tuple[Any, _LineMap]:
    """Parse YAML text into plain data and a line map; syntax errors become a ModelError."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise ModelError([Problem("empty-file", "", "the file is empty; start from an example in models/", 1, shown)], shown)
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        ctx = getattr(exc, "context", None)
        ctx_mark = getattr(exc, "context_mark", None)
        if ctx and ctx_mark is not None and ctx_mark.line + 1 != line:
            ctx = f"{ctx} that starts at line {ctx_mark.line + 1}"
        msg = f"YAML syntax error: {what}" + (f" ({ctx})" if ctx else "")
        raise ModelError([Problem("yaml-syntax", "", msg + "; check indentation, colons and quotes", line, shown)], shown) from None
    finally:
        loader.dispose()
    lines = _LineMap()
    lines.walk(node)
    return data, lines


# --------------------------------------------------------------------------- pydantic errors
_TYPE_WORDS = {
    "float": "a number", "int": "a whole number", "bool": "true or false", "string": "a text",
    "list": "a list", "dict": "a mapping (key: value)", "model": "a mapping (key: value)",
}


def _field_names(loc: Loc) -> list[str]:
    """The keys allowed at the mapping that holds ``loc[-1]``, for did-you-mean hints."""
    cls: Any = DecisionModel
    for part in loc[:-1]:
        cls = _step(cls, part)
        if cls is None:
            return []
    cls = _unwrap(cls)
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        return list(cls.model_fields)
    return []


def _unwrap(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else tp
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    return tp


def _step(cls: Any, part: Any) -> Any:
    cls = _unwrap(cls)
    if isinstance(part, int):
        if typing.get_origin(cls) is list:
            return typing.get_args(cls)[0]
        return None
    if isinstance(cls, type) and issubclass(cls, BaseModel):
        f = cls.model_fields.get(part)
        return f.annotation if f is not None else None
    if typing.get_origin(cls) is dict:
        return typing.get_args(cls)[1]
    return None


def _problem_from_pydantic(err: dict, lines: _LineMap, file: str) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    got = err.get("input")
    where = format_loc(loc)
    line = lines.line(loc)
    if kind == "missing":
        return Problem("missing-key", where, f"required key '{loc[-1]}' is missing; add it", line, file)
    if kind == "extra_forbidden":
        allowed = _field_names(loc)
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean '{near[0]}'?" if near else (f"; allowed keys: {', '.join(allowed)}" if allowed else "")
        return Problem("unknown-key", where, f"unknown key '{loc[-1]}'{hint}", line, file)
    if kind == "literal_error":
        return Problem("wrong-value", where, f"expected {err['ctx']['expected']}, got {got!r}", line, file)
    if kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
        return Problem("wrong-value", where, msg, line, file)
    for prefix, word in _TYPE_WORDS.items():
        if kind.startswith(prefix):
            return Problem("wrong-type", where, f"expected {word}, got {_show(got)}", line, file)
    return Problem("wrong-value", where, f"{err['msg']}, got {_show(got)}", line, file)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- public
def validate_data(data: Any, file: Optional[str] = None, lines: Optional[_LineMap] = None) -> DecisionModel:
    """Validate already-parsed model data; raise one ModelError with every problem."""
    shown = file or "<model>"
    lines = lines or _LineMap()
    problems: list[Problem] = []
    for loc, line in lines.duplicates:
        problems.append(Problem("duplicate-key", format_loc(loc),
                                f"key '{loc[-1]}' appears twice in this mapping; keep one", line, shown))
    if not isinstance(data, dict):
        raise ModelError([Problem("not-mapping", "", f"expected a mapping of keys (decide: 1, title: ..., ...), "
                                  f"got {_show(data)}", lines.line(()), shown)], shown)
    version = data.get("decide")
    if version is None:
        raise ModelError(problems + [Problem("version-missing", "decide", "the schema version is missing; "
                                             "add 'decide: 1' as the first line", 1, shown)], shown)
    if isinstance(version, bool) or not isinstance(version, int) or version not in SCHEMA_VERSIONS:
        supported = ", ".join(str(v) for v in SCHEMA_VERSIONS)
        raise ModelError(problems + [Problem(
            "version-unsupported", "decide",
            f"schema version {version!r} is not supported by this decide (it reads version {supported}); "
            "use 'decide: 1' or upgrade decide", lines.line(("decide",)), shown)], shown)

    model: Optional[DecisionModel] = None
    try:
        model = DecisionModel.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(_problem_from_pydantic(err, lines, shown))
    for code, loc, message in cross_check(data):
        problems.append(Problem(code, format_loc(loc), message, lines.line(loc), shown))
    if problems:
        # one problem per place and code: pydantic and the cross-checks may both see it
        unique: dict[tuple, Problem] = {}
        for p in problems:
            unique.setdefault((p.code, p.loc, p.message), p)
        ordered = sorted(unique.values(), key=lambda p: (p.line or 0, p.loc))
        raise ModelError(ordered, shown)
    assert model is not None
    return model


def load_model(path: str | Path) -> DecisionModel:
    """Load and validate a model file.

    Parameters
    ----------
    path : str or Path
        A YAML model file (schema version 1, see models/README.md).

    Returns
    -------
    DecisionModel
        Frozen; ``model.path`` and ``model.sha256`` record where it came from.

    Raises
    ------
    ModelError
        Listing every problem with file, line, location and what to do.
    """
    p = Path(path)
    shown = str(path)
    text = _read_text(p, shown)
    data, lines = parse_yaml(text, shown)
    model = validate_data(data, shown, lines)
    model._path = shown
    model._sha256 = hashlib.sha256(p.read_bytes()).hexdigest()
    return model


def loads_model(text: str, name: str = "<string>") -> DecisionModel:
    """Load a model from YAML text (tests, notebooks)."""
    data, lines = parse_yaml(text, name)
    return validate_data(data, name, lines)
