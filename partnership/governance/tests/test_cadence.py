"""How often groups meet: "at least every two months" in calendar months, and the Strategic
Forum's "three times per year" counted by financial year and over the last 12 months.

Every expected date and count below is worked out by hand from a calendar.
"""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps

from partnership.governance import services
from partnership.governance.models import Group, MeetingStatus

from .factories import SETUP, GroupFactory, MeetingFactory, at

pytestmark = pytest.mark.django_db

every_two_months = importlib.import_module(
    "partnership.governance.migrations.0004_cadence_in_months_and_deputy_limit"
).every_two_months


def problem(group, days, today):
    meetings = [
        MeetingFactory.build(group=group, starts_at=at(d.year, d.month, d.day)) for d in days
    ]
    return services.cadence_problem(group, meetings, today)


def bimonthly():
    return GroupFactory.build(max_weeks_between_meetings=None, max_months_between_meetings=2)


# At least every two months ------------------------------------------------------------------


def test_after_31_august_the_next_meeting_is_due_by_31_october():
    group = bimonthly()
    assert group.cadence == "At least every 2 months"
    # 31 August + 2 months = 31 October (October has 31 days).
    assert group.next_meeting_due(dt.date(2020, 8, 31)) == dt.date(2020, 10, 31)
    assert problem(group, [dt.date(2020, 8, 31)], dt.date(2020, 9, 1)) == (
        "No meeting is scheduled after 31 August 2020: the next must be by 31 October 2020 "
        "(at least every 2 months)."
    )
    # Meeting on 31 October is in time; on Monday 2 November it is late.
    assert problem(group, [dt.date(2020, 8, 31), dt.date(2020, 10, 31)], dt.date(2020, 9, 1)) == ""
    assert problem(group, [dt.date(2020, 8, 31), dt.date(2020, 11, 2)], dt.date(2020, 9, 1)) == (
        "The meeting on 2 November 2020 is more than 2 months after the one on 31 August 2020 "
        "(the next was due by 31 October 2020): the group meets at least every 2 months."
    )


def test_after_31_december_the_next_meeting_is_due_by_the_end_of_february():
    group = bimonthly()
    # February 2021 has 28 days, so 2 months from 31 December 2020 is 28 February 2021; in the
    # leap year 2020 it is 29 February.
    assert group.next_meeting_due(dt.date(2020, 12, 31)) == dt.date(2021, 2, 28)
    assert group.next_meeting_due(dt.date(2019, 12, 31)) == dt.date(2020, 2, 29)
    # A meeting on Wednesday 3 March 2021 is 62 days after 31 December 2020: within the old
    # nine weeks (63 days), but more than two calendar months.
    assert problem(group, [dt.date(2020, 12, 31), dt.date(2021, 3, 3)], dt.date(2021, 1, 4)) == (
        "The meeting on 3 March 2021 is more than 2 months after the one on 31 December 2020 "
        "(the next was due by 28 February 2021): the group meets at least every 2 months."
    )
    nine_weeks = GroupFactory.build(max_weeks_between_meetings=9)
    assert (
        problem(nine_weeks, [dt.date(2020, 12, 31), dt.date(2021, 3, 3)], dt.date(2021, 1, 4)) == ""
    )
    # Nothing since: on 1 March 2021 the meeting due by 28 February is missing.
    assert problem(group, [dt.date(2020, 12, 31)], dt.date(2021, 3, 1)) == (
        "No meeting since 31 December 2020: one was due by 28 February 2021 "
        "(at least every 2 months)."
    )


def test_the_migration_moves_the_demos_bimonthly_groups_to_two_months(personas):
    # A database from before the change: the bimonthly groups on 9 weeks. Another group on 9
    # weeks and a bimonthly group set by hand to 6 weeks are left alone.
    Group.objects.filter(slug__in=["core-business-group", "review-and-learning-group"]).update(
        max_weeks_between_meetings=9, max_months_between_meetings=None
    )
    Group.objects.filter(slug="policy-and-performance-group").update(
        max_months_between_meetings=None
    )
    other = GroupFactory(slug="missing-from-home", max_weeks_between_meetings=9)
    Group.objects.filter(slug="policy-and-performance-group").update(max_weeks_between_meetings=6)
    every_two_months(apps, None)
    settings = dict(Group.objects.values_list("slug", "max_months_between_meetings"))
    assert settings["core-business-group"] == 2
    assert settings["review-and-learning-group"] == 2
    assert settings["policy-and-performance-group"] is None
    other.refresh_from_db()
    assert (other.max_weeks_between_meetings, other.max_months_between_meetings) == (9, None)
    core = Group.objects.get(slug="core-business-group")
    assert (core.max_weeks_between_meetings, core.cadence) == (None, "At least every 2 months")


