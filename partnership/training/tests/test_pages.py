"""Every training page renders, in the states that change what it shows, with strict templates.

In tests printing an undefined template value raises (partnership/web/jinja2.py), so a page that
would show `{{ no such element }}` to a user fails here. The world is pinned: it is Monday
23 November 2026, 9:00; one session was on Friday 20 November, one is on Thursday 10
December (full, with an offer and a queue), one was cancelled; the needs analysis for 2025 to
2026 is closed and has its plan, the one for 2026 to 2027 is open.
"""

import html
import re

import pytest
import time_machine

from partnership.directory.models import Organisation
from partnership.reviews.models import LearningTheme
from partnership.training import services
from partnership.training.models import (
    Attendance,
    NeedsLine,
    NeedsResponse,
    NeedsSurvey,
    PlanEntry,
    PlanSource,
    Respondent,
    SurveyStatus,
    TrainingPlan,
)

from .factories import TEST_ACTOR, CourseFactory, SessionFactory, at, book

pytestmark = pytest.mark.django_db

NOW = at(2026, 11, 23, 9)


@pytest.fixture
def world(personas):
    pat = personas["practitioner"]
    mine = {"email": pat.email, "user": pat}
    with time_machine.travel(at(2026, 11, 2, 9), tick=False):
        course = CourseFactory(title="Neglect: Graded Care Profile")
        past = SessionFactory(
            course=course, capacity=4, starts_at=at(2026, 11, 20, 10), ends_at=at(2026, 11, 20, 13)
        )
        attended = book(past, pat.full_name, **mine)
        no_show = book(past, "Bob Day", manager_email="bob.boss@example.org")
        late = book(past, "Cat Roy", manager_email="cat.boss@example.org")
        upcoming = SessionFactory(
            course=course, capacity=1, starts_at=at(2026, 12, 10, 10), ends_at=at(2026, 12, 10, 13)
        )
        gave_up = book(upcoming, "Ann Lee")
        offered = book(upcoming, pat.full_name, **mine)
        book(upcoming, "Eve Kay")
        cancelled = SessionFactory(
            course=course, starts_at=at(2026, 12, 15, 10), ends_at=at(2026, 12, 15, 13)
        )
        open_session = SessionFactory(
            course=course, starts_at=at(2026, 12, 17, 10), ends_at=at(2026, 12, 17, 13)
        )
        withdrawn = book(cancelled, pat.full_name, **mine)
        services.session_cancel(session=cancelled, reason="Trainer ill", actor=TEST_ACTOR)
    # Thursday 19 November: after the cut-off (Tuesday 17th), so the team cancels, late.
    with time_machine.travel(at(2026, 11, 19, 9), tick=False):
        services.booking_cancel(booking=late, actor=TEST_ACTOR, by_training_team=True)
    with time_machine.travel(at(2026, 11, 20, 14), tick=False):
        services.attendance_record(
            session=past,
            outcomes={attended.pk: Attendance.ATTENDED, no_show.pk: Attendance.NO_SHOW},
            actor=TEST_ACTOR,
        )
    with time_machine.travel(NOW, tick=False):
        services.booking_cancel(booking=gave_up, actor=TEST_ACTOR)  # Pat is offered the place

    theme = LearningTheme.objects.get(name="Neglect")
    council = Organisation.objects.get(slug="knowsley-council")
    housing = Organisation.objects.get(slug="knowsley-housing-trust")
    closed = NeedsSurvey.objects.create(year=2025, status=SurveyStatus.CLOSED)
    answered = NeedsResponse.objects.create(
        survey=closed, organisation=council, workforce=300, submitted_at=at(2025, 2, 14)
    )
    NeedsLine.objects.create(response=answered, theme=theme, level="2", staff=95)
    NeedsResponse.objects.create(survey=closed, organisation=housing)  # started, never sent
    plan = TrainingPlan.objects.create(year=2025, survey=closed)
    entry = PlanEntry.objects.create(
        plan=plan,
        title="Neglect: working together",
        source=PlanSource.NEEDS_ANALYSIS,
        theme=theme,
        level="2",
        course=course,
        places_planned=95,
    )
    NeedsSurvey.objects.create(year=2026, status=SurveyStatus.OPEN)
    return {
        "course": course,
        "past": past,
        "upcoming": upcoming,
        "cancelled": cancelled,
        "open": open_session,
        "attended": attended,
        "no_show": no_show,
        "late": late,
        "offered": offered,
        "withdrawn": withdrawn,
        "entry": entry,
    }


