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
    IncidentOutcome,
    Notification,
    Recipient,
    ReviewRules,
    StartingEvent,
)
from partnership.trail.actors import Actor

from .factories import (
    business_unit,
    complete_rapid_review,
    decide,
    make_review,
    organisation,
    partner_leads,
)
from .support import text

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


def test_a_looked_after_childs_death_is_notified_to_ofsted_and_the_secretary_of_state_too(
    personas,
):
    # Aware Fri 18 Dec 2026: the same 5 working days for all four (Tue 29 Dec, as above).
    review = make_review(aware_on=D(2026, 12, 18), looked_after=True, outcome=IncidentOutcome.DIED)
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
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    review = make_review(aware_on=D(2026, 12, 14))
    rapid = review.rapid_review
    assert rapid.starts_on is None and rapid.due_on is None  # waits for the notification

    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    with time_machine.travel(dt.datetime(2026, 12, 30, 9), tick=False):
        services.notification_record_sent(
            notification=panel, sent_on=D(2026, 12, 18), actor=Actor.for_user(business_unit())
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
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))

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
        notification=panel, sent_on=D(2026, 3, 6), actor=Actor.for_user(business_unit())
    )
    rules = ReviewRules.current()
    rules.notification_working_days = 10
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
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
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
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
        "notify_partners": "on",
        "notify_looked_after_deaths": "on",
        "care_leaver_age_limit": "24",
        "chair_sees_reviews": "on",
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
        "care_leaver_age_limit": "15",
    }
    response = client.post("/reviews/rules/", form)
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "must come in order" in page
    assert "at least 12 months" in page
    assert "separated by commas" in page
    assert "Care leavers are aged 16 or over: enter 16 or more" in page
    assert ReviewRules.current().summaries_day == 10


# Changing the rules moves only the steps still open -------------------------------------------
#
# Aware Fri 18 Dec 2026. Working days after it, counted by hand (Fri 25 Dec Christmas, Mon 28 Dec
# the substitute Boxing Day, Fri 1 Jan 2027 New Year's Day): 21 Dec (1), 22 (2), 23 (3), 24 (4),
# 29 (5), 30 (6), 31 (7), 4 Jan (8), 5 (9), 6 (10), 7 (11), 8 (12), 11 (13), 12 (14), 13 (15),
# 14 Jan (16).
#
# The default timetable: letters day 1 (21 Dec), summaries day 10 (6 Jan), meeting day 12 (8 Jan),
# sign-off day 15 (13 Jan), decision day 15 (13 Jan), notices day 5 (29 Dec).
# `every_step_a_day_later` moves each to the next working day: letters 22 Dec, summaries 7 Jan,
# meeting 11 Jan, sign-off 14 Jan, decision 14 Jan, notices 30 Dec.


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(12)), tick=False)


def every_step_a_day_later():
    rules = ReviewRules.current()
    rules.notification_working_days = 6
    rules.letters_day = 2
    rules.summaries_day = 11
    rules.meeting_day = 13
    rules.sign_off_day = 16
    rules.rapid_review_working_days = 16
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))


def timetable(client_as, review) -> str:
    """The rapid review page's timetable, as the business unit reads it on Thu 14 Jan 2027."""
    with at(D(2027, 1, 14)):
        page = text(client_as("business_unit").get(f"/reviews/{review.pk}/rapid-review/"))
    start = page.index("Timetable")
    # The timetable's own "Agency summaries" row comes first, then the section of that name.
    end = page.index("Agency summaries", page.index("Agency summaries", start) + 1)
    return page[start:end]


def deadline_due(review, kind) -> dt.date:
    return Deadline.objects.get(review=review, kind=kind).due_on


