"""What the business plan has waiting for one person: the plan actions they own that are
still open (docs/adr/0011). Scoped by `Action.objects.visible_to(user)`."""

import datetime as dt

from django.urls import reverse

from partnership.lib.work_items import ActionSource, WorkItem, WorkKind

from .models import Action, ActionStatus


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not user.has_perm("plans.view_plan"):
        return []
    return [
        WorkItem(
            kind=WorkKind.ACTION,
            module="Business plan",
            title=action.title,
            url=action.get_absolute_url(),
            due_on=action.due_on,
            detail=action.outcome.priority.priority.name,
            key=f"plans.action:{action.pk}",
        )
        for action in Action.objects.visible_to(user)
        .unfinished()
        .filter(owner__user=user)
        .select_related("outcome__priority__priority")
    ]


def action_url(row) -> str:
    return reverse("plans:action", kwargs={"pk": row["w_pk"]})


MY_ACTIONS = ActionSource(
    module="plans",
    label="Business plan",
    rows=lambda user: Action.objects.visible_to(user).filter(owner__user=user),
    title="title",
    done_statuses=(ActionStatus.COMPLETE, ActionStatus.CARRIED_OVER),
    status_labels=dict(ActionStatus.choices),
    url=action_url,
)
