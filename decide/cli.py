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

from decide._version import __version__
from decide.errors import DecideError, Message, ModelError, UsageError
from decide.i18n import catalogue, fmt_money, fmt_number, fmt_pct, t
from decide.render import LEFT, RIGHT, View, error_text, guess_language, parse_amount, render_table, render_wrapped

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
    pd = sys.modules.get("pandas")  # a pandas object exists only if pandas was imported
    if pd is not None and isinstance(obj, pd.Series):
        return _jsonable(obj.to_dict())
    if pd is not None and isinstance(obj, pd.DataFrame):
        return _jsonable(obj.to_dict(orient="index"))
    return obj


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(_jsonable(payload), indent=2, ensure_ascii=False) + "\n")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def m(key: str, lang: str, /, **kw: Any) -> str:
    """A CLI text from decide/messages/cli.yaml in the chosen language."""
    return t(f"cli.{key}", lang, **kw)


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


def view(args: argparse.Namespace, model, lang: str) -> View:
    """How this command shows ids, numbers and money (see decide.render)."""
    return View(lang, model.currency, model, ids=bool(getattr(args, "ids", False)))


def _check_method(args: argparse.Namespace, lang: str) -> None:
    """An unknown --method is refused in the user's language before any work."""
    if getattr(args, "method", None):
        from decide.ranking import get_method

        get_method(args.method, lang=lang)


def load(args: argparse.Namespace):
    from decide.loader import load_model

    return load_model(args.model, lang=getattr(args, "lang", None))


def analysis_of(model, lang: str, **settings: Any):
    """The one :class:`decide.analysis.Analysis` of a command: it computes every stage the
    command shows (the command only asks for them)."""
    from decide.analysis import Analysis

    return Analysis(model, lang=lang, **settings)


# --------------------------------------------------------------------------- commands
@command("validate", "check a model file and report every problem with its location",
         "decide validate models/zaaksysteem.yaml")
def cmd_validate(args: argparse.Namespace) -> int:
    from decide.loader import load_model

    try:
        model = load_model(args.model, lang=args.lang)
        if model.allocation is not None:
            from decide.value import needs_value_model, value_model

            if needs_value_model(model):
                value_model(model)  # reference levels for the portfolio's value model
    except ModelError as exc:
        if args.json:
            emit_json({"valid": False, "file": args.model, "problems": [
                {"code": p.code, "loc": p.loc, "line": p.line, "message": p.message} for p in exc.problems]})
            return EXIT_INPUT
        raise
    summary = model_summary(model)
    # found while loading: every option knocked out (the review and report say why), and
    # settings the model's other settings make irrelevant (decide.ignored)
    from decide.ignored import warning_dict
    from decide.render import with_lines

    lang = lang_of(args, model)
    warnings = with_lines(model.warnings)
    if args.json:
        emit_json({"valid": True, "file": args.model, "summary": summary,
                   "warnings": [warning_dict(w, lang) for w in warnings]})
    else:
        parts = [m("n_options", lang, n=summary["alternatives"]), m("n_criteria", lang, n=summary["criteria"])]
        if summary["weights"]:
            how = summary["weights"]
            if model.weights.method == "ahp" and model.weights.ahp is not None:
                how = m("ahp_participants", lang, n=len(model.weights.ahp.participants))
            parts.append(m("weights_part", lang, how=how))
        if summary["modules"] is not None:
            parts.append(m("allocation_part", lang, n=summary["modules"]))
        out(m("validate_ok", lang, file=args.model, parts=", ".join(parts)))
        for w in warnings:
            if w.code == "all-excluded":
                sys.stderr.write(m("validate_all_excluded", lang, file=args.model, n=w.params["n"]) + "\n")
                continue
            where = f"{args.model}:{w.line}" if w.line is not None else args.model
            sys.stderr.write(t("ignored.warning_line", lang, where=f"{where}: {w.loc}", text=w.text(lang),
                               code=w.code) + "\n")
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
    model = load(args)
    lang = lang_of(args, model)
    tco = analysis_of(model, lang).tco
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
    v = view(args, model, lang)
    h = model.horizon
    out(f"{model.name(lang)}")
    out(v.m("horizon", years=h.years, rate=v.pct(h.discount_rate, 2), currency=model.currency))
    out("")
    out(v.m("criteria"))
    depth = {None: -1}
    for parent, c in model.iter_criteria():
        depth[c.id] = depth[parent] + 1
        extra = f" [{v.enum('direction', c.direction)}]" if c.is_leaf else ""
        src = v.m("from_tco") if c.source == "tco" else ""
        out(f"  {'  ' * depth[c.id]}- {v.name(c.id)}{extra}{src}")
    out("")
    out(v.m("options"))
    out(render_table(
        [v.m("col_option"), v.m("col_supplier"), v.m("col_covers")],
        [(v.name(a.id), v.name(a.supplier) if a.supplier else v.m("in_house"), v.names(a.covers))
         for a in model.alternatives]))
    out("")
    out(v.m("tco_heading", years=h.years, currency=model.currency))
    cols = ["once", "integration", "yearly", "exit", "total"]
    out(render_table([v.m("col_option")] + [v.m(f"col_tco_{c}") for c in cols],
                     [(v.name(i), *[v.money(row[c]) for c in cols]) for i, row in tco.iterrows()],
                     [LEFT] + [RIGHT] * len(cols)))
    return EXIT_OK


@command("weights", "criteria weights with consistency per participant, consensus and repair hints",
         "decide weights models/zaaksysteem.yaml")
