"""The ``decide`` command line: a thin face over the library.

Each subcommand parses its arguments, calls the library and renders the result as
text (for people) or JSON (``--json``, for machines). User mistakes print a located
message without a traceback and exit 2; an infeasible or unsolved optimisation exits 3.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, Callable, Optional, Sequence

import numpy as np
import pandas as pd

from decide import __version__
from decide.errors import DecideError, ModelError
from decide.i18n import catalogue, fmt_money, fmt_number, fmt_pct, t

EXIT_OK, EXIT_INPUT, EXIT_SOLVE = 0, 2, 3

COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str, str]] = {}


def command(name: str, help: str, example: str):
    """Register a subcommand: ``fn(args) -> exit code``; ``fn.configure(parser)`` adds options."""

    def wrap(fn):
        COMMANDS[name] = (fn, help, example)
        return fn

    return wrap


# --------------------------------------------------------------------------- output helpers
def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, pd.Series):
        return _jsonable(obj.to_dict())
    if isinstance(obj, pd.DataFrame):
        return _jsonable(obj.to_dict(orient="index"))
    return obj


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(_jsonable(payload), indent=2, ensure_ascii=False) + "\n")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def table(df: pd.DataFrame, floatfmt: str = "{:,.3f}") -> str:
    """A plain-text table (pandas' own layout, no truncation)."""
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 60):
        return df.to_string(float_format=lambda x: floatfmt.format(x))


def m(key: str, lang: str, /, **kw: Any) -> str:
    """A CLI text from decide/messages/cli.yaml in the chosen language."""
    return t(f"cli.{key}", lang, **kw)


def short(text: str, width: int = 32) -> str:
    """Shorten a long label for a terminal table."""
    return text if len(text) <= width else text[: width - 1] + "…"


def amount(text: str) -> float:
    """An argparse type: a finite amount >= 0 (a budget)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected an amount >= 0 such as 1500000, got {text!r}")
    return value


def count(minimum: int):
    """An argparse type: a whole number >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a whole number >= {minimum}, got {text!r}")
        return value

    parse.__name__ = f"whole number >= {minimum}"
    return parse


def lang_of(args: argparse.Namespace, model) -> str:
    return getattr(args, "lang", None) or model.language


def load(args: argparse.Namespace):
    from decide.loader import load_model

    return load_model(args.model, lang=getattr(args, "lang", None))


# --------------------------------------------------------------------------- commands
@command("validate", "check a model file and report every problem with its location",
         "decide validate models/zaaksysteem.yaml")
def cmd_validate(args: argparse.Namespace) -> int:
    from decide.loader import load_model

    try:
        model = load_model(args.model, lang=args.lang)
    except ModelError as exc:
        if args.json:
            emit_json({"valid": False, "file": args.model, "problems": [
                {"code": p.code, "loc": p.loc, "line": p.line, "message": p.message} for p in exc.problems]})
            return EXIT_INPUT
        raise
    summary = model_summary(model)
    if args.json:
        emit_json({"valid": True, "file": args.model, "summary": summary})
    else:
        lang = lang_of(args, model)
        parts = [m("n_options", lang, n=summary["alternatives"]), m("n_criteria", lang, n=summary["criteria"])]
        if summary["weights"]:
            how = summary["weights"]
            if model.weights.method == "ahp" and model.weights.ahp is not None:
                how = m("ahp_participants", lang, n=len(model.weights.ahp.participants))
            parts.append(m("weights_part", lang, how=how))
        if summary["modules"] is not None:
            parts.append(m("allocation_part", lang, n=summary["modules"]))
        out(m("validate_ok", lang, file=args.model, parts=", ".join(parts)))
    return EXIT_OK


def model_summary(model) -> dict:
    w = model.weights
    weights = w.method if model.criteria else None
    if w.method == "ahp" and w.ahp is not None:
        weights = f"ahp, {len(w.ahp.participants)} participants"
    return {
        "title": model.name(),
        "alternatives": len(model.alternatives),
        "criteria": len(model.leaves()),
        "weights": weights,
        "modules": len(model.allocation.modules) if model.allocation is not None else None,
        "sha256": model.sha256,
    }


@command("show", "show the criteria tree, the options and their TCO",
         "decide show models/zaaksysteem.yaml --lang en")
