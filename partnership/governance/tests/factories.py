"""Factories for the governance tests: a group, its members, meetings and registers."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from partnership.directory.models import Organisation, OrganisationKind, Person
from partnership.governance.models import (
    Action,
    Attendance,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipRole,
)
from partnership.trail.actors import Actor

# Who a test's arranging of records is done by, where the person does not matter.
SETUP = Actor.system("test setup")


def at(year, month, day, hour=10, minute=0) -> dt.datetime:
    """A moment in the partnership's local time (Europe/London)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-")[:80])
    kind = OrganisationKind.RELEVANT_AGENCY


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Member {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.LazyAttribute(lambda p: p.full_name.lower().replace(" ", ".") + "@example.org")


class GroupFactory(DjangoModelFactory):
    class Meta:
        model = Group

    name = factory.Sequence(lambda n: f"Test Group {n}")
    slug = factory.Sequence(lambda n: f"test-group-{n}")
    purpose = "A group for tests."
    effectiveness_areas = "Performance\nPolicy"
    max_weeks_between_meetings = 9


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda m: m.person.organisation)
    role = MembershipRole.MEMBER
    started_on = dt.date(2018, 1, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    starts_at = factory.LazyFunction(lambda: at(2020, 3, 2))
    ends_at = factory.LazyAttribute(lambda m: m.starts_at + dt.timedelta(hours=2))
    location = "Huyton Municipal Buildings"
    status = MeetingStatus.HELD


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    person = factory.SubFactory(PersonFactory)
    organisation = factory.LazyAttribute(lambda a: a.person.organisation)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    raised_at = factory.SubFactory(MeetingFactory)
    group = factory.LazyAttribute(lambda a: a.raised_at.group)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"Action number {n}")
    owner = factory.SubFactory(PersonFactory)
    owner_organisation = factory.LazyAttribute(lambda a: a.owner.organisation)
    due_on = dt.date(2020, 4, 1)
