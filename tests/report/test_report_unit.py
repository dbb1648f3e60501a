"""A report folder always holds one analysis: staged, swapped in whole, intact on failure or kill."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from decide.errors import DecideError
from decide.report import preflight, write_report
from decide.report import safe_io
from decide.report.safe_io import publish, recover, unit_entries

ROOT = Path(__file__).resolve().parents[2]
NAME = "plan-nl"
OLD = {f"{NAME}.json": b'{"run": "old"}', f"{NAME}.md": b"# old", f"{NAME}-csv/ranking.csv": b"id\r\nold\r\n",
       f"{NAME}-csv/portfolio.csv": b"id\r\nold-portfolio\r\n", f"{NAME}-charts/frontier.png": b"old-png"}
NEW = {f"{NAME}.json": b'{"run": "new"}', f"{NAME}.md": b"# new", f"{NAME}.html": b"<p>new</p>",
       f"{NAME}-csv/ranking.csv": b"id\r\nnew\r\n", f"{NAME}-csv/weights.csv": b"id\r\nnew-weights\r\n"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes), hidden entries included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def with_mine(files: dict[str, bytes]) -> dict[str, bytes]:
    return {**files, "notes.txt": b"mine"}


@pytest.fixture
def earlier(tmp_path):
    out = tmp_path / "out"
    publish(out, NAME, OLD)
    (out / "notes.txt").write_bytes(b"mine")
    assert snapshot(out) == with_mine(OLD)
    return out


def test_force_replaces_the_whole_earlier_report_and_nothing_else(earlier):
    publish(earlier, NAME, NEW, force=True)
    # the earlier portfolio.csv and frontier.png are gone: the new report does not write them
    assert snapshot(earlier) == with_mine(NEW)


def test_without_force_any_part_of_an_earlier_report_refuses(earlier):
    with pytest.raises(DecideError, match="replace that whole report on purpose") as err:
        publish(earlier, NAME, {f"{NAME}.xlsx": b"x"}, lang="en")
    assert "4 part(s) of an earlier report" in str(err.value)
    assert snapshot(earlier) == with_mine(OLD)
    publish(earlier, "plan-en", {"plan-en.json": b"{}"})  # another language is another report
    assert (earlier / "plan-en.json").exists()


@pytest.mark.parametrize("fail_at", range(12))
def test_a_failed_write_leaves_the_earlier_report_and_says_so(earlier, monkeypatch, fail_at):
    calls = {"n": 0}
    real = os.write

    def disk_full(fd, data):
        calls["n"] += 1
        if calls["n"] > fail_at:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(safe_io.os, "write", disk_full)
    try:
        publish(earlier, NAME, NEW, force=True, lang="en")
    except DecideError as exc:
        assert "No space left on device" in str(exc)
        assert "the earlier report in" in str(exc) and "is unchanged" in str(exc)
        assert snapshot(earlier) == with_mine(OLD)
    else:  # enough writes succeeded: the new report is complete
        assert snapshot(earlier) == with_mine(NEW)


def test_a_failed_swap_puts_the_earlier_report_back(earlier, monkeypatch):
    real = os.rename
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 6:  # during phase 2: part of the new report is in place
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real(src, dst)

    monkeypatch.setattr(safe_io.os, "rename", flaky)
    with pytest.raises(DecideError, match="the earlier report has been put back"):
        publish(earlier, NAME, NEW, force=True, lang="en")
    assert snapshot(earlier) == with_mine(OLD)


KILLER = textwrap.dedent("""
    import json, os, signal, sys
    from decide.report import safe_io

    kill_at = int(sys.argv[2])
    calls = [0]

    def wrap(fn):
        def inner(*a, **k):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)  # kill -9: no cleanup runs
            return fn(*a, **k)
        return inner

    for name in ("write", "rename", "replace", "link", "unlink", "mkdir", "rmdir"):
        setattr(safe_io.os, name, wrap(getattr(os, name)))
    new = {k: v.encode("latin-1") for k, v in json.loads(sys.argv[3]).items()}
    safe_io.publish(sys.argv[1], "plan-nl", new, force=sys.argv[4] == "force")
    print(calls[0])
