"""Told by email when something new is asked of you: once each, at once or in a daily
digest, never about what was already waiting when the notices began."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from partnership.governance.models import ActionStatus
from partnership.governance.tests.factories import ActionFactory, GroupFactory, MeetingFactory
from partnership.trail.actors import Actor
from partnership.work import mail, services
from partnership.work.models import EmailChoice, WorkNotice

pytestmark = pytest.mark.django_db

JOB = Actor.system("test notices")
# Thursday 3 December 2026, 09:00, then later the same day and the next morning.
NOW = timezone.make_aware(dt.datetime(2026, 12, 3, 9, 0))


@pytest.fixture
def sent(monkeypatch):
    """The emails the sweep would queue in the outbox: (to, what)."""
    emails = []
    monkeypatch.setattr(
        mail,
        "notice_email",
        lambda *, notice, actor: emails.append((notice.user.email, notice.title)),
    )
    monkeypatch.setattr(
        mail,
        "digest_email",
        lambda *, user, notices, actor: emails.append((user.email, [n.title for n in notices])),
    )
    return emails


def give_action(person, description, due=dt.date(2026, 12, 20)):
    return ActionFactory(
        raised_at=MeetingFactory(group=GroupFactory()),
        owner=person,
        description=description,
        due_on=due,
        status=ActionStatus.OPEN,
    )


def sweep(at):
    with time_machine.travel(at, tick=False):
        return services.work_notices_sweep(now=at, actor=JOB)


def test_a_new_action_is_emailed_once_and_what_was_waiting_never(personas, sent):
    priya = personas["partner_lead"]
    give_action(priya.person, "Already waiting")
    sweep(NOW)  # the first look: noted, not emailed
    assert sent == []
    give_action(priya.person, "Brief the new inspector")
    sweep(NOW + dt.timedelta(minutes=10))
    [(to, title)] = sent
    assert to == priya.email
    assert title.endswith(": Brief the new inspector")
    assert WorkNotice.objects.filter(user=priya, baseline=True).count() == 1  # "Already waiting"
    sweep(NOW + dt.timedelta(minutes=20))
    assert len(sent) == 1  # told once


def test_papers_and_returns_are_not_emailed_here(personas, sent):
    # Papers and data returns have their own emails (agenda packs, chasers): only actions,
    # sign-offs and summaries are notices. The data submitter's returns stay quiet.
    sweep(NOW)
    sweep(NOW + dt.timedelta(minutes=10))
    assert sent == []


def test_a_daily_digest_gathers_the_days_new_work_into_one_email(personas, sent):
    gareth = personas["group_member"]
    sweep(NOW)
    services.work_preference_set(user=gareth, email=EmailChoice.DAILY, actor=Actor.for_user(gareth))
    give_action(gareth.person, "Share the template")
    give_action(gareth.person, "Book the venue")
    sweep(NOW + dt.timedelta(hours=1))
    assert sent == []  # kept for the digest
    morning = NOW + dt.timedelta(days=1)
    with time_machine.travel(morning, tick=False):
        assert services.work_digests_send(now=morning, actor=JOB) == 1
        assert services.work_digests_send(now=morning, actor=JOB) == 0  # once a day
    [(to, titles)] = sent
    assert to == gareth.email
    assert sorted(title.split(": ", 1)[1] for title in titles) == [
        "Book the venue",
        "Share the template",
    ]


def test_no_email_means_none(personas, sent):
    dana = personas["business_unit"]
    sweep(NOW)
    services.work_preference_set(user=dana, email=EmailChoice.NONE, actor=Actor.for_user(dana))
    give_action(dana.person, "Nothing emailed")
    sweep(NOW + dt.timedelta(hours=1))
    later = NOW + dt.timedelta(days=1)
    with time_machine.travel(later, tick=False):
        services.work_digests_send(now=later, actor=JOB)
    assert sent == []


def test_the_email_goes_through_the_outbox_with_a_link(personas, settings):
    from partnership.outbox.models import OutgoingEmail

    settings.SITE_URL = "http://127.0.0.1:8801"
    priya = personas["partner_lead"]
    sweep(NOW)
    action = give_action(priya.person, "Brief the new inspector")
    sweep(NOW + dt.timedelta(minutes=10))
    [email] = OutgoingEmail.objects.filter(kind="work.notice")
    assert email.to == priya.email
    assert email.subject.startswith("New in Your work: ")
    assert email.subject.endswith("Brief the new inspector")
    assert f"http://127.0.0.1:8801/groups/actions/{action.pk}/" in email.text
    assert "Due 20 December 2026" in email.text
    assert email.queued_by_label == "System: test notices"


def test_the_digest_goes_through_the_outbox(personas):
    from partnership.outbox.models import OutgoingEmail

    gareth = personas["group_member"]
    sweep(NOW)
    services.work_preference_set(user=gareth, email=EmailChoice.DAILY, actor=Actor.for_user(gareth))
    give_action(gareth.person, "Share the template")
    give_action(gareth.person, "Book the venue")
    sweep(NOW + dt.timedelta(hours=1))
    morning = NOW + dt.timedelta(days=1)
    with time_machine.travel(morning, tick=False):
        services.work_digests_send(now=morning, actor=JOB)
    [email] = OutgoingEmail.objects.filter(kind="work.digest")
    assert email.to == gareth.email
    assert email.subject == "Your work: 2 new things asked of you"
    assert "Share the template" in email.text and "Book the venue" in email.text
    assert not OutgoingEmail.objects.filter(kind="work.notice").exists()
