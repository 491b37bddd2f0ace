"""Erasure: what the law allows is erased (anonymised where other records depend on the
row), the rest refused with the reason, and all of it on the trail without the content."""

import datetime as dt

import pytest
import time_machine

from partnership.directory.models import Person
from partnership.governance.models import InterestDeclaration, InterestKind
from partnership.records import services
from partnership.records.models import Erasure, ErasureGround
from partnership.records.registry import kind_for
from partnership.records.subjects import subject_find
from partnership.trail.actors import Actor
from partnership.trail.models import Action, AuditEntry
from partnership.trail.services import audit_record
from partnership.training.models import Booking, BookingStatus, Evaluation

from .factories import at, booking_on, evaluate, session_on

pytestmark = pytest.mark.django_db

EMAIL = "sam.taylor@school.example.org"


def erase(actor, email=EMAIL):
    return services.erasure_carry_out(
        email=email, ground=ErasureGround.OBJECTION, notes="Request 14", actor=actor
    )


def line(erasure, kind):
    return next(item for item in erasure.lines if item["kind"] == kind)


def test_a_practitioners_booking_becomes_an_erased_attendee_and_the_numbers_stay(bu):
    session = session_on(2024, 3, 10, capacity=20)
    booking = booking_on(session, email=EMAIL, access_needs="Hearing loop")
    booking_on(session, name="Other Person", email="other@example.org")
    evaluation = evaluate(booking, words="Loved the role play")
    with time_machine.travel(at(2026, 3, 1), tick=False):
        erasure = erase(bu)
    booking.refresh_from_db()
    assert booking.full_name == "Erased attendee"
    assert booking.email == f"erased-{booking.pk}@erased.invalid"
    assert booking.access_needs == ""
    # The session still counts two attendees, and the evaluation's scores still count.
    assert Booking.objects.filter(session=session).count() == 2
    evaluation.refresh_from_db()
    assert (evaluation.overall, evaluation.most_useful) == (5, "")
    assert line(erasure, "training.booking")["erased"] == 1
    assert line(erasure, "training.booking")["how"] == "anonymised"
    assert line(erasure, "training.evaluation")["erased"] == 1
    # The trail and the erasure name records by kind and id, never what was erased.
    entries = AuditEntry.objects.filter(object_type="training.booking")
    assert entries.get().changes == {"ids": [booking.pk]}
    written = " ".join(entry.summary + entry.object_label for entry in AuditEntry.objects.all())
    assert "Sam Taylor" not in written and "Loved the role play" not in written
    assert erasure.subject_reference == "bookings in an email address only"


def test_a_booking_for_a_session_still_to_come_is_refused_until_it_is_cancelled(bu):
    booking = booking_on(session_on(2026, 6, 1), email=EMAIL, status=BookingStatus.CONFIRMED)
    with time_machine.travel(at(2026, 3, 1), tick=False):
        erasure = erase(bu)
    booking.refresh_from_db()
    assert booking.full_name == "Sam Taylor"
    [[reason, count]] = line(erasure, "training.booking")["reasons"]
    assert count == 1
    assert reason.startswith("The session has not happened yet")


def test_a_held_booking_is_refused(bu):
    booking = booking_on(session_on(2024, 3, 10), email=EMAIL)
    services.hold_place(
        kind=kind_for("training.booking"), object_id=booking.pk, reason="A claim", actor=bu
    )
    erasure = erase(bu)
    booking.refresh_from_db()
    assert booking.full_name == "Sam Taylor"
    assert line(erasure, "training.booking")["reasons"] == [
        ["Under a legal hold: it must be kept until the hold is released.", 1]
    ]


def test_statutory_records_are_refused_with_the_reason(personas, bu):
    member = personas["group_member"]
    person = Person.objects.get(user=member)
    InterestDeclaration.objects.create(
        person=person,
        kind=InterestKind.FINANCIAL,
        interest="Shares",
        declared_on=dt.date(2025, 1, 1),
    )
    audit_record(actor=Actor.for_user(member), action=Action.VIEW, object_label="The action log")
    erasure = erase(bu, member.email)
    interests = line(erasure, "governance.interestdeclaration")
    assert interests["erased"] == 0
    [[reason, _count]] = interests["reasons"]
    assert "Part of the partnership's record of its meetings and decisions" in reason
    assert "not erased on request" in reason
    trail = line(erasure, "audit.auditentry")
    assert trail["erased"] == 0
    assert "append-only and never erased" in trail["reasons"][0][0]
    assert AuditEntry.objects.filter(actor=member, object_label="The action log").exists()
    assert InterestDeclaration.objects.filter(person=person).exists()
    # A member of staff's account holds a role: refused until the roles are taken away.
    account = line(erasure, "accounts.user")
    assert account["erased"] == 0
    assert "holds a partnership role" in account["reasons"][0][0]
    # Their directory entry is still needed by their memberships (the governance record).
    directory = line(erasure, "directory.person")
    assert directory["erased"] == 0
    assert "Other records depend on it" in directory["reasons"][0][0]


def test_a_practitioners_account_is_anonymised_and_can_no_longer_sign_in(personas, bu):
    practitioner = personas["practitioner"]
    email = practitioner.email
    erasure = erase(bu, email)
    practitioner.refresh_from_db()
    assert practitioner.full_name == "Erased account"
    assert practitioner.email == f"erased-{practitioner.pk}@erased.invalid"
    assert not practitioner.is_active
    assert not practitioner.has_usable_password()
    assert line(erasure, "accounts.user")["erased"] == 1
    assert subject_find(email).user is None


def test_the_plan_shows_what_would_be_erased_before_anything_is(client_as):
    booking_on(session_on(2024, 3, 10), email=EMAIL)
    page = client_as("business_unit").get(f"/records/erasure/?email={EMAIL}").content.decode()
    assert "1 anonymised" in page
    assert "Erase these records" in page
    assert Booking.objects.get().full_name == "Sam Taylor"


def test_the_business_unit_erases_through_the_page(client_as):
    booking_on(session_on(2024, 3, 10), email=EMAIL)
    client = client_as("business_unit")
    response = client.post(
        "/records/erasure/",
        {"email": EMAIL, "ground": ErasureGround.OBJECTION, "notes": "", "confirm": "on"},
    )
    erasure = Erasure.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/records/erasure/{erasure.pk}/"
    assert Booking.objects.get().full_name == "Erased attendee"
    page = client.get(response["Location"]).content.decode()
    assert "1 anonymised" in page


def test_erasing_without_confirming_erases_nothing(client_as):
    booking_on(session_on(2024, 3, 10), email=EMAIL)
    response = client_as("business_unit").post(
        "/records/erasure/", {"email": EMAIL, "ground": ErasureGround.OBJECTION}
    )
    assert response.status_code == 200
    assert "Confirm that you have checked what will be erased" in response.content.decode()
    assert Booking.objects.get().full_name == "Sam Taylor"
    assert not Erasure.objects.exists()
    assert not Evaluation.objects.exists()
