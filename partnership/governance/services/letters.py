"""The independent chair's letters to chief officers about persistent non-attendance."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partnership.directory.models import Person
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..attendance import group_attendance
from ..documents import letter_pdf
from ..mail import queue_attendance_letter
from ..models import (
    Attendance,
    AttendanceLetter,
    Group,
    LetterStatus,
    Membership,
    MembershipRole,
)
from .groups import _day_label

# Attendance letters -------------------------------------------------------------------


def independent_chair_name() -> str:
    """Who signs attendance letters: the independent chair."""
    from partnership.accounts.models import Role

    person = (
        Person.objects.filter(user__role_grants__role=Role.INDEPENDENT_CHAIR, user__is_active=True)
        .order_by("pk")
        .first()
    )
    if person is None:
        seat = (
            Membership.objects.current()
            .filter(role=MembershipRole.CHAIR, group__accountable_to__isnull=True)
            .select_related("person")
            .order_by("group__display_order")
            .first()
        )
        person = seat.person if seat else None
    return person.full_name if person else "The Independent Chair"


@transaction.atomic
def attendance_letter_draft(
    *, group: Group, person: Person, actor: Actor, today: dt.date | None = None
) -> AttendanceLetter:
    """Draft the independent chair's letter to the member's chief officer.

    Only for persistent failure to attend (see `attendance`), and only for a member still
    seated on the group: someone who has left is no longer their organisation's
    representative, so there is nothing to ask the chief officer to put right. An existing
    draft for the same member and group is returned rather than a second one made. The letter
    copies the figures, and the group's limit on deputies, of the day it is drafted.
    """
    existing = AttendanceLetter.objects.filter(
        group=group, person=person, status__in=[LetterStatus.DRAFT, LetterStatus.APPROVED]
    ).first()
    if existing is not None:
        return existing
    today = today or timezone.localdate()
    if not Membership.objects.current(on=today).filter(group=group, person=person).exists():
        last_seat = (
            Membership.objects.filter(group=group, person=person, ended_on__lt=today)
            .order_by("-ended_on")
            .first()
        )
        left = f" on {_day_label(last_seat.ended_on)}" if last_seat else ""
        raise ValidationError(
            f"{person} left the {group}{left}: no letter is drafted for a former member",
            code="not_a_member",
        )
    attendance = group_attendance(group, end=today)
    tally = attendance.member(person.pk)
    if tally is None or not tally.persistent_failure(attendance.rule):
        raise ValidationError(
            f"{person} has not persistently failed to attend the {group}",
            code="not_persistent",
        )
    last_row = (
        Attendance.objects.filter(meeting__group=group, person=person)
        .select_related("organisation")
        .order_by("-meeting__starts_at")
        .first()
    )
    organisation = last_row.organisation
    chief_officer = Person.objects.filter(organisation=organisation, is_chief_officer=True).first()
    if chief_officer is None:
        raise ValidationError(
            f"{organisation} has no chief officer in the directory: add one first",
            code="no_chief_officer",
        )
    letter = AttendanceLetter.objects.create(
        group=group,
        person=person,
        organisation=organisation,
        chief_officer=chief_officer,
        signatory_name=independent_chair_name(),
        window_start=attendance.start,
        window_end=attendance.end,
        meetings_expected=tally.expected,
        meetings_attended=tally.present,
        deputy_attended=tally.deputy,
        deputy_limit=attendance.rule.deputy_limit,
        longest_absence_run=tally.longest_absence_run,
        created_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=letter,
        summary=f"Drafted a letter to {chief_officer} ({organisation}) about {person}'s "
        f"attendance at the {group}: {tally.present} of {tally.expected} meetings",
    )
    return letter


@transaction.atomic
def attendance_letter_record_download(*, letter: AttendanceLetter, fmt: str, actor: Actor):
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=letter,
        summary=f"Downloaded the letter as {fmt.upper()}",
    )


@transaction.atomic
def attendance_letter_edit(*, letter: AttendanceLetter, body: str, actor: Actor):
    """The chair rewrites the drafted letter's paragraphs (one blank line between them)."""
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError(
            "Only a draft letter can be changed: this one is already approved", code="not_draft"
        )
    before = letter.body
    letter.body = body.strip()
    letter.save(update_fields=["body"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=letter,
        changes={"body": [before, letter.body]},
        summary=f"Changed the words of the letter to {letter.chief_officer}",
    )
    return letter


@transaction.atomic
def attendance_letter_approve(*, letter: AttendanceLetter, actor: Actor):
    """The chair approves the letter as it reads now: it can then be sent, and not changed."""
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("Only a draft letter can be approved", code="not_draft")
    letter.status = LetterStatus.APPROVED
    letter.approved_at = timezone.now()
    letter.approved_by = actor.user
    if actor.user is not None and actor.user.full_name:
        letter.signatory_name = actor.user.full_name
    letter.save(update_fields=["status", "approved_at", "approved_by", "signatory_name"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=letter,
        changes={"status": [LetterStatus.DRAFT, LetterStatus.APPROVED]},
        summary=f"Approved the letter to {letter.chief_officer}",
    )
    return letter


@transaction.atomic
def attendance_letter_mark_sent(*, letter: AttendanceLetter, actor: Actor):
    """Send the chair's approved letter to the chief officer, by email through the outbox
    with the PDF attached (the email is stored as it went), and record that it was sent."""
    if letter.status == LetterStatus.SENT:
        raise ValidationError("The letter has already been sent", code="sent")
    if letter.status != LetterStatus.APPROVED:
        raise ValidationError(
            "The chair approves the letter before it is sent", code="not_approved"
        )
    if not letter.chief_officer.email:
        raise ValidationError(
            f"{letter.chief_officer} has no email address in the directory: add one first",
            code="no_email",
        )
    letter.status = LetterStatus.SENT
    letter.sent_at = timezone.now()
    letter.sent_by = actor.user
    letter.save(update_fields=["status", "sent_at", "sent_by"])
    queue_attendance_letter(letter=letter, pdf=letter_pdf(letter), actor=actor)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=letter,
        changes={"status": [LetterStatus.APPROVED, LetterStatus.SENT]},
        summary=f"Sent to {letter.chief_officer} ({letter.organisation})",
    )
    return letter
