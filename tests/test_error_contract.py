"""One error contract: every user-facing error, from any layer, reads in the language asked for.

Each error is provoked from a table: the broken-model and hostile corpora (model files), array
inputs handed straight to the library, and bad command-line arguments. Each runs in Dutch and in
English; the text must contain no common word of the other language (the word lists of
``test_cli_language``, applied after taking out what the file itself says: quoted ids and values,
places such as ``weights.ahp.participants[0]``, codes, paths), no traceback, and exit with 2.
Every problem carries a stable code, and its text is made from the catalogue, never from an
English sentence reworded afterwards.
"""
from __future__ import annotations

import re
import string
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from decide import ahp, weights
from decide.cli import main
from decide.errors import DecideError, InputError, Message, ModelError, Problem
from decide.i18n import catalogue
from decide.render import error_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "data" / "hostile"))
from cases import CASES  # noqa: E402
from test_cli_language import OTHER  # noqa: E402

BROKEN = sorted(p for p in (ROOT / "tests" / "data" / "broken").glob("*.yaml") if p.name != "expected.yaml")


def foreign_words(text: str, lang: str) -> list[str]:
    """Common words of the other language in ``text``, once the file's own words are out."""
    text = re.sub(r"(?m)^usage:.*(\n[ \t]+.*)*", " ", text)  # argparse's usage lines (flags and metavars)
    text = re.sub(r"\{.*\}", " ", text)  # YAML snippets in advice
    text = re.sub(r"--[\w-]+", " ", text)  # flags the command line names
    # the place a problem is at (an argument, a key path), as typed: "decide rank: method: ..."
    text = re.sub(r"(?m)^(\s*decide [\w-]+:)?\s*([\w\[\]'.]+( \w+)?:\s)?", " ", text)
    text = re.sub(r"\((known|bekend): [^)]*\)", " ", text)  # the file's own ids
    text = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", " ", text)  # quoted ids, values, keys
    text = re.sub(r"\[[\w-]+\]", " ", text)  # problem codes
    text = re.sub(r"\S*[/._\[\]=]\S*", " ", text)  # paths, places, key paths, snake_case names, ratios
    return sorted(set(re.findall(r"[a-zA-Zëïé]+", text.lower())) & OTHER[lang])


def check_text(text: str, lang: str) -> None:
    assert "Traceback" not in text
    assert text.strip()
    assert not foreign_words(text, lang), f"words of the other language {foreign_words(text, lang)} in:\n{text}"


# --------------------------------------------------------------------------- model files
MODEL_CASES = [("broken", p.stem) for p in BROKEN] + [("hostile", name) for name in sorted(CASES)]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile_files")
    for name, data in CASES.items():
        (folder / f"{name}.yaml").write_bytes(data)
    return folder


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("corpus,name", MODEL_CASES)
def test_model_file_errors_speak_the_asked_language(capsys, hostile_dir, corpus, name, lang):
    path = ROOT / "tests" / "data" / "broken" / f"{name}.yaml" if corpus == "broken" else hostile_dir / f"{name}.yaml"
    code = main(["validate", str(path), "--lang", lang])
    err = capsys.readouterr().err
    assert code == 2, err
    check_text(err.replace(str(path), " "), lang)
    assert re.search(r"\[[a-z0-9-]+\]", err)  # each problem names its code


# --------------------------------------------------------------------------- array inputs
M3 = pd.DataFrame([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]], index=list("abc"), columns=list("abc"))
X = pd.DataFrame({"cost": [3.0, 2.0, 4.0], "risk": [1.0, 2.0, 3.0]}, index=["suite", "build", "buy"])


