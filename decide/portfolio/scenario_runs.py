"""Forced scenarios that answer the seed's trade-offs, side by side.

- ``free``: the problem as it is;
- ``only_monolithic`` / ``only_modular``: modular (resp. monolithic) options banned. An option
  is monolithic when tagged ``monolithic``, modular when tagged ``modular``; untagged options
  are classified by what they cover (more than one module: monolithic; exactly one: modular;
  none: neutral, allowed in both). Only when both kinds exist;
- ``only_<tag>`` for the tag pairs open_source/commercial, make/buy, cloud/on_premises when
  both tags occur: the options carrying the opposite tag (and not this one) are banned.

Every scenario re-solves the same model (bans are column bounds). Columns: label, status,
value, tco, suppliers, sme_share, exit_cost, n_chosen, chosen, note.
"""
from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd

from decide.i18n import LANGUAGES, t
from decide.portfolio.backends import Backend
from decide.portfolio.evaluate import measure
from decide.portfolio.formulation import Formulation
from decide.portfolio.infeasibility import elastic, prechecks
from decide.portfolio.problem import Problem, Rules
from decide.portfolio.solve import as_problem, optimise
from decide.portfolio.status import Status

__all__ = ["scenarios", "TAG_PAIRS", "kinds"]

TAG_PAIRS = (("monolithic", "modular"), ("open_source", "commercial"), ("make", "buy"),
             ("cloud", "on_premises"))


def kinds(problem: Problem) -> tuple[np.ndarray, np.ndarray]:
    """Masks (monolithic, modular) over the options (tags first, else what they cover)."""
    a = problem.arrays
    tag_mono = a.tags.get("monolithic", np.zeros(a.n, dtype=bool))
    tag_mod = a.tags.get("modular", np.zeros(a.n, dtype=bool))
    untagged = ~(tag_mono | tag_mod)
    ncov = np.array([len(m) for m in a.option_modules])
    mono = tag_mono | (untagged & (ncov > 1))
    mod = (tag_mod & ~tag_mono) | (untagged & (ncov == 1))
    return mono, mod


def _definitions(problem: Problem) -> list[tuple[str, str, np.ndarray]]:
    """(name, tag shown, ban mask) per scenario."""
    a = problem.arrays
    none = np.zeros(a.n, dtype=bool)
    out = [("free", "", none)]
    mono, mod = kinds(problem)
    if mono.any() and mod.any():
        out.append(("only_monolithic", "monolithic", mod & ~mono))
        out.append(("only_modular", "modular", mono & ~mod))
    for t1, t2 in TAG_PAIRS[1:]:
        if t1 in a.tags and t2 in a.tags:
            m1, m2 = a.tags[t1], a.tags[t2]
            out.append((f"only_{t1}", t1, m2 & ~m1))
            out.append((f"only_{t2}", t2, m1 & ~m2))
    return out


