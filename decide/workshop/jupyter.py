"""Keep the committed notebooks clean while people work in them.

JupyterLab saves a notebook on every autosave, with its outputs, execution counts and widget
state; a workshop would then leave the repository's notebooks changed (and the test that
the notebooks are committed without outputs would fail). :func:`strip_outputs` is a
Jupyter ``pre_save_hook`` that removes those before anything reaches the disk, so a session
in JupyterLab (``make notebooks``, which loads ``notebooks/jupyter_server_config.py``) never
dirties the working copy. What people see on screen is unaffected: only the saved file is
stripped.
"""
from __future__ import annotations

from typing import Any

__all__ = ["strip_notebook", "strip_outputs"]

#: Notebook-level metadata that a session adds and that does not belong in the repository.
_SESSION_METADATA = ("widgets", "toc-autonumbering", "varInspector")


def strip_notebook(nb: dict) -> dict:
    """The notebook (a JSON dict, nbformat 4) without outputs, execution counts and widget state.

    The inputs stay collapsed for the audience (``jupyter.source_hidden``) as committed.
    """
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        meta = cell.get("metadata", {})
        for key in ("execution", "collapsed", "scrolled"):
            meta.pop(key, None)
    meta = nb.get("metadata", {})
    for key in _SESSION_METADATA:
        meta.pop(key, None)
    return nb


def strip_outputs(model: dict, **kwargs: Any) -> dict:
    """Jupyter ``ContentsManager.pre_save_hook``: strip a notebook before it is written."""
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        strip_notebook(model["content"])
    return model
