"""The governance part of the Knowsley demo: a year of the four groups' business.

`build(organisations, users)` (after the directory, the groups and the personas) adds the
strategic priorities, a year of meetings with agendas, papers, attendance, minutes and
actions, the register of interests, and the partners' funding from 2018/19 (£0.268m, seed 002)
up to the current financial year. Dates are relative to today, so the demo always shows a
current year; every meeting is on a working day (a date that falls on a weekend or bank
holiday moves to the next working day). It goes through the services (so the audit trail is
as real as the rest), and runs the daily sweep at the end.

What a visitor should find:
- Lisa Moran (Youth Offending Service) is the one member below 75%: she missed three
  Review and Learning Group meetings in a row, so a letter to her chief officer is drafted.
- One deputy attended the Core Business Group; one member sent apologies here and there.
- The three groups that meet "at least every two months" (seed 002) have that cadence in
  calendar months, and meet every seven weeks; the Policy and Performance Review Group has no
  next meeting, so its cadence is flagged.
- Every Strategic Forum meeting has its theme; the Forum's meetings are counted by year.
- Every meeting already held shows its agenda pack as sent, five working days before.
- The Review and Learning Group's next meeting has papers, one of them restricted.

Idempotent: once the groups have meetings, it adds nothing more.
"""

import datetime as dt
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from partnership.directory.models import Organisation, Person
from partnership.lib.clocks import working_days_before
from partnership.lib.working_days import is_working_day
from partnership.trail.actors import Actor

from . import services
from .models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AttendanceStatus,
    DeclarationOutcome,
    FundingContribution,
    Group,
    InterestKind,
    ItemKind,
    Meeting,
    MinutesStatus,
    Priority,
    financial_year_of,
)
from .samples import simple_docx, simple_pdf, simple_xlsx

PRIORITIES = [
    # (name, slug, thematic lead, rotation order, in force from)
    ("Domestic abuse", "domestic-abuse", "Knowsley Council", 1, None),
    ("Neglect", "neglect", "Knowsley Clinical Commissioning Group", 2, None),
    ("Child exploitation", "child-exploitation", "Merseyside Police", 3, None),
    (
        "Children's mental wellbeing",
        "childrens-mental-wellbeing",
        "Knowsley Clinical Commissioning Group",
        4,
        dt.date(2020, 4, 1),
    ),
]

# Seed 002 gives only the total for 2018/19 (£0.268m); the split between partners is invented,
# and so are the later years, which repeat it.
FUNDING_2018 = [
    ("Knowsley Council", "118000.00"),
    ("Knowsley Clinical Commissioning Group", "80000.00"),
    ("Merseyside Police", "50000.00"),
    ("National Probation Service", "5000.00"),
    ("Merseyside Community Rehabilitation Company (Interserve)", "5000.00"),
    ("Knowsley Housing Trust", "5000.00"),
    ("Merseyside Fire and Rescue Service", "5000.00"),
]
FIRST_FUNDING_YEAR = 2018
SEED_RECEIVED_ON = dt.date(2018, 6, 29)

# Seed 002: these meet "at least every two months" (two calendar months, not nine weeks).
EVERY_TWO_MONTHS = [
    "core-business-group",
    "review-and-learning-group",
    "policy-and-performance-group",
]

# (group slug, days since its last meeting, days between meetings, past meetings, next ones).
# Seven weeks apart keeps every gap inside two calendar months even when a meeting moves
# off a bank holiday (two months can be as short as 59 days, across February).
SCHEDULE = [
    ("strategic-forum", 40, 119, 3, 1),
    ("core-business-group", 12, 49, 6, 2),
    ("review-and-learning-group", 20, 49, 6, 2),
    # No next meeting: the demo's cadence flag.
    ("policy-and-performance-group", 33, 49, 6, 0),
]

# Agenda packs go out this many working days before the meeting.
PACK_WORKING_DAYS = 5

