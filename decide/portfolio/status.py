"""The outcome of a solve as a status with ``is_ok`` (after linopy's ``Status``)."""
from __future__ import annotations

from enum import Enum

__all__ = ["Status"]


class Status(str, Enum):
    """What the solver achieved.

    ``optimal``
        Proven optimal (within the relative MIP gap: HiGHS' default 1e-4 unless ``gap`` is
        given; CBC solves to optimality unless ``gap`` is given).
    ``infeasible``
        No selection satisfies every rule; the result carries an explanation instead.
    ``unbounded``
        Cannot happen with binary choices; kept so that every solver outcome has a name.
    ``time_limit``
        The solver stopped on its time limit. When it had found a feasible selection by then,
        the result carries that incumbent flagged ``proven_optimal=False`` (and its gap).
    ``error``
        The solver failed (or returned a selection that does not satisfy the model).
    """

    optimal = "optimal"
    infeasible = "infeasible"
    unbounded = "unbounded"
    time_limit = "time_limit"
    error = "error"

    @property
    def is_ok(self) -> bool:
        """True only for a proven optimum."""
        return self is Status.optimal

    def __str__(self) -> str:  # "optimal", not "Status.optimal"
        return self.value
