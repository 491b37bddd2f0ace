from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required, public
from partnership.directory.models import Person
from partnership.governance.models import Meeting, Membership, Priority
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted, show_refusal
from partnership.web.pagination import paginate
from partnership.web.storage import file_download

from . import documents, reports, services
from .forms import (
    ActionForm,
    CarryOverForm,
    OutcomeForm,
    PlanForm,
    PriorityChangeForm,
    PriorityForm,
    ProgressUpdateForm,
    RemoveForm,
    ThematicNarrativeForm,
)
from .models import (
    Action,
    ActionStatus,
    Outcome,
    Plan,
    PlanPriority,
    PlanStatus,
    ProgressUpdate,
    Statement,
    StatementKind,
    ThematicNarrative,
)


def _statements(plan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {kind: [] for kind in StatementKind.values}
    for statement in Statement.objects.filter(plan=plan).order_by("kind", "position"):
        found[statement.kind].append(statement.text)
    return found


def _people():
    """Who may own an action or lead a priority: people who sit on a partnership group."""
    seated = Membership.objects.current().values("person_id")
    return (
        Person.objects.current()
        .filter(pk__in=seated)
        .select_related("organisation")
        .order_by("full_name")
    )


# Plans ------------------------------------------------------------------------------------


@permission_required("plans.view_plan")
def plan_list(request):
    plans = (
        Plan.objects.visible_to(request.user)
        .annotate(priority_count=Count("priorities", distinct=True))
        .order_by("-starts_on", "title")
    )
    return render(request, "plans/plan_list.html", {"page": paginate(request, plans)})


def _plan(request, slug, **kwargs):
    return get_object_or_404(Plan, slug=slug)


@permission_required("plans.view_plan", fn=_plan)
def plan_detail(request, slug, obj):
    tree = reports.plan_tree(obj)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": obj,
            "tree": tree,
            "statements": _statements(obj),
            "kinds": StatementKind,
            "later_plans": Plan.objects.filter(starts_on__gt=obj.starts_on).exists(),
        },
    )


def _plan_form_page(request, form, plan=None):
    def save(data):
        target = plan or Plan()
        for name in ("title", "slug", "starts_on", "ends_on", "vision", "mission", "status"):
            setattr(target, name, data[name])
        return services.plan_save(
            plan=target,
            enablers=data["enablers"],
            principles=data["principles"],
            key_outcomes=data["key_outcomes"],
            actor=actor_for(request),
        )

    def saved(target):
        # The plan saved first, then each plan it closed (so form_page adds no message).
        messages.success(request, f"{target.title} has been saved")
        for closed in target.closed_plans:
            messages.info(request, f"{closed.title} was the current plan and has been closed")
        return ""

    return form_page(
        request,
        form,
        template="plans/plan_form.html",
        on_valid=save,
        success=saved,
        next_url=lambda target: target.get_absolute_url(),
        context={"plan": plan},
    )


@permission_required("plans.manage")
def plan_create(request):
    form = PlanForm(posted(request), taken_slugs=Plan.objects.values_list("slug", flat=True))
    return _plan_form_page(request, form)


@permission_required("plans.manage", fn=_plan)
def plan_edit(request, slug, obj):
    statements = _statements(obj)
    initial = {
        "title": obj.title,
        "slug": obj.slug,
        "starts_on": obj.starts_on,
        "ends_on": obj.ends_on,
        "status": obj.status,
        "vision": obj.vision,
        "mission": obj.mission,
        "enablers": "\n".join(statements[StatementKind.ENABLER]),
        "principles": "\n".join(statements[StatementKind.PRINCIPLE]),
        "key_outcomes": "\n".join(statements[StatementKind.KEY_OUTCOME]),
    }
    taken = Plan.objects.exclude(pk=obj.pk).values_list("slug", flat=True)
    form = PlanForm(posted(request), initial=initial, taken_slugs=taken)
    return _plan_form_page(request, form, obj)


