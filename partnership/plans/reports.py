"""Reads of the business plan that cost a fixed number of queries, whatever its size.

`plan_tree` rates a whole plan (every action, outcome and priority) from one query over its
actions with their latest update; `core_business_review` is the Core Business Group's list of
what needs attention; `thematic_report` gathers a Strategic Forum meeting's priority.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .models import Action, ActionStatus, Outcome, Plan, PlanPriority, ThematicNarrative
from .rag import Rag, action_rag, roll_up


@dataclass
class OutcomeRow:
    outcome: Outcome
    rag: Rag
    counts: dict[Rag, int]

    @property
    def actions(self) -> int:
        return sum(self.counts.values())


@dataclass
class PriorityRow:
    priority: PlanPriority
    rag: Rag
    outcomes: list[OutcomeRow] = field(default_factory=list)

    @property
    def actions(self) -> int:
        return sum(row.actions for row in self.outcomes)


@dataclass
class PlanTree:
    plan: Plan
    rag: Rag
    priorities: list[PriorityRow]
    counts: dict[Rag, int]


def plan_tree(plan: Plan, today: dt.date | None = None) -> PlanTree:
    """The plan's priorities and outcomes with their ratings, by the RAG rule (3 queries)."""
    priorities = list(
        plan.priorities.select_related("priority", "lead", "lead_organisation").order_by(
            "position", "id"
        )
    )
    rows = rate_priorities(priorities, today)
    counts: dict[Rag, int] = dict.fromkeys(Rag, 0)
    for row in rows:
        for outcome in row.outcomes:
            for rating, number in outcome.counts.items():
                counts[rating] += number
    return PlanTree(plan, roll_up(row.rag for row in rows), rows, counts)


def rate_priorities(priorities: list[PlanPriority], today: dt.date | None = None):
    """Each priority rated from every one of its outcomes (an outcome with no actions counts,
    as *not yet rated*), each outcome from its actions: the RAG rule of docs/guide/plans.md
    applied to the records (2 queries). The plan page, the priority page and the thematic
    lead's report all rate through here, so they cannot disagree."""
    today = today or timezone.localdate()
    ids = [priority.pk for priority in priorities]
    outcomes = Outcome.objects.filter(priority_id__in=ids).order_by("position", "id")
    actions = (
        Action.objects.filter(outcome__priority_id__in=ids)
        .with_latest_update()
        .values_list("outcome_id", "status", "due_on", "latest_rag")
    )
    by_outcome: dict[int, list[Rag | None]] = defaultdict(list)
    for outcome_id, status, due_on, latest in actions:
        by_outcome[outcome_id].append(
            action_rag(
                complete=status == ActionStatus.COMPLETE,
                carried_over=status == ActionStatus.CARRIED_OVER,
                due_on=due_on,
                latest=latest,
                today=today,
            )
        )
    rows = {priority.pk: PriorityRow(priority, Rag.NOT_RATED) for priority in priorities}
    for outcome in outcomes:
        ratings = by_outcome.get(outcome.pk, [])
        outcome_counts = dict.fromkeys(Rag, 0)
        for rating in ratings:
            if rating is not None:
                outcome_counts[rating] += 1
        rows[outcome.priority_id].outcomes.append(
            OutcomeRow(outcome, roll_up(ratings), outcome_counts)
        )
    for row in rows.values():
        row.rag = roll_up(outcome.rag for outcome in row.outcomes)
    return list(rows.values())


def priority_row(plan_priority: PlanPriority, today: dt.date | None = None) -> PriorityRow:
    """One priority's rating and its outcomes' (see `rate_priorities`)."""
    return rate_priorities([plan_priority], today)[0]


def actions_for_listing(queryset):
    """Actions with what a list shows about them, in one query."""
    return queryset.with_latest_update().select_related(
        "owner", "owner_organisation", "outcome__priority__priority"
    )


def last_core_business_meeting(today: dt.date | None = None):
    """The Core Business Group's most recent meeting that has begun (None if it has not met)."""
    from partnership.governance.models import Meeting

    from .rules import CORE_BUSINESS_GROUP

    return (
        Meeting.objects.not_cancelled()
        .filter(group__slug=CORE_BUSINESS_GROUP, starts_at__lte=timezone.now())
        .order_by("-starts_at")
        .first()
    )


def core_business_review(plan: Plan, today: dt.date | None = None) -> dict:
    """What the Core Business Group looks at: querysets of the plan's open actions that are
    off track (latest update red or amber, or overdue), overdue, and not updated since the
    group's last meeting. Each is a queryset the page paginates."""
    today = today or timezone.localdate()
    open_actions = actions_for_listing(
        Action.objects.filter(outcome__priority__plan=plan, status=ActionStatus.OPEN)
    )
    meeting = last_core_business_meeting(today)
    off_track = open_actions.filter(
        Q(latest_rag__in=[Rag.RED, Rag.AMBER]) | Q(due_on__lt=today)
    ).order_by("due_on", "id")
    overdue = open_actions.filter(due_on__lt=today).order_by("due_on", "id")
    if meeting is not None:
        stale = open_actions.filter(
            Q(latest_at__isnull=True) | Q(latest_at__lt=meeting.starts_at)
        ).order_by("due_on", "id")
    else:
        stale = open_actions.filter(latest_at__isnull=True).order_by("due_on", "id")
    return {"meeting": meeting, "off_track": off_track, "overdue": overdue, "stale": stale}


