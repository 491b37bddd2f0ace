"""Who is notified (Working Together 2023, chapter 5), each a rule with its default:

- a serious incident: the Panel (through the Child Safeguarding Incident Notification System)
  and the safeguarding partners;
- the death of a looked-after child: the Secretary of State and Ofsted as well;
- the death of a care leaver up to and including the age of 24: the Secretary of State and
  Ofsted, with no rapid review unless it is a serious incident too.

Every notice is due within 5 working days of the local authority becoming aware. The dates
were counted by hand against the England and Wales bank holidays:

- aware Fri 18 Dec 2026: Mon 21, Tue 22, Wed 23, Thu 24 (4); Fri 25 Christmas; the weekend;
  Mon 28 the substitute Boxing Day; Tue 29 December 2026 (5);
- aware Thu 27 Aug 2026: Fri 28 (1); Mon 31 Aug the summer bank holiday; Tue 1 (2), Wed 2 (3),
  Thu 3 (4), Fri 4 September 2026 (5). Fifteen working days: Mon 7 (6), 8, 9, 10, 11 (10),
  14, 15, 16, 17 and Fri 18 September 2026 (15).
"""

import datetime as dt

import pytest
import time_machine

from partnership.reviews import services
from partnership.reviews.models import (
    Deadline,
    IncidentOutcome,
    Notification,
    RapidReview,
    Recipient,
    Review,
    ReviewRules,
    ReviewStatus,
)
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

from .factories import business_unit, make_review
from .support import date_fields, error_summary, text

pytestmark = pytest.mark.django_db

D = dt.date
AWARE = D(2026, 8, 27)  # a Thursday, before the summer bank holiday


@pytest.fixture
def early_september():
    with time_machine.travel(dt.datetime(2026, 9, 2, 10), tick=False):
        yield


def notices(review) -> dict[str, dt.date]:
    return {n.recipient: n.due_on for n in Notification.objects.filter(incident__review=review)}


def care_leaver_form(**overrides):
    form = {
        "child_pseudonym": "Care leaver A",
        "age": "24",
        **date_fields("aware_on", AWARE),
        **date_fields("occurred_on", D(2026, 8, 25)),
        "title": "",
        "case_manager": "",
        "summary": "",
    }
    form.update(overrides)
    return form


def test_a_looked_after_child_seriously_harmed_is_notified_to_the_panel_and_partners_only(
    personas,
):
    # Harmed, not died: the looked-after rule is about a death only.
    review = make_review(
        aware_on=D(2026, 12, 18), looked_after=True, outcome=IncidentOutcome.SERIOUSLY_HARMED
    )
    assert notices(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 29),
    }


def test_a_looked_after_child_who_died_is_notified_to_four(personas):
    review = make_review(aware_on=D(2026, 12, 18), looked_after=True, outcome=IncidentOutcome.DIED)
    assert notices(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 29),
        Recipient.OFSTED: D(2026, 12, 29),
        Recipient.SECRETARY_OF_STATE: D(2026, 12, 29),
    }


def test_a_child_not_looked_after_who_died_is_notified_to_the_panel_and_partners(personas):
    review = make_review(aware_on=D(2026, 12, 18), outcome=IncidentOutcome.DIED)
    assert notices(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 29),
    }


def test_a_care_leavers_death_is_notified_with_no_rapid_review(client_as, early_september):
    client = client_as("business_unit")
    response = client.post("/reviews/care-leavers/new/", care_leaver_form(), follow=True)
    review = Review.objects.get()
    page = text(response)
    assert "its notifications are due, and no rapid review is needed" in page
    # Aged 24 is "up to and including 24": the Secretary of State and Ofsted, by Fri 4 Sep.
    assert notices(review) == {
        Recipient.OFSTED: D(2026, 9, 4),
        Recipient.SECRETARY_OF_STATE: D(2026, 9, 4),
    }
    assert not RapidReview.objects.exists()
    assert review.status == ReviewStatus.NOTIFICATION_ONLY
    incident = review.incidents.get()
    assert incident.care_leaver and incident.age == 24 and not incident.abuse_or_neglect
    assert incident.outcome == IncidentOutcome.DIED
    # The review's page: the death, the two notices, and no rapid review to go to.
    assert "Death of a care leaver: Care leaver A" in page
    assert "Age when they died 24" in page
    assert "Decision No rapid review: the serious incident criteria are not met" in page
    assert "Ofsted 4 September 2026 Not yet" in page
    assert "The Secretary of State 4 September 2026 Not yet" in page
    assert "Child Safeguarding Practice Review Panel" not in page
    assert f"/reviews/{review.pk}/rapid-review/" not in response.content.decode()
    assert client.get(f"/reviews/{review.pk}/rapid-review/").status_code == 404
    # The list shows its stage.
    listing = text(client.get("/reviews/"))
    assert f"{review.reference} Care leaver A Notified: no rapid review 27 August 2026" in listing
    # The deadlines dashboard, on Thu 3 Sep: both notices due soon (Fri 4 Sep), named for what
    # they are.
    with time_machine.travel(dt.datetime(2026, 9, 3, 10), tick=False):
        dashboard = text(client_as("business_unit").get("/reviews/deadlines/"))
    assert (
        "4 September 2026 Due soon Notify Ofsted of a care leaver's death (Care leaver A) "
        f"{review.reference} Notification (statutory) No owner"
    ) in dashboard
    assert (
        "4 September 2026 Due soon Notify the Secretary of State of a care leaver's death "
        f"(Care leaver A) {review.reference} Notification (statutory) No owner"
    ) in dashboard
    assert Deadline.objects.filter(review=review).count() == 2
    assert AuditEntry.objects.filter(
        summary="Recorded the death of a care leaver (Care leaver A) and opened the record: "
        "no rapid review, the notices only"
    ).exists()


