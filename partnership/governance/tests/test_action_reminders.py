"""The daily sweep reminds action owners of actions coming due and just overdue."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from partnership.governance import services
from partnership.governance.models import ActionReminder, ActionStatus, Group
from partnership.governance.tasks import daily_sweep
from partnership.governance.tests.factories import SETUP
from partnership.trail.actors import Actor

pytestmark = pytest.mark.django_db

RLG = "review-and-learning-group"
# Due on Tuesday 12 May 2020. Friday 8 May 2020 was a bank holiday (VE Day), so five working
# days before is Monday 4 May, not Tuesday 5 May.
DUE = dt.date(2020, 5, 12)


def on(day: dt.date):
    """Eight in the morning (UK time) on `day`, when the sweep runs."""
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 7, tzinfo=dt.UTC))


def sweep(day: dt.date) -> list:
    """Run the daily sweep on `day`; the emails it sent."""
    sent = len(mail.outbox)
    with on(day):
        daily_sweep.call()
    return mail.outbox[sent:]


@pytest.fixture
def gareth(personas):
    return personas["group_member"].person


@pytest.fixture
def action(personas, gareth):
    """An action for Gareth Morris, raised at the April meeting, due on 12 May."""
    group = Group.objects.get(slug=RLG)
    with on(dt.date(2020, 4, 20)):
        starts_at = timezone.make_aware(dt.datetime(2020, 4, 20, 10))
        meeting = services.meeting_schedule(
            group=group,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=2),
            location="Huyton",
            actor=SETUP,
        )
        return services.action_create(
            meeting=meeting,
            description="Share the learning from the review with school nurses",
            owner=gareth,
            due_on=DUE,
            actor=SETUP,
        )


def test_a_reminder_goes_five_working_days_before_skipping_the_bank_holiday(action, gareth):
    assert sweep(dt.date(2020, 5, 1)) == []  # six working days before: too early
    [email] = sweep(dt.date(2020, 5, 4))
    assert email.to == [gareth.email]
    assert email.subject == "KSCP actions: 1 due soon"
    assert f"Dear {gareth.full_name}," in email.body
    assert f"{action.reference} (Safeguarding Review and Learning Group)" in email.body
    assert "Share the learning from the review with school nurses" in email.body
    assert "Due 12 May 2020 (due in 5 working days)" in email.body
    assert f"/groups/actions/{action.pk}/" in email.body
    assert ActionReminder.objects.get().kind == "due_soon"
    # Not again the next morning, nor the day it is due.
    assert sweep(dt.date(2020, 5, 5)) == []
    assert sweep(DUE) == []


def test_an_overdue_reminder_goes_the_day_after_it_was_due_and_once(action, gareth):
    sweep(dt.date(2020, 5, 4))
    [email] = sweep(dt.date(2020, 5, 13))
    assert email.to == [gareth.email]
    assert email.subject == "KSCP actions: 1 overdue"
    assert "These actions have passed their due date" in email.body
    assert "Due 12 May 2020 (overdue)" in email.body
    assert sweep(dt.date(2020, 5, 14)) == []
    assert sorted(ActionReminder.objects.values_list("kind", flat=True)) == [
        "due_soon",
        "overdue",
    ]


def test_one_email_lists_all_of_an_owners_actions(action, gareth):
    with on(dt.date(2020, 4, 20)):
        services.action_create(
            meeting=action.raised_at,
            description="Book the practitioner event",
            owner=gareth,
            due_on=dt.date(2020, 5, 6),
            actor=SETUP,
        )
        services.action_create(
            meeting=action.raised_at,
            description="Send the briefing",
            owner=gareth,
            due_on=dt.date(2020, 5, 1),
            actor=SETUP,
        )
    [email] = sweep(dt.date(2020, 5, 4))
    assert email.subject == "KSCP actions: 1 overdue and 2 due soon"
    overdue, soon = email.body.split("These actions are due soon:")
    assert "Send the briefing" in overdue
    assert "Book the practitioner event" in soon and "(due in 2 working days)" in soon
    assert "due in 5 working days" in soon


def test_no_reminder_for_a_closed_action(action, personas):
    with on(dt.date(2020, 4, 30)):
        services.action_update(
            action=action,
            note="Done at the team meeting",
            status=ActionStatus.COMPLETED,
            actor=Actor.for_user(personas["group_member"]),
        )
    assert sweep(dt.date(2020, 5, 4)) == []
    assert sweep(dt.date(2020, 5, 13)) == []
    assert not ActionReminder.objects.exists()


def test_no_reminders_when_the_group_turns_them_off(action, client_as):
    from .test_group_settings import form_data

    group = Group.objects.get(slug=RLG)
    client = client_as("business_unit")
    response = client.post(f"/groups/{RLG}/change/", form_data(group, action_reminder_days="0"))
    assert response.status_code == 302
    page = client.get(f"/groups/{RLG}/").content.decode()
    assert re.search(r"Action reminders\s*</dt>\s*<dd[^>]*>\s*Off\s*</dd>", page)
    group.refresh_from_db()
    assert group.action_reminder_days == 0
    assert sweep(dt.date(2020, 5, 4)) == []
    assert sweep(dt.date(2020, 5, 13)) == []


def test_a_group_may_remind_earlier(action, gareth):
    Group.objects.filter(slug=RLG).update(action_reminder_days=10)
    # 10 working days before 12 May, with Friday 8 May a bank holiday: Monday 27 April.
    assert sweep(dt.date(2020, 4, 24)) == []
    [email] = sweep(dt.date(2020, 4, 27))
    assert "(due in 10 working days)" in email.body


def test_a_new_due_date_is_reminded_afresh(action, gareth, personas):
    sweep(dt.date(2020, 5, 4))
    with on(dt.date(2020, 5, 5)):
        services.action_update(
            action=action,
            note="Waiting for the final report",
            status=ActionStatus.IN_PROGRESS,
            due_on=dt.date(2020, 6, 1),
            actor=Actor.for_user(personas["group_member"]),
        )
    assert sweep(dt.date(2020, 5, 13)) == []  # not overdue any more
    # Five working days before 1 June, with Monday 25 May a bank holiday: Friday 22 May.
    assert sweep(dt.date(2020, 5, 21)) == []
    [email] = sweep(dt.date(2020, 5, 22))
    assert "Due 1 June 2020 (due in 5 working days)" in email.body


def test_an_owner_without_an_email_address_is_skipped(action, gareth):
    gareth.email = ""
    gareth.save()
    user = gareth.user
    user.email = "gareth.user@example.org"
    user.save()
    [email] = sweep(dt.date(2020, 5, 4))
    assert email.to == ["gareth.user@example.org"]  # the account's address instead
    gareth.user = None
    gareth.save()
    assert sweep(dt.date(2020, 5, 13)) == []
    assert ActionReminder.objects.count() == 1


def test_long_overdue_actions_are_not_all_reminded_at_once(action):
    """Reminders turned on (or the sweep started) long after an action fell overdue."""
    assert sweep(dt.date(2020, 7, 1)) == []
