"""Factories for the training tests: courses, sessions and bookings."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partnership.trail.actors import Actor
from partnership.training.models import (
    Booking,
    BookingSource,
    BookingStatus,
    Course,
    CourseType,
    Level,
    Session,
    Trainer,
)

# Who acts in service calls where the test has no person in mind (the trail names it).
TEST_ACTOR = Actor.system("training tests")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    """A moment in the partnership's local time (Europe/London)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class CourseFactory(DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Safeguarding course {n}")
    slug = factory.Sequence(lambda n: f"safeguarding-course-{n}")
    course_type = CourseType.WORKSHOP
    level = Level.WORKING_TOGETHER
    audience = "Practitioners and volunteers"
    summary = "What every practitioner needs to know."
    learning_outcomes = "Recognise the signs\nKnow who to tell"


class TrainerFactory(DjangoModelFactory):
    class Meta:
        model = Trainer

    full_name = factory.Sequence(lambda n: f"Trainer {n}")
    job_title = "Safeguarding Trainer"


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=3))
    venue = "Huyton Hub, Civic Way"
    capacity = 30


class BookingFactory(DjangoModelFactory):
    """A booking written directly (no place taken): use `book` for the real thing."""

    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    full_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    status = BookingStatus.CONFIRMED
    source = BookingSource.PORTAL


def book(session, name: str, **fields):
    """Book through the service, as the portal does; returns the booking."""
    from partnership.training import services

    email = fields.pop("email", None) or name.lower().replace(" ", ".") + "@example.org"
    return services.booking_create(
        session_id=session.pk,
        full_name=name,
        email=email,
        source=fields.pop("source", BookingSource.PORTAL),
        actor=fields.pop("actor", TEST_ACTOR),
        **fields,
    ).booking


def subjects(outbox) -> list[str]:
    return [message.subject for message in outbox]
