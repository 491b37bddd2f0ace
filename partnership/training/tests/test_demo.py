"""The Knowsley demo's training: what the seeds describe, and safe to load twice."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.demo import knowsley
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
    TrainingPlan,
)

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
    assert {plan.year for plan in TrainingPlan.objects.all()} == {2019, 2020}
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
