"""Every statutory date, computed as STATUTORY.md says, bank holidays included.

The expected dates were counted by hand against the England and Wales bank holidays
(gov.uk/bank-holidays): Christmas 2026 falls on a Friday, Boxing Day on a Saturday, so Monday
28 December 2026 is the substitute holiday, and New Year's Day 2027 is a Friday.
"""

import datetime as dt

import pytest
import time_machine

from partnership.lib.clocks import add_months, working_days_before
from partnership.reviews import services
from partnership.reviews.models import (
    Deadline,
    DeadlineKind,
    Decision,
    Notification,
    Recipient,
    ReviewRules,
    StartingEvent,
)

from .factories import business_unit, complete_rapid_review, make_review

pytestmark = pytest.mark.django_db

D = dt.date


def notification_dates(review) -> dict[str, dt.date]:
    return {n.recipient: n.due_on for n in Notification.objects.filter(incident__review=review)}


def test_panel_notification_due_skips_christmas_and_the_substitute_boxing_day(personas):
    # Aware Fri 18 Dec 2026: Mon 21, Tue 22, Wed 23, Thu 24 (4); Fri 25 Christmas; weekend;
    # Mon 28 substitute Boxing Day; Tue 29 (5).
    review = make_review(aware_on=D(2026, 12, 18))
    assert notification_dates(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 29),
    }


def test_a_looked_after_child_is_notified_to_ofsted_and_the_secretary_of_state_too(personas):
    review = make_review(aware_on=D(2026, 12, 18), looked_after=True)
    assert notification_dates(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 29),
        Recipient.OFSTED: D(2026, 12, 29),
        Recipient.SECRETARY_OF_STATE: D(2026, 12, 29),
    }


def test_rapid_review_timetable_over_christmas_and_new_year(personas):
    # From Fri 18 Dec 2026, working days: 21 (1), 22, 23, 24, 29, 30, 31 (7), Fri 1 Jan 2027 is
    # New Year's Day, 4 Jan (8), 5, 6 (10), 7, 8 (12), 11, 12, 13 Jan (15).
    rapid = make_review(aware_on=D(2026, 12, 18)).rapid_review
    assert rapid.starts_on == D(2026, 12, 18)
    assert rapid.letters_due_on == D(2026, 12, 21)
    assert rapid.summaries_due_on == D(2027, 1, 6)
    assert rapid.meeting_due_on == D(2027, 1, 8)
    assert rapid.sign_off_due_on == D(2027, 1, 13)
    assert rapid.due_on == D(2027, 1, 13)


def test_the_demo_christmas_review_skips_25_and_28_december_and_1_january(personas):
    # Aware Fri 11 Dec 2026: 14, 15, 16, 17, 18 (5); 21, 22, 23, 24 (9); 29, 30, 31 (12);
    # 4, 5, 6 Jan (15).
    review = make_review(aware_on=D(2026, 12, 11))
    assert notification_dates(review)[Recipient.PANEL] == D(2026, 12, 18)
    assert review.rapid_review.due_on == D(2027, 1, 6)


def test_the_clock_can_start_from_the_notification_instead(personas):
    rules = ReviewRules.current()
    rules.rapid_review_starts_from = StartingEvent.NOTIFICATION
    services.rules_update(rules=rules, actor=business_unit())
    review = make_review(aware_on=D(2026, 12, 14))
    rapid = review.rapid_review
    assert rapid.starts_on is None and rapid.due_on is None  # waits for the notification

    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    with time_machine.travel(dt.datetime(2026, 12, 30, 9), tick=False):
        services.notification_record_sent(
            notification=panel, sent_on=D(2026, 12, 18), actor=business_unit()
        )
    rapid.refresh_from_db()
    assert rapid.starts_on == D(2026, 12, 18)
    assert rapid.due_on == D(2027, 1, 13)  # 15 working days from Fri 18 Dec, as above


