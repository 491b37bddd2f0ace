"""A case audit from programme to report in a real browser, checked with axe on every page.

The business unit plans the audit on Kirklees' template, adds a case the police and NWBH
are involved in and sends the forms; each agency's contact returns its part, seeing only
its own; the business unit opens the discussion at the group's meeting, records the joint
grade and a recommendation and sends the report to the group's next meeting.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from partnership.audits.cases.models import AuditCase, CaseAudit
from partnership.demo.personas import DEMO_PASSWORD, totp_key
from partnership.governance.models import Paper
from partnership.website.tests.browser import (
    Problems,
    check_page,
    chromium,
    new_page,
    sign_in,
    submit,
)

from .support import schedule_meeting

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def _as(browser, live_server, user, problems):
    page = new_page(browser, live_server.url, problems)
    sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
    return page


def _go(page, path, problems):
    page.goto(path, wait_until="load")
    check_page(page, problems)


def _click(page, name, problems):
    with page.expect_navigation(wait_until="load"):
        page.locator("main").get_by_role("link", name=name).first.click()
    check_page(page, problems)


def _press(page, button, problems):
    submit(page, button)
    check_page(page, problems)


def _answer(page, grade, narrative, problems):
    for group in page.locator("main .govuk-radios").all():
        group.get_by_label(grade, exact=True).check()
    for box in page.locator("main textarea").all():
        box.fill(narrative)
    _press(page, "Return the form", problems)


def test_a_case_audit_from_programme_to_report(browser, live_server, personas):
    problems = Problems()
    meeting = schedule_meeting(personas, days_ahead=7)
    today = dt.date.today()
    office = _as(browser, live_server, personas["business_unit"], problems)
    try:
        # Plan the audit, on Kirklees' four areas.
        _go(office, "/audits/cases/", problems)
        _click(office, "Plan an audit", problems)
        _press(office, "Save", problems)  # empty: the error summary, nothing saved
        expect(office.locator(".govuk-error-summary")).to_be_visible()
        office.get_by_label("Title").fill("CSE baseline audit")
        office.get_by_label("Theme").select_option(label="Child exploitation (CSE and CCE)")
        office.get_by_label("Owning group").select_option(
            label="Policy and Performance Review Group"
        )
        office.locator("#id_starts_on_day").fill(str(today.day))
        office.locator("#id_starts_on_month").fill(str(today.month))
        office.locator("#id_starts_on_year").fill(str(today.year))
        due = today + dt.timedelta(days=90)
        office.locator("#id_report_due_on_day").fill(str(due.day))
        office.locator("#id_report_due_on_month").fill(str(due.month))
        office.locator("#id_report_due_on_year").fill(str(due.year))
        office.get_by_label("Start from a template (optional)").select_option(
            label="Kirklees' four areas"
        )
        _press(office, "Save", problems)
        expect(office.locator("h1")).to_have_text("CSE baseline audit")
        expect(office.locator("main")).to_contain_text("Quality and effectiveness of plans")
        audit = CaseAudit.objects.get(title="CSE baseline audit")

        # A case by reference (a name is refused), with the police and NWBH.
        _click(office, "Add a case", problems)
        office.get_by_label("Case reference").fill("Jane Smith")
        office.get_by_label("Merseyside Police").check()
        office.get_by_label("North West Boroughs Healthcare").check()
        _press(office, "Add the case", problems)
        expect(office.locator(".govuk-error-summary")).to_contain_text("Never enter a child's name")
        office.get_by_label("Case reference").fill("CSE-001")
        _press(office, "Add the case", problems)
        _press(office, "Send the forms to the agencies", problems)
        expect(office.locator("main")).to_contain_text("2 distributed, 0 returned")
        case = AuditCase.objects.get(audit=audit)

        # Each agency returns its part, and sees only its own.
        police = _as(browser, live_server, personas["partner_lead"], problems)
        _go(police, case.get_absolute_url(), problems)
        _click(police, "Complete Merseyside Police's part", problems)
        _answer(police, "Good", "Intelligence was shared the same day.", problems)
        health = _as(browser, live_server, personas["group_member"], problems)
        _go(health, case.get_absolute_url(), problems)
        _click(health, "Complete North West Boroughs Healthcare's part", problems)
        _answer(health, "Requires improvement", "Two health contacts were missed.", problems)
        expect(health.locator("main")).not_to_contain_text("Intelligence was shared the same day.")
        _go(police, case.get_absolute_url(), problems)
        expect(police.locator("main")).not_to_contain_text("Two health contacts were missed.")

        # The discussion: side by side, the joint grade, a recommendation.
        _go(office, audit.get_absolute_url(), problems)
        expect(office.locator("main")).to_contain_text("2 distributed, 2 returned")
        _click(office, "Open the discussion", problems)
        office.get_by_label("The meeting at which the agencies discuss the cases").select_option(
            value=str(meeting.pk)
        )
        _press(office, "Open the discussion", problems)
        _go(police, case.get_absolute_url(), problems)
        expect(police.locator("main")).to_contain_text("Two health contacts were missed.")
        _go(office, case.get_absolute_url(), problems)
        office.locator("main .govuk-radios").get_by_label(
            "Requires improvement", exact=True
        ).check()
        office.get_by_label("The joint judgement").fill("Health contacts were missed.")
        _press(office, "Record the joint judgement", problems)
        expect(office.locator("main")).to_contain_text("Health contacts were missed.")
        _go(office, audit.get_absolute_url(), problems)
        _click(office, "Add a recommendation", problems)
        office.get_by_label("Recommendation").fill("Follow up every missed health contact.")
        _press(office, "Add the recommendation", problems)

        # The report, and to the group's next meeting in one step.
        _click(office, "Read the report so far", problems)
        expect(office.locator("main")).to_contain_text("Follow up every missed health contact.")
        _go(office, audit.get_absolute_url(), problems)
        _press(office, f"Send the report to {meeting.title}", problems)
        expect(office.locator("main")).to_contain_text(f"On the agenda of {meeting.title}")
        assert Paper.objects.filter(
            meeting=meeting, title="Case audit report: CSE baseline audit"
        ).exists()
        _go(office, meeting.get_absolute_url(), problems)
        expect(office.locator("main")).to_contain_text(
            "Multi-agency case audit: CSE baseline audit"
        )
    finally:
        office.context.close()
    assert not problems, problems.report()


def test_the_demo_s_audits_pages_fit_a_phone_and_pass_axe(browser, live_server, settings):
    import io

    from django.core.management import call_command

    from partnership.audits.cases.demo import CSE_TITLE
    from partnership.work.tests.test_browser import WIDER_THAN_THE_SCREEN, phone_page

    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    audit = CaseAudit.objects.get(title=CSE_TITLE)
    case = audit.cases.exclude(joint_grade="").order_by("reference").first()
    action = audit.recommendations.first().actions.first()
    from partnership.accounts.models import User
    from partnership.audits.selfassessment.models import Cycle

    # The self-assessment pages too: a dashboard's chart once made the page 629 px wide.
    cycles = [
        Cycle.objects.filter(kind=kind).order_by("-starts_on").first()
        for kind in ("section_11", "section_175")
    ]

    user = User.objects.get(email="business.manager@kscp.example.org")
    problems = Problems()
    page = phone_page(browser, live_server.url, problems)
    try:
        sign_in(page, user.email, DEMO_PASSWORD, totp_key=totp_key(user.email))
        for path in [
            "/audits/cases/",
            audit.get_absolute_url(),
            case.get_absolute_url(),
            f"/audits/cases/{audit.pk}/report/",
            action.get_absolute_url(),
            "/audits/",
            *(cycle.get_absolute_url() for cycle in cycles),
            *(f"/audits/self-assessments/cycles/{cycle.pk}/dashboard/" for cycle in cycles),
            "/audits/cases/across-audits/",  # last: the check below reads it
        ]:
            page.goto(path, wait_until="load")
            check_page(page, problems)
            for element in page.evaluate(WIDER_THAN_THE_SCREEN):
                problems.add(path, f"wider than 390 px: {element}")
        expect(page.locator("main")).to_contain_text("Each theme over the years")
    finally:
        page.context.close()
    assert not problems, problems.report()
