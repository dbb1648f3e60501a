"""The hostile-input corpus: model files built to break a loader, and the mistakes validate must catch.

Each case is ``name -> bytes`` (the file as written to disk). The exact messages each must give
are in ``expected.yaml`` beside this file; ``tests/test_hostile.py`` runs every case through
``decide validate`` in a child process under a memory limit (1 GB) and a time limit (30 s).
Every case starts from ``tests/data/valid_small.yaml`` (a valid Dutch model) unless it needs
less.
"""
from __future__ import annotations

import re
from pathlib import Path

from markup import model as markup_model  # beside this file, on the importer's path like this module

BASE = (Path(__file__).resolve().parents[1] / "valid_small.yaml").read_text(encoding="utf-8")
MINIMAL = "decide: 1\ntitle: t\nalternatives:\n"


def _sub(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def _direct(weights: str) -> str:
    return re.sub(r"weights:\n  method: ahp\n(.*\n)*?requirements:",
                  f"weights:\n  method: direct\n  direct: {weights}\nrequirements:", BASE)


def _sixteen_siblings() -> str:
    crit = "".join(f"  - {{id: c{i:02d}, direction: max}}\n" for i in range(16))
    alts = "".join(f"  - id: o{k}\n    scores: {{{', '.join(f'c{i:02d}: {(i + k) % 5 + 1}' for i in range(16))}}}\n"
                   for k in range(3))
    judg = "".join(f"          - [c00, c{i:02d}, 2]\n" for i in range(1, 16))
    return ("decide: 1\ntitle: zestien criteria\ncriteria:\n" + crit +
            "weights:\n  method: ahp\n  ahp:\n    participants:\n      - name: Inkoop\n        judgments:\n" + judg +
            "alternatives:\n" + alts)


BILLION_LAUGHS = """decide: 1
title: lol
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
alternatives: *i
"""

CASES: dict[str, bytes] = {
    # --- the loader: hostile YAML
    "alias_bomb": BILLION_LAUGHS.encode(),
    "alias_recursive": (MINIMAL.replace("alternatives:\n", "alternatives: &x [*x]\n")).encode(),
    "deep_flow_lists": (MINIMAL + "  - " + "[" * 1000 + "]" * 1000 + "\n").encode(),
    "deep_flow_mappings": (MINIMAL + "  - " + "{a: " * 1000 + "1" + "}" * 1000 + "\n").encode(),
    "utf16_without_bom": BASE.encode("utf-16-le"),
    "control_character": _sub("  - id: suite\n", "  - id: suite\n    label: \"bel\x07\"\n").encode(),
    "nul_escape": _sub("  - id: suite\n", "  - id: suite\n    label: \"a\\0b\"\n").encode(),
    "lone_surrogate": _sub("  - id: suite\n", "  - id: suite\n    label: \"t\\ud800\"\n").encode(),
    "impossible_date": _sub("title: Kapotte modellen (testcorpus)", "title: 2024-02-30").encode(),
    "integer_beyond_float": _sub("budget: 2000000", "budget: " + "9" * 400).encode(),
    "seed_400_digits": (BASE + "sensitivity: {seed: " + "7" * 400 + "}\n").encode(),
    # --- strict numbers and limits
    "bool_budget": _sub("budget: 2000000", "budget: yes").encode(),
    "text_infinity_budget": _sub("budget: 2000000", "budget: 1e400").encode(),
    "bool_score": _sub("continuity: 4,", "continuity: true,").encode(),
    "years_a_billion": _sub("horizon: {years: 5,", "horizon: {years: 1000000000,").encode(),
    "samples_a_billion": (BASE + "sensitivity: {samples: 1000000000}\n").encode(),
    "seed_beyond_32_bits": (BASE + "sensitivity: {seed: 4294967296}\n").encode(),
    # --- ids
    "empty_option_id": _sub("  - id: build\n", "  - id: \"\"\n").encode(),
    "newline_option_id": _sub("  - id: build\n", "  - id: \"bu\\nild\"\n").encode(),
    "zero_width_lookalike_id": _sub("  - id: build\n", "  - id: \"suite\\u200b\"\n").encode(),
    "fullwidth_lookalike_id": _sub("  - id: build\n", "  - id: \"ｓｕｉｔｅ\"\n").encode(),
    "module_covered_twice": _sub("covers: [intake, case]", "covers: [intake, case, intake]").encode(),
    # --- what the analyses check, caught by validate
    "supplier_share_zero": _sub("max_supplier_share: 0.7", "max_supplier_share: 0").encode(),
    "unknown_ranking_param": (BASE + "ranking: {method: topsis, params: {foo: 1}}\n").encode(),
    "wpm_vector_normalisation": (BASE + "ranking: {method: wpm, normalization: vector}\n").encode(),
    "unknown_normalisation": (BASE + "ranking: {method: topsis, normalization: foo}\n").encode(),
    "vikor_v_two": (BASE + "ranking: {method: vikor, params: {v: 2}}\n").encode(),
    "concentration_zero": (BASE + "sensitivity: {concentration: 0}\n").encode(),
    "direct_zero_weight_around": _direct("{cost: 0, lock_in: 0.3, continuity: 0.3, innovation: 0.4}").encode(),
    "sixteen_siblings_saaty": _sixteen_siblings().encode(),
    "one_option_after_knockouts": _sub("{criterion: continuity, min: 2}", "{criterion: continuity, min: 3.5}").encode(),
    "ahp_judgments_disconnected": _sub("          - [risk, innovation, 2]\n", "",
                                       _sub("          - [cost, innovation, 3]\n", "")).encode(),
}

#: Cases that must load: the limits leave legitimate models alone.
VALID: dict[str, bytes] = {
    "alonso_lamata_for_sixteen": _sixteen_siblings().replace("  ahp:\n", "  ahp:\n    ri: alonso_lamata\n").encode(),
    "a_few_aliases": _sub("  suppliers:\n", "  suppliers:\n").replace(
        "scale: {laag: 1, midden: 3, hoog: 5}", "scale: &levels {laag: 1, midden: 3, hoog: 5}").encode(),
    # URLs, e-mail addresses, links and raw HTML in every text field are text, not mistakes
    "markup_in_every_text": markup_model().encode(),
}
