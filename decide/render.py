"""Rendering for the command line: one place for labels, numbers and tables.

Every command of :mod:`decide.cli` formats what it prints through a :class:`View`, so a
screen has one decimal mark (``0,276`` in Dutch, ``0.276`` in English), money looks the
same in every command, weights are percentages, and options, criteria, suppliers and
modules appear by their label in the chosen language (their ids only when the user asks
with ``--ids``). Tables are drawn with ``rich`` when stdout is a terminal (long labels wrap
inside their column, nothing is cut off) and as plain aligned text otherwise, so pipes,
files and tests get stable text without box characters or colour codes.

Enumerated values (a criterion's direction, a solver status, a normalisation, a rule
name) are translated through the ``cli.yaml`` catalogue keys ``enum_<kind>_<value>``; a
value without an entry is shown as it is.
"""
from __future__ import annotations

import math
import os
import shutil
import sys
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence

from decide.i18n import catalogue, fmt_money, fmt_number, fmt_pct, t

#: Alignment of a column: ``left`` for text, ``right`` for numbers.
LEFT, RIGHT = "left", "right"


def enum(kind: str, value: Any, lang: str) -> str:
    """Translate an enumerated value (``enum("direction", "max", "nl")`` -> ``hoger is beter``)."""
    key = f"enum_{kind}_{value}"
    if key in catalogue("cli"):
        return t(f"cli.{key}", lang)
    shared = {"rule": "rule_", "status": "status_"}.get(kind)  # the portfolio's own words
    if shared is not None:
        name = str(value)
        if kind == "rule" and name.startswith("yearly_budget"):
            suffix = name[len("yearly_budget"):].lstrip("_[")
            return t("portfolio.rule_yearly_budget", lang) + (f" {suffix.rstrip(']')}" if suffix else "")
        if f"{shared}{name}" in catalogue("portfolio"):
            return t(f"portfolio.{shared}{name}", lang)
    return str(value)


@dataclass
class View:
    """How one screen shows ids, numbers and money in one language.

    Parameters
    ----------
    lang : str
        ``nl`` or ``en``.
    currency : str
        ISO code of the model's currency.
    model : DecisionModel, optional
        Source of the labels of options, criteria, suppliers and modules.
    ids : bool
        Show ids instead of labels (the ``--ids`` flag).
    """

    lang: str
    currency: str = "EUR"
    model: Any = None
    ids: bool = False
    _labels: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        m = self.model
        if m is None:
            return
        labels: dict[str, str] = {}
        for a in getattr(m, "alternatives", ()):
            labels[a.id] = a.name(self.lang)
        for _, c in m.iter_criteria() if getattr(m, "criteria", None) else ():
            labels.setdefault(c.id, c.name(self.lang))
        for s in getattr(m, "supplier_list", ()):
            labels.setdefault(s.id, m.supplier_name(s.id, self.lang))
        alloc = getattr(m, "allocation", None)
        if alloc is not None:
            for mod in getattr(alloc, "modules", ()) or ():
                labels.setdefault(mod.id, mod.name(self.lang))
        self._labels = labels

    # ---- names
    @property
    def labels(self) -> dict:
        """``{id: label}`` of every option, criterion, supplier and module of the model."""
        return dict(self._labels)

    def name(self, ident: Any) -> str:
        """The label of an option, criterion, supplier or module id (the id itself with ``ids``)."""
        if ident is None or (isinstance(ident, float) and math.isnan(ident)):
            return "-"
        ident = str(ident)
        if self.ids:
            return ident
        return self._labels.get(ident, ident)

    def text(self, sentence: str) -> str:
        """A library sentence with each quoted id (``'security'``) replaced by its label.

        Array-level modules name criteria and options by the ids they were given; a face
        that knows the labels shows those instead (unchanged with ``ids``).
        """
        if self.ids or not self._labels:
            return sentence
        import re

        return re.sub(r"'([^'\s]+)'", lambda m: self._labels.get(m.group(1), m.group(0)), sentence)

    def names(self, idents: Iterable[Any]) -> str:
        return ", ".join(self.name(i) for i in idents) or "-"

    def enum(self, kind: str, value: Any) -> str:
        return enum(kind, value, self.lang)

    # ---- numbers
    @staticmethod
    def _missing(x: Any) -> bool:
        if x is None:
            return True
        try:
            return math.isnan(float(x))
        except (TypeError, ValueError):
            return False

    def num(self, x: Any, decimals: int = 3) -> str:
        return "-" if self._missing(x) else fmt_number(float(x), self.lang, decimals)

    def int(self, x: Any) -> str:
        return "-" if self._missing(x) else fmt_number(float(x), self.lang, 0)

    def money(self, x: Any) -> str:
        return "-" if self._missing(x) else fmt_money(float(x), self.lang, self.currency)

    def pct(self, x: Any, decimals: int = 1) -> str:
        """A fraction as a percentage (weights, shares, acceptabilities)."""
        return "-" if self._missing(x) else fmt_pct(float(x), self.lang, decimals)

    def yes_no(self, flag: Any) -> str:
        return t("common.yes" if bool(flag) else "common.no", self.lang)

    def m(self, key: str, /, **kw: Any) -> str:
        return t(f"cli.{key}", self.lang, **kw)


