"""Agenda items are reordered and removed, standing items included; a meeting or a due date
on a bank holiday is asked to be confirmed (issue 15, section 4)."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.governance import services
from partnership.governance.models import Action, Group, ItemKind, Meeting
from partnership.trail.models import AuditEntry

from .factories import SETUP
from .test_meetings import error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas):
    """A Core Business Group meeting next week, with its standard agenda."""
    group = Group.objects.get(slug="core-business-group")
    starts_at = (timezone.now() + dt.timedelta(days=7)).replace(minute=0, second=0, microsecond=0)
    return services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )


def titles(meeting):
    return list(meeting.items.order_by("position").values_list("title", flat=True))


def test_a_standing_item_moves_up_and_down_the_agenda(client_as, meeting):
    before = titles(meeting)
    standing = meeting.items.filter(kind=ItemKind.STANDING).order_by("position").first()
    client = client_as("business_unit")
    url = f"/groups/meetings/{meeting.pk}/agenda/"
    response = client.post(url, {"item": standing.pk, "move": "up"})
    assert response.status_code == 302
    after = titles(meeting)
    n = before.index(standing.title)
    assert after[n - 1] == standing.title and after[n] == before[n - 1]
    assert list(meeting.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, len(before) + 1)
    )
    client.post(url, {"item": standing.pk, "move": "down"})
    assert titles(meeting) == before
    # The first item cannot go higher: the page says so and nothing moves.
    first = meeting.items.get(position=1)
    page = client.post(url, {"item": first.pk, "move": "up"}).content.decode()
    assert "is already first on the agenda" in page
    assert titles(meeting) == before


def test_removing_a_standing_item_closes_the_gap_and_is_on_the_trail(client_as, meeting):
    before = titles(meeting)
    standing = meeting.items.filter(kind=ItemKind.STANDING).order_by("position").first()
    client = client_as("business_unit")
    url = f"/groups/meetings/{meeting.pk}/items/{standing.pk}/remove/"
    assert f"Remove “{standing.title}” from the agenda?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert titles(meeting) == [title for title in before if title != standing.title]
    assert list(meeting.items.order_by("position").values_list("position", flat=True)) == list(
        range(1, len(before))
    )
    assert AuditEntry.objects.filter(summary__startswith=f"Removed “{standing.title}”").exists()


def test_an_item_with_a_paper_is_not_removed(client_as, meeting):
    from partnership.governance.samples import simple_pdf

    from .test_papers_and_packs import upload

    paper = upload(meeting, "Data report", "data.pdf", simple_pdf("Data"), position=4)
    url = f"/groups/meetings/{meeting.pk}/items/{paper.item_id}/remove/"
    page = client_as("business_unit").post(url).content.decode()
    assert "Remove the papers of" in page
    assert meeting.items.filter(pk=paper.item_id).exists()


def test_a_member_may_not_change_the_agenda(client_as, meeting):
    item = meeting.items.get(position=4)
    client = client_as("partner_lead")
    assert (
        client.post(f"/groups/meetings/{meeting.pk}/agenda/", {"item": item.pk}).status_code == 403
    )
    assert client.post(f"/groups/meetings/{meeting.pk}/items/{item.pk}/remove/").status_code == 403


MEETING = {
    "date_day": "25",
    "date_month": "12",
    "date_year": "2030",
    "start_time": "10:00",
    "end_time": "12:00",
    "location": "Huyton",
}


def test_a_meeting_on_christmas_day_is_asked_to_be_confirmed(client_as, personas):
    client = client_as("business_unit")
    url = "/groups/core-business-group/meetings/new/"
    response = client.post(url, MEETING)
    assert error_summary(response) == {
        "#id_confirm_bank_holiday": "25 December 2030 is a bank holiday (Christmas Day): "
        "confirm the meeting is on it, or choose another date"
    }
    assert "Yes, I mean this bank holiday" in response.content.decode()
    assert not Meeting.objects.exists()
    response = client.post(url, {**MEETING, "confirm_bank_holiday": "on"})
    assert response.status_code == 302
    assert Meeting.objects.get().local_date == dt.date(2030, 12, 25)


def test_an_ordinary_day_asks_nothing(client_as, personas):
    response = client_as("business_unit").post(
        "/groups/core-business-group/meetings/new/", {**MEETING, "date_day": "23"}
    )
    assert response.status_code == 302


def test_an_action_due_on_easter_monday_is_asked_to_be_confirmed(client_as, personas):
    group = Group.objects.get(slug="core-business-group")
    starts_at = timezone.make_aware(dt.datetime(2031, 3, 3, 10))
    meeting = services.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )
    owner = group.memberships.select_related("person").first().person
    data = {
        "description": "Circulate the audit findings",
        "owner": owner.pk,
        "item": "",
        "due_on_day": "14",  # Easter Monday 2031 is 14 April
        "due_on_month": "4",
        "due_on_year": "2031",
    }
    client = client_as("business_unit")
    url = f"/groups/meetings/{meeting.pk}/actions/new/"
    response = client.post(url, data)
    assert error_summary(response)["#id_confirm_bank_holiday"].startswith(
        "14 April 2031 is a bank holiday (Easter Monday)"
    )
    assert not Action.objects.exists()
    assert client.post(url, {**data, "confirm_bank_holiday": "on"}).status_code == 302
    assert Action.objects.get().due_on == dt.date(2031, 4, 14)
