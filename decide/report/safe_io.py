"""Safe output: atomic file writes, the --force check, and spreadsheet-formula escaping.

Atomic writes
    Every file is written to a temporary name in its own folder (same file system), flushed
    and synced, then renamed over the target with :func:`os.replace`. A run that is
    interrupted leaves either the old file or the new one, never half a file; a stray
    temporary (``.<name>.<random>.tmp``) is removed when the write fails.

A report is one unit
    A report named ``NAME`` (``zaaksysteem-nl``) is the entries ``NAME.xlsx``, ``NAME.json``,
    ``NAME.md``, ``NAME.html``, ``NAME-csv/`` and ``NAME-charts/`` of its folder (:func:`unit_entries`).
    :func:`publish` writes the new report into a staging folder beside them
    (``.NAME.staging-<random>/``); only when every file is written and synced does it swap the
    report in: it records the swap in a journal (``.NAME.swap.json``, written atomically: the
    commit point), moves every entry of the earlier report into ``.NAME.previous-<random>/``
    (phase 1), moves the new entries in (phase 2), and removes the journal, the earlier report
    and the staging folder. ``--force`` thus replaces the whole earlier report, including parts
    the new one does not write, and nothing else in the folder.

    A failure before the commit point (disk full, permission) removes the staging folder and
    leaves the earlier report as it was; the error says so. A kill at any point leaves either
    the earlier report with a stray staging folder (before the commit point) or a journal; the
    next :func:`publish` or :func:`preflight <decide.report.preflight>` on that report first
    calls :func:`recover`, which removes the stray staging folder or completes the journalled
    swap. So after any interruption the folder holds the whole earlier or the whole new report.
    Entries are moved, never written through: a symlink or a FIFO at a report name is moved
    aside like a file, and counts as an earlier report without ``force``.

Existing files
    :func:`check_targets` refuses to replace files of an earlier run unless ``force`` is
    true.

Formula (CSV) injection
    A spreadsheet evaluates a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return as a formula (``=HYPERLINK("http://x", "y")`` would show a link, and
    worse formulas can run commands through DDE). :func:`escape_cell` prefixes such a text
    with a single quote ``'`` so it stays text (OWASP, "CSV Injection"). Numbers are never
    touched: a negative number is a number, not text.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

from decide.errors import DecideError, Message

__all__ = ["FORMULA_PREFIXES", "UNIT_PARTS", "atomic_write", "check_targets", "escape_cell", "is_formula_like",
           "publish", "recover", "unit_entries"]

#: First characters that make a spreadsheet treat a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would evaluate ``text`` (it begins with a formula prefix)."""
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def escape_cell(value: Any) -> Any:
    """Neutralise a text cell a spreadsheet would evaluate; leave everything else as it is.

    Parameters
    ----------
    value : object
        A cell value. Only ``str`` values are changed.

    Returns
    -------
    object
        ``"'" + value`` for a text beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage
        return; otherwise ``value`` unchanged (numbers, including negative ones, stay numbers).

    Examples
    --------
    >>> escape_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> escape_cell(-3.5)
    -3.5
    """
    if is_formula_like(value):
        return "'" + value
    return value


def check_targets(paths: Iterable[Path], force: bool, out_dir: Path) -> None:
    """Refuse to overwrite files of an earlier run unless ``force`` is true.

    Raises
    ------
    DecideError
        When ``out_dir`` is a file, or when one of ``paths`` exists and ``force`` is false.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise DecideError(_t("out_is_file", out=out_dir))
    if force:
        for p in paths:
            if Path(p).is_dir():
                raise DecideError(_t("folder_in_the_way", path=p))
        return
    existing = sorted(str(Path(p).relative_to(out_dir)) for p in paths if Path(p).exists())
    if existing:
        shown = ", ".join(existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise DecideError(_t("earlier_files_exist", out=out_dir, n=len(existing), shown=shown))


def atomic_write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Parameters
    ----------
    path : Path
        The target; its folder is created when missing.
    data : bytes

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is meant to be read by others
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path



# --------------------------------------------------------------------------- a report as one unit
#: The entries of a report ``NAME`` in its folder: ``NAME`` followed by one of these.
UNIT_PARTS = (".xlsx", ".json", ".md", ".html", "-csv", "-charts")


def _t(key: str, lang: str = "en", **fields: Any) -> Message:
    """The catalogue's ``output.<key>``: a Message in ``lang`` that faces render in theirs."""
    return Message(f"output.{key}", shown_in=lang if lang in ("nl", "en") else "en", **fields)


def check_out_dir(out_dir: Any, lang: str = "en") -> Path:
    """``out_dir`` as a Path; an empty name or a non-folder is a DecideError."""
    if out_dir is None or not str(out_dir).strip():
        raise DecideError(_t("out_empty", lang))
    out = Path(out_dir)
    if os.path.lexists(out) and not out.is_dir():
        raise DecideError(_t("out_is_file", lang, out=out))
    return out


def unit_entries(out_dir: Path, name: str) -> list[Path]:
    """The entries of report ``name`` that exist in ``out_dir`` (symlinks, dangling ones too)."""
    out_dir = Path(out_dir)
    return [out_dir / f"{name}{part}" for part in UNIT_PARTS if os.path.lexists(out_dir / f"{name}{part}")]


def _journal(out_dir: Path, name: str) -> Path:
    return out_dir / f".{name}.swap.json"


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def _write_journal(out_dir: Path, name: str, record: dict) -> None:
    atomic_write(_journal(out_dir, name), json.dumps(record).encode("utf-8"))
    _fsync_dir(out_dir)


