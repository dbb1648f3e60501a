"""Benchmark: decide's portfolio optimisation against raw HiGHS, and the frontier sweep.

Run from the repository root::

    .venv/bin/python bench/portfolio.py            # small, medium, large
    .venv/bin/python bench/portfolio.py --quick    # small and medium only

For each seeded synthetic instance (small 10 modules/30 options/8 suppliers; medium
50/500/40; large 200/5 000/200; suites covering several modules, in-house builds, requires
and excludes, a budget, yearly caps and every rule active) it times, in one run:

- ``raw``: the same model built with numpy/scipy.sparse and passed to highspy directly
  (``passModel``), the same column and row order, HiGHS defaults;
- ``raw scaled``: the same, with the money rows divided by decide's money scale (what decide
  passes to HiGHS);
- ``decide core``: ``Formulation(problem)`` (the arrays) + one solve through decide's HiGHS
  engine (one ``passModel``, money rows scaled, the plan checked against the unscaled rows);
- ``decide optimise``: ``optimise(problem, price_rules=False)`` end to end: prechecks, build,
  solve, checks, measures and the budget dual (one extra LP solve);
- the 20-point frontier (``frontier(problem, points=20)``, range solves included; each point
  solved to HiGHS' default relative gap 1e-4, warm-started from the lower point's plan) and the
  same sweep cold, against one solve;
- the exact Pareto frontier of every example model with an allocation section.

Each timing is the median of ``--repeat`` runs (default 3; 1 for the large instance).
The markdown table is printed and written to ``bench/_sections/portfolio.md``.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from section import write_atomic  # bench/section.py: sections written atomically

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import highspy  # noqa: E402
import pulp  # noqa: E402
import scipy  # noqa: E402
from scipy import sparse  # noqa: E402

from decide.portfolio import Problem, Rules, frontier, optimise  # noqa: E402
from decide.portfolio.backends import Backend, quiet_stdout  # noqa: E402
from decide.portfolio.formulation import Formulation  # noqa: E402

SIZES = {
    "small": (10, 30, 8),
    "medium": (50, 500, 40),
    "large": (200, 5000, 200),
}
YEARS = 5

NOTES = """Reading the figures:

- The figures of one run are comparable with each other only: the 2-core machine is shared
  with other work (load average above), which moves every timing by up to 2x run to run.
- *raw* passes the model in euros, *raw scaled* with the money rows in decide's money unit
  (a power of ten, 10^5-10^6 here). HiGHS solves the scaled model faster on these instances,
  so *core/raw* can fall below 1: decide's engine passes the scaled model; the price of decide
  itself is *core* against *raw scaled* (the array build, ~0.02-0.06 s on large, and the check
  of the plan against the unscaled rows).
- The scaled model is solved with HiGHS' feasibility tolerances in the money unit (MIP 1e-6,
  i.e. up to one euro at 10^6): a plan that misses an unscaled row by more than 1e-9 of the
  row's size is solved again with the tolerance in euros (`Outcome.repaired`); a plan that still
  misses a row is reported as an error, never returned as optimal.
- The frontier sweeps from the lowest budget up, each point started from the lower point's plan
  (a free incumbent: it fits every higher budget). Each point's gap to HiGHS' proven bound
  (`mip_dual_bound`) is at most the default relative gap 1e-4 (*largest gap*).
- Before this engine (same script, 2026-11-28, a quieter machine; PuLP model + a PuLP HiGHS
  plugin subclass, unscaled rows, cold solves from the highest budget down): large core/raw
  1.16, 20-point frontier 98.2 s = 128.1 solves, slowest point 26.8 s = 35 solves; medium
  frontier 35.9 solves, slowest 6.3 solves. The same script of that engine run with
  `--quick` on this machine on 2026-12-03 17:00 UTC, right before the array engine's `--quick`
  run (both under a load average of 7-9): small exact frontier 70.1 solves (array engine 35.8),
  medium 20-point frontier 32.2 solves (27.3), medium core/raw 1.72 (0.84).
