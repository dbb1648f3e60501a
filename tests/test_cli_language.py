"""Every CLI command on every example model speaks one language, with labels and one decimal mark.

The commands come from ``decide.cli.COMMANDS`` (a command added later is covered by its
registered example); the models from ``models/*.yaml``. Each command runs once as its
example runs it and once with every on/off option it has (``--compare``, ``--scenarios``,
...), in Dutch and in English. The output (stdout and stderr) is then checked with a word
list: common words of the other language must not occur once the model's own labels (the
model's data, which may be in one language only) are taken out. Ids that have a label must
not appear, and numbers must use the language's decimal mark only.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from decide.cli import COMMANDS, build_parser, main
from decide.loader import load_model
from decide.render import View, parse_amount, render_table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))

#: Words that occur in running text of one language and not in the other.
ENGLISH = {"the", "and", "with", "option", "options", "weight", "weights", "supplier", "suppliers",
           "ranking", "value", "not", "are", "which", "when", "first", "samples", "found", "problem",
           "problems", "rule", "rules", "stays", "share", "cost", "spend", "limit", "higher", "lower", "better",
           "none", "only", "free", "yes", "no", "method", "methods", "participant", "criterion", "files", "written"}
DUTCH = {"de", "het", "een", "van", "en", "niet", "geen", "optie", "opties", "gewicht", "gewichten",
         "leverancier", "leveranciers", "rangorde", "waarde", "bij", "voor", "zijn", "wordt", "blijft",
         "eerste", "trekkingen", "regels", "gevonden", "uitgaven", "aandeel", "hoger", "lager", "beter",
         "alleen", "vrij", "ja", "nee", "methode", "deelnemer", "criterium", "bestanden", "geschreven"}
OTHER = {"nl": ENGLISH, "en": DUTCH}
#: Commands whose text quotes other-language sources verbatim: the review cites the Dutch guide's
#: section titles (which use English terms such as "Total cost of ownership") and the model's own
#: strategy text; only their ids and numbers are checked.
QUOTES = {"review"}

#: Decimal marks of the other language: ``0.27``/``3.5`` in Dutch text, ``0,27``/``3,5`` in English.
WRONG_DECIMAL = {
    "nl": re.compile(r"(?<![\d.,])0\.\d|(?<![\d.,])\d{1,3}\.\d{1,2}(?![\d.])|\d\.\d{4,}"),
    "en": re.compile(r"(?<![\d.,])0,\d|(?<![\d.,])\d{1,3},\d{1,2}(?![\d,])|\d,\d{4,}"),
}


def _switches(name: str) -> list[str]:
    """The on/off options of a command, except those that change what is printed, not how."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[name]
    skip = {"--json", "--ids", "--relax", "--help", "-h"}
    return [a.option_strings[-1] for a in sub._actions
            if a.nargs == 0 and a.const is True and a.option_strings[-1] not in skip]


