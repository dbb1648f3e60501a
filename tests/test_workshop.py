"""decide.workshop: the verbal scale, the judgement session, saving, and the widgets driven by value.

Widgets are driven the way a user drives them -- set a slider's ``.value``, tick a box, click a
button -- and the test reads what the widget then shows.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from decide import i18n
from decide.errors import DecideError, InputError, ModelError
from decide.loader import load_model, loads_model
from decide.weights import derive

pytest.importorskip("ipywidgets")

import decide.workshop as ws  # noqa: E402
from decide.workshop import scale  # noqa: E402
from decide.workshop.save import MARKER  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
EXAMPLES = ["zaaksysteem", "werkplek", "dataplatform"]


@pytest.fixture
def zaak(tmp_path) -> Path:
    """A copy of the zaaksysteem model in a temporary folder (saving writes next to it)."""
    p = tmp_path / "zaaksysteem.yaml"
    shutil.copy(MODELS / "zaaksysteem.yaml", p)
    return p


def _model(name: str):
    return load_model(MODELS / f"{name}.yaml")


# =========================================================================== scale
def test_verbal_scale_in_both_languages():
    assert [scale.verbal(v, "nl") for v in (1, 3, 5, 7, 9)] == [
        "gelijk belangrijk", "iets belangrijker", "belangrijker", "veel belangrijker", "extreem belangrijker"]
    assert scale.verbal(5, "en") == "strongly more important"
    assert scale.verbal(1 / 3, "nl") == scale.verbal(3, "nl")
    assert scale.verbal(4, "nl") == "iets belangrijker tot belangrijker"
    assert scale.verbal(2.4, "nl") == scale.verbal(2, "nl")  # off the scale: the nearest level


def test_sentence_puts_the_more_important_side_first():
    assert scale.sentence("Kosten", "Risico", 3, "nl") == "Kosten is iets belangrijker dan Risico (3)"
    assert scale.sentence("Kosten", "Risico", 1 / 7, "nl") == "Risico is veel belangrijker dan Kosten (7)"
    assert scale.sentence("Cost", "Risk", 1, "en") == "Cost and Risk are equally important (1)"


def test_scale_options_run_from_a_to_b():
    opts = scale.scale_options("A", "B", "nl")
    values = [v for _, v in opts]
    assert len(opts) == 17 and values[0] == 9 and values[8] == 1 and values[-1] == pytest.approx(1 / 9)
    assert opts[0][0].startswith("A is extreem") and opts[-1][0].startswith("B is extreem")
    assert values == sorted(values, reverse=True)
    with_extra = [v for _, v in scale.scale_options("A", "B", "nl", extra=2.5)]
    assert len(with_extra) == 18 and 2.5 in with_extra
    assert len(scale.scale_options("A", "B", "nl", extra=1 / (1 / 7))) == 17  # 7.000000000000001 is on the scale


@pytest.mark.parametrize("value, text, written", [(3, "3", 3), (1 / 3, "1/3", "1/3"), (1 / (1 / 7), "7", 7),
                                                   (2.5, "2.5", 2.5), (0.4, "0.4", 0.4)])
def test_values_as_people_and_files_write_them(value, text, written):
    assert scale.fmt_value(value, "en") == text
    assert scale.yaml_value(value) == written


def test_parse_value():
    assert scale.parse_value("1/3") == pytest.approx(1 / 3)
    assert scale.parse_value(4) == 4.0
    assert scale.parse_value("0") is None and scale.parse_value(True) is None and scale.parse_value("x") is None


def test_every_workshop_text_exists_in_both_languages():
    cat = i18n.catalogue("workshop")
    for key, entry in cat.items():
        assert isinstance(key, str), f"a key YAML read as {key!r}: quote it"
        assert set(entry) == {"nl", "en"} and all(entry.values()), key
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "decide" / "workshop").glob("*.py"))
    used = set(re.findall(r"""_t\(\s*["']([a-z_]+)["']""", source))
    used |= set(re.findall(r"""workshop\.([a-z_]+)["']""", source))
    used = {k for k in used if not k.endswith("_") and k != "yaml"}  # prefixes completed in code, file names
    used |= {f"band_{b}" for b in ("low", "moderate", "high")} | {f"tag_{t}" for t in ("monolithic", "modular")}
    missing = sorted(k for k in used if k not in cat)
    assert not missing, f"texts used but not in decide/messages/workshop.yaml: {missing}"
    for k in range(1, 10):
        assert f"scale_{k}" in cat


# =========================================================================== session
def test_session_loads_the_judgements_of_the_model():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    assert s.participants == ["Inkoop", "Informatiemanagement", "Architectuur"]
    assert s.value("Architectuur", "risk", "innovation") == pytest.approx(1 / 4)  # [innovation, risk, 4]
    assert s.value("Architectuur", "innovation", "risk") == pytest.approx(4)
    assert s.value("Inkoop", "lock_in", "security") == pytest.approx(0.5)
    assert set(s.groups) == {None, "risk"}
    assert len(s.pairs[None]) == 10 and len(s.pairs["risk"]) == 3


@pytest.mark.parametrize("name", ["zaaksysteem", "dataplatform"])
def test_unchanged_session_gives_the_model_weights_and_crs(name):
    model = _model(name)
    s = ws.JudgmentSession(model)
    d = derive(model)
    pd.testing.assert_series_equal(s.derive().weights, d.weights, atol=1e-12, rtol=0)
    for p in d.participants:
        for group, cr in p.cr.items():
            assert s.check(p.name, group).cr == pytest.approx(cr, abs=1e-12)


def test_skipped_pair_is_estimated():
    s = ws.JudgmentSession(_model("dataplatform"))
    skipped = [(n, pair) for n in s.participants for pair, v in s.values(n).items() if v is None]
    assert skipped, "the data platform example has a participant who skipped a pair"
    name, (a, b) = skipped[0]
    chk = s.check(name, s._parent_of[a])
    assert chk.cr is not None and (a, b) in chk.estimated


def test_set_value_either_direction_and_errors():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    s.set_value("Inkoop", "risk", "fit", 3)
    assert s.value("Inkoop", "fit", "risk") == pytest.approx(1 / 3)
    assert ["risk", "fit", 3] in s.judgments("Inkoop")
    # the session speaks the model's language (Dutch here), or the one asked for
    with pytest.raises(InputError, match="zustercriteria") as err:
        s.set_value("Inkoop", "fit", "lock_in", 2)  # not siblings
    assert err.value.problems[0].code == "criteria-not-siblings" and "sibling" in err.value.problems[0].text("en")
    with pytest.raises(InputError, match="positief getal"):
        s.set_value("Inkoop", "fit", "risk", 0)
    with pytest.raises(InputError, match="doet niet mee aan deze workshop"):
        s.set_value("Nobody", "fit", "risk", 2)
    en = ws.JudgmentSession(_model("zaaksysteem"), lang="en")
    with pytest.raises(InputError, match="'Nobody' is not in this workshop"):
        en.set_value("Nobody", "fit", "risk", 2)


def test_session_for_a_model_without_ahp_starts_equal():
    model = _model("werkplek")
    s = ws.JudgmentSession(model, participants=["Inkoop", "IV"])
    assert not s.is_ahp and s.participants == ["Inkoop", "IV"]
    assert all(v == 1.0 for v in s.values("Inkoop").values())
    d = s.derive()
    for parent, local in d.local.items():  # every sibling group split evenly
        np.testing.assert_allclose(local.to_numpy(), 1 / len(local), atol=1e-12)
    assert d.weights.sum() == pytest.approx(1)
    assert ws.JudgmentSession(model).participants == ["Deelnemer 1"]


def test_disconnected_judgements_are_reported_not_raised():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    keep = ("fit", "risk")
    for pair in s.pairs[None]:
        if pair != keep:
            s.set_value("Inkoop", *pair, None)
    chk = s.check("Inkoop", None)
    assert chk.cr is None and chk.error
    s2 = ws.JudgmentSession(_model("zaaksysteem"), participants=["Solo"])
    for pair in s2.pairs[None]:
        if pair != keep:
            s2.set_value("Solo", *pair, None)
    panel = ws.group_panel(s2)
    assert panel.derivation is None and panel.error
    assert "De oordelen geven nog geen gewichten" in panel.html.value


# =========================================================================== judgement widgets
def test_moving_a_slider_changes_the_cr_label_and_the_tab_title():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    jp = ws.judgment_panel(s)
    p = jp.panels["Architectuur"]
    assert "inconsistent" in p.status[None].value
    assert jp.widget.titles[2].endswith("⚠")
    row = p.rows[("risk", "innovation")]
    assert row.slider.value == pytest.approx(1 / 4)
    assert row.text.value.startswith("Innovatie is iets belangrijker tot belangrijker dan Risico")
    row.slider.value = 5.0
    assert s.value("Architectuur", "risk", "innovation") == 5.0
    assert "CR = 0,04" in p.status[None].value and "inconsistent" not in p.status[None].value
    assert jp.widget.titles[2].endswith("✓")
    assert row.text.value.startswith("Risico is belangrijker dan Innovatie")
    assert p.hints[None].children == ()


def test_applying_a_hint_moves_the_slider():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    p = ws.judgment_panel(s).panels["Architectuur"]
    first = p.checks[None].hints[0]
    assert len(p.hints[None].children) == len(p.checks[None].hints) >= 1
    button = p.hints[None].children[0].children[0]
    button.click()
    assert p.rows[(first.a, first.b)].slider.value == pytest.approx(first.suggested)
    assert p.checks[None].cr == pytest.approx(first.cr_after)


def test_skip_box_skips_and_restores_a_pair():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    p = ws.judgment_panel(s).panels["Inkoop"]
    row = p.rows[("fit", "risk")]
    row.skip.value = True
    assert s.value("Inkoop", "fit", "risk") is None and row.slider.disabled
    assert "geschat" in p.status[None].value and "overgeslagen" in row.text.value
    row.skip.value = False
    assert s.value("Inkoop", "fit", "risk") == pytest.approx(row.slider.value)


def test_group_panel_follows_the_sliders():
    s = ws.JudgmentSession(_model("zaaksysteem"))
    jp, gp = ws.judgment_panel(s), ws.group_panel(s)
    before, html = gp.weights.copy(), gp.html.value
    assert "Consensus" in html and "Architectuur" in html and "90 %" in html  # S* = 0.90 (high)
    jp.panels["Inkoop"].rows[("fit", "flexibility")].slider.value = 1 / 9
    assert gp.weights["flexibility"] > before["flexibility"]
    assert gp.html.value != html
    assert gp.weights.sum() == pytest.approx(1)


def test_english_texts_for_an_english_model():
    s = ws.JudgmentSession(_model("dataplatform"))
    p = ws.judgment_panel(s).panels["CIO-office"]
    assert "Consistency ratio" in p.status[None].value
    assert "Group result" in ws.group_panel(s).html.value


# =========================================================================== saving
def test_unchanged_save_is_the_file_plus_one_line(zaak):
    s = ws.JudgmentSession(load_model(zaak))
    r = s.save()
    assert r.path == zaak.with_name("zaaksysteem.workshop.yaml")
    saved = r.path.read_text(encoding="utf-8").splitlines()
    assert saved[0].startswith(MARKER)
    assert saved[1:] == zaak.read_text(encoding="utf-8").splitlines()
    assert (r.changed, r.added, r.removed) == (0, 0, 0) and r.same_weights


def test_changed_judgements_touch_only_their_lines(zaak):
    s = ws.JudgmentSession(load_model(zaak))
    s.set_value("Architectuur", "risk", "innovation", 5)  # file: [innovation, risk, 4]
    s.set_value("Inkoop", "fit", "innovation", 1 / 2)  # file: [fit, innovation, 4]
    s.set_value("Informatiemanagement", "lock_in", "continuity", None)  # skipped: removed
    r = s.save()
    old = zaak.read_text(encoding="utf-8").splitlines()
    new = r.path.read_text(encoding="utf-8").splitlines()[1:]
    import difflib

    changes = [x for x in difflib.unified_diff(old, new, lineterm="", n=0) if x[:1] in "+-" and x[:3] not in ("+++", "---")]
    assert sorted(changes) == sorted([
        "-          - [innovation, risk, 4]", "+          - [risk, innovation, 5]",
        "-          - [fit, innovation, 4]", "+          - [innovation, fit, 2]",
        "-          - [lock_in, continuity, 1]"])
    assert (r.changed, r.added, r.removed) == (2, 0, 1)
    # the saved file validates and gives the workshop's weights
    assert r.same_weights
    pd.testing.assert_series_equal(derive(load_model(r.path)).weights, s.derive().weights, atol=1e-12, rtol=0)
    done = subprocess.run([sys.executable, "-m", "decide", "validate", str(r.path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    # un-skipping appends the pair as a new flow entry
    s2 = ws.JudgmentSession(load_model(r.path))
    assert s2.value("Informatiemanagement", "lock_in", "continuity") is None
    s2.set_value("Informatiemanagement", "continuity", "lock_in", 3)
    r2 = s2.save()
    assert r2.path == r.path and r2.added == 1
    text = r2.path.read_text(encoding="utf-8")
    assert "          - [continuity, lock_in, 3]" in text
    assert text.count(MARKER) == 1


def test_save_refuses_to_overwrite_unless_asked(zaak, tmp_path):
    s = ws.JudgmentSession(load_model(zaak))
    with pytest.raises(InputError, match="overwrite=True"):
        s.save(zaak)
    other = tmp_path / "other.yaml"
    other.write_text("x: 1\n", encoding="utf-8")
    with pytest.raises(InputError, match="bestaat al"):
        s.save(other)
    s.set_value("Inkoop", "fit", "risk", 9)
    r = s.save(zaak, overwrite=True)
    assert r.path == zaak and load_model(zaak).weights.ahp.participants[0].judgments[0] == ["fit", "risk", 9]


def test_save_needs_a_file():
    model = loads_model((MODELS / "zaaksysteem.yaml").read_text(encoding="utf-8"))
    with pytest.raises(InputError, match="not loaded from a file"):
        ws.JudgmentSession(model, lang="en").save()


def test_save_keeps_another_indentation(tmp_path):
    import io

    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes, y.width = True, 4096
    y.indent(mapping=4, sequence=6, offset=4)
    buf = io.StringIO()
    y.dump(y.load((MODELS / "dataplatform.yaml").read_text(encoding="utf-8")), buf)
    four = buf.getvalue()
    assert "\n    ahp:\n        ri:" in four  # four spaces per level
    src = tmp_path / "four.yaml"
    src.write_text(four, encoding="utf-8")
    s = ws.JudgmentSession(load_model(src))
    name = s.participants[0]
    s.set_value(name, "risk", "scalability", 5)
    r = s.save()
    new = r.path.read_text(encoding="utf-8").splitlines()[1:]
    old = four.splitlines()
    assert len(new) == len(old)
    assert sum(a != b for a, b in zip(old, new)) == 1
    assert r.same_weights


def test_save_turns_a_model_without_ahp_into_ahp(tmp_path):
    src = tmp_path / "werkplek.yaml"
    shutil.copy(MODELS / "werkplek.yaml", src)
    s = ws.JudgmentSession(load_model(src), participants={"Inkoop": 2, "IV": 1})
    s.set_value("Inkoop", "cost", "risk", 3)
    r = s.save()
    m = load_model(r.path)
    assert m.weights.method == "ahp" and [p.name for p in m.weights.ahp.participants] == ["Inkoop", "IV"]
    assert m.weights.ahp.participants[0].weight == 2
    assert r.same_weights
    saved = r.path.read_text(encoding="utf-8").splitlines()
    source = src.read_text(encoding="utf-8").splitlines()
    assert saved[1:len(source) // 4] == source[: len(source) // 4 - 1]  # the head, comments included, unchanged
    assert "  direct:" in r.path.read_text(encoding="utf-8")  # the direct weights stay, for switching back


def test_save_panel(zaak):
    s = ws.JudgmentSession(load_model(zaak))
    panel = ws.save_panel(s)
    assert panel.path.value.endswith("zaaksysteem.workshop.yaml")
    panel.button.click()
    assert panel.result is not None and panel.result.same_weights
    assert "dezelfde gewichten" in panel.status.value
    panel.path.value = str(zaak)
    assert panel.save() is None and "overwrite=True" in panel.status.value


def test_model_path_prefers_the_workshop_file(zaak):
    assert ws.model_path(zaak) == zaak
    ws.JudgmentSession(load_model(zaak)).save()
    assert ws.model_path(zaak) == zaak.with_name("zaaksysteem.workshop.yaml")
    assert ws.model_path(zaak, workshop=False) == zaak
    assert ws.default_path(zaak.with_name("x.workshop.yaml")).name == "x.workshop.yaml"


# =========================================================================== weight sliders
@pytest.mark.parametrize("weights, k, v", [([0.5, 0.3, 0.2], 0, 0.6), ([0.1, 0.1, 0.8], 2, 0.0),
                                           ([0.25] * 4, 3, 1.0), ([0.0, 0.0, 1.0], 2, 0.4)])
def test_rebalance_keeps_the_simplex_and_the_proportions(weights, k, v):
    w = ws.rebalance(weights, k, v)
    assert w.sum() == pytest.approx(1) and (w >= 0).all() and w[k] == pytest.approx(v)
    others = [i for i in range(len(weights)) if i != k]
    old = np.array(weights)[others]
    if old.sum() > 0:
        np.testing.assert_allclose(w[others], old / old.sum() * (1 - v), atol=1e-12)
    else:
        np.testing.assert_allclose(w[others], (1 - v) / len(others))
    assert ws.rebalance([1.0], 0, 0.3).tolist() == [1.0]


@pytest.mark.parametrize("method", ["topsis", "vikor", "promethee_ii", "wsm", "wpm", "ahp", "spotis"])
def test_fast_ranker_agrees_with_rank_and_explain(method):
    from decide.analysis import rank_model, ranking_settings
    from decide.ranking import explain, rank

    model = _model("zaaksysteem")
    base = rank_model(model)
    chosen, params = ranking_settings(model, method)
    fr = ws.FastRanker(base.matrix, base.directions, chosen, **params)
    w = np.array([0.3, 0.05, 0.05, 0.1, 0.2, 0.1, 0.2])
    snap = fr(w)
    ref = rank(base.matrix, w, list(base.directions), chosen, **params)
    np.testing.assert_allclose(snap.scores, ref.score_values, rtol=1e-12, atol=1e-12)
    assert snap.ranks.tolist() == ref.rank_values.tolist()
    ex = explain(base.matrix, w, list(base.directions), chosen, **params)
    np.testing.assert_allclose(snap.contributions, ex.contributions.to_numpy(), rtol=1e-12, atol=1e-12)


def test_weight_slider_rescales_the_others_and_reranks():
    model = _model("zaaksysteem")
    panel = ws.weight_panel(model)
    first = panel.ranking_frame().index[0]
    assert first == "cg_forms"
    assert panel.weights.sum() == pytest.approx(1)
    before = panel.weights.copy()
    panel.sliders["fit"].value = 0.8
    w = panel.weights
    assert w.sum() == pytest.approx(1) and w["fit"] == pytest.approx(0.8)
    rest = before.drop("fit")
    np.testing.assert_allclose(w.drop("fit"), rest / rest.sum() * 0.2, atol=1e-12)
    assert panel.sliders["flexibility"].value == pytest.approx(w["flexibility"])  # the other sliders moved
    frame = panel.ranking_frame()
    assert frame.index[0] == "commercial_forms" and frame.iloc[0]["model_rank"] == 5
    # the table shows the new winner first, with its climb
    rows = re.findall(r"<tr>(.*?)</tr>", panel.table.value)
    assert "Formulierenplatform" in rows[1] and "▲4" in rows[1]
    assert panel.last_update > 0  # timed (bench/workshop.py measures it; tests never fail on speed)
    panel.reset.click()
    np.testing.assert_allclose(panel.weights.to_numpy(), before.to_numpy(), atol=1e-12)
    assert panel.ranking_frame().index[0] == first


def test_weight_panel_method_choice():
    panel = ws.weight_panel(_model("zaaksysteem"))
    assert "Rangorde (TOPSIS)" in panel.table.value
    panel.method.value = "vikor"
    assert panel.method_name == "vikor" and "VIKOR" in panel.table.value and "lager is beter" in panel.table.value
    panel.set_weight("innovation", 0.5)
    assert panel.weights["innovation"] == pytest.approx(0.5)
    with pytest.raises(InputError):
        panel.set_weight("nope", 0.1)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_contribution_bars_are_the_reports_decomposition(lang):
    """The workshop's bars and the report's ranking chart draw one computation
    (Explanation.shares) and say what it is in one catalogue sentence."""
    from decide.facade import analyse

    model = _model("zaaksysteem")
    panel = ws.weight_panel(model, lang=lang)
    report = analyse(model, sensitivity=False, portfolio=False, review=False).explanation
    shares = panel.shares_frame().reindex(report.shares.index)
    np.testing.assert_allclose(shares.to_numpy(), report.shares.to_numpy(), atol=1e-12)
    # the slider readouts use the language's notation, as the tables do (27,6 % in Dutch)
    assert panel.readouts["fit"].value == i18n.fmt_pct(float(panel.weights["fit"]), lang, 1)
    assert panel.readouts["fit"].value == {"nl": "27,6 %", "en": "27.6%"}[lang]
    sentence = i18n.t("ranking.contrib_shares", lang)
    assert _unescape(panel.table.value).count(sentence) == 1
    assert "D-²" not in panel.table.value and "D+²" not in panel.table.value
    # each segment is drawn at its share of the full bar (full width = score 1)
    best = panel.ranking_frame().index[0]
    k = list(panel.matrix.index).index(best)
    first_row = panel.table.value.split("<tbody>")[1].split("</tr>")[0]
    widths = [float(x) for x in re.findall(r"width:([0-9.]+)%;background", first_row)]
    np.testing.assert_allclose(sorted(widths), sorted(100 * v for v in panel.snapshot.shares[k] if v > 0), atol=0.006)


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_weight_panel_shows_knocked_out_options():
    panel = ws.weight_panel(_model("zaaksysteem"))
    assert "Uitgesloten door de knock-outeisen" in panel.table.value
    assert "archive_saas" not in panel.ranking_frame().index


# =========================================================================== robustness views
def test_comparison_and_stability_views_use_the_slider_weights():
    model = _model("zaaksysteem")
    panel = ws.weight_panel(model)
    view = ws.comparison_view(model, panel)
    assert "Vergelijking van methoden" in view.html and "Open Formulieren" in view.html
    assert set(view.data.methods) >= {"topsis", "vikor", "promethee_ii"}
    panel.sliders["fit"].value = 0.8
    moved = ws.comparison_view(model, panel)
    assert moved.data.ranks["topsis"].idxmin() == "commercial_forms"
    st = ws.stability_view(model, panel)
    assert st.data.stability.weights["fit"] == pytest.approx(0.8)
    assert "Winnaar blijft eerste bij" in st.html


def test_views_follow_the_sliders_without_re_running_a_cell():
    model = _model("zaaksysteem")
    panel = ws.weight_panel(model)
    comparison = ws.comparison_view(model, panel)
    stability = ws.stability_view(model, panel)
    robust = ws.robustness_panel(model, panel, samples=300)
    assert comparison.data.ranks["topsis"].idxmin() == "cg_forms"
    before = (comparison.widget.value, stability.widget.value, robust.summary.value)
    panel.sliders["fit"].value = 0.8  # one move: every view follows, no button, no re-run
    assert comparison.data.ranks["topsis"].idxmin() == "commercial_forms"
    assert stability.data.stability.weights["fit"] == pytest.approx(0.8)
    assert robust.result.ranked.weights["fit"] == pytest.approx(0.8)
    after = (comparison.widget.value, stability.widget.value, robust.summary.value)
    assert all(a != b for a, b in zip(after, before))
    panel.method.value = "vikor"  # the method too
    assert robust.result.ranked.method == "vikor" and stability.data.ranked.method == "vikor"


def test_a_burst_of_moves_is_followed_by_one_rebuild_in_a_kernel_loop():
    import asyncio

    from decide.workshop.live import Debounced

    calls = []
    d = Debounced(lambda: calls.append(1), delay=0.05)
    d()
    assert calls == [1]  # no running loop (a script): at once

    async def drag():
        for _ in range(10):
            d()
            await asyncio.sleep(0)
        assert calls == [1] and d.pending
        await asyncio.sleep(0.2)

    asyncio.run(drag())
    assert calls == [1, 1] and not d.pending


def test_robustness_panel_recomputes_for_the_current_weights():
    model = _model("zaaksysteem")
    sliders = ws.weight_panel(model)
    rp = ws.robustness_panel(model, sliders, samples=500)
    assert rp.result.smaa.samples == 500
    assert rp.smaa_image.value[:4] == b"\x89PNG" and rp.stability_image.value[:4] == b"\x89PNG"
    text = rp.summary.value
    sliders.sliders["fit"].value = 0.8
    rp.button.click()
    assert rp.result.ranked.weights["fit"] == pytest.approx(0.8)
    assert rp.summary.value != text and "Formulierenplatform" in rp.summary.value


# =========================================================================== portfolio
def test_portfolio_panel_follows_budget_and_rules():
    from decide.portfolio import optimise

    model = _model("zaaksysteem")
    pp = ws.portfolio_panel(model)
    ref = optimise(ws.portfolio_problem(model))
    assert pp.allocation.chosen == ref.chosen
    assert "Open Formulieren" in pp.chosen.value and "Leverancier D (MKB)" in pp.spend.value
    assert pp.frontier_image.value[:4] == b"\x89PNG"
    # too small a budget: no portfolio, and why
    pp.budget.value = pp.budget.min
    assert not pp.allocation.has_solution
    assert "budget" in pp.chosen.value and "te laag" in pp.chosen.value
    pp.budget.value = model.allocation.budget
    assert pp.allocation.chosen == ref.chosen
    # the budget keeps the in-house build out: with EUR 1.7M it comes in
    assert pp.budget.max >= 1_700_000
    pp.budget.value = 1_700_000
    assert "inhouse_case" in pp.allocation.chosen
    pp.budget.value = model.allocation.budget
    # dropping the supplier-share rule (slack, and free) leaves the portfolio as it is
    box, slider = pp.rules["max_supplier_share"]
    box.value = False
    assert slider.disabled and pp.allocation.chosen == ref.chosen
    m2 = pp.model_with_settings()
    assert m2.allocation.rules.max_supplier_share is None and m2.allocation.rules.min_suppliers == 2
    # a stricter rule through its slider
    box, slider = pp.rules["min_suppliers"]
    slider.value = 3
    assert pp.allocation.suppliers_used >= 3
    assert pp.model_with_settings().allocation.rules.min_suppliers == 3
    pp.use_budget.value = False
    assert pp.model_with_settings().allocation.budget is None
    # robustness of the portfolio with these settings: one click
    pp.robust_button.click()
    assert pp.robust is not None and pp.robust.samples == 200
    assert pp.robust.recommended == pp.allocation.chosen and pp.robust.budget_overrun is None
    assert "Robuustheid van het portfolio" in pp.robust_out.value and "cg_case" in pp.robust.core


def test_scenario_view_follows_the_portfolio_controls():
    model = _model("zaaksysteem")
    pp = ws.portfolio_panel(model, frontier_points=0)
    view = ws.live_scenario_view(pp)
    assert view.data.at["free", "status"] == "optimal"
    pp.budget.value = pp.budget.min  # too small: every scenario becomes infeasible, at once
    assert (view.data["status"] != "optimal").all()
    assert view.widget.value == view.html and "alleen modulair" in view.html
    pp.budget.value = model.allocation.budget
    assert view.data.at["free", "status"] == "optimal"
    box, _ = pp.rules["min_suppliers"]
    box.value = False  # a rule switched off: solved again
    assert view.data.at["free", "suppliers"] >= 1


def test_scenario_view():
    view = ws.scenario_view(_model("zaaksysteem"))
    assert "alleen modulair" in view.html and "alleen monolithisch (suite)" in view.html
    assert set(view.data.index) >= {"free", "only_monolithic", "only_modular"}


def test_portfolio_needs_an_allocation():
    with pytest.raises(ModelError):
        ws.portfolio_panel(_model("werkplek"))


def test_export_report(tmp_path):
    model = _model("zaaksysteem")
    out = tmp_path / "rapport"
    r = ws.export_report(model, out, formats=["json"], samples=200)
    assert r.files and all(p.exists() for p in r.files)
    assert "Rapport geschreven in" in r._repr_html_()
    with pytest.raises(DecideError):
        ws.export_report(model, out, formats=["json"], samples=200)  # an earlier report, no force
    assert ws.export_report(model, out, formats=["json"], samples=200, force=True).files


# =========================================================================== charts
def test_charts_are_png():
    from decide.portfolio import frontier

    model = _model("dataplatform")
    sens = ws.robustness(model, samples=300)
    labels = {a.id: a.name("en") for a in model.alternatives}
    for chart in (ws.stability_chart(sens, labels, "en"), ws.acceptability_chart(sens, labels, "en"),
                  ws.frontier_chart(frontier(ws.portfolio_problem(model), points=4), lang="en")):
        assert chart._repr_png_()[:4] == b"\x89PNG"


# =========================================================================== docstrings
@pytest.mark.parametrize("module", ["scale", "sliders"])
def test_docstring_examples(module):
    import doctest
    import importlib

    res = doctest.testmod(importlib.import_module(f"decide.workshop.{module}"))
    assert res.attempted > 0 and res.failed == 0


def test_opened_says_which_file_and_whose_judgements_in_both_languages(tmp_path):
    """Notebooks 2 and 3 open the workshop file of notebook 1 when it exists, and say so."""
    src = tmp_path / "zaaksysteem.yaml"
    shutil.copy(MODELS / "zaaksysteem.yaml", src)
    model = ws.load_model(ws.model_path(src))
    assert "de oordelen van het model zelf" in ws.opened(model, "nl").html
    assert "file zaaksysteem.yaml; the model&#x27;s own judgements" in ws.opened(model, "en").html
    ws.save_judgments(ws.JudgmentSession(model))
    saved = ws.load_model(ws.model_path(src))
    assert saved.path.endswith("zaaksysteem.workshop.yaml")
    assert "bestand zaaksysteem.workshop.yaml; de oordelen uit notebook 1" in ws.opened(saved, "nl").html
    assert "the judgements from notebook 1" in ws.opened(saved, "en").html
