"""The demo's reviews (from the seeds) and the scale data."""

import datetime as dt
import random

import pytest

from partnership.demo import knowsley
from partnership.demo.personas import build_personas
from partnership.reviews import demo, scale
from partnership.reviews.models import (
    ActionItem,
    Commission,
    Deadline,
    Notification,
    Recipient,
    Recommendation,
    Review,
    ReviewStatus,
)

from .support import text

pytestmark = pytest.mark.django_db

D = dt.date


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


def test_the_open_rapid_review_runs_over_christmas(demo_reviews):
    reviews, _ = demo_reviews
    review = reviews["Child W"]
    rapid = review.rapid_review
    assert review.status == ReviewStatus.RAPID_REVIEW
    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    # Aware Fri 11 Dec 2026 (counted by hand, skipping 25 and 28 Dec and 1 Jan 2027):
    assert panel.due_on == D(2026, 12, 18)
    assert rapid.letters_due_on == D(2026, 12, 14)
    assert rapid.summaries_due_on == D(2026, 12, 29)
    assert rapid.meeting_due_on == D(2026, 12, 31)
    assert rapid.due_on == D(2027, 1, 6)
    # A looked-after child: Ofsted and the Secretary of State are notified too.
    assert Notification.objects.filter(incident__review=review).count() == 4


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
