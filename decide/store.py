"""The workshop store: every participant's own input, kept as an append-only audit trail.

One SQLite file per workshop lives beside the model file (``models/NAME.yaml`` ->
``models/NAME.workshop.sqlite``), in WAL mode so that readers (the facilitator's live view)
never block writers (participants saving as they go). It holds

* the people of the workshop: participants (who judge criteria in pairs and, when the model
  asks for committee scoring, score the options) and facilitators; each with a random token
  (from :mod:`secrets`) of which only a SHA-256 hash is stored;
* every judgement and every score as a record: who, what, the value, when, and the value it
  replaced. Records are never updated or deleted (triggers refuse it): the current value of a
  judgement is its newest record, and the whole history is the audit trail.

Input is validated against the model like a model file: a judgement outside 1/9..9, criteria
that are not siblings, an unknown option or criterion, a score outside the criterion's scale
each raise :class:`WorkshopInputError` with a stable ``code`` and a message in the workshop's
language, and nothing is stored. Every write is one ``BEGIN IMMEDIATE`` transaction, so
several processes saving at the same moment lose nothing and each record's ``previous`` is
the value it really replaced.

What a workshop collects comes from the model (:class:`Plan`): the pairs of sibling criteria,
and under ``workshop.scoring`` the criteria to score, each with its scale (the criterion's
named levels, or ``range`` and ``step``). The Excel channel and the browser write through the
same API; :mod:`decide.workshop.collect` turns the collected input back into a model file.

>>> from decide.loader import load_model                                   # doctest: +SKIP
>>> store = WorkshopStore.open(load_model("models/zaaksysteem.yaml"))      # doctest: +SKIP
>>> tokens = store.add_participants(["Inkoop", "Architectuur"])            # doctest: +SKIP
>>> store.record_judgment("Inkoop", "fit", "risk", 3)                      # doctest: +SKIP
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import math
import os
import secrets
import sqlite3
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import pandas as pd

from decide import i18n
from decide.errors import DecideError, Message, Problem
from decide.model import DecisionModel

__all__ = [
    "STORE_SUFFIX",
    "Person",
    "Plan",
    "Progress",
    "Record",
    "ScoreEntry",
    "ScoreScale",
    "WorkshopInputError",
    "WorkshopStore",
    "plan",
    "store_path",
]

#: ``models/NAME.yaml`` -> ``models/NAME.workshop.sqlite``.
STORE_SUFFIX = ".workshop.sqlite"

#: Roles of the people in a workshop.
PARTICIPANT, FACILITATOR = "participant", "facilitator"

#: Kinds of records.
JUDGMENT, SCORE = "judgment", "score"

SCHEMA_VERSION = 1

_RTOL = 1e-9
_BUSY_MS = 30_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS people (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('participant', 'facilitator')),
    weight REAL NOT NULL DEFAULT 1.0,
    token_hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    revoked TEXT
);
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person INTEGER NOT NULL REFERENCES people(id),
    kind TEXT NOT NULL CHECK (kind IN ('judgment', 'score')),
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    value REAL,
    previous REAL,
    reasoning TEXT,
    origin TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_key ON records (person, kind, a, b, id);
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


def _t(key: str, lang: str, **kw: Any) -> str:
    return i18n.t(f"store.{key}", lang, **kw)


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def store_path(model_path: str | os.PathLike) -> Path:
    """The store of a model file: ``models/NAME.yaml`` -> ``models/NAME.workshop.sqlite``.

    A workshop's own output ``NAME.workshop.yaml`` shares the store of ``NAME.yaml``.
    """
    p = Path(model_path)
    name = p.name
    for suffix in (".workshop.yaml", ".workshop.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return p.with_name(name + STORE_SUFFIX)


class WorkshopInputError(DecideError):
    """Input a workshop refuses (nothing is stored); ``code`` is stable, the message is in the user's language.

    Attributes
    ----------
    code : str
        ``judgment-range``, ``judgment-not-siblings``, ``unknown-criterion``, ``unknown-option``,
        ``score-scale``, ``unknown-participant``, ``not-allowed``, ...
    loc : str
        What was entered (``judgment fit/risk``, ``score suite/fit``).
    """

    def __init__(self, code: str, loc: str, message: str):
        self.code, self.loc = code, loc
        super().__init__(f"{loc}: {message} [{code}]" if loc else f"{message} [{code}]")
        self.message = message
        if isinstance(message, Message):  # one located problem, shown in the user's language by faces
            self.problems = (Problem(code, loc, message),)


# ============================================================================ what to collect
@dataclass(frozen=True)
class ScoreScale:
    """The scores allowed for one criterion: ``levels`` are ``(label, value)`` from low to high."""

    criterion: str
    levels: tuple[tuple[str, float], ...]
    named: bool

    @property
    def low(self) -> float:
        return min(v for _, v in self.levels)

    @property
    def high(self) -> float:
        return max(v for _, v in self.levels)

    def value_of(self, raw: Any) -> Optional[float]:
        """The number for a level name or a number on the scale; None when it is not on the scale."""
        if isinstance(raw, str):
            for name, v in self.levels:
                if name == raw:
                    return v
            try:
                raw = float(raw.replace(",", "."))
            except ValueError:
                return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            return None
        for _, v in self.levels:
            if abs(float(raw) - v) <= 1e-9 * max(1.0, abs(v)):
                return v
        return None

    def label_of(self, value: float) -> str:
        for name, v in self.levels:
            if abs(value - v) <= 1e-9 * max(1.0, abs(v)):
                return name
        return i18n.fmt_number(value, "en", 2).rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Plan:
    """What a workshop collects from its participants, read from the model.

    Attributes
    ----------
    groups : dict parent -> list of criterion ids
        Sibling groups with at least two criteria (parent None: the top level).
    pairs : tuple of (a, b)
        Every pair of siblings, ``a`` before ``b`` in the model's criteria order.
    participants : tuple of str
        Who the model names (``workshop.participants``, else the AHP participants).
    evaluators : tuple of str
        Who scores (``workshop.scoring.evaluators``, else the participants); empty without scoring.
    options, criteria : tuple of str
        What is scored (option ids x criterion ids); empty without scoring.
    scales : dict criterion -> ScoreScale
    """

    groups: dict
    pairs: tuple
    participants: tuple
    evaluators: tuple
    options: tuple
    criteria: tuple
    scales: dict
    parent_of: dict = field(repr=False)

    @property
    def scoring(self) -> bool:
        """True when the model asks for committee scoring."""
        return bool(self.criteria)

    def cells(self) -> list[tuple[str, str]]:
        """Every (option, criterion) to score."""
        return [(o, c) for o in self.options for c in self.criteria]


def plan(model: DecisionModel) -> Plan:
    """What the workshop of ``model`` collects (see :class:`Plan`)."""
    tree = model.tree()
    groups = {p: list(k) for p, k in tree.items() if len(k) > 1}
    pairs = tuple((k[i], k[j]) for k in groups.values() for i in range(len(k)) for j in range(i + 1, len(k)))
    parent_of = {c: p for p, k in groups.items() for c in k}
    ws = model.workshop
    if ws is not None and ws.participants:
        people = tuple(ws.participants)
    elif model.weights.ahp is not None:
        people = tuple(p.name for p in model.weights.ahp.participants)
    else:
        people = ()
    sc = ws.scoring if ws is not None else None
    if sc is None:
        return Plan(groups, pairs, people, (), (), (), {}, parent_of)
    leaves = {c.id: c for c in model.leaves()}
    crit = tuple(sc.criteria) or tuple(c for c, x in leaves.items() if x.source != "tco")
    scales = {}
    for cid in crit:
        c = leaves[cid]
        if c.scale:
            levels = tuple(sorted(((str(k), float(v)) for k, v in c.scale.items()), key=lambda kv: kv[1]))
            scales[cid] = ScoreScale(cid, levels, True)
        else:
            lo, hi = (sc.range if sc.range else (1.0, 5.0))
            n = int(math.floor((hi - lo) / sc.step + 1e-9))
            vals = [round(lo + k * sc.step, 10) for k in range(n + 1)]
            levels = tuple((f"{v:g}", float(v)) for v in vals)
            scales[cid] = ScoreScale(cid, levels, False)
    evaluators = tuple(sc.evaluators) or people
    return Plan(groups, pairs, people, evaluators, tuple(model.alternative_ids), crit, scales, parent_of)


# ============================================================================ results
@dataclass(frozen=True)
class Person:
    """Someone in the workshop (never their token: only its hash is stored)."""

    id: int
    name: str
    role: str
    weight: float
    created: str
    revoked: Optional[str] = None

    @property
    def is_facilitator(self) -> bool:
        return self.role == FACILITATOR

    @property
    def active(self) -> bool:
        return self.revoked is None


@dataclass(frozen=True)
class Record:
    """One entry of the audit trail: who entered or changed which judgement or score, and when.

    ``a, b`` are the two criteria of a judgement (value: how many times ``a`` is as important
    as ``b``; None: the pair was cleared) or the option and criterion of a score.
    """

    id: int
    who: str
    kind: str
    a: str
    b: str
    value: Optional[float]
    previous: Optional[float]
    reasoning: Optional[str]
    origin: str
    at: str


@dataclass(frozen=True)
class ScoreEntry:
    """A current score with the evaluator's reasoning (their motivation, optional)."""

    value: float
    reasoning: Optional[str] = None


