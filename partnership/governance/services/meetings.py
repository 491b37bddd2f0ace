"""Scheduling, moving and cancelling meetings, and their agendas."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.forms.models import model_to_dict
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record, diff

from ..models import (
    AgendaItem,
    Group,
    ItemKind,
    Meeting,
    MeetingStatus,
    MinutesStatus,
    Priority,
)
from .cadence_flags import group_check_cadence

# Meetings -----------------------------------------------------------------------------


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


def _check_agenda_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting has been cancelled", code="cancelled")
    if meeting.minutes_status == MinutesStatus.APPROVED:
        raise ValidationError(
            "The minutes are approved: the agenda is the record now", code="approved"
        )


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, actor: Actor) -> None:
    """Take an item off the agenda (standing items too); the items after it move up.

    An item with papers, minuted notes or actions is refused: remove the papers first, and
    an item the meeting discussed stays in its record."""
    meeting = item.meeting
    _check_agenda_open(meeting)
    if item.papers.exists():
        raise ValidationError(
            f"Remove the papers of “{item.title}” before removing the item", code="has_papers"
        )
    if item.notes or item.decisions.exists() or item.actions.exists():
        raise ValidationError(
            f"“{item.title}” has minutes or actions: it stays on the agenda", code="minuted"
        )
    position = item.position
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=item,
        object_label=f"{meeting.title}: {item.title}",
        summary=f"Removed “{item.title}” from the agenda of {meeting.title}",
    )
    item.delete()
    later = AgendaItem.objects.filter(meeting=meeting, position__gt=position)
    later.update(position=F("position") + 1000)
    AgendaItem.objects.filter(meeting=meeting, position__gt=1000).update(
        position=F("position") - 1001
    )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, up: bool, actor: Actor) -> AgendaItem:
    """Swap an item with the one above (`up`) or below it on the agenda."""
    meeting = item.meeting
    _check_agenda_open(meeting)
    items = meeting.items.select_for_update().order_by("position")
    neighbour = (
        items.filter(position__lt=item.position).order_by("-position").first()
        if up
        else items.filter(position__gt=item.position).first()
    )
    if neighbour is None:
        raise ValidationError(
            f"“{item.title}” is already {'first' if up else 'last'} on the agenda", code="end"
        )
    mine, theirs = item.position, neighbour.position
    # Positions are unique: park one item out of the way while the other takes its place.
    AgendaItem.objects.filter(pk=item.pk).update(position=0)
    AgendaItem.objects.filter(pk=neighbour.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.position = theirs
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=item,
        object_label=f"{meeting.title}: {item.title}",
        changes={"position": [mine, theirs]},
        summary=f"Moved “{item.title}” {'up' if up else 'down'} the agenda of {meeting.title}",
    )
    return item