LOW_ATTENDER = ("review-and-learning-group", "Lisa Moran")
# Oldest meeting first: 3 of 6, with three missed in a row.
LOW_ATTENDER_REGISTER = ["present", "present", "apologies", "absent", "apologies", "present"]

NOTES = [
    "The group discussed the report and noted the progress made since the last meeting.",
    "Members raised questions about the consistency of practice across agencies; the lead "
    "agreed to bring further detail.",
    "The group welcomed the update and agreed the next steps set out in the paper.",
]
ACTIONS = [
    "Circulate the revised multi-agency audit tool to all members",
    "Bring a report on the themes from recent rapid reviews",
    "Confirm each agency's named lead for the neglect strategy",
    "Share the learning briefing with front-line managers",
    "Update the data set with the new indicators for child exploitation",
    "Review the threshold guidance against the latest Working Together",
    "Arrange front-line visits for the independent chair",
    "Report on the take-up of multi-agency training by schools",
]


def build(organisations: dict[str, Organisation], users: dict) -> None:
    """Add the governance demo. Idempotent."""
    with transaction.atomic():
        priorities = _priorities(organisations)
        Group.objects.filter(slug="strategic-forum").update(themed_meetings=True)
        # The directory's groups may still say 9 weeks (migration 0004 moves saved ones).
        Group.objects.filter(slug__in=EVERY_TWO_MONTHS, max_weeks_between_meetings=9).update(
            max_weeks_between_meetings=None, max_months_between_meetings=2
        )
        # The business unit's persona records the year, as it would through the pages.
        actor = Actor.for_user(users["business_unit"])
        _funding(organisations, actor)
        groups = {group.slug: group for group in Group.objects.filter(slug__in=_slugs())}
        if len(groups) < len(SCHEDULE):
            return
        if Meeting.objects.filter(group__in=groups.values()).exists():
            return
        rng = random.Random(2019)
        for slug, since, every, past, upcoming in SCHEDULE:
            _year_of_meetings(groups[slug], since, every, past, upcoming, priorities, actor, rng)
        _interests(actor, users)
        _pack_emails(groups["review-and-learning-group"], actor)
    # The sweep runs in its own transactions, as it does every morning.
    from .tasks import daily_sweep

    daily_sweep.call()


def _slugs():
    return [slug for slug, *_ in SCHEDULE]


def _priorities(organisations) -> list[Priority]:
    priorities = []
    for name, slug, lead, order, active_from in PRIORITIES:
        priority, _ = Priority.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "thematic_lead": organisations.get(lead),
                "rotation_order": order,
                "active_from": active_from,
            },
        )
        priorities.append(priority)
    return priorities


def _funding(organisations, actor: Actor) -> None:
    """Every financial year from 2018/19 to the current one.

    2018/19 as the seed gives it, all received; each later year the same, received in full on
    the first working day of July; the current year likewise if that day has come (the
    police then have paid half), otherwise agreed and nothing received yet.
    """
    today = timezone.localdate()
    current = int(financial_year_of(today)[:4])
    for start in range(FIRST_FUNDING_YEAR, current + 1):
        year = f"{start}/{(start + 1) % 100:02d}"
        received_on = (
            SEED_RECEIVED_ON if start == FIRST_FUNDING_YEAR else _working_day(dt.date(start, 7, 1))
        )
        if received_on > today:
            received_on = None
        for name, amount in FUNDING_2018:
            organisation = organisations.get(name)
            if (
                organisation is None
                or FundingContribution.objects.filter(
                    organisation=organisation, financial_year=year
                ).exists()
            ):
                continue
            received = Decimal(amount) if received_on else Decimal(0)
            if start == current and name == "Merseyside Police":
                received = received / 2
            services.funding_save(
                contribution=FundingContribution(
                    organisation=organisation,
                    financial_year=year,
                    agreed_amount=Decimal(amount),
                    received_amount=received,
                    received_on=received_on,
                ),
                actor=actor,
            )