def cmd_show(args: argparse.Namespace) -> int:
    from decide.tco import tco_table

    model = load(args)
    lang = lang_of(args, model)
    tco = tco_table(model)
    if args.json:
        emit_json({
            "title": model.name(lang),
            "criteria": [{"id": c.id, "label": c.name(lang), "parent": p, "direction": c.direction,
                          "leaf": c.is_leaf} for p, c in model.iter_criteria()],
            "alternatives": [{"id": a.id, "label": a.name(lang), "supplier": a.supplier, "covers": a.covers,
                              "tags": a.tags} for a in model.alternatives],
            "tco": tco,
        })
        return EXIT_OK
    h = model.horizon
    out(f"{model.name(lang)}")
    out(m("horizon", lang, years=h.years, rate=fmt_pct(h.discount_rate, lang, 2), currency=model.currency))
    out("")
    out(m("criteria", lang))
    depth = {None: -1}
    for parent, c in model.iter_criteria():
        depth[c.id] = depth[parent] + 1
        extra = f" [{c.direction}]" if c.is_leaf else ""
        src = m("from_tco", lang) if c.source == "tco" else ""
        out(f"  {'  ' * depth[c.id]}- {c.id}: {c.name(lang)}{extra}{src}")
    out("")
    out(m("options", lang))
    rows = pd.DataFrame(
        [{"label": a.name(lang), "supplier": a.supplier or "-", "covers": ", ".join(a.covers) or "-"}
         for a in model.alternatives], index=pd.Index(model.alternative_ids, name="option"))
    out(table(rows))
    out("")
    out(m("tco_heading", lang, years=h.years, currency=model.currency))
    cols = ["once", "integration", "yearly", "exit", "total"]
    out(table(tco[cols], "{:,.0f}"))
    return EXIT_OK


@command("weights", "criteria weights with consistency per participant, consensus and repair hints",
         "decide weights models/zaaksysteem.yaml")
def cmd_weights(args: argparse.Namespace) -> int:
    from decide.weights import derive

    model = load(args)
    lang = lang_of(args, model)
    d = derive(model)
    if args.json:
        emit_json(d.to_dict(lang))
        return EXIT_OK
    how = d.method
    if d.method == "ahp":
        how = m("ahp_how", lang, method=model.weights.ahp.method, ri=d.ri_table, aggregate=d.aggregate,
                max_cr=fmt_number(d.max_cr, lang, 2))
    out(m("weights_heading", lang, how=how))
    frame = d.to_frame(lang)
    out(table(frame.assign(weight=frame["weight"].map(lambda x: f"{x:.3f}"))))
    for note in d.notes:
        out(m("note", lang, text=note.text(lang) if hasattr(note, "text") else note))
    if d.method != "ahp":
        return EXIT_OK
    out("")
    out(m("cr_heading", lang, max_cr=fmt_number(d.max_cr, lang, 2)))
    out(table(d.participants_frame(), "{:.3f}"))
    if d.cr:
        out(m("group_cr", lang, values=", ".join(f"{g} {fmt_number(v, lang, 3)}" for g, v in d.cr.items())))
    for p in d.participants:
        for g, pairs in p.estimated.items():
            if pairs:
                txt = ", ".join(f"{a} vs {b}" for a, b in pairs)
                out(m("estimated", lang, name=p.name, pairs=txt))
    if d.consensus:
        out("")
        out(m("consensus_heading", lang))
        for g, c in d.consensus.items():
            dist = ", ".join(f"{k} {fmt_number(v, lang, 3)}" for k, v in c.distance.items())
            band = t(f"weights.band_{c.band}", lang) if f"band_{c.band}" in catalogue("weights") else c.band
            out(m("consensus_line", lang, group=m("top", lang) if g is None else g, value=fmt_pct(c.value, lang),
                  band=band, distance=dist))
    hints = d.hints(lang)
    if hints:
        out("")
        out(m("hints_heading", lang))
        for h in hints:
            out(f"  {h['participant']}: {h['text']}")
    return EXIT_OK


@command("rank", "rank the options with the model's MCDA method (or another); --compare for all methods",
         "decide rank models/werkplek.yaml --compare")
