"""Sending the agenda pack (the email itself is in governance.mail)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..mail import pack_recipients, send_agenda_pack
from ..models import (
    Meeting,
    MeetingStatus,
)

# Agenda packs -------------------------------------------------------------------------


@transaction.atomic
def pack_send(*, meeting: Meeting, actor: Actor) -> int:
    """Queue the agenda pack to go to the members; returns how many it will go to.

    The email goes from the background worker (`mail.send_agenda_pack`), which records
    it as sent, naming the person who sent it."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting was cancelled", code="cancelled")
    recipients = pack_recipients(meeting)
    if not recipients:
        raise ValidationError("No member of the group has an email address", code="nobody")
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=meeting,
        summary=f"Queued the agenda pack for {len(recipients)} members",
    )
    actor_id = actor.user.pk if actor.user is not None else None
    # The database task backend writes the task in this transaction: queued iff it commits.
    send_agenda_pack.enqueue(meeting_id=meeting.pk, actor_id=actor_id)
    return len(recipients)
