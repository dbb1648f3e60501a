"""Assemble bench/RESULTS.md from the sections each benchmark script writes.

Each ``bench/<name>.py`` writes ``bench/_sections/<name>.md`` (its figures, machine and
date, ratios against the baseline measured in the same run). This script only joins them:
``make bench`` runs the scripts and then this.
"""
from __future__ import annotations

from pathlib import Path

from section import write_atomic  # bench/section.py: sections written atomically

HERE = Path(__file__).parent
ORDER = ["ranking", "smaa", "portfolio", "portfolio_robustness", "workshop", "startup", "large_report"]

HEADER = """# Benchmark results

Figures are recorded by the scripts in `bench/` (run them all with `make bench`); each
section names its machine, date and library versions. Times on these shared 2-core machines
are noisy, so every comparison is a ratio against a baseline measured **in the same run**, and
each section states its target and whether it was met. Benchmarks are not timed tests: the
test suite never fails on speed.

"""


def main() -> None:
    sections = {p.stem: p.read_text(encoding="utf-8").strip() for p in (HERE / "_sections").glob("*.md")}
    names = [n for n in ORDER if n in sections] + sorted(n for n in sections if n not in ORDER)
    text = HEADER + "\n\n".join(sections[n] for n in names) + "\n"
    write_atomic(HERE / "RESULTS.md", text)
    print(f"bench/RESULTS.md: {len(names)} sections ({', '.join(names)})")


if __name__ == "__main__":
    main()
