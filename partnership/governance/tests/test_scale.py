"""Scale data for governance: made in bulk for the scale groups, and removed again."""

import random

import pytest

from partnership.demo import scale as demo_scale
from partnership.governance.models import (
    Action,
    Attendance,
    FundingContribution,
    Group,
    Meeting,
    MeetingStatus,
)
from partnership.governance.scale import reset_meetings, scale_meetings

pytestmark = pytest.mark.django_db


def test_scale_meetings_makes_a_year_of_business_for_the_scale_groups():
    rng = random.Random(2019)
    counts = demo_scale.generate(0.05, rng)  # generate calls scale_meetings
    assert counts["actions"] == Action.objects.count() == 250  # 5,000 at scale 1
    groups = Group.objects.filter(slug__startswith="scale-")
    # Monthly, or as often a year as the group's terms say, for a year and two months ahead.
    expected = sum((group.meetings_per_year or 12) for group in groups)
    assert expected <= counts["meetings"] == Meeting.objects.count() <= expected + 3 * len(groups)
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.exists() and Meeting.objects.filter(status=MeetingStatus.SCHEDULED).exists()
    assert counts["attendance rows"] == Attendance.objects.count() >= held.count() * 5
    assert counts["funding contributions"] == FundingContribution.objects.count() > 0
    # Every action belongs to a held meeting of its own group.
    assert not Action.objects.exclude(raised_at__status=MeetingStatus.HELD).exists()
    assert all(
        a.group_id == a.raised_at.group_id for a in Action.objects.select_related("raised_at")
    )


def test_scale_meetings_without_scale_groups_makes_nothing():
    assert scale_meetings(1, random.Random(1)) == {}


def test_reset_removes_the_governance_rows_so_the_scale_data_can_go():
    rng = random.Random(3)
    demo_scale.generate(0.05, rng)
    deleted = reset_meetings()
    assert deleted["governance.Action"] == 250
    assert not Meeting.objects.exists() and not FundingContribution.objects.exists()
