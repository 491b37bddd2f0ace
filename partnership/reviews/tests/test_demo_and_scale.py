"""The demo's reviews (from the seeds) and the scale data."""

import datetime as dt
import random

import pytest
import time_machine
from django.utils import timezone

from partnership.demo import knowsley
from partnership.demo.personas import build_personas
from partnership.reviews import demo, scale
from partnership.reviews.models import (
    ActionItem,
    AgencySummary,
    Commission,
    Deadline,
    Incident,
    MonitoringEntry,
    Notification,
    PractitionerEvent,
    Publication,
    RapidReview,
    Recipient,
    Recommendation,
    Review,
    ReviewStatus,
    SignOff,
)

from .support import text

pytestmark = pytest.mark.django_db

D = dt.date


def _build_demo():
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    return demo.build(organisations, build_personas(organisations))


@pytest.fixture
def demo_reviews():
    organisations = knowsley.build_directory()
    knowsley.build_groups(organisations)
    users = build_personas(organisations)
    return demo.build(organisations, users), users


def test_building_the_demo_twice_changes_nothing(demo_reviews):
    _, users = demo_reviews
    counts = (Review.objects.count(), Recommendation.objects.count(), Deadline.objects.count())
    organisations = knowsley.build_directory()
    demo.build(organisations, users)
    assert (
        Review.objects.count(),
        Recommendation.objects.count(),
        Deadline.objects.count(),
    ) == counts
    assert counts[0] == 4


def test_child_q_and_child_s_is_the_published_combined_review(demo_reviews, client):
    reviews, _ = demo_reviews
    review = reviews["Child Q and Child S"]
    assert list(review.incidents.values_list("child_pseudonym", flat=True)) == [
        "Child Q",
        "Child S",
    ]
    assert review.status == ReviewStatus.PUBLISHED
    texts = list(review.recommendations.values_list("text", flat=True))
    assert len(texts) == 5
    # Word for word from the board's newsletter (seed 001).
    assert texts[0] == (
        "Evaluate on an ongoing basis the learning needs of multi-agency practitioners in "
        "relation to the changing national definitions of what constitutes CSE and receive "
        "assurance that emerging national CSE guidance is reflected in updated strategy."
    )
    assert texts[4] == (
        "Be assured that partner agencies have considered the learning for their agency from "
        "the relevant identified good practice and developed improvement plans in response to "
        "the relevant learning points contained within this combined overview report."
    )
    response = review.publication.response
    assert response.startswith(
        "Knowsley Safeguarding Children Board (KSCB) accepts the findings of the review"
    )
    assert "a multi-agency 'Shield team' was set up" in response
    assert response.endswith("achieve their potential.")
    # Published in January 2017: long past its 12 months, so on request now.
    page = text(client.get(review.publication.get_absolute_url()))
    assert "available on request" in page
    assert "What we have done" in page and "Shield Team provides a coordinated" in page


def test_child_sam_publishes_improvements_not_the_report(demo_reviews, client):
    reviews, _ = demo_reviews
    page = text(client.get(reviews["Child Sam"].publication.get_absolute_url()))
    assert "Why the report is not published" in page
    assert "The Thrive System" in page


def test_rowan_ellis_is_commissioned_on_exactly_one_review(demo_reviews):
    reviews, users = demo_reviews
    rowan = users["reviewer"]
    assert rowan.full_name == "Rowan Ellis"
    assert list(
        Commission.objects.filter(reviewer=rowan).values_list("review__title", flat=True)
    ) == ["Child T"]
    assert list(Review.objects.visible_to(rowan)) == [reviews["Child T"]]


