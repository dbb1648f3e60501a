"""Cross-reference checks on a model file's data, all in one pass.

The schema (decide.model) checks each value's type; these checks see the whole file:
ids that must exist, ids that must be unique, scores that must be present, numbers
that must lie in a range, rules that contradict each other. They run on the parsed
YAML data (plain dicts and lists) so that they work even where the schema found
problems, and every finding is reported together with the schema's.

Each finding is ``(code, loc, message)``; the code is stable, tests match it. The message is a
:class:`decide.errors.Message` from the ``checks`` (or ``loader``, ``errors``) catalogue: English
as a string, shown in the user's language by the faces from its key and params. Where an analysis
has its own check (AHP judgements, the portfolio's rules, a ranking method's parameters), the
finding is that check's own problem, relocated to the place in the file.
"""
from __future__ import annotations

import difflib
import math
import sys
import unicodedata
from fractions import Fraction
from typing import Any, Iterable, Iterator

from decide.places import format_loc, parse_loc

Finding = tuple[str, tuple, str]

KNOWN_RANKING_METHODS = ("topsis", "vikor", "promethee_ii", "wsm", "wpm", "ahp", "copras", "spotis")
KNOWN_RI_TABLES = ("saaty1980", "saaty_vargas2012", "donegan_dodd", "tummala_ling", "alonso_lamata")


def _ranking_methods() -> tuple[str, ...]:
    try:
        from decide.ranking import methods

        return tuple(methods())
    except Exception:  # the ranking package is optional at load time
        return KNOWN_RANKING_METHODS


def _ri_tables() -> tuple[str, ...]:
    try:
        from decide.ahp import RI_SOURCES  # every named table, formulas (alonso_lamata) included

        return tuple(RI_SOURCES)
    except Exception:
        return KNOWN_RI_TABLES


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _num(value: Any) -> bool:
    """A finite number (booleans are not numbers here; NaN and infinity are reported apart).

    An integer beyond float range is not a number here either (the loader reports it).
    """
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return isinstance(value, float) and math.isfinite(value)


