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
from django.utils import timezone

from partnership.trail.actors import Actor
from partnership.trail.models import Action as AuditAction
from partnership.trail.services import audit_record, diff

from .models import (
    Action,
    ActionStatus,
    Outcome,
    Plan,
    PlanPriority,
    PlanStatus,
    ProgressUpdate,
    RagRating,
    Statement,
    StatementKind,
    ThematicNarrative,
)

PLAN_FIELDS = ["title", "slug", "starts_on", "ends_on", "vision", "mission", "status"]
ACTION_FIELDS = ["title", "owner", "owner_organisation", "due_on", "measure_of_success"]
PRIORITY_FIELDS = ["statement", "lead_organisation", "lead", "position"]
OUTCOME_FIELDS = ["text", "position"]


def _reorder(siblings, item, position: int | None) -> None:
    """Put `item` at `position` (1 is first) among its siblings and number them all 1, 2, ...

    `siblings` is the queryset of the items at the same level, `item` included. A position
    past the end puts the item last."""
    others = [other for other in siblings.order_by("position", "id") if other.pk != item.pk]
    if position is None:
        position = next(
            (
                index
                for index, other in enumerate(others, start=1)
                if other.position > item.position
            ),
            len(others) + 1,
        )
    index = min(max(position, 1), len(others) + 1) - 1
    ordered = others[:index] + [item] + others[index:]
    for number, each in enumerate(ordered, start=1):
        each.position = number
    type(item).objects.bulk_update([each for each in ordered if each.pk != item.pk], ["position"])


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
    actor: Actor,
) -> Plan:
    """Create or change a plan, and replace its enablers, principles and key outcomes.

    Only one plan is current at a time: making a plan current closes the plan that was
    current (with its own audit entry). The plans closed so are in `plan.closed_plans`."""
    _check_period(plan)
    creating = plan.pk is None
    before = {} if creating else model_to_dict(Plan.objects.get(pk=plan.pk), fields=PLAN_FIELDS)
    plan.save()
    plan.closed_plans = []
    if plan.status == PlanStatus.CURRENT:
        for other in (
            Plan.objects.select_for_update().filter(status=PlanStatus.CURRENT).exclude(pk=plan.pk)
        ):
            other.status = PlanStatus.CLOSED
            other.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=other,
                changes={"status": [PlanStatus.CURRENT, PlanStatus.CLOSED]},
                summary=f"Closed the business plan {other.title}: {plan.title} is now current",
            )
            plan.closed_plans.append(other)
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
        changes=diff(before, after) if not creating else None,
        summary=f"{'Created' if creating else 'Changed'} the business plan {plan.title}",
    )
    return plan


@transaction.atomic
def priority_save(
    *, plan_priority: PlanPriority, position: int | None = None, actor: Actor
) -> PlanPriority:
    """Add a priority to a plan (at the end), or change its wording, lead organisation,
    named lead and place in the plan's order (`position`, 1 is first)."""
    creating = plan_priority.pk is None
    if creating:
        if PlanPriority.objects.filter(
            plan=plan_priority.plan, priority=plan_priority.priority
        ).exists():
            raise ValidationError("The plan already has this priority", code="duplicate")
        last = plan_priority.plan.priorities.aggregate(last=Max("position"))["last"] or 0
        plan_priority.position = last + 1
        before = {}
    else:
        stored = PlanPriority.objects.select_for_update().get(pk=plan_priority.pk)
        before = model_to_dict(stored, fields=PRIORITY_FIELDS)
        if position is not None:
            _reorder(
                PlanPriority.objects.filter(plan_id=plan_priority.plan_id),
                plan_priority,
                position,
            )
    plan_priority.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=plan_priority,
        changes=None
        if creating
        else diff(before, model_to_dict(plan_priority, fields=PRIORITY_FIELDS)),
        summary=f"{'Added' if creating else 'Changed'} the priority {plan_priority.priority.name}"
        f" in {plan_priority.plan.title}",
    )
    return plan_priority


@transaction.atomic
def outcome_add(*, priority: PlanPriority, text: str, actor: Actor) -> Outcome:
    """Add an outcome ("how will we achieve it") to a priority, at the end."""
    last = priority.outcomes.aggregate(last=Max("position"))["last"] or 0
    outcome = Outcome.objects.create(priority=priority, text=text, position=last + 1)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=outcome,
        summary=f"Added an outcome to {priority.name} in {priority.plan.title}",
    )
    return outcome


