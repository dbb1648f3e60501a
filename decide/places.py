"""Places in a model file, written the way every message and workbook cell shows them:
``("criteria", 2, "direction")`` <-> ``criteria[2].direction``."""
from __future__ import annotations

__all__ = ["format_loc", "parse_loc"]


def format_loc(loc: tuple) -> str:
    """``("criteria", 2, "direction")`` -> ``criteria[2].direction``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def parse_loc(loc: str) -> tuple:
    """``weights.ahp.participants[0].judgments`` -> ``("weights", "ahp", "participants", 0, "judgments")``."""
    out: list = []
    for part in loc.replace("]", "").split("."):
        head, *idx = part.split("[")
        if head:
            out.append(head)
        out += [int(i) for i in idx if i.isdigit()]
    return tuple(out)