def _non_finite(data: Any, loc: tuple = ()) -> Iterator[Finding]:
    if isinstance(data, float) and not math.isfinite(data):
        yield ("not-finite", loc, _m("not_finite", data=data))
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _non_finite(v, loc + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _non_finite(v, loc + (i,))


def _hashable(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _hint(name: Any, known: Iterable[str]) -> str:
    """`` (did you mean 'x'?)``, `` (known: a, b)`` or nothing, as a catalogue Message."""
    known = list(dict.fromkeys(str(k) for k in known))
    near = difflib.get_close_matches(str(name), known, n=1)
    if near:
        return _m("hint_near", near=near[0])
    if known and len(known) <= 12:
        return _m("hint_known", known=", ".join(known))
    return _m("hint_none")


def _m(key: str, /, **params: Any) -> str:
    """A finding's sentence from the ``checks`` catalogue (English as a string; faces show it
    in the user's language from ``key`` and ``params``)."""
    from decide.errors import Message

    return Message(f"checks.{key}", **params)


def parse_ratio(value: Any) -> float | None:
    """A judgement value: a positive number or a text like ``"1/3"``; None if invalid."""
    if _num(value):
        return float(value) if value > 0 else None
    if isinstance(value, str):
        try:
            f = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            return None
        return float(f) if f > 0 else None
    return None


def _criteria(data: dict) -> Iterator[tuple[tuple, dict, str | None, bool]]:
    """(loc, node, parent id, is_leaf) for every criterion mapping in the tree."""

    def walk(nodes: Any, loc: tuple, parent: str | None):
        for i, c in enumerate(_list(nodes)):
            if not isinstance(c, dict):
                continue
            kids = c.get("children")
            is_leaf = not kids
            yield loc + (i,), c, parent, is_leaf
            if kids:
                yield from walk(kids, loc + (i, "children"), c.get("id"))

    yield from walk(data.get("criteria"), ("criteria",), None)


def _duplicates(items: list, loc: tuple, what: str) -> Iterator[Finding]:
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        key = item["id"]
        if key in seen:
            yield ("duplicate-id", loc[i] if isinstance(loc, list) else loc + (i, "id"),
                   _m("duplicate_id", what=_t(None, f"what_{what}"), id=key, first_index=seen[key]))
        else:
            seen[key] = i


def cross_check(data: Any) -> list[Finding]:
    """Every cross-reference problem in the model data."""
    if not isinstance(data, dict):
        return []
    out: list[Finding] = list(_non_finite(data))
    out += _check_horizon(data)
    crit = list(_criteria(data))
    out += _check_criteria(data, crit)
    leaves = {c["id"]: c for _, c, _, leaf in crit if leaf and isinstance(c.get("id"), str)}
    all_ids = [c.get("id") for _, c, _, _ in crit]
    out += _check_weights(data, crit, leaves)
    out += _check_alternatives(data, leaves)
    out += _check_requirements(data, leaves)
    out += _check_ranking(data)
    out += _check_allocation(data)
    out += _check_suppliers(data)
    out += _check_strategy(data, all_ids)
    out += _check_award(data)
    out += _check_workshop(data, leaves)
    from decide.value import check_data as _check_value_model

    out += _check_value_model(data)
    out += _check_limits(data)
    out += _check_ids(data, crit)
    out += _check_judgment_groups(data, crit)
    return out


def _check_award(data: dict) -> list[Finding]:
    """The award section: weights, bids, scales, prices (see decide.award.validation)."""
    from decide.award.validation import check_award

    return check_award(data)


# --------------------------------------------------------------------------- sections
def _check_horizon(data: dict) -> list[Finding]:
    out: list[Finding] = []
    h = _dict(data.get("horizon"))
    years = h.get("years")
    if _num(years) and years < 1:
        out.append(("horizon-years", ("horizon", "years"), _m("horizon_years", years=years)))
    rate = h.get("discount_rate")
    if _num(rate) and not (-0.05 < rate < 0.5):
        out.append(("discount-rate", ("horizon", "discount_rate"),
                    _m("discount_rate", rate=rate)))
    cy = h.get("contract_years")
    if _num(cy) and cy < 1:
        out.append(("horizon-years", ("horizon", "contract_years"), _m("horizon_contract_years", years=cy)))
    return out


def _check_criteria(data: dict, crit: list) -> list[Finding]:
    out: list[Finding] = []
    seen: dict[str, tuple] = {}
    for loc, c, _, leaf in crit:
        cid = c.get("id")
        if isinstance(cid, str):
            if cid in seen:
                out.append(("duplicate-id", loc + ("id",), _m("duplicate_id_criterion", cid=cid)))
            seen.setdefault(cid, loc)
        if leaf:
            if c.get("direction") is None:
                hint = _m("direction_cost") if c.get("source") == "tco" else _m("direction_either")
                out.append(("direction-missing", loc + ("direction",), _m("direction_missing", cid=cid, hint=hint)))
            if c.get("source") == "tco" and c.get("direction") == "max":
                out.append(("tco-direction", loc + ("direction",), _m("tco_direction")))
            if c.get("source") == "tco" and c.get("scale") is not None:
                out.append(("tco-scale", loc + ("scale",), _m("tco_scale")))
        else:
            for key in ("direction", "source", "scale"):
                if c.get(key) is not None:
                    out.append(("parent-scored", loc + (key,),
                                _m("parent_scored", cid=cid, field=key)))
        scale = c.get("scale")
        if isinstance(scale, dict):
            for level, v in scale.items():
                if not _num(v):
                    out.append(("wrong-type", loc + ("scale", level), _m("wrong_type", level=level, value=v)))
    if not crit and not _list(data.get("alternatives")):
        return out
    if not crit:
        alts = [a for a in _list(data.get("alternatives")) if isinstance(a, dict)]
        missing = [i for i, a in enumerate(alts) if a.get("value") is None]
        if missing:
            out.append(("no-criteria", ("criteria",),
                        _m("no_criteria", count=len(missing), first_index=missing[0])))
    return out


def _check_weights(data: dict, crit: list, leaves: dict) -> list[Finding]:
    out: list[Finding] = []
    w = _dict(data.get("weights"))
    method = w.get("method", "equal")
    ids = [c.get("id") for _, c, _, _ in crit if isinstance(c.get("id"), str)]
    parent_of = {c.get("id"): p for _, c, p, _ in crit if isinstance(c.get("id"), str)}
    if not crit:
        if "weights" in data and method != "equal":
            out.append(("weights-without-criteria", ("weights", "method"), _m("weights_without_criteria")))
        return out
    if method == "ahp":
        ahp = w.get("ahp")
        if not isinstance(ahp, dict):
            out.append(("ahp-missing", ("weights",), _m("ahp_missing")))
            return out
        ri = ahp.get("ri", "saaty1980")
        tables = _ri_tables()
        if isinstance(ri, str) and ri not in tables:
            out.append(("unknown-ri-table", ("weights", "ahp", "ri"), _m("unknown_ri_table", table=ri, hint=_hint(ri, tables))))
        mcr = ahp.get("max_cr")
        if _num(mcr) and not (0 < mcr < 1):
            out.append(("out-of-range", ("weights", "ahp", "max_cr"), _m("out_of_range_max_cr", max_cr=mcr)))
        parts = _list(ahp.get("participants"))
        if not parts:
            out.append(("no-participants", ("weights", "ahp", "participants"),
                        _m("no_participants_ahp")))
        names: dict[str, int] = {}
        for i, p in enumerate(parts):
            if not isinstance(p, dict):
                continue
            loc = ("weights", "ahp", "participants", i)
            name = p.get("name")
            if isinstance(name, str):
                if name in names:
                    out.append(("duplicate-id", loc + ("name",), _m("duplicate_id_ahp_participant", name=name)))
                names.setdefault(name, i)
            pw = p.get("weight", 1)
            if _num(pw) and pw <= 0:
                out.append(("out-of-range", loc + ("weight",), _m("out_of_range_participant_weight", weight=pw)))
            by_group: dict[Any, list[tuple[int, list]]] = {}
            for j, jd in enumerate(_list(p.get("judgments"))):
                jl = loc + ("judgments", j)
                if not isinstance(jd, list) or len(jd) != 3:
                    out.append(("judgment-shape", jl, _message("judgment_shape", got=repr(jd))))
                    continue
                a, b, v = jd
                bad = False
                for x in (a, b):
                    if not isinstance(x, str) or x not in parent_of:
                        out.append(("unknown-criterion", jl, _m("unknown_criterion_judgment", criterion=x, hint=_hint(x, ids))))
                        bad = True
                if bad:
                    continue
                if a != b and parent_of[a] != parent_of[b]:
                    out.append(("judgment-not-siblings", jl,
                                _m("judgment_not_siblings", a=a, b=b, parent_a=parent_of[a] or _t(None, "top_level"), parent_b=parent_of[b] or _t(None, "top_level"))))
                    continue
                by_group.setdefault(parent_of[a], []).append((j, jd))
            out += _ahp_judgment_checks(by_group, parent_of, loc + ("judgments",))
    elif method == "direct":
        d = w.get("direct")
        if not isinstance(d, dict) or not d:
            out.append(("direct-missing", ("weights",), _m("direct_missing")))
        else:
            for k, v in d.items():
                if k not in parent_of:
                    out.append(("unknown-criterion", ("weights", "direct", k), _m("unknown_criterion_direct_weight", criterion=k, hint=_hint(k, ids))))
                elif _num(v) and v < 0:
                    out.append(("negative-weight", ("weights", "direct", k), _m("negative_weight", weight=v)))
            nums = [v for v in d.values() if _num(v)]
            if nums and all(v == 0 for v in nums):
                out.append(("zero-weights", ("weights", "direct"), _m("zero_weights")))
            keys = set(d)
            if keys <= set(parent_of) and keys != set(leaves):
                # local weights: every sibling group must be complete
                groups: dict[Any, list[str]] = {}
                for cid, par in parent_of.items():
                    groups.setdefault(par, []).append(cid)
                for par, kids in groups.items():
                    given = [k for k in kids if k in keys]
                    if given and len(given) != len(kids):
                        missing = [k for k in kids if k not in keys]
                        out.append(("direct-incomplete", ("weights", "direct"),
                                    _m("direct_incomplete_siblings", parent=par or _t(None, "top_level"), missing=', '.join(missing))))
                tops = [k for k in groups.get(None, []) if k not in keys]
                if tops:
                    out.append(("direct-incomplete", ("weights", "direct"),
                                _m("direct_incomplete_top_level", missing=', '.join(tops))))
    elif method == "rank":
        order = w.get("rank")
        if not isinstance(order, list) or not order:
            out.append(("rank-missing", ("weights",), _m("rank_missing")))
        else:
            flat: list[tuple[int, Any]] = []
            for i, item in enumerate(order):
                for x in item if isinstance(item, list) else [item]:
                    flat.append((i, x))
            seen: set = set()
            for i, x in flat:
                if not _hashable(x) or x not in leaves:
                    out.append(("unknown-criterion", ("weights", "rank", i), _m("unknown_criterion_rank", criterion=x, hint=_hint(x, leaves))))
                elif x in seen:
                    out.append(("duplicate-id", ("weights", "rank", i), _m("duplicate_id_ranked_twice", criterion=x)))
                seen.add(x)
            missing = [c for c in leaves if c not in seen]
            if missing:
                out.append(("rank-incomplete", ("weights", "rank"), _m("rank_incomplete", missing=', '.join(missing))))
    return out


#: decide.ahp's judgement problem codes -> the model file's codes
_JUDGMENT_CODES = {"bad_entry": "judgment-shape", "unknown_id": "unknown-criterion", "self_comparison": "judgment-self",
                   "bad_value": "judgment-value", "contradiction": "judgment-contradiction"}


def _ahp_judgment_checks(by_group: dict, parent_of: dict, loc: tuple) -> list[Finding]:
    """One participant's judgements, per sibling group, through AHP's own check
    (:func:`decide.ahp.matrix_from_judgments`): one rule for values, self-comparisons and
    contradictions, located at the judgement in the file."""
    from decide import ahp

    out: list[Finding] = []
    for parent, items in by_group.items():
        kids = [c for c, par in parent_of.items() if par == parent]
        try:
            ahp.matrix_from_judgments(kids, [jd for _, jd in items])
        except ahp.JudgmentsError as exc:
            for i, code, msg in exc.problems:
                where = loc + (items[i][0],) if i is not None else loc
                out.append((_JUDGMENT_CODES.get(code, f"judgment-{code}"), where, msg))
    return out


def _message(key: str, **params: Any) -> str:
    from decide.errors import Message

    return Message(f"errors.{key}", **params)


def _check_score(value: Any, scale: Any, loc: tuple, cid: str) -> list[Finding]:
    out: list[Finding] = []
    levels = scale if isinstance(scale, dict) else {}

    def one(v: Any, where: tuple) -> float | None:
        if _num(v):
            return float(v)
        if isinstance(v, str):
            if v in levels and _num(levels[v]):
                return float(levels[v])
            if levels:
                out.append(("unknown-scale-level", where, _m("unknown_scale_level", level=v, cid=cid, hint=_hint(v, levels))))
            else:
                out.append(("score-invalid", where, _m("score_invalid_not_number", cid=cid, value=v)))
            return None
        out.append(("score-invalid", where, _m("score_invalid_form", value=v)))
        return None

    if isinstance(value, list):
        if len(value) != 2:
            out.append(("score-invalid", loc, _m("score_invalid_range_length", count=len(value))))
            return out
        lo, hi = one(value[0], loc), one(value[1], loc)
        if lo is not None and hi is not None and lo > hi:
            out.append(("range-order", loc, _m("range_order_score_range", lo=lo, hi=hi)))
    elif isinstance(value, dict):
        keys = set(value)
        if keys != {"low", "mode", "high"}:
            out.append(("score-invalid", loc, _m("score_invalid_triangular_keys", keys=', '.join(map(str, value)))))
            return out
        lo, mo, hi = (one(value[k], loc + (k,)) for k in ("low", "mode", "high"))
        if None not in (lo, mo, hi) and not (lo <= mo <= hi):
            out.append(("range-order", loc, _m("range_order_triangular", lo=lo, mode=mo, hi=hi)))
    else:
        one(value, loc)
    return out


def _check_alternatives(data: dict, leaves: dict) -> list[Finding]:
    out: list[Finding] = []
    alts = _list(data.get("alternatives"))
    if "alternatives" in data and not alts and isinstance(data.get("alternatives"), list):
        out.append(("no-alternatives", ("alternatives",), _m("no_alternatives")))
    ids = [a.get("id") for a in alts if isinstance(a, dict)]
    out += list(_duplicates(alts, ("alternatives",), "option"))
    years = _dict(data.get("horizon")).get("years", 5)
    tco_leaves = [c for c, node in leaves.items() if node.get("source") == "tco"]
    for i, a in enumerate(alts):
        if not isinstance(a, dict):
            continue
        loc = ("alternatives", i)
        aid = a.get("id", f"#{i}")
        scores = a.get("scores")
        scores = scores if isinstance(scores, dict) else {}
        for cid, v in scores.items():
            if cid not in leaves:
                out.append(("unknown-criterion", loc + ("scores", cid), _m("unknown_criterion_score", cid=cid, hint=_hint(cid, leaves))))
            elif leaves[cid].get("source") == "tco":
                out.append(("score-for-tco", loc + ("scores", cid),
                            _m("score_for_tco", cid=cid)))
            else:
                out += _check_score(v, leaves[cid].get("scale"), loc + ("scores", cid), cid)
        for cid, node in leaves.items():
            if node.get("source") != "tco" and cid not in scores:
                out.append(("score-missing", loc + ("scores",), _m("score_missing", aid=aid, cid=cid)))
        costs = a.get("costs")
        if tco_leaves and costs is None:
            out.append(("costs-missing", loc, _m("costs_missing", aid=aid, criterion=tco_leaves[0])))
        if isinstance(costs, dict):
            for k, v in costs.items():
                vals = v if isinstance(v, list) else [v]
                if any(_num(x) and x < 0 for x in vals):
                    out.append(("negative-cost", loc + ("costs", k), _m("negative_cost", cost=v)))
            yearly = costs.get("yearly")
            if isinstance(yearly, list) and _num(years) and years >= 1 and len(yearly) != years:
                out.append(("yearly-length", loc + ("costs", "yearly"),
                            _m("yearly_length_amounts", years=years, count=len(yearly))))
        v = a.get("value")
        if _num(v) and v < 0:
            out.append(("out-of-range", loc + ("value",), _m("out_of_range_option_value", value=v)))
        for key in ("requires", "excludes"):
            for j, other in enumerate(_list(a.get(key))):
                if other not in ids:
                    out.append(("unknown-option", loc + (key, j), _m("unknown_option_dependency", option=other, hint=_hint(other, ids))))
                elif other == aid:
                    out.append(("contradiction", loc + (key, j), _m("contradiction_self_reference", aid=aid, relation=key)))
        both = ({x for x in _list(a.get("requires")) if _hashable(x)}
                & {x for x in _list(a.get("excludes")) if _hashable(x)})
        for other in sorted(map(str, both)):
            out.append(("contradiction", loc, _m("contradiction_requires_excludes", aid=aid, option=other)))
    return out


def _check_requirements(data: dict, leaves: dict) -> list[Finding]:
    out: list[Finding] = []
    for i, r in enumerate(_list(data.get("requirements"))):
        if not isinstance(r, dict):
            continue
        loc = ("requirements", i)
        kinds = [k for k in ("criterion", "tag", "not_tag") if r.get(k) is not None]
        if len(kinds) != 1:
            out.append(("requirement-shape", loc, _m("requirement_shape_kind")))
            continue
        if kinds[0] == "criterion":
            cid = r["criterion"]
            if not _hashable(cid) or cid not in leaves:
                out.append(("unknown-criterion", loc + ("criterion",), _m("unknown_criterion_requirement", cid=cid, hint=_hint(cid, leaves))))
            if r.get("min") is None and r.get("max") is None:
                out.append(("requirement-shape", loc, _m("requirement_shape_no_bound", cid=cid)))
            lo, hi = r.get("min"), r.get("max")
            if _num(lo) and _num(hi) and lo > hi:
                out.append(("range-order", loc, _m("range_order_requirement", lo=lo, hi=hi)))
        elif r.get("min") is not None or r.get("max") is not None:
            out.append(("requirement-shape", loc, _m("requirement_shape_bound_on_tag")))
    return out


def _check_ranking(data: dict) -> list[Finding]:
    out: list[Finding] = []
    r = _dict(data.get("ranking"))
    known = _ranking_methods()
    m = r.get("method")
    if isinstance(m, str) and m not in known:
        out.append(("unknown-method", ("ranking", "method"), _m("unknown_method", method=m, hint=_hint(m, known))))
    for i, m in enumerate(_list(r.get("compare"))):
        if isinstance(m, str) and m not in known:
            out.append(("unknown-method", ("ranking", "compare", i), _m("unknown_method", method=m, hint=_hint(m, known))))
    return out


def _check_allocation(data: dict) -> list[Finding]:
    out: list[Finding] = []
    if "allocation" not in data or not isinstance(data.get("allocation"), dict):
        return out
    al = data["allocation"]
    alts = [a for a in _list(data.get("alternatives")) if isinstance(a, dict)]
    ids = [a.get("id") for a in alts]
    modules = _list(al.get("modules"))
    suppliers = _list(al.get("suppliers"))
    out += list(_duplicates(modules, ("allocation", "modules"), "module"))
    out += list(_duplicates(suppliers, ("allocation", "suppliers"), "supplier"))
    mod_ids = [m.get("id") for m in modules if isinstance(m, dict)]
    sup_ids = [s.get("id") for s in suppliers if isinstance(s, dict)]
    b = al.get("budget")
    if _num(b) and b <= 0:
        out.append(("out-of-range", ("allocation", "budget"), _m("out_of_range_budget", budget=b)))
    yb = al.get("yearly_budget")
    years = _dict(data.get("horizon")).get("years", 5)
    if isinstance(yb, list) and _num(years) and years >= 1 and len(yb) != years + 1:
        out.append(("yearly-length", ("allocation", "yearly_budget"),
                    _m("yearly_length_budget_caps", expected=years + 1, years=years, count=len(yb))))
    for i, m in enumerate(modules):
        if isinstance(m, dict) and _num(m.get("importance")) and m["importance"] < 0:
            out.append(("out-of-range", ("allocation", "modules", i, "importance"), _m("out_of_range_module_importance", importance=m['importance'])))
    for i, a in enumerate(alts):
        loc = ("alternatives", i)
        first_at: dict[Any, int] = {}
        for j, mod in enumerate(_list(a.get("covers"))):
            if _hashable(mod) and mod in first_at:
                out.append(("covers-twice", loc + ("covers", j), _t(data, "covers_twice", module=mod, first=first_at[mod])))
            elif _hashable(mod):
                first_at[mod] = j
        if modules:
            for j, mod in enumerate(_list(a.get("covers"))):
                if mod not in mod_ids:
                    out.append(("unknown-module", loc + ("covers", j), _m("unknown_module", module=mod, hint=_hint(mod, mod_ids))))
        sup = a.get("supplier")
        if suppliers and sup is not None and sup not in sup_ids:
            out.append(("unknown-supplier", loc + ("supplier",), _m("unknown_supplier", supplier=sup, hint=_hint(sup, sup_ids))))
    for i, m in enumerate(modules):
        if not isinstance(m, dict):
            continue
        if m.get("required", True) and not any(m.get("id") in _list(a.get("covers")) for a in alts):
            out.append(("uncovered-module", ("allocation", "modules", i),
                        _m("uncovered_module", module=m.get('id'))))
    rules = _dict(al.get("rules"))
    out += _check_rules(data, rules)
    if rules.get("min_sme_share") is not None and not suppliers and not _list(data.get("suppliers")):
        out.append(("suppliers-missing", ("allocation", "rules", "min_sme_share"),
                    _m("suppliers_missing")))
    for key in ("pin", "ban"):
        for j, o in enumerate(_list(al.get(key))):
            if o not in ids:
                out.append(("unknown-option", ("allocation", key, j), _m("unknown_option_allocation", option=o, hint=_hint(o, ids))))
    both = set(map(str, _list(al.get("pin")))) & set(map(str, _list(al.get("ban"))))
    for o in sorted(both):
        out.append(("contradiction", ("allocation",), _m("contradiction_pinned_banned", option=o)))
    if al.get("objective") == "cost" and al.get("min_value") is None:
        out.append(("min-value-missing", ("allocation", "objective"), _m("min_value_missing")))
    return out


def _check_strategy(data: dict, crit_ids: list) -> list[Finding]:
    out: list[Finding] = []
    s = _dict(data.get("strategy"))
    mvi = _dict(s.get("mvi"))
    amb = mvi.get("ambition")
    if _num(amb) and amb not in (1, 2, 3):
        out.append(("out-of-range", ("strategy", "mvi", "ambition"), _m("out_of_range_mvi_ambition", ambition=amb)))
    return out


def _check_workshop(data: dict, leaves: dict) -> list[Finding]:
    out: list[Finding] = []
    ws = _dict(data.get("workshop"))
    people = [p for p in _list(ws.get("participants")) if _hashable(p)]
    for i, p in enumerate(_list(ws.get("participants"))):
        if _hashable(p) and people.index(p) != i:
            out.append(("duplicate-id", ("workshop", "participants", i), _m("duplicate_id_workshop_participant", name=p)))
    sc = ws.get("scoring")
    if not isinstance(sc, dict):
        return out
    ev = _list(sc.get("evaluators"))
    for i, p in enumerate(ev):
        if _hashable(p) and ev.index(p) != i:
            out.append(("duplicate-id", ("workshop", "scoring", "evaluators", i), _m("duplicate_id_evaluator", name=p)))
    if not ev and not people:
        out.append(("no-participants", ("workshop", "scoring"), _m("no_participants_scoring")))
    for i, c in enumerate(_list(sc.get("criteria"))):
        if not _hashable(c) or c not in leaves:
            out.append(("unknown-criterion", ("workshop", "scoring", "criteria", i), _m("unknown_criterion_scoring", criterion=c, hint=_hint(c, leaves))))
        elif leaves[c].get("source") == "tco":
            out.append(("score-tco", ("workshop", "scoring", "criteria", i), _m("score_tco", criterion=c)))
    rng = sc.get("range")
    if isinstance(rng, list):
        if len(rng) != 2 or not all(_num(v) for v in rng):
            out.append(("score-invalid", ("workshop", "scoring", "range"), _m("score_invalid_scoring_range", range=rng)))
        elif rng[0] >= rng[1]:
            out.append(("range-order", ("workshop", "scoring", "range"), _m("range_order_scoring_range", lo=rng[0], hi=rng[1])))
    step = sc.get("step", 1)
    if _num(step) and step <= 0:
        out.append(("out-of-range", ("workshop", "scoring", "step"), _m("out_of_range_scoring_step", step=step)))
    return out
# --------------------------------------------------------------------------- limits, ids, rules
#: Upper bounds where a larger value is a mistake, not a wish (the message names the limit).
MAX_YEARS = 100
MAX_SAMPLES = 1_000_000
MAX_SEED = 2**32 - 1


def _t(data: Any, key: str, **fields: Any) -> str:
    """The catalogue sentence ``loader.<key>``: English as a string, shown to the user in the
    language the face asks for (``data`` is kept for the callers' symmetry)."""
    from decide.errors import Message

    return Message(f"loader.{key}", **fields)


def grouped(n: int) -> dict:
    """A whole number with each language's thousands grouping (``2.000.000`` / ``2,000,000``)."""
    return {"nl": f"{n:,}".replace(",", "."), "en": f"{n:,}"}


def _int_like(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_limits(data: dict) -> list[Finding]:
    out: list[Finding] = []
    h = _dict(data.get("horizon"))
    for key in ("years", "contract_years"):
        v = h.get(key)
        if _num(v) and v > MAX_YEARS:
            out.append(("above-limit", ("horizon", key), _t(data, "above_limit", limit=MAX_YEARS, value=v,
                                                              why=_t(data, "why_years", limit=MAX_YEARS))))
    s = _dict(data.get("sensitivity"))
    v = s.get("samples")
    if _int_like(v) and _num(v):
        if v > MAX_SAMPLES:
            out.append(("above-limit", ("sensitivity", "samples"),
                        _t(data, "above_limit", limit=grouped(MAX_SAMPLES),
                           value=v,
                           why=_t(data, "why_samples"))))
        elif v < 0:
            out.append(("out-of-range", ("sensitivity", "samples"), _t(data, "negative_samples", value=v)))
    v = s.get("seed")
    if _int_like(v) and _num(v):
        if v > MAX_SEED:
            out.append(("above-limit", ("sensitivity", "seed"),
                        _t(data, "above_limit", limit=MAX_SEED, value=v, why=_t(data, "why_seed", limit=MAX_SEED))))
        elif v < 0:
            out.append(("out-of-range", ("sensitivity", "seed"), _t(data, "negative_seed", value=v)))
    k = s.get("concentration")
    if _num(k) and k <= 0:
        out.append(("out-of-range", ("sensitivity", "concentration"), _t(data, "concentration", value=k)))
    return out


def id_key(value: str) -> str:
    """What an id looks like to a reader: NFKC-normalised and case-folded (``Ａ`` ~ ``a``)."""
    return unicodedata.normalize("NFKC", value).casefold()


def _check_id_list(data: dict, items: list[tuple[tuple, Any]], what: str) -> list[Finding]:
    """Printable, non-empty, no look-alikes among ``items`` (loc of the id, the id)."""
    out: list[Finding] = []
    seen: dict[str, str] = {}
    name = _t(data, f"what_{what}")
    for loc, value in items:
        if not isinstance(value, str):
            continue
        if not value.strip():
            out.append(("id-empty", loc, _t(data, "id_empty")))
            continue
        bad = next((ch for ch in value if not ch.isprintable()), None)
        if bad is not None:

            out.append(("id-unprintable", loc, _t(data, "id_unprintable", id=ascii(value), char=char_name(bad))))
            continue
        if value != value.strip():
            out.append(("id-spaces", loc, _t(data, "id_spaces", id=repr(value))))
        key = id_key(value)
        if key in seen and seen[key] != value:
            out.append(("id-lookalike", loc, _t(data, "id_lookalike", what=name, id=ascii(value), other=ascii(seen[key]))))
        seen.setdefault(key, value)
    return out


def _check_suppliers(data: dict) -> list[Finding]:
    """The top-level suppliers: unique ids, described in one place only, and every option's
    supplier among them (as under allocation.suppliers)."""
    top = _list(data.get("suppliers"))
    if not top:
        return []
    out = list(_duplicates(top, ("suppliers",), "supplier"))
    if _list(_dict(data.get("allocation")).get("suppliers")):
        out.append(("suppliers-twice", ("suppliers",), _m("suppliers_twice")))
        return out
    sup_ids = [x.get("id") for x in top if isinstance(x, dict)]
    for i, a in enumerate(_list(data.get("alternatives"))):
        sup = a.get("supplier") if isinstance(a, dict) else None
        if sup is not None and sup not in sup_ids:
            out.append(("unknown-supplier", ("alternatives", i, "supplier"),
                        _m("unknown_supplier_top", supplier=sup, hint=_hint(sup, sup_ids))))
    return out


def _check_ids(data: dict, crit: list) -> list[Finding]:
    al = _dict(data.get("allocation"))
    alts = _list(data.get("alternatives"))
    groups = {
        "option": [(("alternatives", i, "id"), a.get("id")) for i, a in enumerate(alts) if isinstance(a, dict)],
        "criterion": [(loc + ("id",), c.get("id")) for loc, c, _, _ in crit],
        "module": [(("allocation", "modules", i, "id"), m.get("id"))
                   for i, m in enumerate(_list(al.get("modules"))) if isinstance(m, dict)],
        "supplier": [(("allocation", "suppliers", i, "id"), x.get("id"))
                     for i, x in enumerate(_list(al.get("suppliers"))) if isinstance(x, dict)]
        + [(("suppliers", i, "id"), x.get("id")) for i, x in enumerate(_list(data.get("suppliers")))
           if isinstance(x, dict)],
    }
    out: list[Finding] = []
    for what, items in groups.items():
        out += _check_id_list(data, items, what)
    return out


def _check_rules(data: dict, rules: dict) -> list[Finding]:
    """Each supplier rule through the portfolio's own :class:`~decide.portfolio.Rules` check:
    one range per rule, and its sentence, located at the rule in the file."""
    from decide.errors import InputError
    from decide.portfolio.problem import RULE_NAMES, Rules

    out: list[Finding] = []
    for key in RULE_NAMES:
        v = rules.get(key)
        if not _num(v):
            continue  # the schema reports wrong types
        try:
            Rules(**{key: v})
        except InputError as exc:
            out += [(p.code, ("allocation", "rules", key), p.message) for p in exc.problems]
    return out


def _check_judgment_groups(data: dict, crit: list) -> list[Finding]:
    """AHP: each participant's judgements connect every sibling group they touch, and the
    named random-index table covers each sibling group's size."""
    w = _dict(data.get("weights"))
    if w.get("method") != "ahp" or not isinstance(w.get("ahp"), dict):
        return []
    ahp_sec = w["ahp"]
    out: list[Finding] = []
    parent_of = {c.get("id"): p for _, c, p, _ in crit if isinstance(c.get("id"), str)}
    groups: dict[Any, list[str]] = {}
    for cid, par in parent_of.items():
        groups.setdefault(par, []).append(cid)
    ri = ahp_sec.get("ri", "saaty1980")
    if isinstance(ri, str) and ri in _ri_tables():
        from decide import ahp
        from decide.errors import InputError

        for par, kids in groups.items():
            if len(kids) < 2:
                continue
            try:
                ahp.random_index(ri, len(kids))
            except InputError:
                table = ahp.RI_TABLES.get(ri, {})
                covering = [name for name in _ri_tables() if name not in ahp.RI_TABLES or len(kids) in ahp.RI_TABLES[name]]
                out.append(("ri-table-size", ("weights", "ahp", "ri"), _t(
                    data, "ri_size", n=len(kids), group=f"'{par}'" if par else _t(data, "top_level"), ri=ri,
                    low=min(table) if table else 1, high=max(table) if table else "", covering=" | ".join(covering))))
    for i, p in enumerate(_list(ahp_sec.get("participants"))):
        if not isinstance(p, dict):
            continue
        links: dict[Any, dict[str, str]] = {}
        for jd in _list(p.get("judgments")):
            if not (isinstance(jd, list) and len(jd) == 3):
                continue
            a, b = jd[0], jd[1]
            if not (isinstance(a, str) and isinstance(b, str)) or a not in parent_of or b not in parent_of:
                continue
            if a == b or parent_of[a] != parent_of[b] or parse_ratio(jd[2]) is None:
                continue
            parent = links.setdefault(parent_of[a], {})
            ra, rb = _find(parent, a), _find(parent, b)
            if ra != rb:
                parent[ra] = rb
        for par, kids in groups.items():
            if len(kids) < 2 or par not in links:
                continue
            union = links[par]
            parts: dict[str, list[str]] = {}
            for k in kids:
                parts.setdefault(_find(union, k), []).append(k)
            if len(parts) > 1:
                comps = sorted(parts.values(), key=lambda g: kids.index(g[0]))
                out.append(("judgments-disconnected", ("weights", "ahp", "participants", i, "judgments"), _t(
                    data, "judgments_disconnected", name=p.get("name", f"#{i}"),
                    group=f"'{par}'" if par else _t(data, "top_level"),
                    parts="; ".join("{" + ", ".join(g) + "}" for g in comps), a=comps[0][0], b=comps[1][0])))
    return out


def _find(parent: dict, x: str) -> str:
    while parent.get(x, x) != x:
        parent[x] = parent.get(parent[x], parent[x])
        x = parent[x]
    return x


# --------------------------------------------------------------------------- the analyses' own checks
def char_name(ch: str) -> str:
    """``U+0000 (NULL)``: a character named so that it can be printed."""
    name = unicodedata.name(ch, "")
    if not name and ch in "\x00\x7f":
        name = "NULL" if ch == "\x00" else "DELETE"
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def model_checks(model: Any) -> tuple[list[Finding], Any]:
    """The checks the analyses make before they run, made on a schema-valid model, and the
    knock-out screening they made (screened once).

    ``validate`` runs them so that a model it accepts is one every analysis accepts: the
    weights are derived (AHP judgements, direct weights), the requirements leave at least two
    options to rank, the ranking method accepts its parameters, and SMAA can sample weights
    around the model's weights. Each check calls the analysis' own code and reports its
    refusal located; faces show it in the user's language.

    The screening (a :class:`~decide.requirements.Screening`, also when it passes no option) is
    None when the model has no requirements, or has requirements on criteria but no criteria,
    or its requirements cannot be applied (a finding says why). The loader keeps from it
    whether the requirements exclude every option, a state a valid model may be in.
    """
    from decide.errors import DecideError, ModelError

    data = {"language": model.language}
    out: list[Finding] = []
    screening = None
    screen_error = None
    if model.requirements and (model.criteria or not any(r.criterion for r in model.requirements)):
        from decide.requirements import screen

        try:
            screening = screen(model, refuse_empty=False)
        except DecideError as exc:
            screen_error = exc
    if not model.criteria:
        return out, screening
    weights = None
    try:
        from decide.weights import derive

        weights = derive(model, hints=False).weights  # whether they derive; the hints are the analysis' part
    except ModelError as exc:
        out += [(p.code, parse_loc(p.loc), p.message) for p in exc.problems]
    except DecideError as exc:
        out.append(("weights-invalid", ("weights",), _message_of(exc)))
    if screen_error is not None:
        out.append(("requirements-invalid", ("requirements",), _message_of(screen_error)))
    # every option knocked out is no finding: the review reports it, and the report says so
    passed = screening.passed if screening is not None else None
    if passed is not None and len(passed) == 1 and len(model.alternatives) > 1:
        out.append(("one-option-left", ("requirements",), _t(data, "one_option_left", n=1, left=passed[0])))
    out += _ranking_checks(model, data)
    sec = model.sensitivity
    if weights is not None and sec.weights == "around" and sec.samples > 0 and sec.concentration > 0:
        from decide.errors import InputError
        from decide.sensitivity import WeightSpec

        try:
            WeightSpec.dirichlet(weights, concentration=sec.concentration).bind(weights.index)
        except InputError:
            zero = next((str(k) for k, v in weights.items() if not (v > 0)), str(weights.index[0]))
            loc = ("weights", "direct", zero) if model.weights.method == "direct" else ("sensitivity", "weights")
            out.append(("zero-weight-around", loc, _t(data, "zero_weight_around", criterion=zero)))
    return out, screening


def _message_of(exc: BaseException) -> str:
    """An array-level error's sentence for a model-level finding: its one problem's Message
    (shown in the user's language), else its plain text."""
    problems = getattr(exc, "problems", ()) or ()
    msgs = [getattr(p, "message", None) for p in problems]
    if len(msgs) == 1 and hasattr(msgs[0], "key"):
        return msgs[0]
    return str(exc)


def _ranking_checks(model: Any, data: dict) -> list[Finding]:
    from decide.errors import InputError
    from decide.ranking import get_method

    sec = model.ranking
    try:
        adapter = get_method(sec.method, lang=model.language)
    except InputError as exc:
        return [("unknown-method", ("ranking", "method"), _message_of(exc))]
    params = dict(sec.params)
    if sec.normalization is not None:
        params["normalization"] = sec.normalization
    try:
        adapter._check_params(params, model.language)
    except InputError as exc:
        text = str(exc)
        key = "normalization" if sec.normalization is not None and "normalization" in text else "params"
        if key == "params":
            named = [k for k in sec.params if str(k) in text]
            loc = ("ranking", "params", named[0]) if named else ("ranking", "params")
        else:
            loc = ("ranking", "normalization")
        return [("ranking-params", loc, _message_of(exc))]
    return []
