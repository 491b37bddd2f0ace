"""The key-points report as a paper for a board: a one-page summary first, every indicator
in the exports, and spreadsheet headings that say which period each column is (issue 15,
section 5)."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from partnership.performance.models import Indicator, ReportingPeriod

pytestmark = pytest.mark.django_db


def _period():
    return ReportingPeriod.objects.get(frequency="yearly", label="2014/15")


def _pages(response) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


def test_the_pdf_opens_with_a_one_page_summary_of_every_indicator(loaded, client_as):
    period = _period()
    response = client_as("business_unit").get(f"/performance/reports/{period.slug}/key-points.pdf")
    pages = _pages(response)
    summary = pages[0]
    assert "Summary" in summary
    assert "Change on 2013/14" in summary
    indicators = list(Indicator.objects.filter(frequency="yearly").order_by("sort_order", "code"))
    for indicator in indicators:
        assert f"{indicator.code}:" in summary, indicator.code
    # CE01, worked by hand: 44 in 2013/14, 102 in 2014/15, +58; the key point beside it.
    assert "rose from 44 in 2013/14 to 102 in 2014/15" in summary
    # The detail starts on the next page, after the summary.
    assert "The detail" not in summary
    assert "The detail" in pages[1]


def test_the_xlsx_headings_name_the_period_of_each_column(loaded, client_as):
    period = _period()
    response = client_as("business_unit").get(f"/performance/reports/{period.slug}/key-points.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    heading = next(row for row in rows if row and row[0] == "Code")
    assert list(heading[3:]) == [
        "Value, 2014/15",
        "Value, 2013/14 (previous period)",
        "Value, 2013/14 (same period last year)",
        "Change, 2013/14 to 2014/15",
        "Target for 2014/15",
        "RAG rating, 2014/15",
        "Key point, 2014/15",
    ]
    # Every yearly indicator is in the spreadsheet, not only the first page of the web report.
    codes = []
    for row in rows[rows.index(heading) + 1 :]:
        if not row or row[0] is None:
            break
        codes.append(row[0])
    assert codes == list(
        Indicator.objects.filter(frequency="yearly")
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
    )
