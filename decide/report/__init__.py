"""Reports and exports: the analysis as xlsx, csv, json, md and html, in Dutch or English.

>>> from decide.report import write_report                      # doctest: +SKIP
>>> paths = write_report(analysis, "out", lang="en")             # doctest: +SKIP

:func:`build_report` renders everything in memory (``{relative path: bytes}``);
:func:`write_report` writes the report as one unit (:func:`decide.report.safe_io.publish`): into a
staging folder beside it, swapped in when every file is complete. An earlier report of the same
name is replaced as a whole, and only with ``force=True`` (parts the new report does not write go
too); a failure leaves the earlier report intact; other files in the folder are never touched.

Files of a full report of ``models/zaaksysteem.yaml`` in Dutch (``NAME`` is the model
file's stem and the language, ``zaaksysteem-nl``)::

    NAME.xlsx              workbook: one sheet per section (Samenvatting ... Herkomst)
    NAME.json              everything, keyed by ids, plus every table
    NAME.md                the readable report; links the PNG charts
    NAME.html              the readable report, self-contained (inline SVG charts), printable
    NAME-csv/<table>.csv   one CSV per table (Dutch: ';' and decimal comma; English: RFC 4180)
    NAME-charts/<chart>.png  weights, ranking, stability, smaa, frontier, spend

Reports in the two languages have different names and can share a folder. The building
blocks are public: :mod:`~decide.report.tables` (one function per table),
:mod:`~decide.report.charts`, :mod:`~decide.report.xlsx`, :mod:`~decide.report.csv_json`,
:mod:`~decide.report.markdown_html`, :mod:`~decide.report.safe_io`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional, Union

from decide import i18n
from decide.errors import DecideError, Message

__all__ = ["DEFAULT_FORMATS", "FORMATS", "build_report", "preflight", "report_name", "write_report"]

#: Every output format; ``png`` writes the charts alone (``md`` writes them too, it links them).
FORMATS = ("xlsx", "csv", "json", "md", "html", "png")
#: What ``decide report`` writes without ``--format``.
DEFAULT_FORMATS = ("xlsx", "csv", "json", "md", "html")


def _formats(formats: Union[str, Iterable[str], None]) -> tuple[str, ...]:
    if formats is None:
        return DEFAULT_FORMATS
    if isinstance(formats, str):
        formats = formats.split(",")
    out = []
    for f in formats:
        f = str(f).strip().lower().lstrip(".")
        if f and f not in out:
            out.append(f)
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise DecideError(Message("report.format_unknown", allowed=", ".join(map(repr, FORMATS)),
                                  found=", ".join(map(repr, bad)) if bad else Message("report.found_nothing")))
    return tuple(out)


def _check_language(lang: Any) -> None:
    """A report speaks one of the catalogue's languages; anything else is refused before any work."""
    if lang not in i18n.LANGUAGES:
        raise DecideError(Message("report.language_unknown", allowed=", ".join(map(repr, i18n.LANGUAGES)), value=repr(lang)))


def _lang(analysis: Any, lang: Optional[str]) -> str:
    lang = lang or analysis.language
    _check_language(lang)
    return lang


def report_name(analysis: Any, lang: str) -> str:
    """The base name of a report's files: the model file's stem and the language (``zaaksysteem-nl``).

    ``analysis`` may also be the decision model itself.
    """
    path = getattr(analysis, "model", analysis).path
    stem = Path(path).stem if path else "report"
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "report"
    return f"{stem}-{lang}"