def cmd_weights(args: argparse.Namespace) -> int:
    model = load(args)
    lang = lang_of(args, model)
    d = analysis_of(model, lang).need("weights")
    if args.json:
        emit_json(d.to_dict(lang))
        return EXIT_OK
    v = view(args, model, lang)
    how = v.enum("weights", d.method)
    if d.method == "ahp":
        how = v.m("ahp_how", method=v.enum("ahp_method", model.weights.ahp.method), ri=d.ri_table,
                  aggregate=v.enum("aggregate", d.aggregate), max_cr=v.num(d.max_cr, 2))
    out(v.m("weights_heading", how=how))
    out(render_table([v.m("col_criterion"), v.m("col_weight")],
                     [(v.name(i), v.pct(w)) for i, w in d.weights.items()], [LEFT, RIGHT]))
    for note in d.notes:
        out(v.m("note", text=v.text(note.text(lang) if hasattr(note, "text") else str(note))))
    if d.method != "ahp":
        return EXIT_OK
    out("")
    out(v.m("cr_heading", max_cr=v.num(d.max_cr, 2)))
    groups = []
    for p in d.participants:
        for g in p.cr:
            if g not in groups:
                groups.append(g)
    out(render_table([v.m("col_participant")] + [v.m("top") if g in (None, "top") else v.name(g) for g in groups],
                     [(p.name, *[v.num(p.cr.get(g), 3) for g in groups]) for p in d.participants],
                     [LEFT] + [RIGHT] * len(groups)))
    if d.cr:
        out(v.m("group_cr", values=", ".join(f"{v.m('top') if g in (None, 'top') else v.name(g)} {v.num(x, 3)}"
                                              for g, x in d.cr.items())))
    for p in d.participants:
        for g, pairs in p.estimated.items():
            if pairs:
                txt = ", ".join(v.m("versus", a=v.name(a), b=v.name(b)) for a, b in pairs)
                out(v.m("estimated", name=p.name, pairs=txt))
    if d.consensus:
        out("")
        out(v.m("consensus_heading"))
        for g, c in d.consensus.items():
            dist = ", ".join(f"{k} {v.num(x, 3)}" for k, x in c.distance.items())
            band = t(f"weights.band_{c.band}", lang) if f"band_{c.band}" in catalogue("weights") else c.band
            out(v.m("consensus_line", group=v.m("top") if g in (None, "top") else v.name(g), value=v.pct(c.value, 0),
                    band=band, distance=dist))
    hints = d.hints(lang)
    if hints:
        out("")
        out(v.m("hints_heading"))
        for h in hints:
            out(render_wrapped(f"{h['participant']}: {h['text']}"))
    return EXIT_OK


@command("rank", "rank the options with the model's MCDA method (or another); --compare for all methods",
         "decide rank models/werkplek.yaml --compare")
def cmd_rank(args: argparse.Namespace) -> int:
    model = load(args)
    lang = lang_of(args, model)
    _check_method(args, lang)
    analysis = analysis_of(model, lang, method=args.method)
    r = analysis.need("ranking")
    comparison = analysis.need("comparison") if args.compare else None
    per_module = analysis.need("module_rankings")  # like with like: the options that cover each module
    if args.json:
        payload = r.to_dict(lang)
        if comparison is not None:
            payload["compare"] = comparison.to_dict()
        if per_module:
            payload["modules"] = {k: v.to_dict() for k, v in per_module.items()}
        emit_json(payload)
        return EXIT_OK
    v = view(args, model, lang)
    params = ", ".join(f"{v.enum('param', k)} {v.enum(k, x)}" for k, x in r.params.items())
    out(v.m("ranking_heading", title=model.name(lang), method=v.enum("method", r.method))
        + (f" ({params})" if params else ""))
    frame = r.to_frame(lang)
    higher = bool(r.ranking.higher_is_better)
    score_head = v.m("col_score_higher" if higher else "col_score_lower")
    out(render_table([v.m("col_rank"), v.m("col_option"), score_head],
                     [(v.int(row["rank"]), v.name(i), v.num(row["score"], 4)) for i, row in frame.iterrows()],
                     [RIGHT, LEFT, RIGHT]))
    details = r.ranking.details
    if "compromise" in details:
        names = v.names(details["compromise"])
        out(v.m("compromise", names=names, c1=v.yes_no(details.get("acceptable_advantage")),
                c2=v.yes_no(details.get("acceptable_stability"))))
    for e in r.excluded(lang):
        out(v.m("excluded", id=v.name(e["id"]), reason=e["reason"]))
    for note in getattr(r.ranking, "notes", ()):
        out(render_wrapped(v.m("note", text=v.text(note)), indent=""))
    if per_module:
        out("")
        out(render_wrapped(v.m("modules_heading"), indent=""))
        for mod, mr in per_module.items():
            order = sorted(zip(mr.ranks, mr.ids))
            out(render_wrapped(f"{v.name(mod)}: " + ", ".join(f"{k}. {v.name(i)}" for k, i in order)))
    if comparison is not None:
        out("")
        out(v.m("comparison_heading"))
        cf = comparison.to_frame()
        methods = list(comparison.methods)
        out(render_table([v.m("col_option")] + [v.enum("method", x) for x in methods] + [v.m("col_consensus")],
                         [(v.name(i), *[v.int(row[x]) for x in methods], v.int(row.iloc[-1]))
                          for i, row in cf.iterrows()],
                         [LEFT] + [RIGHT] * (len(methods) + 1)))
        main_method = comparison.methods[0] if comparison.methods else r.method
        if r.method in comparison.ws.index:
            main_method = r.method
        out("")
        out(v.m("agreement_heading", method=v.enum("method", main_method)))
        others = [x for x in comparison.methods if x != main_method]
        out(render_table([v.m("col_method"), "r_w", "WS"],
                         [(v.enum("method", x), v.num(comparison.rw.at[main_method, x], 3),
                           v.num(comparison.ws.at[main_method, x], 3)) for x in others],
                         [LEFT, RIGHT, RIGHT]))
        seen = {str(n) for n in getattr(r.ranking, "notes", ())}
        notes = list(comparison.notes)
        if notes:  # the last note names the winners by id; say it with labels instead
            notes[-1] = comparison.winner_note(lang, labels=None if v.ids else v.labels,
                                               method_names={x: v.enum("method", x) for x in comparison.methods})
        for note in notes:
            if str(note) not in seen:
                out(render_wrapped(v.m("note", text=v.text(note)), indent=""))
    return EXIT_OK


