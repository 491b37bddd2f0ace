"""Scheduling meetings to a group's cadence, with their agendas and themes."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnership.governance import services
from partnership.governance.models import (
    Group,
    ItemKind,
    Meeting,
    MeetingStatus,
    Priority,
)
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

from .factories import SETUP, GroupFactory, MeetingFactory, at

pytestmark = pytest.mark.django_db


def error_summary(response) -> dict[str, str]:
    """The GOV.UK error summary's links: {"#id_end_time": "The meeting must end ...", ...}."""
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "<title>Error:" in page
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', page, re.S)
    assert match, "no error summary on the page"
    return {
        anchor: html.unescape(text).strip()
        for anchor, text in re.findall(r'<a href="(#[\w-]+)">(.*?)</a>', match.group(1), re.S)
    }


@pytest.fixture
def priorities(personas):
    from partnership.directory.models import Organisation

    def lead(slug):
        return Organisation.objects.get(slug=slug)

    return [
        Priority.objects.create(
            name="Domestic abuse",
            slug="da",
            thematic_lead=lead("knowsley-council"),
            rotation_order=1,
        ),
        Priority.objects.create(
            name="Neglect", slug="neglect", thematic_lead=lead("knowsley-ccg"), rotation_order=2
        ),
        Priority.objects.create(
            name="Child exploitation",
            slug="ce",
            thematic_lead=lead("merseyside-police"),
            rotation_order=3,
        ),
        Priority.objects.create(
            name="Children's mental wellbeing",
            slug="mw",
            rotation_order=4,
            active_from=dt.date(2020, 4, 1),
        ),
    ]


@pytest.fixture
def forum(personas):
    Group.objects.filter(slug="strategic-forum").update(themed_meetings=True)
    return Group.objects.get(slug="strategic-forum")


def schedule(group, day, priority=None, actor=SETUP):
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    return services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        priority=priority,
        actor=actor,
    )


def test_a_meeting_starts_with_the_standard_agenda_and_the_thematic_report(
    forum, priorities, personas
):
    meeting = schedule(
        forum, dt.date(2019, 10, 8), priorities[1], Actor.for_user(personas["business_unit"])
    )
    items = list(meeting.items.order_by("position"))
    kinds = [item.kind for item in items]
    assert kinds[:4] == [
        ItemKind.OPENING,
        ItemKind.MINUTES,
        ItemKind.MATTERS_ARISING,
        ItemKind.THEMATIC_REPORT,
    ]
    assert items[3].title == "Thematic lead's report: Neglect"
    assert items[3].presenter == "Thematic lead (CCG)"
    # The group's areas of effectiveness are standing items, in order, then any other business.
    assert [item.title for item in items if item.kind == ItemKind.STANDING] == (
        forum.effectiveness_areas_list
    )
    assert kinds[-1] == ItemKind.ANY_OTHER_BUSINESS
    assert [item.position for item in items] == list(range(1, len(items) + 1))
    entry = AuditEntry.objects.filter(object_type="governance.meeting").get()
    assert entry.actor == personas["business_unit"]


def test_the_forums_themes_go_round_the_priorities_in_force(forum, priorities):
    assert services.next_priority(forum, on=dt.date(2019, 6, 1)) == priorities[0]
    schedule(forum, dt.date(2019, 6, 4), priorities[0])
    schedule(forum, dt.date(2019, 10, 8), services.next_priority(forum, on=dt.date(2019, 10, 1)))
    schedule(forum, dt.date(2020, 2, 4), services.next_priority(forum, on=dt.date(2020, 2, 1)))
    themes = list(Meeting.objects.order_by("starts_at").values_list("priority__name", flat=True))
    assert themes == ["Domestic abuse", "Neglect", "Child exploitation"]
    # Before April 2020 the rotation starts again; from then, mental wellbeing takes its turn.
    assert services.next_priority(forum, on=dt.date(2020, 3, 1)) == priorities[0]
    assert services.next_priority(forum, on=dt.date(2020, 6, 1)) == priorities[3]
    # Groups that are not themed get no theme.
    assert services.next_priority(Group.objects.get(slug="core-business-group")) is None


