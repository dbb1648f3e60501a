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
import os
import re
import stat
import sys
import typing
from pathlib import Path
from typing import Any, Optional

import yaml
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from decide.errors import Message, ModelError, Problem
from decide.ignored import model_warnings
from decide.model import _VALIDATOR, SCHEMA_VERSIONS, DecisionModel
from decide.places import format_loc
from decide.validation import char_name, cross_check, model_checks

Loc = tuple  # path inside the document: ("criteria", 2, "direction")


# --------------------------------------------------------------------------- limits
#: Largest model file read (bytes). The largest realistic model (a catalogue of 10 000 options
#: with 30 scores each) is about 6 MB; reading costs about 10 s per MB.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: Deepest nesting of lists and mappings (a criteria tree five levels deep needs about 12).
MAX_DEPTH = 64
#: Most aliases (``*name``) in one file.
MAX_ALIASES = 10_000
#: Most values (scalars, lists, mappings) the document may hold once every alias is expanded.
MAX_NODES = 2_000_000

# YAML's printable set (what PyYAML's reader accepts); everything else is a control character.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# In a text value: C0/C1 controls except tab and newlines, lone surrogates, U+FFFE/U+FFFF.
_BAD_IN_TEXT = re.compile("[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]")
_LANG_LINE = re.compile(r"^language:\s*['\"]?(nl|en)\b", re.MULTILINE)


def _file_lang(text: str | None) -> str:
    """The model's language read from its text before parsing (for file-level messages)."""
    if text:
        match = _LANG_LINE.search(text[:200_000])
        if match:
            return match.group(1)
    return "nl"


class _Refused(Exception):
    """A limit or a bad character found while composing: (message key, mark, fields)."""

    def __init__(self, key: str, code: str, mark: Any, **fields: Any):
        super().__init__(key)
        self.key, self.code, self.mark, self.fields = key, code, mark, fields


