"""The Knowsley demo's training: what the seeds describe, and safe to load twice."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from partnership.demo import knowsley
from partnership.directory.models import Person
from partnership.governance.models import Membership
from partnership.lib.working_days import is_working_day
from partnership.training import demo
from partnership.training.models import (
    Booking,
    BookingStatus,
    Course,
    Evaluation,
    NeedsSurvey,
    PlanEntry,
    Session,
    SurveyStatus,
    Trainer,
    TrainingPlan,
)

from .factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(personas):
    organisations = knowsley.build_directory()
    return demo.build(organisations, personas)


def test_the_thrive_briefing_is_as_the_seed_describes(loaded):
    session = Session.objects.get(
        course__title__startswith="The Thrive System", starts_at__year=2021
    )
    assert session.course.title == (
        "The Thrive System – Supporting Emotional Mental Health and Well Being in Knowsley"
    )
    assert session.course.get_course_type_display() == "60-minute briefing"
    start = timezone.localtime(session.starts_at)
    assert (start.date(), start.time()) == (dt.date(2021, 2, 11), dt.time(10, 0))
    assert timezone.localtime(session.ends_at).time() == dt.time(11, 0)
    assert {str(trainer) for trainer in session.trainers.all()} == {
        "Jan Jackson (CAMHS Manager)",
        "Lindsey Lawrence (Operational Manager)",
        "A representative from KOOTH (Kooth, online mental wellbeing service)",
    }
    assert "Children's eating disorders: a perfect storm" in session.course.outcomes


def test_the_demo_has_two_years_of_programmes_and_sessions_to_book_now(loaded, personas):
    cse = Course.objects.get(title="CSE for Practitioners")
    assert cse.sessions.filter(starts_at__year=2019).exists()
    assert {2019, 2020} <= {plan.year for plan in TrainingPlan.objects.all()}
    assert PlanEntry.objects.filter(plan__year=2019, priority__isnull=False).exists()
    assert PlanEntry.objects.filter(plan__year=2020, theme__slug="mental-health").exists()
    assert NeedsSurvey.objects.filter(status=SurveyStatus.OPEN).exists()
    upcoming = Session.objects.upcoming()
    assert upcoming.count() >= 6
    assert any(session.is_full for session in upcoming)
    assert Booking.objects.filter(status=BookingStatus.WAITING).exists()
    assert Evaluation.objects.count() > 50
    # Volunteers' briefings: over 60 attended.
    volunteers = Booking.objects.filter(
        session__course__title__startswith="Safeguarding roles", attendance="attended"
    )
    assert volunteers.count() > 60
    pat = personas["practitioner"]
    assert Booking.objects.filter(user=pat, attendance="attended").exists()
    assert Booking.objects.filter(user=pat, session__starts_at__gt=timezone.now()).exists()
    for session in Session.objects.all():
        held = session.bookings.filter(status__in=["confirmed", "offered"]).count()
        assert session.places_taken == held <= session.capacity, session


def test_loading_the_demo_twice_changes_nothing(loaded, personas):
    again = demo.build(knowsley.build_directory(), personas)
    assert again == loaded


# The demo obeys its own rules, whatever day it is loaded ----------------------------------


def _plan_year(day: dt.date) -> int:
    """The April-to-March year `day` falls in, by its first calendar year (worked by hand,
    not with the module's own helper)."""
    return day.year if day.month >= 4 else day.year - 1


def test_no_demo_session_is_on_a_weekend_or_a_bank_holiday(loaded):
    days = [timezone.localtime(session.starts_at).date() for session in Session.objects.all()]
    assert days and [day for day in days if not is_working_day(day)] == []


def test_a_demo_session_that_would_fall_on_a_bank_holiday_moves_to_the_next_working_day(personas):
    # Loaded on Wednesday 9 December 2026: "CSE for Practitioners" 16 days on would be
    # Christmas Day (Friday 25th); Saturday, Sunday and Monday 28th (Boxing Day's substitute)
    # are not working days either, so Tuesday 29 December. Thrive, 23 days on, would be New
    # Year's Day (Friday 1 January 2027), so Monday 4 January.
    with time_machine.travel(at(2026, 12, 9, 8), tick=False):
        demo.build(knowsley.build_directory(), personas)
        upcoming = Session.objects.upcoming()
        cse = upcoming.get(course__title="CSE for Practitioners")
        thrive = upcoming.get(course__title__startswith="The Thrive System")
    assert timezone.localtime(cse.starts_at) == at(2026, 12, 29, 9, 30)
    assert timezone.localtime(thrive.starts_at) == at(2027, 1, 4, 10)


def test_the_current_plan_year_has_its_needs_analysis_and_training_plan(loaded):
    today = timezone.localdate()
    current = _plan_year(today)
    assert {plan.year for plan in TrainingPlan.objects.all()} == set(range(2019, current + 1))
    plan = TrainingPlan.objects.get(year=current)
    assert plan.status == "approved" and plan.approved_on <= today
    assert plan.survey.year == current and plan.survey.status == SurveyStatus.CLOSED
    assert plan.entries.filter(course__isnull=False, theme__isnull=False).exists()
    # Next year's analysis is the one open, due in the future.
    [open_survey] = NeedsSurvey.objects.filter(status=SurveyStatus.OPEN)
    assert open_survey.year == current + 1 and open_survey.closes_on > today


@pytest.mark.parametrize(
    ("today", "years", "open_year"),
    [
        # 9 December 2026 is in 2026 to 2027; 31 March 2028 is the last day of 2027 to 2028.
        (at(2026, 12, 9), range(2019, 2027), 2027),
        (at(2028, 3, 31), range(2019, 2028), 2028),
        # 1 April 2030 starts 2030 to 2031: approved that day, not on a 24 April to come.
        (at(2030, 4, 1), range(2019, 2031), 2031),
    ],
    ids=["December 2026", "the last day of a plan year", "the first day of a plan year"],
)
def test_training_plans_run_up_to_the_plan_year_the_demo_is_loaded_in(
    personas, today, years, open_year
):
    with time_machine.travel(today, tick=False):
        demo.build(knowsley.build_directory(), personas)
    assert sorted(TrainingPlan.objects.values_list("year", flat=True)) == list(years)
    assert TrainingPlan.objects.get(year=years[-1]).approved_on <= today.date()
    assert list(NeedsSurvey.objects.filter(status="open").values_list("year", flat=True)) == [
        open_year
    ]


def test_the_training_officer_is_the_governance_demos_rachel_ince(personas):
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    demo.build(organisations, personas)
    officers = (
        {
            trainer.full_name
            for trainer in Trainer.objects.filter(job_title__icontains="training officer")
        }
        | {
            person.full_name
            for person in Person.objects.filter(job_title__icontains="training officer")
        }
        | {
            m.person.full_name
            for m in Membership.objects.filter(title__icontains="training officer")
        }
    )
    assert officers == {"Rachel Ince"}
    [person] = Person.objects.filter(full_name="Rachel Ince")
    trainer = Trainer.objects.get(full_name="Rachel Ince")
    assert str(trainer) == "Rachel Ince (KSCP Training Officer)"
    assert trainer.email == person.email and trainer.organisation == person.organisation
    assert trainer.sessions.exists()
    assert not Trainer.objects.filter(full_name__icontains="Doyle").exists()
