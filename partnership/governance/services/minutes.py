"""The register of attendance and the minutes, from draft to approved."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..mail import queue_minutes_for_comment
from ..models import (
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesComment,
    MinutesStatus,
)

# Attendance and minutes ---------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *,
    meeting: Meeting,
    entries: list[tuple[Membership, str, str]],
    actor: Actor,
) -> list[Attendance]:
    """Record the register: (seat, status, deputy's name) for each member.

    The meeting becomes held, and its minutes a draft. Recording again corrects the rows.
    """
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting was cancelled", code="cancelled")
    if not meeting.has_started:
        raise ValidationError(
            "You can record attendance once the meeting has started", code="not_started"
        )
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(
            "The minutes are approved: the attendance cannot be changed", code="approved"
        )
    people = [membership.person_id for membership, _, _ in entries]
    if len(people) != len(set(people)):
        raise ValidationError("Each member can be on the register once", code="duplicate")
    existing = {row.person_id: row for row in meeting.attendance.select_for_update()}
    rows, counts = [], dict.fromkeys(AttendanceStatus.values, 0)
    for membership, status, deputy_name in entries:
        status = AttendanceStatus(status)
        counts[status] += 1
        deputy_name = deputy_name if status == AttendanceStatus.DEPUTY else ""
        row = existing.get(membership.person_id)
        if row is None:
            row = Attendance(meeting=meeting, person_id=membership.person_id)
        row.organisation_id = membership.organisation_id
        row.membership = membership
        row.status = status
        row.deputy_name = deputy_name
        row.recorded_at = timezone.now()
        row.save()
        rows.append(row)
    changes = {"status": [meeting.status, MeetingStatus.HELD]}
    meeting.status = MeetingStatus.HELD
    if meeting.minutes_status == MinutesStatus.NOT_STARTED:
        meeting.minutes_status = MinutesStatus.DRAFT
    meeting.save(update_fields=["status", "minutes_status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        changes=changes,
        summary="Recorded attendance: "
        + ", ".join(f"{counts[s]} {AttendanceStatus(s).label.lower()}" for s in counts),
    )
    return rows


@transaction.atomic
def minutes_save(
    *,
    meeting: Meeting,
    notes: dict[int, str],
    decisions: dict[int, list[str]],
    actor: Actor,
) -> Meeting:
    """Write the minutes: notes on each item and the decisions made (a draft until approved)."""
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError("Approved minutes cannot be changed", code="approved")
    if not meeting.has_started or meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Minutes are written once the meeting has met", code="not_met")
    items = {item.pk: item for item in meeting.items.all()}
    for pk, text in notes.items():
        item = items[pk]
        if item.notes != text:
            item.notes = text
            item.save(update_fields=["notes"])
    Decision.objects.filter(item__meeting=meeting, item_id__in=list(decisions)).delete()
    Decision.objects.bulk_create(
        Decision(item=items[pk], text=text) for pk, texts in decisions.items() for text in texts
    )
    if meeting.minutes_status == MinutesStatus.NOT_STARTED:
        meeting.minutes_status = MinutesStatus.DRAFT
        meeting.save(update_fields=["minutes_status"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        summary=f"Saved the draft minutes of {meeting.title} "
        f"({sum(len(texts) for texts in decisions.values())} decisions)",
    )
    return meeting


@transaction.atomic
def minutes_record_view(*, meeting: Meeting, actor: Actor) -> None:
    """Draft minutes are confidential to the group: each reading goes on the record."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        obj=meeting,
        summary="Read the draft minutes",
    )


@transaction.atomic
def minutes_approve(*, meeting: Meeting, at_meeting: Meeting, actor: Actor) -> Meeting:
    """Approve a meeting's draft minutes as a true record, at the group's next meeting."""
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError("Only draft minutes can be approved", code="not_draft")
    if meeting.following() != at_meeting:
        raise ValidationError(
            "Minutes are approved at the group's next meeting", code="not_next_meeting"
        )
    if not at_meeting.has_started:
        raise ValidationError(
            "The minutes can be approved once the next meeting has started", code="not_started"
        )
    meeting.minutes_status = MinutesStatus.APPROVED
    meeting.minutes_approved_at = at_meeting
    meeting.minutes_approved_on = timezone.localdate()
    meeting.save(update_fields=["minutes_status", "minutes_approved_at", "minutes_approved_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        changes={"minutes_status": [MinutesStatus.DRAFT, MinutesStatus.APPROVED]},
        summary=f"Minutes approved at {at_meeting}",
    )
    return meeting


@transaction.atomic
def minutes_circulate(*, meeting: Meeting, actor: Actor) -> int:
    """Send the draft minutes to the group's members for comment; returns how many.

    The email carries a link, not the minutes: members read and comment on the platform,
    and the minute-taker sees their comments beside the draft."""
    if meeting.minutes_status != MinutesStatus.DRAFT:
        raise ValidationError("Only draft minutes are circulated for comment", code="not_draft")
    sent = queue_minutes_for_comment(meeting=meeting, actor=actor)
    if not sent:
        raise ValidationError("No member of the group has an email address", code="nobody")
    meeting.minutes_circulated_at = timezone.now()
    meeting.save(update_fields=["minutes_circulated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        summary=f"Circulated the draft minutes to {len(sent)} members for comment",
        changes={"recipients": sent},
    )
    return len(sent)


@transaction.atomic
def minutes_comment_add(*, meeting: Meeting, text: str, actor: Actor) -> MinutesComment:
    """A member's comment on the circulated draft minutes, for the minute-taker."""
    if meeting.minutes_status != MinutesStatus.DRAFT or meeting.minutes_circulated_at is None:
        raise ValidationError(
            "Comments are taken on draft minutes once they are circulated", code="not_open"
        )
    user = actor.user
    comment = MinutesComment.objects.create(
        meeting=meeting,
        author=user,
        author_label=user.full_name if user is not None else actor.label,
        text=text,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=comment,
        object_label=f"Minutes of {meeting.title}",
        summary=f"Commented on the draft minutes of {meeting.title}",
    )
    return comment


@transaction.atomic
def minutes_record_export(*, meeting: Meeting, fmt: str, actor: Actor) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=meeting,
        summary=f"Downloaded the approved minutes as {fmt.upper()}",
    )