@permission_required("plans.manage", fn=_plan)
def priority_create(request, slug, obj):
    form = PriorityForm(
        posted(request),
        priorities=Priority.objects.exclude(plan_priorities__plan=obj),
        people=_people(),
    )
    return form_page(
        request,
        form,
        template="plans/priority_form.html",
        on_valid=lambda data: services.priority_save(
            plan_priority=PlanPriority(
                plan=obj,
                priority=data["priority"],
                statement=data["statement"],
                lead_organisation=data["lead_organisation"],
                lead=data["lead"],
            ),
            actor=actor_for(request),
        ),
        success=lambda added: f"{added.priority.name} has been added to the plan",
        next_url=obj.get_absolute_url(),
        context={"plan": obj},
    )


@permission_required("plans.manage", fn=_plan)
def carry_over(request, slug, obj):
    later = Plan.objects.filter(starts_on__gt=obj.starts_on).order_by("starts_on")
    unfinished = Action.objects.filter(
        outcome__priority__plan=obj, status=ActionStatus.OPEN
    ).count()
    form = CarryOverForm(posted(request), plans=list(later))

    def carry(data):
        target = later.get(pk=data["to_plan"])
        moved = services.actions_carry_over(from_plan=obj, to_plan=target, actor=actor_for(request))
        return moved, target

    return form_page(
        request,
        form,
        template="plans/carry_over.html",
        on_valid=carry,
        success=lambda done: (
            f"{len(done[0])} unfinished actions have been carried over to {done[1]}"
        ),
        next_url=lambda done: done[1].get_absolute_url(),
        context={"plan": obj, "unfinished": unfinished},
    )


def _remove_page(request, *, form, blocker, context):
    """The page confirming a removal, or saying why it is refused."""
    return render(request, "plans/remove.html", {"form": form, "blocker": blocker, **context})


def _removal(request, *, blocker, remove, done, message, context):
    """GET: confirm (or explain the refusal). POST: remove through the service, which checks
    the rule again; a refusal is shown in the error summary and nothing is removed."""
    form = RemoveForm(posted(request))
    if request.method == "POST":
        form.is_valid()
        try:
            remove()
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, message)
            return redirect(done)
        return _remove_page(request, form=form, blocker="", context=context)
    return _remove_page(request, form=form, blocker=blocker, context=context)


# Priorities and outcomes ------------------------------------------------------------------


def _priority(request, pk, **kwargs):
    return get_object_or_404(
        PlanPriority.objects.select_related("plan", "priority", "lead", "lead_organisation"),
        pk=pk,
    )


@permission_required("plans.view_plan", fn=_priority)
def priority_detail(request, pk, obj):
    today = timezone.localdate()
    outcomes = list(obj.outcomes.order_by("position", "id"))
    actions = reports.actions_for_listing(Action.objects.filter(outcome__priority=obj)).order_by(
        "outcome__position", "due_on", "id"
    )
    page = paginate(request, actions)
    row = reports.priority_row(obj, today)
    meetings = Meeting.objects.filter(priority_id=obj.priority_id).order_by("-starts_at")[:5]
    return render(
        request,
        "plans/priority_detail.html",
        {
            "priority": obj,
            "outcomes": outcomes,
            "row": row,
            "page": page,
            "today": today,
            "meetings": meetings,
        },
    )


@permission_required("plans.manage", fn=_priority)
def priority_edit(request, pk, obj):
    count = obj.plan.priorities.count()
    form = PriorityChangeForm(
        posted(request),
        initial={
            "statement": obj.statement,
            "lead_organisation": obj.lead_organisation_id,
            "lead": obj.lead_id,
            "position": list(obj.plan.priorities.order_by("position", "id")).index(obj) + 1,
        },
        people=_people(),
        count=count,
        current=obj,
    )

    def change(data):
        obj.statement = data["statement"]
        obj.lead_organisation = data["lead_organisation"]
        obj.lead = data["lead"]
        return services.priority_save(
            plan_priority=obj, position=data["position"], actor=actor_for(request)
        )

    return form_page(
        request,
        form,
        template="plans/priority_form.html",
        on_valid=change,
        success=f"{obj.name} has been changed",
        next_url=obj.get_absolute_url(),
        context={"plan": obj.plan, "priority": obj},
    )


