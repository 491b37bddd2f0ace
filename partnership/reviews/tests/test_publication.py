"""Publication: the public site lists published reviews with their summary and the
partnership's response; after the period online (12 months) a report is available on request."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.core.files.base import ContentFile

from partnership.reviews import services
from partnership.reviews.models import (
    DocumentKind,
    Publication,
    PublicationStatus,
    Recommendation,
    ReviewStatus,
)
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

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


# Publication that follows the steps --------------------------------------------------------


def public_content_text(response) -> str:
    """The text of the part of a page that shows the public review content."""
    page = response.content.decode()
    match = re.search(r"<div data-public-content>(.*?)</div><!-- /public-content -->", page, re.S)
    assert match, "no public content on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def ready_to_publish(*, notice: bool):
    """An LCSPR with its report and executive summary uploaded and a draft publication; the
    pre-publication notice recorded or not."""
    review = make_review(aware_on=D(2025, 1, 6), child_pseudonym="Child N", title="Child N")
    complete_rapid_review(review, on=D(2025, 1, 24))
    actor = Actor.for_user(business_unit())
    report, summary = (
        services.document_upload(
            review=review,
            kind=kind,
            title=title,
            upload=ContentFile(PDF, name=f"{kind}.pdf"),
            actor=actor,
        )
        for kind, title in (
            (DocumentKind.FINAL_REPORT, "Child N final report"),
            (DocumentKind.EXECUTIVE_SUMMARY, "Child N executive summary"),
        )
    )
    services.recommendation_save(
        recommendation=Recommendation(review=review, text="Ask about the father's role."),
        themes=[],
        actor=actor,
    )
    if notice:
        services.local_review_record_pre_publication_notice(
            local=review.local_review, sent_on=D(2025, 7, 10), actor=actor
        )
    services.publication_save(
        publication=Publication(
            review=review,
            title="Child N practice review",
            summary="Child N was seriously harmed.\nThe agencies did not see the father.",
            response="Every assessment now asks who the men in the household are.",
            report=report,
            executive_summary=summary,
        ),
        actor=actor,
    )
    return review


PUBLISH = {"published_on_day": "21", "published_on_month": "7", "published_on_year": "2025"}


def test_publishing_without_the_pre_publication_notice_is_refused_saying_what_is_missing(
    client_as,
):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        review = ready_to_publish(notice=False)
        client = client_as("business_unit")
        check = text(client.get(f"/reviews/{review.pk}/publication/publish/"))
        response = client.post(f"/reviews/{review.pk}/publication/publish/", PUBLISH)
    message = (
        "Record the pre-publication notice to the Panel and the Secretary of State (on the "
        "local review page), or the reason it is not needed"
    )
    assert f"It cannot be published yet: {message}" in check
    assert error_summary(response) == [message]
    review.publication.refresh_from_db()
    assert review.publication.status == PublicationStatus.DRAFT
    assert client_as(None).get(review.publication.get_absolute_url()).status_code == 404


def test_the_check_your_answers_page_shows_exactly_what_the_public_then_sees(client_as):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        review = ready_to_publish(notice=True)
        client = client_as("business_unit")
        check = client.get(f"/reviews/{review.pk}/publication/publish/")
        shown = public_content_text(check)
        assert "It cannot be published yet" not in text(check)
        client.post(f"/reviews/{review.pk}/publication/publish/", PUBLISH)
        public = public_content_text(client_as(None).get(review.publication.get_absolute_url()))
    assert shown == public
    assert public == (
        "Summary Child N was seriously harmed. The agencies did not see the father. "
        "The report Child N final report (PDF) Child N executive summary (PDF) "
        "Recommendations Ask about the father's role. "
        "What we have done The partnership's response to the review. "
        "Every assessment now asks who the men in the household are."
    )


def public_pages(extra=()):
    """Every public page without arguments, and `extra` paths."""
    from django.urls import URLPattern, URLResolver, get_resolver, reverse

    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and getattr(pattern.callback, "public", False)
                and not pattern.pattern.converters
            ):
                yield reverse(f"{namespace}{pattern.name}")

    return [*walk(get_resolver()), *extra]


def test_recommendations_of_an_unpublished_review_are_on_no_public_page(client_as, personas):
    actor = Actor.for_user(business_unit())
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        published = ready_to_publish(notice=True)
        client_as("business_unit").post(f"/reviews/{published.pk}/publication/publish/", PUBLISH)
        draft = make_review(aware_on=D(2025, 2, 3), child_pseudonym="Child U", title="Child U")
        services.recommendation_save(
            recommendation=Recommendation(review=draft, text="Unpublished: check the school."),
            themes=[],
            actor=actor,
        )
        services.publication_save(
            publication=Publication(
                review=draft, title="Child U review", summary="S", response="R"
            ),
            actor=actor,
        )
        # Typed into the published review after publication: public only once published again.
        services.recommendation_save(
            recommendation=Recommendation(review=published, text="Added later: see the father."),
            themes=[],
            actor=actor,
        )
        anonymous = client_as(None)
        seen = []
        for path in public_pages(
            [published.publication.get_absolute_url(), draft.publication.get_absolute_url()]
        ):
            response = anonymous.get(path)
            assert response.status_code < 500, path
            seen.append(response.content.decode())
    assert any("Ask about the father&#39;s role." in page for page in seen)
    for page in seen:
        assert "Unpublished: check the school." not in page
        assert "Added later: see the father." not in page


def test_a_publication_is_withdrawn_with_a_reason_on_the_record(client_as):
    with time_machine.travel(dt.datetime(2025, 8, 1, 10), tick=False):
        review = ready_to_publish(notice=True)
        client = client_as("business_unit")
        client.post(f"/reviews/{review.pk}/publication/publish/", PUBLISH)
        url = f"/reviews/{review.pk}/publication/withdraw/"
        assert error_summary(client.post(url, {"reason": " "})) == [
            "Enter why the publication is withdrawn"
        ]
        client.post(url, {"reason": "The family asked us to take it down."})
        public = client_as(None).get(review.publication.get_absolute_url())
        listing = text(client_as(None).get("/learning-from-reviews/"))
    assert public.status_code == 404
    assert "Child N practice review" not in listing
    review.refresh_from_db()
    assert review.status == ReviewStatus.LOCAL_REVIEW
    entry = AuditEntry.objects.filter(summary="Withdrew the review from the website").get()
    assert entry.actor == business_unit()
    assert entry.changes["reason"] == [None, "The family asked us to take it down."]
