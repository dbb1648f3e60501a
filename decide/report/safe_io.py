"""Safe output: atomic file writes, the --force check, and spreadsheet-formula escaping.

Atomic writes
    Every file is written to a temporary name in its own folder (same file system), flushed
    and synced, then moved onto the target. A run that is interrupted leaves either the old file
    or the new one, never half a file; a stray temporary (``.<name>.<random>.tmp``) is removed
    when the write fails.

No clobbering: the final move checks again
    With ``force`` the move is :func:`os.replace`: whatever is at the target goes. Without it a
    check made earlier is not enough (another process, or a second ``decide`` run, can create the
    target in between), so the final move itself refuses an existing target (:func:`move_new`):
    a file is hard-linked to the target name (:func:`os.link` fails atomically when the name
    exists, whatever it is, a dangling symlink included) and its temporary name is then removed;
    a folder is renamed, which POSIX refuses over a file, a symlink or a folder that is not empty,
    after a last check that nothing is there. On a file system that cannot hard-link (some FAT,
    SMB or FUSE mounts: ``os.link`` fails with EPERM, ENOTSUP, ENOSYS or EMLINK) a file falls
    back to that same check followed by :func:`os.replace`, which narrows the gap to microseconds
    but cannot close it; only on such a file system, or for an empty folder appearing in that
    gap, can a target made between the check and the move still be replaced. A refused move
    leaves nothing of the new write behind, and the caller's error is the one its up-front check
    gives.

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

    Without ``force`` the swap moves nothing aside: an entry of the report that appeared after the
    check refuses the swap before anything moves, and each new entry is moved in with
    :func:`move_new`, so a target that appears during the swap refuses it too. Either way the
    entries already moved in go back, the staging folder and the journal are removed, the entry
    that appeared is left as it is, and the error is the up-front check's ("parts of an earlier
    report exist").

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

import errno
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

from decide.errors import DecideError, Message

__all__ = ["FORMULA_PREFIXES", "UNIT_PARTS", "atomic_write", "check_file", "check_targets", "escape_cell", "is_formula_like",
           "move_new", "publish", "recover", "unit_entries"]

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


def check_file(path: Path, force: bool, exists: Message, folder: Optional[Message] = None) -> Optional[Message]:
    """Check one output file before any work: a folder in its place is always refused
    (``folder``, default ``exists``), an existing file unless ``force``.

    Returns the refusal the final move repeats if the file appears meanwhile (the ``if_exists``
    of :func:`atomic_write`; None with ``force``).
    """
    path = Path(path)
    if path.is_dir():
        raise DecideError(folder or exists)
    if path.exists() and not force:
        raise DecideError(exists)
    return None if force else exists


#: ``os.link`` errors that mean "this file system cannot hard-link" (not "the name exists").
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK}


def move_new(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst`` only if nothing is at ``dst``; otherwise raise FileExistsError.

    A file is hard-linked to ``dst`` and then unlinked at ``src`` (the link fails atomically when
    the name exists); a folder is renamed after a last look (a rename never replaces a file, a
    symlink or a folder that is not empty). Where the file system cannot hard-link, a file is
    renamed after that same last look: see the module notes for what that leaves open.
    """
    src, dst = os.fspath(src), os.fspath(dst)
    if not os.path.isdir(src) or os.path.islink(src):
        try:
            os.link(src, dst, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
        else:
            os.unlink(src)
            return
    if os.path.lexists(dst):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst)
    try:
        os.rename(src, dst)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), dst) from None
        raise


def atomic_write(path: Path, data: bytes, if_exists: Optional[Message] = None) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    Parameters
    ----------
    path : Path
        The target; its folder is created when missing.
    data : bytes
    if_exists : Message, optional
        None (``--force``): the target is replaced. Otherwise the final move refuses a target that
        exists at that moment (:func:`move_new`) and raises ``DecideError(if_exists)``, the error
        the caller's up-front check gives; the temporary file is removed.

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
        _final_move(tmp, path, if_exists is None)
    except BaseException as exc:
        _unlink_quietly(tmp)
        if isinstance(exc, FileExistsError) and if_exists is not None:
            raise DecideError(if_exists) from None
        raise
    return path


def _final_move(tmp: str, path: Path, replace: bool) -> None:
    """The last step of :func:`atomic_write` (one place, so tests can race it)."""
    if replace:
        os.replace(tmp, path)
    else:
        move_new(tmp, path)


def _unlink_quietly(path: Any) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


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


