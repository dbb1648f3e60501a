"""The award section of a model: located errors (exit 2), evaluation, simulation, the CLI."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from decide.award import award_model, format_award
from decide.cli import main
from decide.errors import ModelError
from decide.loader import load_model, loads_model

ROOT = Path(__file__).resolve().parents[2]
WERKPLEK = ROOT / "models" / "werkplek.yaml"

BASE = """
decide: 1
title: Award test
language: {lang}
alternatives: [{{id: x, value: 1}}]
award:
{award}
"""

GOOD = """
  method: points
  total: 100
  price: {points: 60, formula: relative}
  quality:
    - {id: plan, label: Plan van aanpak, points: 40, scale: {goed: 1.0, redelijk: 0.6, matig: 0.25, onvoldoende: 0}}
  bids:
    - {id: A, price: 1000000, quality: {plan: goed}}
    - {id: B, price: 1250000, quality: {plan: 0.7}}
"""


def model_text(award: str, lang: str = "en") -> str:
    return BASE.format(lang=lang, award=textwrap.indent(textwrap.dedent(award).strip("\n"), "  "))


def problems(award: str, lang: str = "en") -> list:
    with pytest.raises(ModelError) as exc:
        loads_model(model_text(award, lang), "award.yaml")
    return list(exc.value.problems)


def test_the_issue_syntax_loads_and_evaluates():
    model = loads_model(model_text(GOOD))
    ev = award_model(model, simulate_formulas=False).evaluation
    assert list(ev.table["price_score"]) == pytest.approx([60.0, 48.0])
    assert list(ev.table["quality_score"]) == pytest.approx([40.0, 28.0])
    assert ev.winner == "A"


@pytest.mark.parametrize("change, code, loc, words", [
    (("points: 40, scale", "points: 30, scale"), "award-weights-sum", "award.total", "add up to 90.00, not to the total 100.00"),
    (("quality: {plan: 0.7}", "quality: {}"), "award-score-missing", "award.bids[1].quality", "has no score for plan"),
    (("quality: {plan: goed}", "quality: {plan: uitstekend}"), "award-score-not-on-scale", "award.bids[0].quality.plan",
     "'uitstekend' is not on the scale (goed, redelijk, matig, onvoldoende)"),
    (("quality: {plan: 0.7}", "quality: {plan: 1.4}"), "award-score-not-on-scale", "award.bids[1].quality.plan", "not on the scale"),
    (("price: 1250000", "price: 0"), "award-price-not-positive", "award.bids[1].price", "must be more than 0, got 0"),
    (("price: 1000000", "price: -5"), "award-price-not-positive", "award.bids[0].price", "must be more than 0"),
    (("formula: relative}", "formula: absolute, ceiling: 1200000}"), "award-ceiling-below-bid", "award.bids[1].price",
     "above the ceiling €1,200,000"),
    (("formula: relative}", "formula: absolute}"), "award-ceiling-missing", "award.price", "needs a published ceiling"),
    (("quality: {plan: goed}", "quality: {plan: goed, risk: 3}"), "award-unknown-criterion", "award.bids[0].quality.risk",
     "unknown criterion 'risk'"),
    (("points: 40, scale", "value: 40, scale"), "award-weight-missing", "award.quality[0]", "has no points"),
])
def test_bad_award_input_is_a_located_error(change, code, loc, words):
    bad = GOOD.replace(*change)
    assert bad != GOOD
    found = problems(bad)
    match = [p for p in found if p.code == code]
    assert match, [str(p) for p in found]
    p = match[0]
    assert p.loc == loc and words in p.message and p.line is not None and p.file == "award.yaml"


def test_errors_speak_the_model_language():
    found = problems(GOOD.replace("price: 1250000", "price: 0"), lang="nl")
    assert "de prijs moet groter dan 0 zijn" in found[0].message


def test_every_problem_is_reported_at_once():
    bad = GOOD.replace("points: 40, scale", "points: 30, scale").replace("price: 1250000", "price: 0") \
              .replace("quality: {plan: goed}", "quality: {plan: slecht}")
    assert {"award-weights-sum", "award-price-not-positive", "award-score-not-on-scale"} <= {p.code for p in problems(bad)}


def test_cli_exits_2_on_bad_award_input_without_traceback(tmp_path, capsys):
    f = tmp_path / "bad.yaml"
    f.write_text(model_text(GOOD.replace("price: 1250000", "price: 0")), encoding="utf-8")
    code = main(["award", str(f)])
    err = capsys.readouterr().err
    assert code == 2 and "award-price-not-positive" in err and "Traceback" not in err
    assert f"{f}:" in err  # file and line


def test_werkplek_award_json_has_the_documented_shape(capsys):
    code = main(["award", str(WERKPLEK), "--json", "--tenders", "400"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) == {"method", "bids", "winner", "paradox", "simulation"}
    assert data["method"] == "points" and data["winner"] == "B"
    for bid in data["bids"]:
        assert set(bid) == {"id", "price", "price_score", "quality_score", "total", "fictive_price", "utility", "rank"}
        assert bid["fictive_price"] is None and bid["utility"] is None
    # the test bid D (extending the current workplace) decides between B and C
    assert data["paradox"] == [{"removed": "D", "swapped": ["B", "C"]}]
    sim = data["simulation"]
    assert sim["tenders"] == 400 and sim["intended_price_share"] == pytest.approx(0.2)
    assert {r["formula"] for r in sim["formulas"]} >= {"points_relative", "points_absolute", "fictive_price",
                                                       "utility_index", "value_for_money", "lowest_price"}
    for r in sim["formulas"]:
        assert sum(r["win_probability"].values()) == pytest.approx(1.0)
    assert sim["best"] in {r["formula"] for r in sim["formulas"]}


@pytest.mark.parametrize("lang, words", [
    ("nl", ["Methode: gewogen factormethode", "Rangordeparadox: 1 verwisseling", "zonder D komt C voor B",
            "Alternatief met dezelfde weging", "Simulatie vóór de aanbesteding", "De weging van de strategie geeft prijs 20 %"]),
    ("en", ["Method: weighted-factor method", "Rank paradox: 1 swap", "without D, C moves ahead of B",
            "Alternative with the same weights", "Simulation before the tender", "The strategy's weights give price 20%"]),
])
def test_werkplek_award_text_in_both_languages(capsys, lang, words):
    code = main(["award", str(WERKPLEK), "--lang", lang, "--tenders", "300"])
    out = capsys.readouterr().out
    assert code == 0
    for w in words:
        assert w in out, w


@pytest.mark.parametrize("name", ["zaaksysteem", "dataplatform"])
def test_models_without_an_award_section_still_simulate(capsys, name):
    code = main(["award", str(ROOT / "models" / f"{name}.yaml"), "--json", "--tenders", "200"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["method"] is None and data["bids"] == [] and data["winner"] is None
    assert data["simulation"] is None or data["simulation"]["formulas"]


def test_no_simulation_and_lowest_price_needs_a_motivation():
    model = loads_model(model_text("""
