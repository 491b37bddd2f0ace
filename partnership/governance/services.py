"""Writes to the governance records, each in one transaction with its audit entry.

Views call these; they hold the business rules. Every function is keyword-only, and every
status (a meeting's, its minutes', an action's, a letter's) is moved only here.
"""

import datetime as dt
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.forms.models import model_to_dict
from django.utils import timezone

# Issued by accounts: one private address serves every module's feed (re-exported).
from partnership.accounts.services import (
    calendar_token_hash as calendar_token_hash,
)
from partnership.accounts.services import (
    calendar_token_issue as calendar_token_issue,
)
from partnership.accounts.services import (
    calendar_token_revoke as calendar_token_revoke,
)
from partnership.directory.models import Person
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record, diff

from .attendance import group_attendance
from .attendance import meeting_register as meeting_register
from .cadence import count_meetings
from .mail import pack_mark_sent as pack_mark_sent
from .mail import pack_recipients, send_agenda_pack
from .models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Attendance,
    AttendanceLetter,
    AttendanceStatus,
    Decision,
    FundingContribution,
    Group,
    InterestDeclaration,
    ItemDeclaration,
    ItemKind,
    LetterStatus,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipRole,
    MinutesStatus,
    Paper,
    PaperType,
    Priority,
)

# Meetings ---------------------------------------------------------------------------------


def next_priority(group: Group, *, on: dt.date | None = None) -> Priority | None:
    """The priority the group's next themed meeting takes: the one after the last theme.

    Themes go round the priorities current on the day, in their rotation order.
    """
    if not group.themed_meetings:
        return None
    on = on or timezone.localdate()
    current = list(Priority.objects.current(on))
    if not current:
        return None
    last = (
        Meeting.objects.not_cancelled()
        .filter(group=group, priority__isnull=False)
        .order_by("-starts_at")
        .values_list("priority_id", flat=True)
        .first()
    )
    ids = [priority.pk for priority in current]
    if last not in ids:
        # The last theme has been retired (or there was none): continue from its place.
        if last is not None:
            retired = Priority.objects.filter(pk=last).first()
            later = [p for p in current if retired and p.rotation_order > retired.rotation_order]
            return later[0] if later else current[0]
        return current[0]
    return current[(ids.index(last) + 1) % len(current)]


def _standard_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The agenda every meeting starts with: the formal items, the thematic lead's report
    if the meeting is themed, the group's areas of effectiveness as standing items, and
    any other business."""
    lines: list[tuple[str, str, str]] = [
        (ItemKind.OPENING, ItemKind.OPENING.label, "Chair"),
        (ItemKind.MINUTES, ItemKind.MINUTES.label, "Chair"),
        (ItemKind.MATTERS_ARISING, ItemKind.MATTERS_ARISING.label, "Chair"),
    ]
    if meeting.priority_id:
        lines.append(_thematic_line(meeting.priority, meeting.local_date))
    lines += [(ItemKind.STANDING, area, "") for area in meeting.group.effectiveness_areas_list]
    lines.append((ItemKind.ANY_OTHER_BUSINESS, ItemKind.ANY_OTHER_BUSINESS.label, "Chair"))
    return AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=n, kind=kind, title=title[:200], presenter=presenter)
        for n, (kind, title, presenter) in enumerate(lines, start=1)
    )


def _thematic_line(priority: Priority, on: dt.date) -> tuple[str, str, str]:
    """The thematic lead's agenda line, naming the lead agency as it was called on the day
    (a 2019 meeting's neglect lead is the CCG, today's the ICB)."""
    lead = priority.thematic_lead
    presenter = f"Thematic lead ({lead.display_name_on(on)})" if lead else "Thematic lead"
    return ItemKind.THEMATIC_REPORT, f"Thematic lead's report: {priority.name}", presenter


def _make_room(meeting: Meeting, position: int) -> None:
    """Move the items at `position` and after one place down (positions are unique)."""
    later = AgendaItem.objects.filter(meeting=meeting, position__gte=position)
    later.update(position=F("position") + 1000)
    AgendaItem.objects.filter(meeting=meeting, position__gte=1000).update(
        position=F("position") - 999
    )


MEETING_FIELDS = ["starts_at", "ends_at", "location", "priority"]


def _check_times(starts_at: dt.datetime, ends_at: dt.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError("The meeting must end after it starts", code="ends_before_start")


def _check_theme(group: Group, priority: Priority | None) -> None:
    """Each meeting of a themed group (the Strategic Forum) has a strategic theme, and so its
    thematic lead's report: one without is refused, not saved to be flagged later."""
    if group.themed_meetings and priority is None:
        raise ValidationError(
            {
                "priority": f"Select the meeting's theme: each meeting of the {group.name} "
                "has a strategic theme, with its thematic lead reporting"
            },
            code="no_theme",
        )


