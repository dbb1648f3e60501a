"""Benchmark: the full ``decide report`` of a catalogue-sized model, 2 000 options x 30 criteria.

A framework agreement for workplace and cloud services: 2 000 catalogue offers from 60
suppliers (a third of them SMEs), scored on 29 criteria in five groups plus the TCO, with
uncertain scores on a tenth of the cells and direct weights: a ranking of a catalogue, which
is what such a model is for. ``--allocation`` adds an allocation section (budget, supplier
share, SME share): the portfolio optimisation of 2 000 items with its 12-point frontier and
scenarios is benchmarked by ``bench/portfolio.py``. The model is generated with a fixed seed, written as YAML and run
through the command line exactly as a user would, with the default settings (10 000 SMAA
samples as the model does not set them, every format):

    decide report MODEL --out DIR --force

Measured: wall time of the whole command, its CPU time (user + system: the machine is shared,
so wall time also counts other people's work), peak resident memory of the process
(``ru_maxrss`` of the child), the time of ``decide validate`` alone, the model file's size, and
the progress lines the command writes to stderr (it is not a terminal here). Target: under 2
minutes and 2 GB.

Run: ``.venv/bin/python bench/large_report.py [--options 2000] [--criteria 30] [--samples N]``. Prints a
markdown table and writes it to ``bench/_sections/large_report.md`` (merged into
``bench/RESULTS.md`` by ``bench/assemble.py``).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from section import write_section  # bench/section.py: sections written atomically

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parents[1]
GROUPS = [("risk", "Risico", "Risk"), ("quality", "Kwaliteit", "Quality"), ("service", "Dienstverlening", "Service"),
          ("sustainability", "Duurzaamheid", "Sustainability"), ("openness", "Openheid", "Openness")]


#: What profiling the report of this model found, appended to the section (measured by hand on
#: 2026-12-03 with the model of ``make_model()``; load average 7 to 9 on 2 shared cores).
FINDINGS = """\
### Where the time after SMAA went (located 2026-12-03)

Before: the uncapped run with 10 000 samples (`decide report MODEL --samples 10000`, measured by
hand the same day, load average about 4) took 13 min 10 s wall, 528 s CPU, 1 180 MB peak RSS:
about 25 s in SMAA's first pass, about 330 s in its second (confidence factors), and about
400 s under the "analysis" heartbeat after SMAA.

Profiled with cProfile: `decide report` of this model with `--samples 1000` (a reduced
configuration of the 10 000-sample run). The report runs SMAA and then the review of the
strategy; the review's checks (cost in the decision, risk analysis, proof of concept, market
knowledge) and the report's tables each ask the model for its score table, and
`DecisionModel.score_bounds` built the low/mode/high tables of 2 000 x 30 cells one pandas
cell write at a time: 9 calls per report, 1.62 million `DataFrame.iat` writes, **4.6 s per
call** (the "analysis" heartbeat after SMAA, and a good part of the report files). It now fills
arrays and wraps them once: **0.30 s per call**, the same values. Nothing after SMAA reads the
samples (the review does not use SMAA), so that stage does not grow with them; what did grow
with them was SMAA's own second pass.

SMAA on this model (TOPSIS, weights around the model's, uncertain scores on a tenth of the
cells), 2 000 samples, in one process, old and new code run back to back on the same inputs:

| pass | before: wall | before: CPU | after: wall | after: CPU |
|---|---:|---:|---:|---:|
| acceptabilities and central weights | 8.9 s | 1.5 s | 5.3 s | 1.9 s |
| confidence factors (81 options with central weights) | 158.2 s | 42.9 s | 15.9 s | 5.6 s |

