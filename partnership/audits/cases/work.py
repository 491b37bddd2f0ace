"""What the case audits have waiting for one person (docs/adr/0011): the audit forms of
theirs still to return, the actions they own, and (for whoever manages an audit) actions
whose evidence is in for sign-off. Read through the scoped querysets, in three queries."""

import datetime as dt

from django.db.models import Q
from django.urls import reverse

from partnership.lib.work_items import ActionSource, WorkItem, WorkKind

from .models import (
    CaseActionStatus,
    CaseAgency,
    CaseAudit,
    CaseAuditAction,
    CaseAuditStatus,
    CasePartStatus,
)

MODULE = "Case audits"


def items_waiting_for(user, *, today: dt.date) -> list[WorkItem]:
    if not user.has_perm("audits.view_case_audits"):
        return []
    items = []
    # Audit forms out with the agencies: the person's own (named), else their agency's.
    mine = Q(auditor=user) | Q(auditor__isnull=True, organisation_id=user.organisation_id or 0)
    parts = (
        CaseAgency.objects.visible_to(user)
        .filter(
            mine, status=CasePartStatus.AWAITED, case__audit__status=CaseAuditStatus.DISTRIBUTED
        )
        .select_related("case__audit", "organisation")
    )
    for part in parts:
        items.append(
            WorkItem(
                kind=WorkKind.RETURN,
                module=MODULE,
                title=f"Audit form for case {part.case.reference}: {part.case.audit.title}",
                url=part.get_absolute_url(),
                due_on=part.case.audit.returns_due_on,
                detail=part.organisation.name,
                key=f"audits.case_part:{part.pk}",
            )
        )
    actions = CaseAuditAction.objects.visible_to(user).select_related("recommendation__audit")
    for action in actions.filter(owner=user).exclude(status=CaseActionStatus.SIGNED_OFF):
        items.append(
            WorkItem(
                kind=WorkKind.ACTION,
                module=MODULE,
                title=action.description,
                url=action.get_absolute_url(),
                due_on=action.due_on,
                detail=action.recommendation.audit.title,
                key=f"audits.case_action:{action.pk}",
            )
        )
    managed = CaseAudit.objects.visible_to(user)
    if not user.has_role("business_unit"):
        managed = managed.filter(lead=user)
    for action in actions.filter(
        status=CaseActionStatus.EVIDENCE_SUBMITTED, recommendation__audit__in=managed
    ):
        items.append(
            WorkItem(
                kind=WorkKind.SIGN_OFF,
                module=MODULE,
                title=f"Sign off: {action.description}",
                url=action.get_absolute_url(),
                due_on=action.due_on,
                detail=action.recommendation.audit.title,
                key=f"audits.case_action_sign_off:{action.pk}",
            )
        )
    return items


def action_url(row) -> str:
    return reverse(
        "audits:case_audit_action", kwargs={"pk": row["w_parent"], "action": row["w_pk"]}
    )


MY_ACTIONS = ActionSource(
    module="case_audits",
    label="Case audits",
    rows=lambda user: CaseAuditAction.objects.visible_to(user).filter(owner=user),
    title="description",
    done_statuses=(CaseActionStatus.SIGNED_OFF,),
    status_labels=dict(CaseActionStatus.choices),
    url=action_url,
    parent="recommendation__audit_id",
)
