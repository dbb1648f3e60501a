"""Settings users bring from other tools for objective weights: CRITIC without min-max
scaling and with Spearman's rank correlation (scikit-criteria's ``CRITIC(scale=...,
correlation=...)``), in the library, the model file, validate, and the model-format guide."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from pymcdm.weights import critic_weights

from decide import weights
from decide.cli import main
from decide.errors import InputError, ModelError
from decide.loader import loads_model, validate_data
from decide.weights import derive

ROOT = Path(__file__).resolve().parents[1]

# Diakoulaki, D., Mavrotas, G. & Papayannakis, L. (1995). Determining objective weights in
# multiple criteria problems: the CRITIC method. Computers & Operations Research 22(7):763-770;
# eight alternatives, three criteria, all maximised -- the matrix of scikit-criteria's
# published test suite (tests/preprocessing/test_weighters.py).
DIAKOULAKI = np.array([
    [61, 1.08, 4.33], [20.7, 0.26, 4.34], [16.3, 1.98, 2.53], [9, 3.29, 1.65],
    [5.4, 2.77, 2.33], [4, 4.12, 1.21], [-6.1, 3.52, 2.10], [-34.6, 3.31, 0.98],
])

# scikit-criteria's expected weights for the four settings (its test suite, compared with
# np.allclose there and here)
SKCRITERIA = {
    (True, "pearson"): [0.20222554, 0.48090173, 0.31687273],
    (False, "pearson"): [0.86874234, 0.08341434, 0.04784331],
    (True, "spearman"): [0.21454645, 0.4898563, 0.29559726],
    (False, "spearman"): [0.87672195, 0.08082369, 0.04245436],
}


@pytest.mark.parametrize(("scale", "correlation"), list(SKCRITERIA))
def test_critic_reproduces_scikit_criteria(scale, correlation):
    r = weights.critic(DIAKOULAKI, ["max"] * 3, scale=scale, correlation=correlation)
    assert np.allclose(r.weights.to_numpy(), SKCRITERIA[(scale, correlation)])
    codes = [n.code for n in r.notes]
    assert ("critic_unscaled" in codes) == (not scale)
    assert ("critic_spearman" in codes) == (correlation == "spearman")


def test_the_standard_deviation_convention_cancels():
    """pymcdm uses the sample standard deviation (ddof=1), the own kernel numpy's population
    one (ddof=0): the factor sqrt(m/(m-1)) is the same for every criterion and cancels, so the
    default setting agrees with pymcdm to round-off and with the kernel written out with ddof=1."""
    from decide.weights import _kernel_critic

    x = DIAKOULAKI
    c = _kernel_critic(x, True, "pearson")
    np.testing.assert_allclose(c / c.sum(), critic_weights(x), rtol=1e-12)
    z = (x - x.min(0)) / (x.max(0) - x.min(0))
    c1 = z.std(0, ddof=1) * (1 - np.corrcoef(z, rowvar=False)).sum(0)
    np.testing.assert_allclose(c / c.sum(), c1 / c1.sum(), rtol=1e-12)


def test_spearman_is_pearson_on_ranks_with_ties_averaged():
    from scipy.stats import spearmanr

    x = np.array([[1, 5, 2], [2, 5, 1], [3, 4, 4], [3, 1, 3], [7, 2, 5]], dtype=float)  # ties in two columns
    r = weights.critic(x, ["max"] * 3, scale=False, correlation="spearman").weights.to_numpy()
    s = x.std(0) * (1 - spearmanr(x).correlation).sum(0)
    np.testing.assert_allclose(r, s / s.sum(), rtol=1e-12)


@pytest.mark.parametrize(("scale", "correlation"), list(SKCRITERIA))
def test_a_cost_column_counts_as_its_reverse(scale, correlation):
    """A 'min' criterion is the 'max' criterion of its negative, in every setting."""
    flipped = DIAKOULAKI * np.array([1, -1, 1])
    a = weights.critic(DIAKOULAKI, ["max", "min", "max"], scale=scale, correlation=correlation)
    b = weights.critic(flipped, ["max", "max", "max"], scale=scale, correlation=correlation)
    np.testing.assert_allclose(a.weights.to_numpy(), b.weights.to_numpy(), rtol=1e-12)


# Tuş, A. & Aytaç Adalı, E. (2019). The new combination with CRITIC and WASPAS methods for the
# time and attendance software selection problem. OPSEARCH 56(2):528-538: five software packages,
# six criteria, the first (price) a cost; the data and the published CRITIC weights (3 decimals)
# as pyrepo-mcda's published test suite (tests/test_weighting_methods.py) has them.
TUS_ADALI = np.array([[5000, 3, 3, 4, 3, 2], [680, 5, 3, 2, 2, 1], [2000, 3, 2, 3, 4, 3],
                      [600, 4, 3, 1, 2, 2], [800, 2, 4, 3, 3, 4]])
TUS_ADALI_DIRECTIONS = ["min", "max", "max", "max", "max", "max"]


def test_critic_reproduces_tus_adali_with_costs_as_given():
    """The published weights 0.157, 0.249, 0.168, 0.121, 0.154, 0.151 come from CRITIC with the
    price column taken as given (min-max scaled like a benefit), as pymcdm's critic_weights and
    pyrepo-mcda compute it: settings reverse_costs=False, scale=True, correlation='pearson'."""
    r = weights.critic(TUS_ADALI, TUS_ADALI_DIRECTIONS, reverse_costs=False)
    assert np.round(r.weights.to_numpy(), 3).tolist() == [0.157, 0.249, 0.168, 0.121, 0.154, 0.151]
    np.testing.assert_allclose(r.weights.to_numpy(), critic_weights(TUS_ADALI), rtol=1e-12)
    assert [n.code for n in r.notes] == ["critic_costs_as_given"]


def test_why_the_default_differs_from_tus_adali():
    """decide's default reverses the price column (Diakoulaki et al.: each criterion scaled
    towards its best value), which gives 0.184, 0.213, ...: the spread of every column is the
    same either way, and only the sign of the price's correlations with the other criteria
    turns round, so the difference is wholly in the conflict term of the cost criterion."""
    from decide.weights import _kernel_critic

    ours = weights.critic(TUS_ADALI, TUS_ADALI_DIRECTIONS)
    assert np.round(ours.weights.to_numpy(), 3).tolist() == [0.184, 0.213, 0.142, 0.158, 0.168, 0.134]
    z = (TUS_ADALI - TUS_ADALI.min(0)) / np.ptp(TUS_ADALI, axis=0)
    z_rev = z.copy()
    z_rev[:, 0] = 1 - z[:, 0]
    np.testing.assert_allclose(z_rev.std(0), z.std(0), rtol=1e-12)
    r, r_rev = np.corrcoef(z, rowvar=False), np.corrcoef(z_rev, rowvar=False)
    np.testing.assert_allclose(r_rev[0, 1:], -r[0, 1:], rtol=1e-12)
    np.testing.assert_allclose(r_rev[1:, 1:], r[1:, 1:], rtol=1e-12)
    c = _kernel_critic(np.where(np.array(TUS_ADALI_DIRECTIONS) == "min", -TUS_ADALI, TUS_ADALI), True, "pearson")
    np.testing.assert_allclose(ours.weights.to_numpy(), c / c.sum(), rtol=1e-12)
    # a model without cost criteria is unaffected by the setting
    np.testing.assert_allclose(weights.critic(DIAKOULAKI, ["max"] * 3, reverse_costs=False).weights.to_numpy(),
                               SKCRITERIA[(True, "pearson")])


def test_bad_critic_settings_are_refused():
    with pytest.raises(InputError, match="scale: expected true or false"):
        weights.critic(DIAKOULAKI, ["max"] * 3, scale="no")
    with pytest.raises(InputError, match="correlation: expected 'pearson' or 'spearman'"):
        weights.critic(DIAKOULAKI, ["max"] * 3, correlation="kendall")
    with pytest.raises(InputError, match="reverse_costs: expected true or false"):
        weights.critic(DIAKOULAKI, ["max"] * 3, reverse_costs=None)
    with pytest.raises(InputError, match="same value"):  # a constant column stays an error unscaled
        weights.critic([[1, 2], [1, 3], [1, 5]], ["max", "max"], scale=False, correlation="spearman")


MODEL = """\
decide: 1
title: Objectieve gewichten (peer-instellingen)
language: nl
criteria:
  - {id: uptime, label: Beschikbaarheid, direction: max}
  - {id: storingen, label: Storingen per jaar, direction: min}
  - {id: tevredenheid, label: Tevredenheid, direction: max}
