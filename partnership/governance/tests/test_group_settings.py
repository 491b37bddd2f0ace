"""The business unit sets up groups: terms of reference, settings and members."""

import datetime as dt
import re

import pytest
import time_machine
from django.forms.models import model_to_dict

from partnership.directory.models import Organisation, Person
from partnership.governance.models import Group, Membership
from partnership.trail.models import AuditEntry

from .test_letters_and_sweep import rlg as rlg  # the fixture
from .test_meetings import error_summary

pytestmark = pytest.mark.django_db

RLG = "review-and-learning-group"
NEW_GROUP = {
    "name": "Missing from Home Group",
    "slug": "",
    "purpose": "Oversees the response to children who go missing from home or care.",
    "aims": "Fewer repeat missing episodes\nEvery child offered a return interview",
    "objectives": "Review the monthly missing data",
    "governance": "Quorate with three partners",
    "effectiveness_areas": "Missing children\nChild exploitation",
    "membership_composition": "Merseyside Police\nKnowsley Council",
    "accountable_to": "",
    "meetings_per_year": "6",
    "max_months_between_meetings": "",
    "max_weeks_between_meetings": "",
    "themed_meetings": "",
    "attendance_expected_percent": "80",
    "attendance_window_months": "12",
    "persistent_absence_run": "2",
    "deputy_limit": "2",
    "action_reminder_days": "3",
    "display_order": "9",
}


def form_data(group: Group, **changes) -> dict:
    """What the change page posts for a group as it is, with `changes`."""
    data = model_to_dict(group)
    data = {
        key: ("" if value is None else value)
        for key, value in data.items()
        if key in NEW_GROUP and key != "themed_meetings"
    }
    if group.themed_meetings:
        data["themed_meetings"] = "on"
    data.update(changes)
    return data


def group_audit_entries() -> int:
    return AuditEntry.objects.filter(object_type="governance.group").count()


# Adding and changing a group --------------------------------------------------------------


def test_the_business_unit_adds_a_group_with_its_terms_of_reference(client_as, personas):
    client = client_as("business_unit")
    listing = client.get("/groups/").content.decode()
    assert 'href="/groups/new/">Add a group</a>' in listing
    forum = Group.objects.get(slug="strategic-forum")
    response = client.post("/groups/new/", {**NEW_GROUP, "accountable_to": forum.pk})
    group = Group.objects.get(name="Missing from Home Group")
    assert (
        response.status_code == 302 and response["Location"] == "/groups/missing-from-home-group/"
    )
    assert (group.slug, group.accountable_to, group.meetings_per_year) == (
        "missing-from-home-group",
        forum,
        6,
    )
    assert (group.attendance_expected_percent, group.persistent_absence_run) == (80, 2)
    assert group.action_reminder_days == 3
    assert group.aims_list == [
        "Fewer repeat missing episodes",
        "Every child offered a return interview",
    ]
    entry = AuditEntry.objects.get(object_type="governance.group", object_id=str(group.pk))
    assert entry.action == "create" and entry.actor == personas["business_unit"]
    assert entry.changes["name"] == [None, "Missing from Home Group"]

    page = client.get(response["Location"]).content.decode()
    assert "The Missing from Home Group is added" in page
    assert "Every child offered a return interview" in page and "6 meetings a year" in page
    assert "80% of meetings" in page
    assert "Missing from Home Group" in client.get("/groups/").content.decode()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": "", "purpose": ""}, "#id_name", "Enter the name of the group"),
        ({"purpose": "  "}, "#id_purpose", "Enter the purpose of the group"),
        (
            {"name": "Safeguarding Review and Learning Group"},
            "#id_name",
            "There is already a group with this name",
        ),
        (
            {"slug": RLG},
            "#id_slug",
            f"Another group already has the web address “{RLG}”: choose another",
        ),
        (
            {"name": "Review and Learning Group"},  # makes the slug of an existing group
            "#id_slug",
            f"Another group already has the web address “{RLG}”: choose another",
        ),
        ({"slug": "meetings"}, "#id_slug", "“meetings” is used by another page: choose another"),
        (
            {"slug": "Not A Slug!"},
            "#id_slug",
            "The web address must use only lower-case letters, numbers and hyphens",
        ),
        (
            {"attendance_expected_percent": "0"},
            "#id_attendance_expected_percent",
            "Expected attendance, in per cent must be a whole number from 1 to 100",
        ),
        (
            {"attendance_expected_percent": "101"},
            "#id_attendance_expected_percent",
            "Expected attendance, in per cent must be a whole number from 1 to 100",
        ),
        (
            {"attendance_expected_percent": "lots"},
            "#id_attendance_expected_percent",
            "Expected attendance, in per cent must be a whole number from 1 to 100",
        ),
        (
            {"action_reminder_days": "-1"},
            "#id_action_reminder_days",
            "Working days before an action is due to remind its owner must be a whole number "
            "from 0 to 30",
        ),
        (
            {"attendance_window_months": ""},
            "#id_attendance_window_months",
            "Enter the months the attendance rate looks back",
        ),
        ({"accountable_to": "999999"}, "#id_accountable_to", "Select a group from the list"),
    ],
)
def test_a_group_with_a_mistake_gets_a_clear_error_and_nothing_is_saved(
    client_as, personas, changes, field, message
):
    groups, entries = Group.objects.count(), group_audit_entries()
    response = client_as("business_unit").post("/groups/new/", {**NEW_GROUP, **changes})
    errors = error_summary(response)
    assert errors.get(field) == message, errors
    assert (Group.objects.count(), group_audit_entries()) == (groups, entries)


