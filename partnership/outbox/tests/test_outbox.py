"""The outbox: an email queued with a change goes once the change commits, exactly as it was
rendered, once only; a failure is retried with a backoff and then shown as failed."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from partnership.outbox.delivery import deliver_email
from partnership.outbox.models import DeliveryAttempt, EmailStatus, OutgoingEmail
from partnership.outbox.services import (
    EmailNotRetryable,
    email_queue,
    email_retry,
    emails_about,
)
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

pytestmark = pytest.mark.django_db

JOB = Actor.system("outbox tests")
NOON = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def queue(**fields) -> OutgoingEmail:
    fields.setdefault("to", "ann.lee@example.org")
    fields.setdefault("subject", "Your place is booked")
    fields.setdefault("text", "See you on Friday.")
    fields.setdefault("kind", "tests.booked")
    fields.setdefault("actor", JOB)
    return email_queue(**fields)


def test_a_queued_email_is_delivered_as_it_was_written_once_the_change_commits():
    with time_machine.travel(NOON, tick=False):
        email = queue(
            html="<p>See you on Friday.</p>",
            attachments=[("training.ics", b"BEGIN:VCALENDAR", "text/calendar")],
        )
    [message] = mail.outbox
    assert message.to == ["ann.lee@example.org"]
    assert message.subject == "Your place is booked"
    assert message.body == "See you on Friday."
    assert message.alternatives[0] == ("<p>See you on Friday.</p>", "text/html")
    # Django hands text attachments back decoded.
    assert list(message.attachments[0]) == ["training.ics", "BEGIN:VCALENDAR", "text/calendar"]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert email.sent_at == NOON
    assert email.attempts == 1
    assert [attempt.outcome for attempt in email.history.all()] == ["sent"]


@pytest.fixture
def database_tasks(settings):
    """Tasks queued in the database and run by the worker, as in production (the suite
    otherwise runs each task at once)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """What the worker does with each queued task (its command would close the test's
    database connection)."""
    for result in DBTaskResult.objects.all():
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])


def test_nothing_is_stored_or_queued_when_the_change_rolls_back(database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change failed")
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_the_email_is_queued_with_the_change_and_sent_by_the_worker(database_tasks):
    with transaction.atomic():
        email = queue()
    # One delivery task, queued in the same transaction as the email's row.
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []
    run_worker()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == "sent"


def test_the_row_names_who_queued_it(personas):
    user = personas["business_unit"]
    email = queue(actor=Actor.for_user(user))
    assert email.queued_by == user
    assert email.queued_by_kind == "user"
    assert email.queued_by_label.startswith(f"{user.full_name} <{user.email}>")
    job = queue()
    assert (job.queued_by, job.queued_by_kind, job.queued_by_label) == (
        None,
        "system",
        "System: outbox tests",
    )


def test_emails_about_a_record_and_a_batch_are_found(personas):
    user = personas["independent_chair"]
    other = personas["business_unit"]
    first = queue(related=user, batch="pack:1:1")
    second = queue(related=user, batch="pack:1:2")
    queue(related=other, batch="pack:1:2")
    queue()
    assert set(emails_about(user)) == {first, second}
    assert OutgoingEmail.objects.about(user).in_batch("pack:1:2").get() == second


def test_an_email_already_sent_is_never_sent_twice():
    email = queue()
    assert deliver_email.call(email.pk) == "skipped"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


def test_a_subject_with_a_line_break_or_two_addresses_is_refused_before_anything_is_stored():
    with pytest.raises(ValueError, match="one line"):
        queue(subject="Booked\nBcc: everyone@example.org")
    with pytest.raises(ValueError, match="one address"):
        queue(to="a@example.org, b@example.org")
    with pytest.raises(TypeError):
        queue(actor=None)
    assert not OutgoingEmail.objects.exists()


def test_a_failed_delivery_is_tried_again_after_the_backoff(mail_server_fails_once):
    with time_machine.travel(NOON, tick=False):
        email = queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.RETRYING
    assert email.last_error == "ConnectionRefusedError: mail server down"
    assert email.next_attempt_at == NOON + dt.timedelta(minutes=5)  # the first wait: 5 minutes
    assert mail.outbox == []
    with time_machine.travel(NOON + dt.timedelta(minutes=4), tick=False):
        assert deliver_email.call(email.pk) == "skipped"  # not due yet
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        assert deliver_email.call(email.pk) == "sent"
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 2, "")
    assert [a.outcome for a in email.history.all()] == ["failed", "sent"]


