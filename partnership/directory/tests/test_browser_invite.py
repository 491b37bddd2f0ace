"""The must-show onboarding journey in a real browser, with axe on every page.

The business unit invites a new person from the Youth Offending Service while raising an
action at a meeting, making them its owner in the same form; the invitation email holds a
working link on the served address; the person sets a password and an authenticator app,
signs in, and lands on Your work, which shows the action.
"""

import datetime as dt
import re
import time
from binascii import unhexlify

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from partnership.demo.personas import DEMO_PASSWORD, totp_key
from partnership.directory.models import Person
from partnership.governance import services as governance
from partnership.governance.models import AttendanceStatus, Group
from partnership.governance.tests.factories import SETUP
from partnership.outbox.models import OutgoingEmail
from partnership.website.tests.browser import (
    Problems,
    check_page,
    chromium,
    new_page,
    path_of,
    sign_in,
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "river lantern biscuit meadow"


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def todays_meeting():
    """A Review and Learning Group meeting that began an hour ago, its register taken."""
    group = Group.objects.get(slug="review-and-learning-group")
    starts_at = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    meeting = governance.meeting_schedule(
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        location="Huyton",
        actor=SETUP,
    )
    governance.attendance_record(
        meeting=meeting,
        entries=[
            (seat, AttendanceStatus.PRESENT, "") for seat in governance.meeting_register(meeting)
        ],
        actor=SETUP,
    )
    return meeting


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The authenticator's code now, or in a later 30-second step (within the tolerance of
    one step the device allows, so a fresh code need not wait for the clock)."""
    totp = TOTP(unhexlify(device.key), step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def test_invite_a_youth_offending_service_officer_as_an_action_owner_who_then_signs_in(
    browser, live_server, personas, settings
):
    settings.SITE_URL = live_server.url
    meeting = todays_meeting()
    manager = personas["business_unit"]
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        sign_in(page, manager.email, DEMO_PASSWORD, totp_key=totp_key(manager.email))
        page.goto(f"/groups/meetings/{meeting.pk}/actions/new/", wait_until="load")
        check_page(page, problems)
        page.get_by_label("Action").fill("Brief youth justice staff on the review's learning")
        page.get_by_text("Someone not listed: invite them").click()
        page.get_by_label("Full name (optional)").fill("Jordan Blake")
        page.get_by_label("Email address (optional)").fill("jordan.blake@yos.example.org")
        page.get_by_label("Organisation (optional)").select_option(label="Youth Offending Service")
        page.get_by_label("Job title (optional)").fill("Team Manager")
        due = timezone.localdate() + dt.timedelta(days=28)
        page.locator("input[name=due_on_day]").fill(str(due.day))
        page.locator("input[name=due_on_month]").fill(str(due.month))
        page.locator("input[name=due_on_year]").fill(str(due.year))
        check_page(page, problems)
        submit(page, "Add the action")
        expect(page.locator(".govuk-notification-banner")).to_contain_text(
            "Jordan Blake has been sent an invitation"
        )
        check_page(page, problems)
        jordan = Person.objects.get(full_name="Jordan Blake")
        assert jordan.organisation.name == "Youth Offending Service"
        assert jordan.owned_actions.get().raised_at_id == meeting.pk
    finally:
        page.context.close()

    # The email's link, absolute, opens the page to set a password.
    assert [message.to for message in mail.outbox] == [["jordan.blake@yos.example.org"]]
    # It went through the outbox, where the business unit sees that it was delivered.
    sent = OutgoingEmail.objects.get(kind="accounts.invitation")
    assert (sent.to, sent.status) == ("jordan.blake@yos.example.org", "sent")
    link = re.search(r"(http\S+/account/invitation/\S+/)", mail.outbox[0].body).group(1)
    assert link.startswith(live_server.url)
    page = new_page(browser, live_server.url, problems)
    try:
        page.goto(link, wait_until="load")
        assert path_of(page.url) == "/account/invitation/"
        expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
        check_page(page, problems)
        page.get_by_label("New password", exact=True).fill(PASSWORD)
        page.get_by_label("Confirm new password").fill(PASSWORD)
        submit(page, "Set password")
        # A group member needs an authenticator: straight into setting one up.
        assert path_of(page.url) == "/account/two-factor/set-up/"
        check_page(page, problems)
        device = TOTPDevice.objects.get(user__email="jordan.blake@yos.example.org")
        page.locator("input[name=token]").fill(code_for(device))
        submit(page, "Confirm")
        assert path_of(page.url) == "/account/two-factor/recovery-codes/"
        check_page(page, problems)
        page.goto("/account/", wait_until="load")
        submit(page, "Sign out")

        # Another day: the password and the authenticator's code sign Jordan in.
        page.goto("/account/sign-in/", wait_until="load")
        page.locator("input[name=email]").fill("jordan.blake@yos.example.org")
        page.locator("input[name=password]").fill(PASSWORD)
        submit(page, "Sign in")
        assert path_of(page.url) == "/account/sign-in/two-factor/"
        check_page(page, problems)
        device.refresh_from_db()
        page.locator("input[name=token]").fill(code_for(device, steps_ahead=1))
        submit(page, "Continue")
        # Signing in lands on Your work, which shows the action Jordan now owns.
        assert path_of(page.url) == "/work/"
        expect(page.locator("main")).to_contain_text(
            "Brief youth justice staff on the review's learning"
        )
        check_page(page, problems)
        page.goto("/account/", wait_until="load")
        expect(page.locator("main")).to_contain_text("jordan.blake@yos.example.org")
        check_page(page, problems)
    finally:
        page.context.close()
    assert not problems, problems.report()
