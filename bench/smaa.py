"""Benchmark: SMAA-2 with TOPSIS (vector normalisation), 100 000 samples x 100 options x 5 criteria.

Compares, in one run:

* ``decide.sensitivity.smaa`` (chunked matrix products, chunk 1000): wall time of the whole
  analysis (acceptabilities, central weights, confidence factors), with the default threads
  (one, for fixed scores; best of 8 runs, two in each of 4 rounds that alternate with the
  pymcdm loop below, so a machine that changes speed meanwhile touches both sides alike) and
  on every CPU the process may use (best of 5), with the CPU time of the best run (CPU / wall =
  the cores actually used);
* the same with uncertain scores (every cell uniform within +-10 %, 20 000 samples) on one
  thread and on every CPU (the default there): the measurement behind the two defaults;
* a loop calling pymcdm's ``TOPSIS(vector_normalization)`` once per sample with its input
  validation off (``validation=False``, the baseline of the target) and accumulating the same
  acceptabilities and central weights: 10 000 samples timed (best of the 4 rounds) and
  extrapolated to 100 000
  (linear: every sample costs the same); the same loop with pymcdm's default validation on,
  2 000 samples timed;
* ``smaa(..., engine="loop")`` (decide's own TOPSIS kernel per sample), likewise extrapolated (best of 3).

Peak memory is measured two ways: the ``tracemalloc`` peak of one ``smaa`` call (Python and
numpy heap allocations made during the call), and the peak resident set size during one
``smaa`` call minus the RSS before it, in a fresh child process after the imports (Linux:
VmHWM reset through ``/proc/self/clear_refs``; elsewhere the growth of ``ru_maxrss``).

Run: ``.venv/bin/python bench/smaa.py``. Prints a markdown table and writes it to
``bench/_sections/smaa.md`` (merged into ``bench/RESULTS.md``).
"""
from __future__ import annotations

import datetime as _dt
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from section import write_section  # bench/section.py: sections written atomically

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from decide.sensitivity import ScoreSpec, WeightSpec, smaa  # noqa: E402
from decide.sensitivity._common import available_cpus  # noqa: E402

M, N, SAMPLES, LOOP_SAMPLES, FAST_LOOP_SAMPLES, CHUNK, SEED = 100, 5, 100_000, 2_000, 10_000, 1000, 0
DIRECTIONS = ["max", "min", "max", "max", "min"]
TARGET_SPEEDUP, TARGET_MB = 60.0, 150.0
UNCERTAIN_SAMPLES = 20_000
#: Alternating rounds of decide (two runs each) and the pymcdm loop (one run each).
ROUNDS = 4


def problem() -> np.ndarray:
    return np.random.default_rng(42).uniform(1.0, 100.0, (M, N))


