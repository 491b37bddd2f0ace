"""Recommendations, their action plans (owner, evidence, the group's sign-off), learning
products and learning themes."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partnership.governance.samples import simple_pdf
from partnership.reviews import services
from partnership.reviews.models import (
    ActionItem,
    ActionStatus,
    LearningTheme,
    Recommendation,
    RecommendationStatus,
)
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry

from .factories import business_unit, make_review, organisation
from .support import date_fields, error_summary, text

pytestmark = pytest.mark.django_db

D = dt.date
# Real documents: the upload checks a file's whole structure, not only its first bytes.
PDF = simple_pdf([["Child Q: draft report"]])


@pytest.fixture
def review(personas):
    return make_review(aware_on=D(2026, 3, 2), child_pseudonym="Child R", title="Child R")


def theme(name) -> LearningTheme:
    return LearningTheme.objects.get(name=name)


def test_the_seeded_themes_include_those_the_issue_names():
    names = set(LearningTheme.objects.values_list("name", flat=True))
    for expected in (
        "Child sexual exploitation (CSE)",
        "Neglect",
        "Missing from home or care",
        "Domestic abuse",
        "Child criminal exploitation",
        "Mental health",
        "Online harm",
        "Placement instability",
        "Information sharing",
        "Professional curiosity",
        "Education engagement",
    ):
        assert expected in names


def test_a_recommendation_to_an_action_to_evidence_to_sign_off(client_as, review, personas):
    manager = client_as("business_unit")
    manager.post(
        f"/reviews/{review.pk}/recommendations/new/",
        {"text": "Share information sooner.", "themes": [theme("Information sharing").pk]},
    )
    recommendation = Recommendation.objects.get()
    assert recommendation.number == 1
    manager.post(
        f"/reviews/{review.pk}/recommendations/1/actions/new/",
        {
            "description": "Audit same-day information sharing",
            "organisation": organisation("north-west-boroughs-healthcare").pk,
            "owner_email": personas["group_member"].email,
            **date_fields("due_on", D(2026, 12, 31)),
        },
    )
    action = ActionItem.objects.get()
    assert (action.owner, action.status) == (personas["group_member"], ActionStatus.OPEN)

    # The owner sends the evidence, with a file.
    owner = client_as("group_member")
    response = owner.post(
        f"/reviews/{review.pk}/actions/{action.pk}/evidence/",
        {
            "evidence": "Audit done: 48 of 50 shared the same day.",
            "file": SimpleUploadedFile("audit.pdf", PDF),
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.EVIDENCE_SUBMITTED
    evidence_file = action.files.get()
    download = owner.get(
        f"/reviews/{review.pk}/actions/{action.pk}/evidence/{evidence_file.pk}/download/"
    )
    assert b"".join(download.streaming_content) == PDF
    assert AuditEntry.objects.filter(
        action=Action.DOWNLOAD, actor=personas["group_member"]
    ).exists()

    # The group signs it off (here the police lead, a member of the group).
    client_as("partner_lead").post(
        f"/reviews/{review.pk}/actions/{action.pk}/sign-off/",
        {**date_fields("signed_off_on", dt.date.today()), "notes": "Minute 12"},
    )
    action.refresh_from_db()
    recommendation.refresh_from_db()
    assert action.status == ActionStatus.SIGNED_OFF
    assert action.signed_off_by == personas["partner_lead"]
    assert recommendation.status == RecommendationStatus.COMPLETE
    page = text(manager.get(f"/reviews/{review.pk}/recommendations/"))
    assert "Share information sooner. Information sharing 1 of 1 signed off Complete" in page


def test_only_the_owner_or_the_business_unit_sends_evidence(client_as, review, personas):
    recommendation = services.recommendation_save(
        recommendation=Recommendation(review=review, text="Do better."),
        themes=[],
        actor=Actor.for_user(business_unit()),
    )
    action = services.action_save(
        action=ActionItem(
            recommendation=recommendation,
            description="Do it",
            organisation=organisation("merseyside-police"),
            owner=personas["partner_lead"],
            due_on=D(2026, 12, 31),
        ),
        actor=Actor.for_user(business_unit()),
    )
    url = f"/reviews/{review.pk}/actions/{action.pk}/evidence/"
    assert client_as("group_member").get(url).status_code == 403
    assert client_as("partner_lead").get(url).status_code == 200


def test_an_action_cannot_be_signed_off_before_its_evidence(client_as, review, personas):
    recommendation = services.recommendation_save(
        recommendation=Recommendation(review=review, text="Do better."),
        themes=[],
        actor=Actor.for_user(business_unit()),
    )
    action = services.action_save(
        action=ActionItem(
            recommendation=recommendation,
            description="Do it",
            organisation=organisation("merseyside-police"),
            owner=personas["partner_lead"],
            due_on=D(2026, 12, 31),
        ),
        actor=Actor.for_user(business_unit()),
    )
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/actions/{action.pk}/sign-off/",
        {**date_fields("signed_off_on", dt.date.today()), "notes": ""},
    )
    assert error_summary(response) == [
        "The action can be signed off only once its evidence has been submitted"
    ]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_an_action_owner_must_have_an_account(client_as, review):
    services.recommendation_save(
        recommendation=Recommendation(review=review, text="Do better."),
        themes=[],
        actor=Actor.for_user(business_unit()),
    )
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/recommendations/1/actions/new/",
        {
            "description": "Do it",
            "organisation": organisation("merseyside-police").pk,
            "owner_email": "nobody@example.org",
            **date_fields("due_on", D(2026, 12, 31)),
        },
    )
    (message,) = error_summary(response)
    assert message.startswith("No one with that email address has an account")
    assert not ActionItem.objects.exists()


def test_learning_products_link_to_recommendations(client_as, review):
    services.recommendation_save(
        recommendation=Recommendation(review=review, text="Brief practitioners."),
        themes=[],
        actor=Actor.for_user(business_unit()),
    )
    client = client_as("business_unit")
    client.post(
        f"/reviews/{review.pk}/learning-products/new/",
        {
            "kind": "seven_minute",
            "title": "7-minute briefing: Child R",
            "summary": "",
            "link": "",
            **date_fields("published_on", D(2026, 6, 1)),
            "recommendations": [Recommendation.objects.get().pk],
        },
    )
    page = text(client.get(f"/reviews/{review.pk}/recommendations/1/"))
    assert "Learning products 7-minute briefing: Child R" in page


def test_recurring_themes_are_counted_by_year(client_as, personas):
    neglect, cse = theme("Neglect"), theme("Child sexual exploitation (CSE)")
    make_review(aware_on=D(2024, 5, 1), themes=[neglect])
    make_review(aware_on=D(2025, 5, 1), themes=[neglect, cse])
    make_review(aware_on=D(2025, 9, 1), themes=[neglect])
    page = text(client_as("group_member").get("/reviews/themes/"))
    assert "Theme 2024 2025 Reviews Recommendations" in page
    assert "Neglect 1 2 3 0" in page
    assert "Child sexual exploitation (CSE) 0 1 1 0" in page
    # A reviewer counts only what they may see: none of these.
    assert "No reviews are tagged with a theme yet." in text(
        client_as("reviewer").get("/reviews/themes/")
    )


def test_the_business_unit_adds_and_retires_a_theme(client_as):
    client = client_as("business_unit")
    client.post(
        "/reviews/themes/new/",
        {"name": "Private fostering", "description": "", "is_active": "on", "display_order": "300"},
    )
    added = LearningTheme.objects.get(name="Private fostering")
    assert added.is_active
    client.post(
        f"/reviews/themes/{added.slug}/edit/",
        {"name": "Private fostering", "description": "", "display_order": "300"},
    )
    added.refresh_from_db()
    assert not added.is_active  # the "in use" box was left unticked