def scenarios(
    problem_or_model: Any,
    *,
    solver: str = "highs",
    time_limit: float | None = 60,
    gap: float | None = None,
    threads: int | None = None,
    lang: str = "en",
    explain: bool = True,
) -> pd.DataFrame:
    """Solve the free problem and each forced scenario; one row per scenario.

    Returns
    -------
    DataFrame
        Indexed by scenario name (``free``, ``only_monolithic``, ...): label, status, value,
        tco, suppliers, sme_share, exit_cost, n_chosen, chosen (tuple of ids), seconds, note
        (why a scenario is infeasible: the first solver-free proof, else with ``explain`` the
        first way out found by the elastic re-solve); for a forced scenario that the supplier
        rules make infeasible, also value_without_rules, tco_without_rules and
        chosen_without_rules (the same scenario with the rules dropped, budget kept).
    """
    problem = as_problem(problem_or_model)
    backend = Backend(solver, time_limit, gap, threads)
    a = problem.arrays
    form = Formulation(problem)
    pos = {o: i for i, o in enumerate(a.ids)}
    rows = []
    notes: dict[str, dict[str, str]] = {}  # scenario -> {lang: note}: notes in every language
    for name, tag, ban_mask in _definitions(problem):
        ban = np.union1d(a.ban, np.flatnonzero(ban_mask)).astype(np.int64)
        label = t("portfolio.scenario_free", lang) if name == "free" else t(
            "portfolio.scenario_only", lang, tag=tag)
        row = {"scenario": name, "label": label, "status": None, "value": np.nan, "tco": np.nan,
               "suppliers": 0, "sme_share": np.nan, "exit_cost": np.nan, "n_chosen": 0,
               "chosen": (), "seconds": 0.0, "note": ""}
        pinned_banned = [p for p in problem.pin if ban_mask[pos[p]]]
        if pinned_banned:
            shown = ", ".join(_option_label(problem, p) for p in pinned_banned)
            notes[name] = {code: t("portfolio.scenario_pinned_banned", code, options=shown) for code in LANGUAGES}
            row.update(status=Status.infeasible.value, note=notes[name][lang])
            rows.append(row)
            continue
        sub = problem if name == "free" else problem.replace(ban=tuple(a.ids[i] for i in ban))
        proofs = prechecks(sub)
        if proofs:
            notes[name] = {code: proofs[0].text(code) for code in LANGUAGES}
            row.update(status=Status.infeasible.value, note=notes[name][lang])
            rows.append(row)
            continue
        t0 = time.perf_counter()
        form.configure(ban=ban)
        out = form.solve(backend)
        row["seconds"] = time.perf_counter() - t0
        row["status"] = out.status.value
        if out.has_solution and out.violated:  # the plan misses an unscaled row: say so
            row["status"] = Status.error.value
            row["note"] = ", ".join(out.violated)
        if out.status is Status.infeasible and explain:
            # the first way in a buyer's order (order_ways): a rule change that keeps the
            # modules before "make modules optional", never "buy nothing" first
            findings = [f for f in elastic(sub, backend) if f.alternative in (None, 1)]
            notes[name] = {code: _joined(findings, code) for code in LANGUAGES}
            row["note"] = notes[name][lang]
        if out.has_solution:
            x = (out.x > 0.5).astype(float)
            m = measure(problem, x)
            row.update(value=m.value, tco=m.tco, suppliers=m.suppliers_used,
                       sme_share=m.sme_share, exit_cost=m.exit_cost, n_chosen=int(x.sum()),
                       chosen=tuple(a.ids[i] for i in np.flatnonzero(x)))
        elif name != "free" and problem.rules.active():
            # the trade-off still deserves numbers: the same scenario without the supplier
            # rules (budget and modules kept) says what the rules rule out
            free_rules = sub.replace(rules=Rules())
            alt = optimise(free_rules, solver=solver, time_limit=time_limit, gap=gap, threads=threads,
                           price_rules=False, explain_infeasible=False)
            if alt.status.is_ok:
                row.update(value_without_rules=alt.total_value, tco_without_rules=alt.total_cost,
                           chosen_without_rules=tuple(alt.chosen))
        rows.append(row)
    form.configure(ban=a.ban)
    frame = pd.DataFrame(rows).set_index("scenario")
    frame.attrs["notes"] = notes
    return frame


def _joined(findings, lang: str) -> str:
    """The findings of one infeasible scenario as one note: the headline, then the steps."""
    head = [f.text(lang) for f in findings if f.alternative is None or f.code == "relax_alternative"]
    steps = [f.text(lang) for f in findings if f.alternative is not None and f.code != "relax_alternative"]
    return " ".join(head) + (" " + "; ".join(steps) if steps else "")


def _option_label(problem: Any, option: str) -> str:
    try:
        return str(problem.options.at[option, "label"])
    except (KeyError, AttributeError):
        return str(option)


def scenario_note(frame: pd.DataFrame, scenario: str, lang: str) -> str:
    """The note of one scenario (why it is infeasible) in ``lang``, whatever language the
    scenarios were computed in; empty when the scenario has none."""
    texts = frame.attrs.get("notes", {}).get(scenario)
    if texts and lang in texts:
        return texts[lang]
    if scenario in frame.index and "note" in frame.columns:
        note = frame.at[scenario, "note"]
        return "" if note is None or (isinstance(note, float) and note != note) else str(note)
    return ""