def _text(response) -> str:
    """The page's main content as a reader sees it: tags dropped, spaces collapsed."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())


def test_a_past_sessions_page_and_a_closed_years_needs_pages_render(world, client_as):
    # These showed "{{ no such element: dict object['text'] }}" where a table's last cell is
    # empty: no Cancel link once a session has started, no answer link or Remove button once a
    # year is closed.
    team = client_as("business_unit")
    with time_machine.travel(NOW, tick=False):
        past = team.get(f"/training/manage/sessions/{world['past'].pk}/")
        needs = team.get("/training/needs/")
        closed = team.get("/training/needs/2025/respond/?organisation=knowsley-council")
    assert [past.status_code, needs.status_code, closed.status_code] == [200, 200, 200]
    # Bob did not attend and Pat did (the register of 20 November); Cat cancelled late, so
    # holds no place: 2 of the 4 places taken.
    assert "Places 2 of 4 taken, 0 waiting" in _text(past)
    assert "Bob Day Not given Booked Did not attend" in _text(past)
    assert "Pat Quinn Not given Booked Attended" in _text(past)
    assert ">Cancel<" not in past.content.decode()
    # The open year offers the business unit's own agency an answer; the closed one nothing.
    assert "2026 to 2027 Open for responses No date set 0 Answer for Knowsley Council" in (
        _text(needs)
    )
    assert _text(needs).endswith("2025 to 2026 Closed No date set 1")
    assert "This needs analysis is closed: answers cannot be changed." in _text(closed)
    assert "Neglect Level 2: working together 95" in _text(closed)
    assert "Remove" not in _text(closed)


def _pages(w):
    """(who, path, text the page must show)."""
    past, upcoming, cancelled = w["past"], w["upcoming"], w["cancelled"]
    evaluate = services.feedback_token(w["attended"], Respondent.ATTENDEE)
    impact = services.feedback_token(w["attended"], Respondent.MANAGER)
    too_soon = services.feedback_token(w["offered"], Respondent.ATTENDEE)  # not attended yet
    return [
        # The public portal
        (None, "/training/", "Neglect: Graded Care Profile"),
        (None, "/training/courses/", "Neglect: Graded Care Profile"),
        (None, f"/training/courses/{w['course'].slug}/", "10 Dec 2026"),
        (None, f"/training/sessions/{past.pk}/", "20 November 2026"),
        (None, f"/training/sessions/{upcoming.pk}/", "10 December 2026"),
        (None, f"/training/sessions/{cancelled.pk}/", "cancelled"),
        ("practitioner", f"/training/sessions/{w['open'].pk}/book/", "17 December 2026"),
        ("practitioner", f"/training/sessions/{cancelled.pk}/book/", "15 December 2026"),
        # The private links in the evaluation and impact emails
        (None, f"/training/evaluation/{evaluate}/", "Evaluate"),
        (None, f"/training/impact/{impact}/", "What difference"),
        (None, f"/training/evaluation/{too_soon}/", "no record that Pat Quinn attended"),
        # The practitioner's own bookings
        ("practitioner", "/training/my-bookings/", "Neglect: Graded Care Profile"),
        ("practitioner", f"/training/my-bookings/{w['attended'].pk}/", "Attended"),
        ("practitioner", f"/training/my-bookings/{w['offered'].pk}/", "A place is available"),
        (
            "practitioner",
            f"/training/my-bookings/{w['withdrawn'].pk}/",
            "This session has been cancelled: Trainer ill.",
        ),
        ("practitioner", f"/training/my-bookings/{w['offered'].pk}/accept/", "Accept"),
        ("practitioner", f"/training/my-bookings/{w['offered'].pk}/cancel/", "Turn down the place"),
        ("practitioner", f"/training/my-bookings/{w['attended'].pk}/cancel/", "20 November"),
        # Running training
        ("business_unit", "/training/manage/", "Neglect: Graded Care Profile"),
        ("business_unit", "/training/manage/courses/", "Neglect: Graded Care Profile"),
        ("business_unit", f"/training/manage/sessions/{past.pk}/", "Did not attend"),
        ("business_unit", f"/training/manage/sessions/{upcoming.pk}/", "Eve Kay"),
        ("business_unit", f"/training/manage/sessions/{cancelled.pk}/", "Trainer ill"),
        ("business_unit", f"/training/manage/sessions/{past.pk}/register/", "Cat Roy"),
        ("business_unit", f"/training/manage/sessions/{upcoming.pk}/edit/", "Places"),
        ("business_unit", f"/training/manage/sessions/{upcoming.pk}/cancel/", "Cancel"),
        ("business_unit", f"/training/manage/bookings/{w['offered'].pk}/cancel/", "Pat Quinn"),
        ("business_unit", "/training/manage/rules/", "working days"),
        # Needs analysis and the plan
        ("business_unit", "/training/needs/", "2025 to 2026"),
        ("business_unit", "/training/needs/2025/", "Knowsley Council"),
        ("business_unit", "/training/needs/2026/", "2026 to 2027"),
        ("business_unit", "/training/needs/2025/edit/", "2025"),
        ("business_unit", "/training/needs/2025/respond/?organisation=knowsley-council", "95"),
        ("business_unit", "/training/plans/", "2025 to 2026"),
        ("business_unit", "/training/plans/2025/", "Neglect: working together"),
        ("business_unit", "/training/plans/2025/edit/", "2025"),
        ("business_unit", f"/training/plans/2025/entries/{w['entry'].pk}/edit/", "95"),
        ("independent_chair", "/training/needs/2025/", "Knowsley Council"),
        ("partner_lead", "/training/plans/2025/", "Neglect: working together"),
        # Reports, by every grouping
        ("business_unit", "/training/reports/?start=2026-11-01&end=2026-11-30", "Attended"),
        *[
            ("business_unit", f"/training/reports/?group={group}&start=2026-11-01", "Attended")
            for group in ["course", "agency", "theme", "month", "year"]
        ],
    ]


def test_every_training_page_renders_with_strict_templates(world, client_as):
    clients = {}
    failures = []
    with time_machine.travel(NOW, tick=False):
        for who, path, text in _pages(world):
            client = clients.get(who) or clients.setdefault(who, client_as(who))
            try:
                response = client.get(path)
            except Exception as error:  # collect every page's fault, not only the first
                failures.append(f"{path}: {error}")
                continue
            page = response.content.decode()
            if response.status_code != 200 or text not in page:
                failures.append(f"{path}: {response.status_code}, {text!r} not shown")
    assert failures == [], "\n".join(failures)
