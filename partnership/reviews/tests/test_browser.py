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


def fill_date(page, name, day):
    for part, value in zip(("day", "month", "year"), (day.day, day.month, day.year), strict=True):
        page.locator(f"#id_{name}_{part}").fill(str(value))


def test_agencies_send_their_summaries_and_the_partners_sign_off_themselves(
    browser, live_server, users
):
    """The business unit opens a rapid review and asks two agencies for summaries; each
    agency's contact signs in, sees only their request and sends it; the timetable marks the
    step done; the three delegated partners sign off themselves; the rapid review report's
    PDF carries each agency's summary and the decision's rationale. axe on every page."""
    import datetime as dt
    import io

    from pypdf import PdfReader

    from partnership.accounts.models import User
    from partnership.reviews.models import AgencySummary, Review

    problems = Problems()
    today = dt.date.today()
    office = signed_in_page(browser, live_server, users["business_unit"], problems)
    others = []
    try:
        # The business unit records the incident, which opens the rapid review.
        office.goto("/reviews/new/")
        check_page(office, problems)
        office.locator("#id_child_pseudonym").fill("Child Y")
        fill_date(office, "aware_on", today)
        fill_date(office, "occurred_on", today)
        office.get_by_label("The child was seriously harmed").check()
        submit(office, "Record the incident")
        review = Review.objects.get(incidents__child_pseudonym="Child Y")
        office.goto(f"/reviews/{review.pk}/rapid-review/letters/")
        check_page(office, problems)
        fill_date(office, "sent_on", today)
        for name in ("North West Boroughs Healthcare", "Knowsley Housing Trust"):
            office.get_by_label(name, exact=True).check()
        submit(office, "Save")
        check_page(office, problems)

        # Each agency's contact: the request is on their Your work; they see only it.
        for key, agency, other, words in (
            (
                "group_member",
                "North West Boroughs Healthcare",
                "Knowsley Housing Trust",
                "Health visitor contact twice in the last month; no concerns recorded.",
            ),
            (
                "data_submitter",
                "Knowsley Housing Trust",
                "North West Boroughs Healthcare",
                "A neighbour reported shouting at the tenancy in the spring.",
            ),
        ):
            contact = signed_in_page(browser, live_server, users[key], problems)
            others.append(contact)
            check_page(contact, problems)
            contact.get_by_role(
                "link", name=f"{review.reference}: send the summary from {agency}"
            ).click()
            contact.wait_for_load_state("load")
            check_page(contact, problems)
            main = contact.locator("main").inner_text()
            assert f"Summary from {agency}" in main and "Child Y" in main, main
            assert other not in main
            mine = AgencySummary.objects.get(rapid_review__review=review, organisation__name=agency)
            theirs = AgencySummary.objects.get(
                rapid_review__review=review, organisation__name=other
            )
            assert contact.goto(f"/reviews/requests/{theirs.pk}/").status == 404
            if key == "data_submitter":  # not in the review's group: the review is hidden
                assert contact.goto(f"/reviews/{review.pk}/rapid-review/").status == 404
            contact.goto(f"/reviews/requests/{mine.pk}/")
            submit(contact, "Send the summary")
            assert "Enter your agency's summary" in (
                contact.locator(".govuk-error-summary").inner_text()
            )
            check_page(contact, problems)
            contact.locator("#id_contribution").fill(words)
            submit(contact, "Send the summary")
            assert "Your summary has been sent" in (
                contact.locator(".govuk-notification-banner").inner_text()
            )
            check_page(contact, problems)

        office.goto(f"/reviews/{review.pk}/rapid-review/")
        check_page(office, problems)
        row = office.locator("tr", has_text="Agency summaries").first.inner_text()
        assert f"{today.day} {today:%B %Y}" in row and "Done" in row, row

        # The decision, then each partner's delegated representative (designated by the
        # business unit: here each partner's lead) signs it off, themselves.
        office.goto(f"/reviews/{review.pk}/rapid-review/decision/")
        office.get_by_label("Local child safeguarding practice review").check()
        office.locator("#id_rationale").fill(
            "Two agencies knew of concerns the others did not: the local criteria are met."
        )
        fill_date(office, "decided_on", today)
        submit(office, "Save")
        check_page(office, problems)
        leads = list(
            User.objects.filter(role_grants__role="partner_lead").order_by("organisation__name")
        )
        assert len(leads) == 3
        for lead in leads:
            office.goto("/reviews/delegated-partners/")
            check_page(office, problems)
            office.get_by_role(
                "link", name=f"Designate the delegated safeguarding partner for {lead.organisation}"
            ).click()
            office.wait_for_load_state("load")
            check_page(office, problems)
            office.get_by_label("Delegated safeguarding partner").select_option(
                label=lead.full_name
            )
            submit(office, "Save")
        for lead in leads:
            partner = signed_in_page(browser, live_server, lead, problems)
            others.append(partner)
            partner.goto(f"/reviews/{review.pk}/rapid-review/")
            check_page(partner, problems)
            partner.get_by_role("link", name=f"Sign off for {lead.organisation}").click()
            partner.wait_for_load_state("load")
            check_page(partner, problems)
            partner.get_by_label("I have read the decision and its rationale").check()
            submit(partner, "Sign off")
            assert "You have signed off the decision" in (
                partner.locator(".govuk-notification-banner").inner_text()
            )
            check_page(partner, problems)
        office.goto(f"/reviews/{review.pk}/rapid-review/")
        row = office.locator("tr", has_text="Partners' sign-off").first.inner_text()
        assert "Done" in row, row

        # The rapid review report, drafted from the record.
        office.goto(f"/reviews/{review.pk}/rapid-review/report/")
        check_page(office, problems)
        office.get_by_role("button", name="Draft the report from the record").click()
        office.wait_for_load_state("load")
        check_page(office, problems)
        with office.expect_download() as download:
            office.get_by_role("link", name="Download the report (PDF)").click()
        pdf = download.value.path().read_bytes()
    finally:
        for page in (office, *others):
            page.context.close()
    words = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )
    assert "Health visitor contact twice in the last month; no concerns recorded." in words
    assert "A neighbour reported shouting at the tenancy in the spring." in words
    assert "Two agencies knew of concerns the others did not: the local criteria are met." in words
    if problems:
        pytest.fail(problems.report(), pytrace=False)


