"""Booking, the waiting list, offers and cancellation, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import F

from partnership.lib.clocks import working_days_before
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry
from partnership.trail.services import audit_verify_chain
from partnership.training import services
from partnership.training.models import (
    Attendance,
    Booking,
    BookingStatus,
    Session,
    SessionStatus,
    TrainingRules,
)

from .factories import TEST_ACTOR, SessionFactory, at, book, subjects

pytestmark = pytest.mark.django_db


def places_held(session) -> int:
    return Booking.objects.filter(
        session=session, status__in=[BookingStatus.CONFIRMED, BookingStatus.OFFERED]
    ).count()


def assert_places_consistent(session):
    session.refresh_from_db()
    assert session.places_taken == places_held(session) <= session.capacity


def test_booking_takes_a_place_until_full_then_joins_the_waiting_list(outbox):
    session = SessionFactory(capacity=2)
    first, second, third = (book(session, name) for name in ["Ann Lee", "Bob Day", "Cat Roy"])
    assert [first.status, second.status, third.status] == ["confirmed", "confirmed", "waiting"]
    assert services.waiting_position(third) == 1
    assert_places_consistent(session)
    assert session.places_taken == 2
    assert subjects(outbox) == [
        f"Your place is booked: {session.course.title}",
        f"Your place is booked: {session.course.title}",
        f"You are on the waiting list: {session.course.title}",
    ]
    assert outbox[0].to == ["ann.lee@example.org"]
    assert AuditEntry.objects.filter(object_type="training.booking").count() == 3
    assert audit_verify_chain() == []


def test_booking_the_same_person_twice_returns_the_first_booking(outbox):
    session = SessionFactory(capacity=5)
    first = services.booking_create(
        session_id=session.pk,
        full_name="Ann Lee",
        email="Ann.Lee@Example.org",
        source="portal",
        actor=TEST_ACTOR,
    )
    again = services.booking_create(
        session_id=session.pk,
        full_name="Ann Lee",
        email=" ann.lee@example.org ",
        source="portal",
        actor=TEST_ACTOR,
    )
    assert first.created and not again.created
    assert again.booking.pk == first.booking.pk
    assert Booking.objects.count() == 1
    assert len(outbox) == 1
    assert_places_consistent(session)


def test_a_repeated_idempotency_key_returns_the_same_booking_and_a_reused_one_is_refused(
    personas,
):
    from partnership.directory.models import Organisation

    agency = Organisation.objects.get(slug="merseyside-police")
    session, other = SessionFactory(), SessionFactory()
    arguments = {
        "full_name": "Ann Lee",
        "email": "ann@example.org",
        "source": "api",
        "agency": agency,
        "actor": TEST_ACTOR,
    }
    first = services.booking_create(session_id=session.pk, idempotency_key="k-1", **arguments)
    again = services.booking_create(session_id=session.pk, idempotency_key="k-1", **arguments)
    assert again.booking.pk == first.booking.pk and not again.created
    with pytest.raises(services.TrainingError) as refused:
        services.booking_create(session_id=other.pk, idempotency_key="k-1", **arguments)
    assert refused.value.code == "idempotency_key_reused"
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"status": SessionStatus.CANCELLED}, "cancelled"),
        ({"starts_at": at(2020, 1, 6), "ends_at": at(2020, 1, 6, 12)}, "session_started"),
    ],
    ids=["cancelled session", "past session"],
)
def test_a_cancelled_or_past_session_cannot_be_booked_and_nothing_is_saved(change, code, outbox):
    session = SessionFactory(capacity=5)
    Session.objects.filter(pk=session.pk).update(**change)
    with pytest.raises(services.TrainingError) as refused:
        book(session, "Ann Lee")
    assert refused.value.code == code
    assert Booking.objects.count() == 0
    assert outbox == []
    session.refresh_from_db()
    assert session.places_taken == 0


def test_the_database_refuses_an_overbooked_session_whatever_the_code_does():
    session = SessionFactory(capacity=1)
    book(session, "Ann Lee")
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(places_taken=F("places_taken") + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(capacity=0, places_taken=0)


def test_the_database_refuses_two_active_bookings_of_one_person_on_one_session():
    session = SessionFactory()
    book(session, "Ann Lee")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(
            session=session,
            full_name="Ann",
            email="ann.lee@example.org",
            status="waiting",
            source="portal",
        )


def test_a_person_who_cancelled_can_book_again():
    session = SessionFactory()
    first = book(session, "Ann Lee")
    services.booking_cancel(booking=first, actor=TEST_ACTOR)
    second = book(session, "Ann Lee")
    assert second.pk != first.pk and second.status == BookingStatus.CONFIRMED
    assert_places_consistent(session)


def test_a_cancelled_place_is_offered_to_the_first_on_the_waiting_list(outbox, rules):
    # The whole story happens in pinned time: booked on Monday 23 November 2026 for a session
    # on Thursday 10 December, cancelled that morning, and the offer accepted a day later,
    # well inside its 48 hours.
    with time_machine.travel(at(2026, 11, 23, 8), tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 12, 10), ends_at=at(2026, 12, 10, 13)
        )
        booked = book(session, "Ann Lee")
        first_waiting = book(session, "Bob Day")
        second_waiting = book(session, "Cat Roy")
    outbox.clear()

    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        services.booking_cancel(booking=booked, actor=TEST_ACTOR)

    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == BookingStatus.OFFERED
    assert first_waiting.offer_expires_at == at(2026, 11, 25, 9)  # 48 hours to accept
    assert second_waiting.status == BookingStatus.WAITING
    assert services.waiting_position(second_waiting) == 1
    assert_places_consistent(session)
    assert sorted(subjects(outbox)) == sorted(
        [
            f"Your booking is cancelled: {session.course.title}",
            f"A place is available for you: {session.course.title}",
        ]
    )
    offer = next(m for m in outbox if m.subject.startswith("A place"))
    assert offer.to == ["bob.day@example.org"]
    assert "/training/my-bookings/" in offer.body

    # Tuesday 24 November at 9:00: 24 of the 48 hours gone.
    with time_machine.travel(at(2026, 11, 24, 9), tick=False):
        services.offer_accept(booking=first_waiting, actor=TEST_ACTOR)
        first_waiting.refresh_from_db()
        assert first_waiting.status == BookingStatus.CONFIRMED
        assert_places_consistent(session)
        # Accepting twice is harmless.
        services.offer_accept(booking=first_waiting, actor=TEST_ACTOR)
        assert_places_consistent(session)


def test_an_offer_not_taken_up_in_time_passes_to_the_next_person(outbox, rules):
    start = at(2026, 11, 23, 9)
    with time_machine.travel(start, tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 12, 10), ends_at=at(2026, 12, 10, 13)
        )
        booked = book(session, "Ann Lee")
        bob, cat = book(session, "Bob Day"), book(session, "Cat Roy")
        services.booking_cancel(booking=booked, actor=TEST_ACTOR)
    bob.refresh_from_db()
    assert bob.status == BookingStatus.OFFERED
    assert bob.offer_expires_at == start + dt.timedelta(hours=48)

    with time_machine.travel(start + dt.timedelta(hours=47), tick=False):
        assert services.offers_expire(actor=TEST_ACTOR) == 0
    with time_machine.travel(start + dt.timedelta(hours=49), tick=False):
        outbox.clear()
        assert services.offers_expire(actor=TEST_ACTOR) == 1
        with pytest.raises(services.TrainingError) as too_late:
            services.offer_accept(booking=bob, actor=TEST_ACTOR)
    assert too_late.value.code == "offer_expired"
    bob.refresh_from_db()
    cat.refresh_from_db()
    assert bob.status == BookingStatus.OFFER_EXPIRED
    assert cat.status == BookingStatus.OFFERED
    assert_places_consistent(session)
    assert sorted(m.to[0] for m in outbox) == ["bob.day@example.org", "cat.roy@example.org"]


def test_an_offer_lasts_no_longer_than_until_the_session_starts(rules):
    start = at(2026, 11, 23, 9)
    with time_machine.travel(start, tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 11, 24, 10), ends_at=at(2026, 11, 24, 12)
        )
        booked, waiting = book(session, "Ann Lee"), book(session, "Bob Day")
        Session.objects.filter(pk=session.pk)  # the cut-off has passed: the team cancels
        services.booking_cancel(booking=booked, actor=TEST_ACTOR, by_training_team=True)
    waiting.refresh_from_db()
    assert waiting.offer_expires_at == session.starts_at


def test_a_new_booking_on_a_full_session_first_closes_expired_offers(rules):
    start = at(2026, 11, 23, 9)
    with time_machine.travel(start, tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 12, 10), ends_at=at(2026, 12, 10, 13)
        )
        booked, bob = book(session, "Ann Lee"), book(session, "Bob Day")
        services.booking_cancel(booking=booked, actor=TEST_ACTOR)
    with time_machine.travel(start + dt.timedelta(days=3), tick=False):
        newcomer = book(session, "Dee Fox")
    bob.refresh_from_db()
    # Bob's offer ran out and nobody else was waiting, so the place is the newcomer's.
    assert bob.status == BookingStatus.OFFER_EXPIRED
    assert newcomer.status == BookingStatus.CONFIRMED
    assert_places_consistent(session)


# The cancellation cut-off ------------------------------------------------------------------


def test_the_cut_off_counts_working_days_and_skips_bank_holidays():
    # Christmas Day 2026 is a Friday; Boxing Day, a Saturday, is made up on Monday 28th.
    assert working_days_before(dt.date(2026, 12, 29), 3) == dt.date(2026, 12, 22)
    # An ordinary week: Thursday 3 working days before the next Tuesday.
    assert working_days_before(dt.date(2026, 11, 17), 3) == dt.date(2026, 11, 12)


def test_people_cancel_themselves_up_to_three_working_days_before_skipping_christmas(outbox, rules):
    with time_machine.travel(at(2026, 11, 23), tick=False):
        session = SessionFactory(starts_at=at(2026, 12, 29, 10), ends_at=at(2026, 12, 29, 12))
        on_time, too_late = book(session, "Ann Lee"), book(session, "Bob Day")
    assert session.self_cancel_deadline() == dt.date(2026, 12, 22)

    with time_machine.travel(at(2026, 12, 22, 17), tick=False):
        services.booking_cancel(booking=on_time, actor=TEST_ACTOR)
    on_time.refresh_from_db()
    assert on_time.status == BookingStatus.CANCELLED
    assert on_time.attendance == Attendance.NOT_RECORDED

    # Wednesday 23rd: five calendar days before, but only two working days.
    with (
        time_machine.travel(at(2026, 12, 23, 9), tick=False),
        pytest.raises(services.TrainingError) as refused,
    ):
        services.booking_cancel(booking=too_late, actor=TEST_ACTOR)
    assert refused.value.code == "cut_off_passed"
    assert "22 December 2026" in refused.value.message
    too_late.refresh_from_db()
    assert too_late.status == BookingStatus.CONFIRMED
    assert_places_consistent(session)


def test_the_cut_off_is_configurable(rules):
    TrainingRules.objects.filter(pk=1).update(self_cancel_working_days=1)
    session = SessionFactory(starts_at=at(2026, 12, 29, 10), ends_at=at(2026, 12, 29, 12))
    assert session.self_cancel_deadline() == dt.date(2026, 12, 24)


def test_the_training_team_can_cancel_after_the_cut_off_and_it_is_recorded_as_late(outbox, rules):
    TrainingRules.objects.filter(pk=1).update(late_cancellation_charge=Decimal("40.00"))
    with time_machine.travel(at(2026, 11, 23), tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 12, 29, 10), ends_at=at(2026, 12, 29, 12)
        )
        booked, waiting = book(session, "Ann Lee"), book(session, "Bob Day")
    with time_machine.travel(at(2026, 12, 24, 9), tick=False):
        services.booking_cancel(
            booking=booked, actor=TEST_ACTOR, by_training_team=True, reason="Ill"
        )
    booked.refresh_from_db()
    waiting.refresh_from_db()
    assert booked.status == BookingStatus.CANCELLED
    assert booked.attendance == Attendance.LATE_CANCELLATION
    assert booked.charge == Decimal("40.00")
    assert waiting.status == BookingStatus.OFFERED
    assert_places_consistent(session)
    cancelled = next(m for m in outbox if m.subject.startswith("Your booking is cancelled"))
    assert "late cancellation" in cancelled.body and "£40.00" in cancelled.body


def test_leaving_the_waiting_list_is_allowed_at_any_time_and_cancelling_twice_is_harmless():
    with time_machine.travel(at(2026, 11, 23), tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 11, 25), ends_at=at(2026, 11, 25, 12)
        )
        book(session, "Ann Lee")
        waiting = book(session, "Bob Day")
        services.booking_cancel(booking=waiting, actor=TEST_ACTOR)
        services.booking_cancel(booking=waiting, actor=TEST_ACTOR)
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.CANCELLED
    assert_places_consistent(session)


# Changing a session ------------------------------------------------------------------------


def test_the_capacity_cannot_go_below_the_places_taken(personas):
    session = SessionFactory(capacity=3)
    for name in ["Ann Lee", "Bob Day", "Cat Roy"]:
        book(session, name)
    session.capacity = 2
    with pytest.raises(services.TrainingError) as refused:
        services.session_save(
            session=session, trainers=[], actor=Actor.for_user(personas["business_unit"])
        )
    assert refused.value.code == "capacity_below_bookings"
    assert "3 already booked" in refused.value.message
    session.refresh_from_db()
    assert session.capacity == 3
    assert_places_consistent(session)


def test_more_places_go_to_the_waiting_list_as_offers(personas, outbox):
    session = SessionFactory(capacity=1)
    book(session, "Ann Lee")
    bob, cat, dee = (book(session, name) for name in ["Bob Day", "Cat Roy", "Dee Fox"])
    outbox.clear()
    session.capacity = 3
    services.session_save(
        session=session, trainers=[], actor=Actor.for_user(personas["business_unit"])
    )
    statuses = [Booking.objects.get(pk=b.pk).status for b in (bob, cat, dee)]
    assert statuses == ["offered", "offered", "waiting"]
    assert_places_consistent(session)
    assert sorted(m.to[0] for m in outbox) == ["bob.day@example.org", "cat.roy@example.org"]


def test_a_new_time_is_sent_to_everyone_booked_with_a_calendar_update(personas, outbox):
    session = SessionFactory(capacity=5)
    book(session, "Ann Lee")
    outbox.clear()
    session.starts_at += dt.timedelta(hours=1)
    session.ends_at += dt.timedelta(hours=1)
    services.session_save(
        session=session, trainers=[], actor=Actor.for_user(personas["business_unit"])
    )
    session.refresh_from_db()
    assert session.sequence == 1
    assert subjects(outbox) == [f"Change to your training: {session.course.title}"]
    assert outbox[0].attachments[0][0] == "training.ics"
    assert b"SEQUENCE:1" in _ics(outbox[0])
    assert b"METHOD:REQUEST" in _ics(outbox[0])


def test_cancelling_a_session_cancels_every_booking_and_tells_everyone(personas, outbox):
    session = SessionFactory(capacity=1)
    book(session, "Ann Lee")
    book(session, "Bob Day")
    outbox.clear()
    told = services.session_cancel(
        session=session, reason="Trainer ill", actor=Actor.for_user(personas["business_unit"])
    )
    assert told == 2
    assert Booking.objects.filter(status=BookingStatus.CANCELLED).count() == 2
    session.refresh_from_db()
    assert session.places_taken == 0 and session.status == SessionStatus.CANCELLED
    assert all("Trainer ill" in message.body for message in outbox)
    assert all(b"METHOD:CANCEL" in _ics(message) for message in outbox)
    # And it can no longer be booked.
    with pytest.raises(services.TrainingError):
        book(session, "Cat Roy")


def _ics(message) -> bytes:
    content = message.attachments[0][1]
    return content.encode() if isinstance(content, str) else content