def _array_cases():
    from decide import ranking
    from decide.portfolio.problem import Rules
    from decide.sensitivity import WeightSpec, smaa

    return {
        # code: the call that provokes it
        "ahp-ri-unknown-table": lambda: ahp.random_index("foo", 3),
        "ahp-ri-order-not-covered": lambda: ahp.random_index("saaty1980", 16),
        "ahp-matrix-duplicate-labels": lambda: ahp.priorities(pd.DataFrame(np.ones((2, 2)), index=["a", "a"], columns=["a", "a"])),
        "ahp-matrix-not-square": lambda: ahp.priorities(np.ones((2, 3))),
        "ahp-matrix-not-reciprocal": lambda: ahp.priorities([[1, 3, 1], [0.5, 1, 1], [1, 1, 1]]),
        "ahp-matrix-diagonal": lambda: ahp.priorities([[1, 1], [1, 2]]),
        "ahp-max-cr-not-positive": lambda: ahp.priorities(M3, max_cr=-1),
        "ahp-complete-disconnected": lambda: ahp.complete(pd.DataFrame(
            [[1, 2, np.nan, np.nan], [0.5, 1, np.nan, np.nan], [np.nan, np.nan, 1, 3], [np.nan, np.nan, 1 / 3, 1]],
            index=list("abcd"), columns=list("abcd"))),
        "ahp-group-weights-negative-or-infinite": lambda: ahp.aggregate([M3, M3], weights=[1, -1]),
        "ahp-consensus-too-few-participants": lambda: ahp.consensus([M3]),
        "ahp-tree-two-parents": lambda: ahp.global_weights({None: ["a", "b"], "a": ["c"], "b": ["c"]}, {}),
        "judgment-contradiction": lambda: ahp.matrix_from_judgments(["a", "b"], [["a", "b", 3], ["b", "a", 3]]),
        "judgment-value": lambda: ahp.matrix_from_judgments(["a", "b"], [["a", "b", "drie"]]),
        "weights-all-zero": lambda: weights.direct({"cost": 0, "risk": 0}),
        "weights-rank-empty-tie-group": lambda: weights.rank_order([["cost"], []]),
        "weights-entropy-negative-values": lambda: weights.entropy(X * -1),
        "sampling-concentration-not-positive": lambda: WeightSpec.dirichlet({"cost": 0.5, "risk": 0.5}, concentration=0),
        "sampling-intervals-infeasible": lambda: WeightSpec.intervals({"cost": (0.0, 0.2), "risk": (0.0, 0.3)}).bind(
            X.columns),
        "sensitivity-integer-expected": lambda: smaa(X, ["min", "min"], samples=0),
        "out-of-range": lambda: Rules(max_supplier_share=2),
        "unknown-rule": lambda: Rules.coerce({"max_share": 0.5}),
        "unknown-method": lambda: ranking.get_method("nope"),
        "weights-negative": lambda: ranking.rank(X, [-1, 1], ["min", "max"]),
    }


ARRAY_CODES = sorted(_array_cases())


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("code", ARRAY_CODES)
def test_array_errors_are_located_coded_and_speak_the_asked_language(code, lang):
    with pytest.raises(DecideError) as info:
        _array_cases()[code]()
    exc = info.value
    assert exc.exit_code == 2 and isinstance(exc, InputError)
    located = getattr(exc, "located", None) or exc.problems
    assert code in [p.code for p in located] + [
        {"bad_value": "judgment-value", "contradiction": "judgment-contradiction"}.get(c, c)
        for c in getattr(exc, "codes", [])]
    text = error_text(exc, lang)
    check_text(text, lang)
    assert "--" not in text  # a library error names the value, never a command-line flag


def test_an_array_error_keeps_its_english_message_for_callers():
    with pytest.raises(InputError, match=r"max_cr: expected a positive number such as 0\.10, got -1"):
        ahp.priorities(M3, max_cr=-1)


