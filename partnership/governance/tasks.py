"""Background work for governance: sending agenda packs, and the daily sweep."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from partnership.accounts.models import User
from partnership.links import absolute_url

from . import ics, services
from .attendance import group_attendance
from .documents import build_agenda_pack
from .models import AttendanceLetter, Group, Meeting, MeetingStatus

logger = logging.getLogger(__name__)


@task()
def send_agenda_pack(meeting_id: int, actor_id: int | None = None) -> int:
    """Email the agenda pack (with restricted papers: it goes to members only) and a
    calendar invitation to each member of the group. Returns how many were sent."""
    meeting = (
        Meeting.objects.select_related("group", "priority", "priority__thematic_lead")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.status == MeetingStatus.CANCELLED:
        return 0
    recipients = services.pack_recipients(meeting)
    pack = build_agenda_pack(meeting, include_restricted=True)
    invitation = ics.invitation(
        meeting, attendees=[(person.full_name, person.email) for person in recipients]
    )
    link = absolute_url(meeting.get_absolute_url())
    sent = []
    for person in recipients:
        body = render_to_string(
            "governance/email/agenda_pack.txt",
            {"meeting": meeting, "person": person, "pack": pack, "link": link},
        )
        message = EmailMessage(
            subject=f"Agenda pack: {meeting.title}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[person.email],
        )
        message.attach(
            f"agenda-pack-{meeting.local_date:%Y-%m-%d}.pdf", pack.pdf, "application/pdf"
        )
        for paper in pack.separate_papers:
            try:
                with paper.file.open("rb") as handle:
                    message.attach(paper.file_name, handle.read(), paper.content_type)
            except OSError:
                logger.warning("Paper %s is missing from storage: not attached", paper.pk)
        message.attach("invitation.ics", invitation, "text/calendar; method=REQUEST")
        message.send()
        sent.append(person.email)
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    services.pack_mark_sent(meeting=meeting, recipients=sent, actor=actor)
    return len(sent)


@task()
def daily_sweep() -> dict[str, int]:
    """Flag groups whose cadence is broken, and draft letters for persistent non-attendance.

    A letter is drafted once: not while a draft is waiting, nor within the attendance window
    after one was drafted for the same member and group.
    """
    today = timezone.localdate()
    flagged = drafted = 0
    for group in Group.objects.all():
        if services.group_check_cadence(group=group, today=today):
            flagged += 1
        attendance = group_attendance(group, end=today)
        for tally in attendance.persistent_failures:
            recent = AttendanceLetter.objects.filter(
                group=group, person_id=tally.key, created_at__date__gte=attendance.start
            )
            if recent.exists():
                continue
            try:
                services.attendance_letter_draft(
                    group=group, person=_person(tally.key), today=today
                )
            except ValidationError as error:
                # No chief officer in the directory: the group's page shows the flag anyway.
                logger.info("No letter drafted for person %s: %s", tally.key, error.messages)
                continue
            drafted += 1
    return {"groups_flagged": flagged, "letters_drafted": drafted}


def _person(pk: int):
    from partnership.directory.models import Person

    return Person.objects.get(pk=pk)
