"""The business plan's pages in a real browser, full of the demo's plans, checked with axe.

The site-wide crawl signs in with the personas only, so it finds no plan to open. This test
loads the whole Knowsley demo (the plans need the governance priorities and meetings, the
reviews and the indicators), reaches the plan, a priority, an action and a thematic report by
following links from /plans/ as a person would, and checks those pages and the plans forms,
with and without errors, for server errors and axe (WCAG 2.2 AA) violations.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.demo.personas import DEMO_PASSWORD, totp_key
from partnership.plans import services
from partnership.plans.demo import current_plan_period
from partnership.plans.models import Action, Plan
from partnership.trail.actors import Actor
from partnership.website.tests.browser import (
    Problems,
    check_page,
    chromium,
    new_page,
    path_of,
    sign_in,
    submit,
)


def _current():
    """The demo's current plan: slug, title and dates, made from today."""
    return current_plan_period(timezone.localdate())


pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def follow(page, name, problems, *, exact=False):
    """Click the link in the main content and check the page it leads to."""
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("link", name=name, exact=exact).first.click()
    check_page(page, problems)
    return path_of(page.url)


def visit(page, path, problems):
    response = page.goto(path, wait_until="load")
    if response is None or response.status >= 400:
        problems.add(path, f"status {response.status if response else 'none'}")
    check_page(page, problems)


def test_plan_pages_with_the_demo_are_reachable_and_accessible(
    browser, live_server, personas, demo
):
    user = personas["business_unit"]
    current = Plan.objects.get(slug=_current()[0])
    problems = Problems()
    page = new_page(browser, live_server.url, problems)
    visited = []
    try:
        sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
        # From the menu's business plan page to a plan, a priority, a report and an action.
        visit(page, "/plans/", problems)
        visited.append(follow(page, current.title, problems, exact=True))
        assert visited[-1] == current.get_absolute_url()
        visited.append(follow(page, "Child exploitation", problems, exact=True))
        assert re.fullmatch(r"/plans/priorities/\d+/", visited[-1]), visited[-1]
        visited.append(follow(page, "Report for the meeting on", problems))
        assert re.fullmatch(r"/plans/meetings/\d+/thematic-report/", visited[-1])
        expect(page.get_by_role("heading", level=1)).to_contain_text("Child exploitation")
        page.go_back(wait_until="load")
        visited.append(follow(page, "Shield team", problems))
        shield = Action.objects.get(outcome__priority__plan=current, title__startswith="Shield")
        assert visited[-1] == shield.get_absolute_url()
        # The update form, then the form after a bad submission (no RAG rating).
        expect(page.get_by_role("heading", name="Add a progress update")).to_be_visible()
        page.get_by_label("Progress since the last update").fill("Two posts filled.")
        submit(page, "Save the update")
        summary = page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary.get_by_role("link", name="Select a RAG rating")).to_be_visible()
        assert page.title().startswith("Error: ")
        check_page(page, problems)

        # The other plan pages, some with their errors.
        visit(page, "/plans/review/", problems)
        expect(page.locator("main")).to_contain_text(current.title)
        visit(page, "/plans/plan/2020-2022/carry-over/", problems)
        submit(page, "Carry the actions over")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Select the plan")
        check_page(page, problems)
        visit(page, "/plans/plan-on-a-page/", problems)
        expect(page.locator("main")).to_contain_text(current.title)
        visit(page, current.get_absolute_url() + "edit/", problems)

        priority = shield.outcome.priority
        visit(page, f"/plans/priorities/{priority.pk}/edit/", problems)
        page.get_by_label("Place in the order").fill("0")
        submit(page, "Save the priority")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number from 1 to")
        check_page(page, problems)
        visit(page, f"/plans/outcomes/{shield.outcome_id}/edit/", problems)
        page.get_by_label("Outcome", exact=True).fill("")
        submit(page, "Save the outcome")
        expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the outcome")
        check_page(page, problems)
        # A removal refused (the priority has actions), before and after trying.
        visit(page, f"/plans/priorities/{priority.pk}/remove/", problems)
        expect(page.locator("main")).to_contain_text("cannot be removed because it has")
        visit(page, f"/plans/actions/{shield.pk}/remove/", problems)
        # A removal that may go ahead: an action added a moment ago, with no updates.
        bare = services.action_save(
            action=Action(
                outcome=shield.outcome,
                title="An action added by mistake",
                owner=shield.owner,
                due_on=shield.due_on,
                measure_of_success="None",
            ),
            actor=Actor.for_user(user),
        )
        visit(page, f"/plans/actions/{bare.pk}/remove/", problems)
        expect(page.locator("main").get_by_role("button", name="Remove the action")).to_be_visible()
    finally:
        page.context.close()
    assert not problems, f"Visited {visited}:\n{problems.report()}"
