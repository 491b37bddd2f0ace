"""Writing spreadsheets and CSV files that never run what people typed (CSV or formula
injection, OWASP): every XLSX and CSV the platform writes goes through here.

Text that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
programs skip before looking) is what a spreadsheet takes for a formula. So:

- in a CSV, such text gets a leading apostrophe (`'=HYPERLINK(...)`), which spreadsheets
  show as text; numbers are written as numbers;
- in an XLSX, such text is a string cell with Excel's quote prefix (the hidden apostrophe
  Excel itself adds when you type `'=`): it is shown exactly as typed and stays text even
  when someone edits the cell. `workbook_bytes` checks every cell of every sheet as it
  saves, so a writer cannot forget one; the platform writes no formulas of its own.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value) -> bool:
    """Text a spreadsheet would take for a formula (or a number typed as text: "-5")."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """A value as a CSV cell: formula-like text gets a leading apostrophe; None is blank."""
    if value is None:
        return ""
    if formula_like(value):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Iterable]) -> bytes:
    """A CSV (UTF-8 with a byte-order mark, so Excel reads it as UTF-8) of `rows`, every
    cell through `csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def new_workbook():
    """An empty openpyxl workbook (one sheet); save it with `workbook_bytes`."""
    from openpyxl import Workbook

    return Workbook()


def cell_text(cell) -> None:
    """Make `cell` hold its text as text: a string cell with the quote prefix set."""
    value = cell.value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = True
        cell._value = value


def workbook_escape(book) -> int:
    """Turn every formula-like cell of every sheet into text; returns how many changed."""
    changed = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (
                    cell.data_type == "f" or formula_like(cell.value)
                ):
                    cell_text(cell)
                    changed += 1
    return changed


def workbook_bytes(book) -> bytes:
    """The workbook as XLSX bytes, every formula-like cell written as text."""
    workbook_escape(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
