import datetime as dt
from binascii import unhexlify

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership import settings as project_settings
from partnership.accounts.forms import SIGN_IN_ERROR
from partnership.accounts.models import Role, RoleGrant, User
from partnership.demo.personas import DEMO_PASSWORD, PERSONAS_BY_KEY
from partnership.trail.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{TOTP(unhexlify(device.key)).token():06d}"


def post_sign_in(client, email, password=DEMO_PASSWORD, **extra):
    return client.post("/account/sign-in/", {"email": email, "password": password}, **extra)


def test_passwords_are_hashed_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_practitioner_signs_in_with_a_password_alone(client, personas):
    response = post_sign_in(client, PERSONAS_BY_KEY["practitioner"].email)
    assert response.status_code == 302
    assert response["Location"] == "/work/"
    assert client.get("/account/").status_code == 200
    assert AuditEntry.objects.filter(actor=personas["practitioner"], action=Action.SIGN_IN).exists()


def test_staff_must_pass_two_factor_before_any_page(client, personas):
    user = personas["business_unit"]
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        response = post_sign_in(client, user.email)
        assert response["Location"] == "/account/sign-in/two-factor/"
        # With the password alone, every other page sends them back to the code.
        blocked = client.get("/directory/")
        assert blocked.status_code == 302
        assert blocked["Location"] == "/account/sign-in/two-factor/"
        wrong = client.post("/account/sign-in/two-factor/", {"token": "000000"})
        assert wrong.status_code == 200
        assert "The code is not right" in wrong.content.decode()
        # Straight after a wrong code, even the right one must wait: guessing is slowed down.
        hurried = client.post("/account/sign-in/two-factor/", {"token": current_code(device)})
        assert "Wait a few seconds" in hurried.content.decode()
        traveller.shift(5)
        right = client.post("/account/sign-in/two-factor/", {"token": current_code(device)})
    assert right.status_code == 302
    assert client.get("/directory/").status_code == 200


def test_a_recovery_code_works_once(personas):
    user = personas["group_member"]
    from partnership.accounts.services import recovery_codes_issue
    from partnership.trail.actors import Actor

    codes = recovery_codes_issue(actor=Actor.for_user(user))
    assert len(codes) == 10
    first = Client()
    post_sign_in(first, user.email)
    assert first.post("/account/sign-in/two-factor/", {"token": codes[0]}).status_code == 302
    assert first.get("/groups/").status_code == 200

    second = Client()
    post_sign_in(second, user.email)
    reused = second.post("/account/sign-in/two-factor/", {"token": codes[0]})
    assert reused.status_code == 200
    assert "The code is not right" in reused.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_new_staff_account_sets_up_an_authenticator_and_gets_recovery_codes(client, personas):
    user = User.objects.create_user(
        "new.member@example.org", "a long enough passphrase", full_name="New Member"
    )
    RoleGrant.objects.create(user=user, role=Role.GROUP_MEMBER)
    response = post_sign_in(client, user.email, "a long enough passphrase")
    assert client.get(response["Location"])["Location"] == "/account/two-factor/set-up/"
    page = client.get("/account/two-factor/set-up/")
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post("/account/two-factor/set-up/", {"token": current_code(device)})
    assert confirmed["Location"] == "/account/two-factor/recovery-codes/"
    codes_page = client.get("/account/two-factor/recovery-codes/").content.decode()
    tokens = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert len(tokens) == 10
    assert all(token in codes_page for token in tokens)
    # Shown once only.
    assert tokens[0] not in client.get("/account/two-factor/recovery-codes/").content.decode()
    assert client.get("/groups/").status_code == 200


def test_sign_in_does_not_reveal_whether_an_account_exists(personas):
    known = post_sign_in(Client(), PERSONAS_BY_KEY["practitioner"].email, "wrong password!")
    unknown = post_sign_in(Client(), "nobody@example.org", "wrong password!")
    assert known.status_code == unknown.status_code == 200
    assert SIGN_IN_ERROR in known.content.decode()
    assert SIGN_IN_ERROR in unknown.content.decode()
    # Apart from the email typed and the form token, the two pages are identical.
    assert _same_except_tokens(known, unknown)


