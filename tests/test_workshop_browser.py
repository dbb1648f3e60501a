"""`decide workshop serve` in a real browser: Debian's chromium driven by Playwright.

The server runs as a subprocess on a free local port, exactly as the README's workshop section
starts it; three participants use separate browser contexts (separate cookies, as on separate
laptops) and enter their judgements at the same time; one enters an inconsistent set and sees
the repair hint; the facilitator sees the group result and exports; a wrong or revoked token
gets 403 and nothing else; the exported model gives the facilitator's group weights and the
same weights as `decide weights`. Screenshots go to the test's temporary folder.

Chromium comes from the system (``apt-get install chromium``; Playwright's own browser
download is not used). Without it these tests are skipped locally, and fail under CI=true.
"""
from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from decide.cli import main
from decide.i18n import fmt_pct
from decide.loader import load_model
from decide.store import WorkshopStore
from tests.browser_setup import browser_mark, chromium
from tests.conftest import MODELS, ROOT

pytestmark = browser_mark("solara", extras="dev and workshop")

README = (ROOT / "README.md").read_text(encoding="utf-8")
# the workshop section's commands, in order (the README test leaves them to this module)
WORKSHOP_COMMANDS = [line.strip()[2:] for line in README.splitlines() if line.strip().startswith("$ decide workshop ")]

# What each participant enters: top-level pairs (cost, risk, sustainability, usability,
# innovation) and the pairs under risk (lock_in, sovereignty, security), as slider steps from
# "equally important": +k means the left criterion is k+1 times as important, -k the right one.
TOP = [("cost", "risk"), ("cost", "sustainability"), ("cost", "usability"), ("cost", "innovation"),
       ("risk", "sustainability"), ("risk", "usability"), ("risk", "innovation"),
       ("sustainability", "usability"), ("sustainability", "innovation"), ("usability", "innovation")]
RISK = [("lock_in", "sovereignty"), ("lock_in", "security"), ("sovereignty", "security")]
STEPS = {
    "Inkoop": [1, 2, 1, 3, 1, 0, 2, 0, 1, 1] + [0, 1, 1],
    "Informatiemanagement": [-1, 1, 0, 2, 2, 1, 3, 0, 1, 1] + [1, 0, -1],
    # consistent at the top; in the risk group lock_in > sovereignty > security > lock_in (a cycle)
    "Privacy officer": [-2, 0, -1, 1, 1, 1, 2, 0, 0, 1] + [4, -4, 4],
}


#: An option's text as a participant reads it (ipywidgets writes its spaces as no-break spaces).
TEXT = "o.text.replace(/\\u00a0/g, ' ')"


def _value(step: int) -> float:
    return float(step + 1) if step >= 0 else 1.0 / (1 - step)


@pytest.fixture(scope="module")
def workshop(tmp_path_factory):
    """The README's `decide workshop serve` on a copy of the model, on a free port."""
    tmp = tmp_path_factory.mktemp("workshop")
    model = tmp / "werkplek.yaml"
    shutil.copy(MODELS / "werkplek.yaml", model)
    serve = next(c for c in WORKSHOP_COMMANDS if c.startswith("decide workshop serve"))
    args = shlex.split(serve)[1:]
    args[args.index("models/werkplek.yaml")] = str(model)
    args += ["--port", "0", "--json"]
    proc = subprocess.Popen([sys.executable, "-m", "decide", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp)
    lines = []
    while True:
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            pytest.fail("the server stopped: " + proc.stderr.read())
        lines.append(line)
        if line.rstrip() == "}":
            break
    info = json.loads("".join(lines))
    url = info["url"]
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until it answers (403 without a token)
        try:
            urllib.request.urlopen(url + "/", timeout=2)
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.3)
    yield {"url": url, "links": info["links"], "model": model, "dir": tmp, "proc": proc}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def _store(workshop) -> WorkshopStore:
    return WorkshopStore.open(load_model(workshop["model"]))


