"""The HTML report of every example model, in a real browser: it fits a laptop screen and prints whole.

Headless Chromium (Debian's ``chromium`` package, driven by the Playwright pip package; not
Playwright's own browser download) opens each report at 1280 px wide and checks that no table
reaches past the page's content box and that no cell's content is clipped. It then switches to
print media at the printable width of an A4 page (210 mm less 2 x 14 mm margins = 182 mm, 688 CSS
px) and checks the same, so the print preview keeps every column; it also prints a PDF.

Set ``DECIDE_SCREENSHOTS=DIR`` to keep full-page screenshots (screen and print) for a person to
look at. Without a browser the test is skipped, except under ``CI=true``, where a missing browser
is a failure (``.ci/run`` installs it).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "models").glob("*.yaml"))
CHROMIUM = Path(os.environ.get("DECIDE_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
A4_PRINTABLE_PX = round((210 - 2 * 14) / 25.4 * 96)  # 688

OVERFLOW_JS = """() => {
  const body = document.body, cs = getComputedStyle(body);
  const right = body.getBoundingClientRect().right - parseFloat(cs.paddingRight) + 1;
  const wide = [], clipped = [];
  for (const t of document.querySelectorAll('table')) {
    const r = t.getBoundingClientRect();
    if (r.right > right) wide.push([t.id, Math.round(r.right), Math.round(right)]);
    for (const c of t.querySelectorAll('th, td')) {
      if (c.scrollWidth > c.clientWidth + 1) clipped.push([t.id, c.textContent.slice(0, 40)]);
    }
  }
  const heads = [...document.querySelectorAll('table')].map(t => t.querySelectorAll('thead th').length);
  return {wide, clipped, tables: document.querySelectorAll('table').length, heads};
}"""


def _browser_or_skip():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not CHROMIUM.exists():
        why = f"needs the playwright package and Debian's chromium at {CHROMIUM}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(why + " (.ci/run installs both)")
        pytest.skip(why)
    return sync_playwright


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    from decide.facade import analyse
    from decide.loader import load_model
    from decide.report import write_report

    out = {}
    base = tmp_path_factory.mktemp("html")
    for path in EXAMPLES:
        analysis = analyse(load_model(path), samples=300)
        for lang in ("nl", "en"):
            files = write_report(analysis, base / f"{path.stem}-{lang}", formats="html", lang=lang)
            out[(path.stem, lang)] = next(p for p in files if str(p).endswith(".html"))
    return out


def test_every_report_fits_the_screen_and_the_printed_page(reports):
    sync_playwright = _browser_or_skip()
    shots = os.environ.get("DECIDE_SCREENSHOTS")
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for (stem, lang), html in sorted(reports.items()):
                page.emulate_media(media="screen")
                page.set_viewport_size({"width": 1280, "height": 900})
                page.goto(html.as_uri())
                screen = page.evaluate(OVERFLOW_JS)
                assert screen["tables"] > 3, (stem, lang)
                if shots:
                    page.screenshot(path=str(Path(shots) / f"{stem}-{lang}-screen.png"), full_page=True)
                page.emulate_media(media="print")
                page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1000})
                printed = page.evaluate(OVERFLOW_JS)
                if shots:
                    page.screenshot(path=str(Path(shots) / f"{stem}-{lang}-print.png"), full_page=True)
                pdf = page.pdf(format="A4", margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
                assert pdf[:4] == b"%PDF" and len(pdf) > 10_000
                assert printed["heads"] == screen["heads"], "print keeps every column"
                for what, found in (("screen", screen), ("print", printed)):
                    if found["wide"]:
                        problems.append(f"{stem}-{lang} {what}: tables wider than the page {found['wide']}")
                    if found["clipped"]:
                        problems.append(f"{stem}-{lang} {what}: clipped cells {found['clipped'][:5]}")
        finally:
            browser.close()
    assert not problems, "\n".join(problems)
