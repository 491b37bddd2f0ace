"""Pages cost the same number of queries on the demo and on much more data (scale data)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.demo import knowsley
from partnership.demo import scale as demo_scale
from partnership.directory.models import Person
from partnership.governance import demo, services
from partnership.governance.models import (
    Action,
    Attendance,
    AttendanceStatus,
    Group,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesStatus,
)
from partnership.governance.tests.factories import SETUP

pytestmark = pytest.mark.django_db


def pages(personas):
    rlg = Group.objects.get(slug="review-and-learning-group")
    meeting = Meeting.objects.filter(group=rlg, status=MeetingStatus.HELD).latest("starts_at")
    lisa = Person.objects.get(full_name="Lisa Moran")
    Group.objects.filter(pk=rlg.pk).update(publish_minutes=True)
    return [
        f"/groups/meetings/{meeting.pk}/agenda/",
        "/groups/published-minutes/",
        "/groups/review-and-learning-group/",
        "/groups/review-and-learning-group/attendance/",
        "/groups/review-and-learning-group/attendance/report/",
        "/groups/meetings/",
        "/groups/meetings/?when=past",
        f"/groups/meetings/{meeting.pk}/",
        f"/groups/meetings/{meeting.pk}/minutes/",
        "/groups/actions/",
        "/groups/actions/?show=all&group=review-and-learning-group",
        "/groups/actions/?show=overdue&organisation=youth-offending-service",
        f"/groups/members/{lisa.pk}/",
        "/groups/interests/",
        "/groups/funding/",
        "/groups/letters/",
    ]


def count_queries(client, urls) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # warm: the session and permissions are read the same way each time
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries)
    return counts


def grow(rng):
    """Much more of everything: the scale partnership, and a long history for one group."""
    demo_scale.generate(0.05, rng)  # includes scale_meetings
    rlg = Group.objects.get(slug="review-and-learning-group")
    people = list(Person.objects.filter(organisation__slug__startswith="scale-")[:30])
    Membership.objects.bulk_create(
        Membership(
            group=rlg,
            person=person,
            organisation=person.organisation,
            started_on=dt.date(2019, 1, 1),
        )
        for person in people
    )
    seats = list(Membership.objects.current().filter(group=rlg))
    now = timezone.now()
    for n in range(1, 13):
        starts_at = now - dt.timedelta(days=7 * n + 3)
        meeting = Meeting.objects.create(
            group=rlg,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Extra",
            status=MeetingStatus.HELD,
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                person_id=seat.person_id,
                organisation_id=seat.organisation_id,
                membership=seat,
                status=rng.choice(list(AttendanceStatus)),
            )
            for seat in seats
        )
    last = Meeting.objects.filter(group=rlg, status=MeetingStatus.HELD).latest("starts_at")
    for n in range(150):
        services.action_create(
            meeting=last,
            description=f"Extra action {n}",
            owner=rng.choice(seats).person,
            due_on=timezone.localdate() - dt.timedelta(days=n % 40),
            actor=SETUP,
        )


@pytest.mark.parametrize("persona", ["business_unit", "partner_lead"])
def test_governance_pages_cost_the_same_queries_on_scale_data(client_as, personas, persona):
    demo.build(knowsley.build_directory(), personas)
    # The filters below match something on the small data too, so both runs take one path.
    lisa = Person.objects.get(full_name="Lisa Moran")
    services.action_create(
        meeting=Meeting.objects.get(
            group__slug="review-and-learning-group", minutes_status=MinutesStatus.DRAFT
        ),
        description="Report on the youth justice plan",
        owner=lisa,
        due_on=timezone.localdate() - dt.timedelta(days=30),
        actor=SETUP,
    )
    client = client_as(persona)
    urls = [
        url
        for url in pages(personas)
        if persona == "business_unit"
        or not (url.startswith(("/groups/funding", "/groups/letters")) or url.endswith("/agenda/"))
    ]
    small = count_queries(client, urls)
    actions_before = Action.objects.count()
    grow(random.Random(7))
    assert Action.objects.count() > actions_before + 300
    large = count_queries(client, urls)
    assert large == small
