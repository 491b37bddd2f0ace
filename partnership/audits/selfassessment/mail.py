"""Emails the self-assessment services queue through the outbox: the invitation to fill in a
return and the chaser for one not yet in. Plain text, rendered from the state of things now."""

import datetime as dt

from partnership.outbox.services import email_queue
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor


def _greeting(person) -> str:
    return f"Dear {person.full_name or person.email},"


def invitation(*, assessment, person, actor: Actor):
    cycle = assessment.cycle
    text = "\n\n".join(
        [
            _greeting(person),
            f"{cycle.name} is open. Please complete {assessment.organisation.name}'s "
            f"self-assessment by {cycle.window_closes_on:%-d %B %Y}.",
            "Last cycle's answers, scores and evidence are carried forward for you to start "
            "from, where there was a return.",
            f"Your return: {absolute_url(assessment.get_absolute_url())}",
        ]
    )
    return email_queue(
        to=person.email,
        subject=f"{cycle.name}: your self-assessment is open",
        text=text,
        kind="audits.self_assessment_invitation",
        related=assessment,
        batch=f"self-assessment-invitation:{cycle.pk}",
        actor=actor,
    )


def chaser(*, assessment, person, today: dt.date, actor: Actor):
    deadline = assessment.deadline
    when = (
        f"was due on {deadline:%-d %B %Y}"
        if today > deadline
        else f"is due by {deadline:%-d %B %Y}"
    )
    text = "\n\n".join(
        [
            _greeting(person),
            f"{assessment.organisation.name}'s return for {assessment.cycle.name} {when}, and "
            "it has not been submitted yet.",
            f"Your return: {absolute_url(assessment.get_absolute_url())}",
        ]
    )
    return email_queue(
        to=person.email,
        subject=f"{assessment.cycle.name}: your self-assessment is not in yet",
        text=text,
        kind="audits.self_assessment_chaser",
        related=assessment,
        batch=f"self-assessment-chaser:{assessment.cycle_id}:{today.isoformat()}",
        actor=actor,
    )
