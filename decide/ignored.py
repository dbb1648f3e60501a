"""Settings a model gives that its own other settings make irrelevant: located warnings.

A model file may hold a section or a setting that nothing reads because another setting of the
same model rules it out: a ``critic:`` section while ``weights.method`` is ``ahp``, a
``min_value`` while the portfolio maximises value, a PROMETHEE threshold that the chosen
preference function does not use. The model stays valid (a warning, never an error), but the
analyst who wrote the setting believes it counts; each such setting gets one located warning
that says what is ignored, which setting makes it irrelevant, and what to do.

A setting counts as *given* when it holds something other than what applies without it: a
section that is absent by default (``weights.ahp``) is given when present; a setting with a
default (``weights.rank_method: roc``) is given when it differs from the default, since a
setting equal to its default changes nothing either way (and a model rebuilt from its dump by
:meth:`~decide.model.DecisionModel.replace` then raises no warnings the file did not).

:func:`ignored_settings` returns the findings ``(code, loc, message)`` like the model file's
cross-checks; :func:`model_warnings` turns them, with the knock-out screening's "every option
excluded" state, into located :class:`~decide.errors.Problem` s. The loader computes them once
per model (``DecisionModel.warnings``); every face reads them there.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, Optional

from decide.errors import Message, Problem, code_of
from decide.places import format_loc

Finding = tuple[str, tuple, Message]

__all__ = ["ignored_settings", "model_warnings", "warning_dict"]

#: Award methods that score price with points, and those whose price needs no section at all.
_PRICE_POINTS = ("points", "utility_index")
_PRICE_ONLY = ("lowest_price", "lowest_cost")


def _w(key: str, /, **params: Any) -> Message:
    """A warning's sentence from the ``ignored`` catalogue; its code is the key with dashes."""
    return Message(f"ignored.{key}", **params)


def _some(ids: list) -> str:
    """Ids for a sentence: all of a few, the first of many with how many more (``a, b, … (+40)``)."""
    ids = [str(i) for i in ids]
    return ", ".join(ids) if len(ids) <= 8 else ", ".join(ids[:8]) + f", … (+{len(ids) - 8})"


def _code(key: str) -> str:
    """The warning's code: its catalogue key's (:func:`decide.errors.code_of`)."""
    return code_of(f"ignored.{key}")


def _default(section: Any, name: str) -> Any:
    return type(section).model_fields[name].get_default(call_default_factory=True)


def _differs(section: Any, name: str) -> bool:
    """Whether ``section.name`` holds something other than its schema default."""
    return getattr(section, name) != _default(section, name)


# --------------------------------------------------------------------------- the checks
def ignored_settings(model: Any) -> list[Finding]:
    """Every given setting of a schema-valid model that its other settings make irrelevant."""
    out: list[Finding] = []
    for check in _CHECKS:
        out += list(check(model))
    return out


def _weights(model: Any) -> Iterator[Finding]:
    w = model.weights
    method = w.method
    for name, wanted, key in (("ahp", "ahp", "ahp_section_ignored"), ("critic", "critic", "critic_section_ignored"),
                              ("direct", "direct", "direct_weights_ignored"), ("rank", "rank", "rank_order_ignored")):
        if getattr(w, name) is not None and method != wanted:
            yield _code(key), ("weights", name), _w(key, method=method)
    if method != "rank" and _differs(w, "rank_method"):
        yield (_code("rank_method_ignored"), ("weights", "rank_method"),
               _w("rank_method_ignored", method=method, value=w.rank_method))
    ahp = w.ahp
    if method == "ahp" and ahp is not None and len(ahp.participants) == 1 and _differs(ahp, "aggregate"):
        yield (_code("ahp_aggregate_ignored"), ("weights", "ahp", "aggregate"),
               _w("ahp_aggregate_ignored", value=ahp.aggregate, name=ahp.participants[0].name))


