"""Regenerate the golden CSV and JSON exports of models/dataplatform.yaml (English report).

Run deliberately (``.venv/bin/python tests/data/golden/regenerate.py`` from the project root)
after an intended change to the exports, and read the diff before committing it. The test
``tests/report/test_report_golden.py`` renders the same report and compares it with these
files through :func:`normalise_csv` / :func:`normalise_json` and :func:`same`.

What is left out of the comparison, and why:

* the timestamp, the Python and library versions, decide's version, the model file's path
  (it depends on where the checkout lives), the solver's version and solve times: they
  change without the numbers changing;
* the strategy review (``review``, ``review_motivation``): its wording is tested in
  ``tests/test_review.py`` and still changes often;
* numbers are compared with a relative tolerance of 1e-9 (BLAS and platform rounding).
"""
from __future__ import annotations

import csv
import io
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
MODEL = ROOT / "models" / "dataplatform.yaml"
LANG = "en"
SAMPLES = 2000
VOLATILE = "<volatile>"
VOLATILE_KEYS = {"timestamp", "python", "libraries", "decide_version", "model_file"}
VOLATILE_FIELDS = {"seconds"}  # solver wall times, wherever they appear in the JSON
SKIP_TABLES = {"review", "review_motivation"}
SKIP_JSON = {"review"}
_SOLVER_VERSION = re.compile(r"\b(HiGHS|CBC|PULP_CBC_CMD|COIN_CMD)\s+[0-9][0-9A-Za-z.\-]*")


def _mask_text(text: str) -> str:
    return _SOLVER_VERSION.sub(lambda m: f"{m.group(1)} {VOLATILE}", text)


def render(model: Path | str = MODEL) -> dict[str, bytes]:
    """The CSV and JSON exports of the golden model, as build_report gives them."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from decide.facade import analyse
    from decide.loader import load_model
    from decide.report import build_report

    analysis = analyse(load_model(model), samples=SAMPLES)
    return build_report(analysis, ("csv", "json"), lang=LANG)


def normalise_csv(name: str, data: bytes) -> list[list[str]]:
    """Rows of a CSV export with the volatile provenance values masked."""
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = []
    for r in rows:
        r = [_mask_text(c) for c in r]
        if name == "provenance" and r and r[0] in VOLATILE_KEYS:
            r = r[:2] + [VOLATILE]
        out.append(r)
    return out


def normalise_json(data: bytes) -> Any:
    """The JSON export with the volatile values masked and the review left out."""
    obj = json.loads(data.decode("utf-8"), parse_constant=_no_constant)

    def walk(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: (VOLATILE if k in VOLATILE_FIELDS else walk(v)) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        if isinstance(x, str):
            return _mask_text(x)
        return x

    obj = walk(obj)
    for k in SKIP_JSON:
        obj.pop(k, None)
    for k in SKIP_TABLES:
        obj.get("tables", {}).pop(k, None)
    prov = obj.get("provenance", {})
    for k in VOLATILE_KEYS & set(prov):
        prov[k] = VOLATILE
    table = obj.get("tables", {}).get("provenance")
    if table:
        for row in table["rows"]:
            if row and row[0] in VOLATILE_KEYS:
                row[2] = VOLATILE
    return obj


def _no_constant(name: str):
    raise ValueError(f"JSON holds {name}: NaN and infinities must be written as null")


def same(a: Any, b: Any, where: str = "") -> list[str]:
    """Differences between two normalised exports (numbers within 1e-9 relative)."""
    if isinstance(a, dict) and isinstance(b, dict):
        diffs = []
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                diffs.append(f"{where}/{k}: only in {'golden' if k in a else 'new'}")
            else:
                diffs += same(a[k], b[k], f"{where}/{k}")
        return diffs
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items in golden, {len(b)} now"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in same(x, y, f"{where}[{i}]")]
    fa, fb = _number(a), _number(b)
    if fa is not None and fb is not None:
        ok = math.isclose(fa, fb, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(fa) and math.isnan(fb))
        return [] if ok else [f"{where}: golden {a!r}, now {b!r}"]
    return [] if a == b else [f"{where}: golden {a!r}, now {b!r}"]


def _number(x: Any):
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str):
        try:
            return float(x)
        except ValueError:
            return None
    return None


def golden_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files to keep as golden: every CSV but the review's, and the JSON."""
    keep = {}
    for rel, data in files.items():
        stem = Path(rel).stem
        if rel.endswith(".csv") and stem in SKIP_TABLES:
            continue
        keep[rel] = data
    return keep


if __name__ == "__main__":
    import os

    os.chdir(ROOT)  # a relative model path: the golden files hold no local folder names
    files = golden_files(render(MODEL.relative_to(ROOT)))
    for old in list(HERE.glob("*-csv/*.csv")) + list(HERE.glob("*.json")):
        old.unlink()
    for rel, data in files.items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"{len(files)} golden files written to {HERE.relative_to(ROOT)}")
