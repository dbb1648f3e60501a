"""Shared fixtures for the report tests: analyses and rendered reports, built once per session.

SMAA runs with 2 000 samples (the default is 10 000) to keep the suite fast.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from decide.facade import analyse
from decide.loader import load_model
from decide.report import build_report

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
DATA = ROOT / "tests" / "data"
SAMPLES = 2000


def _analyse(path: Path):
    return analyse(load_model(path), samples=SAMPLES)


@pytest.fixture(scope="session")
def zaak():
    """The default example (Dutch, AHP with an inconsistent participant, allocation)."""
    return _analyse(MODELS / "zaaksysteem.yaml")


@pytest.fixture(scope="session")
def werkplek():
    """Ranking only (no allocation section)."""
    return _analyse(MODELS / "werkplek.yaml")


@pytest.fixture(scope="session")
def dataplatform():
    """English model with allocation."""
    return _analyse(MODELS / "dataplatform.yaml")


@pytest.fixture(scope="session")
def injection():
    """Labels that a spreadsheet would evaluate as formulas."""
    return _analyse(DATA / "report" / "injection.yaml")


@pytest.fixture(scope="session")
def zaak_nl(zaak):
    """The full Dutch report of the default example, in memory."""
    return build_report(zaak, ("xlsx", "csv", "json", "md", "html"), lang="nl")


@pytest.fixture(scope="session")
def zaak_en(zaak):
    """The full English report of the default example, in memory."""
    return build_report(zaak, ("xlsx", "csv", "json", "md", "html"), lang="en")


@pytest.fixture(scope="session")
def injection_files(injection):
    return build_report(injection, ("xlsx", "csv"), lang="nl")
