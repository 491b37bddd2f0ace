"""The pages the module had no tests for: a priority's dashboard, the completeness grid and
the report's comments, against the Knowsley demo."""

import datetime as dt
import html
import re

import pytest
import time_machine

from partnership.governance.models import Priority
from partnership.performance import services
from partnership.performance.models import (
    DataPoint,
    DataReturn,
    Frequency,
    Indicator,
    ReportComment,
    ReportingPeriod,
    ReturnStatus,
)

pytestmark = pytest.mark.django_db

TODAY = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


@pytest.fixture
def demo(loaded):
    return loaded


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(TODAY, tick=False):
        yield


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def table_rows(page: str) -> list[list[str]]:
    """Each body row of the page's tables, as the text of its cells."""
    rows = []
    for body in re.findall(r"<tbody.*?</tbody>", page, re.S):
        for row in re.findall(r"<tr.*?</tr>", body, re.S):
            rows.append([_text(cell) for cell in re.findall(r"<t[dh].*?</t[dh]>", row, re.S)])
    return rows


def latest_counted(indicator):
    """The indicator's latest figure in a submitted or validated return, straight from the
    data: (period, value)."""
    point = (
        DataPoint.objects.filter(
            indicator=indicator,
            is_current=True,
            data_return__status__in=(ReturnStatus.SUBMITTED, ReturnStatus.VALIDATED),
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )
    return (point.period, point.value) if point else (None, None)


def test_a_priority_dashboard_shows_its_indicators_latest_value_and_rag(client_as, demo):
    priority = Priority.objects.get(slug="child-exploitation")
    mine = list(Indicator.objects.filter(priority=priority))
    others = list(Indicator.objects.exclude(priority=priority))
    assert mine and others
    page = client_as("business_unit").get(f"/performance/dashboards/{priority.slug}/")
    assert page.status_code == 200
    rows = {row[0]: row for row in table_rows(page.content.decode())}
    assert set(rows) == {indicator.name for indicator in mine}
    for indicator in mine:
        period, value = latest_counted(indicator)
        name, period_label, latest, _previous, _trend, target, rag = rows[indicator.name]
        assert period_label == period.label
        assert latest == indicator.format(value)
        version = indicator.version_on(period.end)
        expected = services.rag(value, version.target, version.tolerance, indicator.polarity)
        assert rag == services.RAG_LABELS[expected]
        if version.target is not None:
            assert target == indicator.format(version.target)
    assert {"Red", "Amber", "Green"} & {row[-1] for row in rows.values()}, rows
    for indicator in others:
        assert indicator.name not in rows


def test_completeness_shows_the_missing_2014_police_return_and_the_housing_trusts_late_one(
    client_as, demo
):
    client = client_as("business_unit")
    page = client.get("/performance/completeness/", {"frequency": "yearly", "year": "2014"})
    text = page.content.decode()
    assert page.status_code == 200
    head = re.search(r"<thead.*?</thead>", text, re.S).group(0)
    labels = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head)
    assert labels[-1] == "2014/15"
    column = labels.index("2014/15")
    rows = {row[0]: row for row in table_rows(text)}
    police_2014 = DataReturn.objects.get(
        organisation__name="Merseyside Police", period__label="2014/15"
    )
    assert police_2014.version_count == 0  # nothing was ever sent
    assert rows["Merseyside Police"][column] == "Merseyside Police, 2014/15: Late"
    # The council's came in, though its correction (a new version) was sent long after.
    assert rows["Knowsley Council"][column] == "Knowsley Council, 2014/15: Submitted late"

    # The latest years: the housing trust's 2025/26 return was never submitted.
    page = client.get("/performance/completeness/", {"frequency": "yearly"})
    text = page.content.decode()
    head = re.search(r"<thead.*?</thead>", text, re.S).group(0)
    labels = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head)
    column = labels.index("2025/26")
    rows = {row[0]: row for row in table_rows(text)}
    assert rows["Knowsley Housing Trust"][column] == "Knowsley Housing Trust, 2025/26: Late"
    period = ReportingPeriod.objects.get(frequency=Frequency.YEARLY, label="2025/26")
    assert period.due_on < dt.date(2026, 11, 23)
    assert (
        DataReturn.objects.get(organisation__name="Knowsley Housing Trust", period=period).status
        == ReturnStatus.LATE
    )
    assert "2014/15" not in labels


def test_a_comment_on_the_report_is_saved_and_shown(client_as, personas, demo):
    period = ReportingPeriod.objects.get(frequency=Frequency.YEARLY, label="2014/15")
    client = client_as("business_unit")
    url = f"/performance/reports/{period.slug}/"
    response = client.post(
        url + "comments/", {"body": "The group asked the police for the missing 2014/15 return."}
    )
    assert response.status_code == 302 and response["Location"] == url + "#comments"
    page = client.get(url).content.decode()
    assert "Comment added" in page
    assert "The group asked the police for the missing 2014/15 return." in page
    comment = ReportComment.objects.get(period=period)
    assert comment.author == personas["business_unit"]


def test_a_blank_comment_is_refused(client_as, demo):
    period = ReportingPeriod.objects.get(frequency=Frequency.YEARLY, label="2014/15")
    client = client_as("business_unit")
    url = f"/performance/reports/{period.slug}/"
    response = client.post(url + "comments/", {"body": "   "})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Enter a comment" in page
    assert ReportComment.objects.count() == 0
