"""Governance records on the retention schedule (see docs/guide/records.md).

Minutes are the partnership's permanent record of its decisions; what hangs off them (papers,
the action log, memberships, the register of interests, attendance letters) is kept for 6
years after it closes, the Limitation Act 1980 period used across local government.
"""

from django.db.models import Q

from partnership.lib.retention import RecordKind

from .models import (
    Action,
    Attendance,
    AttendanceLetter,
    InterestDeclaration,
    ItemDeclaration,
    MeetingStatus,
    Membership,
)

GOVERNANCE_RECORD = (
    "Part of the partnership's record of its meetings and decisions, kept to carry out its "
    "statutory functions (Children Act 2004 s16E-16H; UK GDPR Article 17(3)(b)): not erased "
    "on request, destroyed by the disposal run when its retention period ends."
)
IRMS = "IRMS Local Government Retention Guidelines (committee and partnership records)"


def _of_people(model, field="person"):
    return lambda subject: model.objects.filter(**{f"{field}__in": subject.person_ids})


RECORD_KINDS = [
    RecordKind(
        key="governance.attendanceletter",
        label="Attendance letter to a chief officer",
        model="governance.AttendanceLetter",
        describe=lambda letter: (
            f"Attendance letter {letter.pk} (group {letter.group_id}, "
            f"{letter.window_start:%d %B %Y} to {letter.window_end:%d %B %Y})"
        ),
        trigger="created_at",
        trigger_label="the day the letter was made",
        default_months=72,
        source=f"{IRMS}: correspondence, 6 years.",
        statutory=GOVERNANCE_RECORD,
        subject_rows=_of_people(AttendanceLetter),
    ),
    RecordKind(
        key="governance.action",
        label="Action log entry (with its updates and reminders)",
        model="governance.Action",
        describe=lambda action: (
            f"Action {action.number} of group {action.group_id}, due {action.due_on:%d %B %Y}"
        ),
        trigger="closed_at",
        trigger_label="the day the action was closed",
        default_months=72,
        source=f"{IRMS}: 6 years after the action is closed.",
        judgement=True,
        scope=lambda: Q(closed_at__isnull=False),
        held_with=(("governance.meeting", "raised_at_id"),),
        statutory=GOVERNANCE_RECORD,
        subject_rows=_of_people(Action, "owner"),
    ),
    RecordKind(
        key="governance.interestdeclaration",
        label="Declaration in the register of interests",
        model="governance.InterestDeclaration",
        describe=lambda declaration: (
            f"Declaration {declaration.pk} of person {declaration.person_id}, "
            f"{declaration.declared_on:%d %B %Y}"
        ),
        trigger="ended_on",
        trigger_label="the day the interest ended",
        default_months=72,
        source=f"{IRMS}: registers of interests, 6 years after the interest ends.",
        scope=lambda: Q(ended_on__isnull=False),
        statutory=GOVERNANCE_RECORD,
        subject_rows=_of_people(InterestDeclaration),
    ),
    RecordKind(
        key="governance.membership",
        label="Group membership",
        model="governance.Membership",
        describe=lambda membership: (
            f"Membership {membership.pk} of group {membership.group_id} "
            f"(person {membership.person_id})"
        ),
        trigger="ended_on",
        trigger_label="the day the membership ended",
        default_months=72,
        source=f"{IRMS}: membership lists, 6 years after the membership ends.",
        judgement=True,
        scope=lambda: Q(ended_on__isnull=False),
        statutory=GOVERNANCE_RECORD,
        subject_rows=_of_people(Membership),
    ),
    RecordKind(
        key="governance.paper",
        label="Meeting paper (and its file)",
        model="governance.Paper",
        describe=lambda paper: f"Paper {paper.pk} of meeting {paper.meeting_id}",
        trigger="meeting__starts_at",
        trigger_label="the day of the meeting",
        default_months=72,
        source=(
            f"{IRMS}: supporting papers, 6 years; the minutes record what was decided on them."
        ),
        judgement=True,
        held_with=(("governance.meeting", "meeting_id"),),
    ),
    RecordKind(
        key="governance.meeting",
        label="Meeting with its agenda, minutes and decisions",
        model="governance.Meeting",
        describe=lambda meeting: (
            f"Meeting {meeting.pk} of group {meeting.group_id}, {meeting.starts_at:%d %B %Y}"
        ),
        trigger="starts_at",
        trigger_label="the day of the meeting",
        default_months=None,
        source=(
            f"{IRMS}: minutes of the governing body and its committees are kept permanently "
            "(offered to the local archives)."
        ),
        scope=lambda: Q(status__in=[MeetingStatus.HELD, MeetingStatus.CANCELLED]),
        statutory=GOVERNANCE_RECORD,
    ),
    RecordKind(
        key="governance.attendance",
        label="Attendance at a meeting",
        model="governance.Attendance",
        describe=lambda attendance: (
            f"Attendance {attendance.pk} at meeting {attendance.meeting_id}"
        ),
        part_of="governance.meeting",
        statutory=GOVERNANCE_RECORD,
        subject_rows=_of_people(Attendance),
    ),
    RecordKind(
        key="governance.itemdeclaration",
        label="Interest declared at an agenda item",
        model="governance.ItemDeclaration",
        describe=lambda declaration: (
            f"Item declaration {declaration.pk} at item {declaration.item_id}"
        ),
        part_of="governance.meeting",
        statutory=GOVERNANCE_RECORD,
        subject_rows=_of_people(ItemDeclaration),
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    people = subject.person_ids
    if not people:
        return []
    memberships = [
        {
            "Group": membership.group.name,
            "Role": membership.get_role_display(),
            "Organisation": membership.organisation.name,
            "Title": membership.title,
            "Started": membership.started_on,
            "Ended": membership.ended_on,
        }
        for membership in Membership.objects.filter(person__in=people).select_related(
            "group", "organisation"
        )
    ]
    attendance = [
        {
            "Group": row.meeting.group.name,
            "Meeting": row.meeting.starts_at,
            "Attendance": row.get_status_display(),
            "Deputy": row.deputy_name,
        }
        for row in Attendance.objects.filter(person__in=people)
        .select_related("meeting__group")
        .order_by("meeting__starts_at", "pk")
    ]
    interests = [
        {
            "Kind": row.get_kind_display(),
            "Interest": row.interest,
            "Details": row.details,
            "Declared": row.declared_on,
            "Ended": row.ended_on,
        }
        for row in InterestDeclaration.objects.filter(person__in=people).order_by("declared_on")
    ]
    at_items = [
        {
            "Meeting": row.item.meeting.starts_at,
            "Agenda item": row.item.title,
            "Interest": row.interest,
            "Outcome": row.get_outcome_display(),
        }
        for row in ItemDeclaration.objects.filter(person__in=people)
        .select_related("item__meeting")
        .order_by("item__meeting__starts_at", "pk")
    ]
    actions = [
        {
            "Group": action.group.name,
            "Number": action.number,
            "Action": action.description,
            "Due": action.due_on,
            "Status": action.get_status_display(),
        }
        for action in Action.objects.filter(owner__in=people)
        .select_related("group")
        .order_by("group__name", "number")
    ]
    letters = [
        {
            "Group": letter.group.name,
            "From": letter.window_start,
            "To": letter.window_end,
            "Meetings expected": letter.meetings_expected,
            "Meetings attended": letter.meetings_attended,
            "Status": letter.get_status_display(),
        }
        for letter in AttendanceLetter.objects.filter(person__in=people)
        .select_related("group")
        .order_by("created_at")
    ]
    return [
        ("Group memberships", memberships),
        ("Meeting attendance", attendance),
        ("Register of interests", interests),
        ("Interests declared at agenda items", at_items),
        ("Actions they own (action log)", actions),
        ("Attendance letters about them", letters),
    ]
