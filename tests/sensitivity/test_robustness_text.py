"""The one-sentence robustness verdict, in Dutch and English."""
from __future__ import annotations

import pandas as pd
import pytest
import yaml

pytest.importorskip("decide.ranking")

from decide.i18n import LANGUAGES, catalogue  # noqa: E402
from decide.sensitivity import robustness_text, smaa, stability, summarise  # noqa: E402

# WSM on values as given; weight of cost = t, of quality = 1 - t; cost is a "max" score here
# (a cost *rating*, higher = cheaper):
#   suite   (0.8, 0.2): 0.2 + 0.6 t      modular (0.3, 0.5): 0.5 - 0.2 t
# suite first exactly when t > 0.375; with uniform weights that is 62.5 % of samples.
X = pd.DataFrame([[0.8, 0.2], [0.3, 0.5]], index=["suite", "modular"], columns=["cost", "quality"])
LABELS = {"suite": "the suite", "modular": {"nl": "de modulaire opbouw", "en": "the modular build"},
          "cost": {"nl": "kosten", "en": "cost"}, "quality": "quality"}


@pytest.fixture(scope="module")
def results():
    kw = dict(method="wsm", normalization="none")
    return (stability(X, [0.6, 0.4], ["max", "max"], **kw),
            smaa(X, ["max", "max"], samples=20_000, seed=0, **kw))


def test_sentence_en(results):
    s, r = results
    text = robustness_text(s, r, "en", LABELS)
    share = r.acceptability.loc["suite", 1]
    assert abs(share - 0.625) < 0.015
    pct = f"{round(100 * share)}%"
    assert text == f"the suite stays first while the weight of cost lies in 38%-100%; it is first in {pct} of weight samples"


def test_sentence_nl(results):
    s, r = results
    text = summarise(s, r, "nl", LABELS)
    pct = f"{round(100 * r.acceptability.loc['suite', 1])} %"
    assert text == ("the suite blijft eerste zolang het gewicht van kosten tussen 38 % en 100 % "
                    f"ligt; het is eerste bij {pct} van de getrokken gewichten")


def test_partial_inputs_and_ties(results):
    s, r = results
    assert robustness_text(s, None, "en").startswith("suite stays first while the weight of cost")
    assert robustness_text(None, r, "en", LABELS).startswith("the suite is first in")
    even = stability(pd.DataFrame([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]], index=list("ABC")),
                     [0.5, 0.5], ["max", "max"], method="wsm")
    assert robustness_text(even, None, "en") == "A and B share first place"
    always = stability(pd.DataFrame([[1.0, 1.0], [0.0, 0.0]], index=["A", "B"]), [0.5, 0.5],
                       ["max", "max"], method="wsm")
    assert robustness_text(always, None, "nl") == "A blijft eerste, welk gewicht één criterium ook krijgt"
    with pytest.raises(ValueError):
        robustness_text()


def test_every_message_has_both_languages():
    cat = catalogue("sensitivity")
    raw = yaml.safe_load(open(__import__("decide").__path__[0] + "/messages/sensitivity.yaml"))
    assert cat == raw
    for key, entry in cat.items():
        assert set(entry) == set(LANGUAGES), key
        assert all(isinstance(v, str) and v for v in entry.values()), key
