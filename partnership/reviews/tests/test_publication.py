"""Publication: the public site lists published reviews with their summary and the
partnership's response; after the period online (12 months) a report is available on request."""

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile

from partnership.reviews import services
from partnership.reviews.models import DocumentKind, Publication, ReviewStatus
from partnership.trail.actors import Actor

from .factories import business_unit, complete_rapid_review, make_review
from .support import error_summary, text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("personas")]

D = dt.date
PDF = b"%PDF-1.4\n%%EOF\n"


def published_review(*, published_on: dt.date, title="Child P", report_published=True):
    review = make_review(aware_on=D(2025, 1, 6), child_pseudonym="Child P", title=title)
    complete_rapid_review(review, on=D(2025, 1, 24))
    actor = Actor.for_user(business_unit())
    report = services.document_upload(
        review=review,
        kind=DocumentKind.FINAL_REPORT,
        title="Child P final report",
        upload=ContentFile(PDF, name="child-p.pdf"),
        actor=actor,
    )
    executive_summary = services.document_upload(
        review=review,
        kind=DocumentKind.EXECUTIVE_SUMMARY,
        title="Child P executive summary",
        upload=ContentFile(PDF, name="child-p-summary.pdf"),
        actor=actor,
    )
    services.local_review_record_pre_publication_notice(
        local=review.local_review, sent_on=D(2025, 7, 10), actor=actor
    )
    publication = services.publication_save(
        publication=Publication(
            review=review,
            title=f"{title} practice review",
            summary="Child P was seriously harmed. Agencies did not share what they knew.",
            response="We have rewritten the information-sharing protocol.",
            report=report if report_published else None,
            executive_summary=executive_summary if report_published else None,
            report_published=report_published,
            not_published_reason="" if report_published else "It would identify the family.",
            improvements=""
            if report_published
            else "Every agency now shares concerns the same day.",
        ),
        actor=actor,
    )
    services.publication_publish(publication=publication, published_on=published_on, actor=actor)
    return publication


def test_the_public_site_shows_a_published_review_with_its_summary_and_response(client):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        publication = published_review(published_on=D(2025, 7, 21))
        listing = text(client.get("/learning-from-reviews/"))
        assert "Child P practice review" in listing
        assert "Published 21 July 2025" in listing
        page = text(client.get(publication.get_absolute_url()))
        assert "Agencies did not share what they knew." in page
        assert (
            "What we have done The partnership's response to the review. We have rewritten the information-sharing protocol."
            in page
        )
        assert "Child P final report (PDF)" in page
        response = client.get(f"{publication.get_absolute_url()}report/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
    assert publication.review.status == ReviewStatus.PUBLISHED


def test_a_review_published_13_months_ago_is_available_on_request(client):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        publication = published_review(published_on=D(2025, 7, 21))
    with time_machine.travel(dt.datetime(2026, 8, 21, 10), tick=False):
        listing = text(client.get("/learning-from-reviews/"))
        assert "Child P practice review" in listing
        assert "report available on request" in listing
        page = text(client.get(publication.get_absolute_url()))
        assert "The report and its executive summary are available on request." in page
        assert "Child P final report (PDF)" not in page
        assert client.get(f"{publication.get_absolute_url()}report/").status_code == 404
        # The summary and the response stay public.
        assert "We have rewritten the information-sharing protocol." in page


def test_the_period_online_is_configurable(client):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        publication = published_review(published_on=D(2025, 7, 21))
    from partnership.reviews.models import ReviewRules

    rules = ReviewRules.current()
    rules.published_for_months = 24
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    with time_machine.travel(dt.datetime(2026, 8, 21, 10), tick=False):
        assert client.get(f"{publication.get_absolute_url()}report/").status_code == 200


def test_where_the_report_is_not_published_the_improvements_are(client):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        publication = published_review(published_on=D(2025, 7, 21), report_published=False)
        page = text(client.get(publication.get_absolute_url()))
    assert "Why the report is not published It would identify the family." in page
    assert "The improvements made Every agency now shares concerns the same day." in page
    assert client.get(f"{publication.get_absolute_url()}report/").status_code == 404


def test_a_draft_or_future_publication_is_not_public(client, personas):
    review = make_review(aware_on=D(2025, 1, 6), child_pseudonym="Child D", title="Child D")
    draft = services.publication_save(
        publication=Publication(review=review, title="Child D review", summary="S", response="R"),
        actor=Actor.for_user(business_unit()),
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Child D review" not in text(client.get("/learning-from-reviews/"))


def test_publishing_without_a_report_or_improvements_is_refused(client_as, personas):
    review = make_review(aware_on=D(2025, 1, 6))
    services.publication_save(
        publication=Publication(review=review, title="A review", summary="S", response="R"),
        actor=Actor.for_user(business_unit()),
    )
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/publication/publish/",
        {"published_on_day": "1", "published_on_month": "2", "published_on_year": "2025"},
    )
    assert error_summary(response) == [
        "Upload the final report and choose it, or record that it is not published",
        "Upload the executive summary and choose it",
        "Record the pre-publication notice to the Panel and the Secretary of State (on the "
        "local review page), or the reason it is not needed",
    ]
    review.publication.refresh_from_db()
    assert review.publication.status == "draft"


def test_the_publication_form_asks_for_the_improvements_when_the_report_is_withheld(
    client_as, personas
):
    review = make_review(aware_on=D(2025, 1, 6))
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/publication/",
        {"title": "A review", "summary": "S", "response": "R", "report_published": "no"},
    )
    assert error_summary(response) == [
        "Enter why the report is not published",
        "Enter the information about the improvements made",
    ]
    assert not Publication.objects.exists()