def _same_except_tokens(first, second) -> bool:
    import re

    def normalise(response, email):
        text = response.content.decode().replace(email, "EMAIL")
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r'nonce="[^"]+"', "", text)  # the CSP nonce is new on every page

    return normalise(first, PERSONAS_BY_KEY["practitioner"].email) == normalise(
        second, "nobody@example.org"
    )


def test_password_reset_does_not_reveal_whether_an_account_exists(personas):
    known = Client().post(
        "/account/password/reset/", {"email": PERSONAS_BY_KEY["practitioner"].email}
    )
    unknown = Client().post("/account/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/sent/"
    assert [message.to for message in mail.outbox] == [[PERSONAS_BY_KEY["practitioner"].email]]


def test_password_reset_link_sets_a_new_password(personas):
    email = PERSONAS_BY_KEY["practitioner"].email
    Client().post("/account/password/reset/", {"email": email})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    client = Client()
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Set a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "three random words here", "new_password2": "three random words here"},
    )
    assert response.status_code == 302
    assert post_sign_in(Client(), email, "three random words here").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "too short"),
        ("password1234", "too common"),
        ("12345678901234", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client_as, password, message):
    client = client_as("practitioner")
    response = client.post(
        "/account/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_long_passphrases_are_welcome_and_no_rotation_is_forced(client_as, personas):
    client = client_as("practitioner")
    passphrase = "my cat likes to sit on the warm laptop keyboard every morning " * 2
    response = client.post(
        "/account/password/",
        {"old_password": DEMO_PASSWORD, "new_password1": passphrase, "new_password2": passphrase},
    )
    assert response.status_code == 302
    # Years later the password still works: nothing expires it.
    with time_machine.travel("2031-01-01"):
        assert post_sign_in(Client(), personas["practitioner"].email, passphrase).status_code == 302


def test_lock_out_is_by_email_and_address_together(settings, personas):
    settings.AXES_FAILURE_LIMIT = 3
    email = PERSONAS_BY_KEY["practitioner"].email
    attacker = {"REMOTE_ADDR": "203.0.113.9"}
    for _ in range(3):
        post_sign_in(Client(), email, "guess guess guess", **attacker)
    locked = post_sign_in(Client(), email, DEMO_PASSWORD, **attacker)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    # The real owner, signing in from their own address, is not locked out by the attacker.
    owner = post_sign_in(Client(), email, DEMO_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert owner.status_code == 302


def test_sessions_end_after_30_minutes_without_a_request(client, personas):
    with time_machine.travel("2026-11-23 10:00", tick=False) as traveller:
        post_sign_in(client, PERSONAS_BY_KEY["practitioner"].email)
        assert client.get("/account/").status_code == 200
        traveller.shift(60 * 20)
        assert client.get("/account/").status_code == 200  # activity moves the expiry on
        traveller.shift(60 * 31)
        response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_sign_out_needs_a_post_and_ends_the_session(client_as):
    client = client_as("practitioner")
    assert client.get("/account/sign-out/").status_code == 405
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/account/").status_code == 302


def test_next_parameter_cannot_send_you_to_another_site(client, personas):
    response = client.post(
        "/account/sign-in/?next=https://evil.example.com/",
        {"email": PERSONAS_BY_KEY["practitioner"].email, "password": DEMO_PASSWORD},
    )
    assert response["Location"] == "/work/"


def test_unknown_persona_email_is_just_a_failed_sign_in(client, db):
    response = post_sign_in(client, "not-an-email", "x")
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()


def test_a_page_view_moves_the_idle_expiry_at_most_once_a_minute(client, personas):
    from django.contrib.sessions.models import Session

    def expiry():
        return Session.objects.get(session_key=client.session.session_key).expire_date

    with time_machine.travel("2026-11-23 10:00", tick=False) as traveller:
        post_sign_in(client, PERSONAS_BY_KEY["practitioner"].email)
        client.get("/account/")
        first = expiry()
        traveller.shift(30)
        client.get("/account/")
        assert expiry() == first  # within the minute: no session write
        traveller.shift(31)
        client.get("/account/")
        assert expiry() == first + dt.timedelta(seconds=61)
