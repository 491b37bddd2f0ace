"""Every page each persona can reach, in a real browser: no server errors, no axe violations.

Chromium (the system one) is driven by Playwright against pytest-django's live server, which
runs with DEBUG off as in production. Each persona signs in through the real pages, second
factor included, then follows every same-origin link from the home page (up to a cap per
persona). Every page is checked with axe-core (WCAG 2.0-2.2 A and AA) and for server errors;
all problems are reported together at the end.

Run them alone with `python -m pytest -m browser`.
"""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from partnership.demo.personas import DEMO_PASSWORD, PERSONAS, build_personas, totp_key

from .browser import (
    CRAWL_LIMIT,
    Problems,
    check_page,
    chromium,
    crawl,
    new_page,
    sign_in,
    submit,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

# Personas whose crawl must reach well beyond the public pages.
STAFF_PAGES_AT_LEAST = {"business_unit": 8}


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def sign_in_as(page, user, problems):
    """Sign the user in through the sign-in pages, checking each with axe on the way."""
    sign_in(
        page,
        user.email,
        DEMO_PASSWORD,
        totp_key=totp_key(user.email) if user.needs_two_factor else None,
        on_page=lambda page: check_page(page, problems),
    )


@pytest.mark.parametrize(
    "key", [None, *(persona.key for persona in PERSONAS)], ids=lambda key: key or "anonymous"
)
def test_every_reachable_page_is_accessible(browser, live_server, key):
    users = build_personas()
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        if key is not None:
            sign_in_as(page, users[key], problems)
        result = crawl(page, live_server.url, problems)
    finally:
        page.context.close()

    who = key or "anonymous"
    print(f"{who}: {result.summary()}: {', '.join(result.visited)}")
    minimum = STAFF_PAGES_AT_LEAST.get(key, 1)
    if len(result.visited) < minimum:
        problems.add("/", f"{who} reached only {len(result.visited)} pages, expected {minimum}+")
    if result.capped:
        problems.add("/", f"the crawl stopped at its safety cap of {CRAWL_LIMIT} pages")
    if problems:
        pytest.fail(
            f"As {who}, the crawl {result.summary()} (cap {CRAWL_LIMIT}) and found:\n"
            f"{problems.report()}\n"
            f"Pages visited: {', '.join(result.visited)}",
            pytrace=False,
        )


def test_the_stylesheet_is_served(browser, live_server, client):
    """The GOV.UK styles load in the live server and through WhiteNoise (DEBUG off)."""
    page = new_page(browser, live_server.url, Problems())
    try:
        response = page.goto("/static/govuk/application.css")
        assert response is not None and response.status == 200, "application.css did not load"
        assert response.headers["content-type"].startswith("text/css")
        assert len(response.body()) > 10_000
    finally:
        page.context.close()
    # The live server answers /static/ itself; the test client goes through the middleware.
    response = client.get("/static/govuk/application.css")
    assert response.status_code == 200, f"WhiteNoise did not serve application.css: {response}"
    assert response["Content-Type"].startswith("text/css")


def test_adding_an_organisation_with_a_mistake_first(browser, live_server):
    """The business unit adds an organisation, forgetting its name the first time."""
    users = build_personas()
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        sign_in_as(page, users["business_unit"], problems)

        # The directory is under "More" in the navigation.
        with page.expect_navigation():
            page.get_by_role("navigation", name="Menu").get_by_role("link", name="More").click()
        with page.expect_navigation():
            page.locator("main").get_by_role("link", name="Directory").click()
        assert page.title().startswith("Directory of organisations")
        check_page(page, problems)

        with page.expect_navigation():
            page.get_by_role("link", name="Add an organisation").click()
        assert page.title().startswith("Add an organisation")
        check_page(page, problems)

        # The mistake: everything but the name.
        page.get_by_label("Safeguarding partner").check()
        submit(page, "Save")
        assert page.title().startswith("Error: Add an organisation"), page.title()
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible(), "No error summary after saving without a name"
        assert summary.get_by_role("heading").inner_text() == "There is a problem"
        link = summary.get_by_role("link", name="Enter the organisation's name")
        assert link.get_attribute("href") == "#id_name"
        try:
            page.wait_for_function(
                "() => document.activeElement?.classList.contains('govuk-error-summary')",
                timeout=5_000,
            )
        except PlaywrightTimeoutError:
            pytest.fail("The error summary did not take focus (GOV.UK Frontend's JavaScript)")
        assert page.locator("#id_name").get_attribute("aria-describedby") is not None
        check_page(page, problems)
        link.click()
        assert page.evaluate("() => document.activeElement.id") == "id_name"

        page.locator("#id_name").fill("Knowsley Youth Forum")
        submit(page, "Save")
        banner = page.locator(".govuk-notification-banner--success")
        assert banner.is_visible(), f"No success banner after adding: {page.url}"
        assert "Knowsley Youth Forum has been added" in banner.inner_text()
        assert page.get_by_role("heading", level=1).inner_text() == "Knowsley Youth Forum"
        check_page(page, problems)
    finally:
        page.context.close()
    if problems:
        pytest.fail(f"Adding an organisation found:\n{problems.report()}", pytrace=False)
