"""The pipeline object: each stage of an analysis is computed once, and every face reads it.

The library functions behind the stages are wrapped with counters that record who called them
(every decide module on the call stack), so the tests can tell a stage computed by
:class:`decide.analysis.Analysis` from one a face (command line, report, review, workshop panel)
would compute itself.
"""
from __future__ import annotations

import contextlib
import io
import json
import sys
from collections import Counter
from pathlib import Path

import pytest

import decide
from decide import award, portfolio, portfolio_model, ranking, requirements, scope, tco, value, weights
from decide import analysis as pipeline
from decide.analysis import STAGES, Analysis, StageUnavailable
from decide.cli import main
from decide.loader import load_model

ROOT = Path(__file__).resolve().parents[1]
ZAAK = ROOT / "models" / "zaaksysteem.yaml"
THIN = ROOT / "tests" / "data" / "thin_model.yaml"

#: (module, function) pairs behind the stages.
WATCHED = [
    (tco, "tco_table"), (weights, "derive"), (requirements, "screen"), (pipeline, "rank_model"),
    (pipeline, "compare_ranking"), (ranking, "explain"), (pipeline, "sensitivity_model"),
    (value, "value_model"), (portfolio_model, "option_values"),
    (portfolio_model, "from_model"), (portfolio, "optimise"), (portfolio, "frontier"), (portfolio, "scenarios"),
    (scope, "module_rankings"), (scope, "module_notes"), (award, "award_model"),
]


def _callers() -> frozenset:
    """The decide modules on the call stack above the counting wrapper."""
    frame, found = sys._getframe(2), set()
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("decide"):
            found.add(name)
        frame = frame.f_back
    return frozenset(found)


@pytest.fixture()
def zaak():
    return load_model(ZAAK)  # loaded before the counters: the load-time checks are the loader's


@pytest.fixture()
def calls(monkeypatch):
    """A Counter of (function name, decide modules on the stack), filled while the test runs."""
    import decide.portfolio_robustness as pr

    seen: Counter = Counter()
    for module, name in WATCHED + [(pr, "portfolio_robustness")]:
        real = getattr(module, name)

        def counted(*args, __real=real, __name=name, **kwargs):
            seen[(__name, _callers())] += 1
            return __real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return seen


def _by_name(seen: Counter, *, outside: tuple[str, ...] = ()) -> Counter:
    """Calls per function, leaving out those made (directly or not) from the modules in ``outside``."""
    out: Counter = Counter()
    for (name, stack), n in seen.items():
        if not any(c == m or c.startswith(m + ".") for c in stack for m in outside):
            out[name] += n
    return out


def test_each_stage_is_computed_once_per_analysis_and_the_faces_compute_none(zaak, calls):
    model = zaak
    a = Analysis(model, samples=300, frontier_points=3, portfolio_samples=5)
    assert a.computed == ()  # nothing before it is asked
    a.touch()
    # robustness takes the analysis' problem, value model and TCO (it computes none of them
    # again); the award's own calls belong to its stage
    own = _by_name(calls, outside=("decide.award",))
    once = ["tco_table", "derive", "screen", "rank_model", "compare_ranking", "explain", "sensitivity_model",
            "value_model", "option_values", "from_model", "frontier", "scenarios",
            "module_rankings", "module_notes", "portfolio_robustness"]
    assert {k: own[k] for k in once} == {k: 1 for k in once}
    # the allocation, the two cheapest covers, and one pinned re-solve per module whose best
    # option is out of the portfolio for its value (module_notes)
    pinned = {n.option for n in a.module_notes if n.reason in ("value", "infeasible")}
    assert own["optimise"] == 1 + 2 + len(pinned)
    assert set(a.computed) == set(STAGES) - {"reversal", "award_design"}  # on request only
    assert a.award is None and a.unavailable("award").key == "no_award"

    # every face reads the same object: no library function runs again
    calls.clear()
    from decide.report import build_report
    from decide.review import ReviewContext, format_review, review

    build_report(a, ("csv", "json", "md", "html"), lang="nl")
    format_review(a.review, "en")
    again = review(model, context=ReviewContext(a))
    assert again.to_dict("nl") == a.review.to_dict("nl")
    a.to_dict("en")
    a.module_texts("nl")
    pytest.importorskip("ipywidgets")
    from decide.workshop import portfolio as panel

    p = panel.portfolio_panel(a, frontier_points=0)
    assert p.allocation is a.allocation
    panel.scenario_view(a)
    assert dict(calls) == {}