# --------------------------------------------------------------------------- library modules
def _library_cases(tmp):
    """One representative refusal per library module: (module, code) -> the call that provokes it.
    ``tmp`` is a scratch folder for the modules that read or write files."""
    from decide import review as review_mod
    from decide.analysis import Analysis
    from decide.award.evaluation import evaluate
    from decide.award.formulas import Scheme
    from decide.award.simulation import candidates, simulate
    from decide.loader import load_model
    from decide.portfolio import Problem as Portfolio
    from decide.portfolio import optimise
    from decide.portfolio.backends import Backend
    from decide.portfolio.frontiers import frontier
    from decide.portfolio_robustness import portfolio_robustness
    from decide.report import preflight
    from decide.report.csv_json import csv_dialect
    from decide.report.safe_io import check_targets
    from decide.tco import yearly_amounts
    from decide.workbook import write_workbook
    from decide.workbook.scoresheet import collect_scoresheets
    from decide.workshop import JudgmentSession
    from decide.workshop.sliders import rebalance

    model = ROOT / "models" / "dataplatform.yaml"
    (tmp / "earlier.csv").write_text("x")
    (tmp / "taken.xlsx").write_bytes(b"x")
    (tmp / "empty").mkdir(exist_ok=True)
    two = [dict(id="a", value=1, tco=10), dict(id="b", value=2, tco=20)]
    return {
        ("portfolio.problem", "duplicate-ids"): lambda: Portfolio(two + [dict(id="a", value=1, tco=5)], budget=-1),
        ("portfolio.backends", "solver-unknown"): lambda: Backend("gurobi"),
        ("portfolio.frontier", "frontier-points-invalid"): lambda: frontier(Portfolio(two), points=0, exact=False),
        ("portfolio.allocation", "no-portfolio"): lambda: optimise(
            Portfolio(two, budget=5, pin=("b",))).raise_for_status(),
        ("portfolio_robustness", "robustness-samples-invalid"): lambda: portfolio_robustness(
            load_model(model), samples=0),
        ("report", "format-unknown"): lambda: preflight(load_model(model), tmp / "out", formats="pdf"),
        ("report", "language-unknown"): lambda: preflight(load_model(model), tmp / "out", lang="fr"),
        ("report.safe_io", "earlier-files-exist"): lambda: check_targets([tmp / "earlier.csv"], False, tmp),
        ("report.csv_json", "csv-dialect-unknown"): lambda: csv_dialect("excel-de"),
        ("award.simulation", "price-share-out-of-range"): lambda: candidates(1.5, [1.0], 100.0, 120.0),
        ("award.simulation", "bidder-types-too-few"): lambda: simulate([100.0], np.ones((1, 1)), [0.3], [1.0]),
        ("award.evaluation", "bid-price-not-positive"): lambda: evaluate(
            [1, 0], [[1], [1]], Scheme("points", [1], price_points=1), ids=["A", "B"]),
        ("award.formulas", "method-unknown"): lambda: Scheme("auction"),
        ("workshop.judgments", "participant-unknown"): lambda: JudgmentSession(
            load_model(ROOT / "models" / "zaaksysteem.yaml")).set_value("Niemand", "fit", "risk", 2),
        ("workshop.sliders", "slider-index-out-of-range"): lambda: rebalance([0.5, 0.5], 5, 0.1),
        ("workbook", "file-exists"): lambda: write_workbook(tmp / "taken.xlsx", template="nl"),
        ("workbook.scoresheet", "score-sheets-missing"): lambda: collect_scoresheets(tmp / "empty"),
        ("review", "check-id-taken"): lambda: review_mod.register_check(
            review_mod.CHECKS.ids()[0], question={"nl": "Vraag?", "en": "Question?"}, source="test")(lambda ctx: None),
        ("tco", "yearly-amounts-count"): lambda: yearly_amounts([1.0, 2.0], 5),
        ("analysis", "stage-unknown"): lambda: Analysis(load_model(model)).unavailable("forecast"),
        ("analysis", "spread-out-of-range"): lambda: Analysis(load_model(model), award_price_spread=1.5),
    }


LIBRARY_CASES = sorted([
    ("portfolio.problem", "duplicate-ids"), ("portfolio.backends", "solver-unknown"),
    ("portfolio.frontier", "frontier-points-invalid"), ("portfolio.allocation", "no-portfolio"),
    ("portfolio_robustness", "robustness-samples-invalid"), ("report", "format-unknown"),
    ("report", "language-unknown"), ("report.safe_io", "earlier-files-exist"),
    ("report.csv_json", "csv-dialect-unknown"), ("award.simulation", "price-share-out-of-range"),
    ("award.simulation", "bidder-types-too-few"), ("award.evaluation", "bid-price-not-positive"),
    ("award.formulas", "method-unknown"), ("workshop.judgments", "participant-unknown"),
    ("workshop.sliders", "slider-index-out-of-range"), ("workbook", "file-exists"),
    ("workbook.scoresheet", "score-sheets-missing"), ("review", "check-id-taken"), ("tco", "yearly-amounts-count"),
    ("analysis", "stage-unknown"), ("analysis", "spread-out-of-range")])


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("module,code", LIBRARY_CASES, ids=lambda v: v)
def test_library_errors_are_coded_and_speak_the_asked_language(tmp_path, module, code, lang):
    """Each module's refusal is one coded problem (or several) made from its catalogue key; shown in
    either language it has no word of the other, no traceback, and no command-line flag."""
    from decide.errors import SolveError

    cases = _library_cases(tmp_path)
    with pytest.raises(DecideError) as info:
        cases[(module, code)]()
    exc = info.value
    assert exc.exit_code == (3 if isinstance(exc, SolveError) else 2)
    assert code in [p.code for p in exc.problems]
    assert all(p.key and p.params is not None for p in exc.problems)  # made from the catalogue, not a sentence
    text = error_text(exc, lang)
    check_text(text, lang)
    assert "--" not in text and "--" not in str(exc)