@time_machine.travel(dt.datetime(2020, 9, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_business_unit_sets_a_gap_in_months_and_the_flag_follows(client_as, personas):
    from .test_group_settings import form_data
    from .test_meetings import error_summary

    Group.objects.filter(slug="core-business-group").update(
        max_weeks_between_meetings=9, max_months_between_meetings=None
    )
    group = Group.objects.get(slug="core-business-group")
    MeetingFactory(group=group, starts_at=at(2020, 8, 31))
    MeetingFactory(group=group, starts_at=at(2020, 11, 2), status=MeetingStatus.SCHEDULED)
    client = client_as("business_unit")
    # Both a gap in weeks and one in months: refused.
    both = form_data(group, max_months_between_meetings="2", deputy_limit="2")
    assert error_summary(client.post("/groups/core-business-group/change/", both)) == {
        "#id_max_months_between_meetings": "Give the longest gap between meetings in weeks or "
        "in months, not both"
    }
    months = {**both, "max_weeks_between_meetings": ""}
    assert client.post("/groups/core-business-group/change/", months).status_code == 302
    page = client.get("/groups/core-business-group/").content.decode()
    assert "At least every 2 months" in page
    # 2 November is more than 2 months after 31 August: flagged at once, not at the next sweep.
    assert "The meeting on 2 November 2020 is more than 2 months after the one on 31 August" in (
        page
    )


# Three times a year -------------------------------------------------------------------------

# Meetings of a group that meets 3 times a year (financial years run April to March):
# 2022/23: 10 May, 13 Sep, 17 Jan -> 3 (but the records begin on 10 May, after 1 April: the
#          year is shown, not judged);
# 2023/24: 6 Jun, 10 Oct -> 2, short;
# 2024/25 (today 1 November 2024): 7 May, 10 Sep met, 14 Jan scheduled -> in progress.
# The 12 months to 1 November 2024 run from 2 November 2023: 7 May and 10 Sep 2024 -> 2, short.
FORUM_DAYS = [
    dt.date(2022, 5, 10),
    dt.date(2022, 9, 13),
    dt.date(2023, 1, 17),
    dt.date(2023, 6, 6),
    dt.date(2023, 10, 10),
    dt.date(2024, 5, 7),
    dt.date(2024, 9, 10),
    dt.date(2025, 1, 14),
]
TODAY = dt.date(2024, 11, 1)


def three_a_year():
    return GroupFactory.build(max_weeks_between_meetings=None, meetings_per_year=3)


def test_a_year_and_the_last_12_months_with_fewer_than_three_meetings_are_flagged():
    # The gaps are within 18 weeks (10 September 2024 to 14 January 2025 is 126 days, the most
    # allowed), so only the counts are flagged.
    assert problem(three_a_year(), FORUM_DAYS, TODAY) == (
        "In 2023/24 the group met twice: it meets 3 times a year. "
        "In the 12 months to 1 November 2024 the group met twice: it meets 3 times a year."
    )
    # With a third meeting in 2023/24 (5 March 2024), also inside the 12 months, neither is
    # short.
    assert problem(three_a_year(), sorted([*FORUM_DAYS, dt.date(2024, 3, 5)]), TODAY) == ""


@time_machine.travel(dt.datetime(2024, 11, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_forums_meetings_are_counted_on_its_pages(client_as, personas):
    forum = Group.objects.get(slug="strategic-forum")
    assert forum.meetings_per_year == 3
    for day in FORUM_DAYS:
        status = MeetingStatus.HELD if day <= TODAY else MeetingStatus.SCHEDULED
        MeetingFactory(group=forum, starts_at=at(day.year, day.month, day.day), status=status)
    # A cancelled meeting does not count: 2023/24 stays at 2.
    MeetingFactory(group=forum, starts_at=at(2024, 2, 6), status=MeetingStatus.CANCELLED)
    services.group_check_cadence(group=forum, actor=SETUP)
    client = client_as("partner_lead")
    page = client.get("/groups/strategic-forum/").content.decode()
    assert "Meetings: In 2023/24 the group met twice: it meets 3 times a year." in page
    table = page.split("Meetings a year: the Strategic Forum meets 3 times a year")[1]
    table = table.split("</table>")[0]
    rows = table.split("<tr")[2:]
    # Newest first: 2024/25 (2 met, 1 still scheduled), 2023/24 (2, short), 2022/23 (3, the
    # year the records begin), then the last 12 months (2, short).
    assert "2024/25" in rows[0] and ">2<" in rows[0] and ">1<" in rows[0]
    assert "Year in progress" in rows[0]
    assert "2023/24" in rows[1] and ">2<" in rows[1] and "Fewer than 3" in rows[1]
    assert "2022/23" in rows[2] and ">3<" in rows[2] and "Records begin part-way" in rows[2]
    assert "2 November 2023 to 1 November 2024" in rows[3] and "Fewer than 3" in rows[3]
    attendance = client.get("/groups/strategic-forum/attendance/").content.decode()
    assert "Meetings a year: the Strategic Forum meets 3 times a year" in attendance
    report = client.get("/groups/strategic-forum/attendance/report/", {"year": "2023/24"})
    assert "The Strategic Forum met 2 times in 2023/24: it meets 3 times a year." in (
        report.content.decode()
    )
    report = client.get("/groups/strategic-forum/attendance/report/").content.decode()
    assert "In 2024/25 it met 2 times so far, with 1 more scheduled." in report
    # The list of groups not meeting often enough names it.
    listing = client_as("business_unit").get("/groups/cadence/").content.decode()
    assert "Strategic Forum" in listing and "In 2023/24 the group met twice" in listing
