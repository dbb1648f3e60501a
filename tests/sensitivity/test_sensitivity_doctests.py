"""Every docstring example in decide.sensitivity runs: an example a user reads must work."""
from __future__ import annotations

import doctest
import importlib

import pytest

pytest.importorskip("decide.ranking")

MODULES = ["decide.sensitivity.sampling", "decide.sensitivity.smaa",
           "decide.sensitivity.stability", "decide.sensitivity.sweep",
           "decide.sensitivity.reversal", "decide.sensitivity.engines",
           "decide.sensitivity.text"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    mod = importlib.import_module(name)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
