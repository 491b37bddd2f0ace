"""Pages cost a bounded number of queries: the same with a little data as with four times as
much (every list is paginated; related rows are fetched in bulk)."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.reviews import scale, services
from partnership.reviews.models import ActionItem, Recommendation, Review
from partnership.trail.actors import Actor

pytestmark = pytest.mark.django_db

LISTS = [
    "/reviews/",
    "/reviews/?status=published",
    "/reviews/deadlines/",
    "/reviews/deadlines/?when=all",
    "/reviews/actions/",
    "/reviews/actions/?status=overdue",
    "/reviews/themes/",
    "/reviews/requests/",
    "/learning-from-reviews/",
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def busiest_review() -> Review:
    return (
        Review.objects.filter(reference__startswith="SCALE/", local_review__isnull=False)
        .order_by("pk")
        .first()
    )


def review_pages(review) -> list[str]:
    pages = [
        f"/reviews/{review.pk}/",
        f"/reviews/{review.pk}/rapid-review/",
        f"/reviews/{review.pk}/rapid-review/report/",
        f"/reviews/{review.pk}/notification/",
        f"/reviews/{review.pk}/local-review/",
        f"/reviews/{review.pk}/recommendations/",
        f"/reviews/{review.pk}/recommendations/1/",
        f"/reviews/{review.pk}/documents/",
        f"/reviews/{review.pk}/viewers/",
    ]
    publication = getattr(review, "publication", None)
    if publication is not None:
        pages.append(publication.get_absolute_url())
    return pages


def measure(client) -> dict[str, int]:
    counts = {url: count_queries(client, url) for url in LISTS}
    review = busiest_review()
    for url in review_pages(review):
        counts[url.replace(str(review.pk), "<pk>")] = count_queries(client, url)
    return counts


def test_lists_and_review_pages_cost_the_same_with_four_times_the_data(client_as, personas):
    client = client_as("business_unit")
    scale.scale_reviews(0.02, random.Random(7))  # 10 reviews, 200 recommendations
    review = busiest_review()
    actor = Actor.for_user(personas["business_unit"])
    services.panel_member_add(review=review, user=personas["reviewer"], role="", actor=actor)
    # Warm up: the session, the rules row and the audit trail's first entry are made once.
    client.get(f"/reviews/{review.pk}/")
    small = measure(client)
    assert Recommendation.objects.count() == 200

    scale.scale_reviews(0.08, random.Random(8))  # 40 more reviews, 800 more recommendations
    # Make the measured review busier too: more recommendations, actions, panel members.
    for _ in range(30):
        recommendation = services.recommendation_save(
            recommendation=Recommendation(review=review, text="More learning."),
            themes=[],
            actor=actor,
        )
        ActionItem.objects.create(
            review=review,
            recommendation=recommendation,
            description="Act",
            organisation=actor.organisation,
            owner=actor.user,
            due_on=review.aware_on,
        )
    for key in ("group_member", "partner_lead", "data_submitter"):
        services.panel_member_add(review=review, user=personas[key], role="", actor=actor)
    large = measure(client)
    assert Review.objects.count() == 50 and Recommendation.objects.count() > 1000
    assert large == small


def test_the_dashboard_for_a_reviewer_is_bounded_too(client_as, personas):
    client = client_as("reviewer")
    scale.scale_reviews(0.02, random.Random(7))
    client.get("/reviews/")
    small = {url: count_queries(client, url) for url in LISTS}
    scale.scale_reviews(0.08, random.Random(8))
    assert {url: count_queries(client, url) for url in LISTS} == small