def _same(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are one file (a hard link whose source a kill left behind)."""
    try:
        sa, sb = os.lstat(a), os.lstat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)


def _swap(out_dir: Path, name: str, record: dict) -> None:
    """Carry out (or complete) the journalled swap of report ``name``.

    Raises FileExistsError, before anything moved or with the moved entries to be put back by
    :func:`_undo`, when the swap has no ``force`` and an entry of the report is in the way.
    """
    stage = out_dir / record["staging"]
    backup = out_dir / record["backup"]
    force = record.get("force", True)  # a journal without the key comes from moves that replaced
    if record.get("phase", 1) == 1:
        in_the_way = unit_entries(out_dir, name)
        if force:
            backup.mkdir(exist_ok=True)
            for entry in in_the_way:  # in phase 1 every entry there is the earlier report's
                os.rename(entry, backup / entry.name)
        elif in_the_way:  # appeared after the check: not ours to move aside
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(in_the_way[0]))
        record = {**record, "phase": 2}
        _write_journal(out_dir, name, record)
    if stage.is_dir():
        for entry in sorted(stage.iterdir()):
            target = out_dir / entry.name
            if force:
                os.rename(entry, target)
                continue
            try:
                move_new(entry, target)
            except FileExistsError:
                if not _same(entry, target):
                    raise
                os.unlink(entry)  # linked in before a kill: only the staged name was left
    _fsync_dir(out_dir)
    os.unlink(_journal(out_dir, name))
    _remove(backup)
    _remove(stage)


def _earlier_exists(out_dir: Path, existing: list, lang: str) -> DecideError:
    """The refusal of a write without ``force`` over ``existing`` entries of an earlier report."""
    shown = ", ".join(Path(p).name for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
    return DecideError(_t("earlier_exists", lang, out=out_dir, n=len(existing), shown=shown))


def _refused(out_dir: Path, name: str, exc: OSError, lang: str) -> DecideError:
    """The up-front check's error for an entry that appeared during the swap (``exc`` names it)."""
    return _earlier_exists(out_dir, unit_entries(out_dir, name) or [Path(exc.filename or out_dir / name)], lang)


def recover(out_dir: Any, name: str, lang: str = "en") -> Optional[str]:
    """Finish what an interrupted :func:`publish` of report ``name`` left in ``out_dir``.

    Returns
    -------
    str or None
        ``"completed"`` when a journalled swap was completed (the new report is in place),
        ``"cleaned"`` when stray staging folders of an unfinished write were removed (the earlier
        report is in place), None when there was nothing to do.

    Raises
    ------
    DecideError
        An interrupted swap without ``force`` that cannot be completed because an entry of the
        report appeared in the meantime: the swap is undone (that entry stays) and the error is
        the up-front check's.
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
            try:
                _swap(out_dir, name, record)
            except FileExistsError as exc:
                _undo(out_dir, name, record)
                raise _refused(out_dir, name, exc, lang) from None
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
    recover(out, name, lang)
    existing = unit_entries(out, name)
    if existing and not force:
        raise _earlier_exists(out, existing, lang)
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
    record = {"staging": stage.name, "backup": f".{name}.previous-{secrets.token_hex(4)}", "phase": 1,
              "force": bool(force), "entries": sorted(entry.name for entry in stage.iterdir())}
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
        if isinstance(exc, FileExistsError) and not force:  # appeared after the check: refused, as up front
            raise _refused(out, name, exc, lang) from None
        raise DecideError(_t("swap_failed", lang, out=out, reason=exc.strerror or exc)) from None
    return [out / rel for rel in files]


def _undo(out_dir: Path, name: str, record: dict) -> None:
    """Put the earlier report back after a failed swap (the new entries return to staging)."""
    journal = _journal(out_dir, name)
    phase = json.loads(journal.read_text(encoding="utf-8")).get("phase", 1)
    stage, backup = out_dir / record["staging"], out_dir / record["backup"]
    if phase == 2:  # the new entries already moved in go back; anything else stays where it is
        stage.mkdir(exist_ok=True)
        names = record.get("entries")
        for entry in unit_entries(out_dir, name) if names is None else [out_dir / n for n in names]:
            staged = stage / entry.name
            if not os.path.lexists(staged):
                if os.path.lexists(entry):
                    os.rename(entry, staged)
            elif _same(entry, staged):  # linked in, its staged name not yet removed
                os.unlink(entry)
    if backup.is_dir():
        for entry in sorted(backup.iterdir()):
            os.rename(entry, out_dir / entry.name)
    os.unlink(journal)
    _remove(backup)
    _remove(stage)