"""


# ----------------------------------------------------------------------------- instances
def generate(n_modules: int, n_options: int, n_suppliers: int, seed: int = 0) -> Problem:
    """A seeded synthetic procurement instance with every rule active."""
    rng = np.random.default_rng(seed)
    modules = pd.DataFrame({
        "label": [f"module {m}" for m in range(n_modules)],
        "required": rng.random(n_modules) < 0.7,
        "importance": rng.uniform(0.5, 1.5, n_modules),
    }, index=[f"m{m:03d}" for m in range(n_modules)])
    suppliers = pd.DataFrame({
        "label": [f"supplier {k}" for k in range(n_suppliers)],
        "sme": rng.random(n_suppliers) < 0.4,
    }, index=[f"s{k:03d}" for k in range(n_suppliers)])
    mod_ids = modules.index.to_numpy()
    sup_ids = suppliers.index.to_numpy()
    base = rng.uniform(40_000, 160_000, n_modules)  # cost level of each module
    rows = []
    # every module gets at least two single-module options so that covers exist
    covers_list = [[m] for m in range(n_modules)] * 2
    while len(covers_list) < n_options:
        if rng.random() < 0.12:  # a suite covering 2-8 modules
            k = int(rng.integers(2, 9))
            start = int(rng.integers(0, n_modules))
            covers_list.append(sorted({(start + j) % n_modules for j in range(k)}))
        else:
            covers_list.append([int(rng.integers(0, n_modules))])
    covers_list = covers_list[:n_options]
    for i, cov in enumerate(covers_list):
        suite = len(cov) > 1
        in_house = (not suite) and rng.random() < 0.05
        cost = base[cov].sum() * rng.uniform(0.6, 1.4) * (0.8 if suite else 1.0)
        integration = cost * rng.uniform(0.02, 0.15)
        value = modules["importance"].to_numpy()[cov].sum() * rng.uniform(0.4, 1.0)
        tags = ["make" if in_house else "buy",
                "open_source" if rng.random() < 0.35 else "commercial",
                "cloud" if rng.random() < 0.6 else "on_premises",
                "monolithic" if suite else "modular"]
        rows.append(dict(
            id=f"o{i:05d}",
            label=f"option {i}",
            supplier=None if in_house else sup_ids[int(rng.integers(0, n_suppliers))],
            value=round(float(value), 4),
            tco=round(float(cost + integration), 2),
            integration=round(float(integration), 2),
            exit_cost=round(float(cost * rng.uniform(0.05, 0.3)), 2),
            covers=tuple(mod_ids[cov]),
            tags=tuple(tags),
        ))
    options = pd.DataFrame(rows).set_index("id")
    # a few requires / excludes among single-module options
    n_rel = max(1, n_options // 100)
    ids = options.index.to_numpy()
    req = {o: () for o in ids}
    exc = {o: () for o in ids}
    for _ in range(n_rel):
        a, b = rng.choice(ids, 2, replace=False)
        req[a] = req[a] + (b,)
        c, d = rng.choice(ids, 2, replace=False)
        exc[c] = exc[c] + (d,)
    options["requires"] = pd.Series(req)
    options["excludes"] = pd.Series(exc)
    # cash flows: once + integration in year 0, the rest spread, exit in the last year
    tco = options["tco"].to_numpy()
    share0 = rng.uniform(0.3, 0.5, n_options)
    cf = np.zeros((n_options, YEARS))
    cf[:, 0] = tco * share0
    cf[:, 1:] = (tco * (1 - share0) / (YEARS - 1))[:, None]
    cf[:, -1] += options["exit_cost"].to_numpy()
    cashflows = pd.DataFrame(cf, index=options.index, columns=range(YEARS))
    # budget: 1.25 x the cheapest single-module cover of the required modules
    single = options[[len(c) == 1 for c in options["covers"]]]
    cheapest = single.groupby(single["covers"].map(lambda c: c[0]))["tco"].min()
    req_cost = float(cheapest.reindex(modules.index[modules["required"]]).sum())
    budget = round(1.25 * req_cost, 0)
    rules = Rules(
        max_supplier_share=max(0.1, min(0.5, 3.0 / n_suppliers)) if n_suppliers > 8 else 0.4,
        min_suppliers=max(3, n_modules // 5),
        min_sme_share=0.2,
        max_lots_per_supplier=max(3, n_modules // 10),
        max_exit_cost=0.35 * budget,
    )
    yearly = [0.5 * budget, None, None, None, None]
    return Problem(options, modules=modules, suppliers=suppliers, cashflows=cashflows,
                   budget=budget, yearly_budget=yearly, rules=rules,
                   title=f"synthetic {n_modules}/{n_options}/{n_suppliers} seed {seed}")


# ----------------------------------------------------------------------------- raw HiGHS
def raw_model(p: Problem, scale: float = 1.0):
    """The same MIP as decide's formulation, as numpy arrays and a scipy CSC matrix, in the
    same column (S, x_i, y_k) and row order; with ``scale`` the money rows (budget, yearly
    caps, supplier spend, shares, exit cost) are divided by it and S is counted in its unit."""
    a = p.arrays
    r = p.rules
    n = a.n
    has = a.supplier >= 0
    sup_members = [np.flatnonzero(a.supplier == k) for k in range(len(a.supplier_ids))]
    need_s = (r.max_supplier_share is not None or r.min_sme_share is not None) and has.any()
    used = [k for k, m in enumerate(sup_members) if m.size] if r.min_suppliers is not None else []
    col_S = 0 if need_s else None
    x0 = 1 if need_s else 0
    y0 = x0 + n
    ncol = y0 + len(used)
    ycol = {k: y0 + j for j, k in enumerate(used)}
    base = has if r.share_base == "suppliers" else np.ones(n, dtype=bool)  # Rules.share_base
    s_max = float(a.spend[base].sum())
    R, C, V, lo, hi = [], [], [], [], []
    row = 0

    def add(cols, vals, lb, ub, money=False):
        nonlocal row
        cols = np.asarray(cols, dtype=np.int64)
        vals = np.asarray(vals, dtype=float)
        if money:
            vals = np.where(cols == col_S, vals * scale, vals) / scale
            lb, ub = lb / scale, ub / scale
        keep = vals != 0
        R.append(np.full(int(keep.sum()), row))
        C.append(cols[keep])
        V.append(vals[keep])
        lo.append(lb)
        hi.append(ub)
        row += 1

    inf = np.inf
    for m, members in enumerate(a.cover_rows):
        if members.size == 0 and not a.required[m]:
            continue
        add(x0 + members, np.ones(members.size), 1.0 if a.required[m] else -inf, 1.0)
    add(x0 + np.arange(n), a.tco, -inf, p.budget, True)
    for t, cap in enumerate(p.yearly_budget or ()):
        if cap is None:
            continue
        col = a.cashflows[:, t]
        nz = np.flatnonzero(col)
        add(x0 + nz, col[nz], -inf, cap, True)
    if need_s:
        idx = np.flatnonzero(base & (a.spend != 0))
        add(np.r_[x0 + idx, col_S], np.r_[-a.spend[idx], 1.0], 0.0, 0.0, True)
    if r.max_supplier_share is not None and need_s:
        for k, members in enumerate(sup_members):
            idx = members[a.spend[members] != 0]
            if idx.size:
                add(np.r_[x0 + idx, col_S], np.r_[a.spend[idx], -r.max_supplier_share], -inf, 0.0, True)
    if r.min_suppliers is not None:
        for k in used:
            members = sup_members[k]
            add(np.r_[x0 + members, ycol[k]], np.r_[-np.ones(members.size), 1.0], -inf, 0.0)
        add([ycol[k] for k in used], np.ones(len(used)), float(r.min_suppliers), inf)
    if r.min_sme_share is not None and need_s:
        sme_opt = has & a.sme[np.where(has, a.supplier, 0)] & (a.spend != 0)
        idx = np.flatnonzero(sme_opt)
        add(np.r_[x0 + idx, col_S], np.r_[a.spend[idx], -r.min_sme_share], 0.0, inf, True)
    if r.max_lots_per_supplier is not None:
        for k, members in enumerate(sup_members):
            idx = members[a.lots[members] != 0]
            if idx.size:
                add(x0 + idx, a.lots[idx], -inf, float(r.max_lots_per_supplier))
    if r.max_exit_cost is not None:
        idx = np.flatnonzero(a.exit_cost)
        add(x0 + idx, a.exit_cost[idx], -inf, r.max_exit_cost, True)
    for i, j in a.requires.tolist():
        add([x0 + i, x0 + j], [1.0, -1.0], -inf, 0.0)
    for i, j in a.excludes.tolist():
        add([x0 + i, x0 + j], [1.0, 1.0], -inf, 1.0)
    A = sparse.csc_matrix((np.concatenate(V), (np.concatenate(R), np.concatenate(C))),
                          shape=(row, ncol))
    A.sort_indices()
    cost = np.zeros(ncol)
    cost[x0:x0 + n] = -a.value  # minimise -value, as PuLP passes a maximisation
    col_lo = np.zeros(ncol)
    col_hi = np.ones(ncol)
    if need_s:
        col_hi[col_S] = s_max / scale
    col_lo[x0 + a.pin] = 1.0
    col_hi[x0 + a.ban] = 0.0
    integ = np.ones(ncol, dtype=np.int32)
    if need_s:
        integ[col_S] = 0
    return cost, col_lo, col_hi, np.array(lo), np.array(hi), A, integ


def solve_raw(p: Problem, scale: float = 1.0) -> tuple[float, float, float]:
    """Build from arrays and solve with highspy; returns (seconds, objective, build seconds)."""
    t0 = time.perf_counter()
    cost, cl, cu, rl, ru, A, integ = raw_model(p, scale)
    with quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(A.shape[1], A.shape[0], A.nnz, int(highspy.MatrixFormat.kColwise),
                int(highspy.ObjSense.kMinimize), 0.0, cost, cl, cu, rl, ru,
                A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data, integ)
    tb = time.perf_counter() - t0
    with quiet_stdout():
        h.run()
    secs = time.perf_counter() - t0
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, h.getModelStatus()
    return secs, -h.getInfo().objective_function_value, tb


def fresh(p: Problem) -> Problem:
    """The same problem without cached arrays (so every timing derives them)."""
    return p.replace()


def time_core(p: Problem) -> tuple[float, float, float, Formulation]:
    t0 = time.perf_counter()
    q = fresh(p)
    form = Formulation(q)
    tb = time.perf_counter() - t0
    out = form.solve(Backend("highs", time_limit=None))
    secs = time.perf_counter() - t0
    assert out.status.value == "optimal", out.status
    return secs, float(q.arrays.value @ (out.x > 0.5)), tb, form


def time_optimise(p: Problem):
    t0 = time.perf_counter()
    alloc = optimise(fresh(p), price_rules=False, time_limit=None)
    return time.perf_counter() - t0, alloc


def same_model(p: Problem, form: Formulation) -> bool:
    """decide's highspy model equals the raw scaled one (matrix, costs, bounds)."""
    cost, cl, cu, rl, ru, A, integ = raw_model(p, form.money_scale)
    lp = next(iter(form._engines.values())).h.getLp()
    B = sparse.csc_matrix((np.asarray(lp.a_matrix_.value_), np.asarray(lp.a_matrix_.index_),
                           np.asarray(lp.a_matrix_.start_)), shape=(lp.num_row_, lp.num_col_))
    return (B.shape == A.shape and abs(B - A).max() < 1e-9
            and np.allclose(np.asarray(lp.col_cost_), cost)
            and np.allclose(np.asarray(lp.row_lower_), np.clip(rl, -highspy.kHighsInf, None))
            and np.allclose(np.asarray(lp.row_upper_), np.clip(ru, None, highspy.kHighsInf)))