def _working_day(day: dt.date) -> dt.date:
    """Meetings (and payments) are on working days: a weekend or bank holiday moves to the
    next working day."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _year_of_meetings(group, since, every, past, upcoming, priorities, actor: Actor, rng):
    today = timezone.localdate()
    last = today - dt.timedelta(days=since)
    days = [last - dt.timedelta(days=every * n) for n in range(past - 1, -1, -1)]
    days += [last + dt.timedelta(days=every * n) for n in range(1, upcoming + 1)]
    meetings = []
    for day in days:
        day = _working_day(day)
        meetings.append(
            services.meeting_schedule(
                group=group,
                starts_at=_at(day, 10),
                ends_at=_at(day, 12),
                location="Huyton Municipal Buildings, Committee Room 1"
                if group.slug != "strategic-forum"
                else "Kirkby Gallery, Kirkby Centre",
                priority=services.next_priority(group, on=day),
                actor=actor,
            )
        )
    held = [meeting for meeting in meetings if meeting.starts_at < timezone.now()]
    for index, meeting in enumerate(held):
        _send_pack(meeting, actor)
        _hold(meeting, index, len(held), actor, rng)
        if index:
            services.minutes_approve(meeting=held[index - 1], at_meeting=meeting, actor=actor)
            Meeting.objects.filter(pk=held[index - 1].pk).update(
                minutes_approved_on=meeting.local_date
            )
    _close_old_actions(group, held, actor)
    upcoming_meetings = [meeting for meeting in meetings if meeting not in held]
    if upcoming_meetings:
        _papers(upcoming_meetings[0], actor)


def _send_pack(meeting: Meeting, actor: Actor) -> None:
    """The pack of a meeting already held went to the members before it (recorded as the
    sending task records it, then dated 5 working days before the meeting, at 9am)."""
    recipients = [person.email for person in services.pack_recipients(meeting)]
    services.pack_mark_sent(meeting=meeting, recipients=recipients, actor=actor)
    sent_at = _at(working_days_before(meeting.local_date, PACK_WORKING_DAYS), 9)
    Meeting.objects.filter(pk=meeting.pk).update(pack_sent_at=sent_at)
    meeting.pack_sent_at = sent_at


def _pack_emails(group: Group, actor: Actor) -> None:
    """The emails of the last agenda pack the group was sent, in the outbox as the worker
    left them: delivered, except one member's, which the mail server refused five times (the
    business unit can retry it from the meeting page or the Sent email page)."""
    from django.template.loader import render_to_string

    from partnership.outbox.models import DeliveryAttempt, EmailStatus, OutgoingEmail
    from partnership.outputs.links import absolute_url

    from .documents import build_agenda_pack
    from .mail import PACK_KIND, pack_recipients

    meeting = (
        Meeting.objects.filter(
            group=group, starts_at__lt=timezone.now(), pack_sent_at__isnull=False
        )
        .order_by("-starts_at")
        .first()
    )
    if meeting is None:
        return
    pack = build_agenda_pack(meeting, include_restricted=True)
    filename = f"agenda-pack-{meeting.local_date:%Y-%m-%d}.pdf"
    attachment = {"filename": filename, "mimetype": "application/pdf", "content": _b64(pack.pdf)}
    recipients = pack_recipients(meeting)
    for number, person in enumerate(recipients):
        failed = number == len(recipients) - 1
        # The outbox's waits after each failure: 5, 10, 20 and 40 minutes.
        tries = [0, 5, 15, 35, 75] if failed else [0]
        email = OutgoingEmail.objects.create(
            to=person.email,
            subject=f"Agenda pack: {meeting.title}",
            text=render_to_string(
                "governance/email/agenda_pack.txt",
                {
                    "meeting": meeting,
                    "person": person,
                    "pack": pack,
                    "link": absolute_url(meeting.get_absolute_url()),
                },
            ),
            attachments=[attachment],
            kind=PACK_KIND,
            related=meeting,
            batch=f"agenda-pack:{meeting.pk}:1",
            status=EmailStatus.FAILED if failed else EmailStatus.SENT,
            attempts=5 if failed else 1,
            queued_at=meeting.pack_sent_at,
            last_attempt_at=meeting.pack_sent_at + dt.timedelta(minutes=tries[-1]),
            sent_at=None if failed else meeting.pack_sent_at + dt.timedelta(seconds=number + 1),
            last_error="SMTPRecipientsRefused: 550 mailbox unavailable" if failed else "",
            queued_by=actor.user,
            queued_by_label=actor.label,
            queued_by_kind=str(actor.kind),
        )
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                email=email,
                at=meeting.pack_sent_at + dt.timedelta(minutes=minutes, seconds=number + 1),
                outcome="failed" if failed else "sent",
                error=email.last_error,
            )
            for minutes in tries
        )


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _hold(meeting: Meeting, index: int, count: int, actor: Actor, rng) -> None:
    """Attendance, minutes and actions for a meeting that has taken place."""
    seats = services.meeting_register(meeting)
    absentees = set()
    if meeting.group.slug != "strategic-forum" and len(seats) > 3 and index in (1, 4):
        # Now and then a member sends apologies: two different members, once each a year.
        absentees.add(seats[(3 + (len(seats) // 2 if index == 4 else 0)) % len(seats)].person_id)
    entries = []
    for seat in seats:
        status, deputy = AttendanceStatus.PRESENT, ""
        if (meeting.group.slug, seat.person.full_name) == LOW_ATTENDER:
            status = LOW_ATTENDER_REGISTER[index - (count - len(LOW_ATTENDER_REGISTER))]
        elif seat.person_id in absentees:
            status = AttendanceStatus.APOLOGIES
        elif (
            meeting.group.slug == "core-business-group"
            and index == 2
            and seat.person.full_name == "Mark Fenwick"
        ):
            status, deputy = AttendanceStatus.DEPUTY, "Sue Hartley, Deputy Head of Education"
        entries.append((seat, status, deputy))
    services.attendance_record(meeting=meeting, entries=entries, actor=actor)
    items = list(meeting.items.all())
    notes, decisions = {}, {}
    for item in items:
        if item.kind in (ItemKind.STANDING, ItemKind.THEMATIC_REPORT):
            notes[item.pk] = rng.choice(NOTES)
    themed = next((i for i in items if i.kind == ItemKind.THEMATIC_REPORT), None)
    if themed is not None:
        decisions[themed.pk] = [
            f"The Forum accepted the thematic lead's report on {meeting.priority}."
        ]
    first_standing = next(i for i in items if i.kind in (ItemKind.STANDING, ItemKind.OTHER))
    decisions.setdefault(first_standing.pk, []).append("The group agreed the recommendations.")
    services.minutes_save(meeting=meeting, notes=notes, decisions=decisions, actor=actor)
    owners = [seat.person for seat in seats if seat.role != "adviser"] or [s.person for s in seats]
    for n in range(2):
        services.action_create(
            meeting=meeting,
            item=first_standing,
            description=ACTIONS[(index * 2 + n + len(meeting.group.name)) % len(ACTIONS)],
            owner=rng.choice(owners),
            due_on=meeting.local_date + dt.timedelta(days=rng.choice([28, 42, 70])),
            actor=actor,
        )


def _close_old_actions(group, held, actor: Actor) -> None:
    """Most actions from before the last two meetings are done; a few run late."""
    if len(held) < 3:
        return
    old = Action.objects.filter(group=group, raised_at__in=held[:-2]).order_by("number")
    for n, action in enumerate(old):
        if n % 4 == 3:
            continue  # still open, and overdue
        services.action_update(
            action=action,
            note="Done: reported to the group.",
            status=ActionStatus.COMPLETED,
            actor=actor,
        )
        # Closed a week before the next meeting, which noted it done.
        following = next(m for m in held if m.starts_at > action.raised_at.starts_at)
        closed_at = following.starts_at - dt.timedelta(days=7)
        Action.objects.filter(pk=action.pk).update(closed_at=closed_at)
        ActionUpdate.objects.filter(action=action, status_after=ActionStatus.COMPLETED).update(
            at=closed_at
        )


def _papers(meeting: Meeting, actor: Actor) -> None:
    standing = [item for item in meeting.items.all() if item.kind == ItemKind.STANDING]
    papers = [
        (
            standing[0],
            "Quarterly performance report",
            "performance-report.pdf",
            simple_pdf(
                [
                    ["Quarterly performance report", "", "Key points from the data set."],
                    ["Appendix: indicators", "", "Referrals, assessments and plans."],
                ]
            ),
            False,
        ),
        (
            standing[1 % len(standing)],
            "Work plan update",
            "work-plan.docx",
            simple_docx("Work plan update", ["Progress against the group's work plan."]),
            False,
        ),
        (
            standing[2 % len(standing)],
            "Training data",
            "training-data.xlsx",
            simple_xlsx("Training", [["Course", "Places", "Attended"], ["Neglect", 30, 27]]),
            False,
        ),
    ]
    if meeting.group.slug == "review-and-learning-group":
        papers.append(
            (
                standing[1 % len(standing)],
                "Rapid review summary: Child K",
                "rapid-review-child-k.pdf",
                simple_pdf([["Rapid review summary: Child K", "", "Restricted to members."]]),
                True,
            )
        )
    for item, title, name, data, restricted in papers:
        services.paper_upload(
            item=item,
            title=title,
            upload=ContentFile(data, name=name),
            restricted=restricted,
            actor=actor,
        )


def _interests(actor: Actor, users: dict) -> None:
    entries = [
        ("Naomi Clarke", InterestKind.PROFESSIONAL, "Trustee of Knowsley Foodbank"),
        ("Karen Whitfield", InterestKind.FINANCIAL, "Shareholder in a local building contractor"),
        ("Dr Aisha Rahman", InterestKind.PROFESSIONAL, "Designated nurse for a neighbouring ICB"),
        (
            "Lisa Moran",
            InterestKind.FAMILY,
            "Partner works for Knowsley Council Children's Services",
        ),
    ]
    for full_name, kind, interest in entries:
        person = Person.objects.filter(full_name=full_name).first()
        if person is not None:
            services.interest_declare(
                person=person,
                kind=kind,
                interest=interest,
                declared_on=timezone.localdate() - dt.timedelta(days=200),
                actor=actor,
            )
    meeting = (
        Meeting.objects.filter(
            group__slug="review-and-learning-group", minutes_status=MinutesStatus.DRAFT
        )
        .order_by("-starts_at")
        .first()
    )
    aisha = Person.objects.filter(full_name="Dr Aisha Rahman").first()
    if meeting is not None and aisha is not None:
        item = meeting.items.filter(kind=ItemKind.STANDING).order_by("position")[1]
        services.item_declaration_record(
            item=item,
            person=aisha,
            interest="Involved in the case as designated nurse",
            outcome=DeclarationOutcome.WITHDREW,
            actor=actor,
        )
    member = users.get("group_member")
    if meeting is not None and member is not None:
        # The draft went to members for comment (no email from the demo); one has replied.
        Meeting.objects.filter(pk=meeting.pk).update(minutes_circulated_at=timezone.now())
        meeting.refresh_from_db()
        services.minutes_comment_add(
            meeting=meeting,
            text="Item 5: please record that NWBH will share the learning with the GP "
            "practices, as agreed at the meeting.",
            actor=Actor.for_user(member),
        )
