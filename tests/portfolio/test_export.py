"""`decide allocate --export`: the LP/MPS file another solver reads gives decide's optimum."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

import highspy
import pulp
import pytest

import decide
from decide.cli import main
from decide.portfolio import optimise
from decide.portfolio_model import from_model
from decide.portfolio.export import model_text

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted(p for p in (ROOT / "models").glob("*.yaml")
                if decide.load_model(p).allocation is not None)
CBC = pulp.PULP_CBC_CMD.pulp_cbc_path  # the CBC binary PuLP ships (a class attribute)


def _highs(path: Path) -> float:
    h = highspy.Highs()
    h.silent()
    assert h.readModel(str(path)) == highspy.HighsStatus.kOk
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def _cbc(path: Path) -> float:
    out = subprocess.run([CBC, str(path), "-solve", "-quit"], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "Optimal solution found" in out, out
    return float(re.search(r"Objective value:\s*(\S+)", out).group(1))


@pytest.mark.parametrize("fmt", ["lp", "mps"])
@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.stem)
def test_cbc_and_highs_solve_the_export_to_decides_optimum(tmp_path, path, fmt):
    problem = from_model(decide.load_model(path))
    best = optimise(problem)
    assert best.status.is_ok
    target = tmp_path / f"model.{fmt}"
    assert main(["allocate", str(path), "--export", str(target), "--json"]) == 0
    text = target.read_text(encoding="utf-8")
    # the comment block names every option, so an analyst can read another solver's answer
    for oid in problem.arrays.ids:
        assert f"= {oid}" in text
    # MPS is written as the standard minimisation: the value objective comes back negated
    sign = -1.0 if (fmt == "mps" and problem.objective == "value") else 1.0
    # the baselines of optional modules are a constant the comment block states, not the file
    offset = problem.value_offset if problem.objective == "value" else 0.0
    if offset:
        assert f"+ {offset:.12g} (the baselines" in text
    assert sign * _highs(target) + offset == pytest.approx(best.objective, rel=1e-9, abs=1e-9)
    assert sign * _cbc(target) + offset == pytest.approx(best.objective, rel=1e-7, abs=1e-7)


def test_export_keeps_a_changed_budget(tmp_path):
    cases = 0
    for path in MODELS:
        problem = from_model(decide.load_model(path))
        full = optimise(problem)
        low = problem.replace(budget=full.total_cost - 1.0)  # the chosen portfolio no longer fits
        tight = optimise(low)
        if not tight.status.is_ok:  # nothing else fits under this budget
            continue
        assert tight.objective < full.objective - 1e-6  # the budget bites
        target = tmp_path / f"{path.stem}-low.lp"
        target.write_text(model_text(low, "lp"), encoding="utf-8")
        assert _highs(target) + low.value_offset == pytest.approx(tight.objective, rel=1e-9)
        cases += 1
    assert cases >= 1


def test_unknown_suffix_is_a_located_input_error(tmp_path, capsys):
    code = main(["allocate", str(MODELS[0]), "--export", str(tmp_path / "model.txt"), "--lang", "nl"])
    assert code == 2
    err = capsys.readouterr().err
    assert "model.txt" in err and ".lp of .mps" in err and "Traceback" not in err
    assert not (tmp_path / "model.txt").exists()


@pytest.mark.parametrize("lang, words", [("nl", "bestaat al"), ("en", "already exists")])
def test_an_existing_export_file_is_kept_unless_forced(tmp_path, capsys, lang, words):
    target = tmp_path / "model.lp"
    target.write_text("someone's own file\n", encoding="utf-8")
    code = main(["allocate", str(MODELS[0]), "--export", str(target), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "--force" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "someone's own file\n"
    assert main(["allocate", str(MODELS[0]), "--export", str(target), "--force", "--lang", lang]) == 0
    assert target.read_text(encoding="utf-8").lstrip().startswith("\\")  # an LP file now (its comment line)


def test_an_export_file_that_appears_during_the_solve_is_not_overwritten(tmp_path, capsys, monkeypatch):
    """The target is checked before the solve and again at the final move (no clobbering)."""
    import decide.portfolio.export as export

    target = tmp_path / "model.mps"
    real = export.model_text

    def meanwhile(problem, fmt):
        target.write_text("written meanwhile\n", encoding="utf-8")
        return real(problem, fmt)

    monkeypatch.setattr(export, "model_text", meanwhile)
    code = main(["allocate", str(MODELS[0]), "--export", str(target), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "already exists" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "written meanwhile\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.mps"]  # no temporary file left


def test_a_folder_is_no_export_file(tmp_path, capsys):
    folder = tmp_path / "model.lp"
    folder.mkdir()
    code = main(["allocate", str(MODELS[0]), "--export", str(folder), "--force", "--lang", "nl"])
    err = capsys.readouterr().err
    assert code == 2 and "is een map" in err and "Traceback" not in err
