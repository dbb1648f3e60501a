"""Settings a model's own other settings make irrelevant: a located warning, never silence.

Each case is a small valid model with one such setting, marked ``#!`` on the line the warning
must name. ``decide validate`` accepts it (exit 0), prints the warning on stderr with the file,
line and place in the language asked for, and lists it under ``warnings`` in ``--json``; the
loaded model, its :class:`~decide.analysis.Analysis` and the report's provenance carry the same
warning. The example models carry none.
"""
from __future__ import annotations

import ast
import json
import string
import sys
from pathlib import Path

import pytest

import decide
from decide.analysis import Analysis
from decide.cli import main
from decide.i18n import catalogue, t
from decide.loader import load_model, loads_model

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_error_contract import check_text  # noqa: E402

EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))

HEAD = "decide: 1\ntitle: Proef zaaksysteem\nlanguage: nl\n"
BLOCKS = {
    "criteria": """criteria:
  - {id: quality, direction: max, scale: {laag: 1, midden: 3, hoog: 5}}
  - {id: risk, direction: min, scale: {laag: 1, midden: 3, hoog: 5}}
""",
    "weights": """weights:
  method: direct
  direct: {quality: 0.6, risk: 0.4}
""",
    "alternatives": """alternatives:
  - {id: suite, supplier: vendor-a, covers: [intake, archive], costs: {once: 200000, yearly: 50000}, scores: {quality: hoog, risk: midden}}
  - {id: modular, supplier: vendor-b, covers: [intake], costs: {once: 80000, yearly: 20000}, scores: {quality: midden, risk: laag}}
  - {id: build, covers: [archive], costs: {once: 120000, yearly: 30000}, scores: {quality: midden, risk: hoog}}
""",
}
ALLOCATION = """allocation:
  budget: 1000000
  modules:
    - {id: intake, required: true}
    - {id: archive, required: false}
  suppliers:
    - {id: vendor-a, sme: false}
    - {id: vendor-b, sme: true}
"""
BIDS = """  bids:
    - {id: A, price: 500000, quality: {plan: 0.8}}
    - {id: B, price: 400000, quality: {plan: 0.5}}
"""

def award(*lines: str, bids: bool = True) -> str:
    """An award section of ``lines`` (with two bids unless ``bids`` is False); the section's own
    line carries the marker when it has no bids (the warning is about the whole section)."""
    return ("award:\n" if bids else "award:  #!\n") + "".join(f"  {line}\n" for line in lines) + (BIDS if bids else "")


