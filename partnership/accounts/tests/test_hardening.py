"""Security hardening of sign-in, sessions, password reset and the client's address
(issue 14 §5, §6, §7, §10): each test is one finding of the attack on production settings."""

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from partnership.accounts.mail import send_password_reset
from partnership.demo.personas import DEMO_PASSWORD, PERSONAS_BY_KEY
from partnership.outbox.models import OutgoingEmail
from partnership.trail.models import Action, AuditEntry

from .test_sign_in import current_code, post_sign_in

pytestmark = pytest.mark.django_db

PRACTITIONER = PERSONAS_BY_KEY["practitioner"].email
# Two proxies: the load balancer (10.0.0.1) and the reverse proxy in front of the application
# (10.0.0.2, which is REMOTE_ADDR). The load balancer wrote the client's address, 203.0.113.7.
BEHIND_TWO = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7, 10.0.0.1"}


def sign_in_entries(user=None):
    entries = AuditEntry.objects.filter(action=Action.SIGN_IN)
    return entries.filter(actor=user) if user is not None else entries


# The client's address behind proxies (§7) -----------------------------------------------


def test_behind_two_proxies_the_trail_names_the_real_client(settings, personas):
    settings.PROXY_COUNT = 2
    assert post_sign_in(Client(), PRACTITIONER, **BEHIND_TWO).status_code == 302
    # The client put an address of its own in front: it is not believed.
    forged = {**BEHIND_TWO, "HTTP_X_FORWARDED_FOR": "192.0.2.66, 203.0.113.7, 10.0.0.1"}
    assert post_sign_in(Client(), PRACTITIONER, **forged).status_code == 302
    addresses = list(sign_in_entries(personas["practitioner"]).values_list("ip_address", flat=True))
    assert addresses == ["203.0.113.7", "203.0.113.7"]


def test_behind_two_proxies_the_lock_out_counts_the_real_client(settings, personas):
    settings.PROXY_COUNT = 2
    settings.AXES_FAILURE_LIMIT = 2
    # Each try forges a different first entry, hoping to count as a new address.
    for forged in ("192.0.2.1", "192.0.2.2"):
        headers = {**BEHIND_TWO, "HTTP_X_FORWARDED_FOR": f"{forged}, 203.0.113.7, 10.0.0.1"}
        post_sign_in(Client(), PRACTITIONER, "guess guess guess", **headers)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    headers = {**BEHIND_TWO, "HTTP_X_FORWARDED_FOR": "192.0.2.3, 203.0.113.7, 10.0.0.1"}
    assert post_sign_in(Client(), PRACTITIONER, **headers).status_code == 429
    # Another client behind the same proxies is not locked out.
    other = {**BEHIND_TWO, "HTTP_X_FORWARDED_FOR": "198.51.100.20, 10.0.0.1"}
    assert post_sign_in(Client(), PRACTITIONER, **other).status_code == 302


