"""Save workshop judgements into a model file, keeping its comments, order and layout.

The model file is read and written with ruamel.yaml's round-trip mode: comments, key order,
flow lists such as ``[fit, risk, 2]``, quoting and indentation stay as they are. Only what
the workshop changed is touched: a changed judgement is rewritten in place (flipped when that
avoids a fraction: ``[b, a, 3]`` rather than ``[a, b, "1/3"]``), a skipped one is removed, a
new one is appended, and the first line of the file records the save. Unchanged judgements
keep their exact text, so a diff shows only what the workshop decided.

By default the judgements go to a new file next to the model, ``NAME.workshop.yaml``; the
model file itself is only overwritten when asked (``overwrite=True``). After writing, the new
file is loaded and validated again and its weights are compared with the workshop's.
"""
from __future__ import annotations

import datetime as _dt
import io
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import pandas as pd

from decide import i18n
from decide.errors import InputError
from decide.workshop import _html as H
from decide.workshop.scale import parse_value, yaml_value

__all__ = ["MARKER", "ReportPanel", "SaveResult", "SavePanel", "report_panel", "default_path", "max_difference", "model_path", "save_judgments",
           "save_panel", "stamp", "write_model"]

#: The first line of a saved file starts with this (replaced, not repeated, on the next save).
MARKER = "# [decide workshop]"

WORKSHOP_SUFFIX = ".workshop.yaml"

_RTOL = 1e-9


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"workshop.{key}", lang, **kw)


def default_path(source: str | os.PathLike) -> Path:
    """``models/NAME.yaml`` -> ``models/NAME.workshop.yaml`` (a workshop file stays itself)."""
    p = Path(source)
    if p.name.endswith(WORKSHOP_SUFFIX):
        return p
    stem = p.name[: -len(p.suffix)] if p.suffix in (".yaml", ".yml") else p.name
    return p.with_name(stem + WORKSHOP_SUFFIX)


def model_path(source: str | os.PathLike, workshop: bool = True) -> Path:
    """The file to open: the workshop's ``NAME.workshop.yaml`` when it exists (and ``workshop``), else ``source``.

    Notebooks 2 and 3 use it to pick up the judgements notebook 1 saved.
    """
    p = Path(source)
    w = default_path(p)
    return w if workshop and w.exists() else p


def opened(model: Any, lang: Optional[str] = None) -> H.HTMLView:
    """One line saying which model a notebook works on: its title, the file, and whether the
    judgements come from a workshop file (notebook 1's ``NAME.workshop.yaml``) or the model itself."""
    lang = lang or model.language
    path = str(model.path or "")
    key = "workshop.opened_workshop" if path.endswith(WORKSHOP_SUFFIX) else "workshop.opened_model"
    text = i18n.t(key, lang, title=model.name(lang), file=os.path.basename(path) or "-")
    return H.HTMLView(H.para(text, H.MUTED), path)