def cmd_rank(args: argparse.Namespace) -> int:
    from decide.analysis import compare_ranking, rank_model

    model = load(args)
    lang = lang_of(args, model)
    r = rank_model(model, args.method, lang=lang)
    comparison = compare_ranking(r, lang=lang) if args.compare else None
    if args.json:
        payload = r.to_dict(lang)
        if comparison is not None:
            payload["compare"] = comparison.to_dict()
        emit_json(payload)
        return EXIT_OK
    params = ", ".join(f"{k}={v}" for k, v in r.params.items())
    out(m("ranking_heading", lang, title=model.name(lang), method=r.method) + (f" ({params})" if params else ""))
    frame = r.to_frame(lang)
    out(table(frame, "{:.4f}"))
    details = r.ranking.details
    if "compromise" in details:
        yes, no = t("common.yes", lang), t("common.no", lang)
        names = ", ".join(model.alternative(i).name(lang) for i in details["compromise"])
        out(m("compromise", lang, names=names, c1=yes if details.get("acceptable_advantage") else no,
              c2=yes if details.get("acceptable_stability") else no))
    for e in r.excluded(lang):
        out(m("excluded", lang, id=e["id"], reason=e["reason"]))
    for note in getattr(r.ranking, "notes", ()):
        out(m("note", lang, text=note))
    if comparison is not None:
        out("")
        out(m("comparison_heading", lang))
        out(table(comparison.to_frame(), "{:.3f}"))
        main_method = comparison.methods[0] if comparison.methods else r.method
        if r.method in comparison.ws.index:
            main_method = r.method
        out("")
        out(m("agreement_heading", lang, method=main_method))
        for other in comparison.methods:
            if other != main_method:
                out(f"  {other}: r_w {comparison.rw.at[main_method, other]:.3f}, "
                    f"WS {comparison.ws.at[main_method, other]:.3f}")
        seen = {str(n) for n in getattr(r.ranking, "notes", ())}
        for note in comparison.notes:
            if str(note) not in seen:
                out(m("note", lang, text=note))
    return EXIT_OK


def _configure_rank(p: argparse.ArgumentParser) -> None:
    p.add_argument("--method", help="ranking method (default: the model's), e.g. topsis, vikor, promethee_ii, wsm")
    p.add_argument("--compare", action="store_true", help="rank with every method side by side")


cmd_rank.configure = _configure_rank  # type: ignore[attr-defined]