@transaction.atomic
def meeting_schedule(
    *,
    group: Group,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    priority: Priority | None = None,
    actor: Actor,
) -> Meeting:
    """Schedule a meeting of a group, with its standard agenda.

    A themed group's meeting must have a theme (`_check_theme`)."""
    _check_times(starts_at, ends_at)
    _check_theme(group, priority)
    meeting = Meeting.objects.create(
        group=group, starts_at=starts_at, ends_at=ends_at, location=location, priority=priority
    )
    _standard_agenda(meeting)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=meeting,
        summary=f"Scheduled {meeting.title}",
        changes={"starts_at": [None, starts_at], "location": [None, location]},
    )
    group_check_cadence(group=group, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str,
    priority: Priority | None,
    actor: Actor,
) -> Meeting:
    """Move a meeting or change its place or theme; calendar invitations are re-issued.

    A themed group's meeting must have a theme: one saved without (before the rule, or
    before the group was themed) is flagged until it is given one here."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("A cancelled meeting cannot be changed", code="cancelled")
    _check_times(starts_at, ends_at)
    _check_theme(meeting.group, priority)
    before = model_to_dict(meeting, fields=MEETING_FIELDS)
    old_priority = meeting.priority
    meeting.starts_at, meeting.ends_at, meeting.location = starts_at, ends_at, location
    meeting.priority = priority
    after = model_to_dict(meeting, fields=MEETING_FIELDS)
    changes = diff(before, after)
    if {"starts_at", "ends_at", "location"} & set(changes):
        meeting.sequence += 1
    meeting.save()
    if old_priority != priority:
        _retheme(meeting, priority)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        changes=changes,
        summary=f"Changed {meeting.title}",
    )
    group_check_cadence(group=meeting.group, actor=actor)
    return meeting


def _retheme(meeting: Meeting, priority: Priority | None) -> None:
    report = meeting.items.filter(kind=ItemKind.THEMATIC_REPORT).first()
    if priority is None:
        if report is not None and not report.papers.exists():
            report.delete()
        return
    kind, title, presenter = _thematic_line(priority, meeting.local_date)
    if report is not None:
        report.title, report.presenter = title, presenter
        report.save(update_fields=["title", "presenter"])
        return
    after = meeting.items.filter(kind=ItemKind.MATTERS_ARISING).values_list("position", flat=True)
    position = (after.first() or 0) + 1
    _make_room(meeting, position)
    AgendaItem.objects.create(
        meeting=meeting, position=position, kind=kind, title=title, presenter=presenter
    )


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: Actor) -> Meeting:
    """Cancel a scheduled meeting (calendar invitations show it as cancelled)."""
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError("Only a scheduled meeting can be cancelled", code="not_scheduled")
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=meeting,
        changes={"status": [MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED]},
        summary=f"Cancelled {meeting.title}",
    )
    group_check_cadence(group=meeting.group, actor=actor)
    return meeting


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, presenter: str = "", description: str = "", actor: Actor
) -> AgendaItem:
    """Add an item to the agenda, before any other business."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting has been cancelled", code="cancelled")
    closing = meeting.items.filter(kind=ItemKind.ANY_OTHER_BUSINESS).order_by("position").first()
    if closing is not None:
        position = closing.position
        _make_room(meeting, position)
    else:
        position = (meeting.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        kind=ItemKind.OTHER,
        title=title,
        presenter=presenter,
        description=description,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=item,
        object_label=f"{meeting.title}: {title}",
        summary=f"Added “{title}” to the agenda of {meeting.title}",
    )
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, title: str, presenter: str, description: str, actor: Actor
) -> AgendaItem:
    before = model_to_dict(item, fields=["title", "presenter", "description"])
    item.title, item.presenter, item.description = title, presenter, description
    item.save(update_fields=["title", "presenter", "description"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=item,
        object_label=f"{item.meeting.title}: {item.title}",
        changes=diff(before, model_to_dict(item, fields=["title", "presenter", "description"])),
    )
    return item


# Papers -----------------------------------------------------------------------------------


@transaction.atomic
def paper_upload(*, item: AgendaItem, title: str, upload, restricted: bool, actor: Actor) -> Paper:
    """Store a paper for an agenda item in private storage."""
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    paper = Paper(
        meeting=item.meeting,
        item=item,
        title=title,
        file_name=PurePath(upload.name).name[:200],
        file_type=PaperType(extension),
        size_bytes=upload.size,
        restricted=restricted,
        uploaded_by=actor.user,
    )
    paper.file.save(upload.name, upload, save=False)
    paper.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=paper,
        summary=f"Uploaded {'a restricted' if restricted else 'a'} paper for "
        f"{item.meeting.title}, item {item.position}",
        changes={"file_name": [None, paper.file_name], "size_bytes": [None, paper.size_bytes]},
    )
    return paper