@dataclass(frozen=True)
class Progress:
    """How far each participant is: judged pairs and scored cells out of the totals."""

    rows: tuple  # (name, role, judged, pairs, scored, cells, last)
    pairs: int
    cells: int

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(list(self.rows), columns=["name", "role", "judged", "pairs", "scored", "cells", "last"]
                            ).set_index("name")

    def finished(self, name: str) -> bool:
        for r in self.rows:
            if r[0] == name:
                return r[2] >= r[3] and r[4] >= r[5]
        return False


def _steps(v: float) -> float:
    """Position of a judgement on the 17-step verbal scale: 9 -> 8, 1 -> 0, 1/9 -> -8."""
    return v - 1.0 if v >= 1 else -(1.0 / v - 1.0)


# ============================================================================ the store
Who = Union[str, Person]


class WorkshopStore:
    """The input of one workshop in one SQLite file (see the module docstring).

    Parameters
    ----------
    path : path-like
        The SQLite file; created with its tables when missing.
    model : DecisionModel
        The model the input is validated against.
    lang : {'nl', 'en'}, optional
        Language of the error messages (default: the model's).
    """

    def __init__(self, path: str | os.PathLike, model: DecisionModel, *, lang: Optional[str] = None):
        if not isinstance(model, DecisionModel):
            raise TypeError(f"expected a DecisionModel, got {type(model).__name__}")
        self.path = Path(path)
        self.model = model
        self.lang = lang or model.language
        self.plan = plan(model)
        self._pair_index = {pair: k for k, pair in enumerate(self.plan.pairs)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(_SCHEMA)
            with _tx(con):
                con.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                con.execute("INSERT OR IGNORE INTO meta VALUES ('created', ?)", (_now(),))
                con.execute("INSERT OR IGNORE INTO meta VALUES ('model', ?)", (str(model.path or ""),))
        finally:
            con.close()

    @classmethod
    def open(cls, model: DecisionModel, path: str | os.PathLike | None = None, *,
             lang: Optional[str] = None) -> "WorkshopStore":
        """The store beside the model file (:func:`store_path`), or at ``path``."""
        if path is None:
            if model.path is None:
                raise WorkshopInputError("no-file", "", Message("store.no_model_file", shown_in=lang or model.language))
            path = store_path(model.path)
        return cls(path, model, lang=lang)

    # ---------------------------------------------------------------- plumbing
    def _connect(self) -> sqlite3.Connection:
        con = sqlite3.connect(str(self.path), timeout=_BUSY_MS / 1000, isolation_level=None)
        con.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
        con.execute("PRAGMA foreign_keys=ON")
        return con

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[tuple]:
        con = self._connect()
        try:
            return con.execute(sql, tuple(args)).fetchall()
        finally:
            con.close()

    def _error(self, code: str, loc: str, key: str, **kw: Any) -> WorkshopInputError:
        return WorkshopInputError(code, loc, Message(f"store.{key}", shown_in=self.lang, **kw))

    # ---------------------------------------------------------------- people
    def add_participants(self, names: Iterable[str] | Mapping[str, float], *, role: str = PARTICIPANT
                         ) -> dict[str, str]:
        """Add people and give each a new random token.

        Parameters
        ----------
        names : iterable of str, or mapping name -> weight in the group
        role : {'participant', 'facilitator'}

        Returns
        -------
        dict name -> token
            The tokens, shown this once: the store keeps only their hashes.

        Raises
        ------
        WorkshopInputError
            An empty or duplicate name, or a name already in the workshop.
        """
        if role not in (PARTICIPANT, FACILITATOR):
            raise ValueError(f"role must be {PARTICIPANT!r} or {FACILITATOR!r}, got {role!r}")
        weights = dict(names) if isinstance(names, Mapping) else {n: 1.0 for n in names}
        out: dict[str, str] = {}
        for name, w in weights.items():
            if not isinstance(name, str) or not name.strip():
                raise self._error("participant-name", "", "participant_name", name=repr(name))
            if not (isinstance(w, (int, float)) and math.isfinite(w) and w > 0):
                raise self._error("participant-weight", name, "participant_weight", value=repr(w))
        con = self._connect()
        try:
            with _tx(con):
                known = {r[0] for r in con.execute("SELECT name FROM people")}
                for name, w in weights.items():
                    name = name.strip()
                    if name in known or name in out:
                        raise self._error("duplicate-participant", name, "duplicate_participant", name=name)
                    token = secrets.token_urlsafe(24)
                    con.execute("INSERT INTO people (name, role, weight, token_hash, created) VALUES (?,?,?,?,?)",
                                (name, role, float(w), _hash(token), _now()))
                    out[name] = token
        finally:
            con.close()
        return out

    def add_facilitator(self, name: str = "facilitator") -> str:
        """Add a facilitator and return their token (the one token that sees everyone's input)."""
        return self.add_participants([name], role=FACILITATOR)[name]

    def reissue(self, name: str) -> str:
        """A new token for ``name`` (the old link stops working); also lifts a revocation."""
        token = secrets.token_urlsafe(24)
        con = self._connect()
        try:
            with _tx(con):
                cur = con.execute("UPDATE people SET token_hash = ?, revoked = NULL WHERE name = ?", (_hash(token), name))
                if cur.rowcount != 1:
                    raise self._error("unknown-participant", name, "unknown_participant", name=name,
                                      known=", ".join(self._names(con)))
        finally:
            con.close()
        return token

    def revoke(self, name: str) -> None:
        """Revoke ``name``'s token: their link gets 403 from now on; their input stays."""
        con = self._connect()
        try:
            with _tx(con):
                cur = con.execute("UPDATE people SET revoked = ? WHERE name = ? AND revoked IS NULL", (_now(), name))
                if cur.rowcount != 1 and not con.execute("SELECT 1 FROM people WHERE name = ?", (name,)).fetchone():
                    raise self._error("unknown-participant", name, "unknown_participant", name=name,
                                      known=", ".join(self._names(con)))
        finally:
            con.close()

    def _names(self, con: sqlite3.Connection) -> list[str]:
        return [r[0] for r in con.execute("SELECT name FROM people ORDER BY id")]

    def people(self, role: Optional[str] = None, *, active_only: bool = False) -> list[Person]:
        """Everyone in the workshop (in the order they were added), optionally one role."""
        sql = "SELECT id, name, role, weight, created, revoked FROM people"
        cond, args = [], []
        if role is not None:
            cond.append("role = ?")
            args.append(role)
        if active_only:
            cond.append("revoked IS NULL")
        if cond:
            sql += " WHERE " + " AND ".join(cond)
        return [Person(*r) for r in self._read(sql + " ORDER BY id", args)]

    def participants(self) -> list[Person]:
        """The participants (not the facilitators), revoked ones included: their input counts."""
        return self.people(PARTICIPANT)

    def person(self, name: str) -> Person:
        rows = self._read("SELECT id, name, role, weight, created, revoked FROM people WHERE name = ?", (name,))
        if not rows:
            raise self._error("unknown-participant", name, "unknown_participant", name=name,
                              known=", ".join(p.name for p in self.people()))
        return Person(*rows[0])

    def authenticate(self, token: Optional[str]) -> Optional[Person]:
        """The person a token belongs to, or None (unknown, revoked, empty or malformed)."""
        if not token or not isinstance(token, str) or len(token) > 200:
            return None
        h = _hash(token)
        rows = self._read("SELECT id, name, role, weight, created, revoked, token_hash FROM people "
                          "WHERE token_hash = ?", (h,))
        if not rows or not hmac.compare_digest(rows[0][6], h) or rows[0][5] is not None:
            return None
        return Person(*rows[0][:6])

    def _who(self, who: Who) -> Person:
        p = who if isinstance(who, Person) else self.person(who)
        if p.revoked is not None:
            raise self._error("revoked", p.name, "revoked", name=p.name)
        return p

    # ---------------------------------------------------------------- writing
    def _check_judgment(self, a: Any, b: Any, value: Any) -> tuple[str, str, Optional[float]]:
        loc = f"{a}/{b}"
        known = [c for g in self.plan.groups.values() for c in g]
        for x in (a, b):
            if not isinstance(x, str) or x not in self.plan.parent_of:
                raise self._error("unknown-criterion", loc, "unknown_criterion", criterion=x, known=", ".join(known))
        if a == b:
            raise self._error("judgment-self", loc, "judgment_self", a=a)
        if self.plan.parent_of[a] != self.plan.parent_of[b]:
            raise self._error("judgment-not-siblings", loc, "judgment_not_siblings", a=a, b=b)
        if value is None:
            v = None
        else:
            from decide.validation import parse_ratio

            v = parse_ratio(value) if not isinstance(value, bool) else None
            if v is None or not math.isfinite(v):
                raise self._error("judgment-value", loc, "judgment_value", value=repr(value))
            if v < (1 / 9) * (1 - _RTOL) or v > 9 * (1 + _RTOL):
                raise self._error("judgment-range", loc, "judgment_range", value=repr(value))
            from decide.workshop.scale import snap

            v = snap(v)
        if (a, b) not in self._pair_index:
            a, b = b, a
            v = None if v is None else 1.0 / v
            if v is not None:
                from decide.workshop.scale import snap

                v = snap(v)
        return a, b, v

    def _check_score(self, option: Any, criterion: Any, value: Any) -> float:
        loc = f"{option}/{criterion}"
        if not self.plan.scoring:
            raise self._error("no-scoring", loc, "no_scoring")
        if not isinstance(option, str) or option not in self.plan.options:
            raise self._error("unknown-option", loc, "unknown_option", option=option,
                              known=", ".join(self.plan.options))
        if not isinstance(criterion, str) or criterion not in self.plan.scales:
            raise self._error("unknown-criterion", loc, "unknown_scored_criterion", criterion=criterion,
                              known=", ".join(self.plan.criteria))
        scale = self.plan.scales[criterion]
        v = scale.value_of(value)
        if v is None:
            raise self._error("score-scale", loc, "score_scale", value=repr(value),
                              levels=", ".join(n for n, _ in scale.levels))
        return v

    def _append(self, person: Person, kind: str, a: str, b: str, value: Optional[float],
                reasoning: Optional[str], origin: str) -> Record:
        con = self._connect()
        try:
            with _tx(con):
                alive = con.execute("SELECT revoked FROM people WHERE id = ?", (person.id,)).fetchone()
                if alive is None or alive[0] is not None:
                    raise self._error("revoked", person.name, "revoked", name=person.name)
                row = con.execute("SELECT value FROM records WHERE person = ? AND kind = ? AND a = ? AND b = ? "
                                  "ORDER BY id DESC LIMIT 1", (person.id, kind, a, b)).fetchone()
                previous = row[0] if row is not None else None
                at = _now()
                cur = con.execute("INSERT INTO records (person, kind, a, b, value, previous, reasoning, origin, at) "
                                  "VALUES (?,?,?,?,?,?,?,?,?)",
                                  (person.id, kind, a, b, value, previous, reasoning, origin, at))
                rid = cur.lastrowid
        finally:
            con.close()
        return Record(int(rid), person.name, kind, a, b, value, previous, reasoning, origin, at)

    def record_judgment(self, who: Who, a: str, b: str, value: Any, *, origin: str = "api") -> Record:
        """Record "``a`` is ``value`` times as important as ``b``" for a participant (None clears it).

        ``value`` is a number or a fraction text such as ``"1/3"``, between 1/9 and 9.

        Returns
        -------
        Record
            The stored record, pair in the model's order (``[b, a, 1/v]`` when given the other way).

        Raises
        ------
        WorkshopInputError
            Unknown or revoked participant, a facilitator, criteria that are not siblings, a
            value outside 1/9..9 or not a number. Nothing is stored.
        """
        p = self._who(who)
        if p.is_facilitator:
            raise self._error("not-allowed", p.name, "facilitator_judgment")
        a, b, v = self._check_judgment(a, b, value)
        return self._append(p, JUDGMENT, a, b, v, None, origin)

    def record_score(self, who: Who, option: str, criterion: str, value: Any, *,
                     reasoning: Optional[str] = None, origin: str = "api") -> Record:
        """Record a score (a level name or a number on the criterion's scale), with optional reasoning.

        A participant's score is their own; a facilitator's score is the committee's agreed
        value after the consensus discussion.

        Raises
        ------
        WorkshopInputError
            The model asks for no scoring, an unknown option or criterion, a score off the scale,
            an unknown or revoked person, or a participant who is no evaluator. Nothing is stored.
        """
        p = self._who(who)
        if not p.is_facilitator and self.plan.evaluators and p.name not in self.plan.evaluators:
            raise self._error("not-allowed", p.name, "not_evaluator", name=p.name)
        v = self._check_score(option, criterion, value)
        if reasoning is not None:
            if not isinstance(reasoning, str):
                raise self._error("reasoning", f"{option}/{criterion}", "reasoning_type", value=repr(reasoning))
            reasoning = reasoning.strip() or None
            if reasoning is not None and len(reasoning) > 10_000:
                raise self._error("reasoning", f"{option}/{criterion}", "reasoning_long", n=len(reasoning))
        return self._append(p, SCORE, option, criterion, v, reasoning, origin)

    def set_flag(self, key: str, value: bool) -> None:
        """A workshop switch kept in the store (``reveal``: participants see the spread)."""
        con = self._connect()
        try:
            with _tx(con):
                con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"flag:{key}", "1" if value else "0"))
        finally:
            con.close()

    def version(self) -> tuple:
        """Changes whenever input, people or switches change (live views redraw only then)."""
        rows = self._read("SELECT (SELECT MAX(id) FROM records), (SELECT COUNT(*) FROM people), "
                          "(SELECT COUNT(*) FROM people WHERE revoked IS NOT NULL), "
                          "(SELECT group_concat(key || value) FROM meta WHERE key LIKE 'flag:%')")
        return tuple(rows[0])

    def flag(self, key: str) -> bool:
        rows = self._read("SELECT value FROM meta WHERE key = ?", (f"flag:{key}",))
        return bool(rows) and rows[0][0] == "1"

    # ---------------------------------------------------------------- reading
    def _current(self, kind: str, who: Optional[Who] = None) -> dict[str, dict[tuple[str, str], tuple]]:
        sql = ("SELECT p.name, r.a, r.b, r.value, r.reasoning FROM records r JOIN people p ON p.id = r.person "
               "WHERE r.kind = ? AND r.id IN (SELECT MAX(id) FROM records WHERE kind = ? GROUP BY person, a, b)")
        args: list[Any] = [kind, kind]
        if who is not None:
            name = who.name if isinstance(who, Person) else who
            self.person(name)
            sql += " AND p.name = ?"
            args.append(name)
        out: dict[str, dict] = {}
        for name, a, b, v, why in self._read(sql + " ORDER BY r.id", args):
            if v is None:
                continue
            out.setdefault(name, {})[(a, b)] = (float(v), why)
        return out

    def judgments(self, who: Who) -> dict[tuple[str, str], float]:
        """A participant's current judgements, ``(a, b) -> value`` with the pair in the model's order."""
        name = who.name if isinstance(who, Person) else who
        cur = self._current(JUDGMENT, name).get(name, {})
        return {pair: cur[pair][0] for pair in self.plan.pairs if pair in cur}

    def all_judgments(self) -> dict[str, dict[tuple[str, str], float]]:
        """Every participant's current judgements (facilitator's view)."""
        cur = self._current(JUDGMENT)
        return {p.name: {pair: cur[p.name][pair][0] for pair in self.plan.pairs if pair in cur.get(p.name, {})}
                for p in self.participants()}

    def scores(self, who: Who) -> dict[tuple[str, str], ScoreEntry]:
        """A person's current scores, ``(option, criterion) -> ScoreEntry`` (a facilitator's: the agreed ones)."""
        name = who.name if isinstance(who, Person) else who
        cur = self._current(SCORE, name).get(name, {})
        return {cell: ScoreEntry(*cur[cell]) for cell in self.plan.cells() if cell in cur}

    def all_scores(self) -> dict[str, dict[tuple[str, str], ScoreEntry]]:
        """Every participant's current scores (not the agreed ones: see :meth:`agreed`)."""
        cur = self._current(SCORE)
        return {p.name: {c: ScoreEntry(*cur[p.name][c]) for c in self.plan.cells() if c in cur.get(p.name, {})}
                for p in self.participants()}

    def agreed(self) -> dict[tuple[str, str], ScoreEntry]:
        """The agreed scores (entered by a facilitator after the discussion), newest first wins."""
        out: dict = {}
        cur = self._current(SCORE)
        for f in self.people(FACILITATOR):
            for cell, (v, why) in cur.get(f.name, {}).items():
                out[cell] = ScoreEntry(v, why)
        return {c: out[c] for c in self.plan.cells() if c in out}

    def audit(self, who: Optional[Who] = None) -> list[Record]:
        """The audit trail, oldest first: every judgement and score ever entered, with the value it replaced."""
        sql = ("SELECT r.id, p.name, r.kind, r.a, r.b, r.value, r.previous, r.reasoning, r.origin, r.at "
               "FROM records r JOIN people p ON p.id = r.person")
        args: list[Any] = []
        if who is not None:
            name = who.name if isinstance(who, Person) else who
            self.person(name)
            sql += " WHERE p.name = ?"
            args.append(name)
        return [Record(*r) for r in self._read(sql + " ORDER BY r.id", args)]

    def audit_frame(self, who: Optional[Who] = None) -> pd.DataFrame:
        cols = ["id", "who", "kind", "a", "b", "value", "previous", "reasoning", "origin", "at"]
        return pd.DataFrame([r.__dict__ for r in self.audit(who)], columns=cols)

    def progress(self) -> Progress:
        """Per participant: pairs judged and cells scored (of the totals), and their last change."""
        judged = self._current(JUDGMENT)
        scored = self._current(SCORE)
        last = dict(self._read("SELECT p.name, MAX(r.at) FROM records r JOIN people p ON p.id = r.person "
                               "GROUP BY p.name"))
        pairs, cells = len(self.plan.pairs), len(self.plan.cells())
        rows = []
        for p in self.participants():
            nj = sum(1 for k in judged.get(p.name, {}) if k in self._pair_index)
            evaluator = not self.plan.evaluators or p.name in self.plan.evaluators
            my_cells = cells if (self.plan.scoring and evaluator) else 0
            ns = sum(1 for k in scored.get(p.name, {}) if k[0] in self.plan.options and k[1] in self.plan.scales)
            rows.append((p.name, p.role if p.active else "revoked", nj, pairs, ns if my_cells else 0, my_cells,
                         last.get(p.name)))
        return Progress(tuple(rows), pairs, cells)

    def judgment_spread(self) -> pd.DataFrame:
        """Per judged pair, how far the participants' judgements lie apart, widest first.

        Columns: ``parent, a, b, n, low, high, geomean`` (values: how many times ``a`` is as
        important as ``b``) and ``steps``: the distance between the lowest and the highest
        judgement on the 17-step verbal scale (0: all agree; 16: 9 against 1/9).
        """
        rows = []
        everyone = self.all_judgments()
        for pair in self.plan.pairs:
            vals = [v[pair] for v in everyone.values() if pair in v]
            if not vals:
                continue
            pos = [_steps(v) for v in vals]
            geo = math.exp(sum(math.log(v) for v in vals) / len(vals))
            rows.append((self.plan.parent_of[pair[0]], pair[0], pair[1], len(vals), min(vals), max(vals), geo,
                         max(pos) - min(pos)))
        df = pd.DataFrame(rows, columns=["parent", "a", "b", "n", "low", "high", "geomean", "steps"])
        return df.sort_values(["steps", "n"], ascending=[False, False], kind="stable").reset_index(drop=True)

    def score_spread(self) -> pd.DataFrame:
        """Per option x criterion, how far the evaluators' scores lie apart, widest first.

        Columns: ``option, criterion, n, low, high, median, mean, std`` (population standard
        deviation), ``range`` (high - low) and ``relative`` (range over the scale's width),
        and ``agreed`` (the facilitator's agreed score, NaN when there is none yet).
        """
        rows = []
        everyone = self.all_scores()
        agreed = self.agreed()
        for cell in self.plan.cells():
            vals = [s[cell].value for s in everyone.values() if cell in s]
            if not vals:
                continue
            sc = self.plan.scales[cell[1]]
            width = (sc.high - sc.low) or 1.0
            ag = agreed[cell].value if cell in agreed else math.nan
            rows.append((cell[0], cell[1], len(vals), min(vals), max(vals), statistics.median(vals),
                         statistics.fmean(vals), statistics.pstdev(vals), max(vals) - min(vals),
                         (max(vals) - min(vals)) / width, ag))
        df = pd.DataFrame(rows, columns=["option", "criterion", "n", "low", "high", "median", "mean", "std",
                                         "range", "relative", "agreed"])
        return df.sort_values(["relative", "n"], ascending=[False, False], kind="stable").reset_index(drop=True)

    def session(self, *, judges_only: bool = True):
        """A :class:`decide.workshop.JudgmentSession` with the participants' current judgements.

        Participants who judged nothing yet are left out (``judges_only``); a pair someone has
        not judged is skipped (estimated from their other judgements, as in a model file).
        """
        from decide.workshop.judgments import JudgmentSession

        everyone = self.all_judgments()
        people = {p.name: p.weight for p in self.participants() if everyone.get(p.name) or not judges_only}
        if not people:
            raise self._error("no-input", "", "no_judgments")
        s = JudgmentSession(self.model, people, lang=self.lang)
        for name in people:
            mine = everyone.get(name, {})
            for a, b in self.plan.pairs:
                s.set_value(name, a, b, mine.get((a, b)))
        return s

    def __repr__(self) -> str:
        return f"WorkshopStore({str(self.path)!r}, people={len(self.people())})"


class _tx:
    """``with _tx(con):`` one ``BEGIN IMMEDIATE`` ... ``COMMIT`` transaction (rolled back on an error)."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con

    def __enter__(self):
        if not self.con.in_transaction:
            self.con.execute("BEGIN IMMEDIATE")
            self.own = True
        else:
            self.own = False
        return self.con

    def __exit__(self, exc_type, exc, tb):
        if not self.own:
            return False
        if exc_type is None:
            self.con.execute("COMMIT")
        elif self.con.in_transaction:
            self.con.execute("ROLLBACK")
        return False
