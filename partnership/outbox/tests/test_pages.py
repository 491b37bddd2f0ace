"""The business unit's "Sent email" pages: the list, one email, retry now."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.outbox.models import EmailStatus, OutgoingEmail
from partnership.outbox.services import email_queue
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

JOB = Actor.system("outbox tests")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def queue(**fields) -> OutgoingEmail:
    fields.setdefault("to", "ann.lee@example.org")
    fields.setdefault("subject", "Your place is booked")
    fields.setdefault("text", "See you on Friday.")
    fields.setdefault("kind", "training.booking.confirmed")
    fields.setdefault("actor", JOB)
    return email_queue(**fields)


def test_the_list_shows_the_newest_first_and_filters(client_as, mail_server_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with time_machine.travel(NOON, tick=False):
        queue(subject="Older, failed", to="bob.day@example.org", kind="reviews.reminder")
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        queue(subject="Newer, failed too")
    client = client_as("business_unit")
    page = client.get("/email/").content.decode()
    assert "2 emails" in page
    newer = OutgoingEmail.objects.get(subject="Newer, failed too")
    assert f'href="/email/{newer.pk}/">Newer, failed too</a>' in page
    assert page.index("Newer, failed too") < page.index("Older, failed")
    filtered = client.get("/email/", {"to": "BOB.DAY"}).content.decode()
    assert "Older, failed" in filtered and "Newer, failed too" not in filtered
    by_kind = client.get("/email/", {"kind": "reviews.reminder"}).content.decode()
    assert "Older, failed" in by_kind and "Newer, failed too" not in by_kind
    assert "No emails match." in client.get("/email/", {"status": "sent"}).content.decode()
    failed = client.get("/email/", {"status": "failed"}).content.decode()
    assert "2 emails" in failed


def test_the_list_costs_the_same_queries_for_3_emails_as_for_60(client_as):
    client = client_as("business_unit")
    client.get("/email/")  # the session's first request writes its expiry: not counted
    for number in range(3):
        queue(subject=f"Email {number}", kind=f"tests.kind{number}")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/email/").status_code == 200
    for number in range(57):
        queue(subject=f"More {number}", kind=f"tests.more{number % 5}")
    with CaptureQueriesContext(connection) as many:
        response = client.get("/email/")
    assert "60 emails" in response.content.decode()
    assert len(many) == len(few)


def test_one_email_shows_its_headers_body_history_and_what_it_is_about(client_as, personas):
    bob = personas["business_unit"]
    with time_machine.travel(NOON, tick=False):
        email = queue(
            text="Dear Ann,\n\nSee you on Friday.\nKSCP",
            attachments=[("training.ics", b"BEGIN:VCALENDAR", "text/calendar; method=REQUEST")],
            related=bob,
        )
    page = client_as("business_unit").get(email.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-l govuk-!-text-break-word">Your place is booked</h1>' in page
    assert "ann.lee@example.org" in page
    assert "Dear Ann," in page and "See you on Friday.<br>KSCP" in page
    assert "training.ics (15 Bytes, text/calendar)" in page  # len("BEGIN:VCALENDAR") == 15
    assert "System: outbox tests" in page
    assert f"{bob}" in page  # an account has no page of its own: named, not linked
    assert "Retry now" not in page  # sent
    assert AuditEntry.objects.filter(object_type="outbox.outgoingemail", action="view").count() == 1


def test_a_failed_email_is_retried_from_its_page(client_as, mail_server_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    email = queue()
    client = client_as("business_unit")
    page = client.get(email.get_absolute_url()).content.decode()
    assert "This email was not delivered after 1 try." in page
    assert "ConnectionRefusedError: mail server down" in page
    assert "Retry now" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(f"/email/{email.pk}/retry/", follow=True)
    assert "The email to ann.lee@example.org is being sent again" in response.content.decode()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_a_secret_body_is_not_shown_to_the_business_unit(client_as, mail_server_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    email = queue(subject="Reset your password", text="https://x/reset/abc", secret=True)
    page = client_as("business_unit").get(email.get_absolute_url()).content.decode()
    assert "https://x/reset/abc" not in page
    assert "it carries a one-time link for ann.lee@example.org alone" in page


def test_under_debug_every_body_is_shown(client_as, mail_server_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    settings.DEBUG = True
    email = queue(subject="Reset your password", text="https://x/reset/abc", secret=True)
    page = client_as("business_unit").get(email.get_absolute_url()).content.decode()
    assert "https://x/reset/abc" in page


def test_sent_email_is_in_the_business_units_navigation_only(client_as):
    # Under "More" in the navigation (partnership/web/navigation.py).
    assert 'href="/email/"' in client_as("business_unit").get("/work/menu/").content.decode()
    assert (
        'href="/email/"' not in client_as("independent_chair").get("/work/menu/").content.decode()
    )


def test_an_email_links_to_the_record_it_is_about(client_as):
    from partnership.tests_support import make_organisation

    agency = make_organisation("Knowsley Youth Service")
    email = queue(related=agency)
    page = client_as("business_unit").get(email.get_absolute_url()).content.decode()
    assert f'<a class="govuk-link" href="{agency.get_absolute_url()}">{agency}</a>' in page
