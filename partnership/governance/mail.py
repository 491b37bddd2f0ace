"""Emails governance sends in the background: the agenda pack.

Services queue these (`services.pack_send`); the sweeps in tasks.py call services. This
module sits below both: it imports the models and the documents it attaches, never
services or tasks. The emails themselves go through the outbox (`partnership.outbox`): one
row per member, grouped in a batch per sending, so the meeting page can say who got it.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import User
from partnership.directory.models import Person
from partnership.outbox.models import EmailStatus, OutgoingEmail
from partnership.outbox.services import email_queue, emails_about
from partnership.outputs.links import absolute_url
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from . import ics
from .attendance import meeting_register
from .documents import build_agenda_pack
from .models import Meeting, MeetingStatus

logger = logging.getLogger(__name__)

# Who the trail names for a pack whose sender's account has since gone.
PACK_JOB = "sending the agenda pack"
PACK_KIND = "governance.agenda_pack"


@dataclass(frozen=True)
class PackDelivery:
    """How the last agenda pack sent for a meeting is getting on: one email per member."""

    emails: list[OutgoingEmail]

    @property
    def sent(self) -> int:
        return sum(email.status == EmailStatus.SENT for email in self.emails)

    @property
    def failed(self) -> int:
        return sum(email.status == EmailStatus.FAILED for email in self.emails)

    @property
    def waiting(self) -> int:
        return len(self.emails) - self.sent - self.failed


def pack_delivery(meeting: Meeting) -> PackDelivery:
    """The emails of the last agenda pack sent for `meeting` (two queries)."""
    emails = emails_about(meeting).filter(kind=PACK_KIND)
    last = emails.order_by("-queued_at", "-pk").values_list("batch", flat=True).first()
    if last is None:
        return PackDelivery(emails=[])
    return PackDelivery(
        emails=list(
            emails.filter(batch=last)
            .order_by("to")
            .only("pk", "to", "status", "attempts", "next_attempt_at", "sent_at", "queued_at")
        )
    )


def pack_recipients(meeting: Meeting) -> list[Person]:
    """The members the pack goes to: everyone seated on the group, with an email address.

    (Deputies attend only in exceptional circumstances: the member forwards the pack.)
    """
    return [seat.person for seat in meeting_register(meeting) if seat.person.email]


@task()
def send_agenda_pack(meeting_id: int, actor_id: int | None = None) -> int:
    """Email the agenda pack (with restricted papers: it goes to members only) and a
    calendar invitation to each member of the group. Returns how many were sent.

    `actor_id` is the user who sent it (a task's arguments are plain values); the trail's
    "sent" entry names them, or the job if their account has gone.
    """
    meeting = (
        Meeting.objects.select_related("group", "priority", "priority__thematic_lead")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return 0
    recipients = pack_recipients(meeting)
    pack = build_agenda_pack(meeting, include_restricted=True)
    invitation = ics.invitation(
        meeting, attendees=[(person.full_name, person.email) for person in recipients]
    )
    link = absolute_url(meeting.get_absolute_url())
    user = User.objects.filter(pk=actor_id).first() if actor_id else None
    actor = Actor.for_user(user) if user is not None else Actor.system(PACK_JOB)
    attachments = [(f"agenda-pack-{meeting.local_date:%Y-%m-%d}.pdf", pack.pdf, "application/pdf")]
    for paper in pack.separate_papers:
        try:
            with paper.file.open("rb") as handle:
                attachments.append((paper.file_name, handle.read(), paper.content_type))
        except OSError:
            logger.warning("Paper %s is missing from storage: not attached", paper.pk)
    attachments.append(("invitation.ics", invitation, "text/calendar; method=REQUEST"))
    sendings = (
        emails_about(meeting).filter(kind=PACK_KIND).order_by().values("batch").distinct().count()
    )
    batch = f"agenda-pack:{meeting.pk}:{sendings + 1}"
    sent = []
    with transaction.atomic():
        for person in recipients:
            body = render_to_string(
                "governance/email/agenda_pack.txt",
                {"meeting": meeting, "person": person, "pack": pack, "link": link},
            )
            email_queue(
                to=person.email,
                subject=f"Agenda pack: {meeting.title}",
                text=body,
                attachments=attachments,
                kind=PACK_KIND,
                related=meeting,
                batch=batch,
                actor=actor,
            )
            sent.append(person.email)
        pack_mark_sent(meeting=meeting, recipients=sent, actor=actor)
    return len(sent)


@transaction.atomic
def pack_mark_sent(*, meeting: Meeting, recipients: list[str], actor: Actor) -> Meeting:
    """Called by the task once the emails are queued (the outbox delivers them)."""
    meeting.pack_sent_at = timezone.now()
    meeting.save(update_fields=["pack_sent_at"])
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=meeting,
        summary=f"Sent the agenda pack to {len(recipients)} members",
        changes={"recipients": recipients},
    )
    return meeting


MINUTES_KIND = "governance.minutes_for_comment"
LETTER_KIND = "governance.attendance_letter"


def queue_minutes_for_comment(*, meeting: Meeting, actor: Actor) -> list[str]:
    """Email each member a link to the draft minutes, asking for comments on the platform
    (the minutes themselves stay on it: draft minutes are for members only)."""
    link = absolute_url(reverse("governance:minutes", kwargs={"pk": meeting.pk}))
    sent = []
    batch = f"minutes:{meeting.pk}:{timezone.now():%Y%m%d%H%M%S}"
    for person in pack_recipients(meeting):
        email_queue(
            to=person.email,
            subject=f"Draft minutes for your comments: {meeting.title}",
            text=render_to_string(
                "governance/email/minutes_for_comment.txt",
                {"meeting": meeting, "person": person, "link": link},
            ),
            kind=MINUTES_KIND,
            related=meeting,
            batch=batch,
            actor=actor,
        )
        sent.append(person.email)
    return sent


def queue_attendance_letter(*, letter, pdf: bytes, actor: Actor) -> None:
    """The chair's approved letter goes to the chief officer, its PDF attached."""
    email_queue(
        to=letter.chief_officer.email,
        subject=f"Attendance at the {letter.group.name}",
        text=render_to_string("governance/email/attendance_letter.txt", {"letter": letter}),
        attachments=[(f"attendance-letter-{letter.pk}.pdf", pdf, "application/pdf")],
        kind=LETTER_KIND,
        related=letter,
        actor=actor,
    )
