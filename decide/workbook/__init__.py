"""Excel in and out: the model as an editable workbook and back, and evaluators' score sheets.

- :func:`model_workbook` / :func:`write_workbook`: a model file (or a new model's template) as an
  .xlsx workbook: instructions, settings, criteria, options, scores, weights, AHP judgements,
  requirements, modules, suppliers and rules. Every key of the model is carried: what has no
  sheet of its own is a row of the settings sheet.
- :func:`import_workbook`: the workbook read back and validated like a model file, every problem
  at once at its ``file.xlsx!Sheet!Cell``; :func:`write_model_yaml` writes the model file.

Workbooks decide writes never contain a formula (text that looks like one is quote-prefixed text),
and workbooks decide reads are never evaluated: a formula cell is reported, not computed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from decide.errors import DecideError, Message
from decide.report.safe_io import atomic_write, check_file
from decide.workbook.reader import Reading, import_workbook, model_yaml, read_workbook
from decide.workbook.writer import workbook_bytes

__all__ = ["Reading", "import_workbook", "model_workbook", "read_workbook", "template_data", "workbook_bytes",
           "write_model_yaml", "write_workbook"]


def template_data(lang: str = "nl") -> dict:
    """A new model to fill in: criteria of a typical sourcing decision, two options, no scores yet.

    The buyer adds the options' costs and scores (and weights, or keeps equal weights); until then
    the import lists exactly what is missing.
    """
    nl = lang == "nl"
    return {
        "decide": 1,
        "title": {"nl": "Nieuw beslismodel", "en": "New decision model"},
        "language": lang,
        "currency": "EUR",
        "horizon": {"years": 5, "discount_rate": 0.0225},
        "criteria": [
            {"id": "cost", "label": {"nl": "Kosten (TCO)", "en": "Cost (TCO)"}, "direction": "min", "source": "tco"},
            {"id": "fit", "label": {"nl": "Functionele aansluiting", "en": "Functional fit"}, "direction": "max",
             "scale": ({"onvoldoende": 1, "matig": 2, "voldoende": 3, "goed": 4, "uitstekend": 5} if nl else
                       {"poor": 1, "fair": 2, "adequate": 3, "good": 4, "excellent": 5})},
            {"id": "lock_in", "label": {"nl": "Leveranciersafhankelijkheid", "en": "Vendor lock-in"},
             "direction": "min"},
            {"id": "continuity", "label": {"nl": "Continuïteit leverancier", "en": "Supplier continuity"},
             "direction": "max"},
        ],
        "weights": {"method": "equal"},
        "alternatives": [
            {"id": "market", "label": {"nl": "Standaardpakket uit de markt", "en": "Standard package from the market"}},
            {"id": "in_house", "label": {"nl": "Eigen ontwikkeling", "en": "In-house build"}},
        ],
        "ranking": {"method": "topsis", "normalization": "vector"},
    }


def model_workbook(path: str | Path, lang: Optional[str] = None) -> bytes:
    """A model file as workbook bytes; the file is validated first (its problems raise ModelError).

    ``lang`` sets the language of the sheet names and instructions (default: the model's).
    """
    from decide.loader import _read_text, load_model, parse_yaml

    load_model(path)
    data, _ = parse_yaml(_read_text(Path(path), str(path)), str(path))
    return workbook_bytes(data, file_name=Path(path).with_suffix(".xlsx").name, lang=lang)


def _exists(out: Path, lang: str) -> Message:
    return Message("workbook.file_exists", shown_in=lang if lang in ("nl", "en") else "nl", path=out)


def _check_target(out: Path, force: bool, lang: str) -> Optional[Message]:
    """Refuse an existing ``out`` without ``force``; the refusal the final move repeats (None: replace)."""
    return check_file(out, force, _exists(out, lang))


def write_workbook(out: str | Path, model: Optional[str | Path] = None, *, template: Optional[str] = None,
                   force: bool = False, lang: Optional[str] = None) -> Path:
    """Write a model's workbook (or, with ``template="nl"|"en"``, a new model's) to ``out`` atomically.

    ``lang`` is the workbook's language (sheet names, instructions, messages); default the model's.
    """
    out = Path(out)
    if model is None and template is None:
        raise DecideError(Message("workbook.model_or_template_missing", shown_in=lang if lang in ("nl", "en") else "nl"))
    refusal = _check_target(out, force, lang or template or "nl")
    data = model_workbook(model, lang) if model is not None else workbook_bytes(template_data(template),
                                                                           file_name=out.name)
    return atomic_write(out, data, if_exists=refusal)


def write_model_yaml(data: dict, out: str | Path, *, source: Optional[str] = None, force: bool = False,
                     lang: str = "nl") -> Path:
    """Write imported model data as a model file (YAML) atomically."""
    out = Path(out)
    refusal = _check_target(out, force, lang)
    return atomic_write(out, model_yaml(data, source).encode("utf-8"), if_exists=refusal)