def _configure_rank(p: argparse.ArgumentParser) -> None:
    from decide.ranking import methods as _methods

    names = ", ".join(_methods())
    p.add_argument("--method", help=f"ranking method (default: the model's): {names}")
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
            raise UsageError("cli.option_above_limit", option=option, value=value,
                             limit={lg: fmt_number(limit, lg, 0) for lg in ("nl", "en")},
                             why=Message(f"loader.{why}", limit=limit))
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
    from decide.sensitivity.smaa import CONFIDENCE_MIN_FIRST

    model = load(args)
    lang = lang_of(args, model)
    _check_method(args, lang)
    analysis = analysis_of(model, lang, method=args.method, samples=smaa_samples(args, model, lang), seed=args.seed,
                           progress=Progress("SMAA", lang=lang))
    ranked = analysis.need("ranking")
    sens = analysis.need("sensitivity")
    reversal = analysis.need("reversal") if args.reversal else None
    if args.json:
        payload = sens.to_dict(lang)
        if reversal is not None:
            payload["rank_reversal"] = reversal.to_dict()
        emit_json(payload)
        return EXIT_OK
    v = view(args, model, lang)
    out(v.m("sensitivity_heading", title=model.name(lang), method=v.enum("method", ranked.method)))
    out(render_wrapped(sens.text(lang), indent=""))
    out("")
    out(v.m("stability_heading"))
    st = sens.stability.to_frame()
    out(render_table(
        [v.m("col_criterion"), v.m("col_weight"), v.m("col_top_low"), v.m("col_top_high"), v.m("col_taker_low"),
         v.m("col_taker_high"), v.m("col_rank_low"), v.m("col_rank_high")],
        [(v.name(row["criterion"]), v.pct(row["weight"]), v.pct(row["top_low"]), v.pct(row["top_high"]),
          v.name(row["top_taker_low"]) if isinstance(row["top_taker_low"], str) else "-",
          v.name(row["top_taker_high"]) if isinstance(row["top_taker_high"], str) else "-",
          v.pct(row["rank_low"]), v.pct(row["rank_high"])) for _, row in st.iterrows()],
        [LEFT, RIGHT, RIGHT, RIGHT, LEFT, LEFT, RIGHT, RIGHT]))
    if sens.smaa is not None:
        sm = sens.smaa
        out("")
        sampled = (v.m("smaa_uniform") if model.sensitivity.weights == "uniform"
                   else v.m("smaa_around", k=v.num(model.sensitivity.concentration, 0)))
        out(v.m("smaa_heading", samples=v.int(sm.samples), seed=sm.seed, weights=sampled))
        acc = sm.acceptability
        conf = sm.reported_confidence()
        out(v.m("acceptability_heading"))
        ranks = list(acc.columns)
        out(render_table([v.m("col_option")] + [v.m("col_rank_n", n=k) for k in ranks] + [v.m("col_confidence")],
                         [(v.name(i), *[v.pct(acc.at[i, k]) for k in ranks], v.pct(conf.get(i)))
                          for i in acc.index],
                         [LEFT] + [RIGHT] * (len(ranks) + 1)))
        out(render_wrapped(v.m("confidence_note", threshold=v.pct(CONFIDENCE_MIN_FIRST, 0)), indent=""))
    if reversal is not None:
        out("")
        out(v.m("reversal_heading"))
        for line in reversal.summary(lang, labels=None if v.ids else v.labels):
            out(render_wrapped(line))
    return EXIT_OK


def _configure_sensitivity(p: argparse.ArgumentParser) -> None:
    p.add_argument("--samples", type=count(0), help="SMAA samples (default: the model's, usually 10 000; 0 skips SMAA)")
    p.add_argument("--seed", type=count(0), help="random seed (default: the model's)")
    p.add_argument("--method", help="ranking method (default: the model's)")
    p.add_argument("--reversal", action="store_true",
                   help="also probe rank reversal per method (remove each option; add a dominated copy)")


cmd_sensitivity.configure = _configure_sensitivity  # type: ignore[attr-defined]


@command("allocate", "the best portfolio under the budget and supplier rules (MILP, HiGHS or CBC)",
         "decide allocate models/zaaksysteem.yaml --budget 1500000 --frontier")