class Progress:
    """Progress on stderr: a bar on a terminal; elsewhere (pipes, CI, logs) a line every few seconds.

    ``lang`` words the lines; ``every`` is the least number of seconds between two lines when
    stderr is not a terminal (the first and the last line are always written).
    """

    def __init__(self, label: str, enabled: Optional[bool] = None, lang: str = "en", every: float = 5.0):
        import time

        self.label = label
        self.enabled = True if enabled is None else enabled
        self.tty = sys.stderr.isatty()
        self.lang = lang
        self.every = every
        self._last = -1
        self._clock = time.monotonic
        self._start = self._clock()
        self._printed = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        pct = int(100 * done / total)
        if self.tty:
            if pct == self._last:
                return
            self._last = pct
            bar = "#" * (pct // 4)
            sys.stderr.write(f"\r{self.label} [{bar:<25}] {pct:3d}%")
            if done >= total:
                sys.stderr.write("\n")
        else:
            now = self._clock()
            if self._printed is not None and done < total and now - self._printed < self.every:
                return
            self._printed = now
            sys.stderr.write(m("progress_line", self.lang, label=self.label, done=fmt_number(done, self.lang, 0),
                               total=fmt_number(total, self.lang, 0),
                               pct=pct, elapsed=f"{now - self._start:.0f}") + "\n")
        sys.stderr.flush()


class Heartbeat:
    """While a long stage runs, a line on stderr every ``every`` seconds in which nothing else was.

    Used around the analysis and the report writing (``with Heartbeat(progress, "stage_report")``),
    so that a run in a pipe or a CI log never sits silent: SMAA reports its own progress, the
    other stages (stability intervals, portfolio frontier, scenarios, rendering) are covered by
    this. Quiet on a terminal, where the progress bar shows SMAA.
    """

    def __init__(self, progress: "Progress", stage: str, every: float = 10.0):
        import threading

        self.progress, self.stage, self.every = progress, stage, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        p = self.progress
        while not self._stop.wait(1.0):
            now = p._clock()
            last = p._printed if p._printed is not None else p._start
            if now - last >= self.every:
                p._printed = now
                sys.stderr.write(m("still_working", p.lang, stage=m(self.stage, p.lang),
                                   elapsed=f"{now - p._start:.0f}") + "\n")
                sys.stderr.flush()

    def __enter__(self) -> "Heartbeat":
        if self.progress.enabled and not self.progress.tty:
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def smaa_samples(args: argparse.Namespace, model, lang: str) -> Optional[int]:
    """The SMAA samples for this run, after the work estimate (:mod:`decide.workload`).

    A default run whose options x samples exceed the work limit is capped, and says so on
    stderr; a run that asks for its samples (``--samples`` or ``sensitivity.samples``) gets
    them, with the estimate on stderr when it is long.
    """
    from decide.validation import MAX_SAMPLES, MAX_SEED
    from decide.workload import smaa_plan

    for option, value, limit, why in (("--samples", getattr(args, "samples", None), MAX_SAMPLES, "why_samples"),
                                      ("--seed", getattr(args, "seed", None), MAX_SEED, "why_seed")):
        if value is not None and value > limit:
            raise DecideError(f"{option}: " + t("loader.above_limit", lang, limit=fmt_number(limit, lang, 0),
                                                 value=value, why=t(f"loader.{why}", lang, limit=limit)))
    plan = smaa_plan(model, getattr(args, "samples", None))
    if plan.capped:
        sys.stderr.write(m("work_capped", lang, options=fmt_number(plan.options, lang, 0),
                           asked=fmt_number(plan.asked, lang, 0), estimate=plan.estimate_text(lang),
                           samples=fmt_number(plan.samples, lang, 0)) + "\n")
    elif plan.long:
        sys.stderr.write(m("work_warning", lang, options=fmt_number(plan.options, lang, 0),
                           samples=fmt_number(plan.samples, lang, 0), estimate=plan.estimate_text(lang)) + "\n")
    return plan.samples


@command("sensitivity", "how robust the ranking is: weight stability intervals and SMAA-2",
         "decide sensitivity models/zaaksysteem.yaml --samples 20000 --seed 1")
def cmd_sensitivity(args: argparse.Namespace) -> int:
    from decide.analysis import rank_model, sensitivity_model

    model = load(args)
    lang = lang_of(args, model)
    ranked = rank_model(model, args.method, lang=lang)
    sens = sensitivity_model(model, ranked, samples=smaa_samples(args, model, lang), seed=args.seed,
                             progress=Progress("SMAA", lang=lang))
    reversal = None
    if args.reversal:
        from decide.sensitivity import rank_reversal

        reversal = rank_reversal(ranked.matrix, ranked.weights.to_numpy(), list(ranked.directions))
    if args.json:
        payload = sens.to_dict(lang)
        if reversal is not None:
            payload["rank_reversal"] = reversal.to_dict()
        emit_json(payload)
        return EXIT_OK
    names = {c.id: c.name(lang) for _, c in model.iter_criteria()}
    alts = {a.id: a.name(lang) for a in model.alternatives}
    out(m("sensitivity_heading", lang, title=model.name(lang), method=ranked.method))
    out(sens.text(lang))
    out("")
    out(m("stability_heading", lang))
    st = sens.stability.to_frame().copy()
    st["criterion"] = st["criterion"].map(lambda c: names.get(c, c))
    for col in ("top_taker_low", "top_taker_high"):
        st[col] = st[col].map(lambda a: short(alts.get(a, a)) if isinstance(a, str) else "-")
    out(table(st.set_index("criterion"), "{:.3f}"))
    if sens.smaa is not None:
        sm = sens.smaa
        out("")
        sampled = (m("smaa_uniform", lang) if model.sensitivity.weights == "uniform"
                   else m("smaa_around", lang, k=fmt_number(model.sensitivity.concentration, lang, 0)))
        out(m("smaa_heading", lang, samples=sm.samples, seed=sm.seed, weights=sampled))
        acc = sm.acceptability.copy()
        acc.index = [alts.get(i, i) for i in acc.index]
        out(m("acceptability_heading", lang))
        out(table(acc, "{:.2f}"))
        conf = sm.confidence
        out("")
        out(m("confidence_heading", lang))
        for i, v in conf.items():
            out(f"  {alts.get(i, i)}: {'-' if v != v else f'{v:.2f}'}")
    if reversal is not None:
        out("")
        out(m("reversal_heading", lang))
        for line in reversal.summary(lang):
            out(f"  {line}")
    return EXIT_OK


def _configure_sensitivity(p: argparse.ArgumentParser) -> None:
    p.add_argument("--samples", type=count(0), help="SMAA samples (default: the model's, usually 10 000; 0 skips SMAA)")
    p.add_argument("--seed", type=count(0), help="random seed (default: the model's)")
    p.add_argument("--method", help="ranking method (default: the model's)")
    p.add_argument("--reversal", action="store_true",
                   help="also probe rank reversal per method (remove each option; add a dominated copy)")


cmd_sensitivity.configure = _configure_sensitivity  # type: ignore[attr-defined]


def _problem(args: argparse.Namespace, model):
    from decide.portfolio.adapter import from_model

    problem = from_model(model, lang=lang_of(args, model))
    if args.budget is not None:
        problem = problem.replace(budget=args.budget)
    return problem


@command("allocate", "the best portfolio under the budget and supplier rules (MILP, HiGHS or CBC)",
         "decide allocate models/zaaksysteem.yaml --budget 1500000 --frontier")
def cmd_allocate(args: argparse.Namespace) -> int:
    from decide.portfolio import frontier, optimise, scenarios

    model = load(args)
    lang = lang_of(args, model)
    problem = _problem(args, model)
    alloc = optimise(problem, solver=args.solver, relax=args.relax, time_limit=args.time_limit)
    front = scen = None
    if alloc.has_solution and args.frontier:
        front = frontier(problem, points=args.points, solver=args.solver)
    if args.scenarios:
        scen = scenarios(problem, solver=args.solver, lang=lang)
    code = EXIT_OK if alloc.status.is_ok else EXIT_SOLVE
    if args.json:
        payload = alloc.to_dict(lang)
        if front is not None:
            payload["frontier"] = front.to_dict() if hasattr(front, "to_dict") else front.to_frame()
        if scen is not None:
            payload["scenarios"] = scen
        emit_json(payload)
        return code
    cur = model.currency
    if not alloc.has_solution:
        out(m("no_portfolio", lang, title=model.name(lang), status=alloc.status.value))
        out(alloc.explanation_text(lang))
        return code
    kind = m("relaxed", lang) if alloc.relaxed else m("status", lang, status=alloc.status.value)
    out(m("portfolio_heading", lang, title=model.name(lang), kind=kind, solver=alloc.solver))
    chosen = alloc.to_frame()
    view = chosen[["label", "supplier", "value", "tco"]].copy()
    view["supplier"] = view["supplier"].map(lambda v: v if isinstance(v, str) else m("in_house", lang))
    if alloc.relaxed:
        view.insert(0, "x", chosen["x"])
    view["tco"] = view["tco"].map(lambda v: fmt_money(v, lang, cur))
    out(table(view, "{:.3f}"))
    budget = problem.budget
    out("")
    out(m("totals", lang, value=fmt_number(alloc.total_value, lang, 3), tco=fmt_money(alloc.total_cost, lang, cur))
        + (m("of_budget", lang, budget=fmt_money(budget, lang, cur)) if budget is not None else ""))
    sme = "-" if alloc.sme_share != alloc.sme_share else fmt_pct(alloc.sme_share, lang)
    out(m("exit_sme", lang, exit=fmt_money(alloc.exit_cost, lang, cur), sme=sme))
    out("")
    out(m("spend_heading", lang))
    for sup, v in alloc.spend_by_supplier.items():
        share = v / alloc.supplier_spend if alloc.supplier_spend else float("nan")
        out(f"  {sup}: {fmt_money(v, lang, cur)} ({fmt_pct(share, lang)})")
    rules = alloc.rules
    if len(rules):
        out("")
        out(m("rules_heading", lang))
        money = {"budget", "max_exit_cost"}
        limiting = set(alloc.limiting_rules)
        for r, row in rules.iterrows():
            price = alloc.price_of_rules.get(r)
            fmt = ((lambda v: fmt_money(v, lang, cur)) if r in money or str(r).startswith("yearly")
                   else (lambda v: fmt_number(v, lang, 4).rstrip("0").rstrip(",.")))
            out(m("rule_line", lang, rule=r, limit=fmt(row["limit"]), actual=fmt(row["actual"]))
                + (m("binding", lang) if row["binding"] else "")
                + (m("limiting", lang) if not row["binding"] and r in limiting else "")
                + (m("price", lang, price=fmt_number(price, lang, 4)) if price is not None else ""))
    if alloc.budget_dual is not None:
        out(m("budget_dual", lang, dual=f"{alloc.budget_dual:.3g}", currency=cur))
    if front is not None:
        out("")
        out(m("frontier_heading", lang))
        f = front.to_frame()
        cols = [c for c in ("budget", "status", "value", "tco", "chosen") if c in f.columns]
        view = f[cols].copy()
        for col in ("budget", "tco"):
            view[col] = view[col].map(lambda v: "-" if v != v else fmt_money(v, lang, cur))
        view["value"] = view["value"].map(lambda v: "-" if v != v else fmt_number(v, lang, 3))
        out(table(view))
        ok = f[f["status"] == "optimal"]
        top = ok[ok["value"] >= ok["value"].max() - 1e-9 * max(1.0, abs(ok["value"].max()))] if len(ok) else ok
        if len(top) > 1:
            out(m("value_plateau", lang, tco=fmt_money(float(top["tco"].min()), lang, cur)))
    if scen is not None:
        out("")
        out(m("scenarios_heading", lang))
        cols = [c for c in ("status", "value", "tco", "suppliers", "sme_share", "exit_cost", "chosen",
                            "value_without_rules", "tco_without_rules") if c in scen.columns]
        view = scen[cols].copy()
        if "value_without_rules" in view:
            view["value_without_rules"] = view["value_without_rules"].map(
                lambda v: "-" if v != v else fmt_number(v, lang, 3))
            view["tco_without_rules"] = view["tco_without_rules"].map(
                lambda v: "-" if v != v else fmt_money(v, lang, cur))
        for col in ("tco", "exit_cost"):
            view[col] = view[col].map(lambda v: "-" if v != v else fmt_money(v, lang, cur))
        view["value"] = view["value"].map(lambda v: "-" if v != v else fmt_number(v, lang, 3))
        view["sme_share"] = view["sme_share"].map(lambda v: "-" if v != v else fmt_pct(v, lang))
        out(table(view))
    return code


def _configure_allocate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--budget", type=amount, help="budget (TCO, NPV) instead of the model's")
    p.add_argument("--frontier", action="store_true", help="value against budget over a range of budgets")
    p.add_argument("--points", type=count(2), default=12, help="budget points on the frontier (default 12)")
    p.add_argument("--scenarios", action="store_true",
                   help="compare forced scenarios: monolithic vs modular, open source vs commercial, make vs buy, ...")
    p.add_argument("--relax", action="store_true", help="solve the LP relaxation (fractional choices)")
    p.add_argument("--solver", choices=["highs", "cbc"], default="highs", help="MILP solver (default highs)")
    p.add_argument("--time-limit", type=amount, default=60, dest="time_limit", help="seconds (default 60)")


cmd_allocate.configure = _configure_allocate  # type: ignore[attr-defined]


@command("review", "the strategy review: the seed's evaluation questions, key components and trade-offs",
         "decide review models/dataplatform.yaml --lang nl")
def cmd_review(args: argparse.Namespace) -> int:
    from decide.review import format_review, review

    model = load(args)
    lang = lang_of(args, model)
    r = review(model, lang=lang)
    if args.json:
        emit_json(r.to_dict(lang))
    else:
        out(format_review(r, lang))
    return EXIT_OK


@command("report", "the full report: xlsx, csv, json, md and html, in Dutch or English",
         "decide report models/zaaksysteem.yaml --out out/zaaksysteem --lang en --format xlsx,html")
def cmd_report(args: argparse.Namespace) -> int:
    from decide.facade import analyse
    from decide.report import preflight, write_report

    model = load(args)
    lang = lang_of(args, model)
    formats = args.format
    preflight(model, args.out, formats, lang, args.force)  # fail before the slow part
    progress = Progress("SMAA", lang=lang)
    samples = smaa_samples(args, model, lang)
    with Heartbeat(progress, "stage_analysis"):
        analysis = analyse(model, samples=samples, seed=args.seed, progress=progress)
    with Heartbeat(progress, "stage_report"):
        paths = write_report(analysis, args.out, formats=formats, lang=lang, force=args.force,
                             csv_dialect=args.csv_dialect)
    if args.json:
        emit_json({"out": str(args.out), "files": [str(p) for p in paths], "language": lang})
    else:
        out(m("files_written", lang, n=len(paths), out=args.out, lang=lang))
        for p in paths:
            out(f"  {p}")
    return EXIT_OK


def _configure_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="output folder (created if needed)")
    p.add_argument("--format", default="xlsx,csv,json,md,html", help="comma-separated formats (default: all)")
    p.add_argument("--force", action="store_true", help="replace the files of an earlier report in --out")
    p.add_argument("--samples", type=count(0), help="SMAA samples (default: the model's)")
    p.add_argument("--seed", type=count(0), help="SMAA seed (default: the model's)")
    p.add_argument("--csv-dialect", choices=["excel-nl", "rfc4180"], dest="csv_dialect",
                   help="CSV: excel-nl (';', decimal comma) or rfc4180 (',', decimal point); "
                        "default by language: nl excel-nl, en rfc4180")


