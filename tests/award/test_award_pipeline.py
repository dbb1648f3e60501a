"""The award through the one pipeline object: ``decide award``, the report and the Python API
show the same award result, computed once by :class:`decide.analysis.Analysis` with the
award simulation's settings given once."""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from decide import i18n, requirements, tco, weights
from decide.analysis import Analysis
from decide.award import from_model
from decide.award.simulation import simulate
from decide.cli import _jsonable, main
from decide.errors import DecideError, InputError
from decide.facade import analyse
from decide.loader import load_model
from decide.render import error_text

ROOT = Path(__file__).resolve().parents[2]
WERKPLEK = ROOT / "models" / "werkplek.yaml"
#: Every example model with an award section (werkplek today; a new one joins by itself).
AWARD_MODELS = sorted(p for p in (ROOT / "models").glob("*.yaml") if load_model(p).award is not None)

#: The same award settings as command-line flags and as analysis settings.
FLAGS = ["--tenders", "300", "--seed", "3", "--price-spread", "0.2", "--quality-spread", "0.05", "--splits", "0.3,0.5"]
SETTINGS = dict(seed=3, award_tenders=300, award_price_spread=0.2, award_quality_spread=0.05, award_splits=(0.3, 0.5))


def cli_json(capsys, argv: list[str]) -> dict:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def plain(obj) -> object:
    """``obj`` as the command line's JSON gives it back (NaN as null)."""
    return json.loads(json.dumps(_jsonable(obj), ensure_ascii=False))


def test_there_is_an_example_model_with_an_award_section():
    assert WERKPLEK in AWARD_MODELS