method: lowest_price
bids:
  - {id: A, price: 100}
  - {id: B, price: 90}
"""))
    a = award_model(model, simulate_formulas=False)
    assert a.evaluation.winner == "B" and a.simulation is None
    text = format_award(a, "en")
    assert "art. 2.114(4)" in text and "award.motivation" in text


def test_werkplek_simulation_reads_the_strategy_model():
    a = award_model(load_model(WERKPLEK), tenders=300)
    sim = a.simulation
    assert sim.types == ("us_cloud", "eu_open", "hybrid", "ssc_onprem")  # keep_current is knocked out
    assert a.simulated_criteria == ("lock_in", "sovereignty", "security", "sustainability", "usability", "innovation")
    assert sorted(set(sim.table["price_share"].dropna())) == [0.2, 0.3]  # the strategy's and the award's split


def test_the_model_format_documentation_examples_load():
    """The award and strategy examples of models/README.md are valid model sections."""
    import re

    import yaml

    text = (ROOT / "models" / "README.md").read_text(encoding="utf-8")
    tail = text[text.index("## Strategy motivations and best practices"):]
    more = re.search(r"\n## (?!Award)", tail[3:])  # up to the next section that is not the award's
    tail = tail[: more.start() + 3] if more else tail
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", tail, flags=re.S)]
    sections = {k: v for b in blocks for k, v in b.items()}
    assert set(sections) == {"strategy", "award"}
    from decide.loader import validate_data

    model = validate_data({"decide": 1, "title": "README", "alternatives": [{"id": "x", "value": 1}], **sections})
    ev = award_model(model, simulate_formulas=False).evaluation
    assert list(ev.table["price_score"]) == pytest.approx([60.0, 48.0])
    assert model.strategy.make_or_buy.startswith("Building in-house")


def test_a_catalogue_of_options_is_simulated_with_the_likeliest_bidders():
    """Memory and time stay bounded: at most MAX_BIDDERS bidder types, the best expected ones."""
    from decide.award.from_model import MAX_BIDDERS

    options = "\n".join(
        f"  - {{id: o{i}, supplier: s{i}, costs: {{once: {100000 + 7919 * i % 50000}, yearly: 20000}}, "
        f"scores: {{quality: {1 + (i * 37) % 5}}}}}" for i in range(40))
    model = loads_model(f"""
decide: 1
title: Catalogue
criteria:
  - {{id: cost, direction: min, source: tco}}
  - {{id: quality, direction: max}}
weights: {{method: direct, direct: {{cost: 0.4, quality: 0.6}}}}
alternatives:
{options}
""")
    a = award_model(model, tenders=200, seed=1)
    assert len(a.simulation.types) == MAX_BIDDERS and a.reasons["simulation_types"] == "capped"
    assert "only the 12 with the best expected evaluation" in format_award(a, "en")
    assert a.simulation.intended_price_share == pytest.approx(0.4)


@pytest.mark.parametrize("name, reason", [("thin_model", None), ("review/values_only", "no_criteria"),
                                          ("review/infeasible", "few_options"), ("review/all_excluded", "all_excluded")])
def test_award_runs_on_every_test_model_and_says_why_a_part_is_missing(capsys, name, reason):
    path = ROOT / "tests" / "data" / f"{name}.yaml"
    code = main(["award", str(path), "--tenders", "100", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    assert "The model has no award section" in out
    a = award_model(load_model(path), tenders=100)
    assert a.reasons.get("simulation") == reason
    assert (a.simulation is None) == (reason is not None)
