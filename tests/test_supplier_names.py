"""Suppliers are shown by name: the examples describe theirs, every face asks one helper.

``DecisionModel.supplier_name`` is the one place a supplier's shown name comes from: its label in
the reader's language, or its id when the model gives none (the only name the file has). The
command line (``show``, ``allocate``), the report (Markdown, HTML, xlsx), the review and the
workshop's portfolio panel all print that name.
"""
from __future__ import annotations

import contextlib
import html
import io
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from decide.cli import main
from decide.errors import ModelError
from decide.facade import analyse
from decide.loader import load_model
from decide.model import text

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))


def _cli(*args: str) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(list(args)) == 0
    return " ".join(buf.getvalue().split())


def _write(tmp: Path, name: str, data: dict) -> Path:
    path = tmp / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_describes_every_supplier_with_a_label_in_its_languages(path):
    model = load_model(path)
    bilingual = isinstance(model.title, dict) or not isinstance(model.title, str)
    described = {s.id: s for s in model.supplier_list}
    for a in model.alternatives:
        if a.supplier is None:
            continue  # an in-house build has no supplier
        s = described[a.supplier]
        assert s.label is not None, a.supplier
        for lang in ("nl", "en") if bilingual else (model.language,):
            assert text(s.label, lang), (a.supplier, lang)
            assert model.supplier_name(a.supplier, lang) != a.supplier


@pytest.fixture(scope="module")
def unlabelled(tmp_path_factory):
    """zaaksysteem with no supplier labels at all: every face keeps the ids."""
    data = yaml.safe_load((ROOT / "models" / "zaaksysteem.yaml").read_text(encoding="utf-8"))
    for s in data["allocation"]["suppliers"]:
        s.pop("label", None)
    return _write(tmp_path_factory.mktemp("suppliers"), "zaaksysteem_unlabelled.yaml", data)


@pytest.fixture(scope="module", params=[*[p for p in EXAMPLES if load_model(p).allocation is not None], "unlabelled"],
                ids=lambda p: p.stem if isinstance(p, Path) else p)
def allocated(request, unlabelled):
    path = unlabelled if request.param == "unlabelled" else request.param
    return path, analyse(load_model(path), samples=0, frontier_points=0)


def test_every_face_shows_the_suppliers_of_the_portfolio_by_the_one_name(allocated):
    from decide import workshop as ws
    from decide.report import build_report

    path, analysis = allocated
    model, a = analysis.model, analysis.allocation
    lang = model.language
    suppliers = [s for s in a.spend_by_supplier.index if a.spend_by_supplier[s] > 0]
    names = {s: model.supplier_name(s, lang) for s in suppliers}
    assert names
    cli = _cli("allocate", str(path))
    report = build_report(analysis, ("md", "html", "xlsx"), lang=lang)
    md = next(v for k, v in report.items() if k.endswith(".md")).decode("utf-8").replace("\\", "")  # escapes off
    page = html.unescape(next(v for k, v in report.items() if k.endswith(".html")).decode("utf-8"))
    book = load_workbook(io.BytesIO(next(v for k, v in report.items() if k.endswith(".xlsx"))), read_only=True)
    cells = {str(c) for ws_ in book.worksheets for row in ws_.iter_rows(values_only=True) for c in row if c}
    panel = ws.portfolio_panel(model, lang=lang)
    spend = html.unescape(panel.spend.value)
    # the review names the largest supplier of the recommendation
    largest = max(suppliers, key=lambda s: a.spend_by_supplier[s])
    review = " ".join(c["finding"] for c in analysis.review.to_dict(lang)["checks"])
    assert names[largest] in review
    for s, name in names.items():
        assert name in cli, (s, "cli")
        assert name in md, (s, "md")
        assert name in page, (s, "html")
        assert name in cells, (s, "xlsx")
        assert name in spend, (s, "panel")
        if name != s:
            assert s not in cli, (s, "the command line shows labels, not ids")


def test_a_ranking_only_model_names_its_suppliers_at_the_top_level(tmp_path):
    """werkplek has no allocation: its suppliers are described under ``suppliers``."""
    path = ROOT / "models" / "werkplek.yaml"
    model = load_model(path)
    assert model.allocation is None and model.supplier("hyperscaler_a").name("en") == "US hyperscaler A"
    shown = _cli("show", str(path))
    assert "Amerikaanse hyperscaler A" in shown and "hyperscaler_a" not in shown
    # without the section, the id is what the model gives, and what every face keeps
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("suppliers")
    bare = _write(tmp_path, "werkplek_bare.yaml", data)
    assert load_model(bare).supplier_name("hyperscaler_a", "nl") == "hyperscaler_a"
    assert "hyperscaler_a" in _cli("show", str(bare))
    # the review knows whether a supplier is an SME only where the model says so
    from decide.analysis import Analysis

    unknown = Analysis(load_model(bare)).review.check("tradeoff.supplier_size")
    assert unknown.data == {} and "does not record which suppliers are SMEs" in unknown.finding("en")
    known = Analysis(model).review.check("tradeoff.supplier_size")
    assert known.data["right"] == [] and "SME suppliers: 0 options" in known.finding("en")


def test_suppliers_are_described_in_one_place_and_every_reference_is_known(tmp_path):
    werkplek = yaml.safe_load((ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8"))
    werkplek["alternatives"][0]["supplier"] = "hyperscaler_b"
    werkplek["suppliers"].append(dict(werkplek["suppliers"][1]))
    with pytest.raises(ModelError) as err:
        load_model(_write(tmp_path, "w.yaml", werkplek))
    got = {(p.code, p.loc) for p in err.value.problems}
    assert ("unknown-supplier", "alternatives[0].supplier") in got
    assert any(code == "duplicate-id" and loc.startswith("suppliers[4]") for code, loc in got), got
    assert "hyperscaler_a" in str(err.value)  # the near miss is named
    zaak = yaml.safe_load((ROOT / "models" / "zaaksysteem.yaml").read_text(encoding="utf-8"))
    zaak["suppliers"] = [{"id": "vendor_a", "label": "Leverancier A"}]
    with pytest.raises(ModelError) as err:
        load_model(_write(tmp_path, "z.yaml", zaak))
    assert [(p.code, p.loc) for p in err.value.problems] == [("suppliers-twice", "suppliers")]
    assert "allocation.suppliers" in err.value.problems[0].message
