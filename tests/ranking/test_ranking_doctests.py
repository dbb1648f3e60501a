"""Docstring examples of decide.ranking are executed: an example a user reads must run."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["decide.ranking", "decide.ranking.bound", "decide.ranking.problem",
           "decide.ranking.comparison", "decide.ranking.explanation"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0