def test_changing_the_rules_moves_open_reviews_and_leaves_completed_ones(personas):
    open_review = make_review(aware_on=D(2026, 12, 18))
    done = make_review(aware_on=D(2026, 3, 2))
    complete_rapid_review(done, decision=Decision.NO_FURTHER_REVIEW, on=D(2026, 3, 20))
    done_due = done.rapid_review.due_on
    assert done_due == D(2026, 3, 23)  # 2 Mar + 15 working days

    rules = ReviewRules.current()
    rules.rapid_review_working_days = 20
    rules.sign_off_day = 20
    rules.notification_working_days = 3
    services.rules_update(rules=rules, actor=business_unit())

    open_review.rapid_review.refresh_from_db()
    done.rapid_review.refresh_from_db()
    # 15 working days after 18 Dec is 13 Jan; five more: 14, 15, 18, 19, 20 Jan 2027.
    assert open_review.rapid_review.due_on == D(2027, 1, 20)
    assert open_review.rapid_review.sign_off_due_on == D(2027, 1, 20)
    assert notification_dates(open_review)[Recipient.PANEL] == D(2026, 12, 23)
    assert done.rapid_review.due_on == done_due
    # The deadlines dashboard moves with the open review, and only with it.
    assert Deadline.objects.get(review=open_review, kind=DeadlineKind.DECISION).due_on == D(
        2027, 1, 20
    )
    assert Deadline.objects.get(review=done, kind=DeadlineKind.DECISION).due_on == done_due


def test_a_sent_notification_keeps_the_date_it_was_held_to(personas):
    review = make_review(aware_on=D(2026, 3, 2))
    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    services.notification_record_sent(
        notification=panel, sent_on=D(2026, 3, 6), actor=business_unit()
    )
    rules = ReviewRules.current()
    rules.notification_working_days = 10
    services.rules_update(rules=rules, actor=business_unit())
    assert notification_dates(review) == {
        Recipient.PANEL: D(2026, 3, 9),  # 2 Mar + 5: still the date it was held to
        Recipient.PARTNERS: D(2026, 3, 16),  # not sent: moved to 2 Mar + 10
    }


def test_lcspr_publication_is_due_six_months_after_the_decision_with_notice_seven_days_before(
    personas,
):
    review = make_review(aware_on=D(2026, 1, 5))
    complete_rapid_review(review, decision=Decision.LCSPR, on=D(2026, 1, 20))
    local = review.local_review
    assert local.decided_on == D(2026, 1, 20)
    assert local.target_publication_on == D(2026, 7, 20)
    # Seven working days before Mon 20 July: 17, 16, 15, 14, 13, 10 and Thu 9 July.
    assert local.pre_publication_notice_due_on == D(2026, 7, 9)


def test_changing_the_publication_rule_moves_reviews_not_yet_published(personas):
    review = make_review(aware_on=D(2026, 1, 5))
    complete_rapid_review(review, decision=Decision.LCSPR, on=D(2026, 1, 20))
    rules = ReviewRules.current()
    rules.publication_months = 9
    services.rules_update(rules=rules, actor=business_unit())
    review.local_review.refresh_from_db()
    assert review.local_review.target_publication_on == D(2026, 10, 20)


def test_working_days_before_skips_christmas_and_new_year():
    # Seven working days before Mon 4 Jan 2027: 31, 30, 29 Dec, 24, 23, 22 and Mon 21 Dec.
    assert working_days_before(D(2027, 1, 4), 7) == D(2026, 12, 21)


def test_add_months_keeps_to_the_end_of_a_short_month():
    assert add_months(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert add_months(D(2026, 1, 20), 6) == D(2026, 7, 20)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_rules_page_changes_the_rules_and_moves_open_reviews(client_as, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    client = client_as("business_unit")
    form = {
        "notification_working_days": "5",
        "rapid_review_working_days": "20",
        "rapid_review_starts_from": "awareness",
        "letters_day": "1",
        "summaries_day": "10",
        "meeting_day": "12",
        "sign_off_day": "15",
        "publication_months": "6",
        "pre_publication_notice_working_days": "7",
        "published_for_months": "12",
        "reminder_working_days": "5, 1",
        "due_soon_working_days": "10",
    }
    response = client.post("/reviews/rules/", form, follow=True)
    assert "Due dates have moved for 1 open review;" in response.content.decode()
    review.rapid_review.refresh_from_db()
    assert review.rapid_review.due_on == D(2027, 1, 20)


def test_rules_page_refuses_steps_out_of_order_and_saves_nothing(client_as, personas):
    client = client_as("business_unit")
    form = {
        "notification_working_days": "5",
        "rapid_review_working_days": "15",
        "rapid_review_starts_from": "awareness",
        "letters_day": "1",
        "summaries_day": "13",
        "meeting_day": "12",
        "sign_off_day": "15",
        "publication_months": "6",
        "pre_publication_notice_working_days": "7",
        "published_for_months": "6",
        "reminder_working_days": "five",
        "due_soon_working_days": "10",
    }
    response = client.post("/reviews/rules/", form)
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "must come in order" in page
    assert "at least 12 months" in page
    assert "separated by commas" in page
    assert ReviewRules.current().summaries_day == 10
