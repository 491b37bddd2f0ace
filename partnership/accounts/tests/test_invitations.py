"""Invitations: the business unit invites a person; the emailed link sets a password, once."""

import datetime as dt
import re
from binascii import unhexlify

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts import services
from partnership.accounts.models import Invitation, Role, User
from partnership.directory.models import Organisation, Person
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
SITE = "https://kscp.example.org"


@pytest.fixture(autouse=True)
def _pinned(settings):
    settings.SITE_URL = SITE
    settings.INVITATION_EXPIRY_DAYS = 7
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def invite(
    client,
    *,
    roles=("group_member",),
    email="jo.rigby@yos.example.org",
    full_name="Jo Rigby",
    capture=None,
):
    data = {
        "full_name": full_name,
        "email": email,
        "job_title": "Case Manager",
        "phone": "",
        "organisation": Organisation.objects.get(name="Youth Offending Service").pk,
        "roles": list(roles),
        "scope": "",
    }
    with capture(execute=True):
        return client.post("/directory/youth-offending-service/people/invite/", data)


def link_in(message) -> str:
    match = re.search(r"(https://\S+/account/invitation/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def code(device) -> str:
    return f"{TOTP(unhexlify(device.key)).token():06d}"


def test_invited_person_sets_a_password_then_an_authenticator(
    client_as, django_capture_on_commit_callbacks, _pinned
):
    response = invite(client_as("business_unit"), capture=django_capture_on_commit_callbacks)
    jo = Person.objects.get(full_name="Jo Rigby")
    assert response["Location"] == f"/directory/people/{jo.pk}/"
    # The person, an account with no password yet, the role, and one email with the link.
    assert jo.user.email == "jo.rigby@yos.example.org"
    assert not jo.user.has_usable_password()
    assert jo.user.roles == {"group_member"}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jo.rigby@yos.example.org"]
    link = link_in(mail.outbox[0])
    assert link.startswith(SITE + "/account/invitation/")
    # The link works until a week later (7 days, the setting), as the email says.
    assert "8 June 2026, 10:00" in mail.outbox[0].body

    visitor = Client()
    opened = visitor.get(link.removeprefix(SITE))
    assert opened["Location"] == "/account/invitation/"
    page = visitor.get("/account/invitation/")
    assert page.status_code == 200
    assert "Set up your account" in page.content.decode()
    weak = visitor.post(
        "/account/invitation/", {"new_password1": "password", "new_password2": "password"}
    )
    assert "This password is too short" in weak.content.decode()
    good = "tangerine ladder quietly"
    done = visitor.post("/account/invitation/", {"new_password1": good, "new_password2": good})
    # A group member needs a second factor: straight into setting up the authenticator.
    assert done["Location"] == "/account/two-factor/set-up/"
    assert visitor.get("/directory/")["Location"] == "/account/two-factor/set-up/"
    assert visitor.get("/account/two-factor/set-up/").status_code == 200
    device = TOTPDevice.objects.get(user=jo.user, confirmed=False)
    confirmed = visitor.post("/account/two-factor/set-up/", {"token": code(device)})
    assert confirmed["Location"] == "/account/two-factor/recovery-codes/"
    assert visitor.get("/account/").status_code == 200

    # The link worked once: it now says so, in words.
    again = Client()
    again.get(link.removeprefix(SITE))
    used = again.get("/account/invitation/")
    assert used.status_code == 410
    assert "This invitation has been used" in used.content.decode()

    # And Jo signs in another day with the password and a code.
    _pinned.shift(dt.timedelta(minutes=5))
    later = Client()
    signed = later.post("/account/sign-in/", {"email": jo.user.email, "password": good})
    assert signed["Location"] == "/account/sign-in/two-factor/"
    device.refresh_from_db()
    assert later.post("/account/sign-in/two-factor/", {"token": code(device)}).status_code == 302
    assert later.get("/account/").status_code == 200

    summaries = list(
        AuditEntry.objects.filter(object_id=str(jo.user.pk)).values_list("summary", flat=True)
    )
    assert "Created the account" in summaries
    assert "Granted Group member" in summaries
    assert any(s.startswith("Sent an invitation to jo.rigby@yos.example.org") for s in summaries)
    assert "Accepted the invitation and set a password" in summaries


def test_invited_practitioner_is_signed_in_with_a_password_alone(
    client_as, django_capture_on_commit_callbacks
):
    invite(
        client_as("business_unit"),
        roles=("practitioner",),
        full_name="Siobhán O'Neill",
        capture=django_capture_on_commit_callbacks,
    )
    # A plain-text email: the name as written, not HTML-escaped.
    assert mail.outbox[0].body.startswith("Dear Siobhán O'Neill,")
    visitor = Client()
    visitor.get(link_in(mail.outbox[0]).removeprefix(SITE))
    good = "tangerine ladder quietly"
    done = visitor.post("/account/invitation/", {"new_password1": good, "new_password2": good})
    assert done["Location"] == "/"
    assert visitor.get("/account/").status_code == 200


def test_an_expired_link_says_so_and_how_to_get_a_new_one(
    client_as, django_capture_on_commit_callbacks, _pinned
):
    invite(client_as("business_unit"), capture=django_capture_on_commit_callbacks)
    _pinned.shift(dt.timedelta(days=7, seconds=1))
    visitor = Client()
    visitor.get(link_in(mail.outbox[0]).removeprefix(SITE))
    page = visitor.get("/account/invitation/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "This invitation has expired" in text
    assert "Ask the partnership's business unit to send you a new invitation" in text
    assert 'name="new_password1"' not in text


def test_resending_kills_the_old_link_and_the_new_one_works(
    client_as, django_capture_on_commit_callbacks, personas
):
    business_unit = client_as("business_unit")
    invite(business_unit, capture=django_capture_on_commit_callbacks)
    jo = Person.objects.get(full_name="Jo Rigby")
    with django_capture_on_commit_callbacks(execute=True):
        resent = business_unit.post(f"/directory/people/{jo.pk}/invitation/resend/")
    assert resent.status_code == 302
    assert len(mail.outbox) == 2
    old, new = link_in(mail.outbox[0]), link_in(mail.outbox[1])
    assert old != new
    visitor = Client()
    visitor.get(old.removeprefix(SITE))
    assert (
        "This invitation has been withdrawn" in visitor.get("/account/invitation/").content.decode()
    )
    visitor.get(new.removeprefix(SITE))
    assert visitor.get("/account/invitation/").status_code == 200
    assert Invitation.objects.filter(user=jo.user).open().count() == 1


def test_a_withdrawn_link_no_longer_works(client_as, django_capture_on_commit_callbacks):
    business_unit = client_as("business_unit")
    invite(business_unit, capture=django_capture_on_commit_callbacks)
    jo = Person.objects.get(full_name="Jo Rigby")
    assert business_unit.post(f"/directory/people/{jo.pk}/invitation/withdraw/").status_code == 302
    visitor = Client()
    visitor.get(link_in(mail.outbox[0]).removeprefix(SITE))
    page = visitor.get("/account/invitation/")
    assert page.status_code == 410
    assert "This invitation has been withdrawn" in page.content.decode()
    assert AuditEntry.objects.filter(summary="Withdrew the invitation").count() == 1


def test_an_unknown_link_gives_away_nothing(client, personas):
    client.get("/account/invitation/" + "x" * 43 + "/")
    page = client.get("/account/invitation/")
    assert page.status_code == 410
    text = page.content.decode()
    assert "This link does not work" in text
    assert "@" not in re.sub(r"<(script|head).*?</\1>", "", text, flags=re.S).split("<main")[1]


def test_nobody_gives_themselves_a_role(personas):
    manager = personas["business_unit"]
    with pytest.raises(Exception, match="You cannot give yourself a role"):
        services.role_grant(user=manager, role=Role.REVIEWER, actor=Actor.for_user(manager))
    assert manager.role_grants.count() == 1


def test_an_invitation_cannot_be_accepted_twice(personas):
    actor = Actor.for_user(personas["business_unit"])
    user = services.account_create(email="kim@example.org", full_name="Kim Ode", actor=actor)
    invitation = services.invitation_send(user=user, actor=actor)
    services.invitation_accept(invitation=invitation, password="a long passphrase", actor=actor)
    with pytest.raises(Exception, match="no longer works"):
        services.invitation_accept(invitation=invitation, password="another phrase", actor=actor)
    assert User.objects.get(pk=user.pk).check_password("a long passphrase")