weights:
  method: critic
  critic: {scale: false, correlation: spearman}
alternatives:
  - {id: saas_a, scores: {uptime: 99.9, storingen: 4, tevredenheid: 3.8}}
  - {id: saas_b, scores: {uptime: 99.5, storingen: 9, tevredenheid: 4.1}}
  - {id: eigen_beheer, scores: {uptime: 98.7, storingen: 14, tevredenheid: 3.2}}
  - {id: gedeeld_ssc, scores: {uptime: 99.7, storingen: 6, tevredenheid: 3.5}}
"""


def test_model_file_settings_reach_critic():
    m = loads_model(MODEL)
    d = derive(m)
    data = pd.DataFrame({"uptime": [99.9, 99.5, 98.7, 99.7], "storingen": [4, 9, 14, 6],
                         "tevredenheid": [3.8, 4.1, 3.2, 3.5]}, index=["saas_a", "saas_b", "eigen_beheer", "gedeeld_ssc"])
    direct = weights.critic(data, ["max", "min", "max"], scale=False, correlation="spearman")
    np.testing.assert_allclose(d.weights.to_numpy(), direct.weights.to_numpy(), rtol=1e-12)
    assert [n.code for n in d.notes] == ["critic_unscaled", "critic_spearman"]
    assert "Spearman" in d.notes[1].text("nl") and "rangcorrelatie" in d.notes[1].text("nl")
    # without the section: Diakoulaki's scaled Pearson CRITIC, as before
    plain = derive(loads_model(MODEL.replace("  critic: {scale: false, correlation: spearman}\n", "")))
    np.testing.assert_allclose(plain.weights.to_numpy(),
                               weights.critic(data, ["max", "min", "max"]).weights.to_numpy(), rtol=1e-12)
    assert plain.notes == ()


BAD = {
    "weights.critic.scale": ("critic: {scale: nee, correlation: spearman}",
                             {"en": "expected true or false, got 'nee'", "nl": "verwacht true of false, kreeg 'nee'"}),
    "weights.critic.correlation": ("critic: {scale: false, correlation: kendall}",
                                   {"en": "expected 'pearson' or 'spearman', got 'kendall'",
                                    "nl": "verwacht 'pearson' of 'spearman', kreeg 'kendall'"}),
    "weights.critic.reverse_costs": ("critic: {scale: false, correlation: spearman, reverse_costs: 0}",
                                     {"en": "expected true or false, got 0", "nl": "verwacht true of false, kreeg 0"}),
}


@pytest.mark.parametrize("loc", list(BAD))
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_validate_locates_a_bad_critic_setting(loc, lang, tmp_path, capsys):
    section, texts = BAD[loc]
    path = tmp_path / "model.yaml"
    path.write_text(MODEL.replace("critic: {scale: false, correlation: spearman}", section), encoding="utf-8")
    with pytest.raises(ModelError) as info:
        loads_model(path.read_text(encoding="utf-8"))
    (problem,) = [p for p in info.value.problems if p.loc == loc]
    assert problem.line == 10
    assert main(["validate", str(path), "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert f"model.yaml:10: {loc}: {texts[lang]}" in err


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_validate_locates_a_bad_ahp_priority_method(lang, tmp_path, capsys):
    text = (ROOT / "tests/data/valid_small.yaml").read_text(encoding="utf-8")
    path = tmp_path / "model.yaml"
    path.write_text(text.replace("  ahp:\n", "  ahp:\n    method: column_avg\n", 1), encoding="utf-8")
    assert main(["validate", str(path), "--lang", lang]) == 2
    err = capsys.readouterr().err
    want = {"en": "expected 'eigenvector', 'geometric' or 'column_average', got 'column_avg'",
            "nl": "verwacht 'eigenvector', 'geometric' of 'column_average', kreeg 'column_avg'"}[lang]
    assert f"model.yaml:16: weights.ahp.method: {want}" in err
    path.write_text(text.replace("  ahp:\n", "  ahp:\n    method: column_average\n", 1), encoding="utf-8")
    assert main(["weights", str(path), "--lang", lang]) == 0
    words = {"en": "average of the normalised columns", "nl": "gemiddelde van de genormaliseerde kolommen"}[lang]
    assert words in capsys.readouterr().out


def test_model_format_guide_peer_settings_load():
    """The "Settings from other tools" examples of models/README.md are valid weights sections
    and give what the guide says."""
    text = (ROOT / "models" / "README.md").read_text(encoding="utf-8")
    part = text[text.index("### Settings from other tools"):]
    part = part[: part.index("\n## ")]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", part, flags=re.S)]
    assert [b["weights"]["method"] for b in blocks] == ["ahp", "critic"]
    base = yaml.safe_load(MODEL)
    for b in blocks:
        if b["weights"]["method"] == "ahp":
            b["weights"]["ahp"]["participants"] = [{"name": "Inkoop", "judgments": [
                ["uptime", "storingen", 2], ["uptime", "tevredenheid", 3], ["storingen", "tevredenheid", 2]]}]
        d = derive(validate_data({**base, **b}))
        assert d.weights.sum() == pytest.approx(1.0)
        if b["weights"]["method"] == "ahp":
            assert d.priorities == "column_average"
        else:
            assert [n.code for n in d.notes] == ["critic_unscaled", "critic_spearman"]


def test_report_names_the_critic_settings():
    """The weights note and the provenance say how CRITIC was computed, in the reader's language;
    a model weighted otherwise has no CRITIC settings in its provenance."""
    from decide.facade import analyse
    from decide.report.tables import provenance_table, weights_table

    m = loads_model(MODEL.replace("correlation: spearman}", "correlation: spearman, reverse_costs: false}"))
    analysis = analyse(m, samples=0, sensitivity=False, portfolio=False, review=False, frontier_points=0)
    assert analysis.provenance["critic_settings"] == {"scale": False, "correlation": "spearman", "reverse_costs": False}
    words = {"en": ("not scaled; Spearman rank correlation; costs as given", "Spearman's rank correlation"),
             "nl": ("niet geschaald; rangcorrelatie van Spearman; kosten zoals gegeven", "Spearmans rangcorrelatie")}
    for lang, (prov_text, note_text) in words.items():
        prov = {row[0]: row[2] for row in provenance_table(analysis, lang).rows}
        assert prov["critic_settings"] == prov_text
        assert note_text in weights_table(analysis, lang).note
    plain = analyse(loads_model(MODEL.replace("method: critic", "method: entropy")), samples=0, sensitivity=False,
                    portfolio=False, review=False, frontier_points=0)
    assert "critic_settings" not in plain.provenance