def test_scheduling_through_the_page(client_as, forum, priorities):
    client = client_as("business_unit")
    page = client.get("/groups/strategic-forum/meetings/new/")
    # The next theme is suggested.
    assert f'<option value="{priorities[0].pk}" selected>' in page.content.decode()
    response = client.post(
        "/groups/strategic-forum/meetings/new/",
        {
            "date_day": "8",
            "date_month": "10",
            "date_year": "2030",
            "start_time": "10:00",
            "end_time": "12:30",
            "location": "Kirkby Gallery",
            "priority": priorities[0].pk,
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    local = timezone.localtime(meeting.starts_at)
    assert (local.date(), local.hour, local.minute) == (dt.date(2030, 10, 8), 10, 0)
    assert timezone.localtime(meeting.ends_at).time() == dt.time(12, 30)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Thematic lead&#39;s report: Domestic abuse" in page


def test_a_meeting_that_ends_before_it_starts_is_refused_and_nothing_saved(client_as, personas):
    audit_entries = AuditEntry.objects.count()
    response = client_as("business_unit").post(
        "/groups/core-business-group/meetings/new/",
        {
            "date_day": "8",
            "date_month": "10",
            "date_year": "2030",
            "start_time": "14:00",
            "end_time": "13:00",
            "location": "Huyton",
        },
    )
    assert error_summary(response) == {"#id_end_time": "The meeting must end after it starts"}
    assert not Meeting.objects.exists()
    assert AuditEntry.objects.count() == audit_entries


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"start_time": "25:00"}, {"#id_start_time": "Enter a real start time"}),
        ({"start_time": "ten"}, {"#id_start_time": "Enter the start time like 09:30 or 14:00"}),
        ({"date_month": "13"}, {"#id_date_day": "The date must be a real date"}),
        ({"location": ""}, {"#id_location": "Enter where the meeting is"}),
    ],
)
def test_bad_meeting_details_get_clear_errors(client_as, personas, data, expected):
    valid = {
        "date_day": "8",
        "date_month": "10",
        "date_year": "2030",
        "start_time": "10:00",
        "end_time": "12:00",
        "location": "Huyton",
    }
    response = client_as("business_unit").post(
        "/groups/core-business-group/meetings/new/", {**valid, **data}
    )
    assert error_summary(response) == expected
    assert not Meeting.objects.exists()


def test_the_database_refuses_a_meeting_that_ends_before_it_starts(personas):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(
            group=Group.objects.get(slug="core-business-group"),
            starts_at=at(2020, 1, 1, 12),
            ends_at=at(2020, 1, 1, 11),
        )


def test_an_added_item_goes_before_any_other_business(personas):
    group = Group.objects.get(slug="core-business-group")
    meeting = schedule(group, dt.date(2030, 1, 7))
    count = meeting.items.count()
    item = services.agenda_item_add(
        meeting=meeting, title="Ofsted inspection feedback", presenter="Claire", actor=SETUP
    )
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert len(titles) == count + 1
    assert titles[-2:] == ["Ofsted inspection feedback", "Any other business"]
    assert item.position == count


def test_moving_a_meeting_updates_calendars_and_cancelling_keeps_it_on_record(client_as, personas):
    group = Group.objects.get(slug="core-business-group")
    meeting = schedule(group, dt.date(2030, 1, 7))
    client = client_as("business_unit")
    response = client.post(
        f"/groups/meetings/{meeting.pk}/change/",
        {
            "date_day": "9",
            "date_month": "1",
            "date_year": "2030",
            "start_time": "14:00",
            "end_time": "16:00",
            "location": "Kirkby",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.local_date, meeting.location, meeting.sequence) == (
        dt.date(2030, 1, 9),
        "Kirkby",
        1,
    )
    assert client.post(f"/groups/meetings/{meeting.pk}/cancel/").status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.CANCELLED, 2)
    assert client.get(f"/groups/meetings/{meeting.pk}/cancel/").status_code == 404


# Cadence ----------------------------------------------------------------------------------


def problem(group, days, today):
    meetings = [
        MeetingFactory.build(group=group, starts_at=at(d.year, d.month, d.day)) for d in days
    ]
    return services.cadence_problem(group, meetings, today)


def test_a_bimonthly_group_may_go_nine_weeks_between_meetings():
    group = GroupFactory.build(max_weeks_between_meetings=9)
    today = dt.date(2020, 3, 1)
    last = dt.date(2020, 2, 3)
    assert problem(group, [last, last + dt.timedelta(days=63)], today) == ""
    assert problem(group, [last, last + dt.timedelta(days=64)], today) == (
        "The meeting on 7 April 2020 is 9 weeks and 1 day after the one on 3 February 2020: "
        "the group meets at least every 9 weeks."
    )
    # Nothing scheduled after the last meeting: flagged with the date the next one is due by.
    assert problem(group, [last], today) == (
        "No meeting is scheduled after 3 February 2020: the next must be by 6 April 2020 "
        "(at least every 9 weeks)."
    )
    assert problem(group, [last], dt.date(2020, 4, 7)) == (
        "No meeting since 3 February 2020: one was due by 6 April 2020 (at least every 9 weeks)."
    )
    # A later gap in the scheduled meetings is caught too.
    assert "is 10 weeks after" in problem(
        group, [last, dt.date(2020, 3, 30), dt.date(2020, 6, 8)], today
    )
    assert problem(group, [], today) == "No meetings are recorded or scheduled."


