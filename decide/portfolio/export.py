"""The portfolio MILP as an LP or MPS file, for an analyst who wants another solver.

The file is written by PuLP (public API only: :func:`decide.portfolio.backends.to_pulp`,
``writeLP``/``writeMPS``) from the arrays of the same
:class:`~decide.portfolio.formulation.Formulation` that decide solves, so another solver sees
exactly decide's model: one binary ``x_i`` per option, the budget, cover and supplier rows, and
the objective (value up or TCO down). The file is in the problem's currency (the money rows
are not scaled as they are inside decide's solver model), so an analyst reads the budget as
given. A comment
block at the top of the file maps each ``x_i`` to its option id, since LP and MPS names are
positional. The library returns text; the face writes it.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import pulp

from decide.errors import InputError
from decide.portfolio.backends import to_pulp
from decide.portfolio.formulation import Formulation
from decide.portfolio.problem import Problem

#: File formats and their comment prefix (LP: backslash; MPS: asterisk in column 1).
FORMATS = {"lp": "\\", "mps": "*"}


def format_of(path: str | Path) -> str | None:
    """``"lp"`` or ``"mps"`` from a file name's suffix, or None for any other suffix."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def model_text(problem: Problem, fmt: str = "lp") -> str:
    """The portfolio model of ``problem`` (its budget, rules, pins and bans) as LP or MPS text.

    Parameters
    ----------
    problem : Problem
    fmt : {"lp", "mps"}

    Returns
    -------
    str
        The file's text, starting with comment lines that name each variable's option.
    """
    if fmt not in FORMATS:
        raise InputError.keyed("portfolio.export_format_unknown", "fmt", allowed=", ".join(map(repr, sorted(FORMATS))),
                               value=repr(fmt))
    form = Formulation(problem)
    prob, _, _ = to_pulp(form.model(scaled=False))
    with tempfile.TemporaryDirectory(prefix="decide-export-") as tmp:
        path = Path(tmp) / f"model.{fmt}"
        if fmt == "lp":
            prob.writeLP(str(path))
        else:
            # MPS has no portable objective sense (readers differ on OBJSENSE): write the
            # standard minimisation, with the value objective negated and said so below.
            prob.writeMPS(str(path), mpsSense=pulp.LpMinimize)
        body = path.read_text(encoding="utf-8")
    c = FORMATS[fmt]
    ids = problem.arrays.ids
    if problem.objective == "cost":
        goal = "minimise TCO"
    elif fmt == "mps":
        goal = "minimise minus the value (the value is maximised)"
    else:
        goal = "maximise value"
    head = [f"{c} decide portfolio model: {problem.title}",
            f"{c} objective: {goal}; "
            f"budget: {problem.budget if problem.budget is not None else 'none'}",
            f"{c} variables: x_<i> = 1 when option <i> is chosen"]
    offset = float(getattr(problem, "value_offset", 0.0) or 0.0)
    if problem.objective == "value" and offset:
        # LP and MPS readers differ on objective constants: state it instead of writing it
        head.append(f"{c} decide's value = the objective above + {offset:.12g} (the baselines of "
                    "optional modules, a constant left out of the file)")
    head += [f"{c}   {form.col_names[j]} = {oid}" for j, oid in zip(form.x_cols.tolist(), ids)]
    return "\n".join(head) + "\n" + body
