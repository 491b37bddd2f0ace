"""The daily sweep's record on the review: reminders and escalations sent."""

from collections.abc import Iterable

from django.db import transaction

from partnership.trail.actors import Actor
from partnership.trail.models import Action

from ..models import (
    Review,
)
from .common import _audit

# The daily sweep ----------------------------------------------------------------------------


def deadline_reminder_record(
    *, review: Review, recipient: str, titles: Iterable[str], escalation: bool, actor: Actor
) -> None:
    """On the review's record: the sweep emailed `recipient` about these of its deadlines (a
    reminder to their owner, or an escalation to the chair of the group). Written in the
    transaction that sends the email, so a failed email leaves no entry."""
    listed = "; ".join(titles)
    if escalation:
        summary = f"Escalated the overdue deadlines to {recipient}, the group's chair: {listed}"
    else:
        summary = f"Reminded {recipient} of the deadlines: {listed}"
    with transaction.atomic():
        _audit(review, actor=actor, action=Action.CREATE, summary=summary)
