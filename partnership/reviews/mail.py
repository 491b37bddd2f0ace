"""The reviews module's emails, through the outbox (docs/adr/0010).

- the letter to an agency asking for its rapid review summary, to each of its contacts, with
  the link to the request (the only part of the review they see).

A sign-off asked of a partner's delegated representative is on their Your work, and the work
app's sweep emails it (docs/adr/0011), so it is not emailed from here as well.
"""

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from partnership.accounts.models import RoleGrant, User
from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor

from .models import AgencySummary


def agency_contacts(organisation) -> list[User]:
    """The people who answer for an agency: an account (of partnership staff) whose directory
    entry is at the organisation, or whose role is scoped to it."""
    candidates = User.objects.filter(is_active=True).filter(
        Q(person__organisation=organisation, person__ended_on=None)
        | Q(pk__in=RoleGrant.objects.filter(organisation=organisation).values("user_id"))
    )
    return [user for user in candidates.order_by("full_name") if user.is_staff]


def letter_text(summary: AgencySummary) -> dict:
    """The words of the letter asking an agency for its summary, for the email and the PDF."""
    rapid = summary.rapid_review
    review = rapid.review
    paragraphs = [
        f"The {settings.PARTNERSHIP_NAME} is holding a rapid review following a serious "
        f"incident concerning {review.title} (review {review.reference}). "
        f"{summary.organisation.name} is named as having been involved with the child or "
        "their family.",
        "Please send a summary of your agency's involvement: the contact you had, what was "
        "known, the decisions made and why, any immediate actions you have taken to keep "
        "children safe, and any learning you have already identified. Use only the "
        "pseudonym; do not name the child or family.",
        f"The summary is due by {summary.due_on:%-d %B %Y}. Write it, or paste it, on the "
        "request page and submit it there: the review's timetable is updated when you do.",
    ]
    return {
        "date": f"{summary.requested_on:%-d %B %Y}",
        "recipient": summary.organisation.name,
        "subject": f"Rapid review {review.reference}: summary requested from "
        f"{summary.organisation.name}",
        "salutation": "Dear colleague,",
        "paragraphs": paragraphs,
        "link": absolute_url(reverse("reviews:agency-request", kwargs={"summary": summary.pk})),
        "closing": "Yours sincerely,",
        "signatory": review.case_manager.full_name if review.case_manager else "",
        "signatory_role": f"Business unit, {settings.PARTNERSHIP_NAME}",
    }


def agency_request_send(*, summary: AgencySummary, actor: Actor) -> int:
    """Email the letter to each of the agency's contacts; how many were sent."""
    text = letter_text(summary)
    body = render_to_string("reviews/email/agency_request.txt", {"letter": text})
    contacts = agency_contacts(summary.organisation)
    for contact in contacts:
        email_queue(
            to=contact.email,
            subject=text["subject"],
            text=body,
            kind="reviews.agency_request",
            related=summary,
            batch=f"agency-request:{summary.pk}",
            actor=actor,
        )
    return len(contacts)
