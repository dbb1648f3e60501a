"""Safe output: atomic file writes, the --force check, and spreadsheet-formula escaping.

Atomic writes
    Every file is written to a temporary name in its own folder (same file system), flushed
    and synced, then renamed over the target with :func:`os.replace`. A run that is
    interrupted leaves either the old file or the new one, never half a file; a stray
    temporary (``.<name>.<random>.tmp``) is removed when the write fails.

Existing files
    :func:`check_targets` refuses to replace files of an earlier run unless ``force`` is
    true. Only the files this run writes are ever replaced; other files in the folder are
    left alone.

Formula (CSV) injection
    A spreadsheet evaluates a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
    a carriage return as a formula (``=HYPERLINK("http://x", "y")`` would show a link, and
    worse formulas can run commands through DDE). :func:`escape_cell` prefixes such a text
    with a single quote ``'`` so it stays text (OWASP, "CSV Injection"). Numbers are never
    touched: a negative number is a number, not text.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from decide.errors import DecideError

__all__ = ["FORMULA_PREFIXES", "atomic_write", "check_targets", "escape_cell", "is_formula_like"]

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
        raise DecideError(f"{out_dir}: expected a folder for the report, found a file; "
                          "choose another --out")
    if force:
        for p in paths:
            if Path(p).is_dir():
                raise DecideError(f"{p}: a folder is in the way of a report file; move it or choose another --out")
        return
    existing = sorted(str(Path(p).relative_to(out_dir)) for p in paths if Path(p).exists())
    if existing:
        shown = ", ".join(existing[:3]) + (f" and {len(existing) - 3} more" if len(existing) > 3 else "")
        raise DecideError(f"{out_dir}: {len(existing)} file(s) of an earlier report exist ({shown}); "
                          "use --force to replace its files")


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

