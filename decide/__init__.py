"""decide: decision support for public-sector technology procurement."""
from __future__ import annotations

__version__ = "0.1.0"

from decide.errors import DecideError, InputError, ModelError, SolveError  # noqa: E402

__all__ = ["DecideError", "InputError", "ModelError", "SolveError", "__version__"]