#: name -> (the blocks that differ from the base, the code, the place)
CASES = {
    "ahp section, direct weights": ({"weights": """weights:
  method: direct
  direct: {quality: 0.6, risk: 0.4}
  ahp:  #!
    participants:
      - {name: Inkoop, judgments: [[quality, risk, 2]]}
"""}, "ahp-section-ignored", "weights.ahp"),
    "critic section, equal weights": ({"weights": """weights:
  method: equal
  critic: {correlation: spearman}  #!
"""}, "critic-section-ignored", "weights.critic"),
    "direct weights, rank method": ({"weights": """weights:
  method: rank
  rank: [quality, risk]
  direct: {quality: 0.6, risk: 0.4}  #!
"""}, "direct-weights-ignored", "weights.direct"),
    "rank order, equal weights": ({"weights": """weights:
  method: equal
  rank: [quality, risk]  #!
"""}, "rank-order-ignored", "weights.rank"),
    "rank formula, direct weights": ({"weights": """weights:
  method: direct
  direct: {quality: 0.6, risk: 0.4}
  rank_method: rs  #!
"""}, "rank-method-ignored", "weights.rank_method"),
    "aggregation of one participant": ({"weights": """weights:
  method: ahp
  ahp:
    aggregate: priorities  #!
    participants:
      - {name: Inkoop, judgments: [[quality, risk, 2]]}
"""}, "ahp-aggregate-ignored", "weights.ahp.aggregate"),
    "ranking section without criteria": ({"criteria": "", "weights": "", "alternatives": """alternatives:
  - {id: suite, supplier: vendor-a, covers: [intake, archive], costs: {once: 200000}, value: 0.8}
  - {id: modular, supplier: vendor-b, covers: [intake], costs: {once: 80000}, value: 0.5}
  - {id: build, covers: [archive], costs: {once: 120000}, value: 0.4}
""", "allocation": ALLOCATION, "ranking": """ranking:  #!
  method: vikor
"""}, "ranking-section-ignored", "ranking"),
    "SPOTIS alpha without esp": ({"ranking": """ranking:
  method: spotis
  params:
    alpha: 0.5  #!
"""}, "spotis-alpha-ignored", "ranking.params.alpha"),
    "PROMETHEE threshold the function does not use": ({"ranking": """ranking:
  method: promethee_ii
  params:
    preference: usual
    q: 1  #!
"""}, "promethee-threshold-ignored", "ranking.params.q"),
    "sampling settings with SMAA off": ({"sensitivity": """sensitivity:
  samples: 0
  weights: uniform  #!
"""}, "sampling-setting-ignored", "sensitivity.weights"),
    "concentration with uniform weights": ({"sensitivity": """sensitivity:
  weights: uniform
  concentration: 20  #!
"""}, "concentration-ignored", "sensitivity.concentration"),
    "reference levels without allocation": ({"criteria": """criteria:
  - {id: quality, direction: max, scale: {laag: 1, midden: 3, hoog: 5}, value_function: {laag: 0, midden: 0.7, hoog: 1}}  #!
  - {id: risk, direction: min, scale: {laag: 1, midden: 3, hoog: 5}}
"""}, "reference-levels-ignored", "criteria[0].value_function"),
    "option values without allocation": ({"alternatives": """alternatives:
  - {id: suite, supplier: vendor-a, value: 0.8, costs: {once: 200000}, scores: {quality: hoog, risk: midden}}  #!
  - {id: modular, supplier: vendor-b, costs: {once: 80000}, scores: {quality: midden, risk: laag}}
  - {id: build, costs: {once: 120000}, scores: {quality: midden, risk: hoog}}
"""}, "option-values-ignored", "alternatives[0].value"),
    "minimum value when maximising value": ({"allocation": ALLOCATION + "  min_value: 0.5  #!\n"},
                                            "min-value-ignored", "allocation.min_value"),
    "baseline of a required module": ({"allocation": ALLOCATION.replace(
        "    - {id: intake, required: true}\n", "    - {id: intake, required: true, baseline: 0.2}  #!\n")},
        "baseline-ignored", "allocation.modules[0].baseline"),
    "supplier rule without suppliers": ({"alternatives": """alternatives:
  - {id: suite, covers: [intake, archive], costs: {once: 200000}, scores: {quality: hoog, risk: midden}}
  - {id: modular, covers: [intake], costs: {once: 80000}, scores: {quality: midden, risk: laag}}
  - {id: build, covers: [archive], costs: {once: 120000}, scores: {quality: midden, risk: hoog}}
""", "allocation": """allocation:
  budget: 1000000
  modules:
    - {id: intake, required: true}
    - {id: archive, required: false}
  rules:
    max_lots_per_supplier: 1  #!
"""}, "supplier-rule-ignored", "allocation.rules.max_lots_per_supplier"),
    "price section under fictive price": ({"award": award(
        "method: fictive_price", "price: {points: 30}  #!", "quality: [{id: plan, value: 100000}]")},
        "award-price-ignored", "award.price"),
    "price formula under the utility index": ({"award": award(
        "method: utility_index", "total: 100", "price:", "  points: 40", "  formula: linear  #!",
        "quality: [{id: plan, points: 60}]")}, "award-price-formula-ignored", "award.price.formula"),
    "ceiling under relative price scoring": ({"award": award(
        "method: points", "total: 100", "price:", "  points: 40", "  ceiling: 900000  #!",
        "quality: [{id: plan, points: 60}]")}, "award-price-bound-ignored", "award.price.ceiling"),
    "money value of a criterion under points": ({"award": award(
        "method: points", "total: 100", "price: {points: 40}", "quality:",
        "  - {id: plan, points: 60, value: 100000}  #!")}, "award-quality-weight-ignored", "award.quality[0].value"),
    "total under value for money": ({"award": award(
        "method: value_for_money", "total: 100  #!", "quality: [{id: plan, points: 60}]")},
        "award-total-ignored", "award.total"),
    "award formula without bids": ({"award": award(
        "method: points", "total: 100", "price: {points: 40}", "quality: [{id: plan, points: 60}]", bids=False)},
        "award-without-bids", "award"),
    "award section without bids or price share": ({"award": award(
        "method: fictive_price", "quality: [{id: plan, value: 100000}]", bids=False)},
        "award-without-bids-unused", "award"),
    "scoring range when every criterion has a scale": ({"workshop": """workshop:
  participants: [Inkoop]
  scoring:
    criteria: [quality]
    range: [1, 10]  #!
"""}, "scoring-scale-ignored", "workshop.scoring.range"),
}

