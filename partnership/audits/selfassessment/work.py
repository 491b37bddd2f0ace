"""What the self-assessments have waiting for one person, for "Your work" (docs/adr/0011):
the open action plan items they own, on standards their organisation has not met. Read
through the scoped `ActionPlanItem.objects.visible_to(user)`, in one query."""

import datetime as dt

from partnership.lib.work_items import WorkItem, WorkKind

from .models import ActionPlanItem, ActionStatus


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not user.agency_ids:
        return []
    actions = (
        ActionPlanItem.objects.visible_to(user)
        .filter(owner=user, status=ActionStatus.OPEN)
        .select_related("answer__standard", "answer__assessment__cycle")
        .order_by("due_on", "pk")
    )
    return [
        WorkItem(
            kind=WorkKind.ACTION,
            module="Audits",
            title=f"Standard {item.answer.standard.code}: {item.answer.standard.title}",
            url=item.get_absolute_url(),
            due_on=item.due_on,
            detail=f"Action plan, {item.answer.assessment.cycle.name}",
            key=f"audits.self_assessment_action:{item.pk}",
        )
        for item in actions
    ]
