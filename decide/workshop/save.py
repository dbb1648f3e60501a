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
from typing import Any, Optional

import pandas as pd

from decide import i18n
from decide.errors import InputError
from decide.workshop.scale import parse_value, yaml_value

__all__ = ["MARKER", "SaveResult", "SavePanel", "default_path", "model_path", "save_judgments", "save_panel"]

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


@dataclass(frozen=True)
class SaveResult:
    """What :func:`save_judgments` wrote and how the saved file checks out.

    Attributes
    ----------
    path, source : Path
        The file written and the model file it started from.
    changed, added, removed : int
        Judgements rewritten, appended and removed (skipped pairs), over all participants.
    weights : pandas.Series
        The leaf weights the saved file gives (loaded and derived again).
    max_difference : float
        Largest absolute difference between those weights and the workshop's.
    lang : str
    """

    path: Path
    source: Path
    changed: int
    added: int
    removed: int
    weights: pd.Series
    max_difference: float
    lang: str = "nl"

    @property
    def same_weights(self) -> bool:
        """True when the saved file gives the workshop's weights (to 1e-9)."""
        return self.max_difference <= 1e-9

    def text(self, lang: Optional[str] = None) -> str:
        lang = lang or self.lang
        check = _t("save_same" if self.same_weights else "save_different", lang,
                   diff=i18n.fmt_number(self.max_difference, lang, 6))
        return _t("saved", lang, path=str(self.path), changed=self.changed, added=self.added,
                  removed=self.removed) + " " + check

    def _repr_html_(self) -> str:
        from decide.workshop import _html as H

        return H.para(self.text(), H.OK_COLOUR if self.same_weights else H.BAD_COLOUR)


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
    from decide.loader import load_model
    from decide.weights import derive

    model = session.model
    if model.path is None:
        raise InputError("the model was not loaded from a file, so there is no file to keep the comments of; "
                         "load it with decide.loader.load_model(path).")
    source = Path(model.path)
    target = Path(path) if path is not None else default_path(source)
    if target.exists() and not overwrite and not target.name.endswith(WORKSHOP_SUFFIX):
        raise InputError(f"{target} exists; pass overwrite=True to replace it, or choose another file name "
                         f"(the default is {default_path(source).name}).")
    text = source.read_text(encoding="utf-8")
    data = _yaml().load(text)
    y = _layout(data, text)
    changed, added, removed = _apply(data, session)
    buf = io.StringIO()
    y.dump(data, buf)
    stamp = _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    line = f"{MARKER} " + _t("save_comment", session.lang, date=stamp, source=source.name)
    _write_atomic(target, _with_marker(buf.getvalue(), line))

    saved = derive(load_model(target)).weights
    ours = session.derive().weights
    diff = float((saved.reindex(ours.index) - ours).abs().max())
    if math.isnan(diff):
        diff = math.inf
    return SaveResult(target, source, changed, added, removed, saved, diff, session.lang)


class SavePanel:
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
        from decide.errors import DecideError
        from decide.workshop import _html as H

        try:
            self.result = save_judgments(self.session, self.path.value or None, overwrite=self.overwrite.value)
        except DecideError as exc:
            self.result = None
            self.status.value = H.para(str(exc), H.BAD_COLOUR)
            return None
        self.status.value = self.result._repr_html_()
        return self.result

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def save_panel(session, path: str | os.PathLike | None = None) -> SavePanel:
    """A widget to save the session's judgements (see :class:`SavePanel`)."""
    return SavePanel(session, path)