def test_a_group_meeting_three_times_a_year_may_go_18_weeks():
    group = GroupFactory.build(max_weeks_between_meetings=None, meetings_per_year=3)
    assert group.allowed_gap_days == 126
    last = dt.date(2020, 2, 4)
    assert problem(group, [last, last + dt.timedelta(days=126)], dt.date(2020, 3, 1)) == ""
    assert problem(group, [last, last + dt.timedelta(days=127)], dt.date(2020, 3, 1))
    assert problem(GroupFactory.build(max_weeks_between_meetings=None), [], last) == ""


@time_machine.travel(dt.datetime(2020, 3, 1, 9, tzinfo=dt.UTC), tick=False)
def test_the_flag_shows_on_the_group_page_and_the_list_and_clears_when_scheduled(
    client_as, personas
):
    group = Group.objects.get(slug="core-business-group")
    meeting = schedule(group, dt.date(2020, 2, 3))
    group.refresh_from_db()
    assert group.cadence_problem.startswith("No meeting is scheduled after 3 February 2020")
    client = client_as("business_unit")
    assert (
        "No meeting is scheduled after 3 February 2020"
        in client.get("/groups/core-business-group/").content.decode()
    )
    listing = client.get("/groups/cadence/").content.decode()
    # The group meets at least every 2 months (the directory's setting): 3 February + 2
    # calendar months = 3 April 2020.
    assert "Core Business Group" in listing and "the next must be by 3 April 2020" in listing
    schedule(group, dt.date(2020, 3, 30))
    group.refresh_from_db()
    assert group.cadence_problem == ""
    assert "Core Business Group" not in client.get("/groups/cadence/").content.decode()
    # Cancelling the next meeting brings the flag back.
    services.meeting_cancel(meeting=meeting.following(), actor=SETUP)
    group.refresh_from_db()
    assert group.cadence_problem


# A strategic theme for each Strategic Forum meeting ---------------------------------------

FORUM_MEETING = {
    "date_day": "8",
    "date_month": "10",
    "date_year": "2030",
    "start_time": "10:00",
    "end_time": "12:30",
    "location": "Kirkby Gallery",
}


def test_a_forum_meeting_without_a_theme_is_refused_and_nothing_saved(client_as, forum, priorities):
    """Seed 002: "each meeting will have a strategic theme"; without one there would be no
    thematic lead's report, so scheduling it is refused."""
    audit_entries = AuditEntry.objects.count()
    response = client_as("business_unit").post(
        "/groups/strategic-forum/meetings/new/", {**FORUM_MEETING, "priority": ""}
    )
    assert error_summary(response) == {
        "#id_priority": "Select the meeting's theme: each meeting of the Strategic Forum has a "
        "strategic theme, with its thematic lead reporting"
    }
    assert not Meeting.objects.exists()
    assert AuditEntry.objects.count() == audit_entries
    # The service refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as refused:
        schedule(forum, dt.date(2030, 10, 8), None)
    assert "Select the meeting's theme" in refused.value.messages[0]
    assert not Meeting.objects.exists()
    # A group that is not themed needs none.
    assert schedule(Group.objects.get(slug="core-business-group"), dt.date(2030, 10, 8))


@time_machine.travel(dt.datetime(2020, 3, 1, 9, tzinfo=dt.UTC), tick=False)
def test_a_forum_meeting_held_without_a_theme_is_shown_flagged_until_it_has_one(
    client_as, forum, priorities
):
    # Held on 4 February 2020 before the rule (made directly, as the old records were).
    meeting = MeetingFactory(group=forum, starts_at=at(2020, 2, 4), status=MeetingStatus.HELD)
    client = client_as("business_unit")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "This meeting has no strategic theme, and so no thematic lead&#39;s report" in page
    group_page = client.get("/groups/strategic-forum/").content.decode()
    row = group_page.split("4 February 2020, 10:00</a>")[1].split("</tr>")[0]
    assert "No theme" in row and "govuk-tag--red" in row
    listing = client.get("/groups/meetings/?when=past").content.decode()
    row = listing.split("4 February 2020, 10:00</a>")[1].split("</tr>")[0]
    assert "No theme" in row
    # Changing it without a theme is refused; giving it one clears the flag and adds the
    # thematic lead's report to its agenda.
    change = {**FORUM_MEETING, "date_day": "4", "date_month": "2", "date_year": "2020"}
    response = client.post(f"/groups/meetings/{meeting.pk}/change/", {**change, "priority": ""})
    assert "#id_priority" in error_summary(response)
    response = client.post(
        f"/groups/meetings/{meeting.pk}/change/", {**change, "priority": priorities[1].pk}
    )
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "no strategic theme" not in page
    assert "Thematic lead&#39;s report: Neglect" in page
    # The lead is named as it was on the day: the CCG in February 2020 (an ICB since July 2022).
    assert "Thematic lead (CCG)" in page


def test_todays_thematic_lead_for_neglect_is_the_icb(forum, priorities):
    meeting = schedule(forum, dt.date(2030, 10, 8), priorities[1])
    report = meeting.items.get(kind=ItemKind.THEMATIC_REPORT)
    assert report.presenter == "Thematic lead (ICB)"
