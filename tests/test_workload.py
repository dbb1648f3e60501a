"""Long work is bounded and visible: the SMAA estimate and cap, progress lines outside a terminal."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from decide.cli import Heartbeat, Progress
from decide.loader import loads_model
from decide.workload import MIN_SAMPLES, TARGET_SECONDS, smaa_plan

ROOT = Path(__file__).resolve().parents[1]


def catalogue(options: int, criteria: int, uncertain: bool, extra: str = "") -> str:
    crit = "".join(f"  - {{id: c{j}, direction: max}}\n" for j in range(criteria))
    rows = []
    for i in range(options):
        cells = ", ".join(f"c{j}: {'[1, 3]' if uncertain and j == 0 else (i + j) % 5 + 1}" for j in range(criteria))
        rows.append(f"  - {{id: o{i}, scores: {{{cells}}}}}\n")
    return f"decide: 1\ntitle: catalogus\ncriteria:\n{crit}alternatives:\n{''.join(rows)}{extra}"


def test_default_run_of_a_large_uncertain_model_is_capped():
    model = loads_model(catalogue(1500, 12, uncertain=True))
    plan = smaa_plan(model)
    assert plan.capped and not plan.explicit and plan.asked == 10_000
    assert MIN_SAMPLES <= plan.samples < 10_000 and plan.seconds <= TARGET_SECONDS + 1e-9
    assert "minut" in plan.estimate_text("nl") or "second" in plan.estimate_text("en")
    # asked for on the command line or in the model: the samples are kept, the estimate is told
    assert smaa_plan(model, 10_000).samples == 10_000
    chosen = loads_model(catalogue(1500, 12, True, "sensitivity: {samples: 10000}\n"))
    assert smaa_plan(chosen).samples == 10_000 and smaa_plan(chosen).explicit


def test_small_models_keep_their_samples():
    for name in ("zaaksysteem", "werkplek", "dataplatform"):
        from decide.loader import load_model

        plan = smaa_plan(load_model(ROOT / "models" / f"{name}.yaml"))
        assert not plan.capped and plan.samples == 10_000


def test_progress_outside_a_terminal_writes_a_line_every_few_seconds(capsys):
    clock = iter([0.0, 0.0, 1.0, 2.0, 6.0, 7.0, 12.0])
    p = Progress("SMAA", lang="en", every=5.0)
    p.tty = False
    p._clock = lambda: next(clock)
    p._start = 0.0
    for done in (100, 200, 300, 400, 500, 600, 1000):
        p(done, 1000)
    lines = capsys.readouterr().err.splitlines()
    # clock per call: 0, 0, 1, 2, 6, 7, 12 -> the first, the first after 5 s, and the last
    assert lines == ["SMAA: 100 of 1,000 (10%), 0 s", "SMAA: 500 of 1,000 (50%), 6 s",
                     "SMAA: 1,000 of 1,000 (100%), 12 s"]


def test_heartbeat_fills_the_silence(capsys):
    import time

    p = Progress("SMAA", lang="nl")
    p.tty = False
    with Heartbeat(p, "stage_report", every=1.0):
        time.sleep(2.5)
    err = capsys.readouterr().err
    assert "bezig: rapportbestanden" in err


def test_cli_shows_progress_in_a_pipe():
    proc = subprocess.run([sys.executable, "-m", "decide", "sensitivity", "models/werkplek.yaml", "--samples", "3000",
                           "--lang", "en"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("SMAA:")]
    assert lines and "(100%)" in lines[-1]  # two passes when scores are uncertain: 6,000 steps


def test_cli_refuses_samples_and_seeds_beyond_their_limits(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    from decide.cli import main

    assert main(["sensitivity", "models/werkplek.yaml", "--samples", "2000000000", "--lang", "en"]) == 2
    assert "--samples: expected at most 1,000,000, got 2000000000" in capsys.readouterr().err
    assert main(["sensitivity", "models/werkplek.yaml", "--seed", "9" * 30, "--lang", "nl"]) == 2
    assert "--seed: verwacht hoogstens 4.294.967.295" in capsys.readouterr().err
