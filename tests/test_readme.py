"""Everything a user reads in README.md runs: each `$ decide ...` line and the Python block."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from decide.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [line[2:].strip() for line in README.splitlines() if line.startswith("$ decide ")
            and not line.startswith("$ decide workshop ")]  # run by tests/test_workshop_browser.py
PYTHON = re.findall(r"```python\n(.*?)```", README, flags=re.S)
# documented outcomes other than 0: the README shows the infeasible budget on purpose
EXPECTED_CODE = {"decide allocate models/zaaksysteem.yaml --budget 900000": 3}


def test_readme_has_commands_and_makefile_targets():
    assert len(COMMANDS) >= 8
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo:", "test:", "notebooks:", "bench:"):
        assert target in makefile
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _run(line: str, tmp_path: Path) -> int:
    """Run one README command with its outputs in ``tmp_path``; a file or folder it reads that an
    earlier README command writes (the Excel route: workbook, then import) is made first."""
    args = shlex.split(line)[1:]
    for k, arg in enumerate(args):
        if arg.startswith("-") or (k and args[k - 1].startswith("--")) or (ROOT / arg).exists():
            continue
        producer = next((c for c in COMMANDS if f"--out {arg}" in c), None)
        if producer is not None:
            if not (tmp_path / arg).exists():
                assert _run(producer, tmp_path) == 0, producer
            args[k] = str(tmp_path / arg)
    for flag in ("--out", "--store"):  # write into a temporary folder, not into the checkout
        if flag in args:
            i = args.index(flag)
            args[i + 1] = str(tmp_path / args[i + 1])
    if args[0] == "sensitivity":  # keep the suite quick; the command is the same
        args += ["--samples", "1000"]
    return main(args)


@pytest.mark.parametrize("line", COMMANDS)
def test_readme_command_runs(line, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    code = _run(line, tmp_path)
    err = capsys.readouterr().err
    assert code == EXPECTED_CODE.get(line, 0), err
    assert "Traceback" not in err


@pytest.mark.parametrize("block", PYTHON)
def test_readme_python_runs(block, monkeypatch):
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    assert "decide" in namespace
