"""The monthly disposal run: what is due, holds, approval, destruction and what it records.

Dates are worked by hand: a booking for a session on 10 March 2020 with the 6-year class for
training bookings is due on 10 March 2026.
"""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from partnership.governance.models import Paper, PaperType
from partnership.governance.tests.factories import (
    AttendanceFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
)
from partnership.records import services
from partnership.records.models import DisposalRun, ItemStatus, RunStatus
from partnership.records.registry import kind_for
from partnership.records.tasks import monthly_disposal
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry
from partnership.trail.services import audit_verify_chain
from partnership.training.models import Booking, Evaluation, Session

from .factories import at, booking_on, evaluate, session_on

pytestmark = pytest.mark.django_db


def propose_on(day: dt.date, actor):
    with time_machine.travel(at(day.year, day.month, day.day, 12), tick=False):
        return services.disposal_run_propose(actor=actor)


def items(run, kind="training.booking"):
    return list(run.items.filter(kind=kind))


def test_a_booking_is_not_due_the_day_before_six_years_are_up(bu):
    booking_on(session_on(2020, 3, 10))
    run = propose_on(dt.date(2026, 3, 9), bu)
    assert items(run) == []


def test_a_booking_from_10_march_2020_is_due_on_10_march_2026(bu):
    booking = booking_on(session_on(2020, 3, 10))
    run = propose_on(dt.date(2026, 3, 10), bu)
    [item] = items(run)
    assert item.object_id == booking.pk
    assert item.trigger_on == dt.date(2020, 3, 10)
    assert item.due_on == dt.date(2026, 3, 10)
    assert run.status == RunStatus.PROPOSED
    # Named without its content: no name, no email.
    assert "Sam Taylor" not in item.description
    assert item.description == f"Booking {booking.pk} on session {booking.session_id}"


def test_a_held_booking_is_not_listed(bu):
    booking = booking_on(session_on(2020, 3, 10))
    services.hold_place(
        kind=kind_for("training.booking"), object_id=booking.pk, reason="A claim", actor=bu
    )
    run = propose_on(dt.date(2026, 3, 10), bu)
    assert items(run) == []


def test_a_hold_on_the_session_keeps_its_bookings(bu):
    session = session_on(2020, 3, 10)
    booking_on(session)
    services.hold_place(
        kind=kind_for("training.session"), object_id=session.pk, reason="An inquiry", actor=bu
    )
    run = propose_on(dt.date(2026, 3, 10), bu)
    assert items(run) == []
    assert items(run, "training.session") == []


def test_a_released_hold_no_longer_keeps_the_record(bu):
    booking = booking_on(session_on(2020, 3, 10))
    hold = services.hold_place(
        kind=kind_for("training.booking"), object_id=booking.pk, reason="A claim", actor=bu
    )
    services.hold_release(hold=hold, reason="The claim was settled", actor=bu)
    run = propose_on(dt.date(2026, 3, 10), bu)
    assert [item.object_id for item in items(run)] == [booking.pk]


def test_a_hold_needs_a_record_that_exists(bu):
    with pytest.raises(ValidationError) as error:
        services.hold_place(
            kind=kind_for("training.booking"), object_id=999999, reason="A claim", actor=bu
        )
    assert "There is no training booking" in str(error.value)


def test_approving_and_destroying_removes_the_booking_and_its_evaluation(bu):
    session = session_on(2020, 3, 10)
    booking = booking_on(session)
    evaluate(booking)
    run = propose_on(dt.date(2026, 3, 10), bu)
    services.disposal_run_approve(run=run, actor=bu)
    with time_machine.travel(at(2026, 3, 11, 9), tick=False):
        services.disposal_run_destroy(run=run, actor=bu)
    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert not Evaluation.objects.exists()
    # The session, also 6 years old, comes after its bookings and goes too.
    assert not Session.objects.filter(pk=session.pk).exists()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    [item] = items(run)
    assert item.status == ItemStatus.DESTROYED
    assert item.outcome == "With it: 1 evaluation."
    assert run.approved_by_label.startswith("Bea Marsh")
    # The trail says what went, who approved it, and when, without the content.
    entry = AuditEntry.objects.filter(object_type="training.booking", action="delete").get()
    assert entry.object_id == str(booking.pk)
    assert "Sam Taylor" not in entry.object_label + entry.summary
    assert f"disposal run {run.pk}, approved by Bea Marsh" in entry.summary
    assert audit_verify_chain() == []