def _options(name: str) -> set[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[name]
    return {s for a in sub._actions for s in a.option_strings}


def _argv(name: str, model: Path, lang: str, out: Path) -> list[str]:
    """The command's registered example, on ``model``, in ``lang``, writing into ``out``."""
    words = shlex.split(COMMANDS[name][2])[1:]
    argv, skip = [], False
    for i, w in enumerate(words):
        if skip:
            skip = False
            continue
        if w in ("--lang", "--out", "--samples", "--points"):
            skip = True
            continue
        argv.append(str(model) if w.endswith(".yaml") else w)
    if str(model) not in argv:
        argv.insert(1, str(model))
    argv += ["--lang", lang]
    opts = _options(name)
    if "--out" in opts:
        argv += ["--out", str(out)]
    if "--samples" in opts:
        argv += ["--samples", "300"]
    if "--points" in opts:
        argv += ["--points", "3"]
    return argv


def _strip_model_text(text: str, model, lang: str) -> str:
    """Take out what the model itself says (labels, title, participant names) and paths."""
    view = View(lang, model.currency, model)
    data = sorted({*view.labels.values(), model.name(lang)}, key=len, reverse=True)
    if model.weights.ahp is not None:
        data += [p.name for p in model.weights.ahp.participants]
    for s in data:
        text = text.replace(s, " ")
    text = re.sub(r"\S*/\S*", " ", text)  # paths and ratios
    text = re.sub(r"\[[\w-]+\]|\{[^}]*\}", " ", text)  # problem codes, YAML snippets in advice
    text = re.sub(r"(known for this method|bekend voor deze methode):[^\n]*", " ", text)  # literature
    text = re.sub(r"HiGHS \S+|CBC \S+", " ", text)  # solver versions
    text = re.sub(r"(?i)\bart\.\s+[\d.:]+", " ", text)  # articles of law (Aanbestedingswet art. 1.5)
    lines = [ln for ln in text.splitlines()
             if not re.match(r"\s*(Source \(section title in the Dutch guide\)|Bron):", ln)]  # the guide's titles
    return "\n".join(lines)


def _ids_with_labels(model, lang: str) -> set[str]:
    view = View(lang, model.currency, model)
    return {i for i, lab in view.labels.items() if lab != i and re.search(r"[_\d]", i)}


CASES = [(name, path, lang) for name in sorted(COMMANDS) for path in EXAMPLES for lang in ("nl", "en")]


@pytest.mark.parametrize("name,path,lang", CASES, ids=lambda x: getattr(x, "stem", x))
def test_command_speaks_one_language(capsys, tmp_path, name, path, lang):
    model = load_model(path)
    runs = [_argv(name, path, lang, tmp_path / "a")]
    switches = _switches(name)
    if switches:
        runs.append(_argv(name, path, lang, tmp_path / "b") + switches)
    for argv in runs:
        code = main(argv)
        cap = capsys.readouterr()
        assert code in (0, 2, 3), (argv, cap.err)
        assert "Traceback" not in cap.err, argv
        text = cap.out + "\n" + cap.err
        assert text.strip(), argv
        clean = _strip_model_text(text, model, lang)
        words = set(re.findall(r"[a-zA-Zëïé]+", clean.lower()))
        foreign = [] if name in QUOTES else sorted(words & OTHER[lang])
        assert not foreign, f"{argv}: words of the other language {foreign} in:\n{text}"
        ids = [i for i in _ids_with_labels(model, lang)
               if re.search(rf"(?<![\w./-]){re.escape(i)}(?![\w-])", clean)]
        ids += [i for i in View(lang, model.currency, model).labels if f"'{i}'" in clean]  # quoted ids
        assert not ids, f"{argv}: ids {ids} printed where labels exist:\n{text}"
        wrong = WRONG_DECIMAL[lang].findall(clean)
        assert not wrong, f"{argv}: decimal marks of the other language {wrong} in:\n{text}"


def test_ids_flag_shows_ids(capsys):
    code = main(["rank", str(ROOT / "models" / "zaaksysteem.yaml"), "--ids", "--lang", "nl"])
    out = capsys.readouterr().out
    assert code == 0 and "cg_forms" in out and "Open Formulieren" not in out


def test_dutch_budget_and_show_money_as_allocate(capsys):
    model = str(ROOT / "models" / "zaaksysteem.yaml")
    code = main(["allocate", model, "--lang", "nl", "--budget", "1.500.000"])
    out = capsys.readouterr().out
    assert code == 0 and "€ 1.500.000" in out
    main(["show", model, "--lang", "nl"])
    show = capsys.readouterr().out
    money = set(re.findall(r"€ [\d.]+", out)) & set(re.findall(r"€ [\d.]+", show))
    assert money, "show and allocate format the same TCO the same way"
    code = main(["allocate", model, "--lang", "nl", "--budget", "veel"])
    err = capsys.readouterr().err
    assert code == 2 and "verwacht een bedrag" in err


def test_errors_in_dutch(capsys):
    code = main(["allocate", str(ROOT / "models" / "werkplek.yaml"), "--lang", "nl"])
    err = capsys.readouterr().err
    assert code == 2 and "geen allocation-sectie" in err and "1 probleem gevonden" in err
    code = main(["show", str(ROOT / "models" / "missing.yaml"), "--lang", "nl"])
    err = capsys.readouterr().err
    assert code == 2 and "bestand niet gevonden" in err


@pytest.mark.parametrize("text,lang,value", [
    ("1500000", "nl", 1_500_000), ("1.500.000", "nl", 1_500_000), ("1.500", "nl", 1_500),
    ("1.500.000,50", "nl", 1_500_000.5), ("€ 1.500.000", "nl", 1_500_000), ("2,5", "nl", 2.5),
    ("1,500,000", "en", 1_500_000), ("1,500,000.50", "en", 1_500_000.5), ("1.5", "en", 1.5),
    ("1_500_000", "en", 1_500_000),
])
def test_parse_amount(text, lang, value):
    assert parse_amount(text, lang) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "veel", "1.50.0", "1,5,0"])
