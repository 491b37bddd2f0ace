"""Your work and My actions: what a person sees, in what order, and what it costs."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partnership.directory.models import Organisation
from partnership.governance.models import ActionStatus
from partnership.governance.tests.factories import ActionFactory, GroupFactory, MeetingFactory
from partnership.performance.models import DataReturn, Frequency, ReportingPeriod, ReturnStatus
from partnership.trail.actors import Actor
from partnership.training.models import Attendance
from partnership.training.tests.factories import BookingFactory, SessionFactory

pytestmark = pytest.mark.django_db

# A Thursday; every date below is worked from it by hand.
TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def _pinned():
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 3, 9, 0)), tick=False):
        yield


def _actions(person, count, *, first_due: dt.date, status=ActionStatus.OPEN, label="Action"):
    meeting = MeetingFactory(group=GroupFactory())
    return [
        ActionFactory(
            raised_at=meeting,
            owner=person,
            description=f"{label} {n} for {person.full_name}",
            due_on=first_due + dt.timedelta(days=n),
            status=status,
        )
        for n in range(count)
    ]


def test_signing_in_lands_on_your_work(client, personas):
    from partnership.demo.personas import DEMO_PASSWORD

    response = client.post(
        "/account/sign-in/",
        {"email": personas["practitioner"].email, "password": DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/work/"


def test_empty_state_says_so(client_as):
    response = client_as("outsider").get("/work/")
    assert response.status_code == 200
    assert "Nothing is waiting for you today." in response.content.decode()


def test_most_urgent_first_with_counts_and_due_dates(client_as, personas):
    priya = personas["partner_lead"].person
    # Due 1 Dec (overdue), 20 Dec, and a completed one that must not appear.
    [later] = _actions(priya, 1, first_due=dt.date(2026, 12, 20), label="Later")
    [overdue] = _actions(priya, 1, first_due=dt.date(2026, 12, 1), label="Overdue")
    _actions(priya, 1, first_due=dt.date(2026, 11, 1), status=ActionStatus.COMPLETED, label="Done")
    page = client_as("partner_lead").get("/work/").content.decode()
    assert "2 things waiting for you, <strong>1 overdue</strong>" in page
    assert page.index(overdue.description) < page.index(later.description)
    assert "Due 1 December 2026" in page and "Due 20 December 2026" in page
    assert "Overdue" in page
    assert "Done 0 for Priya Lewis" not in page
    # The counts: one kind, two items.
    assert "Your actions" in page
    assert page.count("Due ") == 2


def test_others_actions_and_records_out_of_scope_never_appear(client_as, personas):
    gareth = personas["group_member"].person
    _actions(gareth, 2, first_due=dt.date(2026, 12, 10))
    page = client_as("partner_lead").get("/work/").content.decode()
    assert "Gareth Morris" not in page
    assert "Nothing is waiting for you today." in page


def _bulk(personas, count, *, offset=0):
    """`count` items of each kind the partner lead can be given cheaply: actions she owns,
    her organisation's outstanding returns, and training bookings and evaluations."""
    priya = personas["partner_lead"]
    _actions(priya.person, count, first_due=dt.date(2026, 12, 10), label=f"Bulk{offset}")
    police = Organisation.objects.get(name="Merseyside Police")
    start = dt.date(2000, 1, 1)
    for n in range(offset, offset + count):
        month = dt.date(start.year + n // 12, n % 12 + 1, 1)
        period, _ = ReportingPeriod.get_or_create_for(Frequency.MONTHLY, month, 10)
        DataReturn.objects.create(organisation=police, period=period, status=ReturnStatus.LATE)
    for n in range(offset, offset + count):
        BookingFactory(session=SessionFactory(), user=priya, email=f"priya{n}@example.org")
        past = SessionFactory(
            starts_at=timezone.make_aware(dt.datetime(2026, 11, 20, 9)) - dt.timedelta(hours=n),
            ends_at=timezone.make_aware(dt.datetime(2026, 11, 20, 12)) - dt.timedelta(hours=n),
        )
        BookingFactory(
            session=past,
            user=priya,
            email=f"priya.past{n}@example.org",
            attendance=Attendance.ATTENDED,
        )


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/work/", "/work/actions/", "/work/actions/?status=all"])
def test_queries_do_not_grow_with_the_items(client_as, personas, url):
    client = client_as("partner_lead")
    _bulk(personas, 3)
    few = _queries(client, url)
    _bulk(personas, 27, offset=3)  # 30 of each kind now
    page = client.get("/work/").content.decode()
    # 30 actions, 30 returns, 30 bookings and 30 evaluations: 120 things.
    assert "120 things waiting for you" in page
    assert _queries(client, url) == few


def test_my_actions_filters(client_as, personas):
    priya = personas["partner_lead"].person
    _actions(priya, 2, first_due=dt.date(2026, 11, 30))  # overdue: 30 Nov, 1 Dec
    _actions(priya, 1, first_due=dt.date(2027, 1, 15))
    _actions(priya, 1, first_due=dt.date(2026, 10, 1), status=ActionStatus.COMPLETED)
    client = client_as("partner_lead")

    def shown(query):
        page = client.get("/work/actions/" + query).content.decode()
        return (
            page.split('<h2 class="govuk-heading-s">')[1].split(" action")[0]
            if "No actions match" not in page
            else "0"
        )

    # By hand: 3 open (2 overdue + 1 in January), 1 done, 4 in all; due before 1 Jan 2027: 2 open.
    assert shown("") == "3"
    assert shown("?status=overdue") == "2"
    assert shown("?status=done") == "1"
    assert shown("?status=all") == "4"
    assert shown("?status=open&due_before_day=1&due_before_month=1&due_before_year=2027") == "2"
    assert shown("?module=plans") == "0"
    assert shown("?module=governance") == "3"


def test_my_actions_paginates(client_as, personas):
    _actions(personas["partner_lead"].person, 55, first_due=dt.date(2027, 1, 1))
    client = client_as("partner_lead")
    first = client.get("/work/actions/").content.decode()
    second = client.get("/work/actions/?page=2").content.decode()
    assert "55 actions" in first
    # 50 a page (partnership.web.pagination.PAGE_SIZE): actions 0-49, then 50-54.
    assert "Action 49 for" in first and "Action 50 for" not in first
    assert "Action 54 for" in second and "Action 49 for" not in second


def test_choosing_a_daily_digest_is_recorded(client_as, personas):
    from partnership.trail.models import AuditEntry
    from partnership.work.models import WorkPreference

    client = client_as("group_member")
    response = client.post("/work/email/", {"email": "daily"})
    assert response.status_code == 302
    assert WorkPreference.objects.get(user=personas["group_member"]).email == "daily"
    assert AuditEntry.objects.filter(summary__contains="One email a day").exists()


def test_a_member_whose_group_meets_soon_is_asked_to_declare_until_they_do(client_as, personas):
    from partnership.governance import services as governance
    from partnership.governance.models import Group, MeetingStatus
    from partnership.governance.tests.factories import at

    gareth = personas["group_member"]
    rlg = Group.objects.get(slug="review-and-learning-group")
    # Monday 14 December 2026: 11 days on, within the 28.
    MeetingFactory(group=rlg, starts_at=at(2026, 12, 14), status=MeetingStatus.SCHEDULED)
    page = client_as("group_member").get("/work/").content.decode()
    assert "Bring your register of interests up to date" in page
    assert "Due 14 December 2026" in page
    # The chair does not sit on that group: not asked.
    assert (
        "register of interests" not in client_as("independent_chair").get("/work/").content.decode()
    )
    governance.interest_declare(
        person=gareth.person,
        kind="professional",
        interest="Trustee of a children's charity",
        declared_on=TODAY,
        actor=Actor.for_user(gareth),
    )
    assert "register of interests" not in client_as("group_member").get("/work/").content.decode()


def test_the_next_meetings_papers_are_listed_once_there_are_some(client_as, personas):
    from django.core.files.base import ContentFile

    from partnership.governance.models import AgendaItem, Group, MeetingStatus, Paper
    from partnership.governance.tests.factories import at

    rlg = Group.objects.get(slug="review-and-learning-group")
    meeting = MeetingFactory(group=rlg, starts_at=at(2027, 1, 11), status=MeetingStatus.SCHEDULED)
    later = MeetingFactory(group=rlg, starts_at=at(2027, 3, 1), status=MeetingStatus.SCHEDULED)
    assert "Read the papers" not in client_as("group_member").get("/work/").content.decode()
    for number, target in enumerate([meeting, meeting, later], start=1):
        item = AgendaItem.objects.create(meeting=target, position=number, title=f"Item {number}")
        Paper.objects.create(
            meeting=target,
            item=item,
            title=f"Paper {number}",
            file=ContentFile(b"%PDF-1.4", name="paper.pdf"),
            file_name="paper.pdf",
            file_type="pdf",
            size_bytes=8,
            restricted=number == 2,
        )
    page = client_as("group_member").get("/work/").content.decode()
    # Only the next meeting (11 January), with its two papers (one restricted: he is a member).
    assert page.count("Read the papers for") == 1
    assert "Read the papers for Safeguarding Review and Learning Group, 11 January 2027" in page
    assert "2 papers" in page