@permission_required("plans.manage", fn=_priority)
def priority_remove(request, pk, obj):
    return _removal(
        request,
        blocker=services.priority_removal_blocker(obj),
        remove=lambda: services.priority_remove(plan_priority=obj, actor=actor_for(request)),
        done=obj.plan,
        message=f"{obj.name} has been removed from {obj.plan.title}",
        context={
            "title": f"Remove {obj.name} from {obj.plan.title}?",
            "caption": obj.plan.title,
            "back": obj.get_absolute_url(),
            "what": "The priority and its outcomes come off the plan. The audit trail keeps "
            "a record that they were there and who removed them.",
            "button": "Remove the priority",
        },
    )


@permission_required("plans.manage", fn=_priority)
def outcome_create(request, pk, obj):
    return form_page(
        request,
        OutcomeForm(posted(request)),
        template="plans/outcome_form.html",
        on_valid=lambda data: services.outcome_add(
            priority=obj, text=data["text"], actor=actor_for(request)
        ),
        success="The outcome has been added",
        next_url=obj.get_absolute_url(),
        context={"priority": obj},
    )


def _outcome(request, pk, **kwargs):
    return get_object_or_404(
        Outcome.objects.select_related("priority__plan", "priority__priority"), pk=pk
    )


@permission_required("plans.manage", fn=_outcome)
def outcome_edit(request, pk, obj):
    siblings = list(obj.priority.outcomes.order_by("position", "id"))
    form = OutcomeForm(
        posted(request),
        initial={"text": obj.text, "position": siblings.index(obj) + 1},
        count=len(siblings),
    )
    return form_page(
        request,
        form,
        template="plans/outcome_form.html",
        on_valid=lambda data: services.outcome_change(
            outcome=obj, text=data["text"], position=data["position"], actor=actor_for(request)
        ),
        success="The outcome has been changed",
        next_url=obj.priority.get_absolute_url(),
        context={"priority": obj.priority, "outcome": obj},
    )


@permission_required("plans.manage", fn=_outcome)
def outcome_remove(request, pk, obj):
    return _removal(
        request,
        blocker=services.outcome_removal_blocker(obj),
        remove=lambda: services.outcome_remove(outcome=obj, actor=actor_for(request)),
        done=obj.priority,
        message="The outcome has been removed",
        context={
            "title": "Remove this outcome?",
            "caption": f"{obj.priority.plan.title}: {obj.priority.name}",
            "quote": obj.text,
            "back": obj.priority.get_absolute_url(),
            "what": "The outcome comes off the priority. The audit trail keeps a record that "
            "it was there and who removed it.",
            "button": "Remove the outcome",
        },
    )


# Actions ----------------------------------------------------------------------------------


def _indicator_choices(priority: PlanPriority):
    """The priority's own indicators first, then the rest of the data set."""
    from partnership.performance.models import Indicator

    return sorted(
        Indicator.objects.only("pk", "code", "name", "priority_id"),
        key=lambda i: (i.priority_id != priority.priority_id, i.code),
    )


def _recommendation_choices(user):
    return list(
        reports.visible_recommendations(user)
        .select_related("review")
        .order_by("review__reference", "number")
    )


def _action_form(request, priority, action=None):
    initial = {}
    if action is not None:
        initial = {
            "title": action.title,
            "outcome": action.outcome_id,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "measure_of_success": action.measure_of_success,
            "recommendations": [r.pk for r in action.recommendations.all()],
        }
        initial["indicators"] = [i.pk for i in action.indicators.all()]
    outcomes = {outcome.pk: outcome for outcome in priority.outcomes.order_by("position", "id")}
    form = ActionForm(
        posted(request),
        initial=initial,
        outcomes=list(outcomes.values()),
        people=_people(),
        recommendations=_recommendation_choices(request.user),
        indicators=_indicator_choices(priority),
    )

    def save(data):
        target = action or Action()
        target.outcome = outcomes[data["outcome"]]
        target.title = data["title"]
        target.owner = data["owner"]
        target.owner_organisation_id = data["owner"].organisation_id
        target.due_on = data["due_on"]
        target.measure_of_success = data["measure_of_success"]
        return services.action_save(
            action=target,
            recommendations=data["recommendations"],
            indicators=data.get("indicators"),
            actor=actor_for(request),
        )

    return form_page(
        request,
        form,
        template="plans/action_form.html",
        on_valid=save,
        success="The action has been saved",
        next_url=lambda saved: saved.get_absolute_url(),
        context={"priority": priority, "action": action},
    )


