"""The directory's pages and the renaming form in a real browser, checked with axe.

The business unit finds the health partner by its former name, opens its page (today's name,
"Formerly ..."), then records a school becoming an academy: the form, the form with its
errors, and the page after, each checked for server errors and axe (WCAG 2.2 AA) violations.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.demo.personas import DEMO_PASSWORD, totp_key
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


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def test_finding_the_icb_by_its_old_name_and_recording_a_renaming(browser, live_server, personas):
    user = personas["business_unit"]
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    try:
        sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
        page.goto("/directory/?q=Clinical+Commissioning", wait_until="load")
        check_page(page, problems)
        with page.expect_navigation(wait_until="load"):
            page.locator("main").get_by_role(
                "link", name="NHS Cheshire and Merseyside Integrated Care Board"
            ).click()
        assert path_of(page.url) == "/directory/knowsley-ccg/"
        expect(page.locator("main")).to_contain_text(
            "Formerly Knowsley Clinical Commissioning Group (until 30 June 2022)"
        )
        check_page(page, problems)

        page.goto("/directory/st-aidans-primary-school/", wait_until="load")
        with page.expect_navigation(wait_until="load"):
            page.locator("main").get_by_role("link", name="Record a new name").click()
        check_page(page, problems)
        submit(page, "Record the new name")
        summary = page.locator(".govuk-error-summary")
        expect(summary.get_by_role("link", name="Enter the new name")).to_be_visible()
        expect(summary.get_by_role("link", name="Enter the date of the change")).to_be_visible()
        assert page.title().startswith("Error: ")
        check_page(page, problems)

        today = timezone.localdate()
        page.get_by_label("New name").fill("St Aidan's Catholic Academy")
        page.get_by_label("New short name (optional)").fill("St Aidan's Academy")
        page.locator("input[name=renamed_on_day]").fill(str(today.day))
        page.locator("input[name=renamed_on_month]").fill(str(today.month))
        page.locator("input[name=renamed_on_year]").fill(str(today.year))
        submit(page, "Record the new name")
        expect(page.get_by_role("heading", level=1)).to_have_text("St Aidan's Catholic Academy")
        expect(page.locator("main")).to_contain_text("Formerly St Aidan's Primary School (until")
        check_page(page, problems)
    finally:
        page.context.close()
    assert not problems, problems.report()