def test_with_no_proxies_the_forwarded_header_is_ignored(settings, personas):
    settings.PROXY_COUNT = 0
    direct = {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert post_sign_in(Client(), PRACTITIONER, **direct).status_code == 302
    assert sign_in_entries(personas["practitioner"]).get().ip_address == "198.51.100.4"


# Sign-in and sessions (§10) -------------------------------------------------------------


@pytest.mark.parametrize("target", ["foo", "/no/such/page/", "//evil.example/", "javascript:x"])
def test_an_unsafe_or_unknown_next_goes_to_your_work(client, personas, target):
    response = client.post(
        f"/account/sign-in/?next={target}", {"email": PRACTITIONER, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/work/"
    assert sign_in_entries(personas["practitioner"]).count() == 1


def test_a_good_next_is_followed(client, personas):
    response = client.post(
        "/account/sign-in/?next=/training/", {"email": PRACTITIONER, "password": DEMO_PASSWORD}
    )
    assert response["Location"] == "/training/"


def test_signed_in_is_written_only_when_the_second_factor_is_passed(client, personas):
    user = personas["business_unit"]
    device = TOTPDevice.objects.get(user=user)
    with time_machine.travel(timezone.now(), tick=False):
        post_sign_in(client, user.email)
        # The password alone is not a sign-in yet.
        assert not sign_in_entries(user).exists()
        key_before = client.session.session_key
        response = client.post("/account/sign-in/two-factor/", {"token": current_code(device)})
    assert response.status_code == 302
    [entry] = sign_in_entries(user)
    assert "two-factor" in entry.summary
    # The session key is a new one once the second factor is passed.
    assert client.session.session_key != key_before
    assert client.get("/directory/").status_code == 200


def test_a_session_ends_twelve_hours_after_sign_in_however_busy(client, personas):
    with time_machine.travel("2026-11-23 08:00 +0000", tick=False) as traveller:
        post_sign_in(client, PRACTITIONER)
        # A page every 20 minutes keeps it from going idle: 11 h 40 min of work is fine.
        for _ in range(35):
            traveller.shift(20 * 60)
            assert client.get("/account/").status_code == 200
        traveller.shift(20 * 60)  # 12 hours after signing in
        response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")


def test_a_bogus_host_header_is_a_400_not_a_500(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "<h1" in response.content.decode()


def test_a_refused_page_is_on_the_trail_once_a_minute(client_as, personas):
    client = client_as("practitioner")
    with time_machine.travel("2026-11-23 10:00:05 +0000", tick=False) as traveller:
        assert client.get("/directory/", REMOTE_ADDR="198.51.100.8").status_code == 403
        assert client.get("/directory/", REMOTE_ADDR="198.51.100.8").status_code == 403
        [entry] = AuditEntry.objects.filter(action=Action.REFUSED)
        assert entry.actor == personas["practitioner"]
        assert entry.ip_address == "198.51.100.8"
        assert entry.summary == "Was refused access (403): GET /directory/"
        traveller.shift(60)
        client.get("/directory/", REMOTE_ADDR="198.51.100.8")
    assert AuditEntry.objects.filter(action=Action.REFUSED).count() == 2


def test_refusals_from_one_client_are_bounded(client_as, personas):
    from .test_permission_matrix import MATRIX, _url

    client = client_as("practitioner")
    refused_pages = [
        _url(name, kwargs, personas)
        for name, (method, kwargs, expected) in MATRIX.items()
        if method == "get" and expected["practitioner"] == 403 and not callable(kwargs)
    ][:15]
    assert len(refused_pages) == 15
    with time_machine.travel("2026-11-23 10:00:05 +0000", tick=False):
        # 15 different refused pages in one minute: the trail keeps the first 10.
        for url in refused_pages:
            assert client.get(url).status_code == 403
    refused = AuditEntry.objects.filter(action=Action.REFUSED)
    assert [entry.summary.split(" ")[-1] for entry in refused.order_by("id")] == refused_pages[:10]


def test_a_failed_sign_in_is_on_the_trail_as_a_visitor(personas):
    post_sign_in(Client(), PRACTITIONER, "wrong password!", REMOTE_ADDR="198.51.100.9")
    [entry] = AuditEntry.objects.filter(action=Action.SIGN_IN_FAILED)
    assert entry.actor is None and entry.actor_kind == "visitor"
    assert entry.ip_address == "198.51.100.9"
    assert PRACTITIONER in entry.summary
    assert not sign_in_entries().exists()


# Password reset (§6) --------------------------------------------------------------------


@pytest.fixture
def queued_tasks(settings):
    """Tasks queue in the database, as in production, instead of running at once."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return DBTaskResult.objects


def test_a_reset_for_a_known_and_an_unknown_address_looks_and_queues_the_same(
    queued_tasks, personas
):
    entries_before = AuditEntry.objects.count()
    known = Client().post("/account/password/reset/", {"email": PRACTITIONER})
    unknown = Client().post("/account/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/account/password/reset/sent/"
    # Nothing is sent in the request; one task is queued either way, and nothing else changes.
    assert mail.outbox == []
    assert [task.task_path for task in queued_tasks.order_by("enqueued_at")] == [
        "partnership.accounts.mail.send_password_reset",
        "partnership.accounts.mail.send_password_reset",
    ]
    assert AuditEntry.objects.count() == entries_before
    # The worker looks the address up: only the account's owner gets an email.
    assert send_password_reset.call(PRACTITIONER) == 1
    assert send_password_reset.call("nobody@example.org") == 0
    queued = OutgoingEmail.objects.filter(kind="accounts.password_reset")
    assert [email.to for email in queued] == [PRACTITIONER]


@pytest.mark.parametrize("email", [PRACTITIONER, "nobody@example.org"], ids=["known", "unknown"])
def test_the_fourth_reset_for_one_address_in_an_hour_is_refused_politely(
    queued_tasks, personas, email
):
    with time_machine.travel("2026-11-23 10:05 +0000", tick=False) as traveller:
        for n in range(3):
            # From different places, so only the address's own limit counts.
            response = Client().post(
                "/account/password/reset/", {"email": email}, REMOTE_ADDR=f"198.51.100.{n}"
            )
            assert response.status_code == 302
        refused = Client().post("/account/password/reset/", {"email": email})
        assert refused.status_code == 429
        page = refused.content.decode()
        assert "Too many requests to reset a password" in page
        assert "If the email address you entered belongs to an account" in page
        assert email not in page
        assert queued_tasks.count() == 3
        traveller.shift(60 * 60)  # the next hour
        again = Client().post("/account/password/reset/", {"email": email})
    assert again.status_code == 302


def test_one_client_may_ask_for_twenty_resets_an_hour(queued_tasks, personas):
    with time_machine.travel("2026-11-23 10:05 +0000", tick=False):
        codes = [
            Client()
            .post(
                "/account/password/reset/", {"email": f"n{n}@example.org"}, REMOTE_ADDR="192.0.2.5"
            )
            .status_code
            for n in range(21)
        ]
    assert codes == [302] * 20 + [429]
    assert queued_tasks.count() == 20


def test_the_refusal_page_is_the_same_for_a_known_and_an_unknown_address(personas):
    pages = []
    for email in (PRACTITIONER, "nobody@example.org"):
        for _ in range(3):
            Client().post("/account/password/reset/", {"email": email})
        response = Client().post("/account/password/reset/", {"email": email})
        assert response.status_code == 429
        pages.append(_without_tokens(response.content.decode()))
    assert pages[0] == pages[1]


def _without_tokens(text: str) -> str:
    import re

    return re.sub(r'(nonce|value)="[^"]+"', "", text)


def test_the_reset_link_uses_the_site_address_not_the_host_header(settings, personas):
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    settings.SITE_URL = "https://partnership.example.org"
    Client().post("/account/password/reset/", {"email": PRACTITIONER}, HTTP_HOST="attacker.example")
    [message] = mail.outbox
    [link] = [line for line in message.body.splitlines() if "/password/reset/" in line]
    assert link.startswith("https://partnership.example.org/account/password/reset/")
    assert "attacker.example" not in message.body


def test_a_first_authenticator_completes_signing_in(client, personas):
    from partnership.accounts.models import Role, RoleGrant, User

    user = User.objects.create_user(
        "new.member@example.org", "a long enough passphrase", full_name="New Member"
    )
    RoleGrant.objects.create(user=user, role=Role.GROUP_MEMBER)
    post_sign_in(client, user.email, "a long enough passphrase")
    client.get("/account/two-factor/set-up/")
    assert not sign_in_entries(user).exists()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post("/account/two-factor/set-up/", {"token": current_code(device)})
    assert [entry.summary for entry in sign_in_entries(user)] == [
        "Signed in with a password and a new authenticator"
    ]