def test_the_command_line_asks_one_analysis_for_each_stage(calls):
    """Each command builds one analysis and asks it (the model file's load-time checks and the
    portfolio's own re-solves left out)."""
    for argv, expected in (
            (["rank", str(ZAAK), "--compare", "--json"],
             {"rank_model": 1, "compare_ranking": 1, "module_rankings": 1, "derive": 1, "screen": 1}),
            (["allocate", str(ZAAK), "--json", "--scenarios", "--frontier", "--points", "3"],
             {"from_model": 1, "optimise": 1, "frontier": 1, "scenarios": 1, "value_model": 1, "option_values": 1,
              "derive": 1, "screen": 1})):
        calls.clear()
        with contextlib.redirect_stdout(io.StringIO()):
            assert main(argv) == 0
        own = _by_name(calls, outside=("decide.validation", "decide.loader", "decide.portfolio"))
        assert {k: own[k] for k in expected} == expected, argv
        assert _by_name(calls)["tco_table"] == (1 if argv[0] == "allocate" else 0), argv  # load-time checks included


def test_cli_report_and_review_give_the_same_review():
    """``decide review --json`` and the report's analysis hold the same review, verdicts included."""
    model = load_model(ZAAK)
    a = decide.analyse(model, samples=0, frontier_points=0, portfolio_samples=0)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["review", str(ZAAK), "--json", "--lang", model.language]) == 0
    from decide.cli import _jsonable

    assert json.loads(buf.getvalue()) == _jsonable(a.review.to_dict(model.language))


def test_a_stage_that_does_not_apply_says_why_in_both_languages():
    a = Analysis(load_model(THIN), samples=0)
    assert a.ranking is not None
    for stage in ("problem", "allocation", "frontier", "scenarios", "portfolio_robustness"):
        assert getattr(a, stage) is None
        why = a.unavailable(stage)
        assert isinstance(why, StageUnavailable) and why.stage == "problem" and why.key == "no_allocation"
        assert why.text("en") == "the model has no allocation section (ranking only)"
        assert why.text("nl") == "het model heeft geen allocation-sectie (alleen een ranking)"
    # a face that needs the stage gets the located model-file problem behind it
    with pytest.raises(decide.ModelError) as err:
        a.need("allocation")
    assert err.value.codes == ["no-allocation"]
    assert a.unavailable("ranking") is None
    off = Analysis(load_model(ZAAK), sensitivity=False, portfolio=False, review=False)
    assert off.sensitivity is None and off.unavailable("sensitivity").text("nl") == (
        "dit onderdeel (sensitivity) is bij deze analyse uitgeschakeld")
    assert off.allocation is None and off.unavailable("allocation").key == "switched_off"
    with pytest.raises(StageUnavailable, match="switched off"):
        off.need("review")
    with pytest.raises(ValueError, match="unknown stage"):
        off.unavailable("weightz")


def test_every_option_knocked_out_leaves_the_later_stages_unavailable_with_the_located_cause(calls):
    """All options knocked out: the screening says why each option is out, the ranking and the
    portfolio are unavailable for that reason (in both languages), a face that needs them gets
    the located problem on every access, and the screening is computed once."""
    a = Analysis(load_model(ROOT / "tests" / "data" / "review" / "all_excluded.yaml"), samples=0)
    assert a.screening.passed == () and {e.id for e in a.screening.excluded} == {"a", "b"}
    for stage in ("ranking", "problem", "allocation"):
        assert getattr(a, stage) is None
        why = a.unavailable(stage)
        assert why.key == "all_excluded"
        assert "exclude every option (2 of 2)" in why.text("en") and "sluiten elke optie uit" in why.text("nl")
    for _ in range(3):
        with pytest.raises(decide.ModelError) as err:
            a.need("ranking")
        assert err.value.codes == ["all-excluded"]
    a.touch()  # the report's whole analysis comes out
    assert _by_name(calls, outside=("decide.loader",))["screen"] == 1  # the load-time checks left out
