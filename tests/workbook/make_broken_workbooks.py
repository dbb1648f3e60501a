"""Regenerate the corpus of broken workbooks in tests/data/workbooks/ (run deliberately, not by pytest).

    python tests/workbook/make_broken_workbooks.py

Each workbook starts from an example model's own workbook (``decide workbook``) and breaks it the
way people do: a renamed sheet, moved columns, merged cells, an emptied id, numbers typed as text
with Dutch decimal commas, a formula, a date where Excel turned 1/3 into the 3rd of January, a
file that is no xlsx, an old .xls, a password-protected workbook, a LibreOffice-style file.
``expected.yaml`` beside them says what each must give: the problem codes with their places, or
``valid: true`` for input decide handles. The password-protected file needs msoffcrypto-tool
(in the dev extra); LibreOffice itself is not needed: its way of writing a sheet (inline strings,
booleans as numbers, styled empty rows to the end) is reproduced on the XML.
"""
from __future__ import annotations

import io
import re
import sys
import zipfile
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

    # --- as LibreOffice writes a sheet: inline strings, booleans as 0/1, styled empty rows -------
    src = io.BytesIO()
    base("dataplatform").save(src)
    (OUT / "libreoffice_style.xlsx").write_bytes(_libreoffice_style(src.getvalue()))
    expected["libreoffice_style.xlsx"] = {"valid": True, "same_as": "dataplatform"}

    with open(OUT / "expected.yaml", "w", encoding="utf-8") as fh:
        fh.write("# What each broken workbook must give (regenerate: python tests/workbook/make_broken_workbooks.py)\n")
        yaml.safe_dump(expected, fh, sort_keys=True, allow_unicode=True)


def _libreoffice_style(xlsx: bytes) -> bytes:
    """Rewrite a workbook's cells the way LibreOffice Calc stores them."""
    zin = zipfile.ZipFile(io.BytesIO(xlsx))
    shared = []
    if "xl/sharedStrings.xml" in zin.namelist():
        xml = zin.read("xl/sharedStrings.xml").decode("utf-8")
        shared = re.findall(r"<si>(.*?)</si>", xml, flags=re.S)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                xml = data.decode("utf-8")

                def inline(m: re.Match) -> str:
                    attrs, index = m.group(1), int(m.group(2))
                    return f'<c{attrs} t="inlineStr"><is>{shared[index]}</is></c>'

                xml = re.sub(r'<c([^>]*?) t="s"[^>]*><v>(\d+)</v></c>', inline, xml)
                xml = re.sub(r'<c([^>]*?) t="b"([^>]*)><v>([01])</v></c>', r'<c\1\2><v>\3</v></c>', xml)
                last = max((int(r) for r in re.findall(r'<row r="(\d+)"', xml)), default=0)
                empty = "".join(f'<row r="{r}" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
                                f'outlineLevel="0" collapsed="false"></row>' for r in range(last + 1, last + 2001))
                xml = xml.replace("</sheetData>", empty + "</sheetData>")
                data = xml.encode("utf-8")
            zout.writestr(item, data)
    return out.getvalue()


if __name__ == "__main__":
    main()