@dataclass(frozen=True)
class SaveResult:
    """What a save (:func:`save_judgments`) or an export of collected input
    (:func:`decide.workshop.collect.export`) wrote, and how the written file checks out.

    Attributes
    ----------
    path, source : Path
        The file written and the model file it started from.
    changed, added, removed : int
        Judgements rewritten, appended and removed (skipped pairs), over all participants.
    weights : pandas.Series or None
        The leaf weights the written file gives (loaded and derived again).
    max_difference : float
        Largest absolute difference between those weights and the workshop's.
    lang : str
    participants : tuple of str
        Export: the participants whose judgements were written.
    dropped : tuple of str
        Export: participants of the model file who gave no input in the workshop (left out).
    scores_written, scores_missing : int
        Export: score cells written; cells without an agreed value (``agreed`` mode) or without scores.
    score_mode : str or None
        Export: how committee scores became the model's scores (None for a save).
    group_weights : pandas.Series or None
        Export: the group weights of the store's judgements (what the facilitator saw).
    """

    path: Path
    source: Path
    changed: int
    added: int
    removed: int
    weights: Optional[pd.Series]
    max_difference: float
    lang: str = "nl"
    participants: tuple = ()
    dropped: tuple = ()
    scores_written: int = 0
    scores_missing: int = 0
    score_mode: Optional[str] = None
    group_weights: Optional[pd.Series] = None

    @property
    def exported(self) -> bool:
        """True for an export of a workshop store, False for a notebook's save."""
        return self.score_mode is not None

    @property
    def same_weights(self) -> bool:
        """True when the written file gives the workshop's weights (to 1e-9)."""
        return self.max_difference <= 1e-9

    def text(self, lang: Optional[str] = None) -> str:
        lang = lang or self.lang
        diff = i18n.fmt_number(self.max_difference, lang, 6)
        if not self.exported:
            check = _t("save_same" if self.same_weights else "save_different", lang, diff=diff)
            return _t("saved", lang, path=str(self.path), changed=self.changed, added=self.added,
                      removed=self.removed) + " " + check
        c = lambda key, **kw: i18n.t(f"collect.{key}", lang, **kw)  # noqa: E731
        parts = [c("exported", path=str(self.path), n=len(self.participants), changed=self.changed,
                   added=self.added, removed=self.removed)]
        if self.dropped:
            parts.append(c("dropped", names=", ".join(self.dropped)))
        if self.scores_written or self.scores_missing:
            parts.append(c("scores_written", n=self.scores_written, mode=c(f"mode_{self.score_mode}"),
                           missing=self.scores_missing))
        if self.group_weights is not None:
            parts.append(c("same" if self.same_weights else "different", diff=diff))
        return "\n".join(parts)

    def to_dict(self) -> dict:
        series = lambda x: None if x is None else x.to_dict()  # noqa: E731
        out = {"path": str(self.path), "source": str(self.source), "changed": self.changed, "added": self.added,
               "removed": self.removed, "weights": series(self.weights), "max_difference": self.max_difference,
               "same_weights": self.same_weights}
        if self.exported:
            out.update({"participants": list(self.participants), "dropped": list(self.dropped),
                        "scores_written": self.scores_written, "scores_missing": self.scores_missing,
                        "score_mode": self.score_mode, "group_weights": series(self.group_weights)})
        return out

    def _repr_html_(self) -> str:
        return "".join(H.para(line, H.OK_COLOUR if self.same_weights else H.BAD_COLOUR)
                       for line in self.text().splitlines())


def _yaml():
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096
    return y


#: Indentation layouts tried (mapping, sequence, offset): the one that reproduces the file wins.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 4, 0), (3, 3, 1))


def _layout(data: Any, text: str):
    """A YAML writer whose indentation reproduces ``text`` best (fewest differing lines)."""
    import difflib

    original = text.splitlines()
    best, best_score = None, None
    for mapping, sequence, offset in _LAYOUTS:
        y = _yaml()
        y.indent(mapping=mapping, sequence=sequence, offset=offset)
        buf = io.StringIO()
        y.dump(data, buf)
        dumped = buf.getvalue()
        if dumped == text:
            return y
        sm = difflib.SequenceMatcher(None, original, dumped.splitlines(), autojunk=False)
        score = sm.ratio()
        if best_score is None or score > best_score:
            best, best_score = y, score
    return best


def _flow(items: list) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _scalar(v: float) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    out = yaml_value(v)
    return DoubleQuotedScalarString(out) if isinstance(out, str) else out


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= _RTOL * max(abs(x), abs(y))


def _entry(a: str, b: str, v: float) -> Any:
    """A new flow entry ``[a, b, v]`` written with v >= 1."""
    return _flow([a, b, _scalar(v)]) if v >= 1 - _RTOL else _flow([b, a, _scalar(1.0 / v)])


def _update_judgments(seq: Any, state: Mapping[tuple[str, str], Optional[float]]) -> tuple[int, int, int]:
    """Bring one participant's ``judgments`` list in line with ``state``; returns (changed, added, removed)."""
    changed = added = 0
    drop: list[int] = []
    seen: set = set()
    for i, entry in enumerate(seq):
        if not isinstance(entry, list) or len(entry) != 3:
            continue
        x, y, raw = entry[0], entry[1], entry[2]
        if (x, y) in state:
            key, flip = (x, y), False
        elif (y, x) in state:
            key, flip = (y, x), True
        else:
            continue  # not a pair of this workshop: leave it
        new = state[key]
        if new is None or key in seen:
            drop.append(i)
            continue
        seen.add(key)
        want = 1.0 / new if flip else new  # value in the entry's own direction
        old = parse_value(raw)
        if old is not None and _close(old, want):
            continue
        changed += 1
        if want >= 1 - _RTOL:
            entry[2] = _scalar(want)
        else:
            entry[0], entry[1], entry[2] = y, x, _scalar(1.0 / want)
    for i in reversed(drop):
        del seq[i]
    for key, v in state.items():
        if v is not None and key not in seen:
            seq.append(_entry(key[0], key[1], v))
            added += 1
    return changed, added, len(drop)