def test_a_record_taken_out_of_the_run_is_kept(bu):
    booking = booking_on(session_on(2020, 3, 10))
    run = propose_on(dt.date(2026, 3, 10), bu)
    [item] = items(run)
    services.disposal_item_remove(item=item, reason="Wanted for the yearly report", actor=bu)
    services.disposal_run_approve(run=run, actor=bu)
    services.disposal_run_destroy(run=run, actor=bu, today=dt.date(2026, 3, 11))
    assert Booking.objects.filter(pk=booking.pk).exists()
    item.refresh_from_db()
    assert item.status == ItemStatus.REMOVED
    assert item.outcome == "Wanted for the yearly report"


def test_a_hold_placed_after_approval_still_keeps_the_record(bu):
    booking = booking_on(session_on(2020, 3, 10))
    run = propose_on(dt.date(2026, 3, 10), bu)
    services.disposal_run_approve(run=run, actor=bu)
    services.hold_place(
        kind=kind_for("training.booking"), object_id=booking.pk, reason="A claim", actor=bu
    )
    services.disposal_run_destroy(run=run, actor=bu, today=dt.date(2026, 3, 11))
    assert Booking.objects.filter(pk=booking.pk).exists()
    [item] = items(run)
    assert item.status == ItemStatus.HELD


def test_a_period_lengthened_after_approval_keeps_the_record(bu):
    booking = booking_on(session_on(2020, 3, 10))
    run = propose_on(dt.date(2026, 3, 10), bu)
    services.disposal_run_approve(run=run, actor=bu)
    services.retention_set(kind=kind_for("training.booking"), months=120, note="", actor=bu)
    services.disposal_run_destroy(run=run, actor=bu, today=dt.date(2026, 3, 11))
    assert Booking.objects.filter(pk=booking.pk).exists()
    [item] = items(run)
    assert item.status == ItemStatus.NOT_DUE
    assert item.outcome == "No longer due: kept 10 years now."


def test_a_run_is_approved_by_a_person_not_a_job(bu):
    booking_on(session_on(2020, 3, 10))
    run = propose_on(dt.date(2026, 3, 10), bu)
    with pytest.raises(ValidationError):
        services.disposal_run_approve(run=run, actor=Actor.system("monthly disposal run"))
    with pytest.raises(ValidationError):
        services.disposal_run_destroy(run=run, actor=bu)  # not approved yet


def test_only_one_run_is_open_at_a_time(bu):
    booking_on(session_on(2020, 3, 10))
    propose_on(dt.date(2026, 3, 10), bu)
    with pytest.raises(ValidationError) as error:
        propose_on(dt.date(2026, 3, 12), bu)
    assert "is still open" in str(error.value)


def test_a_month_with_nothing_due_is_recorded_as_a_run_that_found_nothing(bu):
    run = propose_on(dt.date(2026, 3, 10), bu)
    assert run.status == RunStatus.DONE
    assert run.items.count() == 0


