"""Writes to the business plan, each in one transaction with its audit entry.

Views call these; they hold the rules. Every function is keyword-only. A rule broken here
raises `ValidationError`, which the views show as a form error: nothing is saved.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.forms.models import model_to_dict

from partnership.audit.models import Action as AuditAction
from partnership.audit.services import audit_record, diff

from .models import (
    Action,
    ActionStatus,
    Outcome,
    Plan,
    PlanPriority,
    ProgressUpdate,
    RagRating,
    Statement,
    StatementKind,
)

PLAN_FIELDS = ["title", "slug", "starts_on", "ends_on", "vision", "mission", "status"]
ACTION_FIELDS = ["title", "owner", "owner_organisation", "due_on", "measure_of_success"]


def _check_period(plan: Plan) -> None:
    if plan.starts_on and plan.ends_on and plan.ends_on <= plan.starts_on:
        raise ValidationError("The end date must be after the start date", code="ends_before_start")


@transaction.atomic
def plan_save(
    *,
    plan: Plan,
    enablers: list[str],
    principles: list[str],
    key_outcomes: list[str],
    actor,
    request=None,
) -> Plan:
    """Create or change a plan, and replace its enablers, principles and key outcomes."""
    _check_period(plan)
    creating = plan.pk is None
    before = {} if creating else model_to_dict(Plan.objects.get(pk=plan.pk), fields=PLAN_FIELDS)
    plan.save()
    Statement.objects.filter(plan=plan).delete()
    Statement.objects.bulk_create(
        Statement(plan=plan, kind=kind, text=text, position=position)
        for kind, texts in (
            (StatementKind.ENABLER, enablers),
            (StatementKind.PRINCIPLE, principles),
            (StatementKind.KEY_OUTCOME, key_outcomes),
        )
        for position, text in enumerate(texts, start=1)
    )
    after = model_to_dict(plan, fields=PLAN_FIELDS)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=plan,
        request=request,
        changes=diff(before, after) if not creating else None,
        summary=f"{'Created' if creating else 'Changed'} the business plan {plan.title}",
    )
    return plan


@transaction.atomic
def priority_save(*, plan_priority: PlanPriority, actor, request=None) -> PlanPriority:
    """Add a priority to a plan (or change its lead)."""
    creating = plan_priority.pk is None
    if creating:
        if PlanPriority.objects.filter(
            plan=plan_priority.plan, priority=plan_priority.priority
        ).exists():
            raise ValidationError("The plan already has this priority", code="duplicate")
        last = plan_priority.plan.priorities.aggregate(last=Max("position"))["last"] or 0
        plan_priority.position = last + 1
    plan_priority.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=plan_priority,
        request=request,
        summary=f"{'Added' if creating else 'Changed'} the priority {plan_priority.priority.name}"
        f" in {plan_priority.plan.title}",
    )
    return plan_priority


@transaction.atomic
def outcome_add(*, priority: PlanPriority, text: str, actor, request=None) -> Outcome:
    """Add an outcome ("how will we achieve it") to a priority, at the end."""
    last = priority.outcomes.aggregate(last=Max("position"))["last"] or 0
    outcome = Outcome.objects.create(priority=priority, text=text, position=last + 1)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=outcome,
        request=request,
        summary=f"Added an outcome to {priority.name} in {priority.plan.title}",
    )
    return outcome


@transaction.atomic
def action_save(
    *, action: Action, recommendations=None, indicators=None, actor, request=None
) -> Action:
    """Create or change an action. It must have an owner (a person and their organisation)."""
    if action.owner_id is None:
        raise ValidationError("Select who owns the action", code="no_owner")
    if action.owner_organisation_id is None:
        action.owner_organisation_id = action.owner.organisation_id
    if action.due_on is None:
        raise ValidationError("Enter the date the action is due", code="no_due_date")
    creating = action.pk is None
    before = (
        {} if creating else model_to_dict(Action.objects.get(pk=action.pk), fields=ACTION_FIELDS)
    )
    if creating:
        action.created_by = actor
    action.save()
    if recommendations is not None:
        action.recommendations.set(recommendations)
    if indicators is not None:
        action.indicators.set(indicators)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=action,
        request=request,
        changes=None if creating else diff(before, model_to_dict(action, fields=ACTION_FIELDS)),
        summary=f"{'Added' if creating else 'Changed'} the plan action “{action.title[:80]}”",
    )
    return action


def _author_label(actor) -> str:
    return getattr(actor, "full_name", "") or str(actor or "")


@transaction.atomic
def progress_update_add(
    *,
    action: Action,
    rag: str,
    note: str,
    evidence: str = "",
    evidence_file=None,
    actor,
    request=None,
) -> ProgressUpdate:
    """Record a progress update. A RAG rating is required; "complete" completes the action,
    and any other rating on a completed action opens it again."""
    if rag not in RagRating.values:
        raise ValidationError("Select a RAG rating", code="no_rag")
    if action.status == ActionStatus.CARRIED_OVER:
        raise ValidationError(
            "This action was carried over to the next plan: update it there", code="carried_over"
        )
    update = ProgressUpdate(
        action=action,
        rag=rag,
        note=note,
        evidence=evidence,
        created_by=actor,
        author_label=_author_label(actor),
    )
    if evidence_file is not None:
        update.evidence_file_name = PurePath(evidence_file.name).name[:200]
        update.evidence_file.save(evidence_file.name, evidence_file, save=False)
    update.save()
    status = ActionStatus.COMPLETE if rag == RagRating.COMPLETE else ActionStatus.OPEN
    changes = {"rag": [None, rag]}
    if status != action.status:
        changes["status"] = [action.status, status]
        action.status = status
        action.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=update,
        request=request,
        changes=changes,
        summary=f"Progress update ({update.get_rag_display()}) on “{action.title[:80]}”",
    )
    return update


def _target_outcome(outcome: Outcome, to_plan: Plan) -> Outcome:
    """The outcome in the next plan an action moves to: the same priority (added to the next
    plan if it lacks it) and the outcome with the same words (added if there is none)."""
    source = outcome.priority
    target_priority = PlanPriority.objects.filter(plan=to_plan, priority=source.priority).first()
    if target_priority is None:
        last = to_plan.priorities.aggregate(last=Max("position"))["last"] or 0
        target_priority = PlanPriority.objects.create(
            plan=to_plan,
            priority=source.priority,
            statement=source.statement,
            lead_organisation=source.lead_organisation,
            lead=source.lead,
            position=last + 1,
        )
    target = target_priority.outcomes.filter(text=outcome.text).first()
    if target is None:
        last = target_priority.outcomes.aggregate(last=Max("position"))["last"] or 0
        target = Outcome.objects.create(
            priority=target_priority, text=outcome.text, position=last + 1
        )
    return target


@transaction.atomic
def actions_carry_over(*, from_plan: Plan, to_plan: Plan, actor, request=None) -> list[Action]:
    """Move every unfinished action of one plan to the next, keeping its history.

    Each open action becomes a new action in `to_plan` that points back to it
    (`carried_from`), so its progress updates show on the new one; the old one is marked
    carried over. Running it again moves nothing more (only open actions move, once).
    """
    if from_plan.pk == to_plan.pk:
        raise ValidationError("Choose a different plan to carry the actions to", code="same_plan")
    if to_plan.starts_on < from_plan.starts_on:
        raise ValidationError(
            "Actions can only be carried over to a later plan", code="earlier_plan"
        )
    moving = list(
        Action.objects.select_for_update()
        .filter(outcome__priority__plan=from_plan, status=ActionStatus.OPEN)
        .select_related("outcome__priority")
        .prefetch_related("recommendations", "indicators")
        .order_by("id")
    )
    moved = []
    for old in moving:
        new = Action.objects.create(
            outcome=_target_outcome(old.outcome, to_plan),
            title=old.title,
            owner_id=old.owner_id,
            owner_organisation_id=old.owner_organisation_id,
            due_on=max(old.due_on, to_plan.starts_on),
            measure_of_success=old.measure_of_success,
            carried_from=old,
            created_by=actor,
        )
        new.recommendations.set(old.recommendations.all())
        new.indicators.set(old.indicators.all())
        old.status = ActionStatus.CARRIED_OVER
        old.save(update_fields=["status"])
        moved.append(new)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=to_plan,
        request=request,
        changes={"carried_over": [None, [old.pk for old in moving]]},
        summary=f"Carried {len(moved)} unfinished action{'s' if len(moved) != 1 else ''} "
        f"over from {from_plan.title} to {to_plan.title}",
    )
    return moved


@transaction.atomic
def thematic_report_attach(*, meeting, pdf: bytes, actor, request=None):
    """Attach the thematic lead's report to the meeting's agenda, replacing an earlier copy.

    The PDF goes on the agenda's thematic report item as an open paper, through
    governance's own paper service (so it is in the agenda pack and on the record).
    """
    from partnership.governance import services as governance
    from partnership.governance.models import ItemKind, MeetingStatus

    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting has been cancelled", code="cancelled")
    item = meeting.items.filter(kind=ItemKind.THEMATIC_REPORT).order_by("position").first()
    if item is None:
        raise ValidationError(
            "The meeting's agenda has no thematic lead's report item", code="no_item"
        )
    file_name = f"thematic-report-{meeting.pk}.pdf"
    for earlier in item.papers.filter(file_name=file_name):
        governance.paper_remove(paper=earlier, actor=actor, request=request)
    return governance.paper_upload(
        item=item,
        title=f"Thematic lead's report: {meeting.priority.name}",
        upload=ContentFile(pdf, name=file_name),
        restricted=False,
        actor=actor,
        request=request,
    )