def cmd_allocate(args: argparse.Namespace) -> int:
    model = load(args)
    lang = lang_of(args, model)
    if args.budget is not None and not isinstance(args.budget, float):
        try:
            args.budget = parse_amount(args.budget, lang)
        except ValueError:
            raise UsageError("cli.bad_amount", option="--budget", got=args.budget) from None
        if not math.isfinite(args.budget) or args.budget < 0:
            raise UsageError("cli.bad_amount", option="--budget", got=args.budget)
    analysis = analysis_of(model, lang, budget=args.budget, solver=args.solver, relax=args.relax,
                           time_limit=args.time_limit, frontier_points=args.points, portfolio_samples=args.samples,
                           seed=args.seed)
    if args.export:
        _export_target(args.export, args.force)  # a bad target is refused before any solving
    problem = analysis.need("problem")
    if args.export:
        _export_model(args.export, problem, lang, args.force)
    alloc = analysis.need("allocation")
    front = analysis.need("frontier") if alloc.has_solution and args.frontier else None
    scen = analysis.need("scenarios") if args.scenarios else None
    robust = analysis.need("portfolio_robustness") if args.robustness and alloc.has_solution else None
    code = EXIT_OK if alloc.status.is_ok else EXIT_SOLVE
    if args.json:
        payload = alloc.to_dict(lang)
        payload["option_values"] = {k: float(v) for k, v in analysis.need("option_values").items()}
        payload["value_model"] = analysis.value_model.to_dict() if model.criteria else {"method": "explicit"}
        if front is not None:
            payload["frontier"] = front.to_dict() if hasattr(front, "to_dict") else front.to_frame()
        if scen is not None:
            payload["scenarios"] = scen
        if robust is not None:
            payload["robustness"] = robust.to_dict()
        emit_json(payload)
        return code
    v = view(args, model, lang)
    status = v.enum("status", alloc.status.value)
    if not alloc.has_solution:
        out(v.m("no_portfolio", title=model.name(lang), status=status))
        out(alloc.explanation_text(lang))
        return code
    kind = v.m("relaxed") if alloc.relaxed else v.m("status", status=status)
    out(v.m("portfolio_heading", title=model.name(lang), kind=kind, solver=alloc.solver))
    chosen = alloc.to_frame()
    headers = [v.m("col_option"), v.m("col_supplier"), v.m("col_value"), v.m("col_tco")]
    rows = []
    for i, row in chosen.iterrows():
        sup = v.name(row["supplier"]) if isinstance(row["supplier"], str) else v.m("in_house")
        cells = [v.name(i), sup, v.num(row["value"], 3), v.money(row["tco"])]
        if alloc.relaxed:
            cells.insert(0, v.num(row["x"], 3))
        rows.append(cells)
    align = [LEFT, LEFT, RIGHT, RIGHT]
    if alloc.relaxed:
        headers.insert(0, v.m("col_share_chosen"))
        align.insert(0, RIGHT)
    out(render_table(headers, rows, align))
    budget = problem.budget
    out("")
    out(v.m("totals", value=v.num(alloc.total_value, 3), tco=v.money(alloc.total_cost))
        + (v.m("of_budget", budget=v.money(budget)) if budget is not None else ""))
    base = t(f"portfolio.share_base_{problem.rules.share_base}", lang)
    out(v.m("exit_sme_base", exit=v.money(alloc.exit_cost), sme=v.pct(alloc.sme_share), base=base))
    out("")
    out(v.m("spend_heading_base", base=base))
    out(render_table([v.m("col_supplier"), v.m("col_spend"), v.m("col_share")],
                     [(v.name(s), v.money(x), v.pct(x / alloc.share_base_spend if alloc.share_base_spend else None))
                      for s, x in alloc.spend_by_supplier.items()], [LEFT, RIGHT, RIGHT]))
    rules = alloc.rules
    if len(rules):
        out("")
        out(v.m("rules_heading_verdict"))
        money = {"budget", "max_exit_cost"}
        shares = {"max_supplier_share", "min_sme_share"}
        rrows, verdicts = [], []
        for r, row in rules.iterrows():
            if r in money or str(r).startswith("yearly"):
                fmt = v.money
            elif r in shares:
                fmt = v.pct
            else:
                fmt = lambda x: v.num(x, 4).rstrip("0").rstrip(",.")  # noqa: E731
            name = v.enum("rule", r) + (v.m("share_rule_base", base=base) if r in shares else "")
            rrows.append((name, fmt(row["limit"]), fmt(row["actual"])))
            verdict = alloc.verdict(r)
            if verdict is not None:
                verdicts.append(verdict.text(lang))
        out(render_table([v.m("col_rule"), v.m("col_limit"), v.m("col_actual")], rrows, [LEFT, RIGHT, RIGHT]))
        for text in verdicts:
            out(render_wrapped(v.text(text)))
    if alloc.budget_dual is not None:
        out(v.m("budget_dual", dual=v.num(alloc.budget_dual, 6), currency=model.currency))
    if front is not None:
        out("")
        out(v.m("frontier_heading"))
        f = front.to_frame()
        out(render_table(
            [v.m("col_budget"), v.m("col_status"), v.m("col_value"), v.m("col_tco"), v.m("col_chosen")],
            [(v.money(row["budget"]), v.enum("status", row["status"]), v.num(row["value"], 3), v.money(row["tco"]),
              v.names(row["chosen"]) if isinstance(row.get("chosen"), (tuple, list)) else "-")
             for _, row in f.iterrows()],
            [RIGHT, LEFT, RIGHT, RIGHT, LEFT]))
        ok = f[f["status"] == "optimal"]
        top = ok[ok["value"] >= ok["value"].max() - 1e-9 * max(1.0, abs(ok["value"].max()))] if len(ok) else ok
        if len(top) > 1:
            out(v.m("value_plateau", tco=v.money(float(top["tco"].min()))))
    if robust is not None:
        out("")
        out(render_wrapped(robust.text(lang), indent=""))
        inc = robust.inclusion.sort_values(ascending=False)
        out(render_table([v.m("col_option"), v.m("col_inclusion")],
                         [(v.name(i), v.pct(p)) for i, p in inc.items()], [LEFT, RIGHT]))
    if scen is not None:
        from decide.portfolio.scenario_runs import scenario_note

        out("")
        out(v.m("scenarios_heading"))
        with_rules = "value_without_rules" in scen.columns
        headers = [v.m("col_scenario"), v.m("col_status"), v.m("col_value"), v.m("col_tco"), v.m("col_n_suppliers"),
                   v.m("col_sme_share"), v.m("col_exit"), v.m("col_chosen")]
        align = [LEFT, LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, LEFT]
        if with_rules:
            headers += [v.m("col_value_without_rules"), v.m("col_tco_without_rules")]
            align += [RIGHT, RIGHT]
        rows = []
        notes = []
        for name, row in scen.iterrows():
            scen_label = _scenario_label(str(name), row, lang)
            cells = [scen_label, v.enum("status", row["status"]), v.num(row["value"], 3), v.money(row["tco"]),
                     v.int(row["suppliers"]) if row["status"] == "optimal" else "-", v.pct(row["sme_share"]),
                     v.money(row["exit_cost"]), v.names(row["chosen"])]
            if with_rules:
                cells += [v.num(row.get("value_without_rules"), 3), v.money(row.get("tco_without_rules"))]
            rows.append(cells)
            note = scenario_note(scen, name, lang)
            if note:
                notes.append((scen_label, note))
        out(render_table(headers, rows, align))
        for label_, note in notes:
            out(render_wrapped(f"{label_}: {note}"))
    return code