def build_report(analysis: Any, formats: Union[str, Iterable[str], None] = DEFAULT_FORMATS,
                 lang: Optional[str] = None, csv_dialect: Optional[str] = None) -> dict[str, bytes]:
    """Render the report in memory.

    Parameters
    ----------
    analysis : decide.facade.Analysis
        From :func:`decide.analyse`.
    formats : iterable of str or str
        Any of :data:`FORMATS` (a comma-separated string is accepted).
    lang : {"nl", "en"}, optional
        Default: the model's language.
    csv_dialect : {"excel-nl", "rfc4180"}, optional
        Default: ``excel-nl`` for a Dutch report, ``rfc4180`` for an English one.

    Returns
    -------
    dict
        Relative POSIX path -> file contents, in a stable order.
    """
    from decide.report import charts as ch
    from decide.report.csv_json import csv_dialect as _dialect, to_csv, to_json
    from decide.report.markdown_html import to_html, to_markdown
    from decide.report.tables import build_tables
    from decide.report.xlsx import to_xlsx

    fmts = _formats(formats)
    lang = _lang(analysis, lang)
    dialect = _dialect(csv_dialect, lang)
    name = report_name(analysis, lang)
    tables = build_tables(analysis, lang)
    files: dict[str, bytes] = {}
    if "xlsx" in fmts:
        files[f"{name}.xlsx"] = to_xlsx(tables, lang, title=analysis.model.name(lang),
                                        currency=analysis.model.currency)
    if "csv" in fmts:
        for key, table in tables.items():
            files[f"{name}-csv/{key}.csv"] = to_csv(table, dialect)
    if "json" in fmts:
        files[f"{name}.json"] = to_json(analysis, tables, lang)
    figures = ch.build_charts(analysis, lang) if {"md", "html", "png"} & set(fmts) else {}
    pngs: dict[str, str] = {}
    if {"md", "png"} & set(fmts):
        for key, fig in figures.items():
            path = f"{name}-charts/{key}.png"
            files[path] = ch.render(fig, "png")
            pngs[key] = path
    if "md" in fmts:
        files[f"{name}.md"] = to_markdown(analysis, tables, lang, pngs).encode("utf-8")
    if "html" in fmts:
        svgs = {key: ch.render(fig, "svg").decode("utf-8") for key, fig in figures.items()}
        files[f"{name}.html"] = to_html(analysis, tables, lang, svgs).encode("utf-8")
    return files


def preflight(model: Any, out_dir: Union[str, Path], formats: Union[str, Iterable[str], None] = DEFAULT_FORMATS,
              lang: Optional[str] = None, force: bool = False) -> None:
    """Check arguments and the output folder before the (slow) analysis.

    The same checks as :func:`write_report` makes, from the model alone: the formats, the
    language, and whether files of an earlier report in this language are in the way.

    Parameters
    ----------
    model : DecisionModel or Analysis
    out_dir, formats, lang, force
        As for :func:`write_report`.

    Raises
    ------
    DecideError
        As :func:`write_report` would.
    """
    from decide.report.safe_io import check_out_dir, recover, unit_entries

    model = getattr(model, "model", model)
    _formats(formats)
    lang = lang or model.language
    _check_language(lang)
    out = check_out_dir(out_dir, lang)
    name = report_name(model, lang)
    recover(out, name)  # complete or undo an interrupted earlier write first
    existing = unit_entries(out, name)
    if existing and not force:
        shown = ", ".join(p.name for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise DecideError(Message("output.earlier_exists", shown_in=lang, out=out, n=len(existing), shown=shown))


def write_report(analysis: Any, out_dir: Union[str, Path],
                 formats: Union[str, Iterable[str], None] = DEFAULT_FORMATS, lang: Optional[str] = None,
                 force: bool = False, csv_dialect: Optional[str] = None) -> list[Path]:
    """Write the report files into ``out_dir`` (created when missing).

    Parameters
    ----------
    analysis : decide.facade.Analysis
    out_dir : str or Path
    formats : iterable of str or str
        Any of :data:`FORMATS`; default all but ``png`` (``md`` writes the PNG charts anyway).
    lang : {"nl", "en"}, optional
        Default: the model's language.
    force : bool
        Replace the whole earlier report of this name and language. Without it, any part of an
        earlier report is an error.
    csv_dialect : {"excel-nl", "rfc4180"}, optional
        As for :func:`build_report`.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    DecideError
        Bad ``formats`` or ``lang``; ``out_dir`` is empty or a file; parts of an earlier report
        exist and ``force`` is false ("... use --force to replace that whole report"); a write
        failed (the message says the earlier report is unchanged). Exit code 2.
    """
    from decide.report.safe_io import publish

    fmts = _formats(formats)
    lang = _lang(analysis, lang)
    preflight(analysis, out_dir, fmts, lang, force)  # before the rendering; publish checks again
    files = build_report(analysis, fmts, lang, csv_dialect)
    return publish(out_dir, report_name(analysis, lang), files, force=force, lang=lang)
