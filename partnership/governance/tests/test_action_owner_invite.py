"""An action's owner who is not listed yet is invited in the same form."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail

from partnership.accounts.models import Role, User
from partnership.directory.models import Organisation, Person
from partnership.governance.models import Action

from .test_meetings import error_summary
from .test_minutes_and_actions import hold, meet

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2020, 3, 10, 15, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _the_tenth_of_march_2020():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def meeting(personas):
    from partnership.governance.models import Group

    held = meet(Group.objects.get(slug="review-and-learning-group"), dt.date(2020, 3, 10))
    hold(held)
    return held


def post_action(client, meeting, **fields):
    data = {
        "description": "Share the learning with youth justice staff",
        "owner": "",
        "item": "",
        "due_on_day": "9",
        "due_on_month": "4",
        "due_on_year": "2020",
        "invite_full_name": "",
        "invite_email": "",
        "invite_organisation": "",
        "invite_job_title": "",
    }
    data.update(fields)
    return client.post(f"/groups/meetings/{meeting.pk}/actions/new/", data)


def test_someone_not_listed_is_invited_and_made_the_owner_in_one_step(
    client_as, meeting, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kscp.example.org"
    yos = Organisation.objects.get(name="Youth Offending Service")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_action(
            client_as("business_unit"),
            meeting,
            invite_full_name="Jordan Blake",
            invite_email="jordan.blake@yos.example.org",
            invite_organisation=yos.pk,
            invite_job_title="Team Manager",
        )
    assert response.status_code == 302
    action = Action.objects.get()
    jordan = Person.objects.get(full_name="Jordan Blake")
    assert action.owner == jordan
    assert action.owner_organisation == yos
    assert jordan.user.roles == {Role.GROUP_MEMBER}
    assert not jordan.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert re.search(r"https://kscp\.example\.org/account/invitation/\S+/", mail.outbox[0].body)


def test_picking_an_owner_and_inviting_someone_is_refused(client_as, meeting, personas):
    gareth = personas["group_member"].person
    response = post_action(
        client_as("business_unit"),
        meeting,
        owner=gareth.pk,
        invite_full_name="Jordan Blake",
    )
    assert error_summary(response) == {
        "#id_invite_full_name": "Either select someone from the list or invite someone new, "
        "not both"
    }
    assert not Action.objects.exists()


def test_an_invitation_missing_details_says_which_and_adds_nobody(client_as, meeting):
    people = Person.objects.count()
    response = post_action(client_as("business_unit"), meeting, invite_full_name="Jordan Blake")
    assert error_summary(response) == {
        "#id_invite_email": "Enter the email address of the person to invite",
        "#id_invite_organisation": "Select the organisation of the person to invite",
    }
    assert Person.objects.count() == people


def test_an_address_that_has_an_account_is_refused_and_nothing_is_saved(
    client_as, meeting, personas
):
    yos = Organisation.objects.get(name="Youth Offending Service")
    people, users = Person.objects.count(), User.objects.count()
    response = post_action(
        client_as("business_unit"),
        meeting,
        invite_full_name="Pat Quinn",
        invite_email=personas["practitioner"].email,
        invite_organisation=yos.pk,
    )
    assert "This email address already has an account" in response.content.decode()
    assert (Person.objects.count(), User.objects.count()) == (people, users)
    assert not Action.objects.exists()


def test_an_ended_person_is_not_offered_as_owner(client_as, meeting, personas):
    gareth = personas["group_member"].person
    Person.objects.filter(pk=gareth.pk).update(ended_on=dt.date(2020, 3, 1))
    page = client_as("business_unit").get(f"/groups/meetings/{meeting.pk}/actions/new/")
    assert f'value="{gareth.pk}"' not in page.content.decode()
