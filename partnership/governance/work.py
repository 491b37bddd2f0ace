"""What governance has waiting for one person, for the "Your work" page (docs/adr/0011).

- the open actions of the action log they own;
- the papers for the next meeting of each group they sit on, once it has papers;
- a declaration of interests to make, when they sit on a group that meets within
  `NEXT_MEETING_DAYS` and have declared nothing on their register for a year;
- for the independent chair, each drafted letter to a chief officer waiting for their approval.

Every read goes through the module's scopes (`Action.objects.visible_to`,
`Meeting.objects.visible_to`, `Paper.objects.visible_to`), in a fixed number of queries.
"""

import datetime as dt

from django.db.models import Count, Q, TextField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from partnership.lib.work_items import ActionSource, WorkItem, WorkKind

from .models import (
    Action,
    ActionStatus,
    AttendanceLetter,
    InterestDeclaration,
    LetterStatus,
    Meeting,
    Paper,
)
from .scopes import group_ids

MODULE = "Meetings"
NEXT_MEETING_DAYS = 28
# A member is asked to look at their register once a year, before a meeting (ADR 11).
REGISTER_DAYS = 365


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not user.has_perm("governance.view_actions"):
        return []
    items = [
        WorkItem(
            kind=WorkKind.ACTION,
            module="Action log",
            title=f"{action.reference}: {action.description.splitlines()[0][:120]}",
            url=action.get_absolute_url(),
            due_on=action.due_on,
            detail=action.group.name,
            key=f"governance.action:{action.pk}",
        )
        for action in Action.objects.visible_to(user)
        .open()
        .filter(owner__user=user)
        .select_related("group")
        .order_by("due_on", "pk")
    ]
    items += _meeting_items(user, today)
    items += _letters_to_approve(user)
    return items


def _letters_to_approve(user) -> list[WorkItem]:
    """The chair's letters to chief officers, drafted for them to edit and approve."""
    if not user.has_perm("governance.approve_letters"):
        return []
    return [
        WorkItem(
            kind=WorkKind.SIGN_OFF,
            module=MODULE,
            title=f"Approve the letter to {letter.chief_officer.full_name} about "
            f"{letter.person.full_name}",
            url=letter.get_absolute_url(),
            due_on=None,
            detail=letter.group.name,
            key=f"governance.letter:{letter.pk}",
        )
        for letter in AttendanceLetter.objects.filter(status=LetterStatus.DRAFT)
        .select_related("chief_officer", "person", "group")
        .order_by("created_at", "pk")
    ]


def _meeting_items(user, today: dt.date) -> list[WorkItem]:
    groups = group_ids(user)
    if not groups or not user.has_perm("governance.view_meeting"):
        return []
    now = timezone.now()
    visible_papers = Paper.objects.visible_to(user).values("pk")
    meetings = (
        Meeting.objects.visible_to(user)
        .upcoming(now)
        .filter(group_id__in=groups)
        .select_related("group")
        .annotate(paper_count=Count("papers", filter=Q(papers__in=visible_papers)))
        .order_by("starts_at", "pk")
    )
    next_of_group: dict[int, Meeting] = {}
    for meeting in meetings:
        next_of_group.setdefault(meeting.group_id, meeting)
    items = [
        WorkItem(
            kind=WorkKind.PAPERS,
            module=MODULE,
            title=f"Read the papers for {meeting}",
            url=meeting.get_absolute_url(),
            due_on=meeting.local_date,
            detail=f"{meeting.paper_count} paper{'s' if meeting.paper_count != 1 else ''}",
            key=f"governance.papers:{meeting.pk}",
        )
        for meeting in next_of_group.values()
        if meeting.paper_count
    ]
    soon = [
        meeting
        for meeting in next_of_group.values()
        if meeting.local_date <= today + dt.timedelta(days=NEXT_MEETING_DAYS)
    ]
    if soon:
        person = getattr(user, "person", None)
        since = today - dt.timedelta(days=REGISTER_DAYS)
        declared = (
            person is not None
            and InterestDeclaration.objects.filter(person=person, declared_on__gte=since).exists()
        )
        if person is not None and not declared:
            first = min(soon, key=lambda meeting: meeting.starts_at)
            items.append(
                WorkItem(
                    kind=WorkKind.DECLARATION,
                    module=MODULE,
                    title="Bring your register of interests up to date",
                    url=reverse("governance:member", kwargs={"pk": person.pk}),
                    due_on=first.local_date,
                    detail=f"Nothing declared since {since:%-d %B %Y}; before {first}",
                    key=f"governance.declaration:{person.pk}:{first.pk}",
                )
            )
    return items


# My actions ------------------------------------------------------------------------------


def action_url(row) -> str:
    return reverse("governance:action", kwargs={"pk": row["w_pk"]})


MY_ACTIONS = ActionSource(
    module="governance",
    label="Action log",
    rows=lambda user: Action.objects.visible_to(user).filter(owner__user=user),
    title=Concat("group__name", Value(": "), "description", output_field=TextField()),
    done_statuses=(ActionStatus.COMPLETED, ActionStatus.WITHDRAWN),
    status_labels=dict(ActionStatus.choices),
    url=action_url,
)