Acceptabilities, central weights and confidence factors are identical. The second pass scores
every option that was ever first, under its central weights, on every score sample: stacks of
small (options-first x criteria) by (criteria x options) matrix products, on which OpenBLAS's
own two threads spent most of the CPU time synchronising (6.3 s against 0.3 s on one thread for
500 samples). The chunks now run on decide's thread pool with BLAS held to one thread. The pass
grows with samples x options that are ever first (CPU 1.3 s at 500 samples and 54 such options,
1.8 s at 1 000 and 68, 5.6 s at 2 000 and 81).
"""


def make_model(options: int = 2000, criteria: int = 30, seed: int = 7, allocation: bool = False) -> dict:
    """A catalogue model: ``options`` offers, ``criteria`` leaf criteria (one is the TCO)."""
    rng = np.random.default_rng(seed)
    scored = criteria - 1
    per_group = [scored // len(GROUPS) + (1 if i < scored % len(GROUPS) else 0) for i in range(len(GROUPS))]
    tree: list[dict] = [{"id": "cost", "label": {"nl": "Kosten (TCO)", "en": "Cost (TCO)"}, "direction": "min",
                         "source": "tco"}]
    leaves: list[str] = []
    for (gid, nl, en), n in zip(GROUPS, per_group):
        kids = []
        for k in range(n):
            cid = f"{gid}_{k + 1}"
            leaves.append(cid)
            kids.append({"id": cid, "label": {"nl": f"{nl} {k + 1}", "en": f"{en} {k + 1}"},
                         "direction": "min" if (gid == "risk" and k % 2 == 0) else "max"})
        tree.append({"id": gid, "label": {"nl": nl, "en": en}, "children": kids})
    direct = {"cost": 0.3}
    direct.update({gid: round(0.7 / len(GROUPS), 6) for gid, _, _ in GROUPS})
    for (gid, _, _), n in zip(GROUPS, per_group):
        direct.update({f"{gid}_{k + 1}": 1.0 for k in range(n)})
    n_sup = 60
    suppliers = [{"id": f"sup{j:02d}", "label": f"Leverancier {j:02d}", "sme": bool(j % 3 == 0)} for j in range(n_sup)]
    alts = []
    for i in range(options):
        scores: dict = {}
        for cid in leaves:
            v = int(rng.integers(1, 6))
            if rng.random() < 0.1:
                lo, hi = max(1, v - 1), min(5, v + 1)
                scores[cid] = [lo, hi] if lo < hi else v
            else:
                scores[cid] = v
        alts.append({
            "id": f"offer{i:04d}",
            "label": {"nl": f"Aanbod {i:04d} (perceel {i % 12 + 1})", "en": f"Offer {i:04d} (lot {i % 12 + 1})"},
            "supplier": suppliers[i % n_sup]["id"],
            "costs": {"once": int(rng.integers(5, 80)) * 1000, "yearly": int(rng.integers(2, 40)) * 1000,
                      "exit": int(rng.integers(0, 20)) * 1000},
            "scores": scores,
        })
    model = {
        "decide": 1,
        "title": {"nl": "Raamovereenkomst werkplek- en clouddiensten (catalogus)",
                  "en": "Framework agreement workplace and cloud services (catalogue)"},
        "language": "nl",
        "horizon": {"years": 5, "discount_rate": 0.0225},
        "criteria": tree,
        "weights": {"method": "direct", "direct": direct},
        "alternatives": alts,
    }
    if allocation:
        model["allocation"] = {"budget": 6_000_000, "suppliers": suppliers,
                               "rules": {"max_supplier_share": 0.2, "min_sme_share": 0.25}}
    return model


def run(cmd: list[str]) -> tuple[float, float, int, str, int]:
    """Wall seconds, CPU seconds, peak RSS of the child in MB, its stderr, its exit code.

    ``ru_maxrss`` of the children is the largest of any child so far: the commands run in the
    order validate, report, so the report's figure is its own unless validate was larger.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss // 1024, proc.stderr, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--options", type=int, default=2000)
    ap.add_argument("--criteria", type=int, default=30)
    ap.add_argument("--allocation", action="store_true", help="add an allocation section (portfolio, frontier)")
    ap.add_argument("--samples", type=int, default=None,
                    help="SMAA samples passed to decide report (default: the model's, capped by the work estimate)")
    args = ap.parse_args()
    decide = str(Path(sys.executable).with_name("decide"))
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "catalogus.yaml"
        model.write_text(yaml.safe_dump(make_model(args.options, args.criteria, allocation=args.allocation), allow_unicode=True, sort_keys=False),
                         encoding="utf-8")
        size_mb = model.stat().st_size / 1e6
        v_wall, v_cpu, v_rss, v_err, v_code = run([decide, "validate", str(model)])
        extra = ["--samples", str(args.samples)] if args.samples is not None else []
        r_wall, r_cpu, r_rss, r_err, r_code = run([decide, "report", str(model), "--out", str(Path(tmp) / "out"),
                                                   "--force", *extra])
        files = sum(1 for p in (Path(tmp) / "out").rglob("*") if p.is_file()) if r_code == 0 else 0
    progress = [line for line in r_err.splitlines() if line.strip()]
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cpu = platform.processor() or platform.machine()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = [
        f"Machine: {platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores (shared); "
        f"Python {platform.python_version()}; {now}; load average after the run (1, 5, 15 min): {load}.",
        "",
        f"Model: {args.options} options x {args.criteria} criteria, {size_mb:.1f} MB of YAML, "
        f"{'with' if args.allocation else 'without'} an allocation section; "
        + ("default settings (10 000 SMAA samples unless the work estimate caps them; every format)."
           if args.samples is None else f"`--samples {args.samples}` (SMAA samples as given; every format)."),
        "",
        "| step | exit | wall time | CPU time | peak memory (RSS) |",
        "|---|---:|---:|---:|---:|",
        f"| `decide validate` | {v_code} | {v_wall:.1f} s | {v_cpu:.1f} s | {v_rss} MB |",
        f"| `decide report{' --samples ' + str(args.samples) if args.samples is not None else ''}` (xlsx, csv, json, md, html) | {r_code} | {r_wall:.1f} s | {r_cpu:.1f} s | {r_rss} MB |",
        "",
        f"Files written: {files}. Target: under 120 s and 2 048 MB: wall time "
        f"{'met' if r_code == 0 and r_wall < 120 else 'NOT met'}, CPU time "
        f"{'met' if r_code == 0 and r_cpu < 120 else 'NOT met'}, memory {'met' if r_rss < 2048 else 'NOT met'}.",
        "",
        "Progress on stderr (not a terminal):",
        "",
        "```text",
        *progress[:40],
        "```",
    ]
    text = "\n".join(rows)
    print(text)
    write_section("large_report", "## Full report of a 2 000-option catalogue\n\n" + text + "\n\n" + FINDINGS)
    return 0 if r_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
