"""The command line on every example model: exit codes, JSON shapes, clean errors.

Commands run in a subprocess (as a user runs them) where stdout cleanliness or the
process exit code matter; elsewhere through ``main()`` for speed.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from decide.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))
ALLOCATION = [p for p in EXAMPLES if "allocation:" in p.read_text(encoding="utf-8")]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run ``python -m decide ARGS`` and capture everything."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "decide", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)


def call(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_command_on_every_example(capsys, path):
    model = str(path)
    for args in (["validate", model], ["show", model], ["weights", model], ["rank", model],
                 ["rank", model, "--compare"], ["sensitivity", model, "--samples", "1000"], ["sensitivity", model, "--samples", "0", "--reversal"],
                 ["review", model]):
        code, out, err = call(capsys, *args)
        assert code == 0, (args, err)
        assert out.strip() and "Traceback" not in err
    code, out, err = call(capsys, "allocate", model)
    if path in ALLOCATION:
        assert code == 0, err
        assert "Spend per supplier" in out or "Uitgaven per leverancier" in out
    else:
        assert code == 2 and "[no-allocation]" in err and "Traceback" not in err


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_outputs(capsys, path):
    model = str(path)
    code, out, _ = call(capsys, "rank", model, "--json")
    rank = json.loads(out)
    assert code == 0 and set(rank) >= {"method", "ranking", "excluded"}
    assert {"id", "label", "score", "rank"} <= set(rank["ranking"][0])
    assert sorted(r["rank"] for r in rank["ranking"])[0] == 1
    code, out, _ = call(capsys, "weights", model, "--json")
    w = json.loads(out)
    assert abs(sum(w["weights"].values()) - 1) < 1e-9
    code, out, _ = call(capsys, "sensitivity", model, "--json", "--samples", "500")
    s = json.loads(out)
    assert set(s) >= {"stability", "smaa", "summary"}
    assert set(s["smaa"]) >= {"acceptability", "central_weights", "confidence"}
    code, out, _ = call(capsys, "review", model, "--json")
    checks = json.loads(out)["checks"]
    assert checks and {"id", "question", "status", "finding", "advice", "source"} <= set(checks[0])


@pytest.mark.parametrize("path", ALLOCATION, ids=lambda p: p.stem)
def test_allocate_json_is_clean_on_stdout(path):
    """highspy prints a banner on stdout; --json output must still parse."""
    res = run("allocate", str(path), "--json", "--frontier", "--scenarios")
    assert res.returncode == 0, res.stderr
    payload = json.loads(res.stdout)
    assert set(payload) >= {"status", "objective", "chosen", "total_cost", "spend_by_supplier", "binding_rules",
                            "solver", "price_of_rules"}
    assert payload["status"] == "optimal" and payload["chosen"]


def test_infeasible_allocation_is_explained_with_exit_3(capsys):
    code, out, err = call(capsys, "allocate", str(ROOT / "models/zaaksysteem.yaml"), "--budget", "900000")
    assert code == 3
    assert "short" in out or "budget" in out
    code, out, _ = call(capsys, "allocate", str(ROOT / "models/zaaksysteem.yaml"), "--budget", "900000", "--json")
    payload = json.loads(out)
    assert code == 3 and payload["status"] == "infeasible" and payload["explanation"]


def test_broken_model_exits_2_without_traceback():
    res = run("rank", "tests/data/broken/five_mistakes.yaml")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert "tests/data/broken/five_mistakes.yaml:11: criteria[1].children[1].direction" in res.stderr
    assert res.stderr.count("[") >= 5


def test_validate_json_lists_problems(capsys):
    code, out, _ = call(capsys, "validate", str(ROOT / "tests/data/broken/five_mistakes.yaml"), "--json")
    payload = json.loads(out)
    assert code == 2 and payload["valid"] is False and len(payload["problems"]) == 5
    assert {"code", "loc", "line", "message"} == set(payload["problems"][0])


def test_bad_arguments_exit_2(capsys):
    assert main(["rank"]) == 2  # missing MODEL
    assert main(["rank", str(ROOT / "models/werkplek.yaml"), "--method", "nonsense"]) == 2
    assert "nonsense" in capsys.readouterr().err
    assert main([]) == 2


def test_help_has_an_example_for_every_command(capsys):
    from decide.cli import COMMANDS

    for name in COMMANDS:
        with pytest.raises(SystemExit) as info:
            main([name, "--help"]) if False else __import__("decide.cli").cli.build_parser().parse_args([name, "--help"])
        assert info.value.code == 0
        assert "Example: decide " + name in capsys.readouterr().out


def test_version():
    res = run("--version")
    assert res.returncode == 0 and res.stdout.startswith("decide ")


@pytest.mark.parametrize("lang, note, refusal", [
    ("nl", "let op: de knock-outeisen sluiten elke optie uit (5 van 5)", "de eisen sluiten elke optie uit (5 van 5)"),
    ("en", "note: the knock-out requirements exclude every option (5 of 5)",
     "the requirements exclude every option (5 of 5)")])
def test_a_model_whose_requirements_exclude_every_option(tmp_path, lang, note, refusal):
    """Knock-outs that leave no option are a state a strategy can be in (too strict): validate
    accepts the file and says so, rank refuses with the located problem, review and report come
    out and say why, all in the user's language."""
    text = (ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8")
    assert "{criterion: sovereignty, min: 2," in text
    path = tmp_path / "alles-uit.yaml"
    path.write_text(text.replace("{criterion: sovereignty, min: 2,", "{criterion: sovereignty, min: 9,"),
                    encoding="utf-8")
    r = run("validate", str(path), "--lang", lang)
    assert r.returncode == 0 and f"{path}: {note}" in r.stderr and "[all-excluded]" in r.stderr, r.stderr
    r = run("validate", str(path), "--json")
    assert json.loads(r.stdout)["warnings"] == [{"code": "all-excluded", "n": 5}]
    r = run("rank", str(path), "--lang", lang)
    assert r.returncode == 2 and f"requirements: {refusal}" in r.stderr and "[all-excluded]" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    r = run("report", str(path), "--out", str(tmp_path / "out"), "--format", "md", "--samples", "0",
            "--lang", lang)
    assert r.returncode == 0, r.stderr
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    because = {"nl": "Er is niets om aan te bevelen: de knock-outeisen sluiten elke optie uit (5 van 5).",
               "en": "There is nothing to recommend: the knock-out requirements exclude every option (5 of 5)."}
    assert because[lang] in md
    scores = md[md.index("| " + {"nl": "Uitgesloten omdat", "en": "Excluded because"}[lang]):]
    assert scores.count({"nl": "Privacy en datasoevereiniteit", "en": "Privacy and data sovereignty"}[lang]) >= 5
