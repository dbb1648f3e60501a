"""Portfolio robustness: samples per second on one kept solver model.

Each sample of ``decide.portfolio_robustness.portfolio_robustness`` re-solves the portfolio MILP
on one highspy model: when only values vary (weights, scores) only its objective is pushed; when
costs are uncertain the changed coefficients of the budget and supplier rows are pushed too
(``changeCoeff``). The script counts the whole-model passes (``passModel``) to show that no
sample rebuilds the model, measures the example models and a synthetic 60-option model, and
writes ``bench/_sections/portfolio_robustness.md``. Baseline in the same run: a cold
``optimise`` (build + solve, no rule prices) of the same problem.
"""
from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

from section import write_section  # bench/section.py: sections written atomically

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from decide.loader import load_model, validate_data  # noqa: E402
from decide.portfolio import optimise  # noqa: E402
from decide.portfolio import backends  # noqa: E402
from decide.portfolio_model import from_model  # noqa: E402
from decide.portfolio_robustness import portfolio_robustness  # noqa: E402


def synthetic(n: int = 60, seed: int = 3):
    import numpy as np

    rng = np.random.default_rng(seed)
    mods = [f"m{j}" for j in range(12)]
    alts = []
    for i in range(n):
        alts.append({"id": f"o{i}", "supplier": f"s{i % 8}", "covers": [mods[i % 12]],
                     "costs": {"once": int(rng.integers(20, 200)) * 1000, "yearly": int(rng.integers(5, 60)) * 1000},
                     "scores": {f"c{k}": [round(float(x), 1), round(float(x) + 1, 1)]
                                for k, x in enumerate(rng.uniform(1, 4, 4))}})
    return validate_data({
        "decide": 1, "title": "synthetic", "language": "en",
        "criteria": [{"id": f"c{k}", "direction": "max", "range": [1, 5]} for k in range(4)],
        "alternatives": alts,
        "sensitivity": {"weights": "uniform", "seed": 1},
        "allocation": {"budget": 2_500_000, "modules": [{"id": m, "required": j < 9} for j, m in enumerate(mods)],
                       "rules": {"max_supplier_share": 0.4}},
    })


def main() -> int:
    rows = []
    passes = []
    original = backends.HighsEngine._pass

    def counted(self, lm, cost):  # count the whole-model passes
        passes.append(1)
        return original(self, lm, cost)

    backends.HighsEngine._pass = counted
    cases = [("zaaksysteem (9 options, uncertain costs: coefficients pushed)", load_model(ROOT / "models/zaaksysteem.yaml")),
             ("dataplatform (7 options, values only: one model kept)", load_model(ROOT / "models/dataplatform.yaml")),
             ("synthetic 60 options, 12 modules (values only: one model kept)", synthetic())]
    for name, model in cases:
        p = from_model(model)
        t0 = time.perf_counter()
        for _ in range(5):
            optimise(p, price_rules=False, explain_infeasible=False)
        cold = (time.perf_counter() - t0) / 5
        n = 300
        rec = optimise(p, price_rules=False, explain_infeasible=False).chosen
        passes.clear()
        r = portfolio_robustness(model, samples=n, seed=0, recommended=rec)
        rows.append((name, n, r.seconds, n / r.seconds, 1 / cold, r.recommended_share, len(passes)))
    load = os.getloadavg()
    when = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = ["## Portfolio robustness: samples per second", "",
             f"Measured {when} by `bench/portfolio_robustness.py` on {os.cpu_count()} CPU(s), "
             f"{platform.processor() or platform.machine()}; Python {platform.python_version()}; 1-minute load "
             f"average {load[0]:.2f} at the start. 300 samples per model (weights, uncertain scores and costs), "
             "seed 0; baseline: a cold `optimise` (build + solve, no rule prices) of the same problem.", "",
             "| model | samples | HiGHS models passed | seconds | samples / s | cold optimise / s | sample vs cold solve | recommended optimal in |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, n, secs, sps, cps, share, passed in rows:
        lines.append(f"| {name} | {n} | {passed} | {secs:.2f} | {sps:.0f} | {cps:.0f} | {sps / cps:.1f}x | {share:.0%} |")
    lines += ["", "One solver model serves all samples of a model (*HiGHS models passed*: `passModel` "
              "calls during the samples, the recommended portfolio solved beforehand): sampled values "
              "change its objective, sampled costs its coefficients and bounds, pushed in place. Before "
              "(2026-12-03 14:17 UTC, load 6.70): zaaksysteem rebuilt its model for each sample, 66 "
              "samples/s, 0.8x a cold solve."]
    text = "\n".join(lines) + "\n"
    print(text)
    write_section("portfolio_robustness", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
