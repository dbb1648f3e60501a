"""What the browser tests share: Debian's chromium driven by Playwright.

Chromium comes from the system (``apt-get install chromium``; Playwright's own browser download
is not used). Without it, or without the Python packages a test names, the test module is
skipped locally and fails under CI=true.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("DECIDE_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def browser_mark(*modules: str, extras: str):
    """The ``pytestmark`` of a browser test module: skip (fail under CI) without chromium or ``modules``."""
    import importlib

    reason = None
    for name in ("playwright", *modules):
        try:
            importlib.import_module(name)
        except ImportError as exc:
            reason = f"the browser tests need the {extras} extras ({exc})"
            break
    if reason is None and not Path(CHROMIUM).exists():
        reason = f"no chromium at {CHROMIUM} (apt-get install chromium)"
    if reason is not None and os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}", pytrace=False)
    return pytest.mark.skipif(reason is not None, reason=reason or "")


def chromium():
    """A chromium browser for a module-scoped fixture (``yield from chromium()``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