def _get(url: str, cookie: str | None = None):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _wait(predicate, timeout=60.0, every=0.3):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def _open(browser, url: str, shots: Path, name: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = ctx.new_page()
    page.goto(url)
    page.wait_for_selector(".widget-hslider" if name != "facilitator" else "text=Voortgang", timeout=60_000)
    return ctx, page


def test_wrong_unknown_and_missing_tokens_get_403_and_nothing_else(workshop):
    url = workshop["url"]
    for path in ("/", "/w/", "/w/" + "x" * 32, "/w/' OR 1=1 --", "/static/main.js", "/jupyter/api/kernels/1",
                 "/readyz", "/_solara/api/close/1"):
        status, body = _get(url + path.replace(" ", "%20"))
        assert (status, body) == (403, b"403 Forbidden\n"), path
    # a made-up cookie is no key either
    status, body = _get(url + "/static/main.js", cookie="decide_workshop=" + "y" * 32)
    assert (status, body) == (403, b"403 Forbidden\n")


def test_three_participants_facilitator_and_export(workshop, browser, tmp_path):
    shots = tmp_path
    links = workshop["links"]
    names = list(links["participants"])
    assert names == ["Inkoop", "Informatiemanagement", "Privacy officer"]
    pages = {}
    for name in names:
        pages[name] = _open(browser, links["participants"][name], shots, name)
    for name, (_, page) in pages.items():
        text = page.inner_text("body")
        assert name in text and "Welkom" in text
        assert "import " not in text and "def " not in text  # no code anywhere
        others = [n for n in names if n != name]
        assert not any(o in text for o in others)  # nothing of anyone else
    # all three enter their judgements at the same time: one slider move each, in turn
    for k in range(len(TOP) + len(RISK)):
        for name in names:
            _enter_one(pages[name][1], k, STEPS[name][k])
    store = _store(workshop)
    expected = {n: {pair: _value(step) for pair, step in zip(TOP + RISK, STEPS[n])} for n in names}

    def arrived() -> bool:  # every key press is one save; wait for the last of them
        return all(store.judgments(n).keys() == expected[n].keys()
                   and all(abs(store.judgments(n)[p] - v) < 1e-9 for p, v in expected[n].items()) for n in names)

    _wait(arrived, timeout=90)
    for name in names:
        got = store.judgments(name)
        for pair, v in expected[name].items():
            assert got.get(pair) == pytest.approx(v), (name, pair)
    assert {r.origin for r in store.audit()} == {"browser"}
    # the inconsistent participant sees CR above the limit and a repair hint
    page = pages["Privacy officer"][1]
    page.wait_for_selector("text=inconsistent", timeout=30_000)
    hint = page.locator("button", has_text="Neem suggestie over")
    assert hint.count() >= 1
    page.screenshot(path=str(shots / "participant-inconsistent.png"), full_page=True)
    before = dict(store.judgments("Privacy officer"))
    hint.first.click()
    assert _wait(lambda: store.judgments("Privacy officer") != before)
    pages["Inkoop"][1].screenshot(path=str(shots / "participant-inkoop.png"), full_page=True)

    # committee scoring: several scores across options and criteria, picked by their label and
    # entered with the keyboard alone, each saved as it is entered and shown back on a new visit
    inkoop = pages["Inkoop"][1]
    plan = store.plan
    cells = [(o, c) for o in plan.options for c in plan.criteria]
    assert len(plan.criteria) >= 2 and len(plan.options) >= 3
    selects = inkoop.locator("select")
    assert selects.count() == len(cells)
    # each select is labelled with its criterion, and the scale's ends say which is best
    assert "Privacy en datasoevereiniteit" in inkoop.inner_text("body")
    levels = selects.first.evaluate(f"s => [...s.options].map(o => {TEXT})")
    assert levels == ["– nog geen score –", "1 (slechtst)", "2", "3", "4", "5 (best)"]
    wanted = {}
    by_label = {0: "4", 1: "5 (best)", 3: "2", len(cells) - 1: "1 (slechtst)"}
    for k, label in by_label.items():
        selects.nth(k).select_option(index=levels.index(label))
        wanted[cells[k]] = float(label.split()[0])
    # keyboard alone: Tab from the previous field onto the select, type the level, one step up
    inkoop.locator("textarea").nth(1).focus()
    inkoop.keyboard.press("Tab")
    assert selects.nth(2).evaluate("s => s === document.activeElement")
    for key, step in (("2", 2.0), ("ArrowDown", 3.0)):  # at a person's pace: each is saved before the next
        inkoop.keyboard.press(key)
        assert _wait(lambda: getattr(store.scores("Inkoop").get(cells[2]), "value", None) == step), key
    wanted[cells[2]] = 3.0
    reason = inkoop.locator("textarea").first
    reason.fill("Goede adoptie verwacht: bekende kantoorsoftware.")
    reason.press("Tab")

    def scored() -> bool:
        got = store.scores("Inkoop")
        return (all(c in got and got[c].value == v for c, v in wanted.items())
                and got[cells[0]].reasoning is not None)

    assert _wait(scored), store.scores("Inkoop")
    got = store.scores("Inkoop")
    assert {c: e.value for c, e in got.items()} == wanted  # exactly these, nothing else
    assert got[cells[0]].reasoning == "Goede adoptie verwacht: bekende kantoorsoftware."
    assert not store.scores("Informatiemanagement")  # nobody else's
    inkoop.screenshot(path=str(shots / "participant-scores.png"), full_page=True)
    # shown back: the same link opened again (another laptop) shows every stored score
    again_ctx, again = _open(browser, links["participants"]["Inkoop"], shots, "Inkoop")
    again.wait_for_selector("select", timeout=60_000)
    shown = again.locator("select").evaluate_all(f"ss => ss.map(s => (o => {TEXT})(s.options[s.selectedIndex]))")
    expected_texts = ["– nog geen score –"] * len(cells)
    for k, label in by_label.items():
        expected_texts[k] = label
    expected_texts[2] = "3"
    assert shown == expected_texts
    assert "Goede adoptie verwacht" in again.locator("textarea").first.input_value()
    again_ctx.close()

    # the facilitator sees progress, everyone's CR and the group weights
    fctx, fac = _open(browser, links["facilitator"][next(iter(links["facilitator"]))], shots, "facilitator")
    fac.wait_for_selector("text=Groepsresultaat", timeout=60_000)
    group = store.session().derive().weights
    text = fac.inner_text("body")
    for name in names:
        assert name in text
    for cid, w in group.items():
        assert fmt_pct(w, "nl", 1) in text, (cid, w)
    fac.screenshot(path=str(shots / "facilitator.png"), full_page=True)
    # reveal: participants now see the spread, without names
    fac.locator("text=Spreiding aan alle deelnemers tonen").click()
    pages["Informatiemanagement"][1].wait_for_selector("text=Spreiding in de groep", timeout=30_000)
    revealed = pages["Informatiemanagement"][1].inner_text("body")
    assert "Inkoop" not in revealed and "Privacy officer" not in revealed
    pages["Informatiemanagement"][1].locator("text=Spreiding in de groep").scroll_into_view_if_needed()
    pages["Informatiemanagement"][1].screenshot(path=str(shots / "participant-revealed.png"))
    # export from the facilitator's screen
    fac.locator("button", has_text="Exporteren").click()
    fac.wait_for_selector("text=geeft de groepsgewichten van de workshop", timeout=60_000)
    exported = workshop["model"].with_name("werkplek.workshop.yaml")
    assert exported.exists()
    assert main(["validate", str(exported)]) == 0
    # `decide weights` on the exported model gives the group weights the facilitator saw
    r = subprocess.run([sys.executable, "-m", "decide", "weights", str(exported), "--json"], capture_output=True,
                       text=True, check=True)
    weights = json.loads(r.stdout)["weights"]
    group = store.session().derive().weights
    assert weights == pytest.approx(group.to_dict(), abs=1e-9)
    for ctx, _ in pages.values():
        ctx.close()
    fctx.close()


def _enter_one(page, k: int, step: int) -> None:
    boxes = page.locator(".widget-hbox .widget-checkbox input[type=checkbox]")
    boxes.nth(k).uncheck()
    slider = page.locator(".widget-hslider").nth(k)
    slider.locator(".noUi-target:not([disabled])").wait_for(timeout=30_000)  # enabled by the server
    handle = slider.locator(".noUi-handle")
    handle.focus()
    for _ in range(abs(step)):
        handle.press("ArrowLeft" if step > 0 else "ArrowRight")


def test_revoked_token_gets_403(workshop, browser, tmp_path):
    store = _store(workshop)
    extra = store.add_participants(["Gast"])["Gast"]
    url = f"{workshop['url']}/w/{extra}"
    ctx = browser.new_context()
    page = ctx.new_page()
    assert page.goto(url).status == 200
    page.wait_for_selector("text=Welkom", timeout=60_000)
    store.revoke("Gast")
    response = page.goto(url)
    assert response.status == 403 and page.inner_text("body").strip() == "403 Forbidden"
    page.screenshot(path=str(tmp_path / "revoked.png"))
    ctx.close()
    wrong = browser.new_context().new_page()
    assert wrong.goto(workshop["url"] + "/w/" + "z" * 32).status == 403


def test_readme_workshop_section_status_and_export(workshop, capsys, monkeypatch):
    """The README's `decide workshop status|export` lines, on the workshop the browser test filled."""
    monkeypatch.chdir(workshop["dir"])
    rest = [c for c in WORKSHOP_COMMANDS if not c.startswith("decide workshop serve")]
    assert any("status" in c for c in rest) and any("export" in c for c in rest)
    for line in rest:
        args = [str(workshop["model"]) if a == "models/werkplek.yaml" else a for a in shlex.split(line)[1:]]
        if "--out" in args:
            i = args.index("--out")
            args[i + 1] = str(workshop["dir"] / Path(args[i + 1]).name)
        code = main(args)
        captured = capsys.readouterr()
        assert code == 0, captured.err
        assert "Traceback" not in captured.err


def test_readme_has_the_workshop_section():
    assert re.search(r"^## .*[Ww]orkshop", README, flags=re.M)
    assert any(c.startswith("decide workshop serve models/werkplek.yaml") for c in WORKSHOP_COMMANDS)
