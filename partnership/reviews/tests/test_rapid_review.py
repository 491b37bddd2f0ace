"""Recording an incident and running its rapid review through the pages, bad input included:
each refusal is a GOV.UK error and saves nothing."""

import datetime as dt

import pytest
import time_machine

from partnership.accounts.models import User
from partnership.reviews import services
from partnership.reviews.models import (
    AgencySummary,
    Decision,
    Incident,
    IncidentOutcome,
    LocalReview,
    Notification,
    RapidReviewStatus,
    Recipient,
    Review,
    ReviewStatus,
    SignOff,
)
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

from .factories import business_unit, decide, make_review, organisation, partner_leads
from .support import date_fields, error_summary, text

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def after_christmas():
    with time_machine.travel(dt.datetime(2027, 1, 4, 10), tick=False):
        yield


def incident_form(**overrides):
    form = {
        "child_pseudonym": "Child Q",
        **date_fields("aware_on", D(2026, 12, 18)),
        **date_fields("occurred_on", D(2026, 12, 16)),
        "outcome": "died",
        "looked_after": "on",
        "title": "",
        "case_manager": "",
        "summary": "",
        "setting_description": "",
    }
    form.update(overrides)
    return form


def test_recording_an_incident_opens_a_review_with_its_clocks(client_as, after_christmas):
    police = organisation("merseyside-police")
    response = client_as("business_unit").post(
        "/reviews/new/", incident_form(agencies=[police.pk]), follow=True
    )
    review = Review.objects.get()
    assert review.title == "Child Q"
    page = text(response)
    assert "is open and its clocks have started" in page
    # Four notices for a looked-after child who died, each due Tue 29 Dec 2026 (5 working days
    # after Fri 18 Dec, skipping Christmas and the substitute Boxing Day); shown on the page.
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [Recipient.PANEL, Recipient.PARTNERS, Recipient.OFSTED, Recipient.SECRETARY_OF_STATE]
    )
    assert page.count("29 December 2026") >= 4
    assert review.rapid_review.due_on == D(2027, 1, 13)
    assert list(review.incidents.get().agencies.all()) == [police]


def test_a_real_name_is_refused_as_a_pseudonym(client_as, after_christmas):
    response = client_as("business_unit").post(
        "/reviews/new/", incident_form(child_pseudonym="Jane Smith")
    )
    assert error_summary(response) == [
        'Enter a pseudonym like "Child Q" or "Child Sam", never the child\'s real name'
    ]
    assert not Review.objects.exists()


def test_an_incident_after_the_awareness_date_is_refused(client_as, after_christmas):
    response = client_as("business_unit").post(
        "/reviews/new/", incident_form(**date_fields("occurred_on", D(2026, 12, 20)))
    )
    assert error_summary(response) == [
        "The date of the incident must be on or before the date the local authority became "
        "aware of it"
    ]
    assert not Review.objects.exists() and not Incident.objects.exists()


def test_a_notification_dated_before_the_awareness_date_is_refused(client_as, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    trail = AuditEntry.objects.count()
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/notifications/{panel.pk}/sent/",
        date_fields("sent_on", D(2026, 12, 17)),
    )
    assert error_summary(response) == [
        "The date the notification was sent must be on or after the date the local authority "
        "became aware of the incident (18 December 2026)"
    ]
    panel.refresh_from_db()
    assert panel.sent_on is None
    # Only the view of the form is on the record: no change was written.
    assert not AuditEntry.objects.filter(pk__gt=0, action="update").exists()
    assert AuditEntry.objects.count() == trail + 1