def test_a_group_cannot_be_accountable_to_itself_or_to_a_group_below_it(client_as, personas):
    client = client_as("business_unit")
    forum = Group.objects.get(slug="strategic-forum")
    rlg_group = Group.objects.get(slug=RLG)
    entries = group_audit_entries()

    # Itself: not offered, and refused if posted anyway.
    page = client.get("/groups/strategic-forum/change/").content.decode()
    assert f'<option value="{forum.pk}"' not in page
    errors = error_summary(
        client.post("/groups/strategic-forum/change/", form_data(forum, accountable_to=forum.pk))
    )
    assert errors["#id_accountable_to"] == "Select a group from the list"

    # The Review and Learning Group reports to the Strategic Forum: no loop back.
    errors = error_summary(
        client.post(
            "/groups/strategic-forum/change/", form_data(forum, accountable_to=rlg_group.pk)
        )
    )
    assert errors["#id_accountable_to"] == (
        "The Safeguarding Review and Learning Group is accountable to the Strategic Forum, so "
        "the Strategic Forum cannot be accountable to it"
    )
    # Nor through a group further down.
    below = Group.objects.create(
        name="Case Review Panel", slug="case-review-panel", purpose="x", accountable_to=rlg_group
    )
    errors = error_summary(
        client.post("/groups/strategic-forum/change/", form_data(forum, accountable_to=below.pk))
    )
    assert "cannot be accountable to it" in errors["#id_accountable_to"]
    forum.refresh_from_db()
    assert forum.accountable_to is None and group_audit_entries() == entries


def test_changing_the_terms_of_reference_is_saved_and_audited(client_as, personas):
    client = client_as("business_unit")
    group = Group.objects.get(slug=RLG)
    page = client.get(f"/groups/{RLG}/").content.decode()
    assert f'href="/groups/{RLG}/change/">Change' in page
    form = client.get(f"/groups/{RLG}/change/").content.decode()
    legends = re.findall(r'govuk-fieldset__legend--m">\s*(.*?)\s*</legend>', form, re.S)
    assert legends == ["Terms of reference", "Meetings", "Attendance rule"]
    assert 'value="Safeguarding Review and Learning Group"' in form
    response = client.post(
        f"/groups/{RLG}/change/",
        form_data(
            group,
            purpose="Learns from reviews of serious cases.",
            objectives="Publish the learning\nCheck it is used",
            # The directory's group meets at least every 2 months: now every 6 weeks instead.
            max_weeks_between_meetings="6",
            max_months_between_meetings="",
        ),
    )
    assert response.status_code == 302 and response["Location"] == f"/groups/{RLG}/"
    group.refresh_from_db()
    assert group.purpose == "Learns from reviews of serious cases."
    assert group.objectives_list == ["Publish the learning", "Check it is used"]
    # One entry for the change (the cadence, checked again at once, has its own entry).
    entry = AuditEntry.objects.filter(
        object_type="governance.group", action="update", summary__startswith="Changed the"
    ).get()
    assert entry.changes["max_weeks_between_meetings"] == [None, 6]
    assert entry.changes["max_months_between_meetings"] == [2, None]
    assert set(entry.changes) == {
        "purpose",
        "objectives",
        "max_weeks_between_meetings",
        "max_months_between_meetings",
    }
    page = client.get(f"/groups/{RLG}/").content.decode()
    assert "Your changes have been saved" in page and "At least every 6 weeks" in page
    assert "Check it is used" in page


def test_a_new_web_address_moves_the_group_page(client_as, personas):
    client = client_as("business_unit")
    group = Group.objects.get(slug=RLG)
    response = client.post(f"/groups/{RLG}/change/", form_data(group, slug="learning-group"))
    assert response["Location"] == "/groups/learning-group/"
    assert client.get("/groups/learning-group/").status_code == 200
    assert client.get(f"/groups/{RLG}/").status_code == 404
    # It cannot be emptied.
    errors = error_summary(client.post("/groups/learning-group/change/", form_data(group, slug="")))
    assert errors["#id_slug"] == "Enter the web address"


