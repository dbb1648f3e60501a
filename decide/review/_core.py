"""The review's building blocks: :class:`Check`, the check table, :class:`Review`.

A check is a small function ``check(ctx) -> Check`` held in a table (:data:`CHECKS`). It
is written as a function returning a :class:`Finding` (status, finding, advice, data) and
registered with :func:`register_check`, which adds the check's id, question and seed
citation: the registered entry is then callable as ``check(ctx) -> Check``.
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence

import pandas as pd

from decide.errors import InputError
from decide.i18n import LANGUAGES, t
from decide.review._text import Text, join, msg

__all__ = ["STATUSES", "Finding", "Check", "CheckSpec", "CheckRegistry", "CHECKS", "register_check",
           "Review", "format_review", "worst"]

#: The statuses a check can have, from fine to worst. ``missing``: the model does not
#: record what the question needs; ``attention``: it does, and something needs a look.
STATUSES = ("ok", "attention", "missing")


def worst(*statuses: str) -> str:
    """The most serious of several statuses (``missing`` > ``attention`` > ``ok``)."""
    return max(statuses, key=STATUSES.index, default="ok")


@dataclass(frozen=True)
class Finding:
    """What a check function returns: the answer, without the check's identity.

    Parameters
    ----------
    status : str
        ``ok``, ``attention`` or ``missing``.
    finding : Text
        What the model says, in plain words with its numbers and names.
    advice : Text, optional
        What to add to or change in the model to resolve it (may be empty when ok).
    data : mapping, optional
        The numbers behind the finding, keyed by name (JSON-friendly values).
    """

    status: str
    finding: Text
    advice: Text = field(default_factory=Text)
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise InputError.keyed("review.finding_status_unknown", "status", allowed=", ".join(map(repr, STATUSES)),
                                   value=repr(self.status))
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))


@dataclass(frozen=True)
class Check:
    """One answered question of the strategy review.

    Attributes
    ----------
    id : str
        Stable id (``evaluation.tco``, ``component.exit``, ``tradeoff.make_buy``).
    group : str
        ``evaluation``, ``component`` or ``tradeoff`` (or a group of an added check).
    question : Text
    status : str
        ``ok``, ``attention`` or ``missing``.
    finding : Text
    advice : Text
    source : str
        The section of the seed document the check comes from, quoted in its own words.
    data : mapping
        The numbers behind the finding.
    error : str or None
        Set when the check function itself failed (a bug or an unforeseen model): the
        finding then says so instead of crashing the review.
    """

    id: str
    group: str
    question: Text
    status: str
    finding: Text
    advice: Text
    source: str
    data: Mapping[str, Any] = field(default_factory=dict)
    error: Optional[str] = None

    def to_dict(self, lang: str = "nl", *, data: bool = False) -> dict:
        """``{"id", "question", "status", "finding", "advice", "source"}`` (+ ``"data"``)."""
        out = {"id": self.id, "question": self.question(lang), "status": self.status,
               "finding": self.finding(lang), "advice": self.advice(lang), "source": self.source}
        if data:
            out["data"] = dict(self.data)
        return out


@dataclass(frozen=True)
class CheckSpec:
    """An entry of the check table: identity plus the function that answers it.

    Calling the spec runs the check: ``spec(ctx) -> Check``. A function that raises
    gives a check with ``status="attention"``, a finding saying it could not be evaluated,
    and ``error`` set, so one failing check never takes the whole review down.
    """

    id: str
    group: str
    question: Text
    source: str
    func: Callable[[Any], Finding] = field(repr=False)

    def __call__(self, ctx: Any) -> Check:
        try:
            f = self.func(ctx)
            if isinstance(f, Check):  # a function may build the whole Check itself
                return f
            error = None
        except Exception as exc:  # noqa: BLE001 - reported in the check, never swallowed silently
            error = f"{type(exc).__name__}: {exc}"
            f = Finding("attention", msg("check_failed", error=error), msg("check_failed_advice"))
        return Check(self.id, self.group, self.question, f.status, f.finding, f.advice, self.source,
                     f.data, error)


class CheckRegistry:
    """The table of checks, in the order the review shows them.

    >>> from decide.review import CHECKS
    >>> CHECKS.ids()[:2]
    ['evaluation.needs', 'evaluation.tco']
    """

    def __init__(self) -> None:
        self._specs: dict[str, CheckSpec] = {}

    def register(self, id: str, *, question: Text | Mapping[str, str] | str, source: str,
                 group: Optional[str] = None, replace: bool = False
                 ) -> Callable[[Callable[[Any], Finding]], CheckSpec]:
        """Decorator: add ``func(ctx) -> Finding`` to the table under ``id``.

        Parameters
        ----------
        id : str
            Unique id; ``group.name`` by convention (the group defaults to the part
            before the first dot).
        question : Text, mapping or str
            The question in Dutch and English: a :class:`Text`, ``{"nl": ..., "en": ...}``,
            or a key of ``decide/messages/review.yaml``.
        source : str
            The seed section the check comes from, in the seed's words.
        replace : bool
            Allow replacing an existing check with the same id.
        """
        if isinstance(question, str):
            question = msg(question)
        elif not isinstance(question, Text):
            missing = [lang for lang in LANGUAGES if not question.get(lang)]
            if missing:
                raise InputError.keyed("review.question_text_missing", f"checks[{id!r}].question",
                                       languages=", ".join(missing))
            question = Text(**{lang: question[lang] for lang in LANGUAGES})
        group = group or id.partition(".")[0]

        def wrap(func: Callable[[Any], Finding]) -> CheckSpec:
            if id in self._specs and not replace:
                raise InputError.keyed("review.check_id_taken", f"checks[{id!r}]", id=repr(id))
            spec = CheckSpec(id, group, question, source, func)
            self._specs[id] = spec
            return spec

        return wrap

    def remove(self, id: str) -> CheckSpec:
        """Take a check out of the table (returns it)."""
        return self._specs.pop(id)

    def ids(self) -> list[str]:
        return list(self._specs)

    def __getitem__(self, id: str) -> CheckSpec:
        return self._specs[id]

    def __contains__(self, id: object) -> bool:
        return id in self._specs

    def __iter__(self) -> Iterator[CheckSpec]:
        return iter(list(self._specs.values()))

    def __len__(self) -> int:
        return len(self._specs)


#: The default check table (the seed's six questions, seven components, seven trade-offs,
#: seven best practices and five challenges).
CHECKS = CheckRegistry()


def register_check(id: str, *, question: Text | Mapping[str, str] | str, source: str,
                   group: Optional[str] = None, replace: bool = False):
    """Add a check to the default table :data:`CHECKS` (decorator); see :meth:`CheckRegistry.register`."""
    return CHECKS.register(id, question=question, source=source, group=group, replace=replace)


@dataclass(frozen=True)
class Review:
    """The strategy review of one model: the answered checks, in table order.

    Attributes
    ----------
    checks : tuple of Check
    title : Text
        The model's title.
    language : str
        The model's report language (the default for :meth:`to_dict` and friends).
    skeleton : Text or None
        The art. 1.5 bundling motivation skeleton, when the recommendation bundles modules
        with one supplier (see :meth:`motivation_skeleton`).
    """

    checks: tuple[Check, ...]
    title: Text = field(default_factory=Text)
    language: str = "nl"
    skeleton: Optional[Text] = None

    @property
    def counts(self) -> dict[str, int]:
        """Number of checks per status (every status present, 0 when none)."""
        out = {s: 0 for s in STATUSES}
        for c in self.checks:
            out[c.status] += 1
        return out

    @property
    def ids(self) -> list[str]:
        return [c.id for c in self.checks]

    def check(self, id: str) -> Check:
        """The check with this id."""
        for c in self.checks:
            if c.id == id:
                return c
        raise KeyError(f"no check {id!r} in this review; the checks are {self.ids}")

    def __getitem__(self, id: str) -> Check:
        return self.check(id)

    def by_status(self, status: str) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == status)

    def motivation_skeleton(self, lang: Optional[str] = None) -> Optional[str]:
        """The art. 1.5 Aanbestedingswet 2012 bundling motivation, for the buyer to complete.

        None when the recommendation does not bundle several modules with one supplier.
        """
        if self.skeleton is None:
            return None
        return self.skeleton(lang or self.language)

    def to_dict(self, lang: Optional[str] = None, *, data: bool = False) -> dict:
        """``{"checks": [{"id", "question", "status", "finding", "advice", "source"}], "counts",
        "motivation_skeleton"}``; ``data=True`` adds each check's numbers."""
        lang = lang or self.language
        return {"checks": [c.to_dict(lang, data=data) for c in self.checks],
                "counts": self.counts,
                "motivation_skeleton": self.motivation_skeleton(lang)}

    def to_frame(self, lang: Optional[str] = None) -> pd.DataFrame:
        """One row per check (index ``id``): question, status, finding, advice, source."""
        lang = lang or self.language
        rows = [c.to_dict(lang) for c in self.checks]
        df = pd.DataFrame(rows, columns=["id", "question", "status", "finding", "advice", "source"])
        return df.set_index("id")

    def _repr_html_(self, lang: Optional[str] = None) -> str:
        lang = lang or self.language
        esc = html.escape
        colour = {"ok": "#1a7f37", "attention": "#9a6700", "missing": "#cf222e"}
        counts = ", ".join(f"{t(f'review.status.{s}', lang)}: {n}" for s, n in self.counts.items())
        parts = [f"<h4>{esc(t('review.heading', lang))}: {esc(self.title(lang))}</h4>",
                 f"<p>{esc(counts)}</p>", "<table>",
                 "<tr>" + "".join(f"<th style='text-align:left'>{esc(t(f'review.column.{c}', lang))}</th>"
                                  for c in ("question", "status", "finding", "advice", "source")) + "</tr>"]
        for c in self.checks:
            status = t(f"review.status.{c.status}", lang)
            parts.append(
                "<tr>"
                f"<td>{esc(c.question(lang))}</td>"
                f"<td style='color:{colour[c.status]};font-weight:bold'>{esc(status)}</td>"
                f"<td>{esc(c.finding(lang))}</td><td>{esc(c.advice(lang))}</td>"
                f"<td><small>{esc(c.source)}</small></td></tr>")
        parts.append("</table>")
        if self.skeleton is not None:
            parts.append(f"<h4>{esc(t('review.skeleton.heading_short', lang))}</h4>"
                         f"<pre style='white-space:pre-wrap'>{esc(self.motivation_skeleton(lang))}</pre>")
        return "".join(parts)

    def __repr__(self) -> str:
        return f"Review({len(self.checks)} checks, counts={self.counts})"