@permission_required("plans.manage", fn=_priority)
def action_create(request, pk, obj):
    return _action_form(request, obj)


def _action(request, pk, **kwargs):
    return get_object_or_404(
        Action.objects.with_latest_update().select_related(
            "outcome__priority__plan",
            "outcome__priority__priority",
            "outcome__priority__lead",
            "owner",
            "owner_organisation",
            "carried_from__outcome__priority__plan",
            "carried_to__outcome__priority__plan",
        ),
        pk=pk,
    )


@permission_required("plans.manage", fn=_action)
def action_edit(request, pk, obj):
    return _action_form(request, obj.outcome.priority, obj)


@permission_required("plans.manage", fn=_action)
def action_remove(request, pk, obj):
    priority = obj.outcome.priority
    return _removal(
        request,
        blocker=services.action_removal_blocker(obj),
        remove=lambda: services.action_remove(action=obj, actor=actor_for(request)),
        done=priority,
        message=f"“{obj.title[:80]}” has been removed",
        context={
            "title": "Remove this action?",
            "caption": f"{priority.plan.title}: {priority.name}",
            "quote": obj.title,
            "back": obj.get_absolute_url(),
            "what": "The action comes off the plan, with its links to indicators and "
            "recommendations. The audit trail keeps a record that it was there and who "
            "removed it.",
            "button": "Remove the action",
        },
    )


def _history(action: Action) -> list[ProgressUpdate]:
    """The action's updates and those of the actions it continues (carried over)."""
    chain = [action.pk]
    earlier = action.carried_from
    while earlier is not None and len(chain) < 20:
        chain.append(earlier.pk)
        earlier = (
            Action.objects.filter(pk=earlier.carried_from_id)
            .select_related("outcome__priority__plan")
            .first()
        )
    return list(
        ProgressUpdate.objects.filter(action_id__in=chain)
        .select_related("action__outcome__priority__plan")
        .order_by("-created_at", "-id")
    )


def _action_page(request, action, form):
    indicators = list(action.indicators.order_by("code"))
    recommendations = list(
        reports.visible_recommendations(request.user)
        .filter(plan_actions=action)
        .select_related("review")
        .order_by("review__reference", "number")
    )
    return render(
        request,
        "plans/action_detail.html",
        {
            "action": action,
            "rag": action.rag(),
            "history": _history(action),
            "form": form,
            "indicators": indicators,
            "recommendations": recommendations,
            "today": timezone.localdate(),
        },
    )


@permission_required("plans.view_plan", fn=_action)
def action_detail(request, pk, obj):
    form = None
    if obj.is_open and request.user.has_perm("plans.update_action", obj):
        form = ProgressUpdateForm()
    return _action_page(request, obj, form)


@require_POST
@permission_required("plans.update_action", fn=_action)
def action_update(request, pk, obj):
    form = ProgressUpdateForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_update_add(
                action=obj,
                rag=data["rag"],
                note=data["note"],
                evidence=data["evidence"],
                evidence_file=data["evidence_file"],
                actor=actor_for(request),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The progress update has been saved")
            return redirect(obj)
    return _action_page(request, obj, form)


def _update(request, pk, **kwargs):
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("action__outcome__priority"), pk=pk
    )
    if not update.evidence_file:
        raise Http404
    return update.action


@permission_required("plans.view_plan", fn=_update)
def evidence_download(request, pk, obj):
    update = get_object_or_404(ProgressUpdate, pk=pk, action=obj)
    response = file_download(update.evidence_file, filename=update.evidence_file_name or "evidence")
    services.evidence_record_download(update=update, actor=actor_for(request))
    return response