def test_a_care_leaver_aged_25_is_refused(client_as, early_september):
    response = client_as("business_unit").post(
        "/reviews/care-leavers/new/", care_leaver_form(age="25")
    )
    assert error_summary(response) == [
        "The Secretary of State and Ofsted are notified of the death of a care leaver up to and "
        "including the age of 24: a care leaver aged 25 is not recorded here"
    ]
    assert not Review.objects.exists() and not Notification.objects.exists()


def test_a_care_leaver_under_16_and_a_missing_age_are_refused(client_as, early_september):
    client = client_as("business_unit")
    assert error_summary(client.post("/reviews/care-leavers/new/", care_leaver_form(age="15"))) == [
        "A care leaver is aged 16 or over: for a younger child, record a serious incident"
    ]
    assert error_summary(client.post("/reviews/care-leavers/new/", care_leaver_form(age=""))) == [
        "Enter the care leaver's age when they died"
    ]
    assert not Review.objects.exists()


def test_a_care_leavers_death_with_abuse_suspected_is_a_serious_incident_too(
    client_as, early_september
):
    client_as("business_unit").post(
        "/reviews/care-leavers/new/", care_leaver_form(age="17", abuse_or_neglect="on")
    )
    review = Review.objects.get()
    assert notices(review) == {
        Recipient.PANEL: D(2026, 9, 4),
        Recipient.PARTNERS: D(2026, 9, 4),
        Recipient.OFSTED: D(2026, 9, 4),
        Recipient.SECRETARY_OF_STATE: D(2026, 9, 4),
    }
    assert review.status == ReviewStatus.RAPID_REVIEW
    # 15 working days after Thu 27 Aug 2026, skipping the summer bank holiday: Fri 18 Sep.
    assert review.rapid_review.due_on == D(2026, 9, 18)


def test_abuse_found_later_opens_the_rapid_review(client_as, early_september):
    client = client_as("business_unit")
    client.post("/reviews/care-leavers/new/", care_leaver_form())
    review = Review.objects.get()
    incident = review.incidents.get()
    page = text(client.get(f"/reviews/{review.pk}/incidents/{incident.pk}/edit/"))
    assert "Change the care leaver's record" in page and "Age when they died" in page
    client.post(
        f"/reviews/{review.pk}/incidents/{incident.pk}/edit/",
        care_leaver_form(abuse_or_neglect="on"),
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.RAPID_REVIEW
    assert review.rapid_review.due_on == D(2026, 9, 18)
    assert set(notices(review)) == {
        Recipient.PANEL,
        Recipient.PARTNERS,
        Recipient.OFSTED,
        Recipient.SECRETARY_OF_STATE,
    }
    # Once its rapid review is under way, the death cannot go back to "not suspected".
    response = client.post(
        f"/reviews/{review.pk}/incidents/{incident.pk}/edit/", care_leaver_form()
    )
    assert error_summary(response) == [
        "A rapid review is under way for this death: record its decision rather than change "
        "whether abuse or neglect is suspected"
    ]
    incident.refresh_from_db()
    assert incident.abuse_or_neglect


def test_who_is_notified_follows_the_rules(personas):
    rules = ReviewRules.current()
    rules.notify_partners = False
    rules.notify_looked_after_deaths = False
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    review = make_review(aware_on=D(2026, 12, 18), looked_after=True, outcome=IncidentOutcome.DIED)
    assert notices(review) == {Recipient.PANEL: D(2026, 12, 29)}
    # Turned back on: the open review gets the notices it now needs, due on the same day.
    rules.notify_partners = True
    rules.notify_looked_after_deaths = True
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    assert notices(review) == {
        Recipient.PANEL: D(2026, 12, 29),
        Recipient.PARTNERS: D(2026, 12, 29),
        Recipient.OFSTED: D(2026, 12, 29),
        Recipient.SECRETARY_OF_STATE: D(2026, 12, 29),
    }


def test_the_care_leaver_age_limit_is_a_rule(client_as, early_september):
    rules = ReviewRules.current()
    rules.care_leaver_age_limit = 25
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    client_as("business_unit").post("/reviews/care-leavers/new/", care_leaver_form(age="25"))
    assert notices(Review.objects.get()) == {
        Recipient.OFSTED: D(2026, 9, 4),
        Recipient.SECRETARY_OF_STATE: D(2026, 9, 4),
    }


def test_the_pages_say_how_the_panel_is_notified(client_as, personas):
    client = client_as("business_unit")
    page = text(client.get("/reviews/new/"))
    assert (
        "through the Child Safeguarding Incident Notification System, which shares the "
        "notification with Ofsted and the Department for Education" in page
    )
    review = make_review(aware_on=D(2026, 12, 18))
    detail = text(client.get(f"/reviews/{review.pk}/"))
    assert (
        "The Panel is notified through the Child Safeguarding Incident Notification System, "
        "which shares the notification with Ofsted and the Department for Education." in detail
    )