def test_lowering_the_expected_attendance_lifts_lisa_morans_flag(client_as, rlg):
    """Lisa Moran attended 3 of 6 meetings: below 75%, but not below 50%."""
    with time_machine.travel(dt.datetime(2020, 7, 1, 9, tzinfo=dt.UTC), tick=False):
        client = client_as("business_unit")
        page = client.get(f"/groups/{RLG}/").content.decode()
        row = page.split("Lisa Moran</a>")[1].split("</tr>")[0]
        assert "50% (3 of 6)" in row and "Below 75%" in row and "Persistent absence" in row
        assert "1 member is below the expected 75% attendance" in page

        client.post(f"/groups/{RLG}/change/", form_data(rlg, attendance_expected_percent="50"))
        page = client.get(f"/groups/{RLG}/").content.decode()
        row = page.split("Lisa Moran</a>")[1].split("</tr>")[0]
        assert "50% (3 of 6)" in row
        assert "Below" not in row and "Persistent absence" not in row
        assert "below the expected" not in page and "50% of meetings" in page

        # A shorter window (the month ending today) holds only her last meeting, attended.
        rlg.refresh_from_db()
        client.post(
            f"/groups/{RLG}/change/",
            form_data(rlg, attendance_expected_percent="75", attendance_window_months="1"),
        )
        page = client.get(f"/groups/{RLG}/").content.decode()
        row = page.split("Lisa Moran</a>")[1].split("</tr>")[0]
        assert "100% (1 of 1)" in row and "Below" not in row
        assert "Attendance, last 1 month" in page


def test_only_the_business_unit_may_add_or_change_groups(client_as, personas):
    groups = Group.objects.count()
    for key in ("independent_chair", "partner_lead", "group_member", "data_submitter"):
        client = client_as(key)
        assert client.post("/groups/new/", NEW_GROUP).status_code == 403
        assert client.get(f"/groups/{RLG}/change/").status_code == 403
        assert client.get(f"/groups/{RLG}/members/").status_code == 403
        listing = client.get("/groups/").content.decode()
        assert "Add a group" not in listing
        page = client.get(f"/groups/{RLG}/").content.decode()
        assert "/change/" not in page and "Manage members" not in page
    anonymous = client_as(None).post("/groups/new/", NEW_GROUP)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    assert Group.objects.count() == groups


# Members ----------------------------------------------------------------------------------


@pytest.fixture
def newcomer():
    police = Organisation.objects.get(slug="merseyside-police")
    return Person.objects.create(
        full_name="Dana Whitlock", organisation=police, email="dana.whitlock@example.org"
    )


def membership_entries() -> int:
    return AuditEntry.objects.filter(object_type="governance.membership").count()


def test_the_business_unit_seats_a_member_with_a_deputy(client_as, personas, newcomer):
    client = client_as("business_unit")
    deputy = personas["partner_lead"].person
    members_page = client.get(f"/groups/{RLG}/members/").content.decode()
    assert f'href="/groups/{RLG}/members/new/"' in members_page
    response = client.post(
        f"/groups/{RLG}/members/new/",
        {
            "person": newcomer.pk,
            "role": "member",
            "title": "Thematic lead for neglect",
            "organisation": "",
            "deputy": deputy.pk,
            "started_on_day": "1",
            "started_on_month": "3",
            "started_on_year": "2020",
        },
    )
    assert response["Location"] == f"/groups/{RLG}/members/"
    seat = Membership.objects.get(person=newcomer)
    assert (seat.group.slug, seat.organisation, seat.deputy, seat.started_on) == (
        RLG,
        newcomer.organisation,
        deputy,
        dt.date(2020, 3, 1),
    )
    entry = AuditEntry.objects.get(object_type="governance.membership", object_id=str(seat.pk))
    assert entry.action == "create" and entry.actor == personas["business_unit"]
    page = client.get(response["Location"]).content.decode()
    assert "Dana Whitlock is now a member of the Safeguarding Review and Learning Group" in page
    group_page = client.get(f"/groups/{RLG}/").content.decode()
    row = group_page.split("Dana Whitlock</a>")[1].split("</tr>")[0]
    assert "Member – Thematic lead for neglect" in row and deputy.full_name in row


