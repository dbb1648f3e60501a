"""decide: decision support for public-sector technology procurement.

>>> import decide
>>> model = decide.load_model("models/zaaksysteem.yaml")          # doctest: +SKIP
>>> result = decide.analyse(model)                                  # doctest: +SKIP
>>> lazy = decide.Analysis(model)      # each stage computed on first use  # doctest: +SKIP

The array-level building blocks are the sub-modules ``decide.ahp``, ``decide.weights``,
``decide.ranking``, ``decide.sensitivity`` and ``decide.portfolio``.
"""
from __future__ import annotations

from decide._version import __version__  # noqa: E402

from decide.errors import DecideError, InputError, ModelError, SolveError  # noqa: E402
from decide.loader import load_model, loads_model  # noqa: E402


def analyse(model, **kwargs):
    """Run the whole analysis of a model; see :func:`decide.facade.analyse`."""
    from decide.facade import analyse as _analyse

    return _analyse(model, **kwargs)


def rank_model(model, method=None, **kwargs):
    """Rank a model's options; see :func:`decide.analysis.rank_model`."""
    from decide.analysis import rank_model as _rank_model

    return _rank_model(model, method, **kwargs)


def __getattr__(name):
    # ``decide.Analysis``, the lazy pipeline object, imported on first use (it loads pandas;
    # reading and checking a model file does not need it)
    if name == "Analysis":
        from decide.analysis import Analysis

        return Analysis
    raise AttributeError(f"module 'decide' has no attribute {name!r}")


__all__ = ["Analysis", "DecideError", "InputError", "ModelError", "SolveError", "__version__", "analyse",
           "load_model", "loads_model", "rank_model"]