@transaction.atomic
def paper_remove(*, paper: Paper, actor: Actor) -> None:
    """Take a paper off the agenda and delete its file (the audit trail keeps the record)."""
    name, meeting = paper.file.name, paper.meeting
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=paper,
        summary=f"Removed the paper {paper.file_name} from {meeting.title}",
    )
    paper.delete()
    # The file goes only once the row has gone for good.
    transaction.on_commit(lambda: paper.file.storage.delete(name))


@transaction.atomic
def paper_record_download(*, paper: Paper, actor: Actor) -> None:
    """Every download of a paper goes on the record."""
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=paper,
        summary=f"Downloaded {paper.file_name}" + (" (restricted)" if paper.restricted else ""),
    )


@transaction.atomic
def pack_record_download(*, meeting: Meeting, restricted_included: bool, actor: Actor):
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=meeting,
        summary="Downloaded the agenda pack"
        + (" with restricted papers" if restricted_included else ""),
    )


# Attendance and minutes -------------------------------------------------------------------


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


# Actions ----------------------------------------------------------------------------------


def _author_label(actor: Actor) -> str:
    """The name an action's history shows: the person's, else the token or job that acted."""
    return (actor.user.full_name if actor.user is not None else actor.label)[:150]


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    description: str,
    owner: Person,
    due_on: dt.date,
    item: AgendaItem | None = None,
    actor: Actor,
) -> Action:
    """Raise an action at a meeting; it comes forward to the group's meetings until closed."""
    if owner is None:
        raise ValidationError("Every action needs an owner", code="no_owner")
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(
            "The minutes are approved: raise the action at a later meeting", code="approved"
        )
    # Lock the group so that two actions raised at once cannot take the same number.
    Group.objects.select_for_update().filter(pk=meeting.group_id).first()
    number = (
        Action.objects.filter(group_id=meeting.group_id).aggregate(last=Max("number"))["last"] or 0
    ) + 1
    action = Action.objects.create(
        group_id=meeting.group_id,
        number=number,
        raised_at=meeting,
        item=item,
        description=description,
        owner=owner,
        owner_organisation_id=owner.organisation_id,
        due_on=due_on,
        created_by=actor.user,
    )
    ActionUpdate.objects.create(
        action=action,
        author=actor.user,
        author_label=_author_label(actor),
        note=f"Raised at {meeting}.",
        status_after=ActionStatus.OPEN,
        due_after=due_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=action,
        changes={"owner": [None, str(owner)], "due_on": [None, due_on]},
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    note: str = "",
    status: str | None = None,
    due_on: dt.date | None = None,
    actor: Actor,
) -> ActionUpdate:
    """Add to an action's history: a progress note, a new status, a new due date."""
    status = ActionStatus(status) if status else action.status
    due_on = due_on or action.due_on
    if not note.strip() and status == action.status and due_on == action.due_on:
        raise ValidationError("Enter a progress note or change something", code="no_change")
    update = ActionUpdate(
        action=action, author=actor.user, author_label=_author_label(actor), note=note.strip()
    )
    changes = {}
    if status != action.status:
        update.status_before, update.status_after = action.status, status
        changes["status"] = [action.status, status]
        was_open = action.is_open
        action.status = status
        if was_open and not action.is_open:
            action.closed_at = timezone.now()
        elif action.is_open:
            action.closed_at = None
    if due_on != action.due_on:
        update.due_before, update.due_after = action.due_on, due_on
        changes["due_on"] = [action.due_on, due_on]
        action.due_on = due_on
    action.save(update_fields=["status", "closed_at", "due_on"])
    update.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=action,
        changes=changes,
        summary=note.strip()[:300],
    )
    return update


