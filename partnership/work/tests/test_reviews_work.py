"""What reviews put on Your work: a partner's sign-off, a summary asked of an agency, and
the case manager's evidence to take to the group; and who never sees them."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from partnership.reviews import services
from partnership.reviews.tests.factories import decide, make_review, organisation
from partnership.trail.actors import Actor

pytestmark = pytest.mark.django_db

# Aware on Friday 18 December 2026; the letters go on Monday 21 December (its first working
# day); the decision is made on Monday 4 January 2027. Pages are read on 5 January 2027.
AWARE = dt.date(2026, 12, 18)


@pytest.fixture
def rapid(personas):
    with time_machine.travel(timezone.make_aware(dt.datetime(2026, 12, 21, 12)), tick=False):
        review = make_review(aware_on=AWARE, agencies=[organisation("merseyside-police")])
        services.rapid_review_record_letters(
            rapid=review.rapid_review,
            sent_on=dt.date(2026, 12, 21),
            organisations=[organisation("merseyside-police"), organisation("halewood-academy")],
            actor=Actor.for_user(personas["business_unit"]),
        )
    return review


def page(client_as, key):
    with time_machine.travel(timezone.make_aware(dt.datetime(2027, 1, 5, 9)), tick=False):
        return client_as(key).get("/work/").content.decode()


def test_a_summary_asked_of_the_police_is_on_their_leads_work(client_as, rapid):
    text = page(client_as, "partner_lead")
    assert f"{rapid.reference}: send the summary from Merseyside Police" in text
    # Halewood Academy's summary is not the police's business; Gareth (NWBH) sees neither.
    assert "summary from Halewood Academy" not in text
    assert "send the summary from" not in page(client_as, "group_member")


def test_a_decision_waits_for_each_partners_sign_off_until_given(client_as, personas, rapid):
    decide(rapid, on=dt.date(2027, 1, 4))
    text = page(client_as, "partner_lead")
    assert "sign off the rapid review decision" in text
    assert "for Merseyside Police" in text
    # Only partner leads are asked: not the chair, not a group member.
    assert "sign off the rapid review decision" not in page(client_as, "independent_chair")
    assert "sign off the rapid review decision" not in page(client_as, "group_member")
    with time_machine.travel(timezone.make_aware(dt.datetime(2027, 1, 5, 9)), tick=False):
        services.rapid_review_sign_off(
            rapid=rapid.rapid_review,
            signer=personas["partner_lead"],
            signed_on=dt.date(2027, 1, 5),
            actor=Actor.for_user(personas["partner_lead"]),
        )
    assert "sign off the rapid review decision" not in page(client_as, "partner_lead")


def test_a_review_outside_the_scope_puts_nothing_on_the_reviewers_work(client_as, rapid):
    # Rowan is commissioned on no review here: a reviewer sees only their own review.
    assert "Nothing is waiting for you today." in page(client_as, "reviewer")