def _swap(out_dir: Path, name: str, record: dict) -> None:
    """Carry out (or complete) the journalled swap of report ``name``."""
    stage = out_dir / record["staging"]
    backup = out_dir / record["backup"]
    if record.get("phase", 1) == 1:
        backup.mkdir(exist_ok=True)
        for entry in unit_entries(out_dir, name):  # in phase 1 every entry there is the earlier report's
            os.rename(entry, backup / entry.name)
        record = {**record, "phase": 2}
        _write_journal(out_dir, name, record)
    if stage.is_dir():
        for entry in sorted(stage.iterdir()):
            os.rename(entry, out_dir / entry.name)
    _fsync_dir(out_dir)
    os.unlink(_journal(out_dir, name))
    _remove(backup)
    _remove(stage)


def recover(out_dir: Any, name: str) -> Optional[str]:
    """Finish what an interrupted :func:`publish` of report ``name`` left in ``out_dir``.

    Returns
    -------
    str or None
        ``"completed"`` when a journalled swap was completed (the new report is in place),
        ``"cleaned"`` when stray staging folders of an unfinished write were removed (the earlier
        report is in place), None when there was nothing to do.
    """
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return None
    done = None
    journal = _journal(out_dir, name)
    if journal.is_file():
        try:
            record = json.loads(journal.read_text(encoding="utf-8"))
            ok = isinstance(record, dict) and all(isinstance(record.get(k), str) and record[k].startswith(f".{name}.")
                                                  and "/" not in record[k] for k in ("staging", "backup"))
        except (OSError, ValueError):
            ok = False
        if ok:
            _swap(out_dir, name, record)
            done = "completed"
        else:
            os.unlink(journal)  # unreadable: written only by an atomic rename, so this is not ours
    for prefix in (f".{name}.staging-", f".{name}.previous-", f".{journal.name}."):  # the last: journal temporaries
        for stray in out_dir.glob(f"{glob_escape(prefix)}*"):
            _remove(stray)
            done = done or "cleaned"
    return done


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _write_new(path: Path, data: bytes) -> None:
    """Create ``path`` (never existing: inside a fresh staging folder) and sync it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(out_dir: Any, name: str, files: dict, force: bool = False, lang: str = "en") -> list[Path]:
    """Write report ``name`` (``{relative path: bytes}``) into ``out_dir`` as one unit.

    See the module notes: staged beside the target, swapped in through a journal, the earlier
    report replaced as a whole with ``force`` (and refused without it), the earlier report intact
    on failure.

    Returns
    -------
    list of Path
        The files written, in the order of ``files``.

    Raises
    ------
    DecideError
        ``out_dir`` empty or a file; an earlier report and no ``force``; a write that failed
        (the message says the earlier report is unchanged).
    """
    out = check_out_dir(out_dir, lang)
    for rel in files:
        top = rel.split("/", 1)[0]
        if not any(top == f"{name}{part}" for part in UNIT_PARTS):
            raise DecideError(f"{rel}: not a part of report {name}")  # a programming error shown plainly
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DecideError(_t("out_cannot_create", lang, out=out, reason=exc.strerror or exc)) from None
    recover(out, name)
    existing = unit_entries(out, name)
    if existing and not force:
        shown = ", ".join(p.name for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise DecideError(_t("earlier_exists", lang, out=out, n=len(existing), shown=shown))
    state = _t("state_intact" if existing else "state_nothing", lang, out=out)
    stage: Optional[Path] = None
    try:
        stage = Path(tempfile.mkdtemp(prefix=f".{name}.staging-", dir=out))
        for rel, data in files.items():
            _write_new(stage / rel, data)
        for folder in {(stage / rel).parent for rel in files}:
            _fsync_dir(folder)
        _fsync_dir(stage)
    except OSError as exc:
        if stage is not None:
            _remove(stage)
        where = exc.filename or stage or out
        raise DecideError(_t("write_failed", lang, path=where, reason=exc.strerror or exc, state=state)) from None
    except BaseException:
        if stage is not None:
            _remove(stage)
        raise
    record = {"staging": stage.name, "backup": f".{name}.previous-{secrets.token_hex(4)}", "phase": 1}
    try:
        _write_journal(out, name, record)
    except OSError as exc:
        _remove(stage)
        raise DecideError(_t("write_failed", lang, path=_journal(out, name), reason=exc.strerror or exc,
                             state=state)) from None
    try:
        _swap(out, name, record)
    except OSError as exc:
        try:
            _undo(out, name, record)
        except OSError:
            raise DecideError(_t("swap_stuck", lang, out=out, reason=exc.strerror or exc,
                                 journal=_journal(out, name).name)) from None
        raise DecideError(_t("swap_failed", lang, out=out, reason=exc.strerror or exc)) from None
    return [out / rel for rel in files]


def _undo(out_dir: Path, name: str, record: dict) -> None:
    """Put the earlier report back after a failed swap (the new entries return to staging)."""
    journal = _journal(out_dir, name)
    phase = json.loads(journal.read_text(encoding="utf-8")).get("phase", 1)
    stage, backup = out_dir / record["staging"], out_dir / record["backup"]
    if phase == 2:  # every unit entry in the folder is the new report's
        stage.mkdir(exist_ok=True)
        for entry in unit_entries(out_dir, name):
            os.rename(entry, stage / entry.name)
    if backup.is_dir():
        for entry in sorted(backup.iterdir()):
            os.rename(entry, out_dir / entry.name)
    os.unlink(journal)
    _remove(backup)
    _remove(stage)