""")


def test_killed_at_every_write_leaves_the_whole_old_or_the_whole_new_report(tmp_path):
    import json

    payload = json.dumps({k: v.decode("latin-1") for k, v in NEW.items()})
    count = subprocess.run([sys.executable, "-c", KILLER, str(tmp_path / "probe"), "0", payload, "force"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    steps = int(count.stdout.strip())
    assert steps >= 15  # writes, renames, unlinks: each one a place to be killed
    seen = set()
    for kill_at in range(1, steps + 1):
        out = tmp_path / f"run{kill_at}"
        publish(out, NAME, OLD)
        (out / "notes.txt").write_bytes(b"mine")
        proc = subprocess.run([sys.executable, "-c", KILLER, str(out), str(kill_at), payload, "force"],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == -signal.SIGKILL, (kill_at, proc.stderr)
        recover(out, NAME)  # what the next decide report does first
        after = snapshot(out)
        assert after in (with_mine(OLD), with_mine(NEW)), (kill_at, sorted(after))
        seen.add("old" if after == with_mine(OLD) else "new")
    assert seen == {"old", "new"}  # kills before and after the commit point both happened


def test_a_first_report_killed_at_every_step_is_all_or_nothing(tmp_path):
    """Without force each entry moves in by a hard link and an unlink: a kill between the two
    leaves the file under both names, and recovery keeps the one in the report."""
    import json

    payload = json.dumps({k: v.decode("latin-1") for k, v in NEW.items()})
    count = subprocess.run([sys.executable, "-c", KILLER, str(tmp_path / "probe"), "0", payload, "new"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    steps = int(count.stdout.strip())
    assert steps >= 15
    seen = set()
    for kill_at in range(1, steps + 1):
        out = tmp_path / f"run{kill_at}"
        out.mkdir()
        (out / "notes.txt").write_bytes(b"mine")
        proc = subprocess.run([sys.executable, "-c", KILLER, str(out), str(kill_at), payload, "new"],
                              capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == -signal.SIGKILL, (kill_at, proc.stderr)
        recover(out, NAME)
        after = snapshot(out)
        assert after in (with_mine({}), with_mine(NEW)), (kill_at, sorted(after))
        assert all(os.stat(p).st_nlink == 1 for p in out.rglob("*") if p.is_file())  # no second name left
        seen.add("nothing" if after == with_mine({}) else "new")
    assert seen == {"nothing", "new"}


def test_preflight_completes_an_interrupted_swap(tmp_path):
    out = tmp_path / "out"
    publish(out, NAME, OLD)
    stage = out / f".{NAME}.staging-x"
    stage.mkdir()
    (stage / f"{NAME}.json").write_bytes(b"half")  # a write killed before its commit point
    assert recover(out, NAME) == "cleaned"
    assert snapshot(out) == OLD


def test_symlinks_fifos_and_files_in_the_way(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.json"
    target.write_bytes(b"keep me")
    os.symlink(tmp_path / "missing", out / f"{NAME}.md")  # a dangling symlink at a report name
    os.symlink(target, out / f"{NAME}.json")
    with pytest.raises(DecideError, match="replace that whole report on purpose"):
        publish(out, NAME, NEW)
    publish(out, NAME, NEW, force=True)
    assert target.read_bytes() == b"keep me"  # moved aside, never written through
    assert not (out / f"{NAME}.json").is_symlink() and (out / f"{NAME}.json").read_bytes() == NEW[f"{NAME}.json"]
    # a FIFO and a file where the csv folder goes
    other = tmp_path / "other"
    other.mkdir()
    os.mkfifo(other / f"{NAME}.html")
    (other / f"{NAME}-csv").write_bytes(b"a file, not a folder")
    assert len(unit_entries(other, NAME)) == 2
    with pytest.raises(DecideError, match="replace that whole report on purpose"):
        publish(other, NAME, NEW)
    publish(other, NAME, NEW, force=True)
    assert snapshot(other) == NEW


def test_out_must_name_a_folder(tmp_path, werkplek):
    # the library names the output folder, never a command-line flag
    for refuse in (lambda: publish("", NAME, NEW), lambda: preflight(werkplek.model, "", formats="json"),
                   lambda: write_report(werkplek, "  ", formats="json")):
        with pytest.raises(DecideError, match="expected a folder name|verwacht de naam van een map") as err:
            refuse()
        assert "--" not in str(err.value)


def test_write_report_force_drops_sections_the_new_report_lacks(werkplek, tmp_path):
    out = tmp_path / "r"
    write_report(werkplek, out, formats=("csv", "json", "md"), lang="en")
    assert (out / "werkplek-en-charts").is_dir()
    write_report(werkplek, out, formats="json", lang="en", force=True)
    assert sorted(p.name for p in out.iterdir()) == ["werkplek-en.json"]
