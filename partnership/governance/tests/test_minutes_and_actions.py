"""Attendance, minutes (draft until approved at the next meeting), actions and matters arising."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.directory.models import Person
from partnership.governance import services
from partnership.governance.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Attendance,
    AttendanceStatus,
    Group,
    MeetingStatus,
    MinutesStatus,
)
from partnership.governance.tests.factories import SETUP
from partnership.trail.models import AuditEntry

from .test_meetings import error_summary

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2020, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _the_tenth_of_march_2020():
    with time_machine.travel(NOW, tick=False):
        yield


def meet(group, day, hour=10):
    starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )


@pytest.fixture
def rlg(personas):
    return Group.objects.get(slug="review-and-learning-group")


@pytest.fixture
def meeting(rlg):
    """Today's meeting of the Review and Learning Group, which has started."""
    return meet(rlg, dt.date(2020, 3, 10))


def register_post(meeting, statuses=None, deputies=None):
    statuses, deputies = statuses or {}, deputies or {}
    data = {}
    for n, seat in enumerate(services.meeting_register(meeting)):
        name = seat.person.full_name
        data[f"person_{n}"] = seat.person_id
        data[f"status_{n}"] = statuses.get(name, AttendanceStatus.PRESENT)
        data[f"deputy_{n}"] = deputies.get(name, "")
    return data


def hold(meeting, statuses=None):
    entries = [
        (seat, (statuses or {}).get(seat.person.full_name, AttendanceStatus.PRESENT), "")
        for seat in services.meeting_register(meeting)
    ]
    services.attendance_record(meeting=meeting, entries=entries, actor=SETUP)
    meeting.refresh_from_db()
    return meeting


# Attendance -------------------------------------------------------------------------------


def test_recording_attendance_holds_the_meeting_and_starts_draft_minutes(client_as, meeting):
    data = register_post(
        meeting,
        {"Lisa Moran": AttendanceStatus.APOLOGIES, "Mark Fenwick": AttendanceStatus.DEPUTY},
        {"Mark Fenwick": "Sue Hartley"},
    )
    response = client_as("business_unit").post(f"/groups/meetings/{meeting.pk}/attendance/", data)
    assert response.status_code == 302
    rows = {row.person.full_name: row for row in Attendance.objects.select_related("person")}
    assert len(rows) == len(services.meeting_register(meeting)) == 9
    assert rows["Lisa Moran"].status == AttendanceStatus.APOLOGIES
    assert (rows["Mark Fenwick"].status, rows["Mark Fenwick"].deputy_name) == (
        AttendanceStatus.DEPUTY,
        "Sue Hartley",
    )
    assert rows["Gareth Morris"].organisation.short_name == "NWBH"
    meeting.refresh_from_db()
    assert (meeting.status, meeting.minutes_status) == (MeetingStatus.HELD, MinutesStatus.DRAFT)
    assert AuditEntry.objects.filter(
        summary="Recorded attendance: 7 present, 1 deputy attended, 1 apologies, 0 absent"
    ).exists()


def test_a_member_on_the_register_twice_is_refused_and_nothing_saved(client_as, meeting):
    data = register_post(meeting)
    data["person_1"] = data["person_0"]  # a tampered or stale form
    response = client_as("business_unit").post(f"/groups/meetings/{meeting.pk}/attendance/", data)
    first = services.meeting_register(meeting)[0].person.full_name
    assert error_summary(response) == {
        "#main-content": f"{first} is on the register more than once"
    }
    assert not Attendance.objects.exists()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_the_database_refuses_a_second_row_for_the_same_member(meeting):
    hold(meeting)
    row = Attendance.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            meeting=meeting, person=row.person, organisation=row.organisation, status="absent"
        )


def test_a_deputy_needs_a_name_and_a_missing_answer_is_named(client_as, meeting):
    data = register_post(meeting, {"Lisa Moran": AttendanceStatus.DEPUTY})
    names = [seat.person.full_name for seat in services.meeting_register(meeting)]
    data.pop(f"status_{names.index('Adam Fairclough')}")
    response = client_as("business_unit").post(f"/groups/meetings/{meeting.pk}/attendance/", data)
    assert error_summary(response) == {
        f"#id_status_{names.index('Adam Fairclough')}": "Select whether Adam Fairclough attended",
        f"#id_deputy_{names.index('Lisa Moran')}": (
            "Enter the name of the deputy who attended for Lisa Moran"
        ),
    }
    assert not Attendance.objects.exists()


def test_attendance_waits_for_the_meeting_to_start(client_as, rlg):
    tomorrow = meet(rlg, dt.date(2020, 3, 11))
    response = client_as("business_unit").post(
        f"/groups/meetings/{tomorrow.pk}/attendance/", register_post(tomorrow)
    )
    assert error_summary(response) == {
        "#main-content": "You can record attendance once the meeting has started"
    }
    assert not Attendance.objects.exists()


