"""Total cost of ownership: net present value of each option's costs over the horizon.

Timing convention (also in models/README.md), with T the horizon in years and r the
discount rate, discount factor ``(1 + r) ** -t``:

- ``once`` (purchase, implementation) and ``integration`` are paid at t = 0;
- ``yearly`` is paid at the end of each year t = 1..T (one number for every year, or a
  list with one amount per year);
- ``exit`` (migration away, data return, dual running) is paid at t = T.

``integration`` is paid to no supplier: it counts in the TCO and the budget but not in
any supplier's spend.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

COMPONENTS = ("once", "integration", "yearly", "exit")


def discount_factors(years: int, rate: float) -> np.ndarray:
    """``(1 + rate) ** -t`` for t = 0..years."""
    t = np.arange(years + 1, dtype=float)
    return (1.0 + rate) ** -t


def npv(cashflows: Sequence[float], rate: float) -> float:
    """Net present value of amounts paid at t = 0, 1, 2, ... (the first is not discounted)."""
    cf = np.asarray(cashflows, dtype=float)
    return float(cf @ discount_factors(len(cf) - 1, rate))


def yearly_amounts(yearly: float | Sequence[float], years: int) -> np.ndarray:
    """The yearly cost as one amount per year 1..T (a single number repeats)."""
    if isinstance(yearly, (int, float)):
        return np.full(years, float(yearly))
    arr = np.asarray(yearly, dtype=float)
    if arr.shape != (years,):
        from decide.errors import InputError

        raise InputError.keyed("tco.yearly_amounts_count", "yearly", years=years, found=int(arr.size))
    return arr


def cashflows(model) -> pd.DataFrame:
    """Nominal cost per option and year (columns 0..T), all components included."""
    T = model.horizon.years
    rows = {}
    for a in model.alternatives:
        cf = np.zeros(T + 1)
        c = a.costs
        if c is not None:
            cf[0] += c.once + c.integration
            cf[1:] += yearly_amounts(c.yearly, T)
            cf[T] += c.exit
        rows[a.id] = cf
    df = pd.DataFrame.from_dict(rows, orient="index", columns=list(range(T + 1)))
    df.index.name = "alternative"
    df.columns.name = "year"
    return df


def tco_table(model) -> pd.DataFrame:
    """Per option: the NPV of each cost component, the total, and the supplier spend.

    Columns: ``once, integration, yearly, exit`` (each as NPV), ``total`` (the TCO),
    ``spend`` (TCO without integration: what the supplier receives, in NPV),
    ``nominal`` (undiscounted sum) and ``exit_nominal`` (the exit cost as stated).
    """
    T = model.horizon.years
    d = discount_factors(T, model.horizon.discount_rate)
    records = []
    for a in model.alternatives:
        c = a.costs
        if c is None:
            once = integ = exit_ = 0.0
            yearly = np.zeros(T)
        else:
            once, integ, exit_ = c.once, c.integration, c.exit
            yearly = yearly_amounts(c.yearly, T)
        row = {
            "once": once,
            "integration": integ,
            "yearly": float(yearly @ d[1:]),
            "exit": exit_ * d[T],
        }
        row["total"] = row["once"] + row["integration"] + row["yearly"] + row["exit"]
        row["spend"] = row["total"] - row["integration"]
        row["nominal"] = once + integ + float(yearly.sum()) + exit_
        row["exit_nominal"] = exit_
        records.append(row)
    df = pd.DataFrame(records, index=pd.Index(model.alternative_ids, name="alternative"))
    return df
