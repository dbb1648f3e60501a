"""The workshop notebooks run top to bottom, headless, and are committed without outputs.

Each notebook is executed with nbclient in a fresh ``python3`` kernel started from this
interpreter (ipykernel installs its ``python3`` kernelspec under ``sys.prefix``; its ``argv``
starts with ``python``, which jupyter_client replaces by ``sys.executable``), with the
notebooks folder as working directory, as ``jupyter lab notebooks/`` would. The cell tagged
``parameters`` is followed by an injected cell (as papermill does) that points the notebook at
a temporary folder for everything it writes, and at the example model under test.
"""
from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("ipywidgets")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01-gewichten-workshop", "02-rangorde-en-gevoeligheid", "03-portefeuille"]
CELL_TIMEOUT = 120  # seconds per cell


def _read(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _run(name: str, overrides: dict, monkeypatch) -> object:
    """Execute a notebook with ``overrides`` injected after its parameters cell; return it executed."""
    from jupyter_client.kernelspec import KernelSpecManager

    # the kernelspec of this environment first (not one in ~/.local/share/jupyter)
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert Path(spec.argv[0]).name.startswith("python"), spec.argv
    if Path(spec.argv[0]).is_absolute():  # a kernelspec written with an absolute interpreter path
        assert Path(spec.argv[0]).resolve() == Path(sys.executable).resolve(), spec.argv

    nb = _read(name)
    pos = next(k for k, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    src = "\n".join(f"{k} = {v!r}" for k, v in overrides.items())
    injected = nbformat.v4.new_code_cell(src, metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(pos + 1, injected)
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    return nb


def _outputs(nb) -> str:
    """All text and HTML the notebook produced (widget views excluded), as one string."""
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            data = o.get("data", {})
            parts.append(o.get("text", ""))
            parts.append(data.get("text/plain", ""))
            parts.append(data.get("text/html", ""))
    return "\n".join(parts)


def _errors(nb) -> list:
    return [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]


# --------------------------------------------------------------------------- committed form
@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name):
    nb = _read(name)
    nbformat.validate(nb)
    ids = [c.get("id") for c in nb.cells]
    assert None not in ids and len(set(ids)) == len(ids), f"{name}: every cell needs its own id"
    for k, c in enumerate(nb.cells):
        if c.cell_type == "code":
            assert c.outputs == [], f"{name} cell {k} has stored outputs; clear them (notebooks/README.md)"
            assert c.execution_count is None, f"{name} cell {k} has an execution count; clear it"
        assert set(c.metadata) <= {"tags", "jupyter"}, f"{name} cell {k} stores metadata {sorted(c.metadata)}; clear it"
        assert set(c.metadata.get("jupyter", {})) <= {"source_hidden"}, f"{name} cell {k}: only source_hidden"
    assert "widgets" not in nb.metadata, f"{name} stores widget state; clear it (notebooks/README.md)"
    assert nb.metadata["kernelspec"]["name"] == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name}: expected exactly one cell tagged 'parameters'"


def test_every_notebook_is_tested():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


def test_notebooks_call_the_library_only():
    """Cells stay a few lines: the work is in decide.workshop (tested in test_workshop.py)."""
    for name in NAMES:
        for c in _read(name).cells:
            if c.cell_type == "code":
                lines = [x for x in c.source.splitlines() if x.strip() and not x.strip().startswith("#")]
                assert len(lines) <= 8, f"{name}: a cell of {len(lines)} lines; move the logic into decide.workshop"
                assert "def " not in c.source and "for " not in c.source, f"{name}: logic in a cell"


# --------------------------------------------------------------------------- execution
def test_weights_workshop_saves_a_valid_file_with_the_same_weights(tmp_path, monkeypatch):
    from decide.loader import load_model
    from decide.weights import derive

    target = tmp_path / "zaaksysteem.workshop.yaml"
    nb = _run("01-gewichten-workshop", {"SAVE_AS": str(target), "SAVE_ON_RUN": True}, monkeypatch)
    assert not _errors(nb)
    text = _outputs(nb)
    assert "JudgmentSession" in text and "Opgeslagen in" in text and "dezelfde gewichten" in text
    assert target.exists()
    # the saved file passes `decide validate` and gives the weights of the model it came from
    done = subprocess.run([sys.executable, "-m", "decide", "validate", str(target)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    source = ROOT / "models" / "zaaksysteem.yaml"
    saved = derive(load_model(target)).weights
    original = derive(load_model(source)).weights
    assert (saved - original).abs().max() < 1e-12
    # comments survive
    assert "# ILLUSTRATIVE FIGURES" in target.read_text(encoding="utf-8")
    # an ordinary file of the user's (the umask's mode), not mkstemp's 0600
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_run_all_saves_nothing_until_the_facilitator_presses_save(tmp_path, monkeypatch):
    target = tmp_path / "zaaksysteem.workshop.yaml"
    nb = _run("01-gewichten-workshop", {"SAVE_AS": str(target)}, monkeypatch)
    assert not _errors(nb)
    assert not target.exists()
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("name", NAMES)
def test_code_is_hidden_for_the_audience(name):
    """Every code cell but the facilitator's parameters is collapsed in JupyterLab; Voila
    (`make workshop`) shows no code at all."""
    nb = _read(name)
    for k, c in enumerate(nb.cells):
        if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", []):
            assert c.metadata.get("jupyter", {}).get("source_hidden") is True, f"{name} cell {k} shows its code"
    assert "voila" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_jupyterlab_saves_notebooks_without_outputs(tmp_path):
    """The pre-save hook `make notebooks` loads strips outputs, so a workshop never dirties the
    repository: a notebook as JupyterLab would save it after a session is written clean."""
    from decide.workshop.jupyter import strip_outputs

    nb = json.loads((NOTEBOOKS / "01-gewichten-workshop.ipynb").read_text(encoding="utf-8"))
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "CR 0,03\n"}]
            c["execution_count"] = 7
    nb["metadata"]["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    model = strip_outputs({"type": "notebook", "content": nb}, path="01-gewichten-workshop.ipynb")
    clean = model["content"]
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None
               for c in clean["cells"] if c["cell_type"] == "code")
    assert "widgets" not in clean["metadata"]
    committed = nbformat.read(NOTEBOOKS / "01-gewichten-workshop.ipynb", as_version=4)
    assert nbformat.reads(json.dumps(clean), as_version=4).cells == committed.cells  # saved as committed
    config = (NOTEBOOKS / "jupyter_server_config.py").read_text(encoding="utf-8")
    assert "pre_save_hook = strip_outputs" in config
    assert "--config=notebooks/jupyter_server_config.py" in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_weights_workshop_on_a_model_without_ahp(tmp_path, monkeypatch):
    """werkplek.yaml has direct weights: the workshop starts everyone at 'equally important'."""
    target = tmp_path / "werkplek.workshop.yaml"
    nb = _run("01-gewichten-workshop", {"MODEL": "../models/werkplek.yaml", "SAVE_AS": str(target),
                                         "PARTICIPANTS": ["Inkoop", "IV"], "LANG": "en", "SAVE_ON_RUN": True},
              monkeypatch)
    assert not _errors(nb)
    assert "Group result" in _outputs(nb) or "Saved to" in _outputs(nb)
    done = subprocess.run([sys.executable, "-m", "decide", "weights", str(target), "--json"], capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert abs(sum(out["weights"].values()) - 1) < 1e-9
    assert "Inkoop" in target.read_text(encoding="utf-8") and "IV" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("model", ["zaaksysteem", "dataplatform"])
def test_ranking_and_sensitivity_notebook(model, monkeypatch):
    nb = _run("02-rangorde-en-gevoeligheid", {"MODEL": f"../models/{model}.yaml", "USE_WORKSHOP_FILE": False,
                                               "SAMPLES": 2000}, monkeypatch)
    assert not _errors(nb)
    text = _outputs(nb)
    assert ("Vergelijking van methoden" in text) or ("Comparison of methods" in text)


@pytest.mark.parametrize("model", ["zaaksysteem"])
def test_portfolio_notebook_exports_the_report(model, tmp_path, monkeypatch):
    out = tmp_path / "rapport"
    nb = _run("03-portefeuille", {"MODEL": f"../models/{model}.yaml", "USE_WORKSHOP_FILE": False, "SAMPLES": 2000,
                                  "REPORT_DIR": str(out), "WRITE_ON_RUN": True}, monkeypatch)
    assert not _errors(nb)
    text = _outputs(nb)
    assert "naast elkaar" in text  # the scenarios table
    assert "Rapport geschreven in" in text
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in written) and any(p.suffix == ".xlsx" for p in written)


def test_portfolio_notebook_writes_nothing_until_the_report_button(tmp_path, monkeypatch):
    out = tmp_path / "rapport"
    nb = _run("03-portefeuille", {"USE_WORKSHOP_FILE": False, "SAMPLES": 200, "REPORT_DIR": str(out)}, monkeypatch)
    assert not _errors(nb)
    assert not out.exists() and not list(tmp_path.iterdir())
    text = _outputs(nb)
    assert "naast elkaar" in text and "Rapport geschreven in" not in text
