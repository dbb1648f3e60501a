"""Hostile and huge input: every case gives its exact located message, exit 2, no traceback,
under 1 GB of memory and 30 s; legitimate models stay valid; unreadable paths are located errors.

The corpus is ``tests/data/hostile/cases.py`` (the files) and ``expected.yaml`` (the messages,
``file:line: loc: message [code]`` with the file shown as ``CASE``). All cases run in one child
process (imports are paid once) that limits its own address space with ``resource.setrlimit``
and times each case; the test fails when a case exceeds the limits, raises anything but decide's
own error, or words its message differently.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = ROOT / "tests" / "data" / "hostile"
sys.path.insert(0, str(HOSTILE))
from cases import CASES, VALID  # noqa: E402

EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))
MEMORY_LIMIT = 1 << 30  # bytes of address space for the child
TIME_LIMIT = 30.0  # seconds per case

RUNNER = r"""
import contextlib, io, json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from decide.cli import main
results = {}
for path in sys.argv[3:]:
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", path])
        crash = None
    except BaseException as exc:  # MemoryError, RecursionError, anything not decide's own
        code, crash = None, f"{type(exc).__name__}: {exc}"[:500]
    results[path] = {"code": code, "seconds": time.perf_counter() - start, "stderr": err.getvalue(),
                     "stdout": out.getvalue(), "crash": crash}
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    json.dump(results, fh)
"""


def run_cases(tmp_path: Path, files: dict[str, bytes]) -> dict[str, dict]:
    paths = {}
    for name, data in files.items():
        p = tmp_path / f"{name}.yaml"
        p.write_bytes(data)
        paths[name] = str(p)
    report = tmp_path / "results.json"
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(report), str(MEMORY_LIMIT), *paths.values()],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=TIME_LIMIT * (len(files) + 2))
    assert proc.returncode == 0, proc.stderr[-2000:]
    raw = json.loads(report.read_text(encoding="utf-8"))
    return {name: raw[path] for name, path in paths.items()}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return run_cases(tmp_path_factory.mktemp("hostile"), {**CASES, **VALID})


def test_corpus_and_expectations_match():
    assert set(EXPECTED) == set(CASES)
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_case_gives_its_located_message(results, name):
    r = results[name]
    assert r["crash"] is None, r["crash"]
    assert r["code"] == 2, r
    assert "Traceback" not in r["stderr"]
    assert r["seconds"] < TIME_LIMIT
    lines = [line.strip() for line in r["stderr"].splitlines()[1:] if line.strip()]
    got = [line.split(".yaml", 1)[1] if ".yaml" in line else line for line in lines]
    assert got == EXPECTED[name], "\n".join(got)
    for line in got:  # every problem is located: a line number or a place in the file
        assert line.startswith(":") and ("[" in line)


@pytest.mark.parametrize("name", sorted(VALID))
def test_legitimate_models_stay_valid(results, name):
    r = results[name]
    assert r["crash"] is None and r["code"] == 0, r["stderr"]


def _validate(path: str, *extra: str) -> tuple[int, str]:
    from contextlib import redirect_stderr, redirect_stdout
    from io import StringIO

    from decide.cli import main

    err = StringIO()
    with redirect_stderr(err), redirect_stdout(StringIO()):
        code = main(["validate", path, *extra])
    return code, err.getvalue()


def test_paths_that_are_no_model_file(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    os.mkfifo(tmp_path / "pipe.yaml")
    os.symlink(tmp_path / "loop_a.yaml", tmp_path / "loop_b.yaml")
    os.symlink(tmp_path / "loop_b.yaml", tmp_path / "loop_a.yaml")
    cases = {
        "folder.yaml": "this is a folder, not a model file; name a .yaml file [not-a-file]",
        "pipe.yaml": "this is not a regular file (a pipe, device or socket); save the model as a .yaml file "
                     "and name that [not-a-file]",
        "loop_a.yaml": "the file cannot be read (Too many levels of symbolic links); check its permissions and "
                       "the path [file-unreadable]",
        "missing.yaml": "file not found; check the path (models live in models/*.yaml) [file-not-found]",
    }
    for name, message in cases.items():
        code, err = _validate(str(tmp_path / name), "--lang", "en")
        assert code == 2 and "Traceback" not in err
        assert err.strip().endswith(message), err
    code, err = _validate("/dev/zero")
    assert code == 2 and "[not-a-file]" in err and "pipe, apparaat of socket" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(tmp_path):
    p = tmp_path / "secret.yaml"
    p.write_text("decide: 1\n")
    p.chmod(0)
    code, err = _validate(str(p), "--lang", "en")
    assert code == 2 and "[file-unreadable]" in err and "Permission denied" in err


def test_file_size_limit(tmp_path):
    from decide import loader

    p = tmp_path / "huge.yaml"
    with p.open("wb") as fh:
        fh.write(b"decide: 1\ntitle: t\n# ")
        fh.write(b"x" * (loader.MAX_FILE_BYTES + 10))
    code, err = _validate(str(p), "--lang", "en")
    assert code == 2 and "[file-too-large]" in err and "the file is larger than 16 MB" in err