def test_an_agency_sends_its_learning_summary_for_a_local_review(browser, live_server, users):
    """The demo's Child T review asks North West Boroughs Healthcare for a learning summary:
    its contact opens it from Requests to your agency, sends it empty (refused, with the
    error), then with words; the business unit's local review page shows it received, with
    what was sent. axe on every page."""
    import datetime as dt

    from partnership.reviews.models import AgencyRequest

    problems = Problems()
    ask = AgencyRequest.objects.get(
        organisation__name="North West Boroughs Healthcare", status="requested"
    )
    contact = signed_in_page(browser, live_server, users["group_member"], problems)
    office = None
    try:
        contact.goto("/reviews/requests/")
        check_page(contact, problems)
        contact.locator(f'a[href="/reviews/requests/local/{ask.pk}/"]').click()
        contact.wait_for_load_state("load")
        check_page(contact, problems)
        main = contact.locator("main").inner_text()
        assert "Learning summary from North West Boroughs Healthcare" in main, main
        submit(contact, "Send the learning summary")
        assert "Enter your agency's learning summary" in (
            contact.locator(".govuk-error-summary").inner_text()
        )
        check_page(contact, problems)
        contact.locator("#id_contribution").fill("Missed chances to share the GP's concerns.")
        submit(contact, "Send the learning summary")
        assert "Your learning summary has been sent" in (
            contact.locator(".govuk-notification-banner").inner_text()
        )
        check_page(contact, problems)
        office = signed_in_page(browser, live_server, users["business_unit"], problems)
        office.goto(f"/reviews/{ask.review_id}/local-review/")
        check_page(office, problems)
        row = office.locator("tr", has_text="Learning summary").first.inner_text()
        today = dt.date.today()
        assert "Received" in row and f"{today.day} {today:%B %Y}" in row, row
    finally:
        contact.context.close()
        if office is not None:
            office.context.close()
    if problems:
        pytest.fail(problems.report(), pytrace=False)