ORDER = ("criteria", "weights", "alternatives", "ranking", "sensitivity", "allocation", "award", "workshop")
#: what every warning says in each language (besides its own sentence)
SAYS = {"nl": ("telt niet mee", "tellen niet mee", "verandert niets", "wordt op geen enkele inschrijving toegepast"),
        "en": ("does not count", "do not count", "changes nothing", "is applied to no bid")}


def model_text(blocks: dict) -> str:
    parts = {**BLOCKS, **blocks}
    return HEAD + "".join(parts.get(k, "") for k in ORDER)


def marked_line(text: str) -> int:
    (line,) = [i for i, row in enumerate(text.splitlines(), 1) if "#!" in row]
    return line


@pytest.fixture(scope="module")
def case_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ignored")
    out = {}
    for k, (name, (blocks, _, _)) in enumerate(CASES.items()):
        path = folder / f"case{k}.yaml"
        path.write_text(model_text(blocks), encoding="utf-8")
        out[name] = path
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_the_loaded_model_carries_one_located_warning(case_files, name):
    blocks, code, loc = CASES[name]
    path = case_files[name]
    model = load_model(path)
    assert [(w.code, w.loc) for w in model.warnings] == [(code, loc)]
    (w,) = model.warnings
    assert w.line == marked_line(path.read_text(encoding="utf-8")) and w.file == str(path)
    assert w.key == "ignored." + code.replace("-", "_")  # the code is the catalogue key
    # the Analysis exposes the model's warnings, found once when it was loaded
    assert Analysis(model).warnings is model.warnings


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(CASES))
def test_validate_accepts_and_warns_in_the_asked_language(capsys, case_files, name, lang):
    _, code, loc = CASES[name]
    path = case_files[name]
    line = marked_line(path.read_text(encoding="utf-8"))
    assert main(["validate", str(path), "--lang", lang]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{path}: {'in orde' if lang == 'nl' else 'ok'} (")
    (row,) = captured.err.splitlines()
    head = f"{path}:{line}: {loc}: {'let op' if lang == 'nl' else 'note'}: "
    assert row.startswith(head) and row.endswith(f" [{code}]"), row
    sentence = row[len(head):-len(f" [{code}]")]
    assert any(s in sentence for s in SAYS[lang]), sentence
    check_text(sentence, lang)

    assert main(["validate", str(path), "--json", "--lang", lang]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["valid"] is True
    assert payload["warnings"] == [{"code": code, "loc": loc, "line": line, "message": sentence}]


def test_the_report_provenance_lists_the_warnings_in_the_report_language(case_files):
    from decide.report.tables import provenance_table

    model = load_model(case_files["critic section, equal weights"])
    analysis = Analysis(model, sensitivity=False, portfolio=False, review=False)
    assert analysis.provenance["model_warnings"] == [
        {"code": "critic-section-ignored", "loc": "weights.critic", "line": model.warnings[0].line,
         "message": model.warnings[0].text("en")}]
    for lang in ("nl", "en"):
        table = provenance_table(analysis, lang)
        (row,) = [r for r in table.rows if r[0] == "model_warnings"]
        assert row[1] == t("report.prov.model_warnings", lang)
        assert row[2] == f"weights.critic: {model.warnings[0].text(lang)} [critic-section-ignored]"
        assert any(s in row[2] for s in SAYS[lang])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_example_model_has_an_ignored_setting(capsys, path):
    model = load_model(path)
    assert model.warnings == ()
    assert "model_warnings" not in Analysis(model).provenance
    assert main(["validate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == []
    # a model rebuilt from its dump (every default written out) raises no warning the file did not
    assert model.replace(weights=model.weights, sensitivity=model.sensitivity).warnings == ()


def test_a_setting_equal_to_its_default_changes_nothing_and_is_not_warned():
    text = model_text({"weights": "weights:\n  method: direct\n  direct: {quality: 0.6, risk: 0.4}\n  rank_method: roc\n",
                       "sensitivity": "sensitivity: {weights: uniform, concentration: 50}\n"})
    assert loads_model(text).warnings == ()


def test_the_warnings_of_a_model_built_in_code_and_of_a_what_if():
    model = loads_model(model_text({}))
    assert model.warnings == ()
    what_if = model.replace(weights={"method": "equal", "critic": {"scale": False}})
    assert [(w.code, w.loc, w.line) for w in what_if.warnings] == [("critic-section-ignored", "weights.critic", None)]
    built = decide.model.DecisionModel.model_validate(what_if.model_dump())
    assert [w.code for w in built.warnings] == ["critic-section-ignored"]


def test_validate_screens_the_model_once(monkeypatch, capsys):
    """The load-time checks screen the knock-outs and return the screening; validate reads the
    all-excluded state from it instead of screening again."""
    import decide.requirements as requirements

    calls = []
    real = requirements.screen

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(requirements, "screen", counted)
    path = ROOT / "models" / "werkplek.yaml"
    assert load_model(path).requirements
    calls.clear()
    assert main(["validate", str(path)]) == 0
    assert len(calls) == 1
    capsys.readouterr()


def test_validate_screens_once_and_still_reports_every_option_excluded(monkeypatch, capsys, tmp_path):
    import decide.requirements as requirements

    text = (ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8")
    path = tmp_path / "alles-uit.yaml"
    path.write_text(text.replace("{criterion: sovereignty, min: 2,", "{criterion: sovereignty, min: 9,"),
                    encoding="utf-8")
    calls = []
    real = requirements.screen
    monkeypatch.setattr(requirements, "screen", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert main(["validate", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["warnings"] == [{"code": "all-excluded", "n": 5}]
    assert len(calls) == 1
    assert main(["validate", str(path), "--lang", "en"]) == 0
    assert capsys.readouterr().err == t("cli.validate_all_excluded", "en", file=str(path), n=5) + "\n"


def test_every_warning_of_the_catalogue_has_a_case():
    keys = {k for k in catalogue("ignored") if k != "warning_line"}
    assert keys == {code.replace("-", "_") for _, code, _ in CASES.values()}


def test_every_warning_call_names_a_key_with_its_placeholders():
    """Each ``_w("<key>", **params)`` in decide.ignored fills exactly the placeholders its
    catalogue sentence has (both languages have the same ones: the catalogue test)."""
    cat = catalogue("ignored")
    tree = ast.parse((ROOT / "decide" / "ignored.py").read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_w"]
    seen = set()
    for node in calls:
        first = node.args[0]
        if not isinstance(first, ast.Constant):
            continue  # the key chosen at run time is one of two constants checked below
        fields = {f for _, f, _, _ in string.Formatter().parse(cat[first.value]["en"]) if f}
        assert fields == {k.arg for k in node.keywords}, first.value
        seen.add(first.value)
    assert len(seen) >= 18


def test_a_warning_about_many_options_names_the_first_and_counts_the_rest():
    rows = "".join(f"  - {{id: o{i}, value: 0.{i % 9 + 1}, scores: {{quality: hoog, risk: laag}}}}\n" for i in range(12))
    model = loads_model(model_text({"alternatives": "alternatives:\n" + rows}))
    (w,) = model.warnings
    assert w.code == "option-values-ignored" and w.loc == "alternatives[0].value"
    assert "'o0, o1, o2, o3, o4, o5, o6, o7, … (+4)'" in w.text("en")


@pytest.mark.parametrize("params, warned", [
    ("{preference: {quality: vshape, risk: ushape}, q: 1, p: 1}", []),  # each threshold serves a criterion
    ("{preference: {quality: vshape}, p: 1, s: 1}", ["ranking.params.s"]),  # risk keeps 'usual'
    ("{preference: [gaussian, gaussian], s: 1, q: 1}", ["ranking.params.q"]),
    ("{preference: level, q: 1, p: 2}", []),
])
def test_a_promethee_threshold_is_warned_only_when_no_preference_function_reads_it(params, warned):
    model = loads_model(model_text({"ranking": f"ranking:\n  method: promethee_ii\n  params: {params}\n"}))
    assert [w.loc for w in model.warnings] == warned


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_written_report_names_the_warning(capsys, case_files, tmp_path, lang):
    path = case_files["critic section, equal weights"]
    assert main(["report", str(path), "--out", str(tmp_path / "out"), "--format", "md", "--samples", "0",
                 "--lang", lang]) == 0
    capsys.readouterr()
    md = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8").replace("\\", "")  # Markdown escapes
    (w,) = load_model(path).warnings
    assert t("report.prov.model_warnings", lang) in md
    assert w.text(lang) in md and "[critic-section-ignored]" in md