# Declarations of interest -----------------------------------------------------------------


@transaction.atomic
def interest_declare(
    *,
    person: Person,
    kind: str,
    interest: str,
    details: str = "",
    declared_on: dt.date | None = None,
    actor: Actor,
) -> InterestDeclaration:
    """Add an interest to a member's standing register."""
    declaration = InterestDeclaration.objects.create(
        person=person,
        kind=kind,
        interest=interest,
        details=details,
        declared_on=declared_on or timezone.localdate(),
        recorded_by=actor.user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=declaration,
        summary=f"Declared an interest for {person}",
    )
    return declaration


@transaction.atomic
def interest_end(
    *, declaration: InterestDeclaration, ended_on: dt.date, actor: Actor
) -> InterestDeclaration:
    if ended_on < declaration.declared_on:
        raise ValidationError("An interest cannot end before it was declared", code="early")
    declaration.ended_on = ended_on
    declaration.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=declaration,
        changes={"ended_on": [None, ended_on]},
    )
    return declaration


@transaction.atomic
def item_declaration_record(
    *, item: AgendaItem, person: Person, interest: str, outcome: str, actor: Actor
) -> ItemDeclaration:
    """Record an interest declared on one agenda item."""
    declaration = ItemDeclaration.objects.create(
        item=item, person=person, interest=interest, outcome=outcome, recorded_by=actor.user
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=declaration,
        summary=f"{person} declared an interest on item {item.position} of {item.meeting}",
    )
    return declaration


# Attendance letters -----------------------------------------------------------------------


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
        group=group, person=person, status=LetterStatus.DRAFT
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
def attendance_letter_mark_sent(*, letter: AttendanceLetter, actor: Actor):
    """Record that the letter went to the chief officer."""
    if letter.status != LetterStatus.DRAFT:
        raise ValidationError("The letter has already been sent", code="sent")
    letter.status = LetterStatus.SENT
    letter.sent_at = timezone.now()
    letter.sent_by = actor.user
    letter.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=letter,
        changes={"status": [LetterStatus.DRAFT, LetterStatus.SENT]},
        summary=f"Sent to {letter.chief_officer} ({letter.organisation})",
    )
    return letter


# Agenda packs -----------------------------------------------------------------------------


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
    transaction.on_commit(
        lambda: send_agenda_pack.enqueue(meeting_id=meeting.pk, actor_id=actor_id)
    )
    return len(recipients)


# Funding ----------------------------------------------------------------------------------

FUNDING_FIELDS = [
    "organisation",
    "financial_year",
    "agreed_amount",
    "received_amount",
    "received_on",
    "notes",
]


@transaction.atomic
def funding_save(*, contribution: FundingContribution, actor: Actor):
    """Create or update a partner's contribution for a financial year."""
    creating = contribution.pk is None
    before = (
        {}
        if creating
        else model_to_dict(
            FundingContribution.objects.get(pk=contribution.pk), fields=FUNDING_FIELDS
        )
    )
    contribution.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=contribution,
        changes=diff(before, model_to_dict(contribution, fields=FUNDING_FIELDS)),
    )
    return contribution


# Calendar feed ----------------------------------------------------------------------------


# Cadence ----------------------------------------------------------------------------------


