"""The workshop notebooks as the audience sees them (`make workshop`: Voila, no code), in a real browser.

Voila serves a working copy of the notebooks (and the example models beside them, as in the
repository) so nothing is written into the repository; Debian's chromium, driven by
Playwright, opens each notebook at a laptop's width and checks that no label, tab title,
button or list entry is cut off (an element whose text is wider than its box, with its overflow
hidden or an ellipsis), that no code is shown, and that nothing was saved by running it.
Screenshots go to the test's temporary folder.

Chromium comes from the system (``apt-get install chromium``); without it, or without Voila,
these tests are skipped locally and fail under CI=true.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser_setup import browser_mark, chromium
from tests.conftest import MODELS, ROOT

pytestmark = browser_mark("voila", extras="dev and notebooks")

#: Elements whose text must never be cut: widget labels and descriptions, checkbox labels, tab
#: titles, buttons, list entries, slider readouts.
CUT = """() => {
  const sel = ['.widget-label', '.widget-label-basic', '.widget-inline-hbox label', '.widget-checkbox label',
               '.jupyter-button', '.widget-button', '.lm-TabBar-tabLabel', '.p-TabBar-tabLabel', '.widget-readout',
               'select'].join(', ');
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent) continue;
    const st = getComputedStyle(el);
    const hides = st.overflow !== 'visible' || st.textOverflow === 'ellipsis';
    let wide = el.scrollWidth > el.clientWidth + 1;
    if (el.tagName === 'SELECT') {  // the chosen entry must fit the closed list
      const probe = document.createElement('span');
      probe.style.font = st.font;
      probe.style.position = 'absolute';
      probe.style.whiteSpace = 'pre';
      probe.textContent = el.options[el.selectedIndex] ? el.options[el.selectedIndex].text : '';
      document.body.appendChild(probe);
      wide = probe.getBoundingClientRect().width > el.clientWidth - 24;  // less the arrow
      probe.remove();
    }
    if (hides && wide) out.push((el.innerText || el.value || '').trim().slice(0, 80));
  }
  return out;
}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`make workshop` on a working copy: Voila without code, on a free local port."""
    work = tmp_path_factory.mktemp("voila")
    shutil.copytree(ROOT / "notebooks", work / "notebooks", ignore=shutil.ignore_patterns("*.workshop.yaml"))
    shutil.copytree(MODELS, work / "models", ignore=shutil.ignore_patterns("*.workshop.*"))
    # an English copy of the portfolio notebook: its parameters cell set to LANG = "en"
    nb = json.loads((work / "notebooks" / "03-portefeuille.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = "".join(cell["source"]).replace("LANG = None", 'LANG = "en"')
    (work / "notebooks" / "03-portfolio-en.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in work.rglob("*") if p.is_file()}
    port = _free_port()
    voila = Path(sys.executable).with_name("voila")
    log = (work / "voila.log").open("w")
    proc = subprocess.Popen([str(voila), "--no-browser", f"--port={port}", "--strip_sources=True",
                             "--Voila.ip=127.0.0.1", "notebooks/"], cwd=work, stdout=log, stderr=log,
                            env={**os.environ, "MPLBACKEND": "Agg"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    yield {"url": url, "dir": work, "before": before}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def _render(browser, served, name: str, width: int, shots: Path):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{served['url']}/voila/render/{name}.ipynb", timeout=300_000)
    page.wait_for_selector(".jp-OutputArea-output", timeout=300_000)
    page.wait_for_load_state("networkidle", timeout=300_000)
    page.wait_for_function("() => !document.body.innerText.includes('Loading widget')", timeout=300_000)
    height = page.evaluate("() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
    page.set_viewport_size({"width": width, "height": min(int(height) + 50, 16000)})
    page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    return page


@pytest.mark.parametrize("name,width,words", [
    ("01-gewichten-workshop", 1280, ["Oordelen per deelnemer", "Informatiemanagement", "Oordelen opslaan"]),
    ("02-rangorde-en-gevoeligheid", 1280, ["Bijdragen: score op 0-1", "Vergelijking van methoden"]),
    ("03-portefeuille", 1280, ["Scenario", "Rapport schrijven", "maximaal aandeel per leverancier"]),
    ("03-portfolio-en", 1024, ["Scenario", "Write the report", "maximum share per supplier"]),
])
def test_notebook_labels_are_never_cut_and_no_code_shows(served, browser, tmp_path, name, width, words):
    page = _render(browser, served, name, width, tmp_path)
    text = page.inner_text("body")
    for w in words:
        assert w in text, w
    assert "import decide" not in text and "ws." not in text  # no code for the audience
    assert "Traceback" not in text
    cut = page.evaluate(CUT)
    assert cut == [], f"{name} at {width} px cuts: {cut} (screenshot in {tmp_path})"
    page.close()
    # running a notebook saved nothing: no judgements file, no report
    now = {p for p in served["dir"].rglob("*") if p.is_file() and p.suffix != ".log"}
    assert now <= set(served["before"]), sorted(str(p) for p in now - set(served["before"]))
    assert not (served["dir"] / "out").exists()
