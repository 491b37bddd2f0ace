"""The governance demo: a year of Knowsley's meetings that shows every feature."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.db.models import Sum
from django.utils import timezone

from partnership.demo import knowsley
from partnership.demo.personas import build_personas
from partnership.governance import demo
from partnership.governance.attendance import group_attendance
from partnership.governance.models import (
    Action,
    AttendanceLetter,
    FundingContribution,
    Group,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Paper,
)
from partnership.lib.clocks import add_months
from partnership.lib.working_days import is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def build():
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    users = build_personas(organisations)
    demo.build(organisations, users)
    return organisations, users


@pytest.fixture
def loaded():
    return build()


def test_exactly_one_member_is_below_75_percent_and_gets_a_letter(loaded):
    flagged = []
    for group in Group.objects.all():
        attendance = group_attendance(group)
        flagged += [(group.slug, tally.name) for tally in attendance.flagged_members]
    assert flagged == [("review-and-learning-group", "Lisa Moran")]
    letter = AttendanceLetter.objects.get()
    assert (letter.person.full_name, letter.chief_officer.full_name) == (
        "Lisa Moran",
        "Colin Baines",
    )
    assert (letter.meetings_attended, letter.meetings_expected) == (3, 6)


def test_a_year_of_meetings_with_minutes_actions_and_papers(loaded):
    forum = Group.objects.get(slug="strategic-forum")
    held = Meeting.objects.filter(group=forum, status=MeetingStatus.HELD)
    assert held.count() == 3
    # Each Forum meeting is themed, the themes taking the priorities in turn.
    themes = list(
        Meeting.objects.filter(group=forum).order_by("starts_at").values_list("priority__slug")
    )
    assert len(set(themes)) == len(themes) == 4
    # The last held meeting of each group has draft minutes; the ones before are approved.
    for group in Group.objects.all():
        statuses = list(
            Meeting.objects.filter(group=group, status=MeetingStatus.HELD)
            .order_by("starts_at")
            .values_list("minutes_status", flat=True)
        )
        assert statuses[-1] == MinutesStatus.DRAFT
        assert set(statuses[:-1]) <= {MinutesStatus.APPROVED}
    assert Action.objects.overdue().exists()
    assert Paper.objects.filter(restricted=True).count() == 1
    assert Group.objects.get(slug="policy-and-performance-group").cadence_problem
    assert not Group.objects.get(slug="core-business-group").cadence_problem


def test_the_funding_is_the_seeds_0_268m_in_2018_19(loaded):
    total = FundingContribution.objects.filter(financial_year="2018/19").aggregate(
        total=Sum("agreed_amount")
    )["total"]
    assert total == Decimal("268000.00")


def test_building_the_demo_twice_adds_nothing(loaded):
    organisations, users = loaded
    counts = (Meeting.objects.count(), Action.objects.count(), FundingContribution.objects.count())
    demo.build(organisations, users)
    assert (
        Meeting.objects.count(),
        Action.objects.count(),
        FundingContribution.objects.count(),
    ) == counts


# The demo obeys its own rules, whatever today is ------------------------------------------


def assert_meetings_on_working_days():
    days = [meeting.local_date for meeting in Meeting.objects.all()]
    assert days and [day for day in days if not is_working_day(day)] == []


def test_every_meeting_is_on_a_working_day(loaded):
    assert_meetings_on_working_days()


@time_machine.travel(dt.datetime(2027, 1, 6, 12, tzinfo=dt.UTC), tick=False)
def test_a_meeting_due_on_christmas_day_moves_to_the_next_working_day():
    """On Wednesday 6 January 2027 the Core Business Group last met 12 days ago: Friday 25
    December 2026, Christmas Day. Saturday 26 and Sunday 27 follow, and Monday 28 December is
    the bank holiday for Boxing Day (a Saturday), so the meeting is on Tuesday 29 December."""
    build()
    assert_meetings_on_working_days()
    core = Meeting.objects.filter(group__slug="core-business-group", status=MeetingStatus.HELD)
    assert core.latest("starts_at").local_date == dt.date(2026, 12, 29)


def test_the_bimonthly_groups_meet_within_two_calendar_months(loaded):
    for slug in ("core-business-group", "review-and-learning-group"):
        group = Group.objects.get(slug=slug)
        assert group.cadence == "At least every 2 months"
        days = [m.local_date for m in Meeting.objects.not_cancelled().filter(group=group)]
        late = [(a, b) for a, b in zip(days, days[1:], strict=False) if b > add_months(a, 2)]
        assert late == []
        assert group.cadence_problem == ""
    # The one flagged has no next meeting.
    policy = Group.objects.get(slug="policy-and-performance-group")
    assert policy.cadence == "At least every 2 months"
    assert policy.cadence_problem.startswith("No meeting is scheduled after")


def test_every_forum_meeting_has_its_theme(loaded, client_as):
    forum = Meeting.objects.filter(group__slug="strategic-forum").select_related("group")
    assert forum.count() == 4 and not [m for m in forum if m.theme_missing]
    page = client_as("business_unit").get("/groups/strategic-forum/").content.decode()
    assert "No theme" not in page
    assert "Meetings a year: the Strategic Forum meets 3 times a year" in page


def test_the_funding_runs_from_2018_19_to_the_current_financial_year(loaded):
    today = timezone.localdate()
    # The financial year starts on 1 April.
    first_year = today.year if today.month >= 4 else today.year - 1
    expected = [f"{year}/{(year + 1) % 100:02d}" for year in range(2018, first_year + 1)]
    years = sorted(set(FundingContribution.objects.values_list("financial_year", flat=True)))
    assert years == expected
    for year in years:
        total = FundingContribution.objects.filter(financial_year=year).aggregate(
            total=Sum("agreed_amount")
        )["total"]
        assert total == Decimal("268000.00"), year
    # Nothing was received after today.
    assert not FundingContribution.objects.filter(received_on__gt=today).exists()


def test_meetings_already_held_show_their_agenda_pack_as_sent(loaded, client_as):
    client = client_as("business_unit")
    held = list(Meeting.objects.filter(status=MeetingStatus.HELD))
    assert len(held) == 3 + 6 + 6 + 6
    for meeting in held:
        assert meeting.pack_sent_at is not None, meeting
        sent_on = timezone.localtime(meeting.pack_sent_at).date()
        assert working_days_between(sent_on, meeting.local_date) == 5
        page = client.get(meeting.get_absolute_url()).content.decode()
        # "Sent to members on …", or with the outbox's record of the send (the demo's last
        # Review and Learning Group pack) "Sent to 9 members on …".
        assert re.search(r"Sent to (\d+ )?members? on", page) and "Not sent yet" not in page
    # The meetings still to come have not had theirs yet.
    upcoming = Meeting.objects.filter(status=MeetingStatus.SCHEDULED)
    assert upcoming.exists() and not upcoming.filter(pack_sent_at__isnull=False).exists()
