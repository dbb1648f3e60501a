"""What the workshop audience sees: the model's precision, the report's colours, readings in place."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("ipywidgets")

import decide.workshop as ws  # noqa: E402
from decide import colours  # noqa: E402
from decide.loader import load_model  # noqa: E402
from decide.weights import derive  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def test_weight_sliders_hold_the_models_own_weights():
    """No snapping to a step: 27.6248 % stays 27.6248 %, so the screen shows what the report shows."""
    model = load_model(ROOT / "models" / "zaaksysteem.yaml")
    panel = ws.weight_panel(model)
    weights = derive(model).weights
    for cid, slider in panel.sliders.items():
        assert slider.step is None
        assert slider.value == pytest.approx(float(weights[cid]), abs=1e-12)


def test_one_colour_scheme_for_report_and_workshop():
    from decide.report import charts
    from decide.workshop import _html

    assert tuple(_html.PALETTE) == tuple(charts.PALETTE) == colours.PALETTE
    assert charts.MAIN == colours.MAIN and charts.ACCENT == colours.ACCENT


def test_stability_chart_uses_the_reports_bands():
    """The winner's interval wide and light, the ranking's narrow and dark, as in the report."""
    import matplotlib

    matplotlib.use("Agg")
    from decide.analysis import rank_model, sensitivity_model
    from decide.workshop import charts

    model = load_model(ROOT / "models" / "zaaksysteem.yaml")
    sens = sensitivity_model(model, rank_model(model), samples=0)
    fig = charts.stability_chart(sens.stability, lang="nl").figure
    ax = fig.axes[0]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) == 2]
    wide = [ln for ln in lines if ln.get_linewidth() > 8]
    narrow = [ln for ln in lines if ln.get_linewidth() <= 8]
    assert wide and narrow
    assert all(matplotlib.colors.to_hex(ln.get_color()).lower() == colours.MAIN.lower() for ln in wide + narrow)
    assert all(ln.get_alpha() == pytest.approx(colours.TOP_BAND_ALPHA) for ln in wide)
    assert ax.xaxis.get_major_formatter()(0.5, 0) == "50 %"


def test_the_verbal_reading_belongs_to_its_slider():
    s = ws.JudgmentSession(load_model(ROOT / "models" / "zaaksysteem.yaml"))
    row = ws.judgment_panel(s).panels["Architectuur"].rows[("risk", "innovation")]
    box = row.widget
    assert row.slider in box.children[0].children  # the slider's line
    assert box.children[1].children[0] is row.text  # the reading right under it, in the same box
    assert box.layout.border_bottom  # and a rule before the next pair


def test_method_comparison_and_stability_follow_the_sliders_live():
    """No cell to re-run: moving a slider re-renders the views that read the panel."""
    model = load_model(ROOT / "models" / "zaaksysteem.yaml")
    panel = ws.weight_panel(model)
    comparison = ws.comparison_view(model, panel)
    stability = ws.stability_view(model, panel)
    before = comparison.widget.value
    assert comparison.data.ranks["topsis"].idxmin() == "cg_forms"
    panel.sliders["fit"].value = 0.8
    assert comparison.data.ranks["topsis"].idxmin() == "commercial_forms"
    assert comparison.widget.value != before and comparison.widget.value == comparison.html
    assert stability.data.stability.weights["fit"] == pytest.approx(0.8)
    bundle = comparison._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle and "Open Formulieren" in bundle["text/html"]