cmd_report.configure = _configure_report  # type: ignore[attr-defined]


@command("demo", "the main job on an example model: full report into out/ and the top recommendation",
         "decide demo models/zaaksysteem.yaml")
def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from decide.facade import analyse
    from decide.loader import load_model
    from decide.report import write_report

    model = load_model(args.model)
    lang = lang_of(args, model)
    other = "en" if lang == "nl" else "nl"
    analysis = analyse(model, samples=smaa_samples(args, model, lang), progress=Progress("SMAA", lang=lang))
    base = Path(args.out) / Path(args.model).stem
    written = {}
    for code in (lang, other):
        written[code] = write_report(analysis, base / code, lang=code, force=True)
    if args.json:
        emit_json({"files": {k: [str(p) for p in v] for k, v in written.items()},
                   "winner": analysis.winner(),
                   "portfolio": list(analysis.allocation.chosen) if analysis.allocation is not None
                   and analysis.allocation.has_solution else None})
        return EXIT_OK
    out(f"{model.name(lang)}")
    if analysis.ranking is not None:
        w = analysis.winner()
        out(m("demo_top", lang, method=analysis.ranking.method, label=analysis.label(w, lang)))
        if analysis.sensitivity is not None:
            out(analysis.sensitivity.text(lang))
    alloc = analysis.allocation
    if alloc is not None:
        if alloc.has_solution:
            names = ", ".join(analysis.label(i, lang) for i in alloc.chosen)
            out(m("demo_portfolio", lang, names=names, tco=fmt_money(alloc.total_cost, lang, model.currency)))
        else:
            out(m("demo_no_portfolio", lang, status=alloc.status.value))
    for code, paths in written.items():
        out(m("demo_report", lang, lang=code, path=base / code, n=len(paths)))
    return EXIT_OK


