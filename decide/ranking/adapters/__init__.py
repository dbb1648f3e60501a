"""The registered ranking methods (importing this package registers them, in this order)."""
from __future__ import annotations

from decide.ranking.adapters import topsis, vikor, promethee, additive, ahp, copras, spotis  # noqa: F401