# --------------------------------------------------------------------------- YAML
class _Bounded:
    """Composer and constructor hooks: a depth limit, an alias limit and located value errors.

    Mixed into a loader whose parser is libyaml's (``yaml.CParser``, fast, iterative) when
    PyYAML has it, else PyYAML's own. Composition stays in Python (PyYAML's ``Composer``), so
    the limits apply before a node is built.
    """

    def _init_bounds(self) -> None:
        self._depth = 0
        self.alias_marks: list[Any] = []

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            self.alias_marks.append(mark)
            if len(self.alias_marks) > MAX_ALIASES:
                raise _Refused("too_many_aliases", "too-many-aliases", mark, limit=MAX_ALIASES)
            return Composer.compose_node(self, parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused("too_deep", "too-deep", self.peek_event().start_mark, limit=MAX_DEPTH)
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return SafeConstructor.construct_object(self, node, deep)
        except (yaml.YAMLError, _Refused):
            raise
        except (ValueError, OverflowError, TypeError, ArithmeticError) as exc:
            raise _Refused("yaml_value", "yaml-value", node.start_mark, reason=str(exc)[:120]) from None


def _make_loader(text: str, fast: bool = True) -> Any:
    """A loader for ``text``: libyaml's parser when available (and ``fast``), else PyYAML's own."""
    cparser = getattr(getattr(yaml, "_yaml", None), "CParser", None) if getattr(yaml, "__with_libyaml__", False) else None
    if cparser is not None and fast:
        class _Fast(_Bounded, cparser, Composer, SafeConstructor, Resolver):  # type: ignore[misc, valid-type]
            get_single_node = Composer.get_single_node
            compose_document = Composer.compose_document

            def __init__(self, stream: str):
                cparser.__init__(self, stream)
                Composer.__init__(self)
                SafeConstructor.__init__(self)
                Resolver.__init__(self)
                self._init_bounds()

        return _Fast(text)

    class _Slow(_Bounded, yaml.SafeLoader):
        def __init__(self, stream: str):
            yaml.SafeLoader.__init__(self, stream)
            self._init_bounds()

    return _Slow(text)


class _LineMap:
    """Maps document paths to 1-based line numbers, from the YAML nodes.

    Each node is walked once: an alias shares its anchor's node, and its path gets the line
    of the anchor's node without a walk through it again (an alias bomb costs nothing here).
    """

    def __init__(self) -> None:
        self.lines: dict[Loc, int] = {}
        self.duplicates: list[tuple[Loc, int]] = []
        self._seen: set[int] = set()
        self.sizes: dict[int, int] = {}

    def walk(self, node: yaml.Node, path: Loc = ()) -> int:
        """Record the lines under ``node``; return the number of values it expands to."""
        self.lines.setdefault(path, node.start_mark.line + 1)
        key = id(node)
        if key in self._seen:
            size = self.sizes.get(key)
            if size is None:  # still being walked: the node contains itself
                raise _Refused("alias_recursive", "alias-recursive", node.start_mark)
            return size
        self._seen.add(key)
        size = 1
        if isinstance(node, yaml.MappingNode):
            seen: set = set()
            for key_node, value_node in node.value:
                k = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                sub = path + (k,)
                if k in seen:
                    self.duplicates.append((sub, key_node.start_mark.line + 1))
                seen.add(k)
                self.lines[sub] = key_node.start_mark.line + 1
                size += self.walk_value(value_node, sub) + 1
                if size > MAX_NODES:
                    break
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                size += self.walk(item, path + (i,))
                if size > MAX_NODES:
                    break
        self.sizes[key] = size
        return size

    def walk_value(self, node: yaml.Node, path: Loc) -> int:
        line = self.lines[path]
        size = self.walk(node, path)
        self.lines[path] = line  # keep the key's line for the key itself
        return size

    def line(self, loc: Loc) -> Optional[int]:
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get(())


def _refuse(key: str, code: str, shown: str, lang: str, at: Optional[int] = None, loc: str = "", **fields: Any):
    """One located problem as a ModelError; whole numbers in ``fields`` get the language's grouping."""
    from decide.validation import grouped

    shown_fields = {k: (grouped(v) if isinstance(v, int) and not isinstance(v, bool) and v > 9999 else v)
                    for k, v in fields.items()}
    return ModelError([Problem(code, loc, Message(f"loader.{key}", **shown_fields), at, shown)], shown)


def _read_bytes(path: Path, shown: str, lang: str = "nl") -> bytes:
    """The file's bytes; every way of not being a readable model file is a located ModelError.

    The file is opened without following it into a FIFO's wait (``O_NONBLOCK``) and checked to be
    a regular file before reading; at most :data:`MAX_FILE_BYTES` + 1 bytes are read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise _refuse("file_not_found", "file-not-found", shown, lang) from None
    except IsADirectoryError:
        raise _refuse("is_folder", "not-a-file", shown, lang) from None
    except OSError as exc:
        raise _refuse("os_error", "file-unreadable", shown, lang, reason=exc.strerror or type(exc).__name__) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise _refuse("is_folder", "not-a-file", shown, lang)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse("not_regular", "not-a-file", shown, lang)
        if info.st_size > MAX_FILE_BYTES:
            raise _refuse("too_large", "file-too-large", shown, lang, limit=MAX_FILE_BYTES // (1024 * 1024))
        chunks, total = [], 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_FILE_BYTES:  # grew while being read
            raise _refuse("too_large", "file-too-large", shown, lang, limit=MAX_FILE_BYTES // (1024 * 1024))
        return b"".join(chunks)
    except OSError as exc:
        raise _refuse("os_error", "file-unreadable", shown, lang, reason=exc.strerror or type(exc).__name__) from None
    finally:
        os.close(fd)


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ModelError(
            [Problem.of("not-utf8", "", byte=f"0x{raw[exc.start]:02x}", line=line, file=shown)],
            shown,
        ) from None


def _read_text(path: Path, shown: str) -> str:
    return _decode(_read_bytes(path, shown), shown)


def _check_characters(text: str, shown: str) -> None:
    """Refuse a control character in the raw text, with its line and column."""
    match = _NON_PRINTABLE.search(text)
    if match is None:
        return
    pos = match.start()
    line = text.count("\n", 0, pos) + 1
    column = pos - (text.rfind("\n", 0, pos) + 1) + 1
    raise _refuse("control_char", "control-character", shown, _file_lang(text), line,
                  char=char_name(match.group()), line=line, column=column)


def parse_yaml(text: str, shown: str = "<model>") -> tuple[Any, _LineMap]:
    """Parse YAML text into plain data and a line map; syntax errors become a ModelError.

    Safe on hostile text: the size is bounded by the caller (:data:`MAX_FILE_BYTES`); control
    characters, nesting beyond :data:`MAX_DEPTH`, more than :data:`MAX_ALIASES` aliases, aliases that
    expand beyond :data:`MAX_NODES` values or refer to themselves, and values PyYAML cannot build
    (``2024-02-30``) are each one located problem.
    """
    lang = _file_lang(text)
    if len(text) > MAX_FILE_BYTES:
        raise _refuse("too_large", "file-too-large", shown, lang, limit=MAX_FILE_BYTES // (1024 * 1024))
    _check_characters(text, shown)
    try:
        data, lines = _compose(text, shown, lang, fast=True)
    except yaml.YAMLError:
        # libyaml found a syntax error: PyYAML's parser words it better ("expected ',' or '}',
        # but got ':'"); errors are the rare path, so parse again to report its message
        data, lines = _compose(text, shown, lang, fast=False)
    _check_values(data, lines, shown, lang)
    return data, lines


def _compose(text: str, shown: str, lang: str, fast: bool) -> tuple[Any, "_LineMap"]:
    lines = _LineMap()
    loader: Any = None
    try:
        loader = _make_loader(text, fast)
        node = loader.get_single_node()
        if node is None:
            raise ModelError([Problem.of("empty-file", "", line=1, file=shown)], shown)
        if lines.walk(node) > MAX_NODES:
            first = loader.alias_marks[0].line + 1 if loader.alias_marks else None
            raise _refuse("alias_expansion", "alias-bomb", shown, lang, first, limit=MAX_NODES)
        data = loader.construct_document(node)
    except _Refused as exc:
        line = exc.mark.line + 1 if exc.mark is not None else None
        raise _refuse(exc.key, exc.code, shown, lang, line, **exc.fields) from None
    except yaml.YAMLError as exc:
        if fast:
            raise
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        if mark is None and getattr(exc, "position", None) is not None:  # ReaderError
            line = text.count("\n", 0, exc.position) + 1
        what = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
        ctx = getattr(exc, "context", None)
        ctx_mark = getattr(exc, "context_mark", None)
        if ctx and ctx_mark is not None and ctx_mark.line + 1 != line:
            ctx = f"{ctx} that starts at line {ctx_mark.line + 1}"
        # PyYAML's own words for what it found stay as they are (they quote the text)
        detail = f"{what}" + (f" ({ctx})" if ctx else "")
        raise ModelError([Problem.of("yaml-syntax", "", detail=detail, line=line, file=shown)], shown) from None
    except RecursionError:  # a guard: the depth limit keeps every recursion far below Python's
        raise _refuse("too_deep", "too-deep", shown, lang, None, limit=MAX_DEPTH) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


def _check_values(data: Any, lines: _LineMap, shown: str, lang: str) -> None:
    """Refuse bad characters in texts (keys included) and integers beyond float range, located.

    Each list and mapping is visited once, however many aliases share it.
    """
    problems: list[Problem] = []
    seen: set[int] = set()
    stack: list[tuple[Any, Loc]] = [(data, ())]
    while stack and len(problems) < 50:
        value, loc = stack.pop()
        if isinstance(value, str):
            bad = _BAD_IN_TEXT.search(value)
            if bad:
                problems.append(Problem("bad-character", format_loc(loc),
                                        Message("loader.bad_char_in_text", char=char_name(bad.group())),
                                        lines.line(loc), shown))
        elif isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > sys.float_info.max:
                text = str(abs(value))
                shown_value = ("-" if value < 0 else "") + text[:12] + "…"
                problems.append(Problem("number-too-large", format_loc(loc),
                                        Message("loader.number_too_large", value=shown_value, digits=len(text)),
                                        lines.line(loc), shown))
        elif isinstance(value, (dict, list)):
            if id(value) in seen:
                continue
            seen.add(id(value))
            if isinstance(value, dict):
                for k, v in value.items():
                    if isinstance(k, str) and _BAD_IN_TEXT.search(k):
                        stack.append((k, loc + (k,)))
                    stack.append((v, loc + (k,)))
            else:
                stack.extend((v, loc + (i,)) for i, v in enumerate(value))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.loc))
        raise ModelError(problems, shown)


# --------------------------------------------------------------------------- pydantic errors
#: pydantic's error types by prefix -> the catalogue's ``errors.kind_<word>`` for the kind of value expected
_TYPE_WORDS = {
    "float": "a_number", "int": "a_whole_number", "bool": "true_or_false", "string": "a_text",
    "list": "a_list", "dict": "a_mapping", "model": "a_mapping",
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
        return Problem.of("missing-key", where, key="errors.shape_missing_key", key_name=str(loc[-1]), line=line, file=file)
    if kind == "extra_forbidden":
        allowed = _field_names(loc)
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if near:
            return Problem.of("unknown-key", where, key="errors.shape_unknown_key_near", key_name=str(loc[-1]),
                              near=near[0], line=line, file=file)
        if allowed:
            return Problem.of("unknown-key", where, key="errors.shape_unknown_key_allowed", key_name=str(loc[-1]),
                              allowed=", ".join(allowed), line=line, file=file)
        return Problem.of("unknown-key", where, key="errors.shape_unknown_key", key_name=str(loc[-1]), line=line, file=file)
    if kind == "literal_error":
        choices = str(err["ctx"]["expected"])
        return Problem.of("wrong-value", where, key="errors.shape_expected_got",
                          expected={"en": choices, "nl": choices.replace("' or '", "' of '")}, got=repr(got),
                          line=line, file=file)
    if kind == "value_error":
        cause = (err.get("ctx") or {}).get("error")
        msg = cause.args[0] if cause is not None and cause.args and isinstance(cause.args[0], Message) else \
            str(err["msg"]).removeprefix("Value error, ")
        return Problem("wrong-value", where, msg, line, file)
    for prefix, word in _TYPE_WORDS.items():
        if kind.startswith(prefix):
            return Problem.of("wrong-type", where, key="errors.shape_expected_got", expected=Message(f"errors.kind_{word}"),
                              got=_show(got), line=line, file=file)
    return Problem("wrong-value", where, f"{err['msg']}, got {_show(got)}", line, file)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return Message("errors.kind_a_mapping")
    if isinstance(value, list):
        return Message("errors.kind_a_list")
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --------------------------------------------------------------------------- public
def validate_data(data: Any, file: Optional[str] = None, lines: Optional[_LineMap] = None) -> DecisionModel:
    """Validate already-parsed model data; raise one ModelError with every problem."""
    shown = file or "<model>"
    lines = lines or _LineMap()
    problems: list[Problem] = []
    for loc, line in lines.duplicates:
        problems.append(Problem.of("duplicate-key", format_loc(loc), key_name=str(loc[-1]), line=line, file=shown))
    if not isinstance(data, dict):
        raise ModelError([Problem.of("not-mapping", "", got=_show(data), line=lines.line(()), file=shown)], shown)
    version = data.get("decide")
    if version is None:
        raise ModelError(problems + [Problem.of("version-missing", "decide", line=1, file=shown)], shown)
    if isinstance(version, bool) or not isinstance(version, int) or version not in SCHEMA_VERSIONS:
        supported = ", ".join(str(v) for v in SCHEMA_VERSIONS)
        raise ModelError(problems + [Problem.of("version-unsupported", "decide", version=repr(version),
                                                supported=supported, line=lines.line(("decide",)), file=shown)], shown)

    model: Optional[DecisionModel] = None
    try:
        model = DecisionModel.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(_problem_from_pydantic(err, lines, shown))
    for code, loc, message in cross_check(data):
        problems.append(Problem(code, format_loc(loc), message, lines.line(loc), shown))
    screening = None
    if model is not None and not problems:
        # what the analyses check before they run, so that a valid model is one they accept
        found, screening = model_checks(model)
        for code, loc, message in found:
            problems.append(Problem(code, format_loc(loc), message, lines.line(loc), shown))
    if problems:
        # one problem per place and code: pydantic and the cross-checks may both see it
        unique: dict[tuple, Problem] = {}
        for p in problems:
            unique.setdefault((p.code, p.loc, p.message), p)
        ordered = sorted(unique.values(), key=lambda p: (p.line or 0, p.loc))
        raise ModelError(ordered, shown)
    assert model is not None
    # the warnings of a valid model (every option knocked out, settings that others make
    # irrelevant), computed once here with their lines; every face reads model.warnings
    model._warnings = model_warnings(model, screening, lines.line if lines.lines else None, shown)
    return model


def load_model(path: str | Path, lang: Optional[str] = None) -> DecisionModel:
    """Load and validate a model file.

    Parameters
    ----------
    path : str or Path
        A YAML model file (schema version 1, see models/README.md).
    lang : {"nl", "en"}, optional
        Language of the messages about the file itself (not found, unreadable) given before
        the file tells its own language; default Dutch.

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
    raw = _read_bytes(p, shown, lang if lang in ("nl", "en") else "nl")
    data, lines = parse_yaml(_decode(raw, shown), shown)
    model = validate_data(data, shown, lines)
    model._path = shown
    model._sha256 = hashlib.sha256(raw).hexdigest()
    return model


def loads_model(text: str, name: str = "<string>") -> DecisionModel:
    """Load a model from YAML text (tests, notebooks)."""
    data, lines = parse_yaml(text, name)
    return validate_data(data, name, lines)


_VALIDATOR[:] = [validate_data]  # DecisionModel.replace re-validates through it
