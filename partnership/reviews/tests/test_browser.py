"""The review pages in a real browser, with the demo's reviews: no server errors, no axe
(WCAG 2.2 AA) violations, and the main journey with a mistake on the way."""

import pytest

from partnership.demo import knowsley
from partnership.demo.personas import DEMO_PASSWORD, build_personas, totp_key
from partnership.reviews import demo
from partnership.website.tests import browser as browser_helpers
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
def only_review_pages(monkeypatch):
    """Keep the crawl to this module's pages (the site-wide crawl covers the rest)."""
    crawlable = browser_helpers.crawlable

    def reviews_only(url, base_url):
        target = crawlable(url, base_url)
        if target is None:
            return None
        path = browser_helpers.path_of(target)
        if "/download/" in path or path.endswith(("/report/", "/executive-summary/")):
            return None  # a file, not a page (its download is tested elsewhere)
        return target if path.startswith(("/reviews/", "/learning-from-reviews/")) else None

    monkeypatch.setattr(browser_helpers, "crawlable", reviews_only)


@pytest.fixture
def users(settings, tmp_path):
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    users = build_personas(organisations)
    demo.build(organisations, users)
    return users


def signed_in_page(browser, live_server, user, problems):
    page = new_page(browser, live_server.url, problems)
    sign_in(
        page,
        user.email,
        DEMO_PASSWORD,
        totp_key=totp_key(user.email) if user.needs_two_factor else None,
    )
    return page


@pytest.mark.parametrize(
    ("key", "start", "at_least"),
    [
        ("business_unit", "/reviews/", 40),
        ("reviewer", "/reviews/", 8),
        (None, "/learning-from-reviews/", 3),
    ],
    ids=["business_unit", "reviewer", "anonymous"],
)
def test_every_review_page_is_accessible(
    browser, live_server, users, only_review_pages, key, start, at_least
):
    problems = Problems()
    if key is None:
        page = new_page(browser, live_server.url, problems)
    else:
        page = signed_in_page(browser, live_server, users[key], problems)
    try:
        result = crawl(page, live_server.url, problems, start=start)
    finally:
        page.context.close()
    print(f"{key}: {result.summary()}: {', '.join(result.visited)}")
    if len(result.visited) < at_least:
        problems.add(start, f"reached only {len(result.visited)} pages, expected {at_least}+")
    if problems:
        pytest.fail(f"{problems.report()}\nVisited: {', '.join(result.visited)}", pytrace=False)


def test_recording_an_incident_with_a_mistake_first(browser, live_server, users):
    problems = Problems()
    page = signed_in_page(browser, live_server, users["business_unit"], problems)
    try:
        page.goto("/reviews/new/")
        check_page(page, problems)
        page.locator("#id_child_pseudonym").fill("Jane Smith")
        for name, value in (
            ("aware_on", ("2", "11", "2026")),
            ("occurred_on", ("1", "11", "2026")),
        ):
            for part, text in zip(("day", "month", "year"), value, strict=True):
                page.locator(f"#id_{name}_{part}").fill(text)
        page.get_by_label("The child was seriously harmed").check()
        submit(page, "Record the incident")
        assert page.title().startswith("Error: Record a serious incident"), page.title()
        summary = page.locator(".govuk-error-summary")
        assert "never the child's real name" in summary.inner_text()
        check_page(page, problems)
        page.locator("#id_child_pseudonym").fill("Child Z")
        submit(page, "Record the incident")
        assert (
            "is open and its clocks have started"
            in page.locator(".govuk-notification-banner").inner_text()
        )
        assert page.get_by_role("heading", level=1).inner_text().startswith("Child Z")
        check_page(page, problems)
    finally:
        page.context.close()
    if problems:
        pytest.fail(problems.report(), pytrace=False)


def test_recording_a_care_leavers_death_aged_25_then_24(browser, live_server, users):
    problems = Problems()
    page = signed_in_page(browser, live_server, users["business_unit"], problems)
    try:
        page.goto("/reviews/")
        page.get_by_role("link", name="Record the death of a care leaver").click()
        check_page(page, problems)
        page.locator("#id_child_pseudonym").fill("Care leaver Z")
        page.locator("#id_age").fill("25")
        for name, value in (
            ("aware_on", ("2", "11", "2026")),
            ("occurred_on", ("1", "11", "2026")),
        ):
            for part, text in zip(("day", "month", "year"), value, strict=True):
                page.locator(f"#id_{name}_{part}").fill(text)
        submit(page, "Record the death")
        assert page.title().startswith("Error: Record the death of a care leaver"), page.title()
        assert "a care leaver aged 25 is not recorded here" in (
            page.locator(".govuk-error-summary").inner_text()
        )
        check_page(page, problems)
        page.locator("#id_age").fill("24")
        submit(page, "Record the death")
        assert "no rapid review is needed" in (
            page.locator(".govuk-notification-banner").inner_text()
        )
        body = page.locator("main").inner_text()
        assert "Death of a care leaver: Care leaver Z" in body
        assert (
            "Rapid review"
            not in page.locator("nav[aria-label='Parts of this review']").inner_text()
        )
        check_page(page, problems)
    finally:
        page.context.close()
    if problems:
        pytest.fail(problems.report(), pytrace=False)