def _configure_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", default="models/zaaksysteem.yaml", metavar="MODEL",
                   help="model file (default models/zaaksysteem.yaml)")
    p.add_argument("--out", default="out", help="output folder (default out/)")


cmd_demo.configure = _configure_demo  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decide",
        description="Decision support for public-sector technology procurement.",
        epilog="Exit codes: 0 ok, 2 bad input (model file, arguments), 3 infeasible or unsolved optimisation.",
    )
    parser.add_argument("--version", action="version", version=f"decide {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (fn, help, example) in COMMANDS.items():
        p = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                           epilog=f"Example: {example}", formatter_class=argparse.RawDescriptionHelpFormatter)
        if name != "demo":
            p.add_argument("model", metavar="MODEL", help="a model file (YAML), e.g. models/zaaksysteem.yaml")
        p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
        p.add_argument("--lang", choices=["nl", "en"], help="language of labels and text (default: the model's)")
        configure = getattr(fn, "configure", None)
        if configure is not None:
            configure(p)
        p.set_defaults(func=fn)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.func(args)
    except DecideError as exc:
        sys.stderr.write(f"decide {args.command}: {exc}\n")
        if getattr(args, "json", False):  # machines reading stdout get the error too
            payload: dict[str, Any] = {"status": "error", "exit_code": exc.exit_code, "message": str(exc)}
            if isinstance(exc, ModelError):
                payload["problems"] = [{"code": p.code, "loc": p.loc, "line": p.line, "message": p.message}
                                       for p in exc.problems]
            emit_json(payload)
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
