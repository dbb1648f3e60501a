"""The final move checks again: without --force, a target that appears between the up-front check
and the move is never replaced; the write is refused with the up-front check's error, exit 2, and
nothing of the new write is left behind. With --force the move replaces, as before."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from decide.errors import DecideError, Message
from decide.report import safe_io
from decide.report.safe_io import atomic_write, move_new, publish

ROOT = Path(__file__).resolve().parents[2]
NAME = "plan-nl"
NEW = {f"{NAME}.json": b'{"run": "new"}', f"{NAME}.md": b"# new", f"{NAME}.html": b"<p>new</p>",
       f"{NAME}-csv/ranking.csv": b"id\r\nnew\r\n", f"{NAME}-csv/weights.csv": b"id\r\nnew-weights\r\n"}


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative POSIX path -> bytes), hidden entries included."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def race(monkeypatch, name: str, before, times: int = 1):
    """Run ``before()`` just before the ``times``-th call of ``safe_io.<name>``: the target appears
    after the up-front check and before the move."""
    real = getattr(safe_io, name)
    calls = {"n": 0}

    def hooked(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == times:
            before(*args)
        return real(*args, **kwargs)

    monkeypatch.setattr(safe_io, name, hooked)
    return calls


def refusal(path: Path) -> Message:
    return Message("workbook.file_exists", path=path)


# =========================================================================== one file
def test_a_file_that_appears_before_the_move_is_kept_and_the_write_refused(tmp_path, monkeypatch):
    target = tmp_path / "model.xlsx"
    race(monkeypatch, "_final_move", lambda tmp, path, replace: path.write_bytes(b"theirs"))
    with pytest.raises(DecideError) as err:
        atomic_write(target, b"ours", if_exists=refusal(target))
    assert err.value.args[0] == refusal(target) and "already exists" in str(err.value)
    assert target.read_bytes() == b"theirs"
    assert names(tmp_path) == ["model.xlsx"]  # no temporary left behind


def test_a_dangling_symlink_that_appears_is_kept_too(tmp_path, monkeypatch):
    target = tmp_path / "model.xlsx"
    race(monkeypatch, "_final_move", lambda tmp, path, replace: os.symlink(tmp_path / "missing", path))
    with pytest.raises(DecideError):
        atomic_write(target, b"ours", if_exists=refusal(target))
    assert target.is_symlink() and not target.exists() and names(tmp_path) == ["model.xlsx"]


def test_with_force_the_move_replaces(tmp_path, monkeypatch):
    target = tmp_path / "model.xlsx"
    race(monkeypatch, "_final_move", lambda tmp, path, replace: path.write_bytes(b"theirs"))
    atomic_write(target, b"ours")
    assert target.read_bytes() == b"ours" and names(tmp_path) == ["model.xlsx"]


def test_without_a_race_the_file_is_written_whole_and_readable(tmp_path):
    target = tmp_path / "sub" / "model.xlsx"
    atomic_write(target, b"ours", if_exists=refusal(target))
    assert target.read_bytes() == b"ours" and names(target.parent) == ["model.xlsx"]
    assert os.stat(target).st_nlink == 1 and oct(os.stat(target).st_mode & 0o777) == "0o644"


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP])
def test_without_hard_links_a_last_look_still_refuses(tmp_path, monkeypatch, code):
    """A file system that cannot hard-link (FAT, some SMB and FUSE mounts) falls back to a look
    right before a replacing rename."""
    def no_links(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(safe_io.os, "link", no_links)
    free = tmp_path / "free.xlsx"
    atomic_write(free, b"ours", if_exists=refusal(free))
    assert free.read_bytes() == b"ours"
    target = tmp_path / "model.xlsx"
    race(monkeypatch, "_final_move", lambda tmp, path, replace: path.write_bytes(b"theirs"))
    with pytest.raises(DecideError):
        atomic_write(target, b"ours", if_exists=refusal(target))
    assert target.read_bytes() == b"theirs" and names(tmp_path) == ["free.xlsx", "model.xlsx"]


def test_move_new_refuses_every_kind_of_target_and_moves_into_a_free_name(tmp_path):
    src = tmp_path / "src"
    src.write_bytes(b"ours")
    folder = tmp_path / "dir"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "f").write_bytes(b"x")
    (tmp_path / "file").write_bytes(b"theirs")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "f").write_bytes(b"theirs")
    os.symlink(tmp_path / "missing", tmp_path / "dangling")
    for taken in ("file", "full", "dangling"):
        for what in (src, folder):
            with pytest.raises(FileExistsError):
                move_new(what, tmp_path / taken)
    assert (tmp_path / "file").read_bytes() == b"theirs" and (tmp_path / "full" / "f").read_bytes() == b"theirs"
    move_new(src, tmp_path / "moved")
    move_new(folder, tmp_path / "moved-dir")
    assert (tmp_path / "moved").read_bytes() == b"ours" and not src.exists()
    assert (tmp_path / "moved-dir" / "inner" / "f").read_bytes() == b"x" and not folder.exists()


@pytest.mark.parametrize("lang,text", [("nl", "bestaat al"), ("en", "already exists")])
def test_cli_workbook_race_is_exit_2_with_the_up_front_message(tmp_path, monkeypatch, capsys, lang, text):
    from decide.cli import main

    monkeypatch.chdir(ROOT)
    target = tmp_path / "zaak.xlsx"
    race(monkeypatch, "_final_move", lambda tmp, path, replace: path.write_bytes(b"theirs"))
    assert main(["workbook", "models/zaaksysteem.yaml", "--out", str(target), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert text in err and str(target) in err and "Traceback" not in err
    assert target.read_bytes() == b"theirs" and names(tmp_path) == ["zaak.xlsx"]
    # the up-front check gives the same sentence when the file is there from the start
    assert main(["workbook", "models/zaaksysteem.yaml", "--out", str(target), "--lang", lang]) == 2
    assert capsys.readouterr().err.splitlines()[0] == err.splitlines()[0]


# =========================================================================== the report folder
def _theirs_md(out: Path) -> None:
    (out / f"{NAME}.md").write_bytes(b"# theirs")


def test_a_report_part_that_appears_before_the_swap_refuses_it(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_bytes(b"mine")
    race(monkeypatch, "_write_journal", lambda folder, name, record: _theirs_md(folder))
    with pytest.raises(DecideError, match=r"1 part\(s\) of an earlier report exist \(plan-nl.md\)"):
        publish(out, NAME, NEW, lang="en")
    assert snapshot(out) == {"notes.txt": b"mine", f"{NAME}.md": b"# theirs"}  # no staging, no journal


@pytest.mark.parametrize("at", [1, 2, 3, 4])
def test_a_report_part_that_appears_during_the_swap_refuses_it_and_the_moved_parts_go(tmp_path, monkeypatch, at):
    """Entries move in name order (csv folder, html, json, md); the ``at``-th one's name is taken
    just before its move: by a file, or for the folder by a folder with a file in it."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_bytes(b"mine")
    entries = sorted({rel.split("/")[0] for rel in NEW})
    taken = entries[at - 1]

    def appear(src, dst):
        if Path(dst).name == f"{NAME}-csv":
            (out / taken).mkdir()
            (out / taken / "theirs.csv").write_bytes(b"theirs")
        else:
            (out / taken).write_bytes(b"theirs")

    race(monkeypatch, "move_new", appear, times=at)
    with pytest.raises(DecideError) as err:
        publish(out, NAME, NEW, lang="nl")
    assert f"1 onderdeel/onderdelen van een eerder rapport bestaan al ({taken})" in str(err.value)
    theirs = {f"{taken}/theirs.csv" if taken.endswith("-csv") else taken: b"theirs"}
    assert snapshot(out) == {"notes.txt": b"mine", **theirs}