def plan_for_meeting(meeting) -> PlanPriority | None:
    """The plan priority a themed meeting reports on: the meeting's priority in the plan
    whose period covers the meeting's day (else in the latest plan that has it)."""
    if not meeting.priority_id:
        return None
    day = meeting.local_date
    candidates = PlanPriority.objects.filter(priority_id=meeting.priority_id).select_related(
        "plan", "priority", "lead", "lead_organisation"
    )
    covering = candidates.filter(plan__starts_on__lte=day, plan__ends_on__gte=day)
    return (
        covering.order_by("-plan__starts_on").first()
        or candidates.order_by("-plan__starts_on").first()
    )


def visible_recommendations(user):
    """The review recommendations `user` may see: those of reviews in their scope, and those
    of published reviews (which are public)."""
    from partnership.reviews.models import PublicationStatus, Recommendation, Review

    published = Q(
        review__publication__status=PublicationStatus.PUBLISHED,
        review__publication__published_on__lte=timezone.localdate(),
    )
    if user is None:
        return Recommendation.objects.filter(published)
    return Recommendation.objects.filter(Q(review__in=Review.objects.visible_to(user)) | published)


@dataclass
class IndicatorRow:
    """An indicator in the thematic report: its latest figures (a performance snapshot), or
    None where the reader may not see its figures."""

    indicator: object
    snapshot: object | None


@dataclass
class ThematicReport:
    meeting: object
    plan_priority: PlanPriority | None
    rating: PriorityRow | None
    actions: list
    indicators: list[IndicatorRow]
    recommendations: list
    hidden_recommendations: int
    today: dt.date
    for_agenda: bool = False  # the open copy attached to the agenda (no reader: user=None)
    narrative: object | None = None  # the thematic lead's own account (ThematicNarrative)
    audits: list = field(default_factory=list)  # the priority's case audits, with findings
    hidden_audits: int = 0

    @property
    def rag(self) -> Rag:
        return self.rating.rag if self.rating else Rag.NOT_RATED

    @property
    def hidden_figures(self) -> int:
        return sum(1 for row in self.indicators if row.snapshot is None)


def thematic_report(meeting, user, today: dt.date | None = None) -> ThematicReport:
    """The thematic lead's report for a Strategic Forum meeting, as `user` may see it.

    `user=None` is the copy for the agenda, an open paper that any partnership staff may
    read: only published reviews' recommendations, and no agency's figures."""
    today = today or timezone.localdate()
    plan_priority = plan_for_meeting(meeting)
    narrative = ThematicNarrative.objects.filter(meeting=meeting).first()
    if plan_priority is None:
        return ThematicReport(meeting, None, None, [], [], [], 0, today, user is None, narrative)
    actions = list(
        actions_for_listing(
            Action.objects.filter(outcome__priority=plan_priority).exclude(
                status=ActionStatus.CARRIED_OVER
            )
        ).order_by("outcome__position", "due_on", "id")
    )
    linked = (
        _recommendation_model()
        .objects.filter(plan_actions__outcome__priority=plan_priority)
        .distinct()
    )
    shown = list(
        visible_recommendations(user)
        .filter(pk__in=linked.values("pk"))
        .select_related("review")
        .order_by("review__reference", "number")
    )
    hidden = linked.count() - len(shown)
    audits, hidden_audits = audits_for(plan_priority, user)
    return ThematicReport(
        meeting,
        plan_priority,
        priority_row(plan_priority, today),
        actions,
        indicator_rows_for(plan_priority, user),
        shown,
        hidden,
        today,
        user is None,
        narrative,
        audits,
        hidden_audits,
    )


def audits_for(plan_priority: PlanPriority, user) -> tuple[list, int]:
    """The multi-agency case audits that inform the priority (by its strategic priority), as
    `user` may see them (`CaseAudit.objects.visible_to`), each with its forms returned out of
    those sent, its findings and its recommendations; and how many more there are that `user`
    may not see. The agenda's open copy (`user=None`) shows the reported ones: their findings
    went to the owning group as a paper and name no case. Four queries, whatever the number."""
    from partnership.audits.cases.models import CaseAudit, CaseAuditStatus, CasePartStatus

    linked = CaseAudit.objects.filter(priority_id=plan_priority.priority_id)
    if user is None:
        visible = linked.filter(status=CaseAuditStatus.REPORTED)
    else:
        visible = CaseAudit.objects.visible_to(user).filter(priority_id=plan_priority.priority_id)
    shown = list(
        visible.annotate(
            forms_sent=Count("cases__agencies", distinct=True),
            forms_returned=Count(
                "cases__agencies",
                filter=Q(cases__agencies__status=CasePartStatus.RETURNED),
                distinct=True,
            ),
        )
        .select_related("group")
        .prefetch_related("findings", "recommendations")
        .order_by("-starts_on", "pk")
    )
    return shown, linked.count() - len(shown)


def _recommendation_model():
    from partnership.reviews.models import Recommendation

    return Recommendation


def indicator_rows_for(plan_priority: PlanPriority, user) -> list[IndicatorRow]:
    """The performance indicators of a priority (its own and those its actions link to),
    each with its latest figures where `user` may see them: the performance framework's own
    scope, `Indicator.objects.figures_visible_to` (None, the agenda's copy: no figures)."""
    from partnership.performance.models import Indicator
    from partnership.performance.services import indicator_snapshots

    linked = Action.indicators.through.objects.filter(
        action__outcome__priority=plan_priority
    ).values("indicator_id")
    indicators = list(
        Indicator.objects.filter(Q(priority_id=plan_priority.priority_id) | Q(pk__in=linked))
        .select_related("owner")
        .order_by("sort_order", "code")
    )
    visible = Indicator.objects.figures_visible_to(user).filter(
        pk__in=[indicator.pk for indicator in indicators]
    )
    snapshots = indicator_snapshots(visible)
    return [IndicatorRow(indicator, snapshots.get(indicator.pk)) for indicator in indicators]