@pytest.mark.parametrize("path", AWARD_MODELS, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("flags, settings", [
    ([], {}),
    (FLAGS, SETTINGS),
    (["--no-simulation"], {"award_simulation": False}),
], ids=["defaults", "settings", "no-simulation"])
def test_the_command_line_shows_the_analysis_award(capsys, path, lang, flags, settings):
    data = cli_json(capsys, ["award", str(path), "--json", "--lang", lang, *flags])
    a = Analysis(load_model(path), lang=lang, **settings)
    assert data == plain(a.award.to_dict(lang))
    if settings.get("award_simulation") is False:
        assert data["simulation"] is None and a.award is a.award_evaluation
    else:
        sim = data["simulation"]
        assert sim["tenders"] == settings.get("award_tenders", 2000)
        assert sim["seed"] == settings.get("seed", a.model.sensitivity.seed)
        assert sim["price_spread"] == settings.get("award_price_spread", 0.10)
        if "award_splits" in settings:
            assert {r["price_share"] for r in sim["formulas"]} - {None} == set(settings["award_splits"])


def test_without_an_award_section_the_command_shows_the_analysis_simulation(capsys):
    """The formulas are tested before there are bids; the report has no award section then."""
    path = ROOT / "models" / "zaaksysteem.yaml"
    data = cli_json(capsys, ["award", str(path), "--json", "--tenders", "200", "--seed", "5"])
    a = Analysis(load_model(path), seed=5, award_tenders=200)
    assert data == plain(a.award_design.to_dict("nl")) and data["bids"] == [] and data["simulation"]["seed"] == 5
    assert a.award is None and a.unavailable("award").key == "no_award"
    assert "award_design" not in analyse(load_model(path), samples=0, frontier_points=0,
                                         portfolio_samples=0).computed  # on request only


@pytest.fixture()
def counted(monkeypatch):
    """A Counter of (function, module that called it) for the award's and the pipeline's functions."""
    seen: Counter = Counter()
    for module, name in [(from_model, "award_model"), (from_model, "evaluate_model"), (from_model, "simulate"),
                         (requirements, "screen"), (tco, "tco_table"), (weights, "derive")]:
        real = getattr(module, name)

        def count(*args, __real=real, __name=name, **kwargs):
            seen[(__name, sys._getframe(1).f_globals["__name__"])] += 1
            return __real(*args, **kwargs)

        monkeypatch.setattr(module, name, count)
    return seen


def test_decide_award_evaluates_and_simulates_once_through_the_analysis(capsys, counted):
    cli_json(capsys, ["award", str(WERKPLEK), "--json", "--tenders", "200"])
    # the bids evaluated once, the formulas simulated once, each by the analysis' stages; the
    # simulation reads the analysis' screening, TCO and weights instead of computing them again
    # (the model file's load-time checks are the loader's: left out)
    assert {k: n for k, n in counted.items() if k[1] != "decide.validation"} == {("evaluate_model", "decide.analysis"): 1, ("simulate", "decide.award.from_model"): 1,
                             ("screen", "decide.analysis"): 1, ("tco_table", "decide.model"): 1,
                             ("derive", "decide.analysis"): 1}


def test_the_report_and_the_review_read_the_award_computed_once(counted):
    a = Analysis(load_model(WERKPLEK), samples=50, award_tenders=200)
    a.touch()
    assert a.award_evaluation is not None and a.review is not None
    assert a.award.evaluation is a.award_evaluation.evaluation  # the bids are not evaluated twice
    from decide.report import build_report

    build_report(a, ("json", "md"), lang="en")
    by_name = Counter()
    for (name, _), n in counted.items():
        by_name[name] += n
    assert by_name["evaluate_model"] == 1 and by_name["simulate"] == 1 and by_name["award_model"] == 0


def _md_simulation_rows(md: str, lang: str) -> list[list[str]]:
    """The cells of the Markdown report's simulation table, Markdown escapes removed."""
    start = md.index(i18n.t("award.report.simulation", lang))
    lines = [re.sub(r"\\(.)", r"\1", ln) for ln in md[start:].splitlines()]
    table = []
    for ln in lines[1:]:
        if ln.startswith("|"):
            table.append([c.strip() for c in ln.strip("|").split(" | ")])
        elif table:
            break
    return table[2:]  # after the header and the separator


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_decide_award_and_decide_report_show_the_same_simulation(capsys, tmp_path, lang):
    award = cli_json(capsys, ["award", str(WERKPLEK), "--json", "--lang", lang, *FLAGS])
    cli_json(capsys, ["report", str(WERKPLEK), "--out", str(tmp_path), "--format", "json,md", "--samples", "50",
                      "--lang", lang, "--json", *FLAGS])
    report = json.loads((tmp_path / f"werkplek-{lang}.json").read_text(encoding="utf-8"))
    shown = report["award"]
    assert {k: shown[k] for k in award} == award  # the report adds details, never other numbers
    prov = report["provenance"]
    assert (prov["award_tenders"], prov["award_seed"], prov["award_price_spread"], prov["award_quality_spread"],
            prov["award_splits"]) == (300, 3, 0.2, 0.05, [0.3, 0.5])
    formulas = award["simulation"]["formulas"]
    rows = report["tables"]["award_simulation"]["rows"]
    assert [r[1:] for r in rows] == [[f["price_share"], f["effective_price_weight"], f["eur_per_point"],
                                      f["paradox_frequency"], *f["win_probability"].values()] for f in formulas]
    md = (tmp_path / f"werkplek-{lang}.md").read_text(encoding="utf-8")
    heading = i18n.t("award.sim.heading", lang, tenders=300, seed=3, price_spread=i18n.fmt_pct(0.2, lang),
                     quality_spread=i18n.fmt_number(0.05, lang, 2))
    assert heading in md
    cells = _md_simulation_rows(md, lang)
    assert [c[5:] for c in cells] == [[i18n.fmt_pct(w, lang, 1) for w in f["win_probability"].values()]
                                      for f in formulas]
    assert [c[2] for c in cells] == [i18n.fmt_pct(f["effective_price_weight"], lang, 1) for f in formulas]


def test_the_report_without_award_flags_keeps_the_simulation_defaults(capsys, tmp_path):
    cli_json(capsys, ["report", str(WERKPLEK), "--out", str(tmp_path), "--format", "json", "--samples", "50",
                      "--no-simulation", "--json"])
    report = json.loads((tmp_path / "werkplek-nl.json").read_text(encoding="utf-8"))
    assert report["award"]["simulation"] is None and report["award"]["winner"] == "B"
    assert "award_tenders" not in report["provenance"]
    a = analyse(load_model(WERKPLEK), samples=50, frontier_points=0)
    assert (a.award.simulation.tenders, a.award.simulation.seed) == (2000, a.model.sensitivity.seed)


# --------------------------------------------------------------------------- settings that cannot be used
@pytest.mark.parametrize("setting, value, code", [
    ("award_tenders", 0, "tenders-too-few"),
    ("award_tenders", -5, "tenders-too-few"),
    ("award_tenders", 2.5, "tenders-too-few"),
    ("award_tenders", True, "tenders-too-few"),
    ("award_price_spread", -0.1, "spread-out-of-range"),
    ("award_quality_spread", 1.5, "spread-out-of-range"),
    ("award_price_spread", float("nan"), "spread-out-of-range"),
    ("award_quality_spread", "veel", "spread-out-of-range"),
    ("award_splits", 0.5, "splits-not-list"),
])
def test_a_bad_award_setting_is_a_located_error(setting, value, code):
    with pytest.raises(InputError) as info:
        Analysis(load_model(WERKPLEK), **{setting: value})
    (p,) = info.value.problems
    assert (p.code, p.loc) == (code, setting) and p.key.startswith("award.")
    assert repr(value) in p.text("nl") and repr(value) in p.text("en") and p.text("nl") != p.text("en")


def test_every_bad_award_setting_is_reported_at_once_in_the_analysis_language():
    with pytest.raises(DecideError) as info:  # werkplek is a Dutch model: the error's own text is Dutch
        Analysis(load_model(WERKPLEK), award_tenders=0, award_price_spread=2, award_quality_spread=-1,
                 award_splits=[0.3, 1.0, 0.0])
    exc = info.value
    assert [(p.code, p.loc) for p in exc.problems] == [
        ("tenders-too-few", "award_tenders"), ("spread-out-of-range", "award_price_spread"),
        ("spread-out-of-range", "award_quality_spread"), ("price-share-out-of-range", "award_splits[1]"),
        ("price-share-out-of-range", "award_splits[2]")]
    assert str(exc).startswith("award_tenders: het aantal gesimuleerde aanbestedingen moet een geheel getal")
    en = error_text(exc, "en")
    assert "award_price_spread: expected a spread from 0 to 1 (such as 0.1), got 2" in en
    assert "award_splits[1]: expected a price share strictly between 0 and 1, got 1.0" in en
    with pytest.raises(DecideError) as info:  # the language asked for the analysis
        analyse(load_model(WERKPLEK), award_tenders=0, samples=0)
    assert str(info.value).startswith("award_tenders: het aantal")
    with pytest.raises(DecideError) as info:
        Analysis(load_model(WERKPLEK), lang="en", award_splits=[2])
    assert str(info.value) == "award_splits[0]: expected a price share strictly between 0 and 1, got 2"


def test_good_award_settings_are_kept_as_given():
    a = Analysis(load_model(WERKPLEK), award_tenders=10, award_price_spread=0, award_quality_spread=1,
                 award_splits=[0.25, 0.75])
    assert a.settings.award_splits == (0.25, 0.75) and a.award.simulation.tenders == 10
    assert sorted(set(a.award.simulation.table["price_share"].dropna())) == [0.25, 0.75]


def test_the_array_level_simulation_refuses_the_same_settings():
    """One check for the analysis settings and the array-level simulation."""
    import numpy as np

    args = ([1.0e6, 1.2e6], np.array([[0.5], [0.8]]), [0.4], [1.0])
    with pytest.raises(InputError) as info:
        simulate(*args, tenders=0, price_spread=1.5)
    assert [(p.code, p.loc) for p in info.value.problems] == [("tenders-too-few", "tenders"),
                                                              ("spread-out-of-range", "price_spread")]
    with pytest.raises(InputError) as info:
        from_model.award_model(load_model(WERKPLEK), quality_spread=-0.2)
    assert [(p.code, p.loc) for p in info.value.problems] == [("spread-out-of-range", "quality_spread")]
