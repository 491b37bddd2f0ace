"""No spreadsheet or CSV the platform writes runs what someone typed (issue 14 §10, OWASP
"CSV injection").

Every writer is filled with the payload in every text field it takes, and the file is
opened again: an XLSX has no formula anywhere (no cell of data type "f", no <f> element in
any sheet's XML), and every cell holding formula-like text is a string cell with the quote
prefix set (shown as typed, and still text when edited); a CSV has no cell that starts with
"=", "+", "-" or "@".
"""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
import time_machine
from openpyxl import load_workbook

from partnership.governance.samples import simple_xlsx
from partnership.outputs.spreadsheets import csv_bytes, workbook_bytes
from partnership.performance import reports as performance_reports
from partnership.performance import services as performance
from partnership.performance import spreadsheets
from partnership.performance.tests import factories as pf
from partnership.trail.actors import Actor
from partnership.training import reports as training_reports
from partnership.training.tests.factories import BookingFactory, SessionFactory, at

PAYLOAD = '=HYPERLINK("http://x","y")'
OTHERS = ["+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"]


def assert_no_formulas(data: bytes, *, expect_payload: bool = True) -> int:
    """Assert the XLSX has no formula; return how many cells hold the payload (as text)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
    book = load_workbook(io.BytesIO(data))
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                if isinstance(cell.value, str) and PAYLOAD in cell.value:
                    found += 1
    if expect_payload:
        assert found, "the payload is not in the workbook at all"
    return found


def assert_csv_safe(data: bytes) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for row in rows:
        for value in row:
            if re.fullmatch(r"-?\d+(\.\d+)?", value):
                continue  # a number written as a number (-2), not text
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    return rows


def test_the_helpers_write_formula_like_text_as_text():
    from partnership.outputs.spreadsheets import new_workbook

    book = new_workbook()
    book.active.append([PAYLOAD, *OTHERS, "plain", 3, -2])
    data = workbook_bytes(book)
    assert assert_no_formulas(data) == 1
    sheet = load_workbook(io.BytesIO(data)).active
    # Shown exactly as typed, and numbers stay numbers.
    assert [c.value for c in sheet[1]] == [PAYLOAD, *OTHERS, "plain", 3, -2]
    rows = assert_csv_safe(csv_bytes([[PAYLOAD, *OTHERS, "plain", 3, -2, None]]))
    assert rows == [["'" + PAYLOAD, *("'" + o for o in OTHERS), "plain", "3", "-2", ""]]


@pytest.mark.django_db
def test_the_return_template_and_the_key_points_report(personas):
    owner = pf.organisation(PAYLOAD)
    one = pf.indicator(PAYLOAD, owner, name=PAYLOAD)
    two = pf.indicator("DA03", owner, name="-Referrals" + PAYLOAD)
    one.versions.update(definition=PAYLOAD)
    last, this = pf.year(2023), pf.year(2024)
    pf.submit(owner, last, {one: 10, two: 10})
    data_return = pf.submit(owner, this, {one: 50, two: 2})
    performance.report_comment_add(
        period=this, body=PAYLOAD, actor=Actor.for_user(personas["business_unit"])
    )
    template = spreadsheets.template(data_return, performance.return_indicators(data_return))
    # By hand: the first indicator's row has the payload as code, name, definition and
    # organisation; the second's (code DA03, its factory's definition) as name and
    # organisation: 4 + 2 cells.
    assert assert_no_formulas(template) == 6
    report = performance_reports.build_report(this, charts=False)
    data = spreadsheets.report_xlsx(report)
    # By hand: two key points (each names its indicator) at the top, the first row's code and
    # name, the second's name, each row's key point again in its own column (2), and the
    # comment: 8 cells. The change "+40 (+400%)" is text as well.
    assert assert_no_formulas(data) == 8
    sheet = load_workbook(io.BytesIO(data)).active
    assert "+40 (+400%)" in [c.value for row in sheet.iter_rows() for c in row]


@pytest.mark.django_db
def test_the_training_report_in_both_formats():
    row = training_reports.ReportRow(key=1, label=PAYLOAD, sessions=1, attended=2)
    total = training_reports.ReportRow(key=None, label="Total", sessions=1, attended=2)
    report = training_reports.Report(
        group="course", start=dt.date(2026, 4, 1), end=None, rows=[row], total=total
    )
    assert assert_no_formulas(training_reports.report_xlsx(report)) == 1
    rows = assert_csv_safe(training_reports.report_csv(report))
    assert rows[1][0] == "'" + PAYLOAD


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False)
def test_the_sessions_bookings_csv(client_as):
    session = SessionFactory(starts_at=at(2026, 11, 20), ends_at=at(2026, 11, 20, 13))
    BookingFactory(
        session=session,
        full_name=PAYLOAD,
        email="a@example.org",
        job_title="+" + PAYLOAD,
        organisation_other="@" + PAYLOAD,
        access_needs="-" + PAYLOAD,
    )
    response = client_as("business_unit").get(
        f"/training/manage/sessions/{session.pk}/bookings.csv"
    )
    assert response.status_code == 200
    rows = assert_csv_safe(response.content)
    assert rows[1][:4] == ["'" + PAYLOAD, "a@example.org", "'+" + PAYLOAD, "'@" + PAYLOAD]
    assert rows[1][6] == "'-" + PAYLOAD


def test_the_governance_sample_workbook():
    data = simple_xlsx("Figures", [["Course", PAYLOAD], [PAYLOAD, 1]])
    assert assert_no_formulas(data) == 2
