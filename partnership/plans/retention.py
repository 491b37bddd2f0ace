"""Business plans on the retention schedule (see docs/guide/records.md).

A plan is kept whole (priorities, outcomes, actions, progress updates and evidence files) for
6 years after it ends, then destroyed whole; an action carried into a later plan keeps the
earlier one until the later plan goes.
"""

from partnership.lib.retention import RecordKind

from .models import Action, ProgressUpdate

RECORD_KINDS = [
    RecordKind(
        key="plans.plan",
        label="Business plan (with its priorities, actions and progress updates)",
        model="plans.Plan",
        describe=lambda plan: (
            f"Business plan {plan.pk}, {plan.starts_on:%d %B %Y} to {plan.ends_on:%d %B %Y}"
        ),
        trigger="ends_on",
        trigger_label="the day the plan ends",
        default_months=72,
        source=(
            "IRMS Local Government Retention Guidelines: corporate and business plans, 6 years "
            "after the plan ends (the yearly report that draws on it is kept by the website)."
        ),
        # An action is protected by its outcome (so none is lost by accident): the plan's own
        # actions go first, with their updates.
        delete_first=lambda plan: [Action.objects.filter(outcome__priority__plan=plan)],
    ),
    RecordKind(
        key="plans.progressupdate",
        label="Progress update on a plan action (and its evidence file)",
        model="plans.ProgressUpdate",
        describe=lambda update: f"Progress update {update.pk} of action {update.action_id}",
        part_of="plans.plan",
    ),
]


def subject_access(subject) -> list[tuple[str, list[dict]]]:
    actions = [
        {
            "Plan": action.outcome.priority.plan.title,
            "Action": action.title,
            "Due": action.due_on,
            "Status": action.get_status_display(),
        }
        for action in Action.objects.filter(owner__in=subject.person_ids)
        .select_related("outcome__priority__plan")
        .order_by("due_on", "pk")
    ]
    updates = []
    if subject.user is not None:
        updates = [
            {
                "Action": update.action.title,
                "RAG rating": update.get_rag_display(),
                "Note": update.note,
                "Evidence": update.evidence,
                "Written": update.created_at,
            }
            for update in ProgressUpdate.objects.filter(created_by=subject.user)
            .select_related("action")
            .order_by("created_at")
        ]
    return [
        ("Business plan actions they own", actions),
        ("Progress updates they wrote", updates),
    ]
