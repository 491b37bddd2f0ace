"""The needs analysis feeding the plan, and the reports with their exports."""

import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from partnership.directory.models import Organisation
from partnership.reviews.models import LearningTheme
from partnership.training import reports, services
from partnership.training.models import (
    Evaluation,
    ImpactResponse,
    NeedsLine,
    NeedsSurvey,
    PlanEntry,
    SurveyStatus,
    TrainingPlan,
)

from .factories import TEST_ACTOR, CourseFactory, SessionFactory, at, book

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    return NeedsSurvey.objects.create(year=2027, status=SurveyStatus.OPEN)


def _theme(slug):
    return LearningTheme.objects.get(slug=slug)


def test_an_agency_answers_the_needs_analysis_for_its_own_organisation(client_as, personas, survey):
    client = client_as("data_submitter")  # Knowsley Housing Trust
    url = "/training/needs/2027/respond/"
    neglect = _theme("neglect")
    add = {"add_line": "1", "theme": neglect.pk, "level": "2", "staff": "40", "notes": ""}
    assert client.post(url, add).status_code == 302
    assert client.post(url, {**add, "staff": "45"}).status_code == 302  # replaces, not adds
    bad = client.post(url, {**add, "staff": "many"})
    assert "Enter a whole number" in bad.content.decode()
    line = NeedsLine.objects.get()
    assert line.staff == 45 and line.response.organisation.slug == "knowsley-housing-trust"
    sent = client.post(
        url, {"submit_response": "1", "workforce": "320", "comments": "Shift workers"}
    )
    assert sent.status_code == 302
    assert line.response.__class__.objects.get().submitted_at is not None
    # Someone from another agency cannot answer for the housing trust.
    other = client_as("group_member").post(
        url + "?organisation=knowsley-housing-trust", {**add, "staff": "1"}
    )
    assert other.status_code == 302
    assert NeedsLine.objects.get(pk=line.pk).staff == 45  # untouched: it went to their own
    assert NeedsLine.objects.count() == 2


@pytest.mark.parametrize(
    ("today", "year"),
    [
        # In December 2026 the year under way is April 2026 to March 2027: next is 2027.
        (at(2026, 12, 2), "2027"),
        # In February 2027 it is still that year, so next is 2027 too (not 2028).
        (at(2027, 2, 2), "2027"),
        # From 1 April 2027 the year under way is 2027 to 2028: next is 2028.
        (at(2027, 4, 1), "2028"),
    ],
    ids=["December", "February", "April"],
)
def test_a_new_needs_analysis_is_offered_for_the_next_plan_year(client_as, today, year):
    with time_machine.travel(today, tick=False):
        page = client_as("business_unit").get("/training/needs/new/").content.decode()
    assert f'id="id_year" name="year" type="text" value="{year}"' in page


def test_a_closed_needs_analysis_takes_no_more_answers(client_as, survey):
    survey.status = SurveyStatus.CLOSED
    survey.save()
    response = client_as("data_submitter").post(
        "/training/needs/2027/respond/",
        {"add_line": "1", "theme": _theme("neglect").pk, "level": "1", "staff": "3"},
    )
    assert response.status_code == 302
    assert NeedsLine.objects.count() == 0


def test_the_summary_feeds_the_plan_once(client_as, personas, survey):
    neglect, cse = _theme("neglect"), _theme("child-sexual-exploitation-cse")
    police = Organisation.objects.get(slug="merseyside-police")
    trust = Organisation.objects.get(slug="knowsley-housing-trust")
    for organisation, theme, level, staff in [
        (police, cse, "3", 60),
        (trust, cse, "3", 15),
        (trust, neglect, "1", 200),
    ]:
        services.needs_line_save(
            survey=survey,
            organisation=organisation,
            theme=theme,
            level=level,
            staff=staff,
            notes="",
            actor=TEST_ACTOR,
        )
    summary = reports.needs_summary(survey)
    assert [(row.theme.slug, row.level, row.staff, row.agencies) for row in summary.rows] == [
        ("neglect", "1", 200, 1),
        ("child-sexual-exploitation-cse", "3", 75, 2),
    ]
    plan = TrainingPlan.objects.create(year=2027, survey=survey)
    team = client_as("business_unit")
    assert team.post("/training/plans/2027/from-needs/").status_code == 302
    assert team.post("/training/plans/2027/from-needs/").status_code == 302
    entries = PlanEntry.objects.filter(plan=plan).order_by("level")
    assert [(e.theme.slug, e.level, e.places_planned) for e in entries] == [
        ("neglect", "1", 200),
        ("child-sexual-exploitation-cse", "3", 75),
    ]
    assert "75 staff in 2 agencies" in entries[1].rationale
    page = team.get("/training/plans/2027/").content.decode()
    assert "Neglect" in page and "200" in page
    summary_page = team.get("/training/needs/2027/").content.decode()
    assert "Staff needing training, by theme and level (275 in all)" in summary_page


# Reports -------------------------------------------------------------------------------------


