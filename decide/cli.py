"""The ``decide`` command line: a thin face over the library.

Each subcommand parses its arguments, calls the library and renders the result as
text (for people) or JSON (``--json``, for machines). User mistakes print a located
message without a traceback and exit 2; an infeasible or unsolved optimisation exits 3.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, Callable, Optional, Sequence

import numpy as np
import pandas as pd

from decide import __version__
from decide.errors import DecideError, ModelError

EXIT_OK, EXIT_INPUT, EXIT_SOLVE = 0, 2, 3

COMMANDS: dict[str, tuple[Callable[[argparse.Namespace], int], str, str]] = {}


def command(name: str, help: str, example: str):
    """Register a subcommand: ``fn(args) -> exit code``; ``fn.configure(parser)`` adds options."""

    def wrap(fn):
        COMMANDS[name] = (fn, help, example)
        return fn

    return wrap


# --------------------------------------------------------------------------- output helpers
def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (np.floating, float)):
        f = float(obj)
        return None if math.isnan(f) or math.isinf(f) else f
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, pd.Series):
        return _jsonable(obj.to_dict())
    if isinstance(obj, pd.DataFrame):
        return _jsonable(obj.to_dict(orient="index"))
    return obj


def emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(_jsonable(payload), indent=2, ensure_ascii=False) + "\n")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def table(df: pd.DataFrame, floatfmt: str = "{:,.3f}") -> str:
    """A plain-text table (pandas' own layout, no truncation)."""
    with pd.option_context("display.max_rows", 500, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 60):
        return df.to_string(float_format=lambda x: floatfmt.format(x))


def lang_of(args: argparse.Namespace, model) -> str:
    return getattr(args, "lang", None) or model.language


def load(args: argparse.Namespace):
    from decide.loader import load_model

    return load_model(args.model)


# --------------------------------------------------------------------------- commands
@command("validate", "check a model file and report every problem with its location",
         "decide validate models/zaaksysteem.yaml")
def cmd_validate(args: argparse.Namespace) -> int:
    from decide.loader import load_model

    try:
        model = load_model(args.model)
    except ModelError as exc:
        if args.json:
            emit_json({"valid": False, "file": args.model, "problems": [
                {"code": p.code, "loc": p.loc, "line": p.line, "message": p.message} for p in exc.problems]})
            return EXIT_INPUT
        raise
    summary = model_summary(model)
    if args.json:
        emit_json({"valid": True, "file": args.model, "summary": summary})
    else:
        parts = [f"{summary['alternatives']} options", f"{summary['criteria']} criteria"]
        if summary["weights"]:
            parts.append(f"weights: {summary['weights']}")
        if summary["modules"] is not None:
            parts.append(f"allocation over {summary['modules']} modules")
        out(f"{args.model}: ok ({', '.join(parts)})")
    return EXIT_OK


def model_summary(model) -> dict:
    w = model.weights
    weights = w.method if model.criteria else None
    if w.method == "ahp" and w.ahp is not None:
        weights = f"ahp, {len(w.ahp.participants)} participants"
    return {
        "title": model.name(),
        "alternatives": len(model.alternatives),
        "criteria": len(model.leaves()),
        "weights": weights,
        "modules": len(model.allocation.modules) if model.allocation is not None else None,
        "sha256": model.sha256,
    }


@command("show", "show the criteria tree, the options and their TCO",
         "decide show models/zaaksysteem.yaml --lang en")
def cmd_show(args: argparse.Namespace) -> int:
    from decide.tco import tco_table

    model = load(args)
    lang = lang_of(args, model)
    tco = tco_table(model)
    if args.json:
        emit_json({
            "title": model.name(lang),
            "criteria": [{"id": c.id, "label": c.name(lang), "parent": p, "direction": c.direction,
                          "leaf": c.is_leaf} for p, c in model.iter_criteria()],
            "alternatives": [{"id": a.id, "label": a.name(lang), "supplier": a.supplier, "covers": a.covers,
                              "tags": a.tags} for a in model.alternatives],
            "tco": tco,
        })
        return EXIT_OK
    h = model.horizon
    out(f"{model.name(lang)}")
    out(f"horizon {h.years} years, discount rate {h.discount_rate:.2%}, currency {model.currency}")
    out("")
    out("Criteria:")
    depth = {None: -1}
    for parent, c in model.iter_criteria():
        depth[c.id] = depth[parent] + 1
        extra = f" [{c.direction}]" if c.is_leaf else ""
        src = " (from TCO)" if c.source == "tco" else ""
        out(f"  {'  ' * depth[c.id]}- {c.id}: {c.name(lang)}{extra}{src}")
    out("")
    out("Options:")
    rows = pd.DataFrame(
        [{"label": a.name(lang), "supplier": a.supplier or "-", "covers": ", ".join(a.covers) or "-"}
         for a in model.alternatives], index=pd.Index(model.alternative_ids, name="option"))
    out(table(rows))
    out("")
    out(f"TCO (net present value over {h.years} years, {model.currency}):")
    cols = ["once", "integration", "yearly", "exit", "total"]
    out(table(tco[cols], "{:,.0f}"))
    return EXIT_OK


# --------------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="decide",
        description="Decision support for public-sector technology procurement.",
        epilog="Exit codes: 0 ok, 2 bad input (model file, arguments), 3 infeasible or unsolved optimisation.",
    )
    parser.add_argument("--version", action="version", version=f"decide {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (fn, help, example) in COMMANDS.items():
        p = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                           epilog=f"Example: {example}", formatter_class=argparse.RawDescriptionHelpFormatter)
        if name != "demo":
            p.add_argument("model", metavar="MODEL", help="a model file (YAML), e.g. models/zaaksysteem.yaml")
        p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
        p.add_argument("--lang", choices=["nl", "en"], help="language of labels and text (default: the model's)")
        configure = getattr(fn, "configure", None)
        if configure is not None:
            configure(p)
        p.set_defaults(func=fn)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: 2 on bad arguments, 0 on --help
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_INPUT
    try:
        return args.func(args)
    except DecideError as exc:
        sys.stderr.write(f"decide {args.command}: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