def _export_target(target: str, force: bool):
    """Check ``--export FILE`` before any work: its suffix names the format, a folder is refused,
    and an existing file only with ``--force``. Returns the format and the refusal the final
    move repeats when the file appears meanwhile (None with ``--force``)."""
    from pathlib import Path

    from decide.portfolio.export import format_of
    from decide.report.safe_io import check_file

    fmt = format_of(target)
    if fmt is None:
        raise UsageError("cli.export_suffix", path=target)
    return fmt, check_file(Path(target), force, Message("cli.export_exists", path=target),
                           Message("cli.export_is_folder", path=target))


def _export_model(target: str, problem, lang: str, force: bool) -> None:
    """Write the portfolio MILP as an LP or MPS file (by its suffix), for another solver."""
    from pathlib import Path

    from decide.portfolio.export import model_text
    from decide.report.safe_io import atomic_write

    fmt, refusal = _export_target(target, force)
    path = atomic_write(Path(target), model_text(problem, fmt).encode("utf-8"), if_exists=refusal)
    sys.stderr.write(m("exported", lang, path=str(path), fmt=fmt.upper()) + "\n")


def _scenario_label(name: str, row, lang: str) -> str:
    """A scenario's name in ``lang`` (``only open source``), whatever language it was computed in."""
    if name == "free":
        return t("portfolio.scenario_free", lang)
    if name.startswith("only_"):
        tag = name[len("only_"):]
        shown = t(f"report.tag.{tag}", lang) if f"tag.{tag}" in catalogue("report") else tag
        return t("portfolio.scenario_only", lang, tag=shown)
    return str(row.get("label", name))


def _configure_allocate(p: argparse.ArgumentParser) -> None:
    p.add_argument("--export", metavar="FILE",
                   help="also write the model as FILE.lp or FILE.mps, for another solver (e.g. CBC)")
    p.add_argument("--force", action="store_true", help="--export: replace an existing FILE")
    p.add_argument("--budget", help="budget (TCO, NPV) instead of the model's: 1500000, or 1.500.000 in Dutch")
    p.add_argument("--frontier", action="store_true", help="value against budget over a range of budgets")
    p.add_argument("--points", type=count(2), default=12, help="budget points on the frontier (default 12)")
    p.add_argument("--scenarios", action="store_true",
                   help="compare forced scenarios: monolithic vs modular, open source vs commercial, make vs buy, ...")
    p.add_argument("--relax", action="store_true", help="solve the LP relaxation (fractional choices)")
    p.add_argument("--solver", choices=["highs", "cbc"], default="highs", help="MILP solver (default highs)")
    p.add_argument("--time-limit", type=amount, default=60, dest="time_limit", help="seconds (default 60)")
    p.add_argument("--robustness", action="store_true",
                   help="re-solve for sampled weights, uncertain scores and costs: inclusion probability per option")
    p.add_argument("--samples", type=count(1), help="robustness samples (default: the model's sensitivity.samples)")
    p.add_argument("--seed", type=count(0), help="robustness seed (default: the model's sensitivity.seed)")


cmd_allocate.configure = _configure_allocate  # type: ignore[attr-defined]


@command("review", "the strategy review: the procurement guide's evaluation questions, key components, trade-offs, best practices and challenges",
         "decide review models/dataplatform.yaml --lang nl")
def cmd_review(args: argparse.Namespace) -> int:
    from decide.review import format_review

    model = load(args)
    lang = lang_of(args, model)
    r = analysis_of(model, lang).need("review")
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
        analysis = analyse(model, samples=samples, seed=args.seed, progress=progress, **award_settings(args))
    with Heartbeat(progress, "stage_report"):
        paths = write_report(analysis, args.out, formats=formats, lang=lang, force=args.force,
                             csv_dialect=args.csv_dialect)
    if args.json:
        emit_json({"out": str(args.out), "files": [str(p) for p in paths], "language": lang})
    else:
        out(m("files_written", lang, n=len(paths), out=args.out, lang=t(f"cli.enum_lang_{lang}", lang)))
        for p in paths:
            out(f"  {p}")
    return EXIT_OK


def _configure_report(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, help="output folder (created if needed)")
    p.add_argument("--format", default="xlsx,csv,json,md,html", help="comma-separated formats (default: all)")
    p.add_argument("--force", action="store_true", help="replace the files of an earlier report in --out")
    p.add_argument("--samples", type=count(0), help="SMAA samples (default: the model's)")
    p.add_argument("--seed", type=count(0), help="seed of SMAA, the portfolio robustness and the award simulation "
                   "(default: the model's)")
    award_flags(p)
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
    v = view(args, model, lang)
    out(f"{model.name(lang)}")
    alloc = analysis.allocation
    if alloc is not None:  # the recommended portfolio is the headline
        if alloc.has_solution:
            out(v.m("demo_portfolio", names=v.names(alloc.chosen), tco=v.money(alloc.total_cost)))
            for text in analysis.module_texts(lang):
                out(render_wrapped(v.text(text)))
        else:
            out(v.m("demo_no_portfolio", status=v.enum("status", alloc.status.value)))
    if analysis.ranking is not None and not analysis.module_notes:
        w = analysis.winner()
        out(v.m("demo_top", method=v.enum("method", analysis.ranking.method), label=v.name(w)))
        if analysis.sensitivity is not None:
            out(render_wrapped(analysis.sensitivity.text(lang), indent=""))
    for code, paths in written.items():
        html = next((p for p in paths if str(p).endswith(".html")), None)
        out(v.m("demo_report", lang=v.enum("lang", code), path=base / code, n=len(paths)))
        if html is not None:
            out(v.m("demo_open", path=html))
    return EXIT_OK