def test_letters_already_sent_keep_their_date_when_the_rules_change(client_as, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    with at(D(2026, 12, 21)):
        services.rapid_review_record_letters(
            rapid=review.rapid_review,
            sent_on=D(2026, 12, 21),
            organisations=[organisation("merseyside-police")],
            actor=Actor.for_user(business_unit()),
        )
    every_step_a_day_later()
    page = timetable(client_as, review)
    assert "Agency letters and requests for summaries 21 December 2026 21 December 2026" in page
    assert deadline_due(review, DeadlineKind.LETTERS) == D(2026, 12, 21)
    # Still open, so moved: the summaries (and the police's own), the meeting, the decision.
    assert "Agency summaries 7 January 2027" in page
    assert "Rapid review meeting 11 January 2027" in page
    assert "Decision sent to the Panel 14 January 2027" in page
    assert review.rapid_review.summaries.get().due_on == D(2027, 1, 7)


def test_agency_summaries_already_received_keep_their_date(client_as, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    rapid = review.rapid_review
    with at(D(2027, 1, 4)):
        services.rapid_review_record_letters(
            rapid=rapid,
            sent_on=D(2026, 12, 21),
            organisations=[organisation("merseyside-police")],
            actor=Actor.for_user(business_unit()),
        )
        services.agency_summary_receive(
            summary=rapid.summaries.get(),
            received_on=D(2027, 1, 4),
            actor=Actor.for_user(business_unit()),
        )
    every_step_a_day_later()
    page = timetable(client_as, review)
    assert "Agency summaries 6 January 2027" in page
    assert deadline_due(review, DeadlineKind.SUMMARIES) == D(2027, 1, 6)
    assert rapid.summaries.get().due_on == D(2027, 1, 6)
    assert "Rapid review meeting 11 January 2027" in page  # open: moved


def test_a_meeting_already_held_keeps_its_date(client_as, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    with at(D(2026, 12, 30)):
        services.rapid_review_record_meeting(
            rapid=review.rapid_review,
            held_on=D(2026, 12, 30),
            immediate_actions="Siblings seen.",
            assessments={},
            actor=Actor.for_user(business_unit()),
        )
    every_step_a_day_later()
    page = timetable(client_as, review)
    assert "Rapid review meeting 8 January 2027 30 December 2026" in page
    assert deadline_due(review, DeadlineKind.MEETING) == D(2027, 1, 8)
    # No letters sent and no summaries asked for: those steps are open, so moved.
    assert "Agency letters and requests for summaries 22 December 2026" in page
    assert "Agency summaries 7 January 2027" in page


def test_a_sign_off_already_given_keeps_its_date_and_a_partial_one_moves(client_as, personas):
    signed = make_review(aware_on=D(2026, 12, 18), child_pseudonym="Child A")
    partly = make_review(aware_on=D(2026, 12, 18), child_pseudonym="Child B")
    leads = partner_leads()
    for review, signers in ((signed, leads), (partly, leads[:1])):
        decide(review, on=D(2027, 1, 5))
        with at(D(2027, 1, 5)):
            for lead in signers:
                services.rapid_review_sign_off(
                    rapid=review.rapid_review,
                    signer=lead,
                    signed_on=D(2027, 1, 5),
                    actor=Actor.for_user(lead),
                )
    every_step_a_day_later()
    page = timetable(client_as, signed)
    assert "Partners' sign-off 13 January 2027" in page
    assert deadline_due(signed, DeadlineKind.SIGN_OFF) == D(2027, 1, 13)
    # The decision has not gone to the Panel: open, so moved.
    assert "Decision sent to the Panel 14 January 2027" in page
    # One partner of three is not the step done: it moves.
    assert "Partners' sign-off 14 January 2027" in timetable(client_as, partly)


def test_a_notice_already_sent_keeps_its_date_and_an_unsent_one_moves(client_as, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    with at(D(2026, 12, 22)):
        services.notification_record_sent(
            notification=panel, sent_on=D(2026, 12, 22), actor=Actor.for_user(business_unit())
        )
    every_step_a_day_later()
    assert notification_dates(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 30),
    }
    with at(D(2027, 1, 14)):
        page = text(client_as("business_unit").get(f"/reviews/{review.pk}/"))
    assert "The Child Safeguarding Practice Review Panel 29 December 2026 22 December 2026" in page
    assert "The safeguarding partners 30 December 2026 Not yet" in page


def test_a_pre_publication_notice_already_sent_keeps_its_date(personas):
    sent = make_review(aware_on=D(2026, 1, 5), child_pseudonym="Child A")
    unsent = make_review(aware_on=D(2026, 1, 5), child_pseudonym="Child B")
    for review in (sent, unsent):
        complete_rapid_review(review, decision=Decision.LCSPR, on=D(2026, 1, 20))
    # Target Mon 20 July 2026; 7 working days before: 17, 16, 15, 14, 13, 10, Thu 9 July.
    with at(D(2026, 7, 8)):
        services.local_review_record_pre_publication_notice(
            local=sent.local_review, sent_on=D(2026, 7, 8), actor=Actor.for_user(business_unit())
        )
    rules = ReviewRules.current()
    rules.publication_months = 9
    rules.pre_publication_notice_working_days = 10
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    for review in (sent, unsent):
        review.local_review.refresh_from_db()
    # Publication is open for both: 20 January + 9 months = Tue 20 October 2026.
    assert sent.local_review.target_publication_on == D(2026, 10, 20)
    assert unsent.local_review.target_publication_on == D(2026, 10, 20)
    assert sent.local_review.pre_publication_notice_due_on == D(2026, 7, 9)
    # 10 working days before Tue 20 Oct: 19, 16, 15, 14, 13, 12, 9, 8, 7 and Tue 6 October.
    assert unsent.local_review.pre_publication_notice_due_on == D(2026, 10, 6)
    assert deadline_due(sent, DeadlineKind.PRE_PUBLICATION) == D(2026, 7, 9)
    assert deadline_due(unsent, DeadlineKind.PRE_PUBLICATION) == D(2026, 10, 6)
