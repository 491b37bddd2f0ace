"""The governance demo: a year of Knowsley's meetings that shows every feature."""

from decimal import Decimal

import pytest
from django.db.models import Sum

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

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    users = build_personas(organisations)
    demo.build(organisations, users)
    return organisations, users


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