def _configure_demo(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", default="models/zaaksysteem.yaml", metavar="MODEL",
                   help="model file (default models/zaaksysteem.yaml)")
    p.add_argument("--out", default="out", help="output folder (default out/)")


cmd_demo.configure = _configure_demo  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- award
@command("award", "award formula: bids evaluated with every intermediate number, rank paradox, formulas simulated",
         "decide award models/werkplek.yaml --lang en")
def cmd_award(args: argparse.Namespace) -> int:
    from decide.award import format_award

    model = load(args)
    lang = lang_of(args, model)
    # the analysis' award_design is its award stage, and also there without an award section
    result = analysis_of(model, lang, seed=args.seed, **award_settings(args)).need("award_design")
    if args.json:
        emit_json(result.to_dict(lang))
    else:
        out(format_award(result, lang).rstrip("\n"))
    return EXIT_OK


def _fraction(text: str) -> float:
    """An argparse type: a number from 0 to 1 (a spread or a price share)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (math.isfinite(value) and 0.0 <= value <= 1.0):
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1 such as 0.1, got {text!r}")
    return value


def _shares(text: str) -> list[float]:
    """An argparse type: comma-separated price shares, each strictly between 0 and 1."""
    out_: list[float] = []
    for part in text.split(","):
        value = _fraction(part.strip())
        if not 0.0 < value < 1.0:
            raise argparse.ArgumentTypeError(f"expected price shares strictly between 0 and 1 such as 0.3,0.5, got {text!r}")
        out_.append(value)
    return out_


def award_flags(p: argparse.ArgumentParser) -> None:
    """The award simulation's flags (``decide award`` and ``decide report``; the seed is each command's own)."""
    p.add_argument("--tenders", type=count(1), help="simulated tenders of the award simulation (default 2000)")
    p.add_argument("--price-spread", type=_fraction, dest="price_spread",
                   help="award simulation: coefficient of variation of bid prices (default 0.10)")
    p.add_argument("--quality-spread", type=_fraction, dest="quality_spread",
                   help="award simulation: standard deviation of quality fractions (default 0.10)")
    p.add_argument("--splits", type=_shares, help="award simulation: price shares to compare, e.g. 0.3,0.5 "
                   "(default: the strategy's weights and the award section's)")
    p.add_argument("--no-simulation", action="store_true", dest="no_simulation",
                   help="no award simulation: only evaluate the bids")


def award_settings(args: argparse.Namespace) -> dict[str, Any]:
    """The flags of :func:`award_flags` as the analysis' award settings (a flag not given: the library's default)."""
    return {"award_tenders": args.tenders, "award_price_spread": args.price_spread,
            "award_quality_spread": args.quality_spread, "award_splits": args.splits,
            "award_simulation": not args.no_simulation}


def _configure_award(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=count(0), help="simulation seed (default: the model's sensitivity seed)")
    award_flags(p)


cmd_award.configure = _configure_award  # type: ignore[attr-defined]
# --------------------------------------------------------------------------- Excel: workbook, import, score sheets
def _arguments(configure):
    """Under ``@command``: the command declares all its own arguments, positionals included, with
    ``configure(parser)`` (the parser adds ``--json``, ``--lang`` and ``--ids`` to every command)."""

    def attach(fn):
        fn.configure, fn.own_positional = configure, True
        return fn

    return attach


def _configure_workbook(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", metavar="MODEL", help="a model file (YAML); leave out with --template")
    p.add_argument("--out", required=True, help="the workbook to write (.xlsx)")
    p.add_argument("--template", action="store_true", help="a new model to fill in, in --lang (default nl)")
    p.add_argument("--force", action="store_true", help="replace an existing file")


@command("workbook", "the model as an Excel workbook to edit (--template: a new model to fill in)",
         "decide workbook models/zaaksysteem.yaml --out zaaksysteem.xlsx")
@_arguments(_configure_workbook)
def cmd_workbook(args: argparse.Namespace) -> int:
    from decide.loader import load_model
    from decide.workbook import write_workbook

    lang = args.lang or (load_model(args.model).language if args.model and not args.template else "nl")
    template = lang if args.template else None
    path = write_workbook(args.out, None if args.template else args.model, template=template, force=args.force,
                          lang=args.lang)
    if args.json:
        emit_json({"out": str(path), "template": bool(args.template)})
    else:
        out(t("workbook.template_written", lang, path=path) if args.template
            else t("workbook.written", lang, path=path, source=args.model))
    return EXIT_OK


def _configure_import(p: argparse.ArgumentParser) -> None:
    p.add_argument("workbook", metavar="WORKBOOK", help="a model workbook (.xlsx) from 'decide workbook'")
    p.add_argument("--out", help="the model file to write (.yaml); without it the workbook is only checked")
    p.add_argument("--force", action="store_true", help="replace an existing file")


@command("import", "read a model workbook back: every problem with its sheet and cell; --out writes the model file",
         "decide import zaaksysteem.xlsx --out zaaksysteem.yaml")
@_arguments(_configure_import)
def cmd_import(args: argparse.Namespace) -> int:
    from decide.workbook import import_workbook, write_model_yaml

    try:
        model, data = import_workbook(args.workbook, args.lang)
    except ModelError as exc:
        if args.json:
            emit_json({"valid": False, "file": args.workbook, "problems": [
                {"code": p.code, "place": p.file, "loc": p.loc, "message": p.message} for p in exc.problems]})
            return EXIT_INPUT
        raise
    lang = lang_of(args, model)
    written = write_model_yaml(data, args.out, source=args.workbook, force=args.force, lang=lang) if args.out else None
    summary = model_summary(model)
    if args.json:
        emit_json({"valid": True, "file": args.workbook, "out": str(written) if written else None, "summary": summary})
    else:
        parts = ", ".join([m("n_options", lang, n=summary["alternatives"]), m("n_criteria", lang, n=summary["criteria"])])
        if written:
            out(t("workbook.imported", lang, path=written, source=args.workbook, parts=parts))
        else:
            out(m("validate_ok", lang, file=args.workbook, parts=parts))
    return EXIT_OK


def _configure_scoresheet(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", nargs="+", metavar="MODEL | collect DIR",
                   help="a model file to write sheets for, or 'collect' and the folder of filled-in sheets")
    p.add_argument("--evaluators", help="comma-separated names, one sheet each (default: the model's evaluators)")
    p.add_argument("--out", help="folder for the score sheets")
    p.add_argument("--force", action="store_true", help="replace existing score sheets")
    p.add_argument("--model", help="collect: the model file (default: the one the sheets name)")
    p.add_argument("--store", help="collect: the workshop store (default: beside the model)")


@command("scoresheet", "evaluators' score sheets: one workbook per evaluator; 'collect DIR' reads them into the workshop",
         "decide scoresheet models/zaaksysteem.yaml --evaluators \"Jansen,De Vries,Bakker\" --out scores")
@_arguments(_configure_scoresheet)
def cmd_scoresheet(args: argparse.Namespace) -> int:
    from decide.loader import load_model
    from decide.workbook.scoresheet import collect_scoresheets, write_scoresheets

    if args.target[0] == "collect":
        if len(args.target) != 2:
            raise UsageError("workbook.usage_collect")
        got = collect_scoresheets(args.target[1], model=args.model, store=args.store, lang=args.lang)
        lang = args.lang or got.lang
        if args.json:
            emit_json({"store": str(got.store), "evaluators": list(got.evaluators), "recorded": got.recorded,
                       "problems": [{"code": p.code, "place": p.file, "message": p.message} for p in got.problems],
                       "missing": [{"place": p.file, "message": p.message} for p in got.missing],
                       "unmotivated": [{"place": p.file, "message": p.message} for p in got.unmotivated],
                       "spread": got.spread.to_dict(orient="records")})
        else:
            out(t("workbook.collected", lang, n=got.recorded, people=len(got.evaluators), store=got.store))
            located = list(got.problems) + list(got.missing) + list(got.unmotivated)
            if located:
                out(t("workbook.problems_heading", lang, n=len(located)))
                for p in located:
                    out(f"  {p.file}: {p.message} [{p.code}]")
            if not got.spread.empty:
                from decide.store import plan
                from decide.workbook.scoresheet import scoring_model
                from decide.workshop.collect import score_spread_section

                # labels and level names need the model: the one given, else ids and numbers
                model = scoring_model(load_model(args.model), list(got.evaluators)) if args.model else None
                sec = score_spread_section(got.spread, plan(model).scales if model else {},
                                           view(args, model, lang) if model else View(lang, ids=bool(args.ids)),
                                           t("workbook.spread_heading", lang))
                out("\n" + sec.title + "\n" + render_table(sec.headers, sec.rows, sec.align))
        return EXIT_INPUT if got.problems else EXIT_OK
    if len(args.target) != 1:
        raise UsageError("workbook.usage_scoresheet")
    model = load_model(args.target[0])
    lang = lang_of(args, model)
    if not args.out:
        raise UsageError("workbook.usage_scoresheet")
    evaluators = [e for e in (args.evaluators or "").split(",") if e.strip()]
    paths = write_scoresheets(model, args.out, evaluators, lang=lang, force=args.force)
    if args.json:
        emit_json({"out": str(args.out), "files": [str(p) for p in paths]})
    else:
        out(t("workbook.sheets_written", lang, n=len(paths), dir=args.out))
        for p in paths:
            out(f"  {p}")
        if model.workshop is None or model.workshop.scoring is None:
            out(t("workbook.scoring_note", lang))
    return EXIT_OK


# --------------------------------------------------------------------------- workshop
def _configure_workshop(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["serve", "status", "export"], help="serve the workshop, show its progress, "
                   "or export the collected input into a model file")
    p.add_argument("model", metavar="MODEL", help="a model file (YAML), e.g. models/werkplek.yaml")
    p.add_argument("--store", help="the workshop's SQLite file (default: MODEL's name + .workshop.sqlite)")
    p.add_argument("--host", default="127.0.0.1", help="serve: address to bind (default 127.0.0.1: this computer only)")
    p.add_argument("--port", type=count(0), default=8765, help="serve: port (default 8765; 0 picks a free one)")
    p.add_argument("--participant", action="append", help="serve: a participant's name (repeat; default: the model's)")
    p.add_argument("--new-links", action="store_true", help="serve: issue new links (the old ones stop working)")
    p.add_argument("--revoke", action="append", metavar="NAME", help="revoke NAME's link (403 from now on; "
                   "their input stays); repeat for several")
    p.add_argument("--out", help="export: the file to write (default: MODEL's name + .workshop.yaml)")
    p.add_argument("--force", action="store_true", help="export: replace an existing file")
    p.add_argument("--scores", choices=["agreed", "range", "triangular"], default="agreed",
                   help="export: committee scores as the agreed value, or their spread as an uncertain score")
    p.add_argument("--top", type=count(1), default=5, help="status: how many widest-spread pairs and scores")


@command("workshop", "a workshop with every participant's own input: serve (browser), status, export",
         "decide workshop status models/werkplek.yaml")
@_arguments(_configure_workshop)
def cmd_workshop(args: argparse.Namespace) -> int:
    from pathlib import Path

    from decide.store import WorkshopStore, store_path
    from decide.workshop import collect

    model = load(args)
    lang = lang_of(args, model)
    where = Path(args.store) if args.store else store_path(model.path)
    if args.action == "status" and not args.revoke and not where.exists():
        # nothing collected yet: say so without creating a store file beside the model
        if args.json:
            emit_json({"store": str(where), "records": 0, "progress": [], "judgment_spread": [],
                       "score_spread": [], "group_weights": None, "group_error": None})
            return EXIT_OK
        out(t("collect.status_heading", lang, store=where, records=0))
        out(t("collect.status_empty", lang, model=args.model))
        return EXIT_OK
    store = WorkshopStore.open(model, args.store, lang=lang)
    for name in args.revoke or ():
        store.revoke(name)
    if args.action == "export":
        r = collect.export(store, args.out, force=args.force, scores=args.scores, lang=lang)
        emit_json(r.to_dict()) if args.json else out(r.text(lang))
        return EXIT_OK
    if args.action == "status":
        s = collect.status(store, top=args.top)
        if args.json:
            emit_json(s.to_dict())
            return EXIT_OK
        out(t("collect.status_heading", lang, store=s.path, records=s.records))
        if s.progress.empty:
            out(t("collect.status_empty", lang, model=args.model))
            return EXIT_OK
        for sec in s.sections(view(args, model, lang)):
            out("\n" + sec.title + "\n" + render_table(sec.headers, sec.rows, sec.align))
        if s.group_weights is None:
            out("\n" + t("collect.status_no_weights", lang, error=s.group_error))
        return EXIT_OK
    from decide.workshop import server

    links = server.links(store, args.participant, new=args.new_links, lang=lang)
    app = server.Workshop(store, host=args.host, port=args.port)
    if args.json:
        emit_json({"url": app.url, "links": links.to_dict(app.url)})
    else:
        out(links.text(app.url, lang))
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            sys.stderr.write(t("serve.network_warning", lang, host=args.host) + "\n")
    sys.stdout.flush()
    app.run()
    return EXIT_OK


# --------------------------------------------------------------------------- parser
#: argparse's own error messages (Python 3.10-3.13 wording) and their catalogue keys.
_ARGPARSE_ERRORS = (
    (r"the following arguments are required: (?P<names>.+)", "arg_required"),
    (r"unrecognized arguments: (?P<names>.+)", "arg_unknown"),
    (r"argument (?P<arg>\S+): invalid choice: (?P<got>.+?) \(choose from (?P<choices>.+)\)", "arg_choice"),
    (r"argument (?P<arg>\S+): expected one argument", "arg_one"),
    (r"argument (?P<arg>\S+): invalid (?P<kind>.+?) value: (?P<got>.+)", "arg_invalid"),
    (r"argument (?P<arg>\S+): expected a whole number >= (?P<min>\d+), got (?P<got>.+)", "arg_count"),
    # this module's own argument types (amount, _fraction, _shares)
    (r"argument (?P<arg>\S+): expected an amount >= 0 such as 1500000, got (?P<got>.+)", "arg_amount"),
    (r"argument (?P<arg>\S+): expected a number from 0 to 1 such as 0\.1, got (?P<got>.+)", "arg_fraction"),
    (r"argument (?P<arg>\S+): expected price shares strictly between 0 and 1 such as 0\.3,0\.5, got (?P<got>.+)",
     "arg_shares"),
)


def _argv_language(argv: Sequence[str]) -> str:
    """The language of a command line before it is parsed: --lang, else the model file's."""
    argv = list(argv)
    for k, a in enumerate(argv):
        if a == "--lang" and k + 1 < len(argv) and argv[k + 1] in ("nl", "en"):
            return argv[k + 1]
        if a.startswith("--lang=") and a[7:] in ("nl", "en"):
            return a[7:]
    for a in argv:
        if a.endswith((".yaml", ".yml")):
            found = guess_language(a)
            if found:
                return found
    return "en"


