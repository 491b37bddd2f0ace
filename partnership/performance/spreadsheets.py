"""Spreadsheets in and out: the XLSX template per agency and period, reading an upload
(XLSX or CSV) into rows with their row and column, and the report's XLSX export."""

import csv
import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

COLUMNS = [
    ("code", "Code"),
    ("name", "Indicator"),
    ("definition", "Definition"),
    ("unit", "Unit"),
    ("period", "Period"),
    ("organisation", "Organisation"),
    ("numerator", "Numerator"),
    ("denominator", "Denominator"),
    ("value", "Value"),
]
HEADERS = {title.lower(): name for name, title in COLUMNS}
TO_FILL = {"numerator", "denominator", "value"}


class UnreadableFile(ValueError):
    pass


def template(data_return, indicators) -> bytes:
    """An XLSX for one agency and period: a row per indicator, the figures to fill in."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Return"
    sheet.append([title for _name, title in COLUMNS])
    current = {}
    version = data_return.versions.filter(is_current=True).first()
    if version is not None:
        current = {p.indicator_id: p for p in version.points.all()}
    for indicator in indicators:
        definition = indicator.version_on(data_return.period.end)
        point = current.get(indicator.pk)
        sheet.append(
            [
                indicator.code,
                indicator.name,
                definition.definition if definition else "",
                indicator.get_unit_display(),
                data_return.period.label,
                data_return.organisation.name,
                point.numerator if point else None,
                point.denominator if point else None,
                point.value if point else None,
            ]
        )
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    for index, (name, _title) in enumerate(COLUMNS, start=1):
        sheet.cell(row=1, column=index).font = bold
        sheet.column_dimensions[get_column_letter(index)].width = (
            50 if name in ("name", "definition") else 16
        )
        for row in range(2, sheet.max_row + 1):
            cell = sheet.cell(row=row, column=index)
            if name in TO_FILL:
                cell.protection = Protection(locked=False)
                cell.fill = fill
    # The header and the indicator columns are locked; the figures are not.
    sheet.protection.sheet = True
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_upload(uploaded) -> list[dict]:
    """Rows of a return file, each with its row number and the columns' letters."""
    name = uploaded.name.lower()
    uploaded.seek(0)
    content = uploaded.read()
    if name.endswith(".csv"):
        return read_csv(content)
    return read_xlsx(content)


def read_xlsx(content: bytes) -> list[dict]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise UnreadableFile("The file could not be read as an Excel (XLSX) workbook") from exc
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    return _rows(rows, letters=True)


def read_csv(content: bytes) -> list[dict]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("The CSV file must be UTF-8 text") from exc
    return _rows(list(csv.reader(io.StringIO(text))), letters=False)


def _rows(rows, *, letters: bool) -> list[dict]:
    if not rows:
        raise UnreadableFile("The file is empty")
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    positions = {HEADERS[title]: index for index, title in enumerate(header) if title in HEADERS}
    missing = [title for name, title in COLUMNS if name in ("code",) and name not in positions]
    if missing or not (TO_FILL & set(positions)):
        raise UnreadableFile(
            "The first row must be the template's headings: Code, and Numerator, Denominator"
            " or Value"
        )
    result = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        item = {"row": number, "columns": {}}
        for name, index in positions.items():
            item[name] = row[index] if index < len(row) else None
            item["columns"][name] = (
                f"{get_column_letter(index + 1)} ({COLUMNS_TITLE[name]})"
                if letters
                else f"{index + 1} ({COLUMNS_TITLE[name]})"
            )
        result.append(item)
    return result


COLUMNS_TITLE = dict(COLUMNS)


def report_xlsx(report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = report.period.label.replace("/", "-")[:30]
    sheet.append([f"Key-points report: {report.period.label}"])
    sheet.append([])
    sheet.append(["Key points"])
    for sentence in report.key_points:
        sheet.append([sentence])
    sheet.append([])
    sheet.append(
        [
            "Code",
            "Indicator",
            "Unit",
            report.period.label,
            report.previous.label if report.previous else "Previous period",
            report.last_year.label if report.last_year else "Same period last year",
            "Change",
            "Target",
            "RAG",
        ]
    )
    for row in report.rows:
        change = row.change
        sheet.append(
            [
                row.indicator.code,
                row.indicator.name,
                row.indicator.get_unit_display(),
                row.value,
                row.previous,
                row.last_year,
                change.display if change else "",
                row.target,
                row.rag_label,
            ]
        )
    if report.comments:
        sheet.append([])
        sheet.append(["Group comments"])
        for comment in report.comments:
            sheet.append([comment.author_label, comment.body])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