def test_every_library_case_is_in_the_table(tmp_path):
    assert sorted(_library_cases(tmp_path)) == LIBRARY_CASES


def test_a_portfolio_problem_lists_every_problem_under_one_head_in_the_asked_language():
    from decide.portfolio import Problem as Portfolio

    with pytest.raises(InputError) as info:
        Portfolio([dict(id="a", value=1, tco=-5), dict(id="a", value=1, tco=1)], budget=-1, title="werkplek")
    exc = info.value
    assert [p.code for p in exc.problems] == ["duplicate-ids", "option-amount-negative", "integration-above-tco",
                                              "amount-invalid"]
    assert str(exc).startswith("portfolio problem 'werkplek': 4 problems found\n  options: duplicate id(s) 'a'")
    nl = error_text(exc, "nl")
    assert nl.startswith("portfolioprobleem 'werkplek': 4 problemen gevonden\n  options: dubbele id('s) 'a'")
    assert "budget: verwacht een bedrag van 0 of meer, of niets, kreeg -1" in nl


# --------------------------------------------------------------------------- command-line arguments
CLI_CASES = [
    ["sensitivity", "MODEL", "--samples", "veel"],
    ["allocate", "MODEL", "--budget", "veel"],
    ["allocate", "WERKPLEK"],
    ["rank", "MODEL", "--method", "nope"],
    ["show", "MISSING"],
    ["validate", "FOLDER"],
    # library refusals the command line adds its flag's hint to
    ["report", "MODEL", "--out", "OUT", "--format", "pdf"],
    ["report", "MODEL", "--out", ""],
    ["workbook", "--template", "--out", "TAKEN"],
    ["scoresheet", "collect", "EMPTY"],
    ["award", "ZAAK", "--splits", "0.3,2"],
    ["allocate", "MODEL", "--solver", "cbc", "--time-limit", "veel"],
]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("argv", CLI_CASES, ids=lambda a: "-".join(a))
def test_command_line_errors_speak_the_asked_language(capsys, tmp_path, argv, lang):
    names = {"MODEL": str(ROOT / "models" / "dataplatform.yaml"), "WERKPLEK": str(ROOT / "models" / "werkplek.yaml"),
             "ZAAK": str(ROOT / "models" / "zaaksysteem.yaml"), "MISSING": str(tmp_path / "missing.yaml"),
             "FOLDER": str(tmp_path), "OUT": str(tmp_path / "out"), "TAKEN": str(tmp_path / "taken.xlsx"),
             "EMPTY": str(tmp_path / "empty")}
    (tmp_path / "taken.xlsx").write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    argv = [names.get(a, a) for a in argv] + ["--lang", lang]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    for path in names.values():
        err = err.replace(path, " ")
    check_text(err, lang)


def test_the_command_line_adds_the_flag_that_fixes_a_library_error(capsys):
    """The ranking library says the method is unknown; only the command line names --method."""
    from decide import ranking

    with pytest.raises(InputError) as info:
        ranking.get_method("nope")
    assert "--" not in str(info.value) and "--" not in error_text(info.value, "nl")
    code = main(["rank", str(ROOT / "models" / "dataplatform.yaml"), "--method", "nope", "--lang", "nl"])
    err = capsys.readouterr().err
    assert code == 2 and "kies een andere --method" in err


@pytest.mark.parametrize("argv,hint", [
    (["report", "MODEL", "--out", "OUT", "--format", "pdf"], "--format"),
    (["report", "MODEL", "--out", ""], "--out"),
    (["report", "MODEL", "--out", "EARLIER", "--format", "json", "--samples", "0"], "--force"),
    (["workbook", "--template", "--out", "TAKEN"], "--force"),
    (["workbook", "--out", "NEW"], "--template"),
    (["scoresheet", "collect", "EMPTY"], "--evaluators"),
])
def test_the_command_line_adds_the_flag_that_fixes_a_report_or_workbook_error(capsys, tmp_path, argv, hint):
    """The library names the value (a report format, the output folder, an existing file); the
    command line adds the flag that sets it, in the asked language."""
    names = {"MODEL": str(ROOT / "models" / "werkplek.yaml"), "OUT": str(tmp_path / "out"),
             "EARLIER": str(tmp_path / "earlier"), "TAKEN": str(tmp_path / "taken.xlsx"),
             "NEW": str(tmp_path / "new.xlsx"), "EMPTY": str(tmp_path / "empty")}
    (tmp_path / "taken.xlsx").write_bytes(b"x")
    (tmp_path / "empty").mkdir()
    (tmp_path / "earlier").mkdir()
    for lang in ("nl", "en"):  # an earlier report in each language
        (tmp_path / "earlier" / f"werkplek-{lang}.json").write_text("{}")
    for lang in ("nl", "en"):
        code = main([names.get(a, a) for a in argv] + ["--lang", lang])
        err = capsys.readouterr().err
        assert code == 2 and hint in err, err
        check_text(err.replace(str(tmp_path), " "), lang)


