"""The performance pages in a real browser, full of the demo's figures, checked with axe.

The site-wide crawl signs in with the personas on a database with no performance data, so it
never sees a key-points report with its charts, a return with figures, an upload's error
report, the completeness grid or a priority dashboard. This test loads the whole Knowsley demo,
signs in as the business unit and as the housing trust's data submitter, reaches the pages by
following links as a person would, and checks each page, and the forms with and without
errors, for server errors and axe (WCAG 2.2 AA) violations.
"""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from partnership.demo.personas import DEMO_PASSWORD, totp_key
from partnership.performance.models import DataReturn, Frequency, ReportingPeriod
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
def demo(personas):
    """The whole Knowsley demo, as `make demo` loads it: every module, then the plans."""
    from partnership.demo import knowsley
    from partnership.governance import demo as governance_demo
    from partnership.performance import demo as performance_demo
    from partnership.plans import demo as plans_demo
    from partnership.reviews import demo as reviews_demo

    organisations = knowsley.build_directory()
    governance_demo.build(organisations, personas)
    reviews_demo.build(organisations, personas)
    performance_demo.build(organisations, personas)
    plans_demo.build(organisations, personas)
    return organisations


def follow(page, name, problems, *, exact=False):
    """Click the link (or link-styled button) in the main content and check where it leads."""
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("link", name=name, exact=exact).first.click()
    check_page(page, problems)
    return path_of(page.url)


def visit(page, path, problems):
    response = page.goto(path, wait_until="load")
    if response is None or response.status >= 400:
        problems.add(path, f"status {response.status if response else 'none'}")
    check_page(page, problems)


def error_summary(page):
    """The error summary, checked to be shown with the page title saying so."""
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert page.title().startswith("Error: "), page.title()
    return summary


def signed_in(browser, live_server, user, problems):
    page = new_page(browser, live_server.url, problems)
    sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
    return page


def test_the_business_units_performance_pages_with_the_demo_are_accessible(
    browser, live_server, personas, demo
):
    problems = Problems()
    page = signed_in(browser, live_server, personas["business_unit"], problems)
    visited = []
    main = page.locator("main")
    try:
        # The library: the index, the list, an indicator and its forms.
        visit(page, "/performance/", problems)
        visited.append(follow(page, "Indicator library", problems, exact=True))
        assert visited[-1] == "/performance/indicators/"
        visited.append(follow(page, "CE01", problems, exact=True))
        assert visited[-1] == "/performance/indicators/CE01/"
        expect(page.get_by_role("heading", level=1)).to_contain_text("CSE")
        expect(main).to_contain_text("Definition, by version")

        visited.append(follow(page, "Change the indicator", problems, exact=True))
        assert visited[-1] == "/performance/indicators/CE01/change/"
        page.go_back(wait_until="load")
        visited.append(follow(page, "Change the definition", problems, exact=True))
        assert visited[-1] == "/performance/indicators/CE01/definition/"
        expect(main).to_contain_text("Version 1")  # the history beside the form
        page.get_by_label("Definition", exact=True).fill("")
        submit(page, "Add the new version")
        expect(error_summary(page).get_by_role("link", name="Enter the definition")).to_be_visible()
        check_page(page, problems)

        visit(page, "/performance/indicators/", problems)
        visited.append(follow(page, "Add an indicator", problems, exact=True))
        assert visited[-1] == "/performance/indicators/add/"
        submit(page, "Add the indicator")
        summary = error_summary(page)
        expect(summary.get_by_role("link", name="Enter the indicator's code")).to_be_visible()
        expect(summary.get_by_role("link", name="Enter the indicator's name")).to_be_visible()
        check_page(page, problems)

        visit(page, "/performance/indicators/", problems)
        visited.append(follow(page, "Settings and chasers", problems, exact=True))
        assert visited[-1] == "/performance/settings/"
        expect(main).to_contain_text("Periods not yet due")
        page.get_by_label("How many days before or after").fill("soon")
        submit(page, "Add the chaser")
        expect(error_summary(page)).to_contain_text("The number of days must be a whole number")
        check_page(page, problems)

        # The key-points reports: 2014/15 with its charts and tables, then a quarter.
        visit(page, "/performance/", problems)
        visited.append(follow(page, "Key-points reports", problems, exact=True))
        visited.append(follow(page, "2014/15", problems, exact=True))
        assert visited[-1] == "/performance/reports/yearly-2014-04/"
        expect(page.get_by_role("heading", level=1)).to_have_text("Key-points report: 2014/15")
        expect(main.locator("#key-points")).to_contain_text(
            "rose from 44 in 2013/14 to 102 in 2014/15"
        )
        # Each chart is an image with its text alternative, its figures in a table beside it.
        charts = main.get_by_role("img")
        assert charts.count() > 0, "the 2014/15 report shows no chart"
        ce01_chart = main.locator("section", has=page.locator("#ind-CE01")).get_by_role("img")
        expect(ce01_chart).to_have_count(1)
        assert "102" in (ce01_chart.get_attribute("aria-label") or "")
        expect(main.locator("svg[aria-hidden='true']")).to_have_count(charts.count())
        tables = main.locator("table")
        assert tables.count() >= charts.count()
        expect(main.locator("caption", has_text="Trend of CE01")).to_have_count(1)
        # The comment form, sent empty.
        submit(page, "Add the comment")
        expect(page.locator(".govuk-error-summary, .govuk-notification-banner")).to_contain_text(
            "Enter a comment"
        )
        check_page(page, problems)

        quarter = (
            ReportingPeriod.objects.filter(
                frequency=Frequency.QUARTERLY, returns__versions__isnull=False
            )
            .order_by("-start")
            .distinct()
            .first()
        )
        visit(page, "/performance/reports/", problems)
        visited.append(follow(page, quarter.label, problems, exact=True))
        assert visited[-1] == quarter.get_absolute_url()
        expect(main).to_contain_text("DA10")

        # Completeness, the dashboards and one priority's dashboard.
        visit(page, "/performance/", problems)
        visited.append(follow(page, "Completeness of returns", problems, exact=True))
        expect(main.locator("table").first).to_contain_text("Knowsley Housing Trust")
        visit(page, "/performance/", problems)
        visited.append(follow(page, "Priority dashboards", problems, exact=True))
        visited.append(follow(page, "Child exploitation", problems, exact=True))
        assert visited[-1] == "/performance/dashboards/child-exploitation/"
        expect(main.get_by_role("table")).to_contain_text(
            "Referrals for child sexual exploitation (CSE) and sexually harmful behaviour"
        )
    finally:
        page.context.close()
    assert not problems, f"Visited {visited}:\n{problems.report()}"