def test_a_paper_is_destroyed_with_its_file(bu, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(starts_at=at(2019, 6, 3))
    from partnership.governance.models import AgendaItem

    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Data")
    paper = Paper(
        meeting=meeting,
        item=item,
        title="Figures",
        file_name="figures.pdf",
        file_type=PaperType.values[0],
        size_bytes=4,
    )
    paper.file.save("figures.pdf", ContentFile(b"%PDF"), save=False)
    paper.save()
    name = paper.file.name
    assert default_storage.exists(name)
    # 3 June 2019 + 6 years = 3 June 2025.
    run = propose_on(dt.date(2025, 6, 3), bu)
    [listed] = items(run, "governance.paper")
    assert listed.due_on == dt.date(2025, 6, 3)
    services.disposal_run_approve(run=run, actor=bu)
    with django_capture_on_commit_callbacks(execute=True):  # files go once the run commits
        services.disposal_run_destroy(run=run, actor=bu, today=dt.date(2025, 6, 4))
    assert not Paper.objects.filter(pk=paper.pk).exists()
    assert not default_storage.exists(name)
    # The minutes are kept permanently: the meeting stays.
    meeting.refresh_from_db()


def test_what_other_records_still_need_is_reported_and_kept(bu):
    # A member who left in January 2019 attended a meeting: the minutes' attendance is kept
    # with the meeting (permanently), so their directory entry cannot go yet. Their
    # membership, 6 years after it ended, goes first (governance before the directory).
    person = PersonFactory(full_name="Alex Former")
    MembershipFactory(person=person, started_on=dt.date(2017, 1, 1), ended_on=dt.date(2019, 1, 31))
    AttendanceFactory(person=person, status="present")
    # 31 January 2019 + 6 years = 31 January 2025.
    run = propose_on(dt.date(2025, 1, 31), bu)
    [listed] = items(run, "directory.person")
    assert listed.due_on == dt.date(2025, 1, 31)
    services.disposal_run_approve(run=run, actor=bu)
    services.disposal_run_destroy(run=run, actor=bu, today=dt.date(2025, 2, 1))
    listed.refresh_from_db()
    assert listed.status == ItemStatus.BLOCKED
    assert "Still needed by 1 attendance" in listed.outcome
    person.refresh_from_db()  # still there
    [membership] = items(run, "governance.membership")
    assert membership.status == ItemStatus.DESTROYED


def test_the_audit_trail_is_never_proposed(bu):
    propose_on(dt.date(2099, 1, 1), bu)
    assert not DisposalRun.objects.filter(items__kind="audit.auditentry").exists()


def test_the_monthly_task_draws_up_one_run_a_month_and_carries_out_approved_ones(bu):
    booking = booking_on(session_on(2020, 3, 10))
    assert monthly_disposal(today=dt.date(2026, 4, 1)) == {
        "runs_proposed": 1,
        "runs_carried_out": 0,
    }
    assert monthly_disposal(today=dt.date(2026, 4, 2)) == {
        "runs_proposed": 0,
        "runs_carried_out": 0,
    }
    run = DisposalRun.objects.get()
    assert run.proposed_by_label == "System: monthly disposal run"
    services.disposal_run_approve(run=run, actor=bu)
    assert monthly_disposal(today=dt.date(2026, 4, 3)) == {
        "runs_proposed": 0,
        "runs_carried_out": 1,
    }
    assert not Booking.objects.filter(pk=booking.pk).exists()
    # May's run is drawn up on the first sweep in May.
    assert monthly_disposal(today=dt.date(2026, 5, 1))["runs_proposed"] == 1


def test_the_command_draws_up_a_run(capsys):
    booking_on(session_on(2020, 3, 10))
    with time_machine.travel(at(2026, 3, 10, 12), tick=False):
        call_command("disposal_run", "--propose")
    assert "records due, waiting for approval" in capsys.readouterr().out
    run = DisposalRun.objects.get()
    assert run.items.filter(kind="training.booking").count() == 1


def _closed_review(aware_on):
    from partnership.reviews.models import DocumentKind, Review, ReviewDocument, ReviewStatus
    from partnership.reviews.tests.factories import make_review

    review = make_review(aware_on=aware_on, title="Child Q")
    # Notified, and no rapid review held: closed on the day the partnership learned of it.
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.NOTIFICATION_ONLY)
    document = ReviewDocument(
        review=review,
        kind=DocumentKind.values[0],
        title="Chronology",
        original_name="c.pdf",
        size=4,
    )
    document.file.save("chronology.pdf", ContentFile(b"%PDF"), save=False)
    document.save()
    return review, document


def test_a_closed_review_is_destroyed_whole_with_its_files(bu, django_capture_on_commit_callbacks):
    from partnership.reviews.models import Incident, Review, ReviewDocument

    review, document = _closed_review(dt.date(2000, 1, 10))
    name = document.file.name
    # 10 January 2000 + 25 years = 10 January 2025.
    assert items(propose_on(dt.date(2025, 1, 9), bu), "reviews.review") == []
    DisposalRun.objects.update(status=RunStatus.CANCELLED)
    run = propose_on(dt.date(2025, 1, 10), bu)
    [item] = items(run, "reviews.review")
    assert item.description == f"Review {review.reference} (id {review.pk}), aware 10 January 2000"
    services.disposal_run_approve(run=run, actor=bu)
    with django_capture_on_commit_callbacks(execute=True):
        services.disposal_run_destroy(run=run, actor=bu, today=dt.date(2025, 1, 11))
    assert not Review.objects.filter(pk=review.pk).exists()
    assert not ReviewDocument.objects.exists()
    assert not Incident.objects.filter(review_id=review.pk).exists()
    assert not default_storage.exists(name)
    item.refresh_from_db()
    assert item.status == ItemStatus.DESTROYED
    assert "1 review document" in item.outcome
    assert "Child Q" not in item.outcome + item.description


def test_a_review_under_a_legal_hold_keeps_its_documents(bu):
    review, document = _closed_review(dt.date(2000, 1, 10))
    services.hold_place(
        kind=kind_for("reviews.review"), object_id=review.pk, reason="Civil claim", actor=bu
    )
    run = propose_on(dt.date(2030, 1, 1), bu)
    assert items(run, "reviews.review") == []
    assert default_storage.exists(document.file.name)
