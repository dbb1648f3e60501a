"""Start-up time of the command line: `decide validate` and `decide --help`, cold processes.

Each command runs in a new Python process (what a user waits for), timed by wall clock; the
baseline `python -c pass` is measured in the same run, interleaved, so the ratio holds on a
noisy shared machine. Writes bench/_sections/startup.md (joined into RESULTS.md by assemble.py).

Target: `decide validate` on an example model and `decide --help` under 1.0 s wall, cold.
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from section import write_section  # bench/section.py: sections written atomically

HERE = Path(__file__).parent
ROOT = HERE.parent
REPEATS = 15

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "decide --help": [sys.executable, "-m", "decide", "--help"],
    "decide validate models/zaaksysteem.yaml": [sys.executable, "-m", "decide", "validate",
                                                "models/zaaksysteem.yaml"],
    "import decide.ranking (for comparison)": [sys.executable, "-c", "import decide.ranking"],
}


def wall(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0


def main() -> None:
    load = os.getloadavg()[0]
    times: dict[str, list[float]] = {k: [] for k in COMMANDS}
    for name, cmd in COMMANDS.items():  # one warm-up each: the page cache, not the interpreter
        wall(cmd)
    for _ in range(REPEATS):
        for name, cmd in COMMANDS.items():
            times[name].append(wall(cmd))
    base = min(times["python -c pass"])
    rows = []
    for name, ts in times.items():
        rows.append(f"| `{name}` | {min(ts):.3f} s | {statistics.median(ts):.3f} s | "
                    f"{min(ts) - base:.3f} s |")
    v = min(times["decide validate models/zaaksysteem.yaml"])
    h = min(times["decide --help"])
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor() or "unknown")
    when = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = f"""## Start-up: `decide validate` and `decide --help`

Measured {when} by `bench/startup.py` on {os.cpu_count()} CPU(s), {cpu}; Python {platform.python_version()};
1-minute load average {load:.2f} at the start. Each command is a new process, {REPEATS} runs interleaved
with the `python -c pass` baseline; minimum (median).

| command | min | median | above `python -c pass` |
|---|---:|---:|---:|
{chr(10).join(rows)}

Target: `decide validate` and `decide --help` under 1.0 s wall, cold: **{"met" if max(v, h) < 1.0 else "NOT met"}**
(validate {v:.2f} s, help {h:.2f} s). What it takes: pymcdm (whose package import loads matplotlib's
pyplot) is imported only where rank correlations are computed; the solver layers of
`decide.portfolio` (scipy's sparse matrices and optimisers, highspy, PuLP) only when a portfolio is
built (validate checks the supplier rules through `portfolio.problem.Rules` alone); the message
catalogue is parsed with libyaml; and validate derives the weights without the AHP repair hints
(an optimisation per inconsistent matrix, which loaded `scipy.optimize`: 0.8 s). pandas still
comes in with `decide.ranking`, which validate uses to check the ranking method's parameters.
Wall times move with the machine's load (the load average above): compare with `python -c pass`
and `import decide.ranking` in the same run.
"""
    write_section("startup", text)
    print(text)


if __name__ == "__main__":
    main()
