"""One number as JSON can carry it: the conversion every JSON face shares.

JSON has no NaN or infinity and knows no numpy scalars, so a number goes out as ``None`` (for
NaN, infinity and a missing value), a ``bool``, an ``int`` or a finite ``float``. This module
imports nothing of decide, so every layer (the portfolio, the report, the command line) may use
it.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

#: The scalar types :func:`number` converts without asking ``float()``.
NUMBER_TYPES = (bool, np.bool_, int, np.integer, float, np.floating)


def number(value: Any) -> Any:
    """``value`` as a JSON number: None (None, NaN, infinity), bool, int or a finite float.

    Anything else goes through ``float()`` (a ``Decimal``, a 0-d array), which raises for what
    is no number.
    """
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    f = float(value)
    return f if math.isfinite(f) else None