# Minutes ----------------------------------------------------------------------------------


def test_draft_minutes_are_for_the_groups_members_only(client_as, meeting):
    hold(meeting)
    services.minutes_save(
        meeting=meeting,
        notes={meeting.items.get(position=4).pk: "A CONFIDENTIAL DISCUSSION"},
        decisions={meeting.items.get(position=4).pk: ["Refer Child K for a local review"]},
        actor=SETUP,
    )
    minutes = f"/groups/meetings/{meeting.pk}/minutes/"
    for persona in ("business_unit", "group_member", "partner_lead"):
        page = client_as(persona).get(minutes)
        assert page.status_code == 200
        assert "A CONFIDENTIAL DISCUSSION" in page.content.decode()
        assert "Refer Child K for a local review" in page.content.decode()
    # Each reading of draft minutes is on the record.
    readers = AuditEntry.objects.filter(
        action="view", object_type="governance.meeting", object_id=str(meeting.pk)
    ).values_list("actor__email", flat=True)
    assert len(readers) == 3
    for persona in ("independent_chair", "data_submitter", "practitioner", "outsider"):
        client = client_as(persona)
        assert client.get(minutes).status_code == 403
        meeting_page = client.get(meeting.get_absolute_url())
        if meeting_page.status_code == 200:
            assert minutes not in meeting_page.content.decode()
            assert "A CONFIDENTIAL DISCUSSION" not in meeting_page.content.decode()