@transaction.atomic
def outcome_change(
    *, outcome: Outcome, text: str, position: int | None = None, actor: Actor
) -> Outcome:
    """Change an outcome's words and its place among its priority's outcomes (1 is first)."""
    if not text.strip():
        raise ValidationError("Enter the outcome", code="no_text")
    stored = Outcome.objects.select_for_update().get(pk=outcome.pk)
    before = model_to_dict(stored, fields=OUTCOME_FIELDS)
    outcome.text = text.strip()
    if position is not None:
        _reorder(Outcome.objects.filter(priority_id=outcome.priority_id), outcome, position)
    outcome.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=outcome,
        changes=diff(before, model_to_dict(outcome, fields=OUTCOME_FIELDS)),
        summary=f"Changed an outcome of {outcome.priority.name} in {outcome.priority.plan.title}",
    )
    return outcome


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def priority_removal_blocker(plan_priority: PlanPriority) -> str:
    """Why the priority cannot be removed (it has actions), or "" if it can."""
    actions = Action.objects.filter(outcome__priority=plan_priority).count()
    if actions:
        return (
            f"{plan_priority.name} cannot be removed because it has "
            f"{_plural(actions, 'action')}. Actions stay on the record: if one was added by "
            "mistake, remove it first (it can be removed while it has no progress updates); "
            "otherwise complete the actions or carry them over to the next plan, and leave the "
            "priority out of that plan."
        )
    return ""


def outcome_removal_blocker(outcome: Outcome) -> str:
    """Why the outcome cannot be removed (it has actions), or "" if it can."""
    actions = outcome.actions.count()
    if actions:
        return (
            f"This outcome cannot be removed because it has {_plural(actions, 'action')}. "
            "If an action was added by mistake, remove it first (it can be removed while it "
            "has no progress updates); otherwise change the outcome's words, or complete its "
            "actions or carry them over to the next plan."
        )
    return ""


def action_removal_blocker(action: Action) -> str:
    """Why the action cannot be removed, or "" if it can: an action with progress updates, or
    one in a carry-over chain, is part of the record."""
    updates = action.updates.count()
    if updates:
        return (
            f"This action cannot be removed because it has {_plural(updates, 'progress update')}. "
            "To end it, add a progress update rated complete; if it is unfinished when the plan "
            "closes, carry it over to the next plan."
        )
    if action.carried_from_id is not None:
        return (
            "This action cannot be removed because it continues an action carried over from an "
            "earlier plan. To end it, add a progress update rated complete."
        )
    if Action.objects.filter(carried_from=action).exists():
        return "This action cannot be removed because it was carried over to a later plan."
    return ""


def _refuse_removal(reason: str) -> None:
    if reason:
        raise ValidationError(reason, code="in_use")


@transaction.atomic
def priority_remove(*, plan_priority: PlanPriority, actor: Actor) -> None:
    """Remove a priority added by mistake, with its outcomes; refused if it has actions."""
    plan_priority = PlanPriority.objects.select_for_update().get(pk=plan_priority.pk)
    _refuse_removal(priority_removal_blocker(plan_priority))
    outcomes = list(plan_priority.outcomes.order_by("position").values_list("text", flat=True))
    plan = plan_priority.plan
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=plan_priority,
        changes={
            **{
                key: [value, None]
                for key, value in model_to_dict(plan_priority, fields=PRIORITY_FIELDS).items()
            },
            "outcomes": [outcomes, None],
        },
        summary=f"Removed the priority {plan_priority.name} from {plan.title}",
    )
    plan_priority.delete()
    for number, each in enumerate(plan.priorities.order_by("position", "id"), start=1):
        if each.position != number:
            PlanPriority.objects.filter(pk=each.pk).update(position=number)


@transaction.atomic
def outcome_remove(*, outcome: Outcome, actor: Actor) -> None:
    """Remove an outcome added by mistake; refused if it has actions."""
    outcome = (
        Outcome.objects.select_for_update().select_related("priority__plan").get(pk=outcome.pk)
    )
    _refuse_removal(outcome_removal_blocker(outcome))
    priority = outcome.priority
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=outcome,
        changes={"text": [outcome.text, None], "position": [outcome.position, None]},
        summary=f"Removed an outcome from {priority.name} in {priority.plan.title}",
    )
    outcome.delete()
    for number, each in enumerate(priority.outcomes.order_by("position", "id"), start=1):
        if each.position != number:
            Outcome.objects.filter(pk=each.pk).update(position=number)


@transaction.atomic
def action_remove(*, action: Action, actor: Actor) -> None:
    """Remove an action added by mistake; refused once it has progress updates or is part
    of a carry-over."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    _refuse_removal(action_removal_blocker(action))
    before = model_to_dict(action, fields=ACTION_FIELDS)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=action,
        changes={
            **{key: [value, None] for key, value in before.items()},
            "outcome": [action.outcome_id, None],
            "indicators": [sorted(action.indicators.values_list("pk", flat=True)), None],
            "recommendations": [sorted(action.recommendations.values_list("pk", flat=True)), None],
        },
        summary=f"Removed the plan action “{action.title[:80]}”",
    )
    action.delete()


@transaction.atomic
def action_save(*, action: Action, recommendations=None, indicators=None, actor: Actor) -> Action:
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
        action.created_by = actor.user
    action.save()
    if recommendations is not None:
        action.recommendations.set(recommendations)
    if indicators is not None:
        action.indicators.set(indicators)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=action,
        changes=None if creating else diff(before, model_to_dict(action, fields=ACTION_FIELDS)),
        summary=f"{'Added' if creating else 'Changed'} the plan action “{action.title[:80]}”",
    )
    return action


def _author_label(actor: Actor) -> str:
    """The name shown with an update: the person's, or what the actor is (a job, a token)."""
    return (str(actor.user) if actor.user is not None else actor.label)[:150]


