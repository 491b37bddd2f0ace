"""The key-points report against figures worked out by hand from the demo data."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from partnership.performance import demo, reports, services
from partnership.performance.models import (
    DataPoint,
    DataReturn,
    Indicator,
    ReportingPeriod,
    ReturnStatus,
)
from partnership.performance.tests import factories as f

pytestmark = pytest.mark.django_db


def _period(label):
    return ReportingPeriod.objects.get(frequency="yearly", label=label)


def _counted(code, label):
    """The figure, found the long way: the current version of a counted return."""
    point = DataPoint.objects.get(
        indicator__code=code,
        period__label=label,
        version__is_current=True,
        version__data_return__status__in=["submitted", "validated"],
    )
    return point.value


def test_the_2014_15_report_states_the_seed_key_points(loaded, client_as):
    period = _period("2014/15")
    page = client_as("business_unit").get(period.get_absolute_url()).content.decode()
    assert (
        "Referrals for CSE and sexually harmful behaviour rose from 44 in 2013/14 to 102 in 2014/15"
        in page
    )
    assert "ICPCs within 15 working days of the S47: 27% → 68.4%" in page
    assert (
        "Children attending hospital with self-harm or acute mental health issues rose from 332"
        " in 2013/14 to 467 in 2014/15" in page
    )
    # The data set for 2014/15 is incomplete (seed 004): the police's return never came.
    assert "The data set for 2014/15 is incomplete" in page


def test_the_report_numbers_match_a_hand_calculation(loaded):
    period = _period("2014/15")
    report = reports.build_report(period, charts=False)
    rows = {row.indicator.code: row for row in report.rows}
    ce01 = rows["CE01"]
    assert ce01.value == _counted("CE01", "2014/15") == 102
    assert ce01.previous == _counted("CE01", "2013/14") == 44
    assert ce01.change.absolute == Decimal(102 - 44)
    assert round(ce01.change.relative, 1) == round(Decimal(58) / 44 * 100, 1)
    ng01 = rows["NG01"]
    assert ng01.change.display == "+41.4 percentage points"
    assert ng01.target == Decimal("85") and ng01.rag == "red"  # 68.4 < 85 - 10
    # The e-learning figure was corrected: the current version is 9,110, the old one kept.
    assert rows["TR01"].value == 9110
    council_return = DataReturn.objects.get(organisation__name="Knowsley Council", period=period)
    versions = list(council_return.versions.order_by("number"))
    assert [v.is_current for v in versions] == [False, False, True]
    assert "Digits transposed" in versions[-1].reason and versions[-1].created_by_label


def test_the_pdf_renders_with_the_key_points(loaded, client_as):
    period = _period("2014/15")
    response = client_as("business_unit").get(f"/performance/reports/{period.slug}/key-points.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "rose from 44 in 2013/14 to 102 in 2014/15" in text
    assert "27% → 68.4%" in text


def test_the_xlsx_export_has_the_figures(loaded, client_as):
    from openpyxl import load_workbook

    period = _period("2014/15")
    response = client_as("business_unit").get(f"/performance/reports/{period.slug}/key-points.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    ce01 = next(row for row in values if row[0] == "CE01")
    assert (ce01[3], ce01[4]) == (102, 44)


def test_the_demo_has_mst_can_and_returns_in_every_state(loaded):
    period = ReportingPeriod.objects.get(frequency="yearly", label="2020/21")
    assert _counted("NG08", "2020/21") == 42
    assert _counted("NG04", "2020/21") == Decimal("88.24")  # 15/17
    statuses = set(DataReturn.objects.values_list("status", flat=True))
    assert {
        ReturnStatus.NOT_STARTED,
        ReturnStatus.DRAFT,
        ReturnStatus.SUBMITTED,
        ReturnStatus.VALIDATED,
        ReturnStatus.LATE,
    } <= statuses
    assert DataReturn.objects.filter(
        organisation__name="Knowsley Housing Trust", status__in=["not_started", "late", "draft"]
    ).exists()
    del period


def test_the_demo_loads_twice_without_doubling(loaded, personas):
    count = DataPoint.objects.count()
    demo.build(loaded, personas)
    assert DataPoint.objects.count() == count


def _report_queries(period) -> int:
    with CaptureQueriesContext(connection) as queries:
        reports.build_report(period, charts=True)
    return len(queries)


def test_the_report_costs_the_same_queries_with_much_more_data(loaded):
    period = _period("2014/15")
    _report_queries(period)  # the first makes the settings row, once
    small = _report_queries(period)
    assert small <= 10
    # Many more indicators and figures in every year.
    owner = Indicator.objects.get(code="CE01").owner
    extra = [
        Indicator(code=f"X{n}", name=f"Extra {n}", owner=owner, frequency="yearly", sort_order=500)
        for n in range(60)
    ]
    Indicator.objects.bulk_create(extra)
    for first in (2013, 2014, 2015):
        p = ReportingPeriod.objects.get(frequency="yearly", start__year=first, start__month=4)
        data_return = services.get_return(owner, p)
        rows = [
            services.CheckedRow(i, None, None, Decimal(n + first))
            for n, i in enumerate(Indicator.objects.filter(code__startswith="X"))
        ]
        services.save_return(data_return, rows, actor=f.SETUP, submit=True, reason="More data")
    assert _report_queries(period) == small
