"""Scale data for governance: a year of meetings for the scale partnership's groups.

Called by `generate_scale_data` after the scale groups and their members exist (every scale
group's slug starts with "scale-"). At scale 1 that is 8 groups, each meeting monthly (or as
often a year as its terms say) over the past 12 months and the next 2: about 110 meetings
with their agendas, 2,400 attendance rows, 5,000 actions with their histories, declarations
of interest and three years of funding. Everything is written with `bulk_create`.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from partnership.directory.models import Organisation, OrganisationKind

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
    InterestKind,
    ItemDeclaration,
    ItemKind,
    Meeting,
    MeetingStatus,
    Membership,
    MinutesStatus,
    Paper,
    financial_year_of,
)

PREFIX = "scale-"
BATCH = 1000
ACTIONS_PER_SCALE = 5000
VERBS = ["Review", "Report on", "Circulate", "Confirm", "Audit", "Update", "Share", "Agree"]
SUBJECTS = [
    "the neglect strategy",
    "the multi-agency audit findings",
    "the data set for the quarter",
    "the learning from the latest review",
    "schools' section 175 returns",
    "the training plan",
    "the threshold guidance",
    "the exploitation risk pathway",
]


def scale_meetings(scale: float, rng: random.Random) -> dict[str, int]:
    """Make the governance scale data for the scale groups; returns counts by kind."""
    groups = list(Group.objects.filter(slug__startswith=PREFIX).order_by("display_order"))
    if not groups:
        return {}
    now = timezone.now()
    today = timezone.localdate()
    seats = {}
    for seat in (
        Membership.objects.filter(group__in=groups)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today - dt.timedelta(days=365)))
        .select_related("person")
        .order_by("pk")
    ):
        seats.setdefault(seat.group_id, []).append(seat)

    with transaction.atomic():
        meetings = _meetings(groups, now, rng)
        items = _agendas(meetings)
        held = [meeting for meeting in meetings if meeting.status == MeetingStatus.HELD]
        attendance = _attendance(held, seats, rng)
        decisions = Decision.objects.bulk_create(
            (
                Decision(item=item, text="The group agreed the recommendations.")
                for item in items
                if item.kind == ItemKind.STANDING
                and item.position == 4
                and item.meeting.status == MeetingStatus.HELD
            ),
            batch_size=BATCH,
        )
        actions, updates = _actions(held, seats, scale, rng, now)
        interests = _interests(seats, rng, today)
        funding = _funding(rng, today)
    return {
        "meetings": len(meetings),
        "agenda items": len(items),
        "decisions": len(decisions),
        "attendance rows": attendance,
        "actions": actions,
        "action updates": updates,
        "declarations of interest": interests,
        "funding contributions": funding,
    }


def _meetings(groups, now, rng) -> list[Meeting]:
    meetings = []
    for group in groups:
        per_year = group.meetings_per_year or 12
        every = dt.timedelta(days=365 // per_year)
        first = now - dt.timedelta(days=365) + dt.timedelta(days=rng.randint(1, 20))
        starts_at = first.replace(hour=10, minute=0, second=0, microsecond=0)
        while starts_at < now + dt.timedelta(days=60):
            past = starts_at + dt.timedelta(hours=2) < now
            meetings.append(
                Meeting(
                    group=group,
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=2),
                    location="Town Hall, Committee Room " + str(rng.randint(1, 4)),
                    status=MeetingStatus.HELD if past else MeetingStatus.SCHEDULED,
                    minutes_status=MinutesStatus.APPROVED if past else MinutesStatus.NOT_STARTED,
                    pack_sent_at=starts_at - dt.timedelta(days=7) if past else None,
                )
            )
            starts_at += every
    meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    # The latest held meeting of each group has draft minutes.
    latest = {}
    for meeting in meetings:
        if meeting.status == MeetingStatus.HELD:
            latest[meeting.group_id] = meeting
    Meeting.objects.filter(pk__in=[m.pk for m in latest.values()]).update(
        minutes_status=MinutesStatus.DRAFT
    )
    for meeting in latest.values():
        meeting.minutes_status = MinutesStatus.DRAFT
    return meetings


def _agendas(meetings) -> list[AgendaItem]:
    items = []
    for meeting in meetings:
        lines = [
            (ItemKind.OPENING, ItemKind.OPENING.label),
            (ItemKind.MINUTES, ItemKind.MINUTES.label),
            (ItemKind.MATTERS_ARISING, ItemKind.MATTERS_ARISING.label),
            *((ItemKind.STANDING, area) for area in meeting.group.effectiveness_areas_list),
            (ItemKind.ANY_OTHER_BUSINESS, ItemKind.ANY_OTHER_BUSINESS.label),
        ]
        for position, (kind, title) in enumerate(lines, start=1):
            items.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    kind=kind,
                    title=title[:200],
                    notes="Discussed; see the decisions." if kind == ItemKind.STANDING else "",
                )
            )
    return AgendaItem.objects.bulk_create(items, batch_size=BATCH)


def _on(seat, day) -> bool:
    return seat.started_on <= day and (seat.ended_on is None or seat.ended_on >= day)


def _attendance(held, seats, rng) -> int:
    rows = []
    statuses = [
        (AttendanceStatus.PRESENT, 82),
        (AttendanceStatus.APOLOGIES, 10),
        (AttendanceStatus.DEPUTY, 4),
        (AttendanceStatus.ABSENT, 4),
    ]
    population, weights = zip(*statuses, strict=True)
    for meeting in held:
        day = meeting.local_date
        seen = set()
        for seat in seats.get(meeting.group_id, []):
            # A member who left and rejoined has two seats: one row a meeting all the same.
            if not _on(seat, day) or seat.person_id in seen:
                continue
            seen.add(seat.person_id)
            status = rng.choices(population, weights)[0]
            rows.append(
                Attendance(
                    meeting=meeting,
                    person_id=seat.person_id,
                    organisation_id=seat.organisation_id,
                    membership=seat,
                    status=status,
                    deputy_name="A nominated deputy" if status == AttendanceStatus.DEPUTY else "",
                    recorded_at=meeting.ends_at,
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _actions(held, seats, scale, rng, now) -> tuple[int, int]:
    if not held:
        return 0, 0
    total = max(1, round(ACTIONS_PER_SCALE * scale))
    numbers: dict[int, int] = {}
    actions = []
    for n in range(total):
        meeting = held[n % len(held)]
        group_seats = seats.get(meeting.group_id) or []
        if not group_seats:
            continue
        owner = rng.choice(group_seats).person
        due_on = meeting.local_date + dt.timedelta(days=rng.choice([14, 28, 42, 56, 90]))
        roll = rng.random()
        if roll < 0.6 and due_on < now.date():
            status = ActionStatus.COMPLETED
        elif roll < 0.65:
            status = ActionStatus.WITHDRAWN
        elif roll < 0.8:
            status = ActionStatus.IN_PROGRESS
        else:
            status = ActionStatus.OPEN
        closed = status in (ActionStatus.COMPLETED, ActionStatus.WITHDRAWN)
        numbers[meeting.group_id] = numbers.get(meeting.group_id, 0) + 1
        actions.append(
            Action(
                group_id=meeting.group_id,
                number=numbers[meeting.group_id],
                raised_at=meeting,
                description=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}",
                owner=owner,
                owner_organisation_id=owner.organisation_id,
                due_on=due_on,
                status=status,
                closed_at=min(now, meeting.ends_at + dt.timedelta(days=rng.randint(7, 60)))
                if closed
                else None,
                created_at=meeting.ends_at,
            )
        )
    actions = Action.objects.bulk_create(actions, batch_size=BATCH)
    updates = []
    for action in actions:
        updates.append(
            ActionUpdate(
                action=action,
                at=action.created_at,
                author_label="Scale data",
                note="Raised at the meeting.",
                status_after=ActionStatus.OPEN,
                due_after=action.due_on,
            )
        )
        if action.status != ActionStatus.OPEN:
            updates.append(
                ActionUpdate(
                    action=action,
                    at=action.closed_at or action.created_at + dt.timedelta(days=7),
                    author_label="Scale data",
                    note="Progress reported.",
                    status_before=ActionStatus.OPEN,
                    status_after=action.status,
                )
            )
    ActionUpdate.objects.bulk_create(updates, batch_size=BATCH)
    return len(actions), len(updates)


def _interests(seats, rng, today) -> int:
    people = {seat.person_id for group_seats in seats.values() for seat in group_seats}
    kinds = list(InterestKind)
    declarations = [
        InterestDeclaration(
            person_id=person_id,
            kind=rng.choice(kinds),
            interest=f"Trustee of a local charity ({rng.randint(1, 400)})",
            declared_on=today - dt.timedelta(days=rng.randint(1, 700)),
        )
        for person_id in sorted(people)
        if rng.random() < 0.4
    ]
    InterestDeclaration.objects.bulk_create(declarations, batch_size=BATCH)
    return len(declarations)


def _funding(rng, today) -> int:
    organisations = Organisation.objects.filter(
        slug__startswith=PREFIX,
        kind__in=[OrganisationKind.SAFEGUARDING_PARTNER, OrganisationKind.RELEVANT_AGENCY],
    )
    this_year = int(financial_year_of(today)[:4])
    rows = []
    for organisation in organisations:
        base = Decimal(
            rng.choice([80000, 60000, 40000])
            if organisation.kind == OrganisationKind.SAFEGUARDING_PARTNER
            else rng.choice([2500, 5000, 7500])
        )
        for year in range(this_year - 2, this_year + 1):
            received = base if year < this_year else base * Decimal(rng.choice([0, 0.5, 1]))
            rows.append(
                FundingContribution(
                    organisation=organisation,
                    financial_year=f"{year}/{(year + 1) % 100:02d}",
                    agreed_amount=base,
                    received_amount=received.quantize(Decimal("0.01")),
                )
            )
    FundingContribution.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


@transaction.atomic
def reset_meetings() -> dict[str, int]:
    """Delete the governance scale rows (call before the scale groups and people go)."""
    deleted: dict[str, int] = {}

    def delete(queryset) -> None:
        for label, count in queryset.delete()[1].items():
            deleted[label] = deleted.get(label, 0) + count

    scale_group = Q(group__slug__startswith=PREFIX)
    scale_person = Q(person__organisation__slug__startswith=PREFIX)
    delete(AttendanceLetter.objects.filter(scale_group | scale_person))
    delete(ActionUpdate.objects.filter(action__group__slug__startswith=PREFIX))
    delete(Action.objects.filter(scale_group | Q(owner__organisation__slug__startswith=PREFIX)))
    delete(ItemDeclaration.objects.filter(item__meeting__group__slug__startswith=PREFIX))
    delete(ItemDeclaration.objects.filter(scale_person))
    delete(Attendance.objects.filter(Q(meeting__group__slug__startswith=PREFIX) | scale_person))
    delete(Paper.objects.filter(meeting__group__slug__startswith=PREFIX))
    scale_meetings_qs = Meeting.objects.filter(scale_group)
    scale_meetings_qs.update(minutes_approved_at=None)
    delete(scale_meetings_qs)
    delete(InterestDeclaration.objects.filter(scale_person))
    delete(FundingContribution.objects.filter(organisation__slug__startswith=PREFIX))
    return deleted