MALFORMED = [
    ["Code", "Period", "Organisation", "Numerator", "Denominator", "Value"],
    ["DA10", "", "Knowsley Housing Trust", "", "", "twelve"],  # a word for a figure
    ["XX9", "", "Knowsley Housing Trust", "", "", "1"],  # no such indicator
    ["DA10", "", "Knowsley Housing Trust", "9", "4", ""],  # numerator over denominator
]


def _malformed_csv(path):
    out = io.StringIO()
    csv.writer(out).writerows(MALFORMED)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _malformed_xlsx(path):
    book = Workbook()
    for row in MALFORMED:
        book.active.append([cell or None for cell in row])
    book.save(path)
    return path


def _upload_errors(page, problems, upload):
    """Upload a file and read back the error table as the user sees it: row, column, error."""
    page.get_by_label("Return file").set_input_files(upload)
    submit(page, "Check and import")
    expect(error_summary(page)).to_contain_text("The file has 4 errors: nothing was imported")
    check_page(page, problems)
    table = page.locator("main").get_by_role("table", name="4 errors, by row and column")
    expect(table).to_be_visible()
    head = table.locator("thead th").all_inner_texts()
    assert [cell.strip() for cell in head] == ["Row", "Column", "Error"]
    return [
        tuple(cell.strip() for cell in row.locator("td").all_inner_texts())
        for row in table.locator("tbody tr").all()
    ]


def test_the_data_submitters_returns_with_the_demo_are_accessible(
    browser, live_server, personas, demo, tmp_path
):
    user = personas["data_submitter"]
    kht = user.organisation
    problems = Problems()
    page = signed_in(browser, live_server, user, problems)
    visited = []
    main = page.locator("main")
    try:
        visit(page, "/performance/", problems)
        visited.append(follow(page, "Data returns", problems, exact=True))
        assert visited[-1] == "/performance/returns/"
        expect(main.locator("table")).to_contain_text("Knowsley Housing Trust")

        # A return with figures: the housing trust's 2014/15 return.
        yearly = DataReturn.objects.get(
            organisation=kht, period__frequency=Frequency.YEARLY, period__label="2014/15"
        )
        visited.append(follow(page, "2014/15", problems, exact=True))
        assert visited[-1] == yearly.get_absolute_url()
        expect(main.locator("table").first).to_contain_text("DA03")

        # The quarter the housing trust has not started: the form, sent with a word.
        waiting = DataReturn.objects.get(
            organisation=kht,
            period__frequency=Frequency.QUARTERLY,
            period__end__lt=timezone.localdate(),
            versions__isnull=True,
        )
        visit(page, "/performance/returns/", problems)
        visited.append(follow(page, waiting.period.label, problems, exact=True))
        assert visited[-1] == waiting.get_absolute_url()
        visited.append(follow(page, "Fill in on the web form", problems, exact=True))
        page.get_by_label("Value (count)").fill("a dozen")
        submit(page, "Submit the return")
        error_summary(page)
        check_page(page, problems)

        # The upload form, then a malformed CSV: every error listed by row and column.
        visit(page, waiting.get_absolute_url(), problems)
        visited.append(follow(page, "Upload a spreadsheet", problems, exact=True))
        assert visited[-1] == f"/performance/returns/{waiting.pk}/upload/"
        rows = _upload_errors(page, problems, _malformed_csv(tmp_path / "return.csv"))
        # A CSV has no column letters: its columns are counted, with their headings.
        assert rows == [
            ("2", "6 (Value)", "Value must be a number under a trillion, not “twelve”"),
            ("3", "1 (Code)", "XX9 is not an indicator in this return"),
            ("4", "1 (Code)", "DA10 appears more than once (first on row 2)"),
            ("4", "4 (Numerator)", "The numerator (9) is larger than the denominator (4)"),
        ]
        # The same errors in a workbook: the columns by their letters, as Excel shows them.
        rows = _upload_errors(page, problems, _malformed_xlsx(tmp_path / "return.xlsx"))
        assert [row[:2] for row in rows] == [
            ("2", "F (Value)"),
            ("3", "A (Code)"),
            ("4", "A (Code)"),
            ("4", "D (Numerator)"),
        ]
        assert not waiting.versions.exists()
    finally:
        page.context.close()
    assert not problems, f"Visited {visited}:\n{problems.report()}"