def _insert_after(mapping: Any, after: str, key: str, value: Any) -> None:
    keys = list(mapping.keys())
    pos = keys.index(after) + 1 if after in keys else len(keys)
    mapping.insert(pos, key, value)


def _apply(data: Any, session) -> tuple[int, int, int]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    s = session.settings
    weights = data.get("weights")
    if not isinstance(weights, dict):
        weights = CommentedMap()
        _insert_after(data, "criteria", "weights", weights)
    if weights.get("method") != "ahp":
        if "method" in weights:
            weights["method"] = "ahp"
        else:
            weights.insert(0, "method", "ahp")
    section = weights.get("ahp")
    if not isinstance(section, dict):
        section = CommentedMap([("ri", s.ri), ("max_cr", s.max_cr), ("method", s.method),
                                ("aggregate", s.aggregate), ("participants", CommentedSeq())])
        _insert_after(weights, "method", "ahp", section)
    people = section.get("participants")
    if not isinstance(people, list):
        people = CommentedSeq()
        section["participants"] = people
    totals = [0, 0, 0]
    for name in session.participants:
        entry = next((p for p in people if isinstance(p, dict) and p.get("name") == name), None)
        if entry is None:
            entry = CommentedMap([("name", name), ("weight", _number(session.weight(name))),
                                  ("judgments", CommentedSeq())])
            people.append(entry)
        seq = entry.get("judgments")
        if not isinstance(seq, list):
            seq = CommentedSeq()
            entry["judgments"] = seq
        for k, n in enumerate(_update_judgments(seq, session.values(name))):
            totals[k] += n
    return totals[0], totals[1], totals[2]