def _ranking(model: Any) -> Iterator[Finding]:
    sec = model.ranking
    if not model.criteria:
        given = [k for k in ("method", "normalization", "params", "compare") if _differs(sec, k)]
        if given:
            yield _code("ranking_section_ignored"), ("ranking",), _w("ranking_section_ignored", keys=", ".join(given))
        return
    params = sec.params
    if sec.method == "promethee_ii":
        yield from _promethee(params, [c.id for c in model.leaves()])
    elif sec.method == "spotis" and params.get("alpha") is not None and params.get("esp") is None:
        yield _code("spotis_alpha_ignored"), ("ranking", "params", "alpha"), _w("spotis_alpha_ignored")


def _promethee(params: dict, leaves: list[str]) -> Iterator[Finding]:
    pref = params.get("preference", "usual")
    if isinstance(pref, str):
        functions = [pref]
    elif isinstance(pref, dict):
        # a criterion the mapping leaves out uses 'usual'
        functions = [*pref.values()] + (["usual"] if any(c not in pref for c in leaves) else [])
    elif isinstance(pref, list):
        functions = pref
    else:
        return
    from decide.ranking.adapters.promethee import NEEDS  # preference function -> thresholds it reads

    if not all(isinstance(f, str) and f in NEEDS for f in functions):
        return  # an unknown function: the ranking's own check refuses it
    used = set(functions)
    for name in ("q", "p", "s"):
        if params.get(name) is None or any(name in NEEDS[f] for f in used):
            continue
        users = [f for f, needs in NEEDS.items() if name in needs]
        yield (_code("promethee_threshold_ignored"), ("ranking", "params", name),
               _w("promethee_threshold_ignored", name=name, preference=", ".join(sorted(used)), users=", ".join(users)))


def _sensitivity(model: Any) -> Iterator[Finding]:
    sec = model.sensitivity
    off = sec.samples == 0 and model.allocation is None
    if off:
        for name in ("weights", "concentration"):
            if _differs(sec, name):
                yield (_code("sampling_setting_ignored"), ("sensitivity", name),
                       _w("sampling_setting_ignored", name=name))
    elif sec.weights == "uniform" and _differs(sec, "concentration"):
        yield (_code("concentration_ignored"), ("sensitivity", "concentration"),
               _w("concentration_ignored", value=f"{sec.concentration:g}"))


def _criteria_locs(model: Any) -> Iterator[tuple[tuple, Any]]:
    def walk(nodes: list, loc: tuple) -> Iterator[tuple[tuple, Any]]:
        for i, c in enumerate(nodes):
            yield loc + (i,), c
            if c.children:
                yield from walk(c.children, loc + (i, "children"))

    yield from walk(model.criteria, ("criteria",))


def _allocation(model: Any) -> Iterator[Finding]:
    al = model.allocation
    if al is None:
        levels = [(loc + (k,), c.id) for loc, c in _criteria_locs(model)
                  for k in ("range", "value_function") if getattr(c, k) is not None]
        if levels:
            yield (_code("reference_levels_ignored"), levels[0][0],
                   _w("reference_levels_ignored", criteria=_some(list(dict.fromkeys(cid for _, cid in levels)))))
        valued = [(i, a.id) for i, a in enumerate(model.alternatives) if a.value is not None]
        if valued:
            yield (_code("option_values_ignored"), ("alternatives", valued[0][0], "value"),
                   _w("option_values_ignored", options=_some([aid for _, aid in valued])))
        return
    if al.objective == "value" and al.min_value is not None:
        yield _code("min_value_ignored"), ("allocation", "min_value"), _w("min_value_ignored", value=f"{al.min_value:g}")
    for i, m in enumerate(al.modules):
        if m.required and m.baseline != 0:
            yield (_code("baseline_ignored"), ("allocation", "modules", i, "baseline"),
                   _w("baseline_ignored", module=m.id, value=f"{m.baseline:g}"))
    if not any(a.supplier is not None for a in model.alternatives):
        for name in ("max_supplier_share", "max_lots_per_supplier"):
            if getattr(al.rules, name) is not None:
                yield _code("supplier_rule_ignored"), ("allocation", "rules", name), _w("supplier_rule_ignored", rule=name)


