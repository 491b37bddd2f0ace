"""What the performance framework has waiting for one person, for "Your work"
(docs/adr/0011): their organisation's data returns not yet in, for periods that have ended.

They are shown to whoever the daily sweep chases for them (`tasks._recipients`): the
organisation's data submitters or, where it has none, its partner lead and group members.
Scoped by `DataReturn.objects.visible_to(user)`, in at most two queries.
"""

import datetime as dt

from partnership.accounts.models import Role, User
from partnership.lib.work_items import WorkItem, WorkKind

from .models import DataReturn, ReturnStatus

OUTSTANDING = (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.LATE)


def sends_returns(user) -> bool:
    """Whether the daily sweep chases `user` for their organisation's returns."""
    if not user.organisation_id:
        return False
    if user.has_role(Role.DATA_SUBMITTER):
        return True
    if not user.has_role(Role.PARTNER_LEAD, Role.GROUP_MEMBER):
        return False
    return not User.objects.filter(
        organisation_id=user.organisation_id,
        is_active=True,
        role_grants__role=Role.DATA_SUBMITTER,
    ).exists()


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not sends_returns(user):
        return []
    returns = (
        DataReturn.objects.visible_to(user)
        .filter(
            organisation_id=user.organisation_id,
            status__in=OUTSTANDING,
            period__end__lt=today,
        )
        .select_related("period", "organisation")
        .order_by("period__due_on", "pk")
    )
    return [
        WorkItem(
            kind=WorkKind.RETURN,
            module="Performance",
            title=f"Data return for {data_return.period.label}",
            url=data_return.get_absolute_url(),
            due_on=data_return.period.due_on,
            detail=f"{data_return.organisation.name}: {data_return.get_status_display()}",
            key=f"performance.return:{data_return.pk}",
        )
        for data_return in returns
    ]