def test_recovery_of_a_killed_swap_refuses_a_part_that_appeared_meanwhile(tmp_path):
    """Killed in phase 2 (the json already in, the md not yet), and before the next run another
    process writes the md: the next run cannot complete the swap without replacing it, so it undoes
    the swap and refuses, as the up-front check would."""
    out = tmp_path / "out"
    stage = out / f".{NAME}.staging-abc"
    stage.mkdir(parents=True)
    (out / "notes.txt").write_bytes(b"mine")
    (out / f"{NAME}.json").write_bytes(b"ours")  # moved in before the kill
    (stage / f"{NAME}.md").write_bytes(b"# ours")
    record = {"staging": stage.name, "backup": f".{NAME}.previous-abc", "phase": 2, "force": False,
              "entries": [f"{NAME}.json", f"{NAME}.md"]}
    safe_io._write_journal(out, NAME, record)
    _theirs_md(out)
    with pytest.raises(DecideError, match=r"1 part\(s\) of an earlier report exist \(plan-nl.md\)"):
        safe_io.recover(out, NAME)
    assert snapshot(out) == {"notes.txt": b"mine", f"{NAME}.md": b"# theirs"}


def test_with_force_a_part_that_appears_during_the_swap_is_replaced(tmp_path, monkeypatch):
    out = tmp_path / "out"
    real = os.rename

    def appear_then_rename(src, dst):
        if Path(dst).name == f"{NAME}.md":
            _theirs_md(out)
        return real(src, dst)

    publish(out, NAME, {f"{NAME}.json": b"{}"})
    monkeypatch.setattr(safe_io.os, "rename", appear_then_rename)
    publish(out, NAME, NEW, force=True)
    assert snapshot(out) == NEW


@pytest.mark.parametrize("lang,text", [("nl", "bestaan al"), ("en", "exist")])
def test_cli_report_race_is_exit_2_with_the_up_front_message(tmp_path, monkeypatch, capsys, lang, text):
    from decide.cli import main

    monkeypatch.chdir(ROOT)
    out = tmp_path / "r"
    name = f"werkplek-{lang}"
    race(monkeypatch, "_write_journal", lambda folder, n, record: (folder / f"{name}.json").write_bytes(b"theirs"))
    code = main(["report", "models/werkplek.yaml", "--out", str(out), "--format", "json,md", "--samples", "200",
                 "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2 and text in err and f"{name}.json" in err and "Traceback" not in err
    assert snapshot(out) == {f"{name}.json": b"theirs"}
    monkeypatch.undo()
    monkeypatch.chdir(ROOT)
    assert main(["report", "models/werkplek.yaml", "--out", str(out), "--format", "json", "--samples", "200",
                 "--lang", lang]) == 2  # the up-front check: the same sentence (after the progress lines)
    assert capsys.readouterr().err.splitlines()[-1] == err.splitlines()[-1]