def cadence_problem(group: Group, meetings: list[Meeting], today: dt.date) -> str:
    """What, if anything, breaks the group's cadence (see docs/guide/governance.md).

    `meetings` are the group's meetings that are not cancelled, in date order. The chain is
    the last meeting on or before today followed by every meeting scheduled after it; each
    meeting in the chain must be on or before the day the group's gap allows after the one
    before it (`Group.next_meeting_due`: weeks, or calendar months), and so must the next
    one after the chain's end. A group with a number of meetings a year is also flagged when
    its last finished financial year, or the last 12 months, had fewer (`cadence`).
    """
    problems = []
    if group.next_meeting_due(today) is not None:
        problems += _gap_problems(group, meetings, today)
    days = [meeting.local_date for meeting in meetings]
    problems += count_meetings(group, days, today).problems
    return " ".join(problems)


def _gap_problems(group: Group, meetings: list[Meeting], today: dt.date) -> list[str]:
    past = [m for m in meetings if m.local_date <= today]
    future = [m for m in meetings if m.local_date > today]
    if not past and not future:
        return ["No meetings are recorded or scheduled."]
    chain = past[-1:] + future
    allowed = group.allowed_gap
    in_days = group.allowed_gap_days is not None
    for earlier, later in zip(chain, chain[1:], strict=False):
        due = group.next_meeting_due(earlier.local_date)
        if later.local_date > due:
            if in_days:
                gap = _weeks((later.local_date - earlier.local_date).days)
                after = f"{_day(earlier.local_date)}"
            else:
                gap = f"more than {allowed}"
                after = f"{_day(earlier.local_date)} (the next was due by {_day(due)})"
            return [
                f"The meeting on {_day(later.local_date)} is {gap} after the one on "
                f"{after}: the group meets at least every {allowed}."
            ]
    last = chain[-1]
    due = group.next_meeting_due(last.local_date)
    if due < today:
        return [
            f"No meeting since {_day(last.local_date)}: one was due by {_day(due)} "
            f"(at least every {allowed})."
        ]
    if not future or last.local_date <= today:
        return [
            f"No meeting is scheduled after {_day(last.local_date)}: the next must be by "
            f"{_day(due)} (at least every {allowed})."
        ]
    return []


def _weeks(days: int) -> str:
    weeks, rest = divmod(days, 7)
    text = f"{weeks} week{'s' if weeks != 1 else ''}"
    return text + (f" and {rest} day{'s' if rest != 1 else ''}" if rest else "")


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


@transaction.atomic
def group_check_cadence(*, group: Group, actor: Actor, today: dt.date | None = None) -> str:
    """Check a group's cadence and keep the flag on the group (the daily sweep calls this;
    so does every change to the group's meetings). A change of flag goes on the record,
    naming whoever's change (or which job) moved it."""
    today = today or timezone.localdate()
    meetings = list(Meeting.objects.not_cancelled().filter(group=group).order_by("starts_at"))
    problem = cadence_problem(group, meetings, today)
    changed = problem != group.cadence_problem
    Group.objects.filter(pk=group.pk).update(cadence_problem=problem, cadence_checked_on=today)
    if changed:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=group,
            summary=("Cadence flagged: " + problem) if problem else "Cadence flag cleared",
        )
    group.cadence_problem, group.cadence_checked_on = problem, today
    return problem


# Groups and their members -----------------------------------------------------------------

GROUP_FIELDS = [
    "name",
    "slug",
    "purpose",
    "aims",
    "objectives",
    "governance",
    "effectiveness_areas",
    "membership_composition",
    "accountable_to",
    "meetings_per_year",
    "max_weeks_between_meetings",
    "max_months_between_meetings",
    "attendance_expected_percent",
    "attendance_window_months",
    "persistent_absence_run",
    "deputy_limit",
    "themed_meetings",
    "action_reminder_days",
    "display_order",
]

# Paths under /groups/ that a group's slug would otherwise take (see urls.py).
RESERVED_GROUP_SLUGS = frozenset(
    {
        "new",
        "meetings",
        "papers",
        "actions",
        "members",
        "interests",
        "cadence",
        "letters",
        "funding",
        "calendar",
    }
)