def test_parse_amount_refuses(text):
    with pytest.raises(ValueError):
        parse_amount(text, "nl")


def test_terminal_tables_wrap_long_labels_instead_of_cutting():
    label = "Open Zaak met zaakafhandelcomponent en een heel lange omschrijving (MKB-leverancier)"
    text = render_table(["Optie", "Score"], [(label, "0,83")], ["left", "right"], rich=True, width=50)
    assert "…" not in text and "..." not in text
    flat = " ".join(text.split())
    for word in label.split():
        assert word in flat
    assert max(len(line) for line in text.splitlines()) <= 50


def test_rank_help_lists_every_method(capsys):
    from decide.ranking import methods

    with pytest.raises(SystemExit):
        build_parser().parse_args(["rank", "--help"])
    out = capsys.readouterr().out
    for name in methods():
        assert name in out
    assert "seed's" not in build_parser().format_help()


@pytest.mark.parametrize("argv,dutch", [
    (["sensitivity", "MODEL", "--samples", "veel"], "verwacht een geheel getal van minstens 0"),
    (["allocate", "MODEL", "--solver", "x"], "ongeldige keuze"),
    (["rank", "MODEL", "--bogus"], "onbekende argumenten: --bogus"),
    (["rank", "MODEL", "--method", "nee"], "onbekende methode 'nee'"),
])
def test_argument_errors_in_the_models_language(capsys, argv, dutch):
    """zaaksysteem.yaml is a Dutch model: without --lang its user reads Dutch errors."""
    argv = [str(ROOT / "models" / "zaaksysteem.yaml") if a == "MODEL" else a for a in argv]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and dutch in err and "Traceback" not in err
    code = main(argv + ["--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and dutch not in err


def test_a_table_too_wide_for_the_terminal_is_shown_long_and_keeps_every_cell():
    headers = ["Optie"] + [f"Rang {k}" for k in range(1, 10)] + ["Betrouwbaarheid"]
    rows = [["Open Zaak met zaakafhandelcomponent (MKB-leverancier)"] + [f"{k},0 %" for k in range(9)] + ["60,8 %"],
            ["Eigen ontwikkeling op Common Ground-componenten"] + [f"{k},5 %" for k in range(9)] + ["-"]]
    text = render_table(headers, rows, ["left"] + ["right"] * 10, rich=True, width=80)
    flat = " ".join(text.split())
    for row in rows:
        assert row[0] in flat  # names whole, on one line
        for cell in row[1:]:
            assert cell in flat
    for h in headers[1:]:
        assert h in flat
    assert max(len(line) for line in text.splitlines()) <= 80


def test_model_problems_in_dutch(capsys, tmp_path):
    """The located problems of a Dutch model file read Dutch; values and keys stay as typed."""
    bad = tmp_path / "kapot.yaml"
    bad.write_text("decide: 1\ntitle: X\nlanguage: nl\ncriteria:\n  - {id: a, direction: maks}\n"
                   "alternatives: []\nfoo: 1\n", encoding="utf-8")
    code = main(["validate", str(bad)])
    err = capsys.readouterr().err
    assert code == 2 and "3 problemen gevonden" in err
    assert "criteria[0].direction: verwacht 'max' of 'min', kreeg 'maks' [wrong-value]" in err
    assert "foo: onbekende sleutel 'foo'" in err and "het model heeft geen opties" in err
    code = main(["validate", str(bad), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2 and "expected 'max' or 'min', got 'maks'" in err and "3 problems found" in err