def pymcdm_loop(X: np.ndarray, W: np.ndarray, validation: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per-sample pymcdm TOPSIS with the same accumulation as SMAA (no ties in this data)."""
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    types = np.array([1 if d == "max" else -1 for d in DIRECTIONS])
    topsis = TOPSIS(vector_normalization)
    counts = np.zeros((M, M))
    cw = np.zeros((M, N))
    for w in W:
        pref = topsis(X, w, types, validation=validation)
        order = np.argsort(-pref)
        counts[order, np.arange(M)] += 1
        cw[order[0]] += w
    return counts / len(W), cw


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "unknown"
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version', '')}".strip()
    except Exception:  # noqa: BLE001
        blas = "unknown"
    from importlib.metadata import version

    import pandas
    return {
        "nproc": available_cpus(),
        "cpu": model,
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "pandas": pandas.__version__,
        "pymcdm": version("pymcdm"),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?",
    }


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def child_rss() -> None:
    """In a fresh process: peak RSS during one smaa call minus RSS before it (KiB).

    Linux: the peak (VmHWM) is reset to the current RSS by writing 5 to
    /proc/self/clear_refs, so the high-water mark of the imports does not hide the call's.
    Elsewhere: growth of ``ru_maxrss``.
    """
    import decide.ranking  # noqa: F401 - imports are not the analysis's memory
    import pandas  # noqa: F401

    X = problem()
    np.ones((64, 64)) @ np.ones((64, 64))  # load BLAS
    try:
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_kib("VmRSS")
        smaa(X, DIRECTIONS, samples=SAMPLES, seed=SEED, chunk=CHUNK)
        print("VmHWM", _status_kib("VmHWM") - before)
    except OSError:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        smaa(X, DIRECTIONS, samples=SAMPLES, seed=SEED, chunk=CHUNK)
        print("ru_maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)


def best_of(runs: int, **kw) -> tuple[list[float], float, object]:
    """Wall times of ``runs`` smaa calls, and the CPU time of the fastest."""
    times, cpus, res = [], [], None
    for _ in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        res = smaa(problem(), DIRECTIONS, samples=SAMPLES, seed=SEED, chunk=CHUNK, **kw)
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return times, cpus[int(np.argmin(times))], res


def uncertain_scores(threads: int) -> dict:
    """Uncertain scores (every cell uniform within +-10 %), 20 000 samples: one thread against
    every CPU (the default there), best of 3 each."""
    X = problem()
    spec = ScoreSpec.uniform(X * 0.9, X * 1.1)
    out = {}
    for label, th in (("one", 1), ("all", threads)):
        best = None
        for _ in range(3):
            c0, t0 = time.process_time(), time.perf_counter()
            smaa(X, DIRECTIONS, samples=UNCERTAIN_SAMPLES, seed=SEED, scores=spec, threads=th)
            t, c = time.perf_counter() - t0, time.process_time() - c0
            if best is None or t < best[0]:
                best = (t, c)
        out[label] = best
    return out


def main() -> str:
    X = problem()
    info = machine()
    smaa(X, DIRECTIONS, samples=2000, seed=SEED, chunk=CHUNK)  # warm-up

    threads = available_cpus()
    # the target's ratio: decide's default and the pymcdm loop in alternating rounds, so a
    # machine that slows down or speeds up meanwhile touches both sides alike
    W = WeightSpec.uniform().sample(N, FAST_LOOP_SAMPLES, seed=SEED)  # the samples smaa uses
    pymcdm_loop(X, W[:50], validation=False)  # import pymcdm (and matplotlib) outside the timed loop
    times, cpus, fast_runs, res = [], [], [], None
    for _ in range(ROUNDS):
        t, c, res = best_of(2)  # the default: one thread with fixed scores
        times += t
        cpus.append((min(t), c))
        c0, t0 = time.process_time(), time.perf_counter()
        acc_fast, _ = pymcdm_loop(X, W, validation=False)
        fast_runs.append(((time.perf_counter() - t0) * SAMPLES / FAST_LOOP_SAMPLES,
                          (time.process_time() - c0) * SAMPLES / FAST_LOOP_SAMPLES))
    t_decide = min(times)
    cpu = min(cpus)[1]  # the CPU time of the fastest run
    t_fast, c_fast = min(fast_runs)
    times1, cpu1, res1 = best_of(5, threads=threads)
    t_one = min(times1)
    unc = uncertain_scores(threads)
    same = (np.array_equal(res.acceptability.to_numpy(), res1.acceptability.to_numpy())
            and np.array_equal(res.central_weights.to_numpy(), res1.central_weights.to_numpy(),
                               equal_nan=True)
            and np.array_equal(res.confidence.to_numpy(), res1.confidence.to_numpy(), equal_nan=True))

    tracemalloc.start()
    smaa(X, DIRECTIONS, samples=SAMPLES, seed=SEED, chunk=CHUNK)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20

    out = subprocess.run([sys.executable, __file__, "--child-rss"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    rss_how, rss_kib = out.stdout.strip().splitlines()[-1].split()
    rss_mb = int(rss_kib) / 1024

    c0, t0 = time.process_time(), time.perf_counter()
    acc_loop, _ = pymcdm_loop(X, W[:LOOP_SAMPLES], validation=True)
    t_loop = (time.perf_counter() - t0) * SAMPLES / LOOP_SAMPLES
    c_loop = (time.process_time() - c0) * SAMPLES / LOOP_SAMPLES
    small = smaa(X, DIRECTIONS, samples=FAST_LOOP_SAMPLES, seed=SEED, chunk=CHUNK)
    agree = float(np.max(np.abs(small.acceptability.to_numpy() - acc_fast)))
    small = smaa(X, DIRECTIONS, samples=LOOP_SAMPLES, seed=SEED, chunk=CHUNK)
    agree = max(agree, float(np.max(np.abs(small.acceptability.to_numpy() - acc_loop))))

    own_runs = []
    for _ in range(3):
        c0, t0 = time.process_time(), time.perf_counter()
        smaa(X, DIRECTIONS, samples=LOOP_SAMPLES, seed=SEED, engine="loop")
        own_runs.append(((time.perf_counter() - t0) * SAMPLES / LOOP_SAMPLES,
                         (time.process_time() - c0) * SAMPLES / LOOP_SAMPLES))
    t_own_loop, c_own_loop = min(own_runs)

    speedup = t_fast / t_decide
    ok = speedup >= TARGET_SPEEDUP and peak_mb < TARGET_MB and rss_mb < TARGET_MB
    lines = [
        "## SMAA-2 (TOPSIS, vector normalisation)",
        "",
        f"{SAMPLES:,} weight samples (uniform on the simplex) x {M} options x {N} criteria, "
        f"seed {SEED}, chunk {CHUNK}. Produced by `bench/smaa.py` on {info['date']}.",
        "",
        "| what | wall time for 100 000 samples | vs pymcdm loop, validation off | vs pymcdm loop, validation on | CPU time | CPU time vs pymcdm loop, validation off |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `decide.sensitivity.smaa`, default (one thread with fixed scores; batched, engine "
        f"`{res.engine}`; best of {len(times)}, in {ROUNDS} rounds alternating with the pymcdm loop: {', '.join(f'{t:.3f}' for t in times)} s; "
        f"{cpu / t_decide:.1f} cores busy) "
        f"| {t_decide:.3f} s | **{speedup:.0f}x** | {t_loop / t_decide:.0f}x | {cpu:.3f} s | {c_fast / cpu:.0f}x |",
        f"| `decide.sensitivity.smaa`, `threads={threads}` (best of 5: "
        f"{', '.join(f'{t:.3f}' for t in times1)} s; {cpu1 / t_one:.1f} cores busy) "
        f"| {t_one:.3f} s | {t_fast / t_one:.0f}x | {t_loop / t_one:.0f}x | {cpu1:.3f} s | {c_fast / cpu1:.0f}x |",
        f"| pymcdm `TOPSIS(vector_normalization)` per sample, `validation=False` "
        f"({FAST_LOOP_SAMPLES:,} timed, extrapolated; best of {ROUNDS}: "
        f"{', '.join(f'{t:.1f}' for t, _ in fast_runs)} s) | {t_fast:.1f} s | 1x | {t_loop / t_fast:.1f}x "
        f"| {c_fast:.1f} s | 1x |",
        f"| pymcdm `TOPSIS(vector_normalization)` per sample, validation on (pymcdm's default; "
        f"{LOOP_SAMPLES:,} timed, extrapolated) | {t_loop:.1f} s | {t_fast / t_loop:.2f}x | 1x "
        f"| {c_loop:.1f} s | {c_fast / c_loop:.2f}x |",
        f"| decide's TOPSIS kernel per sample (`engine=\"loop\"`, {LOOP_SAMPLES:,} timed, "
        f"extrapolated, best of 3) | {t_own_loop:.1f} s | {t_fast / t_own_loop:.1f}x | {t_loop / t_own_loop:.1f}x "
        f"| {c_own_loop:.1f} s | {c_fast / c_own_loop:.1f}x |",
        "",
        f"Threads, measured here: with fixed scores {threads} threads take {t_one / t_decide:.2f} "
        f"times the time of one, which is why one is the default there; with uncertain scores "
        f"(every cell uniform within +-10 %, {UNCERTAIN_SAMPLES:,} samples) one thread takes "
        f"{unc['one'][0]:.3f} s and {threads} threads (the default there) {unc['all'][0]:.3f} s "
        f"({unc['one'][0] / unc['all'][0]:.2f}x; {unc['all'][1] / unc['all'][0]:.1f} cores busy).",
        "",
        "| memory of one `smaa` call | MB |",
        "|---|---:|",
        f"| tracemalloc peak (Python + numpy allocations during the call) | {peak_mb:.1f} |",
        f"| peak RSS during the call minus RSS before it (fresh process, after imports; "
        f"{'VmHWM reset via /proc/self/clear_refs' if rss_how == 'VmHWM' else 'ru_maxrss growth'}) "
        f"| {rss_mb:.1f} |",
        "",
        f"Targets: >= {TARGET_SPEEDUP:.0f}x faster than the pymcdm loop with its validation off "
        f"and < {TARGET_MB:.0f} MB peak: **{'met' if ok else 'NOT met'}**. "
        f"One thread and {threads} threads give {'identical' if same else 'DIFFERENT'} results "
        f"(acceptabilities, central weights, confidence factors). On the common samples the "
        f"acceptabilities of the batched run and the pymcdm loops differ by at most {agree:.1e}"
        f"{' (samples whose closeness ties within 1e-9: decide splits them between the tied ranks, the loop counts them whole)' if agree else ''}. "
        "CPU time is user + system time of the whole process (every thread); on a shared machine "
        "it counts only this process's own work, while wall time also counts waiting for the CPU.",
        "",
        f"Machine: {info['nproc']} CPUs available ({info['cpu']}); Python {info['python']}, "
        f"numpy {info['numpy']} ({info['blas']}), pandas {info['pandas']}, "
        f"pymcdm {info['pymcdm']}. Load average at the start (1, 5, 15 min): {info['load']} "
        "(other jobs share the machine; times are wall-clock).",
        "",
    ]
    text = "\n".join(lines)
    write_section("smaa", text)
    return text


if __name__ == "__main__":
    if "--child-rss" in sys.argv:
        child_rss()
    else:
        print(main())