def _award(model: Any) -> Iterator[Finding]:
    sec = model.award
    if sec is None:
        return
    method = sec.method
    price = sec.price
    if price is not None:
        if method not in _PRICE_POINTS:  # fictive price, value for money, lowest price or cost: no price score
            yield _code("award_price_ignored"), ("award", "price"), _w("award_price_ignored", method=method)
        elif method == "utility_index":
            for name in ("formula", "ceiling", "floor", "upper"):
                if getattr(price, name) is not None and _differs(price, name):
                    yield (_code("award_price_formula_ignored"), ("award", "price", name),
                           _w("award_price_formula_ignored", setting=name))
        else:  # points: each bound belongs to one price formula
            for name, formula in (("ceiling", "absolute"), ("floor", "absolute"), ("upper", "linear")):
                if getattr(price, name) is not None and price.formula != formula:
                    yield (_code("award_price_bound_ignored"), ("award", "price", name),
                           _w("award_price_bound_ignored", setting=name, formula=price.formula, needed=formula))
    if method not in _PRICE_ONLY:  # quality under a lowest-price method is refused by the award checks
        unused = "points" if method == "fictive_price" else "value"
        for i, c in enumerate(sec.quality):
            if getattr(c, unused) is not None:
                yield (_code("award_quality_weight_ignored"), ("award", "quality", i, unused),
                       _w("award_quality_weight_ignored", setting=unused, method=method,
                          used="value" if unused == "points" else "points"))
    if sec.total is not None and method not in _PRICE_POINTS:
        yield _code("award_total_ignored"), ("award", "total"), _w("award_total_ignored", method=method)
    if not sec.bids:
        key = "award_without_bids" if method in _PRICE_POINTS else "award_without_bids_unused"
        yield _code(key), ("award",), _w(key, method=method)


def _workshop(model: Any) -> Iterator[Finding]:
    ws = model.workshop
    sc = ws.scoring if ws is not None else None
    if sc is None or not model.criteria:
        return
    leaves = {c.id: c for c in model.leaves()}
    scored = [cid for cid in sc.criteria if cid in leaves] or [c for c, x in leaves.items() if x.source != "tco"]
    if not scored or not all(leaves[cid].scale for cid in scored):
        return
    for name in ("range", "step"):
        if getattr(sc, name) is not None and _differs(sc, name):
            yield _code("scoring_scale_ignored"), ("workshop", "scoring", name), _w("scoring_scale_ignored", setting=name)


_CHECKS: tuple[Callable[[Any], Iterator[Finding]], ...] = (_weights, _ranking, _sensitivity, _allocation, _award,
                                                           _workshop)


# --------------------------------------------------------------------------- as located problems
def model_warnings(model: Any, screening: Any = None, line: Optional[Callable[[tuple], Optional[int]]] = None,
                   file: Optional[str] = None) -> tuple[Problem, ...]:
    """The model's warnings as located problems: the knock-outs excluding every option (when the
    given ``screening`` says so), then every ignored setting in file order.

    ``line(loc)`` gives a place's line in the file (the loader's line map); ``file`` its name.
    """
    def line_of(loc: tuple) -> Optional[int]:
        return line(loc) if line is not None else None

    file = file or getattr(model, "path", None) or "<model>"
    out: list[Problem] = []
    if screening is not None and not screening.passed:
        out.append(Problem.of("all-excluded", "requirements", file=file, line=line_of(("requirements",)),
                              n=len(model.alternatives)))
    found = [Problem(code, format_loc(loc), message, line_of(loc), file) for code, loc, message in ignored_settings(model)]
    out += sorted(found, key=lambda p: (p.line or 0, p.loc))
    return tuple(out)


def warning_dict(problem: Problem, lang: str) -> dict:
    """A warning for ``--json`` and the report's provenance: ``{code, loc, line, message}`` with
    the message in ``lang``; the all-excluded state keeps its own shape ``{code, n}``."""
    if problem.code == "all-excluded":
        return {"code": problem.code, "n": (problem.params or {}).get("n")}
    return {"code": problem.code, "loc": problem.loc, "line": problem.line, "message": problem.text(lang)}
