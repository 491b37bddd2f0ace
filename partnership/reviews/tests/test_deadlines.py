"""The deadlines dashboard, the daily sweep's reminders and escalations, and the calendar feed."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from icalendar import Calendar

from partnership.reviews import services
from partnership.reviews.models import (
    Deadline,
    DeadlineKind,
    IncidentOutcome,
    Notification,
    Recipient,
    ReminderSent,
)
from partnership.reviews.tasks import daily_sweep, sweep_deadlines
from partnership.trail.actors import Actor
from partnership.trail.models import AuditEntry

from .factories import business_unit, make_review
from .support import text

pytestmark = pytest.mark.django_db

D = dt.date
CHAIR = "aisha.rahman@ccg.example.org"  # chairs the Review and Learning Group
MANAGER = "business.manager@kscp.example.org"


def on(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(6)), tick=False)


def test_every_open_clock_is_on_the_dashboard_overdue_then_due_soon(client_as, personas):
    # A looked-after child who died: four notices (the Panel, the partners, Ofsted and the
    # Secretary of State).
    review = make_review(aware_on=D(2026, 12, 18), looked_after=True, outcome=IncidentOutcome.DIED)
    with on(D(2026, 12, 30)):
        page = text(client_as("business_unit").get("/reviews/deadlines/"))
    # The four notices were due Tue 29 Dec: overdue by one working day.
    assert page.count("Overdue by 1 working day") == 4
    assert "Notify the Child Safeguarding Practice Review Panel (Child" in page
    # The agency letters were due Mon 21 Dec; the later steps are due soon, listed after.
    assert "Send agency letters and ask for summaries Overdue by 5 working days" not in page
    assert page.index("Notify the Child") < page.index("Agency summaries due")
    assert "Overdue by 5 working days" in page
    assert f"{review.reference}" in page
    # By owner: all of this review's clocks are the case manager's.
    # By owner: all of this review's clocks are the case manager's: 4 notices and the
    # letters overdue; summaries, meeting, sign-off and decision due by 14 January.
    assert "By owner Owner Overdue Due soon Bea Marsh 5 4" in page


def test_done_deadlines_leave_the_dashboard(client_as, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    panel = Notification.objects.get(incident__review=review, recipient=Recipient.PANEL)
    with on(D(2026, 12, 22)):
        services.notification_record_sent(
            notification=panel, sent_on=D(2026, 12, 22), actor=Actor.for_user(business_unit())
        )
    assert Deadline.objects.get(key=f"notification:{panel.pk}").done_on == D(2026, 12, 22)
    assert not Deadline.objects.open().filter(key=f"notification:{panel.pk}").exists()


def test_the_sweep_reminds_at_five_and_one_working_days_before_and_never_twice(personas):
    make_review(aware_on=D(2026, 12, 18))  # notices due Tue 29 Dec 2026
    # Fri 18 Dec is 5 working days before Tue 29 Dec (21, 22, 23, 24, 29).
    with on(D(2026, 12, 18)):
        assert sweep_deadlines()["reminders"] >= 2
    reminders = [m for m in mail.outbox if m.to == [MANAGER]]
    assert len(reminders) == 1  # one email a day, listing every item
    assert "Notify the Child Safeguarding Practice Review Panel (Child" in reminders[0].body
    assert "due 29 December 2026 (due in 5 working days)" in reminders[0].body

    with on(D(2026, 12, 18)):
        assert sweep_deadlines() == {"reminders": 0, "escalations": 0, "chasers": 0, "emails": 0}
    with on(D(2026, 12, 22)):  # 4 working days to go: the 5-day reminder was sent already
        sweep_deadlines()
    assert not [m for m in mail.outbox[1:] if "Notify the Child" in m.body]

    with on(D(2026, 12, 24)):  # Thu 24 Dec: one working day before Tue 29 Dec
        sweep_deadlines()
    last = mail.outbox[-1]
    assert "Notify the Child Safeguarding Practice Review Panel" in last.body
    assert "due 29 December 2026 (due in 1 working day)" in last.body
    with on(D(2026, 12, 28)):  # the substitute bank holiday: still 1 to go, already sent
        sweep_deadlines()
    assert not [m for m in mail.outbox if "Notify the Child" in m.body and m is not last][1:]
    sent_kinds = set(
        ReminderSent.objects.filter(deadline_key__startswith="notification:").values_list(
            "kind", flat=True
        )
    )
    assert sent_kinds == {"before-5", "before-1"}


def test_an_overdue_deadline_is_escalated_to_the_groups_chair_once(personas):
    review = make_review(aware_on=D(2026, 12, 18))
    with on(D(2026, 12, 30)):
        first = sweep_deadlines()
        again = sweep_deadlines()
    escalations = [m for m in mail.outbox if m.to == [CHAIR]]
    assert len(escalations) == 1
    assert "overdue deadlines to escalate" in escalations[0].subject
    assert f"{review.reference} Child" in escalations[0].body
    assert "overdue by 1 working day" in escalations[0].body
    # The Panel's and the partners' notices, and the agency letters (due Mon 21 Dec).
    assert first["escalations"] == 3
    assert again == {"reminders": 0, "escalations": 0, "chasers": 0, "emails": 0}


def test_the_sweeps_reminder_and_escalation_are_on_the_reviews_record_naming_the_job(personas):
    review = make_review(aware_on=D(2026, 12, 18))  # notices due Tue 29 Dec 2026
    entries = AuditEntry.objects.filter(object_type="reviews.review", object_id=str(review.pk))
    opened = entries.count()  # the review's opening, by the business unit
    with on(D(2026, 12, 18)):  # 5 working days before: one reminder email to the manager
        sweep_deadlines()
    (reminder,) = entries.order_by("pk")[opened:]
    assert reminder.actor is None
    assert reminder.actor_kind == "system" and reminder.actor_job == "daily deadline sweep"
    assert reminder.actor_label == "System: daily deadline sweep"
    # In due order: the agency letters (Mon 21 Dec, 1 working day away), then the two notices
    # (Tue 29 Dec, 5 working days away: 21, 22, 23, 24, 29).
    child = review.incidents.get().child_pseudonym
    assert reminder.summary == (
        f"Reminded {MANAGER} of the deadlines: Send agency letters and ask for summaries; "
        f"Notify the Child Safeguarding Practice Review Panel ({child}); "
        f"Notify the safeguarding partners ({child})"
    )

    with on(D(2026, 12, 30)):  # overdue: escalated to the chair once, however often it runs
        sweep_deadlines()
        sweep_deadlines()
    escalations = list(entries.filter(summary__startswith="Escalated"))
    assert len(escalations) == 1
    assert escalations[0].actor_label == "System: daily deadline sweep"
    assert escalations[0].summary.startswith(
        f"Escalated the overdue deadlines to {CHAIR}, the group's chair: "
    )


def test_a_reminder_whose_delivery_fails_is_retried_by_the_outbox_not_sent_twice(
    personas, settings
):
    from partnership.outbox.delivery import deliver_email
    from partnership.outbox.models import EmailStatus, OutgoingEmail

    make_review(aware_on=D(2026, 12, 18))
    settings.EMAIL_BACKEND = "partnership.outbox.tests.backends.DownBackend"
    with on(D(2026, 12, 18)):
        assert sweep_deadlines()["emails"] >= 1
    assert mail.outbox == []
    email = OutgoingEmail.objects.get(to=MANAGER, kind="reviews.deadline_reminder")
    assert email.status == EmailStatus.RETRYING
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with on(D(2026, 12, 18)):
        assert sweep_deadlines()["emails"] == 0  # recorded: the sweep does not queue it again
    # 06:05, five minutes after the failure: the outbox's next try.
    with time_machine.travel(dt.datetime(2026, 12, 18, 6, 5), tick=False):
        assert deliver_email.call(email.pk) == "sent"
    assert [m.to for m in mail.outbox] == [[MANAGER]]
    assert "Notify the Child Safeguarding Practice Review Panel" in mail.outbox[0].body


def test_a_moved_due_date_is_reminded_again(personas):
    make_review(aware_on=D(2026, 12, 18))
    with on(D(2026, 12, 21)):
        sweep_deadlines()
    count = len(mail.outbox)
    from partnership.reviews.models import ReviewRules

    rules = ReviewRules.current()
    rules.notification_working_days = 10  # due Wed 6 Jan 2027 now
    services.rules_update(rules=rules, actor=Actor.for_user(business_unit()))
    with on(D(2026, 12, 29)):  # 5 working days before 6 Jan: 30, 31, 4, 5, 6
        sweep_deadlines()
    (reminder,) = [m for m in mail.outbox[count:] if m.to == [MANAGER]]
    assert "due 6 January 2027 (due in 5 working days)" in reminder.body


def test_the_daily_sweep_task_and_command_run(personas):
    make_review(aware_on=D(2026, 12, 18))
    with on(D(2026, 12, 30)):
        result = daily_sweep.call()
        call_command("daily_sweep", "--now")
    assert result["escalations"] == 3
    assert len([m for m in mail.outbox if m.to == [CHAIR]]) == 1


def test_the_calendar_feed_is_private_and_lists_the_deadlines(client_as, client, personas):
    review = make_review(aware_on=D(2026, 12, 18))
    page = client_as("business_unit").post("/reviews/deadlines/calendar/")
    body = page.content.decode()
    start = body.index("/reviews/deadlines/calendar/")
    address = body[start : body.index(".ics", start) + 4]
    personas["business_unit"].refresh_from_db()
    raw = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert personas["business_unit"].calendar_token != raw  # only a hash is kept

    response = client.get(address)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    pseudonym = review.incidents.get().child_pseudonym
    panel = events[
        f"{review.reference}: Notify the Child Safeguarding Practice Review Panel ({pseudonym})"
    ]
    assert panel.decoded("DTSTART") == D(2026, 12, 29)
    decision = events[f"{review.reference}: Send the rapid review decision to the Panel"]
    assert decision.decoded("DTSTART") == D(2027, 1, 13)

    # A new address stops the old one.
    client_as("business_unit").post("/reviews/deadlines/calendar/")
    assert client.get(address).status_code == 404


def test_the_dashboard_counts_statutory_kinds(personas):
    review = make_review(aware_on=D(2026, 12, 18))
    kinds = set(Deadline.objects.filter(review=review).values_list("kind", flat=True))
    assert kinds == {
        DeadlineKind.NOTIFICATION,
        DeadlineKind.LETTERS,
        DeadlineKind.SUMMARIES,
        DeadlineKind.MEETING,
        DeadlineKind.SIGN_OFF,
        DeadlineKind.DECISION,
    }
