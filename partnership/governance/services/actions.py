"""Actions raised at meetings and their history."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from partnership.accounts.models import Role
from partnership.directory.models import Person
from partnership.directory.services import person_invite
from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record

from ..models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgendaItem,
    Group,
    Meeting,
    MinutesStatus,
)

# Actions ------------------------------------------------------------------------------

# Someone invited to own an action joins as a group member: an agency's representative,
# who needs an authenticator and sees the actions they own.
INVITED_OWNER_ROLE = Role.GROUP_MEMBER


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
def action_create_inviting_owner(
    *,
    meeting: Meeting,
    description: str,
    new_owner: dict,
    due_on: dt.date,
    item: AgendaItem | None = None,
    actor: Actor,
) -> Action:
    """Raise an action owned by someone not yet in the partnership's lists: add them to the
    directory, invite them to an account (as a group member) and make them the owner, all
    or nothing. `new_owner` holds full_name, email, organisation and job_title."""
    owner = person_invite(**new_owner, roles=[(INVITED_OWNER_ROLE, None)], actor=actor)
    return action_create(
        meeting=meeting,
        description=description,
        owner=owner,
        due_on=due_on,
        item=item,
        actor=actor,
    )


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
