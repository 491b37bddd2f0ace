"""The Sent email pages in Chromium: axe on each, nothing wider than a 390 px phone, and the
business unit retrying a failed email.

Run them alone with `python -m pytest -m browser partnership/outbox`.
"""

import pytest

from partnership.demo.personas import DEMO_PASSWORD, build_personas, totp_key
from partnership.outbox.models import EmailStatus, OutgoingEmail
from partnership.outbox.services import email_queue
from partnership.trail.actors import Actor
from partnership.website.tests.browser import Problems, check_page, chromium, new_page, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

LONG_LINK = "https://127.0.0.1:8000/training/evaluation/" + "x" * 120 + "/"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_the_business_unit_reads_and_retries_email_on_a_phone(browser, live_server, settings):
    users = build_personas()
    settings.OUTBOX_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.DownBackend"
    email = email_queue(
        to="a.very.long.address.for.a.designated.safeguarding.lead@primary-school.example.org",
        subject="How was it? Evaluate Neglect: Graded Care Profile 2 (multi-agency, level 3)",
        text=f"Dear Ann,\n\nPlease tell us how it went:\n{LONG_LINK}\n\nKSCP",
        attachments=[("training.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        kind="training.evaluation",
        actor=Actor.system("browser test"),
    )
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    bea = users["business_unit"]
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        sign_in(page, bea.email, DEMO_PASSWORD, totp_key=totp_key(bea.email))
        # Signed in at desktop width (the sign-in helper looks for the navigation's links).
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto("/email/")
        check_page(page, problems)
        assert _overflow(page) <= 0, "the list is wider than the phone"
        page.get_by_role("link", name=email.subject).click()
        check_page(page, problems)
        assert page.locator("h1").inner_text() == email.subject
        assert _overflow(page) <= 0, "the email's page is wider than the phone"
        page.get_by_role("button", name="Retry now").click()
        assert "is being sent again" in page.locator(".govuk-notification-banner").inner_text()
        check_page(page, problems)
    finally:
        page.context.close()
    assert OutgoingEmail.objects.get(pk=email.pk).status == EmailStatus.SENT
    assert not problems, problems.report()