def test_the_open_rapid_review_is_mid_way_and_crosses_the_latest_bank_holiday(personas):
    # Built on Tue 29 Dec 2026. The latest weekday bank holiday before it is Mon 28 Dec (Boxing
    # Day's substitute). Three working days back (Thu 24, Wed 23, Tue 22 Dec) is before it, so
    # the local authority became aware on Tue 22 Dec. From there, skipping Fri 25 and Mon 28 Dec
    # and Fri 1 Jan 2027: Wed 23 (1), Thu 24 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5), Mon 4 Jan
    # (6), 5, 6, 7, Fri 8 (10), 11, Tue 12 (12), 13, 14, Fri 15 January 2027 (15).
    with time_machine.travel(dt.datetime(2026, 12, 29, 9), tick=False):
        reviews = _build_demo()
        review = reviews["Child W"]
        rapid = review.rapid_review
        assert review.status == ReviewStatus.RAPID_REVIEW
        assert review.aware_on == D(2026, 12, 22)
        assert review.incidents.get().occurred_on == D(2026, 12, 20)
        panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
        assert panel.due_on == D(2026, 12, 31)
        assert panel.sent_on == D(2026, 12, 24)  # its second working day
        assert rapid.letters_sent_on == D(2026, 12, 23)
        assert rapid.summaries_due_on == D(2027, 1, 8)
        assert rapid.meeting_due_on == D(2027, 1, 12)
        assert rapid.due_on == D(2027, 1, 15)
        # The meeting held and the decision made on the day it was built; the police alone
        # have signed it off.
        assert rapid.meeting_held_on == D(2026, 12, 29) and rapid.is_open
        assert rapid.decided_on == D(2026, 12, 29)
        assert list(rapid.sign_offs.values_list("partner__slug", "signed_on")) == [
            ("merseyside-police", D(2026, 12, 29))
        ]
        assert "Merseyside Police: two missing-from-care reports" in (
            rapid.report.agency_involvement
        )
        # Two of the five summaries in, on Thu 24 Dec (the working day before the 29th).
        assert sorted(
            rapid.summaries.filter(received_on__isnull=False).values_list(
                "organisation__slug", "received_on"
            )
        ) == [("knowsley-council", D(2026, 12, 24)), ("merseyside-police", D(2026, 12, 24))]
        assert rapid.summaries.count() == 5
        # A looked-after child seriously harmed, not died: the Panel and the partners only.
        assert Notification.objects.filter(incident__review=review).count() == 2


def test_without_a_bank_holiday_near_the_open_rapid_review_began_five_working_days_ago(
    personas,
):
    # Built on Wed 2 Dec 2026: the latest bank holiday before it is Mon 31 Aug, out of reach.
    # Five working days back: Tue 1 Dec, Mon 30 Nov, Fri 27, Thu 26 and Wed 25 November 2026.
    with time_machine.travel(dt.datetime(2026, 12, 2, 9), tick=False):
        review = _build_demo()["Child W"]
        assert review.aware_on == D(2026, 11, 25)
        # 15 working days on (no holiday in between): Wed 16 December 2026.
        assert review.rapid_review.due_on == D(2026, 12, 16)


def test_no_demo_incident_notification_or_meeting_is_dated_after_today(demo_reviews):
    day = timezone.localdate()
    happened = {
        "incident": Incident.objects.values_list("occurred_on", flat=True),
        "awareness": Incident.objects.values_list("aware_on", flat=True),
        "notification sent": Notification.objects.values_list("sent_on", flat=True),
        "letters sent": RapidReview.objects.values_list("letters_sent_on", flat=True),
        "summary received": AgencySummary.objects.values_list("received_on", flat=True),
        "rapid review meeting": RapidReview.objects.values_list("meeting_held_on", flat=True),
        "decision": RapidReview.objects.values_list("decided_on", flat=True),
        "sign-off": SignOff.objects.values_list("signed_on", flat=True),
        "sent to the Panel": RapidReview.objects.values_list("sent_to_panel_on", flat=True),
        "practitioner event": PractitionerEvent.objects.values_list("held_on", flat=True),
        "monitoring": MonitoringEntry.objects.values_list("recorded_on", flat=True),
        "publication": Publication.objects.values_list("published_on", flat=True),
    }
    later = {
        what: [d for d in dates if d is not None and d > day] for what, dates in happened.items()
    }
    assert {what: dates for what, dates in later.items() if dates} == {}
    assert all(happened[what] for what in ("incident", "notification sent", "rapid review meeting"))


def test_the_lcspr_under_way_has_its_parts(demo_reviews, client_as):
    reviews, _ = demo_reviews
    review = reviews["Child T"]
    assert review.status == ReviewStatus.LOCAL_REVIEW
    page = text(client_as("reviewer").get(f"/reviews/{review.pk}/local-review/"))
    assert "Rowan Ellis Lead reviewer" in page
    assert "Line-managed the school nurse" in page
    assert "May take part, but not in decisions" in page
    assert "Learning summary" in page and "Chronology" in page


def test_scale_makes_reviews_and_recommendations_in_bulk(personas):
    counts = scale.scale_reviews(0.02, random.Random(1))
    assert counts["reviews"] == 10 and counts["recommendations"] == 200
    assert Review.objects.filter(reference__startswith="SCALE/").count() == 10
    assert ActionItem.objects.count() == 200
    assert Deadline.objects.exists()
    assert scale.reset_reviews() == {"reviews": 10}
    assert not Review.objects.exists() and not Recommendation.objects.exists()