class _Parser(argparse.ArgumentParser):
    """argparse with its error messages in the user's language (exit 2, as argparse)."""

    lang = "en"

    def error(self, message: str):  # type: ignore[override]
        import re

        text = message
        for pattern, key in _ARGPARSE_ERRORS:
            hit = re.fullmatch(pattern, message)
            if hit:
                text = t(f"cli.{key}", _Parser.lang, **hit.groupdict())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {t('cli.arg_error', _Parser.lang)}: {text}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="decide",
        description="Decision support for public-sector technology procurement.",
        epilog="Exit codes: 0 ok, 2 bad input (model file, arguments), 3 infeasible or unsolved optimisation.",
    )
    parser.add_argument("--version", action="version", version=f"decide {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (fn, help, example) in COMMANDS.items():
        p = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                           epilog=f"Example: {example}", formatter_class=argparse.RawDescriptionHelpFormatter)
        if name != "demo" and not getattr(fn, "own_positional", False):
            p.add_argument("model", metavar="MODEL", help="a model file (YAML), e.g. models/zaaksysteem.yaml")
        p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
        p.add_argument("--lang", choices=["nl", "en"], help="language of labels and text (default: the model's)")
        p.add_argument("--ids", action="store_true", help="show ids instead of labels (options, criteria, suppliers)")
        configure = getattr(fn, "configure", None)
        if configure is not None:
            configure(p)
        p.set_defaults(func=fn)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    _Parser.lang = _argv_language(sys.argv[1:] if argv is None else argv)
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
        lang = getattr(args, "lang", None) or guess_language(getattr(args, "model", None)) or "en"
        sys.stderr.write(f"decide {args.command}: {error_text(exc, lang, args)}\n")
        if getattr(args, "json", False):  # machines reading stdout get the error too
            payload: dict[str, Any] = {"status": "error", "exit_code": exc.exit_code, "message": str(exc)}
            if isinstance(exc, ModelError):
                payload["problems"] = [{"code": p.code, "loc": p.loc, "line": p.line, "message": p.message}
                                       for p in exc.problems]
            emit_json(payload)
        return exc.exit_code
    except KeyboardInterrupt:
        lang = getattr(args, "lang", None) or guess_language(getattr(args, "model", None)) or "en"
        sys.stderr.write(t("errors.interrupted", lang) + "\n")
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