def test_after_the_last_attempt_the_email_is_marked_failed(mail_server_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with time_machine.travel(NOON, tick=False):
        email = queue()
    # Waits worked by hand: 5 minutes after the first failure, then 10 (doubling).
    with time_machine.travel(NOON + dt.timedelta(minutes=5), tick=False):
        assert deliver_email.call(email.pk) == "retrying"
    email.refresh_from_db()
    assert email.next_attempt_at == NOON + dt.timedelta(minutes=15)
    with time_machine.travel(NOON + dt.timedelta(minutes=15), tick=False):
        assert deliver_email.call(email.pk) == "failed"
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (EmailStatus.FAILED, 3, None)
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert deliver_email.call(email.pk) == "skipped"  # failed for good, until retried
    assert email.history.filter(outcome=DeliveryAttempt.Outcome.FAILED).count() == 3


def test_a_failure_requeues_the_delivery_for_later_on_a_backend_that_can_wait(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.DownBackend"
    with time_machine.travel(NOON, tick=False):
        email = queue()
        [first] = deliver_email.get_backend().results
        assert first.task.run_after is None
        deliver_email.call(email.pk)
    [_, retry] = deliver_email.get_backend().results
    assert retry.args == [email.pk]
    assert retry.task.run_after == NOON + dt.timedelta(minutes=5)


def test_the_business_unit_can_retry_a_failed_email_now(mail_server_down, settings, personas):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    email = queue()
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    actor = Actor.for_user(personas["business_unit"])
    email_retry(email=email, actor=actor)
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    assert [a.outcome for a in email.history.all()] == ["failed", "retry_asked", "sent"]
    entry = AuditEntry.objects.get(object_type="outbox.outgoingemail")
    assert entry.summary == "Asked for the email to ann.lee@example.org to be sent again"
    with pytest.raises(EmailNotRetryable):
        email_retry(email=email, actor=actor)  # sent: nothing to retry


def test_a_secret_body_is_wiped_once_delivered():
    email = queue(subject="Reset your password", text="https://x/reset/abc", secret=True)
    assert mail.outbox[0].body == "https://x/reset/abc"
    email.refresh_from_db()
    assert (email.status, email.text, email.subject) == (
        EmailStatus.SENT,
        "",
        "Reset your password",
    )


def test_the_daily_sweep_queues_again_an_email_whose_delivery_was_lost(settings):
    from partnership.governance.management.commands.daily_sweep import sweep_tasks
    from partnership.outbox.tasks import daily_sweep

    assert dict(sweep_tasks())["outbox"] is daily_sweep
    # The worker is not running, as if the process stopped after the commit.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(NOON, tick=False):
        email = queue()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with time_machine.travel(NOON + dt.timedelta(minutes=9), tick=False):
        assert daily_sweep.call() == {"requeued": 0}  # queued 9 minutes ago: leave it be
    with time_machine.travel(NOON + dt.timedelta(minutes=10), tick=False):
        assert daily_sweep.call() == {"requeued": 1}
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert len(mail.outbox) == 1
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        assert daily_sweep.call() == {"requeued": 0}


def test_an_email_left_sending_by_a_worker_that_stopped_is_sent_again_by_the_sweep(settings):
    from partnership.outbox.tasks import daily_sweep

    with time_machine.travel(NOON, tick=False):
        email = queue(subject="Agenda for Thursday")
    mail.outbox.clear()
    # A worker claimed it at noon and was killed before the mail server answered.
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING)
    with time_machine.travel(NOON + dt.timedelta(minutes=14), tick=False):
        assert daily_sweep.call() == {"requeued": 0}  # it may still be sending: leave it be
    assert mail.outbox == []
    with time_machine.travel(NOON + dt.timedelta(minutes=15), tick=False):
        assert daily_sweep.call() == {"requeued": 1}
    [message] = mail.outbox
    assert message.subject == "Agenda for Thursday"
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    assert [attempt.outcome for attempt in email.history.all()] == ["sent", "interrupted", "sent"]
    interrupted = email.history.get(outcome="interrupted")
    assert "may get it twice" in interrupted.error


def test_an_email_left_sending_after_its_last_try_is_failed_not_sent_again(settings):
    from partnership.outbox.tasks import daily_sweep

    settings.OUTBOX_MAX_ATTEMPTS = 1
    with time_machine.travel(NOON, tick=False):
        email = queue()
    mail.outbox.clear()
    OutgoingEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENDING)
    with time_machine.travel(NOON + dt.timedelta(hours=1), tick=False):
        assert daily_sweep.call() == {"requeued": 0}
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert "worker stopped while sending" in email.last_error
    assert mail.outbox == []