def test_recording_a_notification_sent(client_as, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    client_as("business_unit").post(
        f"/reviews/{review.pk}/notifications/{panel.pk}/sent/",
        date_fields("sent_on", D(2026, 12, 22)),
    )
    panel.refresh_from_db()
    assert panel.sent_on == D(2026, 12, 22)
    page = text(client_as("business_unit").get(f"/reviews/{review.pk}/"))
    assert "22 December 2026 Done" in page


def test_a_decision_without_a_rationale_is_refused(client_as, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/rapid-review/decision/",
        {"decision": "lcspr", "rationale": "   ", **date_fields("decided_on", D(2027, 1, 4))},
    )
    assert error_summary(response) == ["Enter the rationale for the decision, against the criteria"]
    review.rapid_review.refresh_from_db()
    assert review.rapid_review.decision == "" and review.rapid_review.decided_on is None


def test_the_service_refuses_a_decision_without_a_rationale_too(personas, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    with pytest.raises(services.ValidationError):
        services.rapid_review_decide(
            rapid=review.rapid_review,
            decision=Decision.LCSPR,
            rationale="",
            decided_on=D(2027, 1, 4),
            actor=Actor.for_user(business_unit()),
        )


def test_nobody_signs_off_on_a_partners_behalf(client_as, personas, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    decide(review, on=D(2027, 1, 4))
    url = f"/reviews/{review.pk}/rapid-review/sign-off/"
    # The business unit no longer records a sign-off; a group member is no partner.
    assert client_as("business_unit").post(url, {"confirm": "on"}).status_code == 403
    assert client_as("group_member").post(url, {"confirm": "on"}).status_code == 403
    with pytest.raises(services.ValidationError, match="signed in themselves"):
        services.rapid_review_sign_off(
            rapid=review.rapid_review,
            signer=personas["partner_lead"],
            signed_on=D(2027, 1, 4),
            actor=Actor.for_user(business_unit()),
        )
    with pytest.raises(services.ValidationError, match="Gareth Morris cannot sign off"):
        services.rapid_review_sign_off(
            rapid=review.rapid_review,
            signer=personas["group_member"],
            signed_on=D(2027, 1, 4),
            actor=Actor.for_user(personas["group_member"]),
        )
    assert not SignOff.objects.exists()


def test_a_partner_lead_signs_off_for_their_own_partner_once(client_as, personas, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    decide(review, on=D(2027, 1, 4))
    client = client_as("partner_lead")
    url = f"/reviews/{review.pk}/rapid-review/sign-off/"
    assert "Sign off the decision for Merseyside Police" in text(client.get(url))
    unconfirmed = client.post(url, {})
    assert error_summary(unconfirmed) == ["Confirm that you have read the decision and sign it off"]
    client.post(url, {"confirm": "on"})
    sign_off = SignOff.objects.get()
    assert (sign_off.partner.name, sign_off.signed_by, sign_off.signed_on) == (
        "Merseyside Police",
        personas["partner_lead"],
        D(2027, 1, 4),
    )
    again = client.post(url, {"confirm": "on"})
    assert error_summary(again) == ["Merseyside Police has already signed off this decision"]
    assert SignOff.objects.count() == 1


def test_the_decision_goes_to_the_panel_only_when_every_partner_has_signed(
    client_as, after_christmas
):
    review = make_review(aware_on=D(2026, 12, 18))
    decide(review, decision=Decision.LCSPR, on=D(2027, 1, 4))
    leads = partner_leads()
    for lead in leads[:2]:
        services.rapid_review_sign_off(
            rapid=review.rapid_review,
            signer=lead,
            signed_on=D(2027, 1, 4),
            actor=Actor.for_user(lead),
        )
    client = client_as("business_unit")
    url = f"/reviews/{review.pk}/rapid-review/send/"
    response = client.post(url, date_fields("sent_on", D(2027, 1, 4)))
    (message,) = error_summary(response)
    assert message.startswith(
        "Every safeguarding partner must sign off the decision first: waiting for"
    )
    review.rapid_review.refresh_from_db()
    assert review.rapid_review.status == RapidReviewStatus.IN_PROGRESS

    services.rapid_review_sign_off(
        rapid=review.rapid_review,
        signer=leads[2],
        signed_on=D(2027, 1, 4),
        actor=Actor.for_user(leads[2]),
    )
    client.post(url, date_fields("sent_on", D(2027, 1, 4)))
    review.refresh_from_db()
    assert review.rapid_review.status == RapidReviewStatus.COMPLETED
    assert review.status == ReviewStatus.LOCAL_REVIEW
    local = LocalReview.objects.get(review=review)
    assert local.target_publication_on == D(2027, 7, 4)


def test_a_signed_decision_cannot_change(personas, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    decide(review, decision=Decision.LCSPR, on=D(2027, 1, 4))
    services.rapid_review_sign_off(
        rapid=review.rapid_review,
        signer=partner_leads()[0],
        signed_on=D(2027, 1, 4),
        actor=Actor.for_user(partner_leads()[0]),
    )
    with pytest.raises(services.ValidationError, match="cannot change"):
        services.rapid_review_decide(
            rapid=review.rapid_review,
            decision=Decision.NO_FURTHER_REVIEW,
            rationale="Changed our minds.",
            decided_on=D(2027, 1, 4),
            actor=Actor.for_user(business_unit()),
        )


def test_agency_summaries_are_late_once_their_due_date_passes(client_as, after_christmas):
    police = organisation("merseyside-police")
    council = organisation("knowsley-council")
    review = make_review(aware_on=D(2026, 12, 18), agencies=[police, council])
    client = client_as("business_unit")
    client.post(
        f"/reviews/{review.pk}/rapid-review/letters/",
        {**date_fields("sent_on", D(2026, 12, 21)), "organisations": [police.pk, council.pk]},
    )
    summaries = {s.organisation: s for s in AgencySummary.objects.all()}
    assert {s.due_on for s in summaries.values()} == {D(2027, 1, 6)}
    client.post(
        f"/reviews/{review.pk}/rapid-review/summaries/{summaries[police].pk}/received/",
        date_fields("received_on", D(2027, 1, 4)),
    )
    with time_machine.travel(dt.datetime(2027, 1, 7, 9), tick=False):
        page = text(client_as("business_unit").get(f"/reviews/{review.pk}/rapid-review/"))
    assert "Merseyside Police 21 December 2026 6 January 2027 4 January 2027 Received" in page
    assert "Knowsley Council 21 December 2026 6 January 2027 Late" in page


def test_the_meeting_records_immediate_actions_and_the_criteria(client_as, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18), looked_after=True)
    client = client_as("business_unit")
    url = f"/reviews/{review.pk}/rapid-review/meeting/"
    form = client.get(url).content.decode()
    # The Panel's factor the incident points to (a looked-after child) is ticked to begin with.
    assert 'name="met_factor_care_or_plan" type="checkbox" value="on" checked' in form
    client.post(
        url,
        {
            **date_fields("held_on", D(2027, 1, 4)),
            "immediate_actions": "Sibling visited the same day.",
            "met_local_two_agencies": "on",
            "notes_local_two_agencies": "Police and health did not share.",
        },
    )
    page = text(client.get(f"/reviews/{review.pk}/rapid-review/"))
    assert "Sibling visited the same day." in page
    assert (
        "concerns regarding two or more agencies working together effectively to safeguard and promote the welfare of children Met Police and health did not share."
        in page
    )


def test_adding_a_second_child_makes_a_combined_review(client_as, after_christmas):
    review = make_review(
        aware_on=D(2026, 12, 18), child_pseudonym="Child Q", title="Child Q and Child S"
    )
    client_as("business_unit").post(
        f"/reviews/{review.pk}/incidents/new/",
        incident_form(
            child_pseudonym="Child S",
            **date_fields("aware_on", D(2026, 12, 15)),
            **date_fields("occurred_on", D(2026, 12, 14)),
        ),
    )
    review.refresh_from_db()
    assert list(review.incidents.values_list("child_pseudonym", flat=True)) == [
        "Child S",
        "Child Q",
    ]
    # The earlier awareness now starts the rapid review's clock: 15 WD after Tue 15 Dec 2026.
    assert review.aware_on == D(2026, 12, 15)
    assert review.rapid_review.due_on == D(2027, 1, 8)


def test_the_partner_leads_are_real_users(personas):
    # One lead for each of the three safeguarding partners (the health partner's slug has
    # stayed "knowsley-ccg" through its renaming as the Integrated Care Board).
    assert {lead.organisation.slug for lead in partner_leads()} == {
        "merseyside-police",
        "knowsley-council",
        "knowsley-ccg",
    }
    assert User.objects.filter(email__in=[u.email for u in partner_leads()]).count() == 3


def test_an_incident_cannot_be_moved_after_a_notification_already_sent(client_as, after_christmas):
    review = make_review(aware_on=D(2026, 12, 18))
    incident = review.incidents.get()
    panel = Notification.objects.get(incident=incident, recipient=Recipient.PANEL)
    services.notification_record_sent(
        notification=panel, sent_on=D(2026, 12, 18), actor=Actor.for_user(business_unit())
    )
    response = client_as("business_unit").post(
        f"/reviews/{review.pk}/incidents/{incident.pk}/edit/",
        incident_form(
            child_pseudonym=incident.child_pseudonym,
            **date_fields("aware_on", D(2026, 12, 21)),
        ),
    )
    assert error_summary(response) == [
        "The Child Safeguarding Practice Review Panel was notified on 18 December 2026, before "
        "this date: check the date the local authority became aware"
    ]
    incident.refresh_from_db()
    assert incident.aware_on == D(2026, 12, 18)


def test_marking_a_child_who_died_looked_after_adds_the_notices_to_ofsted_and_the_secretary_of_state(
    client_as, after_christmas
):
    review = make_review(aware_on=D(2026, 12, 18), outcome=IncidentOutcome.DIED)
    incident = review.incidents.get()
    assert incident.notifications.count() == 2
    client_as("business_unit").post(
        f"/reviews/{review.pk}/incidents/{incident.pk}/edit/",
        incident_form(child_pseudonym=incident.child_pseudonym, looked_after="on"),
    )
    page = text(client_as("business_unit").get(f"/reviews/{review.pk}/"))
    assert "Ofsted 29 December 2026" in page
    assert "The Secretary of State 29 December 2026" in page
