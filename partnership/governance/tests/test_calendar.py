"""The private calendar feed: no session needed, nothing shown without the right token."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from partnership.accounts.models import User
from partnership.governance import services
from partnership.governance.models import Group
from partnership.governance.tests.factories import SETUP

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(personas):
    made = {}
    for slug in ("review-and-learning-group", "policy-and-performance-group"):
        starts_at = (timezone.now() + dt.timedelta(days=10)).replace(microsecond=0)
        made[slug] = services.meeting_schedule(
            group=Group.objects.get(slug=slug),
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Huyton",
            actor=SETUP,
        )
    return made


def feed_address(client) -> str:
    page = client.post("/groups/calendar/").content.decode()
    match = re.search(r'value="(http://testserver/groups/calendar/[^"]+\.ics)"', page)
    assert match, "the address is not shown"
    return match.group(1).removeprefix("http://testserver")


def test_the_feed_needs_no_session_and_holds_the_users_groups_meetings(client_as, meetings):
    address = feed_address(client_as("group_member"))
    response = Client().get(address)  # a calendar app: no cookies at all
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    # Gareth sits on the Review and Learning Group, not the Policy and Performance Group.
    assert [str(event["summary"]) for event in events] == [
        meetings["review-and-learning-group"].title
    ]
    event = events[0]
    assert event.decoded("dtstart") == meetings["review-and-learning-group"].starts_at
    assert str(event["url"]).endswith(meetings["review-and-learning-group"].get_absolute_url())


def test_the_token_is_kept_only_as_a_hash_and_a_new_one_stops_the_old(
    client_as, meetings, personas
):
    client = client_as("group_member")
    first = feed_address(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    stored = User.objects.get(pk=personas["group_member"].pk).calendar_token
    assert stored and token not in stored and stored == services.calendar_token_hash(token)
    second = feed_address(client)
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    client.post("/groups/calendar/", {"stop": "1"})
    assert Client().get(second).status_code == 404


@pytest.mark.parametrize(
    "token", ["", "x", "not-a-real-token", "A" * 43, "a" * 500, "%00", "..%2F..%2Fetc"]
)
def test_a_wrong_token_reveals_nothing(meetings, token):
    response = Client().get(f"/groups/calendar/{token}.ics")
    assert response.status_code == 404
    assert b"VCALENDAR" not in response.content


def test_a_deactivated_or_demoted_user_loses_the_feed(client_as, meetings, personas):
    address = feed_address(client_as("group_member"))
    user = personas["group_member"]
    user.role_grants.all().delete()
    assert Client().get(address).status_code == 404
    user.role_grants.create(role="group_member")
    assert Client().get(address).status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().get(address).status_code == 404


def test_the_calendar_page_is_for_partnership_staff(client_as, meetings):
    assert client_as("practitioner").post("/groups/calendar/").status_code == 403
    assert not User.objects.exclude(calendar_token="").exists()