def _number(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def _with_marker(text: str, line: str) -> str:
    first, sep, rest = text.partition("\n")
    if first.startswith(MARKER):
        return line + "\n" + rest
    return line + "\n" + text


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        # mkstemp creates the file 0600; a saved model is an ordinary file of the user's
        # (0666 less the umask, as any editor would write it), readable by colleagues
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_model(source: Path, target: Path, edit: Callable[[Any], Any], comment: str) -> tuple[Any, pd.Series]:
    """Round-trip ``source`` through ``edit(data)`` into ``target`` (atomically, comments and layout kept),
    with ``comment`` on the first line; then load, validate and derive the written file again.

    Returns
    -------
    (what ``edit`` returned, the leaf weights of the written file)
    """
    from decide.loader import load_model
    from decide.weights import derive

    text = source.read_text(encoding="utf-8")
    data = _yaml().load(text)
    y = _layout(data, text)
    edited = edit(data)
    buf = io.StringIO()
    y.dump(data, buf)
    _write_atomic(target, _with_marker(buf.getvalue(), f"{MARKER} {comment}"))
    return edited, derive(load_model(target)).weights


def stamp() -> str:
    """The local time a save or export records in its first line."""
    return _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


def max_difference(written: pd.Series, ours: pd.Series) -> float:
    """Largest absolute difference between the written file's weights and ``ours`` (inf when one is missing)."""
    diff = float((written.reindex(ours.index) - ours).abs().max())
    return math.inf if math.isnan(diff) else diff


def save_judgments(session, path: str | os.PathLike | None = None, *, overwrite: bool = False) -> SaveResult:
    """Write a workshop's judgements into a copy of its model file (comments and order kept).

    Parameters
    ----------
    session : decide.workshop.JudgmentSession
        The workshop; its model must have been loaded from a file.
    path : path-like, optional
        Where to write. Default: ``NAME.workshop.yaml`` next to the model file
        (:func:`default_path`).
    overwrite : bool
        Allow writing over an existing file (the model file itself included). A
        ``*.workshop.yaml`` file is a workshop's own output and is always refreshed.

    Returns
    -------
    SaveResult
        The path, what changed, and the weights of the saved file (loaded, validated and
        derived again) with their largest difference from the workshop's weights.

    Raises
    ------
    InputError
        The model has no file, or ``path`` exists and ``overwrite`` is False.
    decide.errors.ModelError
        The saved file does not validate (a bug: please report it).
    """
    model = session.model
    if model.path is None:
        raise InputError.keyed("workshop.save_model_without_file", "model", shown_in=session.lang)
    source = Path(model.path)
    target = Path(path) if path is not None else default_path(source)
    if target.exists() and not overwrite and not target.name.endswith(WORKSHOP_SUFFIX):
        raise InputError.keyed("workshop.save_target_exists", str(target), shown_in=session.lang,
                               default=default_path(source).name)
    comment = _t("save_comment", session.lang, date=stamp(), source=source.name)
    (changed, added, removed), saved = write_model(source, target, lambda data: _apply(data, session), comment)
    diff = max_difference(saved, session.derive().weights)
    return SaveResult(target, source, changed, added, removed, saved, diff, session.lang)


class SavePanel(H.Shown):
    """A file name, a 'save' button and the outcome (including the check of the saved file).

    Attributes
    ----------
    path : ipywidgets.Text
    overwrite : ipywidgets.Checkbox
    button : ipywidgets.Button
    status : ipywidgets.HTML
    result : SaveResult or None
        The last save.
    """

    def __init__(self, session, path: str | os.PathLike | None = None):
        import ipywidgets as W

        self.session = session
        lang = session.lang
        default = path if path is not None else (default_path(session.model.path) if session.model.path else "")
        self.path = W.Text(value=str(default), description=_t("save_to", lang), layout=W.Layout(width="40em"),
                           style={"description_width": "8em"})
        self.overwrite = W.Checkbox(value=False, description=_t("overwrite", lang), indent=False)
        self.button = W.Button(description=_t("save_button", lang), button_style="primary", icon="save")
        self.status = W.HTML()
        self.result: Optional[SaveResult] = None
        self.button.on_click(lambda _b: self.save())
        self.widget = W.VBox([W.HBox([self.path, self.overwrite, self.button]), self.status])

    def save(self) -> Optional[SaveResult]:
        """Save now (what the button does); shows the outcome and returns it (None on an error)."""
        self.result = _run_shown(self.status, lambda: save_judgments(self.session, self.path.value or None,
                                                                     overwrite=self.overwrite.value))
        return self.result


def _run_shown(status: Any, write: Callable[[], Any]) -> Any:
    """Run ``write()`` and show its outcome in ``status`` (its HTML, or the error in red); None on an error."""
    from decide.errors import DecideError

    try:
        result = write()
    except DecideError as exc:
        status.value = H.para(str(exc), H.BAD_COLOUR)
        return None
    status.value = result._repr_html_()
    return result


def save_panel(session, path: str | os.PathLike | None = None) -> SavePanel:
    """A widget to save the session's judgements (see :class:`SavePanel`)."""
    return SavePanel(session, path)


class ReportPanel(H.Shown):
    """A folder, a 'write the report' button and the files written: nothing is written before it is pressed.

    Parameters
    ----------
    source : PortfolioPanel or DecisionModel
        The report covers the panel's current budget and rules (``model_with_settings()``), or the model.
    out_dir : path-like
        The folder; an earlier report in it is replaced.
    formats, lang, samples
        As for :func:`decide.workshop.export_report`.

    Attributes
    ----------
    folder : ipywidgets.Text
    button : ipywidgets.Button
    status : ipywidgets.HTML
    result : ExportResult or None
    """

    def __init__(self, source: Any, out_dir: str | os.PathLike, *, formats: Optional[list] = None,
                 lang: Optional[str] = None, samples: Optional[int] = None):
        import ipywidgets as W

        self.source, self.formats, self.samples = source, formats, samples
        model = getattr(source, "model", source)
        self.lang = lang = lang or getattr(source, "lang", None) or model.language
        self.folder = W.Text(value=str(out_dir), description=_t("report_to", lang), layout=W.Layout(width="40em"),
                             style={"description_width": "8em"})
        self.button = W.Button(description=_t("report_button", lang), button_style="primary", icon="file")
        self.status = W.HTML()
        self.result = None
        self.button.on_click(lambda _b: self.write())
        self.widget = W.VBox([W.HBox([self.folder, self.button], layout=W.Layout(flex_flow="row wrap")),
                              self.status])

    def write(self):
        """Write the report now (what the button does); shows the files and returns them (None on an error)."""
        from decide.workshop.portfolio import export_report

        src = self.source
        model = src.model_with_settings() if hasattr(src, "model_with_settings") else src
        self.status.value = H.para(_t("report_busy", self.lang), H.MUTED)
        self.result = _run_shown(self.status, lambda: export_report(
            model, self.folder.value, formats=self.formats, lang=self.lang, samples=self.samples, force=True))
        return self.result


def report_panel(source: Any, out_dir: str | os.PathLike, **kwargs: Any) -> ReportPanel:
    """A button that writes the report (see :class:`ReportPanel`)."""
    return ReportPanel(source, out_dir, **kwargs)