def accountability_problem(group: Group, accountable_to: Group | None) -> str:
    """Why `group` cannot be accountable to `accountable_to`, or "" if it can.

    A group cannot report to itself, nor to a group that (in any number of steps) reports
    to it: the chain of accountability must end at the safeguarding partners.
    """
    if accountable_to is None:
        return ""
    if group.pk is not None and accountable_to.pk == group.pk:
        return "A group cannot be accountable to itself"
    seen = set()
    above = accountable_to
    while above is not None and above.pk not in seen:
        seen.add(above.pk)
        if group.pk is not None and above.accountable_to_id == group.pk:
            return (
                f"The {accountable_to.name} is accountable to the {group.name}, so the "
                f"{group.name} cannot be accountable to it"
            )
        above = above.accountable_to
    return ""


@transaction.atomic
def group_save(*, group: Group, actor: Actor) -> Group:
    """Create a group or change its terms of reference and settings.

    The attendance flags and the reminders follow the new settings at once: they are
    worked out from them when needed, never stored. The cadence flag, which is stored, is
    checked again against the new cadence.
    """
    problem = accountability_problem(group, group.accountable_to)
    if problem:
        raise ValidationError({"accountable_to": problem})
    if group.max_weeks_between_meetings and group.max_months_between_meetings:
        raise ValidationError(
            {
                "max_months_between_meetings": "Give the longest gap between meetings in "
                "weeks or in months, not both"
            }
        )
    if group.slug in RESERVED_GROUP_SLUGS:
        raise ValidationError({"slug": f"“{group.slug}” is used by another page: choose another"})
    creating = group.pk is None
    before = {} if creating else model_to_dict(Group.objects.get(pk=group.pk), fields=GROUP_FIELDS)
    group.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=group,
        summary=f"Added the {group.name}" if creating else f"Changed the {group.name}",
        changes=diff(before, model_to_dict(group, fields=GROUP_FIELDS)),
    )
    if not creating:
        group_check_cadence(group=group, actor=actor)
    return group


def _day_label(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


@transaction.atomic
def membership_add(
    *,
    group: Group,
    person: Person,
    role: str = MembershipRole.MEMBER,
    organisation=None,
    deputy: Person | None = None,
    title: str = "",
    started_on: dt.date | None = None,
    actor: Actor,
) -> Membership:
    """Seat a person on a group, representing an organisation (by default their own)."""
    started_on = started_on or timezone.localdate()
    if deputy is not None and deputy.pk == person.pk:
        raise ValidationError(
            {"deputy": "The nominated deputy must be someone other than the member"}
        )
    # Lock the person's seats on the group, so that two requests cannot seat them twice.
    seats = list(
        Membership.objects.select_for_update().filter(group=group, person=person).order_by("pk")
    )
    for seat in seats:
        if seat.ended_on is None:
            raise ValidationError(
                {
                    "person": f"{person.full_name} is already a member of the {group.name}: "
                    "end their current seat first"
                }
            )
        if seat.ended_on >= started_on:
            raise ValidationError(
                {
                    "started_on": f"{person.full_name}'s last seat on the group ran until "
                    f"{_day_label(seat.ended_on)}: the new seat must start after that"
                }
            )
    membership = Membership.objects.create(
        group=group,
        person=person,
        role=role,
        organisation=organisation or person.organisation,
        deputy=deputy,
        title=title.strip(),
        started_on=started_on,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        summary=f"Seated {person.full_name} on the {group.name}",
        changes={
            "role": [None, membership.get_role_display()],
            "organisation": [None, str(membership.organisation)],
            "deputy": [None, str(deputy) if deputy else None],
            "title": [None, membership.title],
            "started_on": [None, started_on],
        },
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_on: dt.date, actor: Actor) -> Membership:
    """End a seat on a group. The membership stays on record (attendance refers to it)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(
            f"{membership.person.full_name}'s seat already ended on "
            f"{_day_label(membership.ended_on)}",
            code="ended",
        )
    if ended_on < membership.started_on:
        raise ValidationError(
            {
                "ended_on": "The end date must be on or after the day the seat started, "
                f"{_day_label(membership.started_on)}"
            }
        )
    membership.ended_on = ended_on
    membership.save(update_fields=["ended_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=membership,
        summary=f"Ended {membership.person.full_name}'s seat on the {membership.group.name}",
        changes={"ended_on": [None, ended_on]},
    )
    return membership
