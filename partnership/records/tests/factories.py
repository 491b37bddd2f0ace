"""Records for the records tests, made directly with each module's factories."""

import datetime as dt

from django.utils import timezone

from partnership.training.models import Attendance, BookingStatus, Evaluation, OutcomesMet
from partnership.training.tests.factories import BookingFactory, SessionFactory


def at(year, month, day, hour=10) -> dt.datetime:
    """A moment in the partnership's local time (Europe/London)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def session_on(year, month, day, **fields):
    return SessionFactory(starts_at=at(year, month, day), **fields)


def booking_on(session, name="Sam Taylor", email="sam.taylor@school.example.org", **fields):
    fields.setdefault("status", BookingStatus.CONFIRMED)
    fields.setdefault("attendance", Attendance.ATTENDED)
    return BookingFactory(session=session, full_name=name, email=email, **fields)


def evaluate(booking, words="The case studies were the most useful part"):
    return Evaluation.objects.create(
        booking=booking,
        overall=5,
        trainer=4,
        outcomes_met=OutcomesMet.FULLY,
        confidence_before=2,
        confidence_after=4,
        most_useful=words,
    )