def median_time(fn, repeat):
    res = [fn() for _ in range(repeat)]
    return statistics.median(r[0] for r in res), res[-1]


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"nproc {os.cpu_count()}, CPU {cpu}, Python {platform.python_version()}, "
            f"PuLP {pulp.__version__}, highspy {Backend('highs').version.split()[-1]}, "
            f"numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}; "
            f"{_dt.date.today().isoformat()}")


def example_frontiers() -> list[tuple[str, int, int, float]]:
    """(model, options, points, seconds) of the exact Pareto frontier of each example model."""
    from decide import load_model
    from decide.portfolio_model import from_model

    out = []
    for path in sorted((ROOT / "models").glob("*.yaml")):
        model = load_model(path)
        if model.allocation is None:
            continue
        p = from_model(model)
        frontier(p)  # warm the imports and caches once
        t0 = time.perf_counter()
        f = frontier(fresh(p))
        secs = time.perf_counter() - t0
        assert f.is_exact and f.complete
        out.append((path.stem, len(p.options), len(f.frame), secs))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small and medium only")
    ap.add_argument("--full", action="store_true",
                    help="also the cold frontier on the large instance (a few minutes more)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(ROOT / "bench" / "_sections" / "portfolio.md"))
    args = ap.parse_args(argv)
    sizes = ["small", "medium"] if args.quick else list(SIZES)
    t_start = time.perf_counter()
    lines = [
        "## Portfolio optimisation",
        "",
        f"Machine: {machine()}. Command: `.venv/bin/python bench/portfolio.py"
        f"{' --full' if args.full else ''}`. 1-minute load average at the start: "
        f"{os.getloadavg()[0]:.2f} (the machine is shared).",
        "",
        "Seeded synthetic instances (`bench/portfolio.py`, seed "
        f"{args.seed}): suites covering 2-8 modules, in-house builds, requires/excludes, a "
        "budget, a year-0 cap and every rule active. Wall seconds, median of "
        f"{args.repeat} runs (1 on large), all in one run. *raw* = the same model built with "
        "numpy/scipy.sparse and passed to highspy directly (`passModel`), money in euros; *raw "
        "scaled* = the same with the money rows in decide's money unit (a power of ten; the "
        "*same model* column checks that the model decide's engine holds has the identical "
        "matrix, costs and row bounds); *core* = decide's `Formulation` (arrays) + one solve "
        "through its HiGHS engine (one `passModel`, the plan checked against the unscaled rows); "
        "*optimise* = `optimise(problem, price_rules=False)` end to end (prechecks, build, solve, "
        "checks, measures, the budget dual's LP solve). *Frontier*: `frontier(problem, "
        "points=20)`, the epsilon-constraint method on the budget (each point solved to HiGHS' "
        "default relative gap 1e-4 on one kept model, from the lowest budget up, each started "
        "from the lower point's plan; the two range solves included); *frontier/solve* = "
        "frontier / core; *slowest/solve* = the slowest point / core; *largest gap* = the largest "
        "relative gap between a point's value and its proven bound (HiGHS `mip_dual_bound`); "
        "*cold* = the same sweep with `warm_start=False`.",
        "",
        "| instance | options x rows | same model | raw s | raw scaled s | core s | core/raw "
        "| optimise s | optimise/raw | frontier s | median point s | slowest point s "
        "| frontier/solve | slowest/solve | largest gap | cold frontier s |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    verdicts = []
    for name in sizes:
        M, N, K = SIZES[name]
        p = generate(M, N, K, seed=args.seed)
        rep = 1 if name == "large" else args.repeat
        scale = Formulation(p).money_scale
        t_raw, (_, obj_raw, tb_raw) = median_time(lambda: solve_raw(p), rep)
        t_raws, _ = median_time(lambda: solve_raw(p, scale), rep)
        t_core, (_, obj_core, tb_core, form) = median_time(lambda: time_core(p), rep)
        same = same_model(p, form)
        t_opt, (_, alloc) = median_time(lambda: time_optimise(p), rep)
        assert alloc.status.value == "optimal"
        assert abs(obj_raw - obj_core) <= 1e-4 * max(1, abs(obj_raw)), (obj_raw, obj_core)
        t0 = time.perf_counter()
        fc = frontier(fresh(p), points=20)
        t_fc = time.perf_counter() - t0
        cold = "–"
        if name != "large" or args.full:
            t0 = time.perf_counter()
            fw = frontier(fresh(p), points=20, warm_start=False)
            cold = f"{time.perf_counter() - t0:.2f}"
            if not np.allclose(fw.frame["value"], fc.frame["value"], rtol=2e-4):
                cold += " (values differ within the gap)"
        solved = fc.frame[~fc.frame["reused"].astype(bool)]
        pts = solved["seconds"]
        gaps = pd.to_numeric(fc.frame["gap"], errors="coerce")
        statuses = fc.frame["status"].value_counts().to_dict()
        nrows = form.matrix.shape[0]
        row = (f"| {name} ({M}/{N}/{K}) | {N} x {nrows} | {'yes' if same else 'NO'} "
               f"| {t_raw:.3f} | {t_raws:.3f} | {t_core:.3f} | {t_core / t_raw:.2f} | {t_opt:.3f} "
               f"| {t_opt / t_raw:.2f} | {t_fc:.2f} | {pts.median():.3f} | {pts.max():.2f} "
               f"| {t_fc / t_core:.1f} | {pts.max() / t_core:.1f} | {gaps.max():.1e} | {cold} |")
        lines.append(row)
        if name == "large":
            verdicts.append(
                f"core/raw on large {t_core / t_raw:.2f} (target <= 1.2: "
                f"{'met' if t_core / t_raw <= 1.2 else 'NOT met'}); optimise/raw "
                f"{t_opt / t_raw:.2f}; 20-point frontier/solve {t_fc / t_core:.1f} (target <= 50: "
                f"{'met' if t_fc / t_core <= 50 else 'NOT met'}); slowest point/solve "
                f"{pts.max() / t_core:.1f} (target < 10: "
                f"{'met' if pts.max() / t_core < 10 else 'NOT met'}).")
        print(row, f"  [raw build {tb_raw:.3f}s, core build {tb_core:.3f}s, "
              f"frontier statuses {statuses}]", file=sys.stderr, flush=True)
    ex = example_frontiers()
    lines += ["", "Exact Pareto frontier (`frontier(problem)`, every Pareto-optimal portfolio) of "
              "each example model with an allocation section:", "",
              "| model | options | points | seconds |", "|---|---|---|---|"]
    lines += [f"| {m} | {n} | {k} | {secs:.3f} |" for m, n, k, secs in ex]
    slowest = max((secs for *_, secs in ex), default=0.0)
    verdicts.append(f"slowest example exact frontier {slowest:.3f} s (target < 1 s: "
                    f"{'met' if slowest < 1 else 'NOT met'}).")
    lines += ["", f"Whole run: {time.perf_counter() - t_start:.0f} s."]
    lines += ["", "Targets: " + " ".join(verdicts)]
    lines += ["", NOTES]
    text = "\n".join(lines)
    print(text)
    write_atomic(Path(args.out), text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
