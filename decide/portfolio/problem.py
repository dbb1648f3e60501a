"""The array-level input of the portfolio optimisation: :class:`Problem` and :class:`Rules`.

A :class:`Problem` is what :func:`decide.portfolio.optimise` solves. The model-file adapter
(:func:`decide.portfolio_model.from_model`) builds one from a decision model; scripts and
tests build one directly from DataFrames or lists of records.

Money is in one currency (``Problem.currency``). ``tco``, ``integration`` and ``spend`` are
net present values over the horizon; ``exit_cost`` and the per-year ``cashflows`` are nominal.

Notes
-----
*Spend* is an option's TCO without its integration cost (``spend = tco - integration``).
Integration is paid to no supplier: it counts in the budget, never in a share. An option
without a supplier (an in-house build) is never a supplier: it is nobody's share and not a
supplier for ``min_suppliers``.

Shares (``max_supplier_share``, ``min_sme_share``) are measured against a stated base,
``Rules.share_base``:

- ``"options"`` (default): the spend on all chosen options, in-house builds included. A
  municipality that builds case handling itself and buys forms from an SME spends most of the
  money in-house; the SME's share of that whole is small, as the buyer sees it.
- ``"suppliers"``: the spend with external suppliers only. In-house builds then count on
  neither side, and a small supplier next to a large in-house build can hold most of the base.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from decide.errors import InputError, Message
from decide.errors import Problem as Located

__all__ = ["Problem", "Rules", "RULE_NAMES", "LIMITS", "OBJECTIVES", "SHARE_BASES"]

OBJECTIVES = ("value", "cost")

#: The supplier-diversity and exit rules, in the order they are reported.
RULE_NAMES = (
    "max_supplier_share",
    "min_suppliers",
    "min_sme_share",
    "max_lots_per_supplier",
    "max_exit_cost",
)

#: What shares are measured against (see the module notes).
SHARE_BASES = ("options", "suppliers")

#: Every limit a portfolio is checked against, in report order: the budget rows, the
#: diversity and exit rules, and the least value of a cost objective.
LIMITS = ("budget", "yearly_budget", *RULE_NAMES, "min_value")

_OPTION_COLUMNS = (
    "label",
    "supplier",
    "value",
    "tco",
    "integration",
    "spend",
    "exit_cost",
    "covers",
    "tags",
    "requires",
    "excludes",
)
_TUPLE_COLUMNS = ("covers", "tags", "requires", "excludes")


@dataclass(frozen=True)
class Rules:
    """Supplier-diversity and exit rules; every rule is optional (``None`` = not applied).

    Parameters
    ----------
    max_supplier_share : float, optional
        Largest share (0 < s <= 1) of the share base that one supplier may get.
    min_suppliers : int, optional
        Least number of distinct suppliers among the chosen options (in-house builds are
        no supplier).
    min_sme_share : float, optional
        Least share (0 <= s <= 1) of the share base that goes to SME suppliers.
    max_lots_per_supplier : int, optional
        Most modules one supplier may cover (without modules: most options per supplier).
    max_exit_cost : float, optional
        Cap on the sum of the chosen options' exit costs (nominal).
    share_base : {"options", "suppliers"}
        What the shares are measured against (see the module notes); default ``"options"``.
    """

    max_supplier_share: float | None = None
    min_suppliers: int | None = None
    min_sme_share: float | None = None
    max_lots_per_supplier: int | None = None
    max_exit_cost: float | None = None
    share_base: str = "options"

    def __post_init__(self) -> None:
        problems = []
        if self.share_base not in SHARE_BASES:
            problems.append(Located.of("wrong-value", "rules.share_base", key="errors.shape_expected_got",
                                       expected=Message("errors.one_of", allowed=", ".join(map(repr, SHARE_BASES))),
                                       got=repr(self.share_base)))
        # one range per rule, with the words a user reads (the model-file check calls this one)
        checks = {
            "max_supplier_share": (lambda v: 0 < v <= 1, "expected_share_open"),
            "min_suppliers": (lambda v: v >= 0 and float(v).is_integer(), "expected_whole"),
            "min_sme_share": (lambda v: 0 <= v <= 1, "expected_share_closed"),
            "max_lots_per_supplier": (
                lambda v: v >= 0 and float(v).is_integer(),
                "expected_whole",
            ),
            "max_exit_cost": (lambda v: v >= 0, "expected_amount"),
        }
        for name, (ok, expected) in checks.items():
            v = getattr(self, name)
            if v is None:
                continue
            try:
                fv = float(v)
                good = math.isfinite(fv) and ok(fv)
            except (TypeError, ValueError):
                good = False
            if not good:
                problems.append(Located.of("out-of-range", f"rules.{name}", key="loader.rule_range",
                                           expected=Message(f"loader.{expected}"), value=v))
                continue
            if name in ("min_suppliers", "max_lots_per_supplier"):
                object.__setattr__(self, name, int(fv))
            else:
                object.__setattr__(self, name, fv)
        if problems:
            raise InputError.of(problems)

    @classmethod
    def coerce(cls, value: Rules | Mapping[str, Any] | None) -> Rules:
        """Return ``value`` as :class:`Rules` (from a mapping of rule name to limit, or None)."""
        if value is None:
            return cls()
        if isinstance(value, Rules):
            return value
        if isinstance(value, Mapping):
            unknown = sorted(set(value) - set(RULE_NAMES) - {"share_base"})
            if unknown:
                raise InputError.at("unknown-rule", "rules", names=", ".join(map(str, unknown)),
                                    known=", ".join(RULE_NAMES))
            return cls(**dict(value))
        raise InputError.at("wrong-type", "rules", key="errors.shape_expected_got",
                            expected=Message("errors.kind_rules"), got=type(value).__name__)

    def replace(self, **changes: Any) -> Rules:
        """Return a copy with some rules changed (``None`` removes a rule)."""
        return dataclasses.replace(self, **changes)

    def active(self) -> dict[str, float | int]:
        """The rules that are set, as ``{name: limit}`` in :data:`RULE_NAMES` order."""
        return {n: getattr(self, n) for n in RULE_NAMES if getattr(self, n) is not None}


def _as_tuple(v: Any) -> tuple:
    if v is None:
        return ()
    if isinstance(v, float) and math.isnan(v):
        return ()
    if isinstance(v, str):
        return (v,)
    if isinstance(v, (list, tuple, set, frozenset, np.ndarray, pd.Index, pd.Series)):
        return tuple(v)
    return (v,)


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _found(name: str, loc: str, **params: Any) -> Located:
    """A located portfolio input problem; its code and catalogue key name the problem
    (``portfolio.duplicate_ids`` -> code ``duplicate-ids``)."""
    return Located.of(name.replace("_", "-"), loc, key=f"portfolio.{name}", **params)


def _ids(values: Any) -> str:
    return ", ".join(repr(str(v)) for v in values)


def _frame(data: Any, what: str, problems: list[Located]) -> pd.DataFrame | None:
    """Turn a DataFrame / list of records / mapping into a DataFrame indexed by id."""
    if data is None:
        return None
    if isinstance(data, pd.DataFrame):
        df = data.copy()
        if "id" in df.columns:
            df = df.set_index("id")
    elif isinstance(data, Mapping):
        df = pd.DataFrame.from_dict(dict(data), orient="index")
    elif isinstance(data, Sequence) and not isinstance(data, str):
        records = list(data)
        if records and not all(isinstance(r, Mapping) and "id" in r for r in records):
            problems.append(_found("record_without_id", what))
            return None
        df = pd.DataFrame.from_records(records)
        if len(df):
            df = df.set_index("id")
    else:
        problems.append(_found("table_wrong_type", what, found=type(data).__name__))
        return None
    df.index = pd.Index([i for i in df.index], dtype=object, name="id")
    return df


@dataclass(frozen=True, eq=False)
class Problem:
    """A portfolio problem: options, modules, suppliers, budget, rules.

    Parameters
    ----------
    options : DataFrame or list of records
        Indexed by option id (or records with an ``id``). Columns:

        - ``value`` (float, required): the option's portfolio value, already computed.
        - ``tco`` (float >= 0, required): NPV over the horizon, integration included; the
          budget counts this.
        - ``label`` (str): defaults to the id.
        - ``supplier`` (str or None): None for an in-house build.
        - ``integration`` (float >= 0, NPV): paid to no supplier; default 0.
        - ``spend`` (float): ``tco - integration`` (derived when absent; checked when given).
        - ``exit_cost`` (float >= 0, nominal): default 0.
        - ``covers`` (tuple of module ids): default ().
        - ``tags`` (tuple of str): e.g. ``buy``/``make``, ``open_source``/``commercial``,
          ``cloud``/``on_premises``, ``monolithic``/``modular``.
        - ``requires`` / ``excludes`` (tuple of option ids).
    modules : DataFrame or list of records, optional
        Indexed by module id: ``label``, ``required`` (bool, default True), ``importance``
        (float, default 1). Empty or None: options are independent items (a knapsack).
    suppliers : DataFrame or list of records, optional
        Indexed by supplier id: ``label``, ``sme`` (bool, default False). None: derived from the
        options' suppliers, none of them SME (then ``min_sme_share`` is refused).
    cashflows : DataFrame, optional
        Options x years 0..T: nominal cost per year (once + integration in year 0, exit in
        year T). Needed only for ``yearly_budget``.
    budget : float, optional
        Cap on the summed TCO of the chosen options. None: no budget.
    yearly_budget : sequence of float or None, optional
        Cap per year 0..T on the summed ``cashflows``; a None/NaN entry leaves a year uncapped.
    objective : {"value", "cost"}
        ``value``: maximise the summed value. ``cost``: minimise the summed TCO subject to a
        summed value of at least ``min_value``.
    min_value : float, optional
        With ``objective="cost"``: the least total value.
    rules : Rules or mapping
        Supplier-diversity and exit rules.
    pin, ban : tuple of option ids
        Options that must / must not be chosen (scenarios, what-ifs).
    currency : str
    title : str
    value_offset : float
        A constant added to every portfolio's value: the baselines of optional modules that
        stay uncovered (the adapter sets it; an option covering such a module has that
        baseline subtracted from its ``value``). Default 0.

    Notes
    -----
    A Problem never changes: what-ifs are ``problem.replace(budget=...)``. DataFrames are
    copied on construction. Inconsistent input raises :class:`~decide.errors.InputError`
    listing every problem found.
    """

    options: pd.DataFrame
    modules: pd.DataFrame | None = None
    suppliers: pd.DataFrame | None = None
    cashflows: pd.DataFrame | None = None
    budget: float | None = None
    yearly_budget: tuple[float | None, ...] | None = None
    objective: str = "value"
    min_value: float | None = None
    rules: Rules = field(default_factory=Rules)
    pin: tuple = ()
    ban: tuple = ()
    currency: str = "EUR"
    title: str = ""
    value_offset: float = 0.0

    # ------------------------------------------------------------------ construction
    def __post_init__(self) -> None:
        problems: list[Located] = []
        setf = lambda name, value: object.__setattr__(self, name, value)  # noqa: E731

        options = _frame(self.options, "options", problems)
        modules = _frame(self.modules, "modules", problems)
        suppliers = _frame(self.suppliers, "suppliers", problems)
        try:
            rules = Rules.coerce(self.rules)
        except InputError as exc:
            problems.extend(exc.problems)
            rules = Rules()
        setf("rules", rules)
        if options is None:
            problems.append(_found("options_missing", "options"))
            raise self._refused(problems)

        options = self._normalise_options(options, problems)
        modules = self._normalise_modules(modules, problems)
        derived_suppliers = suppliers is None
        suppliers = self._normalise_suppliers(suppliers, options, problems)

        # references
        module_ids = set(modules.index)
        supplier_ids = set(suppliers.index)
        option_ids = set(options.index)
        module_list = _ids(sorted(map(str, module_ids)))
        for oid, covers, sup, requires, excludes in zip(
            options.index, options["covers"], options["supplier"], options["requires"],
            options["excludes"],
        ):
            for m in covers:
                if m not in module_ids:
                    problems.append(
                        _found("covers_unknown_module", f"options[{oid!r}].covers", module=repr(m), known=module_list)
                        if module_list else _found("covers_without_modules", f"options[{oid!r}].covers", module=repr(m)))
            if len(set(covers)) != len(covers):
                problems.append(_found("covers_module_twice", f"options[{oid!r}].covers"))
            if sup is not None and sup not in supplier_ids:
                problems.append(_found("supplier_unknown", f"options[{oid!r}].supplier", supplier=repr(sup)))
            for key, refs in (("requires", requires), ("excludes", excludes)):
                for ref in refs:
                    if ref not in option_ids:
                        problems.append(_found("option_unknown", f"options[{oid!r}].{key}", option=repr(ref)))
                    elif ref == oid:
                        problems.append(_found("option_refers_to_itself", f"options[{oid!r}].{key}"))
        if derived_suppliers and rules.min_sme_share is not None:
            problems.append(_found("sme_share_needs_suppliers", "rules.min_sme_share"))

        # pins and bans
        pin = tuple(dict.fromkeys(_as_tuple(self.pin)))
        ban = tuple(dict.fromkeys(_as_tuple(self.ban)))
        for what, ids in (("pin", pin), ("ban", ban)):
            for o in ids:
                if o not in option_ids:
                    problems.append(_found("option_unknown", what, option=repr(o)))
        both = sorted(map(str, set(pin) & set(ban)))
        if both:
            problems.append(_found("pinned_and_banned", "pin/ban", options=_ids(both)))

        # scalars
        budget = self._money_or_none(self.budget, "budget", problems)
        min_value = None
        if self.min_value is not None and not _is_missing(self.min_value):
            try:
                min_value = float(self.min_value)
                if not math.isfinite(min_value):
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(_found("min_value_not_number", "min_value", value=repr(self.min_value)))
                min_value = None
        if self.objective not in OBJECTIVES:
            problems.append(_found("objective_unknown", "objective", allowed=_ids(OBJECTIVES), value=repr(self.objective)))

        cashflows, yearly = self._normalise_yearly(options, problems)

        if problems:
            raise self._refused(problems)
        setf("options", options)
        setf("modules", modules)
        setf("suppliers", suppliers)
        setf("cashflows", cashflows)
        setf("yearly_budget", yearly)
        setf("budget", budget)
        setf("min_value", min_value)
        setf("pin", pin)
        setf("ban", ban)
        setf("currency", str(self.currency))
        setf("title", str(self.title or ""))
        setf("value_offset", float(self.value_offset or 0.0))

    def _refused(self, problems: list[Located]) -> InputError:
        """Every problem found, under one head line naming the problem and how many there are."""
        title = f" {self.title!r}" if self.title else ""
        n = len(problems)
        head = Message("portfolio.problems_found" if n != 1 else "portfolio.problem_found", title=title, n=n)
        return InputError.of(problems, head=head)

    @staticmethod
    def _money_or_none(v: Any, what: str, problems: list[Located]) -> float | None:
        if v is None or _is_missing(v):
            return None
        try:
            f = float(v)
        except (TypeError, ValueError):
            problems.append(_found("amount_invalid", what, value=repr(v)))
            return None
        if not math.isfinite(f) or f < 0:
            problems.append(_found("amount_invalid", what, value=repr(v)))
            return None
        return f

    @staticmethod
    def _normalise_options(df: pd.DataFrame, problems: list[Located]) -> pd.DataFrame:
        if len(df) == 0:
            problems.append(_found("options_empty", "options"))
        if df.index.has_duplicates:
            dup = sorted(map(str, df.index[df.index.duplicated()].unique()))
            problems.append(_found("duplicate_ids", "options", ids=_ids(dup)))
        if any(_is_missing(i) for i in df.index):
            problems.append(_found("option_without_id", "options"))
        unknown = sorted(set(df.columns) - set(_OPTION_COLUMNS))
        if unknown:
            problems.append(_found("options_unknown_columns", "options", columns=_ids(unknown),
                                   known=_ids(_OPTION_COLUMNS)))
        for col in ("value", "tco"):
            if col not in df.columns:
                problems.append(_found("options_column_missing", "options", column=repr(col)))
        out = pd.DataFrame(index=df.index)
        out["label"] = [
            str(i) if ("label" not in df.columns or _is_missing(v)) else str(v)
            for i, v in zip(df.index, df["label"] if "label" in df.columns else df.index)
        ]
        out["supplier"] = pd.Series(
            [None if _is_missing(v) else v for v in df.get("supplier", [None] * len(df))],
            index=df.index,
            dtype=object,
        )
        numeric = {
            "value": None,
            "tco": None,
            "integration": 0.0,
            "exit_cost": 0.0,
        }
        for col, default in numeric.items():
            if col in df.columns:
                raw = df[col]
                vals = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float, na_value=np.nan).copy()
                if default is not None:
                    vals[raw.isna().to_numpy()] = default
                bad = ~np.isfinite(vals)
                for oid, v in zip(df.index[bad], raw[bad]):
                    problems.append(_found("option_number_invalid", f"options[{oid!r}].{col}", value=repr(v)))
                vals[bad] = 0.0
            else:
                vals = np.full(len(df), 0.0 if default is None else default)
            if col != "value":
                for oid, v in zip(df.index[vals < 0], vals[vals < 0]):
                    problems.append(_found("option_amount_negative", f"options[{oid!r}].{col}", value=f"{v:g}"))
            out[col] = vals
        spend = (out["tco"] - out["integration"]).to_numpy()
        for oid, s in zip(df.index, spend):
            if s < -1e-9:
                problems.append(_found("integration_above_tco", f"options[{oid!r}].integration"))
        if "spend" in df.columns:
            given = pd.to_numeric(df["spend"], errors="coerce").to_numpy(dtype=float)
            for oid, g, s in zip(df.index, given, spend):
                if math.isnan(g):
                    continue
                if abs(g - s) > 1e-6 * max(1.0, abs(s)):
                    problems.append(_found("spend_mismatch", f"options[{oid!r}].spend", expected=f"{s:g}",
                                           value=f"{g:g}"))
        out["spend"] = np.maximum(spend, 0.0)
        for col in _TUPLE_COLUMNS:
            raw = df[col] if col in df.columns else [()] * len(df)
            out[col] = pd.Series([_as_tuple(v) for v in raw], index=df.index, dtype=object)
        out["tags"] = [tuple(str(t) for t in tags) for tags in out["tags"]]
        return out[list(_OPTION_COLUMNS)]

    @staticmethod
    def _normalise_modules(df: pd.DataFrame | None, problems: list[Located]) -> pd.DataFrame:
        if df is None or len(df) == 0:
            return pd.DataFrame(
                {
                    "label": pd.Series([], dtype=object),
                    "required": pd.Series([], dtype=bool),
                    "importance": pd.Series([], dtype=float),
                },
                index=pd.Index([], dtype=object, name="id"),
            )
        if df.index.has_duplicates:
            problems.append(_found("duplicate_ids", "modules", ids=_ids(sorted(map(str, df.index[df.index.duplicated()])))))
        out = pd.DataFrame(index=df.index)
        out["label"] = [
            str(i) if ("label" not in df.columns or _is_missing(v)) else str(v)
            for i, v in zip(df.index, df["label"] if "label" in df.columns else df.index)
        ]
        req = df["required"] if "required" in df.columns else pd.Series(True, index=df.index)
        vals = []
        for mid, v in zip(df.index, req):
            if _is_missing(v):
                v = True
            if not isinstance(v, (bool, np.bool_)):
                problems.append(_found("flag_not_boolean", f"modules[{mid!r}].required", value=repr(v)))
                v = True
            vals.append(bool(v))
        out["required"] = np.asarray(vals, dtype=bool)
        imp = df["importance"] if "importance" in df.columns else pd.Series(1.0, index=df.index)
        out["importance"] = pd.to_numeric(imp, errors="coerce").fillna(1.0).to_numpy(dtype=float)
        return out

    @staticmethod
    def _normalise_suppliers(
        df: pd.DataFrame | None, options: pd.DataFrame, problems: list[Located]
    ) -> pd.DataFrame:
        if df is None:
            ids = list(dict.fromkeys(s for s in options["supplier"] if s is not None))
            return pd.DataFrame(
                {"label": [str(i) for i in ids], "sme": np.zeros(len(ids), dtype=bool)},
                index=pd.Index(ids, dtype=object, name="id"),
            )
        if df.index.has_duplicates:
            problems.append(_found("duplicate_ids", "suppliers", ids=_ids(sorted(map(str, df.index[df.index.duplicated()])))))
        out = pd.DataFrame(index=df.index)
        out["label"] = [
            str(i) if ("label" not in df.columns or _is_missing(v)) else str(v)
            for i, v in zip(df.index, df["label"] if "label" in df.columns else df.index)
        ]
        sme = df["sme"] if "sme" in df.columns else pd.Series(False, index=df.index)
        vals = []
        for sid, v in zip(df.index, sme):
            if _is_missing(v):
                v = False
            if not isinstance(v, (bool, np.bool_)):
                problems.append(_found("flag_not_boolean", f"suppliers[{sid!r}].sme", value=repr(v)))
                v = False
            vals.append(bool(v))
        out["sme"] = np.asarray(vals, dtype=bool)
        return out

    def _normalise_yearly(
        self, options: pd.DataFrame, problems: list[Located]
    ) -> tuple[pd.DataFrame | None, tuple[float | None, ...] | None]:
        cf = self.cashflows
        if cf is not None:
            if not isinstance(cf, pd.DataFrame):
                try:
                    cf = pd.DataFrame(cf)
                except (TypeError, ValueError):
                    problems.append(_found("cashflows_not_table", "cashflows", found=type(cf).__name__))
                    cf = None
        if cf is not None:
            have = set(cf.index)
            missing = [o for o in options.index if o not in have]
            if missing:
                problems.append(_found("cashflows_rows_missing", "cashflows", options=_ids(sorted(map(str, missing))[:10])))
                cf = None
            else:
                cf = cf.loc[list(options.index)].apply(pd.to_numeric, errors="coerce")
                if cf.isna().to_numpy().any():
                    problems.append(_found("cashflows_not_finite", "cashflows"))
                cf = cf.astype(float).copy()
                cf.index = options.index
        yearly = self.yearly_budget
        if yearly is None:
            return cf, None
        try:
            caps = tuple(None if _is_missing(v) else float(v) for v in yearly)
        except (TypeError, ValueError):
            problems.append(_found("yearly_budget_not_sequence", "yearly_budget", found=type(yearly).__name__))
            return cf, None
        if any(c is not None and (not math.isfinite(c) or c < 0) for c in caps):
            problems.append(_found("yearly_budget_negative", "yearly_budget"))
        if cf is None:
            problems.append(_found("yearly_budget_needs_cashflows", "yearly_budget"))
        elif len(caps) != cf.shape[1]:
            problems.append(_found("yearly_budget_years_mismatch", "yearly_budget", caps=len(caps),
                                   years=cf.shape[1]))
        return cf, caps

    # ------------------------------------------------------------------ what-ifs
    def replace(self, **changes: Any) -> Problem:
        """Return a new Problem with some fields changed (validated again); never mutates."""
        if "rules" in changes and isinstance(changes["rules"], Mapping):
            changes["rules"] = self.rules.replace(**changes["rules"])
        return dataclasses.replace(self, **changes)

    # ------------------------------------------------------------------ derived arrays
    @cached_property
    def arrays(self) -> Arrays:
        """Positional numpy arrays of the problem (computed once; used by the formulation)."""
        return Arrays.from_problem(self)

    @property
    def has_modules(self) -> bool:
        """True when the options cover modules (else: an independent-item knapsack)."""
        return len(self.modules) > 0

    def __repr__(self) -> str:
        return (
            f"Problem({self.title!r}, options={len(self.options)}, modules={len(self.modules)}, "
            f"suppliers={len(self.suppliers)}, budget={self.budget}, objective={self.objective!r}, "
            f"rules={self.rules.active()})"
        )


@dataclass(frozen=True, eq=False)
class Arrays:
    """Positional arrays derived from a :class:`Problem` (option i = row i of ``options``)."""

    ids: tuple
    value: np.ndarray
    tco: np.ndarray
    spend: np.ndarray
    integration: np.ndarray
    exit_cost: np.ndarray
    supplier: np.ndarray  # supplier position, -1 for none
    supplier_ids: tuple
    sme: np.ndarray  # per supplier
    module_ids: tuple
    required: np.ndarray  # per module
    cover_rows: tuple  # per module: np.ndarray of option positions
    option_modules: tuple  # per option: np.ndarray of module positions
    lots: np.ndarray  # per option: modules covered (1 per option without modules)
    requires: np.ndarray  # (k, 2) positions (a requires b)
    excludes: np.ndarray  # (k, 2) positions, a < b, unique
    pin: np.ndarray
    ban: np.ndarray
    cashflows: np.ndarray | None  # n x (T+1)
    tags: dict

    @property
    def n(self) -> int:
        return len(self.ids)

    @classmethod
    def from_problem(cls, p: Problem) -> Arrays:
        opts = p.options
        ids = tuple(opts.index)
        pos = {o: i for i, o in enumerate(ids)}
        sup_ids = tuple(p.suppliers.index)
        spos = {s: i for i, s in enumerate(sup_ids)}
        supplier = np.array([-1 if s is None else spos[s] for s in opts["supplier"]], dtype=np.int64)
        mod_ids = tuple(p.modules.index)
        mpos = {m: i for i, m in enumerate(mod_ids)}
        option_modules = tuple(
            np.array([mpos[m] for m in covers], dtype=np.int64) for covers in opts["covers"]
        )
        members: list[list[int]] = [[] for _ in mod_ids]
        for i, ms in enumerate(option_modules):
            for m in ms:
                members[m].append(i)
        cover_rows = tuple(np.array(m, dtype=np.int64) for m in members)
        if mod_ids:
            lots = np.array([len(ms) for ms in option_modules], dtype=float)
        else:
            lots = np.ones(len(ids), dtype=float)
        req = [(pos[o], pos[r]) for o, rs in zip(ids, opts["requires"]) for r in rs]
        exc = sorted(
            {tuple(sorted((pos[o], pos[e]))) for o, es in zip(ids, opts["excludes"]) for e in es}
        )
        tags: dict[str, np.ndarray] = {}
        for i, ts in enumerate(opts["tags"]):
            for t in ts:
                tags.setdefault(t, np.zeros(len(ids), dtype=bool))[i] = True
        return cls(
            ids=ids,
            value=opts["value"].to_numpy(dtype=float),
            tco=opts["tco"].to_numpy(dtype=float),
            spend=opts["spend"].to_numpy(dtype=float),
            integration=opts["integration"].to_numpy(dtype=float),
            exit_cost=opts["exit_cost"].to_numpy(dtype=float),
            supplier=supplier,
            supplier_ids=sup_ids,
            sme=p.suppliers["sme"].to_numpy(dtype=bool),
            module_ids=mod_ids,
            required=p.modules["required"].to_numpy(dtype=bool),
            cover_rows=cover_rows,
            option_modules=option_modules,
            lots=lots,
            requires=np.array(req, dtype=np.int64).reshape(-1, 2),
            excludes=np.array(exc, dtype=np.int64).reshape(-1, 2),
            pin=np.array([pos[o] for o in p.pin], dtype=np.int64),
            ban=np.array([pos[o] for o in p.ban], dtype=np.int64),
            cashflows=None if p.cashflows is None else p.cashflows.to_numpy(dtype=float),
            tags=tags,
        )

    def positions(self, ids) -> np.ndarray:
        """Positions of option ids."""
        pos = {o: i for i, o in enumerate(self.ids)}
        return np.array([pos[o] for o in ids], dtype=np.int64)