def test_minutes_are_approved_at_the_next_meeting_and_then_everyone_may_read_them(client_as, rlg):
    first = hold(meet(rlg, dt.date(2020, 1, 13)))
    services.minutes_save(meeting=first, notes={}, decisions={}, actor=SETUP)
    second = meet(rlg, dt.date(2020, 3, 10))
    later = meet(rlg, dt.date(2020, 5, 4))
    client = client_as("business_unit")
    # Not at a later meeting, and not before the next one starts.
    assert client.get(f"/groups/meetings/{later.pk}/approve-previous-minutes/").status_code == 404
    with pytest.raises(Exception, match="next meeting"):
        services.minutes_approve(meeting=first, at_meeting=later, actor=SETUP)
    with time_machine.travel(dt.datetime(2020, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        response = client.post(f"/groups/meetings/{second.pk}/approve-previous-minutes/")
        assert error_summary(response) == {
            "#main-content": "The minutes can be approved once the next meeting has started"
        }
    assert (
        client_as("data_submitter").get(f"/groups/meetings/{first.pk}/minutes/").status_code == 403
    )
    client = client_as("business_unit")  # the session above expired when time went back
    response = client.post(f"/groups/meetings/{second.pk}/approve-previous-minutes/")
    assert response.status_code == 302
    assert response["Location"] == second.get_absolute_url()
    first.refresh_from_db()
    assert (first.minutes_status, first.minutes_approved_at, first.minutes_approved_on) == (
        MinutesStatus.APPROVED,
        second,
        dt.date(2020, 3, 10),
    )
    assert (
        client_as("data_submitter").get(f"/groups/meetings/{first.pk}/minutes/").status_code == 200
    )
    # Approved minutes are the record: they cannot be changed.
    with pytest.raises(Exception, match="Approved minutes cannot be changed"):
        services.minutes_save(meeting=first, notes={}, decisions={}, actor=SETUP)
    with pytest.raises(Exception, match="the attendance cannot be changed"):
        hold(first)
    with pytest.raises(Exception, match="raise the action at a later meeting"):
        services.action_create(
            meeting=first,
            description="Late",
            owner=Person.objects.get(full_name="Lisa Moran"),
            due_on=dt.date(2020, 4, 1),
            actor=SETUP,
        )
    assert client.get(f"/groups/meetings/{first.pk}/minutes/change/").status_code == 302


def test_writing_minutes_saves_notes_and_decisions(client_as, meeting):
    hold(meeting)
    item = meeting.items.get(position=4)
    other = meeting.items.get(position=5)
    response = client_as("business_unit").post(
        f"/groups/meetings/{meeting.pk}/minutes/change/",
        {
            f"notes_{item.pk}": "Discussed.",
            f"decisions_{item.pk}": "First\n\n  Second  \n",
            f"notes_{other.pk}": "",
            f"decisions_{other.pk}": "",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.notes == "Discussed."
    assert list(item.decisions.values_list("text", flat=True)) == ["First", "Second"]


# Actions and matters arising --------------------------------------------------------------


def test_an_action_with_no_owner_or_an_early_due_date_is_refused(client_as, meeting):
    hold(meeting)
    response = client_as("business_unit").post(
        f"/groups/meetings/{meeting.pk}/actions/new/",
        {
            "description": "Share the learning",
            "owner": "",
            "item": "",
            "due_on_day": "9",
            "due_on_month": "3",
            "due_on_year": "2020",
        },
    )
    assert error_summary(response) == {
        "#id_owner": "Select who owns the action",
        "#id_due_on_day": "The due date must be on or after the day of the meeting",
    }
    assert not Action.objects.exists()
    assert not ActionUpdate.objects.exists()


def test_an_owner_must_be_one_of_the_groups_members(client_as, meeting, personas):
    outsider = Person.objects.get(full_name="Dana Singh")
    response = client_as("business_unit").post(
        f"/groups/meetings/{meeting.pk}/actions/new/",
        {
            "description": "Share the learning",
            "owner": outsider.pk,
            "item": "",
            "due_on_day": "9",
            "due_on_month": "4",
            "due_on_year": "2020",
        },
    )
    assert error_summary(response) == {"#id_owner": "Select who owns the action"}
    assert not Action.objects.exists()


def test_an_action_is_numbered_owned_and_has_a_history(client_as, meeting, personas):
    gareth = personas["group_member"].person
    response = client_as("business_unit").post(
        f"/groups/meetings/{meeting.pk}/actions/new/",
        {
            "description": "Share the learning",
            "owner": gareth.pk,
            "item": meeting.items.get(position=4).pk,
            "due_on_day": "9",
            "due_on_month": "4",
            "due_on_year": "2020",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.reference, action.owner, action.owner_organisation.short_name) == (
        "SRLG-1",
        gareth,
        "NWBH",
    )
    # The owner updates it; another member of the group may not.
    assert (
        client_as("partner_lead")
        .post(f"/groups/actions/{action.pk}/update/", {"status": "completed"})
        .status_code
        == 403
    )
    owner = client_as("group_member")
    response = owner.post(
        f"/groups/actions/{action.pk}/update/",
        {"note": "", "status": "open", "due_on_day": "", "due_on_month": "", "due_on_year": ""},
    )
    assert error_summary(response) == {
        "#id_note": "Enter the progress made, or change the status or due date"
    }
    response = owner.post(
        f"/groups/actions/{action.pk}/update/",
        {
            "note": "Briefing sent to all GPs",
            "status": "completed",
            "due_on_day": "9",
            "due_on_month": "4",
            "due_on_year": "2020",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.closed_at == timezone.now()
    history = list(
        action.updates.order_by("id").values_list("note", "status_before", "status_after")
    )
    assert history == [
        (f"Raised at {meeting}.", "", "open"),
        ("Briefing sent to all GPs", "open", "completed"),
    ]
    page = owner.get(action.get_absolute_url()).content.decode()
    assert "Briefing sent to all GPs" in page and "Open to Completed" in page


def test_open_actions_come_forward_to_the_next_meetings_matters_arising(rlg, personas):
    gareth = personas["group_member"].person
    january = hold(meet(rlg, dt.date(2020, 1, 13)))
    done_before_march = services.action_create(
        meeting=january, description="A", owner=gareth, due_on=dt.date(2020, 2, 1), actor=SETUP
    )
    still_open = services.action_create(
        meeting=january, description="B", owner=gareth, due_on=dt.date(2020, 2, 1), actor=SETUP
    )
    with time_machine.travel(dt.datetime(2020, 2, 20, tzinfo=dt.UTC), tick=False):
        services.action_update(action=done_before_march, status="completed", actor=SETUP)
    march = meet(rlg, dt.date(2020, 3, 10))
    may = meet(rlg, dt.date(2020, 5, 4))
    raised_in_march = services.action_create(
        meeting=hold(march),
        description="C",
        owner=gareth,
        due_on=dt.date(2020, 4, 1),
        actor=SETUP,
    )
    # January's meeting has nothing before it; March gets both of January's actions (A to be
    # noted as done since the last meeting), and May only those open at March's meeting.
    assert list(january.matters_arising()) == []
    assert list(march.matters_arising()) == [done_before_march, still_open]
    assert list(may.matters_arising()) == [still_open, raised_in_march]
    # Completing C before May still shows it in May, as done since the last meeting.
    services.action_update(action=raised_in_march, status="completed", actor=SETUP)
    assert list(may.matters_arising()) == [still_open, raised_in_march]
    july = meet(rlg, dt.date(2020, 7, 6))
    assert list(july.matters_arising()) == [still_open]
    assert raised_in_march.is_overdue(dt.date(2020, 5, 1)) is False
    assert still_open.is_overdue(dt.date(2020, 2, 2)) is True
