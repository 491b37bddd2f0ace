"""The key-points report as a paper for a board: a one-page summary first, every indicator
in the exports, and spreadsheet headings that say which period each column is (issue 15,
section 5)."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from partnership.performance.models import Indicator, ReportingPeriod

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """The attached summary goes to a throwaway folder, never the checkout's var/uploads."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }


def _period():
    return ReportingPeriod.objects.get(frequency="yearly", label="2014/15")


def _pages(response) -> list[str]:
    return [
        " ".join(page.extract_text().split())
        for page in PdfReader(io.BytesIO(response.content)).pages
    ]


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


def test_the_summary_goes_on_the_performance_groups_agenda_and_into_its_pack(
    loaded, client_as, personas
):
    import datetime as dt

    from django.utils import timezone

    from partnership.governance import documents
    from partnership.governance.models import Group, Meeting, Paper

    period = _period()
    starts = timezone.now() + dt.timedelta(days=30)
    meeting = Meeting.objects.create(
        group=Group.objects.get(slug="policy-and-performance-group"),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Huyton",
    )
    client = client_as("business_unit")
    assert "Attach the summary" in client.get(period.get_absolute_url()).content.decode()
    response = client.post(f"/performance/reports/{period.slug}/attach/", {"meeting": meeting.pk})
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    paper = Paper.objects.get(meeting=meeting)
    assert paper.restricted  # every agency's figures: for the group's members
    assert paper.item.title == "Key-points report: 2014/15"
    pack = documents.build_agenda_pack(meeting, include_restricted=True)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pack.pdf)).pages
    )
    assert "Key-points summary: 2014/15" in text
    assert "rose from 44 in 2013/14 to 102 in 2014/15" in text
    # A meeting of another group is not offered, and is refused.
    other = Meeting.objects.create(
        group=Group.objects.get(slug="strategic-forum"),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location="Huyton",
    )
    client.post(f"/performance/reports/{period.slug}/attach/", {"meeting": other.pk})
    assert not Paper.objects.filter(meeting=other).exists()