def _wrap(text: str, width: int, indent: str) -> list[str]:
    import textwrap

    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [indent.rstrip()]


def format_review(review: Review, lang: Optional[str] = None, *, width: int = 100,
                  groups: Optional[Sequence[str]] = None) -> str:
    """The review as plain text for the terminal (the CLI prints it).

    Parameters
    ----------
    review : Review
    lang : str, optional
        ``nl`` or ``en`` (default: the model's language).
    width : int
        Line width to wrap findings at.
    groups : sequence of str, optional
        Only these groups (``evaluation``, ``component``, ``tradeoff``).
    """
    lang = lang or review.language
    mark = {"ok": "[ok]", "attention": "[!!]", "missing": "[--]"}
    lines = [f"{t('review.heading', lang)}: {review.title(lang)}"]
    counts = ", ".join(f"{t(f'review.status.{s}', lang)}: {n}" for s, n in review.counts.items())
    lines.append(counts)
    current = None
    for c in review.checks:
        if groups is not None and c.group not in groups:
            continue
        if c.group != current:
            current = c.group
            key = f"group.{c.group}"
            heading = t(f"review.{key}", lang) if key in _catalogue() else c.group
            lines += ["", heading, "-" * len(heading)]
        status = t(f"review.status.{c.status}", lang)
        lines.append(f"{mark[c.status]} {c.question(lang)}  ({status})")
        lines += _wrap(c.finding(lang), width, "     ")
        if c.advice:
            lines += _wrap(f"{t('review.column.advice', lang)}: {c.advice(lang)}", width, "     ")
        lines += _wrap(f"{t('review.column.source', lang)}: {c.source}", width, "     ")
    if review.skeleton is not None and (groups is None or "evaluation" in groups):
        lines += ["", review.motivation_skeleton(lang)]
    return "\n".join(lines) + "\n"


def _catalogue() -> Mapping[str, Any]:
    from decide.i18n import catalogue

    return catalogue("review")