def test_no_portfolio_exits_3_and_says_why_in_the_asked_language():
    from decide.errors import SolveError
    from decide.portfolio import Problem as Portfolio
    from decide.portfolio import optimise

    result = optimise(Portfolio([dict(id="a", value=1, tco=10), dict(id="b", value=2, tco=20)], budget=5, pin=("b",)))
    with pytest.raises(SolveError) as info:
        result.raise_for_status()
    assert info.value.exit_code == 3 and info.value.problems[0].code == "no-portfolio"
    nl, en = error_text(info.value, "nl"), error_text(info.value, "en")
    assert nl.startswith("geen portfolio: de optimalisatie is onoplosbaar.") and en.startswith(
        "no portfolio: the optimisation is infeasible.")
    check_text(nl, "nl")
    check_text(en, "en")


# --------------------------------------------------------------------------- the contract itself
def test_problem_text_comes_from_code_and_params_only():
    p = Problem.of("judgment-value", "judgments[1]", value="'drie'", a="'cost'", b="'risk'")
    assert p.message.startswith("value 'drie' for 'cost' vs 'risk' is not a positive number")
    assert p.text("nl").startswith("waarde 'drie' voor 'cost' tegenover 'risk' is geen positief getal")
    # a param may itself be in both languages
    q = Problem.of("out-of-range", "rules.min_suppliers", key="loader.rule_range",
                   expected=Message("loader.expected_whole"), value=-1)
    assert q.text("nl") == "verwacht een geheel getal van 0 of meer, kreeg -1"
    assert q.text("en") == "expected a whole number of 0 or more, got -1"


def test_the_schema_checker_emits_params_not_sentences_to_reword():
    from decide.loader import validate_data

    with pytest.raises(ModelError) as info:
        validate_data({"decide": 1, "title": "t", "language": "en", "alternatives": [], "colour": 1})
    unknown = next(p for p in info.value.problems if p.code == "unknown-key")
    assert unknown.params["key_name"] == "colour" and unknown.key.startswith("errors.shape_unknown_key")
    import decide.render as render

    assert not hasattr(render, "_SHAPES") and not hasattr(render, "_reworded")


def test_messages_survive_pickling():
    import pickle

    m = Message("errors.judgment_self", item="'a'")
    back = pickle.loads(pickle.dumps(m))
    assert back == m and back.text("nl") == m.text("nl") and back.key == m.key


def test_every_catalogue_key_used_by_a_message_exists_with_the_same_fields():
    """Each ``Message("topic.key", ...)`` written in decide/ names an entry whose Dutch and English
    texts have the same placeholders (the catalogue test checks the languages agree)."""
    used = set()
    for path in (ROOT / "decide").rglob("*.py"):
        used |= set(re.findall(r"Message\(\s*f?\"([a-z_]+\.[a-z_0-9{}]+)\"", path.read_text(encoding="utf-8")))
    fmt = string.Formatter()
    for key in used:
        if "{" in key:
            continue
        topic, _, name = key.partition(".")
        entry = catalogue(topic)[name]
        fields = [{f for _, f, _, _ in fmt.parse(entry[lang]) if f} for lang in ("nl", "en")]
        assert fields[0] == fields[1], key


def test_validate_and_the_portfolio_share_one_range_per_rule():
    """The model check calls portfolio.Rules: the same values pass and fail in both."""
    from decide.errors import InputError as IE
    from decide.portfolio.problem import Rules
    from decide.validation import cross_check

    base = yaml.safe_load((ROOT / "models" / "dataplatform.yaml").read_text(encoding="utf-8"))
    for rule, value in [("min_suppliers", 0), ("min_suppliers", -1), ("max_supplier_share", 0),
                        ("max_supplier_share", 1), ("min_sme_share", 0), ("max_exit_cost", -5)]:
        data = {**base, "allocation": {**base["allocation"], "rules": {rule: value}}}
        model_says = any(code == "out-of-range" and loc[-1] == rule for code, loc, _ in cross_check(data))
        try:
            Rules(**{rule: value})
            rules_say = False
        except IE:
            rules_say = True
        assert model_says == rules_say, (rule, value)