def test_seating_a_member_with_a_mistake_gets_a_clear_error(client_as, personas, newcomer):
    client = client_as("business_unit")
    gareth = personas["group_member"].person  # already sits on the group
    base = {
        "person": newcomer.pk,
        "role": "member",
        "started_on_day": "1",
        "started_on_month": "3",
        "started_on_year": "2020",
    }
    seats, entries = Membership.objects.count(), membership_entries()
    cases = [
        ({"person": ""}, "#id_person", "Select the person joining the group"),
        (
            {"person": gareth.pk},
            "#id_person",
            f"{gareth.full_name} is already a member of the Safeguarding Review and Learning "
            "Group: end their current seat first",
        ),
        (
            {"deputy": newcomer.pk},
            "#id_deputy",
            "The nominated deputy must be someone other than the member",
        ),
        ({"started_on_day": ""}, "#id_started_on_day", "The start date must include a day"),
        (
            {"role": "emperor"},
            "#id_role",
            "Select a valid choice. emperor is not one of the available choices.",
        ),
    ]
    for changes, field, message in cases:
        errors = error_summary(client.post(f"/groups/{RLG}/members/new/", {**base, **changes}))
        assert errors.get(field) == message, (changes, errors)
    assert (Membership.objects.count(), membership_entries()) == (seats, entries)


def test_ending_a_seat_keeps_it_on_record(client_as, personas, newcomer):
    client = client_as("business_unit")
    gareth = personas["group_member"].person
    seat = Membership.objects.get(person=gareth, group__slug=RLG, ended_on__isnull=True)
    end_url = f"/groups/{RLG}/members/{seat.pk}/end/"
    assert end_url in client.get(f"/groups/{RLG}/members/").content.decode()

    # Before it started: refused.
    entries = membership_entries()
    errors = error_summary(
        client.post(end_url, {"ended_on_day": "1", "ended_on_month": "1", "ended_on_year": "2019"})
    )
    assert errors["#id_ended_on_day"] == (
        f"The last day must be on or after the day the seat started, {seat.started_on:%-d %B %Y}"
    )
    seat.refresh_from_db()
    assert seat.ended_on is None and membership_entries() == entries

    yesterday = dt.date.today() - dt.timedelta(days=1)
    response = client.post(
        end_url,
        {
            "ended_on_day": str(yesterday.day),
            "ended_on_month": str(yesterday.month),
            "ended_on_year": str(yesterday.year),
        },
    )
    assert response["Location"] == f"/groups/{RLG}/members/"
    seat.refresh_from_db()
    assert seat.ended_on == yesterday
    assert AuditEntry.objects.filter(
        object_type="governance.membership", object_id=str(seat.pk), action="update"
    ).exists()
    members = client.get(f"/groups/{RLG}/members/").content.decode()
    past = members.split("Past members")[1]
    assert gareth.full_name in past
    assert f"{gareth.full_name}</a>" not in client.get(f"/groups/{RLG}/").content.decode()

    # Ending it again is refused; the record is unchanged.
    errors = error_summary(
        client.post(
            end_url,
            {
                "ended_on_day": str(dt.date.today().day),
                "ended_on_month": str(dt.date.today().month),
                "ended_on_year": str(dt.date.today().year),
            },
        )
    )
    assert errors["#main-content"] == f"This seat already ended on {yesterday:%-d %B %Y}"
    seat.refresh_from_db()
    assert seat.ended_on == yesterday

    # He may be seated again, from after his last day, as a second record.
    base = {"person": gareth.pk, "role": "adviser"}
    errors = error_summary(
        client.post(
            f"/groups/{RLG}/members/new/",
            {
                **base,
                "started_on_day": str(yesterday.day),
                "started_on_month": str(yesterday.month),
                "started_on_year": str(yesterday.year),
            },
        )
    )
    assert errors["#id_started_on_day"] == (
        f"{gareth.full_name}'s last seat on the group ran until {yesterday:%-d %B %Y}: "
        "the new seat must start after that"
    )
    today = dt.date.today()
    client.post(
        f"/groups/{RLG}/members/new/",
        {
            **base,
            "started_on_day": str(today.day),
            "started_on_month": str(today.month),
            "started_on_year": str(today.year),
        },
    )
    assert Membership.objects.filter(person=gareth, group__slug=RLG).count() == 2


def test_only_the_business_unit_manages_members(client_as, personas, newcomer):
    gareth = personas["group_member"].person
    seat = Membership.objects.get(person=gareth, group__slug=RLG, ended_on__isnull=True)
    data = {"person": newcomer.pk, "role": "member"}
    for key in ("independent_chair", "partner_lead", "group_member", "data_submitter"):
        client = client_as(key)
        assert client.post(f"/groups/{RLG}/members/new/", data).status_code == 403
        assert client.post(f"/groups/{RLG}/members/{seat.pk}/end/", {}).status_code == 403
    anonymous = client_as(None).post(f"/groups/{RLG}/members/new/", data)
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    seat.refresh_from_db()
    assert seat.ended_on is None and not Membership.objects.filter(person=newcomer).exists()
    # A seat of another group is not found under this one.
    other = Membership.objects.exclude(group__slug=RLG).first()
    assert (
        client_as("business_unit").get(f"/groups/{RLG}/members/{other.pk}/end/").status_code == 404
    )
