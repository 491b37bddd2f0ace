"""The new meeting pages in a real browser with axe-core: reordering the agenda, a bank
holiday asked to be confirmed, comments on circulated minutes, and the chair's letter."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.demo import knowsley
from partnership.demo.personas import DEMO_PASSWORD, build_personas, totp_key
from partnership.governance import demo
from partnership.governance.models import AttendanceLetter, Meeting, MinutesComment
from partnership.website.tests.browser import Problems, check_page, chromium, new_page, sign_in
from partnership.website.tests.browser import submit as press

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def _as(browser, live_server, users, key, problems):
    page = new_page(browser, live_server.url, problems)
    sign_in(page, users[key].email, DEMO_PASSWORD, totp_key=totp_key(users[key].email))
    return page


def test_the_new_meeting_pages_work_and_pass_axe(live_server):
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    users = build_personas(organisations)
    demo.build(organisations, users)
    problems = Problems()
    upcoming = Meeting.objects.upcoming().filter(group__slug="core-business-group").first()
    draft = (
        Meeting.objects.filter(group__slug="review-and-learning-group", minutes_status="draft")
        .order_by("-starts_at")
        .first()
    )
    letter = AttendanceLetter.objects.filter(status="draft").first()
    with chromium() as browser:
        page = _as(browser, live_server, users, "business_unit", problems)
        try:
            page.goto(f"/groups/meetings/{upcoming.pk}/agenda/")
            check_page(page, problems)
            second = page.locator("main ol li").nth(1).locator("strong").inner_text()
            with page.expect_navigation(wait_until="load"):
                page.locator("main ol li").nth(1).get_by_role("button", name="Move up").click()
            assert (
                page.locator("main ol li")
                .first.locator("strong")
                .inner_text()
                .endswith(second.split(". ", 1)[1])
            )
            check_page(page, problems)
            page.locator("main ol li").nth(2).get_by_role("link").click()
            page.wait_for_load_state("load")
            assert "from the agenda?" in page.content()
            check_page(page, problems)
            # A meeting on Christmas Day asks for confirmation.
            page.goto("/groups/core-business-group/meetings/new/")
            year = timezone.localdate().year + 1
            page.fill("#id_date_day", "25")
            page.fill("#id_date_month", "12")
            page.fill("#id_date_year", str(year))
            page.fill("#id_start_time", "10:00")
            page.fill("#id_end_time", "12:00")
            page.fill("#id_location", "Huyton")
            press(page, "Schedule the meeting")
            assert "is a bank holiday (Christmas Day)" in page.content()
            check_page(page, problems)
            page.check("#id_confirm_bank_holiday")
            press(page, "Schedule the meeting")
            assert Meeting.objects.filter(starts_at__date=dt.date(year, 12, 25)).exists()
            # The minute-taker's view of the draft with a member's comment.
            page.goto(f"/groups/meetings/{draft.pk}/minutes/")
            assert (
                "Members&#39; comments" in page.content() or "Members' comments" in page.content()
            )
            check_page(page, problems)
        finally:
            page.context.close()

        page = _as(browser, live_server, users, "group_member", problems)
        try:
            page.goto(f"/groups/meetings/{draft.pk}/minutes/comment/")
            press(page, "Send your comment")
            assert "Enter your comment on the draft minutes" in page.content()
            check_page(page, problems)
            page.fill("#id_text", "Item 4: the date of the next audit is 3 March.")
            press(page, "Send your comment")
            assert MinutesComment.objects.filter(text__contains="next audit").exists()
            check_page(page, problems)
        finally:
            page.context.close()

        page = _as(browser, live_server, users, "independent_chair", problems)
        try:
            page.goto(f"/groups/letters/{letter.pk}/change/")
            check_page(page, problems)
            page.fill("#id_body", "I am writing about attendance.\n\nPlease call me.")
            press(page, "Save the letter")
            check_page(page, problems)
            press(page, "Approve the letter")
            letter.refresh_from_db()
            assert letter.status == "approved"
            check_page(page, problems)
        finally:
            page.context.close()
    assert not problems, problems.report()
