"""The training pages in Chromium with the demo's training loaded: axe on every page, and the
journey of a practitioner booking a place and cancelling it.

Run them alone with `python -m pytest -m browser partnership/training`.
"""

import pytest

from partnership.demo import knowsley
from partnership.demo.personas import DEMO_PASSWORD, build_personas, totp_key
from partnership.training import demo
from partnership.training.models import Booking, BookingStatus, Session
from partnership.website.tests.browser import (
    Problems,
    check_page,
    chromium,
    crawl,
    new_page,
    sign_in,
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def users():
    users = build_personas()
    demo.build(knowsley.build_directory(), users)
    return users


def _sign_in(page, user, problems):
    sign_in(
        page,
        user.email,
        DEMO_PASSWORD,
        totp_key=totp_key(user.email) if user.needs_two_factor else None,
        on_page=lambda page: check_page(page, problems),
    )


@pytest.mark.parametrize(
    ("key", "start", "at_least"),
    [
        (None, "/training/", 6),
        ("practitioner", "/training/my-bookings/", 8),
        ("business_unit", "/training/manage/", 25),
    ],
    ids=["anonymous", "practitioner", "business_unit"],
)
def test_every_training_page_with_data_is_accessible(
    browser, live_server, users, key, start, at_least
):
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        if key:
            _sign_in(page, users[key], problems)
        result = crawl(page, live_server.url, problems, start=start)
    finally:
        page.context.close()
    training_pages = [path for path in result.visited if path.startswith("/training/")]
    print(
        f"{key or 'anonymous'}: {len(training_pages)} training pages: {', '.join(training_pages)}"
    )
    assert len(training_pages) >= at_least, training_pages
    assert not problems, problems.report()


def test_a_practitioner_books_a_place_and_cancels_it(browser, live_server, users):
    pat = users["practitioner"]
    session = (
        Session.objects.upcoming()
        .filter(course__title__startswith="Domestic Abuse")
        .order_by("starts_at")
        .first()
    )
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        _sign_in(page, pat, problems)
        page.goto("/training/")
        check_page(page, problems)
        page.get_by_role("link", name="Domestic Abuse and its Impact on Children").first.click()
        assert page.title().startswith("Domestic Abuse and its Impact on Children")
        check_page(page, problems)
        page.get_by_role("link", name="Book a place").click()
        check_page(page, problems)
        page.get_by_label("Your manager's email address (optional)").fill("head@")
        submit(page, "Book my place")
        assert page.title().startswith("Error: Book a place"), page.title()
        check_page(page, problems)
        page.get_by_label("Your manager's email address (optional)").fill(
            "head@staidans.example.org"
        )
        submit(page, "Book my place")
        banner = page.locator(".govuk-notification-banner--success")
        assert "Your place is booked" in banner.inner_text()
        check_page(page, problems)
        booking = Booking.objects.get(user=pat, session=session)
        assert booking.status == BookingStatus.CONFIRMED

        page.get_by_role("link", name="Cancel your booking").click()
        check_page(page, problems)
        submit(page, "Cancel your booking")
        assert (
            "Your booking is cancelled" in page.locator(".govuk-notification-banner").inner_text()
        )
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CANCELLED
    finally:
        page.context.close()
    assert not problems, problems.report()