# The Core Business Group's review -----------------------------------------------------------


@permission_required("plans.view_review")
def review(request):
    plans = Plan.objects.exclude(status=PlanStatus.DRAFT).order_by("-starts_on")
    slug = request.GET.get("plan", "")
    plan = (plans.filter(slug=slug).first() if slug else None) or (
        Plan.objects.current().first() or plans.first()
    )
    context = {"plan": plan, "plans": list(plans.only("slug", "title")), "today": None}
    if plan is not None:
        data = reports.core_business_review(plan)
        context.update(
            {
                "meeting": data["meeting"],
                "off_track": paginate(request, data["off_track"], per_page=25),
                "overdue_count": data["overdue"].count(),
                "overdue": data["overdue"][:25],
                "stale_count": data["stale"].count(),
                "stale": data["stale"][:25],
                "today": timezone.localdate(),
            }
        )
    return render(request, "plans/review.html", context)


# The thematic lead's report -----------------------------------------------------------------


def _meeting(request, pk, **kwargs):
    return get_object_or_404(
        Meeting.objects.select_related("group", "priority__thematic_lead"),
        pk=pk,
        priority__isnull=False,
    )


@permission_required("plans.view_thematic_report", fn=_meeting)
def thematic_report(request, pk, obj):
    report = reports.thematic_report(obj, request.user)
    return render(
        request,
        "plans/thematic_report.html",
        {
            "report": report,
            "attached": services.thematic_report_attached(obj),
            "frozen": services.thematic_report_frozen(obj),
        },
    )


@permission_required("plans.write_thematic_narrative", fn=_meeting)
def thematic_narrative(request, pk, obj):
    narrative = ThematicNarrative.objects.filter(meeting=obj).first()
    return form_page(
        request,
        ThematicNarrativeForm(
            posted(request), initial={"text": narrative.text if narrative else ""}
        ),
        template="plans/thematic_narrative_form.html",
        on_valid=lambda data: services.thematic_narrative_save(
            meeting=obj, text=data["text"], actor=actor_for(request)
        ),
        success="Your account has been saved",
        next_url=reverse("plans:thematic-report", kwargs={"pk": obj.pk}),
        context={"meeting": obj},
    )


@permission_required("plans.view_thematic_report", fn=_meeting)
def thematic_report_pdf(request, pk, obj):
    report = reports.thematic_report(obj, request.user)
    response = HttpResponse(documents.thematic_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="thematic-report-{obj.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@permission_required("plans.attach_thematic_report", fn=_meeting)
def thematic_report_attach(request, pk, obj):
    # The copy on the agenda goes to everyone who reads the agenda: it carries only the
    # recommendations of published reviews.
    report = reports.thematic_report(obj, None)
    try:
        services.thematic_report_attach(
            meeting=obj,
            pdf=documents.thematic_report_pdf(report),
            actor=actor_for(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:thematic-report", pk=obj.pk)
    messages.success(request, "The report has been attached to the meeting's agenda")
    return redirect(obj)


# The public plan-on-a-page ------------------------------------------------------------------


def _plan_on_a_page(request, plan):
    priorities = (
        plan.priorities.select_related("priority", "lead_organisation")
        .prefetch_related(Prefetch("outcomes", queryset=Outcome.objects.order_by("position")))
        .order_by("position", "id")
    )
    return render(
        request,
        "plans/on_a_page.html",
        {
            "plan": plan,
            "statements": _statements(plan),
            "kinds": StatementKind,
            "priorities": priorities,
            "others": Plan.objects.published().exclude(pk=plan.pk).only("slug", "title"),
        },
    )


@public
def on_a_page_current(request):
    plan = Plan.objects.published().current().first() or Plan.objects.published().first()
    if plan is None:
        return render(request, "plans/on_a_page.html", {"plan": None})
    return _plan_on_a_page(request, plan)


@public
def on_a_page(request, slug):
    return _plan_on_a_page(request, get_object_or_404(Plan.objects.published(), slug=slug))