@pytest.fixture
def delivered(personas):
    """Two courses delivered in November 2026: 8 places filled, 5 attended, 2 no-shows."""
    police = Organisation.objects.get(slug="merseyside-police")
    school = Organisation.objects.get(slug="st-aidans-primary-school")
    cse = CourseFactory(title="CSE for Practitioners")
    cse.themes.add(_theme("child-sexual-exploitation-cse"))
    thrive = CourseFactory(title="The Thrive System", course_type="briefing_60")
    thrive.themes.add(_theme("mental-health"))
    with time_machine.travel(at(2026, 11, 1), tick=False):
        first = SessionFactory(
            course=cse, capacity=10, starts_at=at(2026, 11, 10), ends_at=at(2026, 11, 10, 13)
        )
        second = SessionFactory(
            course=thrive, capacity=5, starts_at=at(2026, 11, 12), ends_at=at(2026, 11, 12, 11)
        )
        first_bookings = [book(first, f"Police {n}", organisation=police) for n in range(5)]
        second_bookings = [book(second, f"Teacher {n}", organisation=school) for n in range(3)]
    services.attendance_record(
        session=first,
        outcomes={b.pk: ("attended" if n < 3 else "no_show") for n, b in enumerate(first_bookings)},
        actor=TEST_ACTOR,
    )
    services.attendance_record(
        session=second,
        outcomes={
            b.pk: ("attended" if n < 2 else "late_cancellation")
            for n, b in enumerate(second_bookings)
        },
        actor=TEST_ACTOR,
    )
    answers = {"trainer": 4, "outcomes_met": "fully", "confidence_before": 2, "confidence_after": 4}
    Evaluation.objects.create(booking=first_bookings[0], overall=5, **answers)
    Evaluation.objects.create(booking=first_bookings[1], overall=3, **answers)
    ImpactResponse.objects.create(
        booking=first_bookings[0], respondent="attendee", learning_applied="often", impact=4
    )
    ImpactResponse.objects.create(
        booking=first_bookings[0], respondent="manager", learning_applied="often", impact=5
    )
    return cse, thrive


def test_the_report_by_course_counts_places_attendance_and_feedback(delivered):
    report = reports.training_report(group="course")
    by_course = {row.label: row for row in report.rows}
    cse = by_course["CSE for Practitioners"]
    assert (cse.sessions, cse.places_offered, cse.places_filled) == (1, 10, 5)
    assert (cse.attended, cse.no_shows, cse.late_cancellations) == (3, 2, 0)
    assert cse.attendance_rate == pytest.approx(0.6) and cse.no_show_rate == pytest.approx(0.4)
    assert cse.evaluations == 2 and cse.evaluation_score == pytest.approx(4.0)
    assert cse.evaluation_rate == pytest.approx(2 / 3)
    assert cse.confidence_before == 2 and cse.confidence_after == 4
    assert cse.impact_responses == 1 and cse.manager_responses == 1
    assert cse.impact_score == pytest.approx(4.5)
    thrive = by_course["The Thrive System"]
    assert (thrive.places_offered, thrive.places_filled, thrive.attended) == (5, 3, 2)
    assert thrive.late_cancellations == 1 and thrive.evaluation_score is None
    total = report.total
    assert (total.sessions, total.places_offered, total.places_filled, total.attended) == (
        2,
        15,
        8,
        5,
    )


def test_the_report_by_agency_theme_and_time(delivered):
    by_agency = {row.label: row for row in reports.training_report(group="agency").rows}
    assert by_agency["Merseyside Police"].attended == 3
    assert by_agency["St Aidan's Primary School"].late_cancellations == 1
    assert by_agency["Merseyside Police"].places_offered is None  # places are per session
    by_theme = {row.label: row for row in reports.training_report(group="theme").rows}
    assert by_theme["Mental health"].places_filled == 3
    months = reports.training_report(group="month").rows
    assert [row.label for row in months] == ["November 2026"]
    years = reports.training_report(group="year").rows
    assert [(row.label, row.attended, row.evaluation_score) for row in years] == [
        ("2026 to 2027", 5, 4.0)
    ]
    assert (
        reports.training_report(group="course", start=at(2026, 11, 11).date()).total.attended == 2
    )


def test_the_report_downloads_as_csv_and_xlsx_with_the_same_figures(client_as, delivered):
    client = client_as("partner_lead")
    response = client.get("/training/reports/training.csv", {"group": "course"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Course", "Sessions", "Places offered", "Places filled"]
    cse = next(row for row in rows if row[0] == "CSE for Practitioners")
    assert cse[1:5] == ["1", "10", "5", "0.5"]
    assert rows[-1][0] == "Total"

    response = client.get("/training/reports/training.xlsx", {"group": "agency"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert values["Merseyside Police"][5] == 3  # attended
    assert values["Total"][5] == 5
    page = client.get("/training/reports/", {"group": "theme"}).content.decode()
    assert "Child sexual exploitation (CSE)" in page


def test_a_report_with_dates_the_wrong_way_round_says_so(client_as, delivered):
    response = client_as("business_unit").get(
        "/training/reports/",
        {
            "start_day": "30",
            "start_month": "11",
            "start_year": "2026",
            "end_day": "1",
            "end_month": "11",
            "end_year": "2026",
        },
    )
    assert "The end date must be on or after the start date" in response.content.decode()


@pytest.mark.parametrize("group", ["course", "agency", "theme", "month", "year"])
def test_a_report_costs_the_same_queries_with_more_data(client_as, delivered, group):
    client = client_as("business_unit")
    client.get("/training/reports/", {"group": group})
    with CaptureQueriesContext(connection) as small:
        client.get("/training/reports/", {"group": group})
    with time_machine.travel(at(2026, 10, 1), tick=False):
        for number in range(15):
            session = SessionFactory(
                starts_at=at(2026, 10, 20 - number % 10), ends_at=at(2026, 10, 20 - number % 10, 12)
            )
            book(session, f"Extra {number}")
    with CaptureQueriesContext(connection) as large:
        client.get("/training/reports/", {"group": group})
    assert len(large) == len(small)
