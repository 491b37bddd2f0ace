"""Emails at the right time, each once: confirmation, reminders, evaluation, impact, no-shows."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from icalendar import Calendar

from partnership.training import services
from partnership.training.models import (
    Attendance,
    BookingMessage,
    MessageKind,
    TrainingRules,
)
from partnership.training.tasks import daily_sweep

from .factories import TEST_ACTOR, SessionFactory, at, book

pytestmark = pytest.mark.django_db

SESSION_START = at(2026, 12, 11, 10)  # a Friday
SESSION_END = at(2026, 12, 11, 12)


def sweep_on(moment) -> dict:
    with time_machine.travel(moment, tick=False):
        return daily_sweep.call()


def sent_to(outbox, email) -> list[str]:
    return [message.subject for message in outbox if message.to == [email]]


@pytest.fixture
def session(rules):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        return SessionFactory(
            capacity=10,
            starts_at=SESSION_START,
            ends_at=SESSION_END,
            course__title="Neglect: Graded Care Profile",
        )


def test_the_confirmation_carries_the_session_as_a_calendar_invitation(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        booking = book(session, "Ann Lee", manager_email="boss@example.org")
    [message] = outbox
    assert message.subject == "Your place is booked: Neglect: Graded Care Profile"
    assert "Friday 11 December 2026" in message.body
    assert "10:00 to 12:00" in message.body
    assert "cancel by Tuesday 8 December 2026" in message.body  # 3 working days before
    name, content, mimetype = message.attachments[0]
    assert name == "training.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event["DTSTART"].dt == SESSION_START
    assert event["DTEND"].dt == SESSION_END
    assert str(event["SUMMARY"]) == "Neglect: Graded Care Profile"
    assert str(event["UID"]) == f"training-session-{session.pk}@kscp"
    assert str(event["ATTENDEE"]) == "mailto:ann.lee@example.org"
    assert booking.get_absolute_url() in message.body


# Late cancellations, reported to the manager as the guide says -----------------------------


def test_a_late_cancellation_by_the_training_team_is_reported_to_the_manager_once(rules, outbox):
    TrainingRules.objects.filter(pk=1).update(late_cancellation_charge=Decimal("40.00"))
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        session = SessionFactory(
            starts_at=at(2026, 12, 29, 10),
            ends_at=at(2026, 12, 29, 12),
            course__title="Neglect: Graded Care Profile",
        )
        ann = book(session, "Ann Lee", job_title="Social Worker", manager_email="a.boss@x.org")
        bob = book(session, "Bob Day")  # gave no manager's address
    outbox.clear()
    # Thursday 24 December: after the cut-off, Tuesday 22 December (3 working days before
    # Tuesday 29th, skipping Monday 28th, Boxing Day's substitute, and Christmas Day).
    with time_machine.travel(at(2026, 12, 24, 9), tick=False):
        for booking in (ann, bob):
            services.booking_cancel(booking=booking, actor=TEST_ACTOR, by_training_team=True)
    [report] = [m for m in outbox if m.to == ["a.boss@x.org"]]
    assert report.subject == "Ann Lee cancelled their place late: Neglect: Graded Care Profile"
    assert "Ann Lee (Social Worker) gave your address as their manager's" in report.body
    assert "Tuesday 29 December 2026" in report.body  # the session
    assert "cancelled their place on Thursday 24 December 2026" in report.body
    assert "after the last day to cancel (Tuesday 22 December 2026)" in report.body
    assert "late cancellation" in report.body and "£40.00" in report.body
    # Each of them had their own cancellation; only Ann's manager had a report.
    assert sorted(m.to[0] for m in outbox) == [
        "a.boss@x.org",
        "ann.lee@example.org",
        "bob.day@example.org",
    ]

    # The register, taken on the day, records the late cancellations again: no second report.
    outbox.clear()
    with time_machine.travel(at(2026, 12, 29, 11), tick=False):
        services.attendance_record(
            session=session,
            outcomes={ann.pk: Attendance.LATE_CANCELLATION, bob.pk: Attendance.LATE_CANCELLATION},
            actor=TEST_ACTOR,
        )
    sweep_on(at(2026, 12, 30, 6))
    assert outbox == []
    assert BookingMessage.objects.filter(kind=MessageKind.LATE_CANCELLATION_MANAGER).count() == 1


def test_a_late_cancellation_recorded_on_the_register_is_reported_to_the_manager_once(
    session, outbox
):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        cat = book(session, "Cat Roy", manager_email="cat.boss@example.org")
    outbox.clear()
    with time_machine.travel(at(2026, 12, 11, 11), tick=False):
        for _ in range(2):  # the register saved twice
            services.attendance_record(
                session=session, outcomes={cat.pk: Attendance.LATE_CANCELLATION}, actor=TEST_ACTOR
            )
    [report] = outbox
    assert report.to == ["cat.boss@example.org"]
    assert report.subject == "Cat Roy cancelled their place late: Neglect: Graded Care Profile"
    # Friday 11 December less 3 working days (10th, 9th, 8th): Tuesday 8 December.
    assert "after the last day to cancel (Tuesday 8 December 2026)" in report.body
    assert "recorded as a late cancellation" in report.body
    assert "charge" not in report.body  # the partnership sets none by default
    sweep_on(at(2026, 12, 12, 6))
    assert len(outbox) == 1


def test_reminders_go_two_weeks_and_two_days_before_each_once(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        book(session, "Ann Lee")
    with time_machine.travel(at(2026, 12, 5, 9), tick=False):
        book(session, "Bob Day")  # after the two-week reminder fell due
    outbox.clear()

    assert sweep_on(at(2026, 11, 26, 6))["reminders"] == 0  # 15 days before
    assert sweep_on(at(2026, 11, 27, 6))["reminders"] == 1  # 14 days before
    assert sweep_on(at(2026, 11, 27, 18))["reminders"] == 0  # the same day again
    assert sweep_on(at(2026, 11, 30, 6))["reminders"] == 0
    assert sent_to(outbox, "ann.lee@example.org") == [
        "Reminder: Neglect: Graded Care Profile on 11 December"
    ]
    assert "cancel by Tuesday 8 December 2026" in outbox[0].body

    outbox.clear()
    assert sweep_on(at(2026, 12, 9, 6))["reminders"] == 2  # 2 days before: Ann and Bob
    assert sweep_on(at(2026, 12, 10, 6))["reminders"] == 0
    assert sweep_on(at(2026, 12, 11, 11))["reminders"] == 0  # under way: nothing more
    assert sorted(m.to[0] for m in outbox) == ["ann.lee@example.org", "bob.day@example.org"]
    assert "tell the training team" in outbox[0].body  # too late to cancel online
    assert all(m.attachments[0][0] == "training.ics" for m in outbox)
    assert BookingMessage.objects.filter(kind=MessageKind.REMINDER).count() == 3


def test_a_sweep_that_missed_days_sends_only_the_latest_reminder_due(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        book(session, "Ann Lee")
    outbox.clear()
    # No sweep ran for three weeks: the two-day reminder, not both.
    assert sweep_on(at(2026, 12, 10, 6))["reminders"] == 1
    assert BookingMessage.objects.get(kind=MessageKind.REMINDER).key == "2"


def test_reminder_days_are_configurable(session, outbox):
    TrainingRules.objects.filter(pk=1).update(reminder_days="7")
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        book(session, "Ann Lee")
    assert sweep_on(at(2026, 11, 27, 6))["reminders"] == 0
    assert sweep_on(at(2026, 12, 4, 6))["reminders"] == 1
    assert sweep_on(at(2026, 12, 9, 6))["reminders"] == 0


def test_evaluation_after_the_session_and_impact_six_weeks_on_each_once(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        ann = book(session, "Ann Lee", manager_email="ann.boss@example.org")
        cat = book(session, "Cat Roy")
        bob = book(session, "Bob Day", manager_email="bob.boss@example.org")
    TrainingRules.objects.filter(pk=1).update(no_show_charge=Decimal("35.00"))
    outbox.clear()

    # The register taken during the session: attendees are asked once the session ends.
    with time_machine.travel(at(2026, 12, 11, 11), tick=False):
        services.attendance_record(
            session=session,
            outcomes={
                ann.pk: Attendance.ATTENDED,
                cat.pk: Attendance.ATTENDED,
                bob.pk: Attendance.NO_SHOW,
            },
            actor=TEST_ACTOR,
        )
    assert sent_to(outbox, "bob.boss@example.org") == [
        "Bob Day did not attend Neglect: Graded Care Profile"
    ]
    assert "£35.00" in outbox[0].body
    assert sent_to(outbox, "ann.lee@example.org") == []
    bob.refresh_from_db()
    assert bob.charge == Decimal("35.00")

    outbox.clear()
    assert sweep_on(at(2026, 12, 11, 11, 30))["evaluations"] == 0  # not ended yet
    assert sweep_on(at(2026, 12, 11, 13))["evaluations"] == 2
    assert sweep_on(at(2026, 12, 12, 6))["evaluations"] == 0
    assert sorted(m.to[0] for m in outbox) == ["ann.lee@example.org", "cat.roy@example.org"]
    evaluation = outbox[0]
    assert evaluation.subject == "How was it? Evaluate Neglect: Graded Care Profile"
    assert "/training/evaluation/" in evaluation.body

    # Six weeks after 11 December 2026 is 22 January 2027.
    outbox.clear()
    assert sweep_on(at(2027, 1, 21, 6))["impact_follow_ups"] == 0
    assert sweep_on(at(2027, 1, 22, 6))["impact_follow_ups"] == 3
    assert sweep_on(at(2027, 1, 23, 6))["impact_follow_ups"] == 0
    assert sorted(m.to[0] for m in outbox) == [
        "ann.boss@example.org",
        "ann.lee@example.org",
        "cat.roy@example.org",
    ]
    manager = next(m for m in outbox if m.to == ["ann.boss@example.org"])
    assert "Ann Lee" in manager.subject and "/training/impact/" in manager.body
    # Bob did not attend: no evaluation, no follow-up.
    assert sent_to(outbox, "bob.day@example.org") == []


def test_recording_attendance_after_the_session_sends_the_evaluation_at_once(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        ann = book(session, "Ann Lee")
    outbox.clear()
    with time_machine.travel(at(2026, 12, 11, 15), tick=False):
        services.attendance_record(session=session, outcomes={ann.pk: "attended"}, actor=TEST_ACTOR)
        services.attendance_record(session=session, outcomes={ann.pk: "attended"}, actor=TEST_ACTOR)
    assert [m.subject for m in outbox] == ["How was it? Evaluate Neglect: Graded Care Profile"]
    assert sweep_on(at(2026, 12, 12, 6))["evaluations"] == 0


def test_the_manager_follow_up_can_be_switched_off_and_the_weeks_changed(session, outbox):
    TrainingRules.objects.filter(pk=1).update(impact_to_manager=False, impact_weeks=8)
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        ann = book(session, "Ann Lee", manager_email="ann.boss@example.org")
    with time_machine.travel(at(2026, 12, 11, 15), tick=False):
        services.attendance_record(session=session, outcomes={ann.pk: "attended"}, actor=TEST_ACTOR)
    outbox.clear()
    assert sweep_on(at(2027, 1, 22, 6))["impact_follow_ups"] == 0
    assert sweep_on(at(2027, 2, 5, 6))["impact_follow_ups"] == 1
    assert [m.to[0] for m in outbox] == ["ann.lee@example.org"]


def test_sessions_long_past_get_no_late_emails_when_records_are_loaded(rules, outbox):
    with time_machine.travel(at(2021, 2, 1), tick=False):
        old = SessionFactory(starts_at=at(2021, 2, 11, 10), ends_at=at(2021, 2, 11, 11))
        booking = book(old, "Ann Lee")
    with time_machine.travel(at(2021, 2, 12), tick=False):
        services.attendance_record(session=old, outcomes={booking.pk: "attended"}, actor=TEST_ACTOR)
    outbox.clear()
    result = sweep_on(at(2026, 11, 23, 6))
    assert result["evaluations"] == result["impact_follow_ups"] == result["reminders"] == 0
    assert outbox == []


def test_a_message_is_sent_once_even_when_queued_twice(session, outbox):
    from partnership.training.tasks import send_booking_message

    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        booking = book(session, "Ann Lee")
        message = BookingMessage.objects.get(booking=booking, kind=MessageKind.CONFIRMED)
        assert send_booking_message.call(message.pk) is False  # already sent at booking
        assert (
            services.message_queue(booking=booking, kind=MessageKind.CONFIRMED, actor=TEST_ACTOR)
            is False
        )
    assert len(outbox) == 1


def test_an_email_that_failed_is_sent_again_by_the_outbox_not_twice(session, outbox, settings):
    from partnership.outbox.delivery import deliver_email
    from partnership.outbox.models import EmailStatus, OutgoingEmail

    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.DownBackend"
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        book(session, "Ann Lee")
    assert outbox == []
    email = OutgoingEmail.objects.get(kind="training.confirmed")
    assert email.status == EmailStatus.RETRYING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The outbox tries again 5 minutes later; the training sweep does not send it again.
    with time_machine.travel(at(2026, 11, 23, 9, 5), tick=False):
        assert deliver_email.call(email.pk) == "sent"
    assert [m.subject for m in outbox] == ["Your place is booked: Neglect: Graded Care Profile"]
    assert sweep_on(at(2026, 11, 24, 6))["resent"] == 0
    assert len(outbox) == 1


def test_a_message_recorded_but_never_queued_is_queued_by_the_sweep(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        booking = book(session, "Ann Lee")
    outbox.clear()
    # As a message recorded before emails went through the outbox would be.
    BookingMessage.objects.filter(booking=booking).update(sent_at=None)
    assert sweep_on(at(2026, 11, 23, 12))["resent"] == 1
    assert [m.subject for m in outbox] == ["Your place is booked: Neglect: Graded Care Profile"]
    assert sweep_on(at(2026, 11, 24, 6))["resent"] == 0
    assert len(outbox) == 1


def test_the_sweep_is_found_by_the_daily_sweep_command():
    from partnership.governance.management.commands.daily_sweep import sweep_tasks

    assert "training" in dict(sweep_tasks())


def test_the_calendar_event_of_a_cancelled_booking_cancels_it(session, outbox):
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        booking = book(session, "Ann Lee")
        services.booking_cancel(booking=booking, actor=TEST_ACTOR)
    cancellation = outbox[-1]
    calendar = Calendar.from_ical(cancellation.attachments[0][1])
    assert str(calendar["METHOD"]) == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1
    assert dt.timedelta(0) < SESSION_START - at(2026, 11, 23)


def test_a_booking_cancelled_before_the_worker_runs_still_gets_its_booked_calendar_entry(
    session, outbox, settings
):
    """Each email is rendered when it is queued: the confirmation keeps the invitation it was
    written with, and the cancellation follows it."""
    from partnership.outbox.delivery import deliver_email
    from partnership.outbox.models import OutgoingEmail

    # The worker is not running: deliveries wait in the queue.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(at(2026, 11, 23, 9), tick=False):
        booking = book(session, "Ann Lee")
        services.booking_cancel(booking=booking, actor=TEST_ACTOR)
    assert outbox == []
    for email in OutgoingEmail.objects.order_by("queued_at", "pk"):
        deliver_email.call(email.pk)
    booked, cancelled = outbox
    assert booked.subject == "Your place is booked: Neglect: Graded Care Profile"
    invitation = Calendar.from_ical(booked.attachments[0][1])
    assert str(invitation["METHOD"]) == "REQUEST"
    assert str(invitation.walk("VEVENT")[0]["STATUS"]) == "CONFIRMED"
    assert cancelled.subject == "Your booking is cancelled: Neglect: Graded Care Profile"
    cancellation = Calendar.from_ical(cancelled.attachments[0][1])
    assert str(cancellation["METHOD"]) == "CANCEL"
    assert str(cancellation.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_an_offer_that_runs_out_at_the_daily_sweep_is_recorded_against_the_sweep(outbox, rules):
    from partnership.trail.models import AuditEntry

    start = at(2026, 11, 23, 9)
    with time_machine.travel(start, tick=False):
        session = SessionFactory(
            capacity=1, starts_at=at(2026, 12, 10), ends_at=at(2026, 12, 10, 13)
        )
        ann = book(session, "Ann Lee")
        bob = book(session, "Bob Day")
        services.booking_cancel(booking=ann, actor=TEST_ACTOR)  # Bob offered, 48 hours to answer
    # 49 hours later (Wednesday 25 November, 10:00) the sweep finds the offer ran out.
    assert sweep_on(start + dt.timedelta(hours=49))["offers_expired"] == 1
    entry = AuditEntry.objects.get(summary="The offer of a place to Bob Day expired")
    assert entry.object_id == str(bob.pk)
    assert entry.actor_kind == "system" and entry.actor_job == "daily training sweep"
    assert entry.actor_label == "System: daily training sweep"
    assert entry.actor is None and entry.actor_organisation is None
