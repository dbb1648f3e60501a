"""Regenerate the corpus of broken workbooks in tests/data/workbooks/ (run deliberately, not by pytest).

    python tests/workbook/make_broken_workbooks.py

Each workbook starts from an example model's own workbook (``decide workbook``) and breaks it the
way people do: a renamed sheet, moved columns, merged cells, an emptied id, numbers typed as text
with Dutch decimal commas, a formula, a date where Excel turned 1/3 into the 3rd of January, a
file that is no xlsx, an old .xls, a password-protected workbook; and workbooks saved by LibreOffice.
``expected.yaml`` beside them says what each must give: the problem codes with their places, or
``valid: true`` for input decide handles. The password-protected file needs msoffcrypto-tool
(in the dev extra), the LibreOffice-saved ones LibreOffice Calc (``soffice``, Debian package
libreoffice-calc-nogui); the tests only read the committed files.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl
import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "workbooks"
sys.path.insert(0, str(ROOT))

from decide.loader import parse_yaml  # noqa: E402
from decide.workbook import workbook_bytes  # noqa: E402


def base(model: str) -> openpyxl.Workbook:
    data = parse_yaml((ROOT / "models" / f"{model}.yaml").read_text(encoding="utf-8"))[0]
    return openpyxl.load_workbook(io.BytesIO(workbook_bytes(data, file_name=f"{model}.xlsx")))


def column(ws, header: str) -> int:
    for c in ws[1]:
        if c.value == header:
            return c.column
    raise KeyError(header)


def row_of(ws, key: str) -> int:
    for r in ws.iter_rows(min_row=2):
        if r[0].value == key:
            return r[0].row
    raise KeyError(key)


def save(wb: openpyxl.Workbook, name: str) -> None:
    wb.save(OUT / name)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    expected: dict = {}

    # --- a wrong sheet name: the options are not found -------------------------------------------
    wb = base("zaaksysteem")
    wb["Opties"].title = "Optie"
    save(wb, "wrong_sheet_name.xlsx")
    expected["wrong_sheet_name.xlsx"] = {"problems": [
        {"code": "unknown-sheet", "place": "Optie!A1", "text": "did you mean 'Opties'?"},
        {"code": "sheet-missing", "place": None, "text": "'Options' is missing"}]}

    # --- moved columns: read by header, so the model is unchanged --------------------------------
    wb = base("zaaksysteem")
    ws = wb["Opties"]
    ws.move_range("A1:A20", cols=ws.max_column + 1)  # the id column to the far right
    ws.delete_cols(1)
    crit = wb["Criteria"]
    crit.insert_cols(1)
    crit.move_range(f"{openpyxl.utils.get_column_letter(column(crit, 'direction'))}1:"
                    f"{openpyxl.utils.get_column_letter(column(crit, 'direction'))}20", cols=-column(crit, "direction") + 1)
    save(wb, "moved_columns.xlsx")
    expected["moved_columns.xlsx"] = {"valid": True, "same_as": "zaaksysteem"}

    # --- merged cells -------------------------------------------------------------------------------
    wb = base("zaaksysteem")
    wb["Scores"].merge_cells("C2:D2")
    save(wb, "merged_cells.xlsx")
    expected["merged_cells.xlsx"] = {"problems": [{"code": "merged", "place": "Scores!C2:D2", "text": "unmerge"}]}

    # --- an empty required cell ----------------------------------------------------------------------
    wb = base("werkplek")
    wb["Opties"].cell(row=3, column=column(wb["Opties"], "id")).value = None
    save(wb, "empty_id.xlsx")
    expected["empty_id.xlsx"] = {"problems": [{"code": "required-empty", "place": "Opties!A3", "text": "'id' is empty"}]}

    # --- numbers stored as text, with Dutch decimal commas: handled --------------------------------
    wb = base("werkplek")
    ws = wb["Opties"]
    for r in range(2, ws.max_row + 1):
        cell = ws.cell(row=r, column=column(ws, "costs.once"))
        if isinstance(cell.value, (int, float)):
            cell.value = f"{cell.value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")  # 1.234.567,00
    settings = wb["Instellingen"]
    settings.cell(row=row_of(settings, "horizon.discount_rate"), column=2).value = "0,0225"
    weights = wb["Gewichten"]
    for r in range(2, weights.max_row + 1):
        c = weights.cell(row=r, column=2)
        if isinstance(c.value, float):
            c.value = str(c.value).replace(".", ",")
    save(wb, "numbers_as_text.xlsx")
    expected["numbers_as_text.xlsx"] = {"valid": True, "same_as": "werkplek"}

    # --- a thousands separator alone: ambiguous --------------------------------------------------
    wb = base("werkplek")
    ws = wb["Opties"]
    ws.cell(row=2, column=column(ws, "costs.exit")).value = "250.000"
    save(wb, "ambiguous_number.xlsx")
    expected["ambiguous_number.xlsx"] = {"problems": [
        {"code": "ambiguous-number", "place": f"Opties!{openpyxl.utils.get_column_letter(column(ws, 'costs.exit'))}2",
         "text": "ambiguous"}]}

    # --- a wrong scale level, the example of the documentation ------------------------------------
    wb = base("zaaksysteem")
    ws = wb["Scores"]
    ws.cell(row=7, column=column(ws, "lock_in")).value = "gemiddeld"
    save(wb, "wrong_level.xlsx")
    expected["wrong_level.xlsx"] = {"problems": [
        {"code": "unknown-scale-level", "place": "Scores!D7", "text": "unknown level 'gemiddeld'"}]}

    # --- a formula: never evaluated ------------------------------------------------------------------
    wb = base("zaaksysteem")
    ws = wb["Opties"]
    ws.cell(row=2, column=column(ws, "costs.once")).value = "=150000+30000"
    wb["Scores"]["E3"] = '=HYPERLINK("http://example.org","4")'
    save(wb, "formula.xlsx")
    once = openpyxl.utils.get_column_letter(column(wb["Opties"], "costs.once"))
    expected["formula.xlsx"] = {"problems": [
        {"code": "formula", "place": f"Opties!{once}2", "text": "evaluates no formulas"},
        {"code": "formula", "place": "Scores!E3", "text": "evaluates no formulas"}]}

    # --- Excel turned an AHP judgement 1/3 into a date -------------------------------------------
    wb = base("dataplatform")
    ws = wb["AHP"]
    import datetime

    target = None
    for r in ws.iter_rows():
        if not isinstance(r[0].value, str) or r[0].value == "participant" or r[0].value.startswith("("):
            continue  # only a matrix row holds judgements
        for c in r[1:]:
            if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.column < 8:
                target = c
                break
        if target:
            break
    target.value = datetime.datetime(2026, 1, 3)
    target.number_format = "d-mmm"
    save(wb, "date_in_matrix.xlsx")
    expected["date_in_matrix.xlsx"] = {"problems": [{"code": "date", "place": f"AHP!{target.coordinate}",
                                                     "text": "turned this into a date"}]}

    # --- an unknown column header and an unknown parent ------------------------------------------
    wb = base("werkplek")
    ws = wb["Opties"]
    ws.cell(row=1, column=column(ws, "costs.once")).value = "Kosten eenmalig"
    crit = wb["Criteria"]
    crit.cell(row=3, column=column(crit, "parent")).value = "risico"
    save(wb, "unknown_column_and_parent.xlsx")
    expected["unknown_column_and_parent.xlsx"] = {"problems": [
        {"code": "bad-column", "place": None, "text": "'Kosten eenmalig' is not a column"},
        {"code": "unknown-parent", "place": "Criteria!B3", "text": "did you mean 'risk'?"}]}

    # --- not a workbook at all, an old .xls, a damaged zip ---------------------------------------
    (OUT / "not_xlsx.xlsx").write_text("id;label;kosten\nsuite;Suite;180000\n", encoding="utf-8")
    expected["not_xlsx.xlsx"] = {"problems": [{"code": "not-xlsx", "place": None, "text": "not an Excel workbook"}]}
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le") + b"\x00" * 512
    (OUT / "old_format.xlsx").write_bytes(ole)
    expected["old_format.xlsx"] = {"problems": [{"code": "old-xls", "place": None, "text": "Excel 97-2003"}]}
    good = (OUT / "wrong_level.xlsx").read_bytes()
    (OUT / "damaged.xlsx").write_bytes(good[: len(good) // 2])
    expected["damaged.xlsx"] = {"problems": [{"code": "not-xlsx", "place": None, "text": "not an Excel workbook"}]}

    # --- password-protected (encrypted with Agile encryption, as Excel does) ---------------------
    import msoffcrypto.format.ooxml as ooxml

    plain = io.BytesIO(workbook_bytes(parse_yaml((ROOT / "models" / "werkplek.yaml").read_text(encoding="utf-8"))[0]))
    enc = io.BytesIO()
    ooxml.OOXMLFile(plain).encrypt("geheim", enc)
    (OUT / "password.xlsx").write_bytes(enc.getvalue())
    expected["password.xlsx"] = {"problems": [{"code": "encrypted", "place": None, "text": "password-protected"}]}

    # --- saved by LibreOffice Calc (headless): booleans become =TRUE(), the structure lock goes ---
    for model in ("zaaksysteem", "werkplek", "dataplatform"):
        src = io.BytesIO()
        base(model).save(src)
        (OUT / f"libreoffice_{model}.xlsx").write_bytes(_libreoffice(src.getvalue(), f"{model}.xlsx"))
        expected[f"libreoffice_{model}.xlsx"] = {"valid": True, "same_as": model}
    from tests.workbook.test_cells import _hostile_model

    (OUT / "libreoffice_hostile.xlsx").write_bytes(_libreoffice(workbook_bytes(_hostile_model()), "hostile.xlsx"))
    expected["libreoffice_hostile.xlsx"] = {"valid": True, "same_as": None}
    # an evaluator's score sheet, filled in and saved with LibreOffice
    from decide.loader import load_model
    from decide.workbook.scoresheet import scoresheet_bytes, scoring_model

    model = load_model(ROOT / "models" / "zaaksysteem.yaml")
    model._path = "models/zaaksysteem.yaml"  # as the command line names it, relative to the checkout
    sheet = openpyxl.load_workbook(io.BytesIO(scoresheet_bytes(scoring_model(model, ["Jansen"]), "Jansen")))
    for r in sheet.worksheets[0].iter_rows(min_row=6):
        levels = str(r[6].value).split(", ")
        r[4].value = levels[len(levels) // 2] if len(levels) > 1 else 3
        r[5].value = f"Jansen: {r[1].value} van {r[0].value} zoals in de offerte beschreven"
    src = io.BytesIO()
    sheet.save(src)
    (OUT / "scoresheets_libreoffice").mkdir(exist_ok=True)
    (OUT / "scoresheets_libreoffice" / "Jansen.xlsx").write_bytes(_libreoffice(src.getvalue(), "Jansen.xlsx"))

    with open(OUT / "expected.yaml", "w", encoding="utf-8") as fh:
        fh.write("# What each broken workbook must give (regenerate: python tests/workbook/make_broken_workbooks.py)\n")
        yaml.safe_dump(expected, fh, sort_keys=True, allow_unicode=True)


def _libreoffice(xlsx: bytes, name: str) -> bytes:
    """The workbook opened and saved again as .xlsx by LibreOffice Calc (soffice --headless)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to regenerate the LibreOffice-saved workbooks")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in" / name
        src.parent.mkdir()
        src.write_bytes(xlsx)
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", f"{tmp}/out", str(src)],
                       check=True, capture_output=True, timeout=300)
        return (Path(tmp) / "out" / name).read_bytes()


if __name__ == "__main__":
    main()