# --------------------------------------------------------------------------- tables
def terminal() -> bool:
    """True when stdout is an interactive terminal (``DECIDE_PLAIN=1`` forces plain text)."""
    if os.environ.get("DECIDE_PLAIN"):
        return False
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def render_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], align: Optional[Sequence[str]] = None,
                 *, rich: Optional[bool] = None, width: Optional[int] = None) -> str:
    """A table as text: ``rich`` boxes for a terminal, plain aligned columns otherwise.

    Cells are shown whole: in a terminal a long cell wraps inside its column; in plain
    text a column is as wide as its widest cell.
    """
    align = list(align) if align is not None else [LEFT] * len(headers)
    cells = [["" if c is None else str(c) for c in row] for row in rows]
    use_rich = terminal() if rich is None else rich
    if use_rich:
        return _rich_table(headers, cells, align, width)
    return _plain_table(headers, cells, align)


def _plain_table(headers: Sequence[str], rows: list[list[str]], align: list[str]) -> str:
    cols = len(headers)
    widths = [len(h) for h in headers]
    for row in rows:
        for j in range(cols):
            widths[j] = max(widths[j], len(row[j]))

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(widths[j]) if align[j] == RIGHT else c.ljust(widths[j]) for j, c in enumerate(cells)]
        return "  " + "  ".join(parts).rstrip()

    out = [line(headers), "  " + "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def _rich_table(headers: Sequence[str], rows: list[list[str]], align: list[str], width: Optional[int]) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    width = width or shutil.get_terminal_size((100, 24)).columns
    # numbers never break and their headers wrap between words; names wrap between words and
    # keep room for a readable line (up to 22 characters); a table that cannot fit the terminal
    # that way is shown long: each row's name, then one "column: value" line per column
    words = [max((len(w) for w in str(h).split()), default=1) for h in headers]
    cells = [[r[j] for r in rows] for j in range(len(headers))]
    widest = [max([words[j]] + [len(c) for c in cells[j]]) for j in range(len(headers))]
    # a number column does not wrap, its header included: it takes the header's whole width
    mins = [max(widest[j], len(str(headers[j]))) if a == RIGHT else min(22, widest[j]) for j, a in enumerate(align)]
    if sum(mins) + 3 * len(mins) > width and len(headers) > 2:
        return _rich_long(headers, rows, align, width)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for j, (h, a) in enumerate(zip(headers, align)):
        if a == RIGHT:
            table.add_column(h, justify=a, no_wrap=True, min_width=mins[j])
        else:
            table.add_column(h, justify=a, overflow="fold", no_wrap=False, min_width=mins[j])
    for row in rows:
        table.add_row(*row)
    console = Console(width=width, force_terminal=True, color_system=None, highlight=False, soft_wrap=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get().rstrip("\n")


def _rich_long(headers: Sequence[str], rows: list[list[str]], align: list[str], width: int) -> str:
    """A table too wide for the terminal, long: per row its name, then "column  value" lines."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    name = next((j for j, a in enumerate(align) if a == LEFT), 0)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, show_header=False)
    table.add_column(headers[name], overflow="fold", min_width=min(30, max(len(r[name]) for r in rows) if rows else 10))
    table.add_column("", overflow="fold")
    table.add_column("", justify="right", no_wrap=True)
    for r in rows:
        first = True
        for j, h in enumerate(headers):
            if j == name:
                continue
            table.add_row(r[name] if first else "", h, r[j], end_section=(j == len(headers) - 1))
            first = False
    console = Console(width=width, force_terminal=True, color_system=None, highlight=False, soft_wrap=False)
    with console.capture() as cap:
        console.print(table)
    return cap.get().rstrip("\n")


def render_wrapped(text: str, indent: str = "  ", width: Optional[int] = None) -> str:
    """A long sentence wrapped to the terminal (unchanged when not a terminal)."""
    if not terminal():
        return indent + text
    import textwrap

    width = width or shutil.get_terminal_size((100, 24)).columns
    return textwrap.fill(text, width=max(40, width), initial_indent=indent, subsequent_indent=indent + "  ")


# --------------------------------------------------------------------------- input
def parse_amount(text: str, lang: Optional[str] = None) -> float:
    """Read an amount typed by a user: ``1500000``, ``1.500.000`` or ``1.500.000,50`` (Dutch),
    ``1,500,000`` or ``1,500,000.50`` (English), ``1_500_000``; a leading ``€`` is allowed.

    A lone separator followed by exactly three digits (``1.500``) is read as thousands
    grouping in Dutch and as a decimal point in English; with ``lang=None`` the Dutch
    reading is used only when more than one group is present.

    Raises
    ------
    ValueError
        When the text is not an amount.
    """
    s = str(text).strip().replace("€", "").replace("_", "").replace(" ", "").replace("\u00a0", "")
    if not s:
        raise ValueError(text)
    dots, commas = s.count("."), s.count(",")

    def grouped(body: str, sep: str) -> bool:
        parts = body.split(sep)
        return len(parts) > 1 and 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])

    if dots and commas:
        # the later separator is the decimal mark
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif dots > 1 or (dots == 1 and lang == "nl" and grouped(s, ".")):
        if not grouped(s, "."):
            raise ValueError(text)
        s = s.replace(".", "")
    elif commas > 1 or (commas == 1 and lang != "nl" and grouped(s, ",")):
        if not grouped(s, ","):
            raise ValueError(text)
        s = s.replace(",", "")
    elif commas == 1:
        s = s.replace(",", ".")
    value = float(s)
    return value


# --------------------------------------------------------------------------- errors
def with_lines(problems: Sequence[Any]) -> list:
    """``problems`` with the line numbers the library left out filled in from their files.

    An analysis that finds a problem in a loaded model (the requirements exclude every option,
    a score outside its reference levels) knows the place in the file (``alternatives[2].scores``)
    but does not read the file again; the face that shows the problem looks the place up, once
    per file. A file that changed, vanished or no longer parses leaves the problem as it was.
    """
    import dataclasses

    maps: dict[str, Any] = {}
    out = []
    for p in problems:
        if p.line is None and p.loc and p.file and os.path.isfile(p.file):
            if p.file not in maps:
                maps[p.file] = _line_map(p.file)
            lines = maps[p.file]
            if lines is not None:
                from decide.places import parse_loc

                line = lines.line(parse_loc(p.loc))
                if line is not None:
                    p = dataclasses.replace(p, line=line)
        out.append(p)
    return out


def _line_map(path: str) -> Any:
    from decide.loader import MAX_FILE_BYTES, parse_yaml

    try:
        if os.path.getsize(path) > MAX_FILE_BYTES:
            return None
        with open(path, encoding="utf-8") as fh:
            return parse_yaml(fh.read(), path)[1]
    except Exception:  # noqa: BLE001 - only the line number is at stake; the problem is shown without it
        return None


def _problem_text(p: Any, lang: str) -> str:
    """One located problem in ``lang``, its sentence made from its code and params."""
    where = p.file or "<model>"
    if p.line is not None:
        where = f"{where}:{p.line}"
    loc = f" {p.loc}:" if p.loc else ""
    return f"{where}:{loc} {p.text(lang)} [{p.code}]"


#: Problems a command-line flag fixes: code -> the flag's destination. The library's text names
#: the value (never a flag); the command line adds ``cli.flag_hint_<code>`` when the user set that
#: flag (an on/off flag such as ``--force`` always counts as set).
FLAG_HINTS = {
    "unknown-method": "method",
    # report output (decide.report)
    "out-empty": "out", "out-is-file": "out", "out-cannot-create": "out", "folder-in-the-way": "out",
    "earlier-exists": "force", "earlier-files-exist": "force",
    "format-unknown": "format", "language-unknown": "lang", "csv-dialect-unknown": "csv_dialect",
    # files that exist (workbook, score sheets, workshop export)
    "file-exists": "force", "exists": "force",
    # decide allocate --export FILE
    "export-exists": "force",
}

#: Problems a flag the command offers fixes although the user did not set it (no evaluators
#: named: ``--evaluators``): code -> the flag's destination.
FLAG_OFFERED = {
    "model-or-template-missing": "template", "evaluators-missing": "evaluators",
    "scoresheet-model-unknown": "model", "score-sheets-missing": "target",
}


def _flag_hint(code: str, lang: str, args: Any) -> str:
    if args is None:
        return ""
    dest = FLAG_HINTS.get(code)
    if dest is None or getattr(args, dest, None) is None:
        dest = FLAG_OFFERED.get(code)
        if dest is None or not hasattr(args, dest):
            return ""
    return " " + t(f"cli.flag_hint_{code.replace('-', '_')}", lang)


def error_text(exc: BaseException, lang: str, args: Any = None) -> str:
    """A user error as the user should read it, in ``lang``.

    A :class:`~decide.errors.ModelError` lists each located problem under a head line; any
    other error made of problems (``InputError.at(...)``) shows each problem on its own line;
    an error that names a catalogue key (``key`` and ``params``, as
    :class:`~decide.errors.UsageError` does) is looked up; anything else keeps its own
    message; an error with a ``head`` (``DecideError.of(problems, head=...)``) shows it first.
    Every sentence comes from the catalogue in ``lang``; with the command line's
    ``args``, a problem that a flag the user set can fix gets that flag's hint.
    """
    from decide.errors import ModelError, Problem

    if isinstance(exc, ModelError):
        n = len(exc.problems)
        head = t("errors.problems_found" if n == 1 else "errors.problems_found_plural", lang,
                 file=exc.file or "model", n=n)
        return head + "\n" + "\n".join(f"  {_problem_text(p, lang)}{_flag_hint(p.code, lang, args)}"
                                        for p in with_lines(exc.problems))
    problems = [p for p in (getattr(exc, "located", None) or getattr(exc, "problems", None) or ())
                if isinstance(p, Problem)]
    if problems:
        lines = [(f"{p.loc}: " if p.loc else "") + p.text(lang) + _flag_hint(p.code, lang, args) for p in problems]
        head = getattr(exc, "head", None)
        return "\n  ".join(([head.text(lang)] if hasattr(head, "text") else []) + lines)
    key = getattr(exc, "key", None)
    if key:
        try:
            return t(key, lang, **(getattr(exc, "params", None) or {}))
        except (KeyError, IndexError):
            pass
    text = exc.args[0] if exc.args else None
    if hasattr(text, "text"):  # raised with a Message
        return text.text(lang)
    return str(exc)


def guess_language(path: Any) -> Optional[str]:
    """The ``language:`` a model file declares, read without loading it (``nl``, the default
    language of a model, when it declares none; None when the file cannot be read)."""
    import re

    try:
        with open(path, encoding="utf-8") as fh:
            head = fh.read(20000)
    except (OSError, UnicodeDecodeError, TypeError):
        return None
    found = re.search(r"^language:\s*['\"]?(nl|en)\b", head, re.M)
    return found.group(1) if found else "nl"  # a model's language when it names none
