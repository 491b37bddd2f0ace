"""The section 11 journey in a real browser, axe on every page: the business unit opens a
cycle; the housing trust's contact finds last cycle's answers and evidence carried forward,
completes and submits the return; the business unit moderates one standard down; the action
appears on the contact's Your work; the completion dashboard shows the change."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partnership.audits.selfassessment import services
from partnership.audits.selfassessment.demo import (
    EVIDENCE_PDF,
    previous_cycle,
    section_11_organisations,
)
from partnership.audits.selfassessment.models import SelfAssessment
from partnership.demo.personas import DEMO_PASSWORD, totp_key
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

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def last_cycle(personas):
    actor = Actor.for_user(personas["business_unit"])
    services.standard_sets_install_defaults(actor=actor)
    return previous_cycle(
        actor,
        section_11_organisations(),
        today=timezone.localdate(),
        user=personas["data_submitter"],
    )


def signed_in(browser, live_server, user, problems):
    page = new_page(browser, live_server.url, problems)
    sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
    return page


def follow(page, name, problems, *, exact=True):
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("link", name=name, exact=exact).first.click()
    check_page(page, problems)
    return path_of(page.url)


def visit(page, path, problems):
    response = page.goto(path, wait_until="load")
    if response is None or response.status >= 400:
        problems.add(path, f"status {response.status if response else 'none'}")
    check_page(page, problems)


def test_section_11_from_opening_to_moderation_and_the_action_on_your_work(
    browser, live_server, personas, last_cycle, tmp_path
):
    problems = Problems()
    today = timezone.localdate()
    bea = signed_in(browser, live_server, personas["business_unit"], problems)
    dana = signed_in(browser, live_server, personas["data_submitter"], problems)
    try:
        # The business unit opens the cycle; an empty form first is refused, nothing saved.
        visit(bea, "/audits/", problems)
        follow(bea, "Open a cycle", problems)
        submit(bea, "Open the cycle")
        summary = bea.locator(".govuk-error-summary")
        expect(summary).to_contain_text("Enter the name of the cycle")
        assert bea.title().startswith("Error: ")
        check_page(bea, problems)
        bea.get_by_label("Section 11 (Children Act 2004)").check()
        bea.get_by_label("Name of the cycle").fill(f"Section 11 audit {today.year} (new)")
        bea.get_by_label("Standard set").select_option(
            label="Working Together: section 11 arrangements (version 1)"
        )
        bea.get_by_label("Day").fill(str(today.day))
        bea.get_by_label("Month").fill(str(today.month))
        bea.get_by_label("Year").fill(str(today.year))
        submit(bea, "Open the cycle")
        check_page(bea, problems)
        expect(bea.get_by_role("heading", level=1)).to_have_text(
            f"Section 11 audit {today.year} (new)"
        )
        expect(bea.locator("main")).to_contain_text("Knowsley Housing Trust")
        cycle_path = path_of(bea.url)

        # The housing trust's contact finds the return, carried forward from last cycle.
        visit(dana, "/audits/", problems)
        follow(dana, f"Section 11 audit {today.year} (new)", problems)
        assert path_of(dana.url) == cycle_path
        follow(dana, "Knowsley Housing Trust", problems)
        main = dana.locator("main")
        expect(main).to_contain_text("Last cycle's return, carried forward")
        expect(main.locator("#standard-8")).to_contain_text("standard-8-evidence.pdf")
        expect(main.locator("#standard-8")).to_contain_text("2: met (carried forward)")
        return_path = path_of(dana.url)

        # Standard 1: a new narrative and a new evidence file (a wrong type refused first).
        follow(dana, "Answer standard 1", problems)
        expect(dana.locator("main")).to_contain_text("carried forward from last cycle")
        wrong = tmp_path / "notes.txt"
        wrong.write_text("not allowed")
        dana.get_by_label("Evidence file (optional)").set_input_files(str(wrong))
        submit(dana, "Save the answer")
        expect(dana.locator(".govuk-error-summary")).to_contain_text("must be a PDF")
        check_page(dana, problems)
        dana.get_by_label("3: exceeded").check()
        dana.get_by_label("What your organisation does, and how you know (optional)").fill(
            "The chief executive reports on safeguarding to every board meeting."
        )
        policy = tmp_path / "board-minutes.pdf"
        policy.write_bytes(EVIDENCE_PDF)
        dana.get_by_label("Evidence file (optional)").set_input_files(str(policy))
        submit(dana, "Save the answer")
        check_page(dana, problems)
        assert path_of(dana.url) == return_path
        expect(dana.locator("#standard-1")).to_contain_text("board-minutes.pdf")
        expect(dana.locator("#standard-1")).to_contain_text("3: exceeded")
        submit(dana, "Submit the return")
        check_page(dana, problems)
        expect(dana.locator(".govuk-notification-banner")).to_contain_text(
            "The return is submitted"
        )
        expect(dana.locator("main")).to_contain_text("Submission 1")

        # The business unit moderates standard 8 down, with a challenge.
        visit(bea, return_path, problems)
        follow(bea, "Moderate standard 8", problems)
        bea.get_by_label("1: partly met").check()
        bea.get_by_label("Challenge notes (optional)").fill(
            "Two staff files sampled had no renewed criminal record check."
        )
        submit(bea, "Save the moderation")
        check_page(bea, problems)
        expect(bea.locator("#standard-8")).to_contain_text(
            re.compile(r"Moderated score\s+1: partly met")
        )

        # The action is on the contact's Your work; they answer the challenge.
        visit(dana, "/work/", problems)
        expect(dana.locator("main")).to_contain_text(
            "Standard 8: Safe recruitment practices and ongoing safe working practices"
        )
        visit(dana, return_path, problems)
        follow(dana, "Answer the challenge on standard 8", problems)
        dana.get_by_label("Your answer to the challenge").fill("Renewals are booked for May.")
        submit(dana, "Save the answer")
        check_page(dana, problems)

        # The completion dashboard shows the return in and the standard moderated down.
        visit(bea, cycle_path, problems)
        follow(bea, "Completion dashboard", problems)
        completion = bea.locator("#completion")
        expect(completion).to_contain_text("1 of 19 (5%)")
        expect(completion).to_contain_text(re.compile(r"Standards moderated down\s+1"))
        expect(bea.locator("#standards")).to_contain_text("0 of 1")  # standard 8 now not met
        expect(bea.get_by_role("img")).to_have_count(1)
    finally:
        bea.context.close()
        dana.context.close()
    assessment = SelfAssessment.objects.get(
        cycle__name=f"Section 11 audit {today.year} (new)",
        organisation__name="Knowsley Housing Trust",
    )
    assert assessment.answers.get(standard__code="8").challenge_response.startswith("Renewals")
    assert not problems, problems.report()
