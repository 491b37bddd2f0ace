"""Spreadsheets in and out: the XLSX template per agency and period, reading an upload
(XLSX or CSV, within caps) into rows with their row and column, and the report's XLSX
export."""

from openpyxl.styles import Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from partnership.lib.uploads import (
    MB,
    DocumentLimits,
    FileRefused,
    TableLimits,
    ZipLimits,
    table_rows,
)
from partnership.outputs.spreadsheets import new_workbook, workbook_bytes

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


# A return has a row per indicator the organisation answers (tens, not thousands); the API
# takes up to 1,000 figures in one request, and so does a file.
RETURN_LIMITS = TableLimits(
    max_bytes=2 * MB,
    max_rows=1_000,
    max_columns=30,
    zip=ZipLimits(max_members=100, max_uncompressed=8 * MB, max_member=8 * MB),
)
# What the upload field checks of an XLSX's structure, within the same caps.
RETURN_DOCUMENT_LIMITS = DocumentLimits(zip=RETURN_LIMITS.zip)


class UnreadableFile(FileRefused):
    pass


def template(data_return, indicators) -> bytes:
    """An XLSX for one agency and period: a row per indicator, the figures to fill in."""
    book = new_workbook()
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
    return workbook_bytes(book)


def read_upload(uploaded, *, limits: TableLimits = RETURN_LIMITS) -> list[dict]:
    """Rows of a return file, each with its row number and the columns' letters.

    Read within `limits` (bytes, rows, columns, and for an XLSX its zip): a file over them
    is refused with UnreadableFile before it is parsed, or at the first row past the cap."""
    letters = not uploaded.name.lower().endswith(".csv")
    try:
        rows = table_rows(uploaded.file, name=uploaded.name, size=uploaded.size, limits=limits)
        return _rows(rows, letters=letters)
    except UnreadableFile:
        raise
    except FileRefused as error:
        raise UnreadableFile(str(error)) from error


def _rows(rows, *, letters: bool) -> list[dict]:
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise UnreadableFile("The file is empty")
    _number, heading = first
    header = [str(cell or "").strip().lower() for cell in heading]
    positions = {HEADERS[title]: index for index, title in enumerate(header) if title in HEADERS}
    missing = [title for name, title in COLUMNS if name in ("code",) and name not in positions]
    if missing or not (TO_FILL & set(positions)):
        raise UnreadableFile(
            "The first row must be the template's headings: Code, and Numerator, Denominator"
            " or Value"
        )
    result = []
    for number, row in rows:
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


def report_headings(report) -> list[str]:
    """The indicator table's column headings, each saying which period its figures are for
    (a column read on its own, or pasted elsewhere, still says what it is)."""
    period = report.period.label
    previous = report.previous.label if report.previous else None
    last_year = report.last_year.label if report.last_year else None
    return [
        "Code",
        "Indicator",
        "Unit",
        f"Value, {period}",
        f"Value, {previous} (previous period)" if previous else "Previous period (none)",
        f"Value, {last_year} (same period last year)"
        if last_year
        else "Same period last year (none)",
        f"Change, {previous} to {period}" if previous else "Change (no previous period)",
        f"Target for {period}",
        f"RAG rating, {period}",
        f"Key point, {period}",
    ]


def report_xlsx(report) -> bytes:
    book = new_workbook()
    sheet = book.active
    sheet.title = report.period.label.replace("/", "-")[:30]
    sheet.append([f"Key-points report: {report.period.label}"])
    sheet.append([])
    sheet.append(["Key points"])
    for sentence in report.key_points:
        sheet.append([sentence])
    sheet.append([])
    sheet.append(report_headings(report))
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
                row.key_point,
            ]
        )
    if report.comments:
        sheet.append([])
        sheet.append(["Group comments"])
        for comment in report.comments:
            sheet.append([comment.author_label, comment.body])
    return workbook_bytes(book)