@transaction.atomic
def progress_update_add(
    *,
    action: Action,
    rag: str,
    note: str,
    evidence: str = "",
    evidence_file=None,
    actor: Actor,
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
        created_by=actor.user,
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
def actions_carry_over(*, from_plan: Plan, to_plan: Plan, actor: Actor) -> list[Action]:
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
            created_by=actor.user,
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
        changes={"carried_over": [None, [old.pk for old in moving]]},
        summary=f"Carried {len(moved)} unfinished action{'s' if len(moved) != 1 else ''} "
        f"over from {from_plan.title} to {to_plan.title}",
    )
    return moved


@transaction.atomic
def thematic_report_attached(meeting):
    """The copy of the thematic lead's report on the meeting's agenda (None if not attached)."""
    from partnership.governance.models import ItemKind

    return (
        meeting.papers.filter(
            item__kind=ItemKind.THEMATIC_REPORT, file_name=f"thematic-report-{meeting.pk}.pdf"
        )
        .order_by("-uploaded_at", "-id")
        .first()
    )


def thematic_report_frozen(meeting) -> bool:
    """Once the agenda pack has gone to members or the meeting has begun, the attached copy
    is the one the meeting saw: it is frozen, whatever changes in the plan afterwards."""
    return thematic_report_attached(meeting) is not None and (
        meeting.pack_sent_at is not None or meeting.has_started
    )


@transaction.atomic
def thematic_report_attach(*, meeting, pdf: bytes, actor: Actor):
    """Attach the thematic lead's report to the meeting's agenda: a stored snapshot.

    The PDF, made now, goes on the agenda's thematic report item as an open paper, through
    governance's own paper service (so it is in the agenda pack and on the record). Before
    the agenda pack is sent it may be attached again, replacing the earlier copy; after
    that (or once the meeting has begun) the copy is frozen (`thematic_report_frozen`).
    """
    from partnership.governance import services as governance
    from partnership.governance.models import ItemKind, MeetingStatus

    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting has been cancelled", code="cancelled")
    if thematic_report_frozen(meeting):
        raise ValidationError(
            "The report on the agenda is frozen: the agenda pack has gone to members (or the "
            "meeting has begun), so the attached copy stays the one the meeting saw",
            code="frozen",
        )
    item = meeting.items.filter(kind=ItemKind.THEMATIC_REPORT).order_by("position").first()
    if item is None:
        raise ValidationError(
            "The meeting's agenda has no thematic lead's report item", code="no_item"
        )
    file_name = f"thematic-report-{meeting.pk}.pdf"
    for earlier in item.papers.filter(file_name=file_name):
        governance.paper_remove(paper=earlier, actor=actor)
    return governance.paper_upload(
        item=item,
        title=f"Thematic lead's report: {meeting.priority.name}",
        upload=ContentFile(pdf, name=file_name),
        restricted=False,
        actor=actor,
    )


@transaction.atomic
def thematic_narrative_save(*, meeting, text: str, actor: Actor) -> ThematicNarrative:
    """The thematic lead writes (or rewrites) their own account for a themed meeting.

    It heads the report; a copy already frozen on the agenda keeps the words it had."""
    from partnership.governance.models import MeetingStatus

    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("The meeting has been cancelled", code="cancelled")
    narrative = ThematicNarrative.objects.filter(meeting=meeting).first()
    before = narrative.text if narrative else None
    if narrative is None:
        narrative = ThematicNarrative(meeting=meeting)
    narrative.text = text
    narrative.updated_at = timezone.now()
    narrative.updated_by = actor.user
    narrative.author_label = actor.user.full_name if actor.user else actor.label
    narrative.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=narrative,
        object_label=f"Thematic lead's report: {meeting.title}",
        summary=f"{'Wrote' if before is None else 'Changed'} the thematic lead's account "
        f"for {meeting.title}",
    )
    return narrative


def evidence_record_download(*, update: ProgressUpdate, actor: Actor) -> None:
    """Every download of a progress update's evidence goes on the record."""
    audit_record(
        actor=actor,
        action=AuditAction.DOWNLOAD,
        obj=update,
        summary=f"Downloaded the evidence {update.evidence_file_name or 'file'} "
        f"for {update.action.title}",
    )
