"""Where every benchmark writes its figures: ``bench/_sections/<name>.md``, atomically.

``bench/assemble.py`` joins the sections into ``bench/RESULTS.md``. A section is written to a
temporary file beside it and renamed over the old one, so an interrupted benchmark leaves the
previous figures whole.
"""
from __future__ import annotations

import os
from pathlib import Path

SECTIONS = Path(__file__).resolve().parent / "_sections"


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` through a temporary file renamed over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def write_section(name: str, text: str) -> Path:
    """Write one benchmark's section (``bench/_sections/<name>.md``)."""
    return write_atomic(SECTIONS / f"{name}.md", text)
