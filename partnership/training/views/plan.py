"""The year's training plan and its entries."""

from django.contrib import messages
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import reports, services
from ..forms import (
    PlanEntryForm,
    PlanForm,
)
from ..models import (
    BookingStatus,
    Course,
    NeedsSurvey,
    PlanEntry,
    SessionStatus,
    TrainingPlan,
)

# The plan ----------------------------------------------------------------------------------


@permission_required("training.view_plan")
def plans(request):
    page = paginate(request, TrainingPlan.objects.select_related("survey").order_by("-year"))
    return render(request, "training/plan/plan_list.html", {"page": page})


@permission_required("training.manage")
def plan_create(request):
    year = timezone.localdate().year
    form = PlanForm(
        posted(request),
        initial={"year": year, "survey": NeedsSurvey.objects.filter(year=year).first()},
    )
    return form_page(
        request,
        form,
        template="training/plan/plan_form.html",
        on_valid=lambda data: services.plan_save(plan=form.instance, actor=actor_for(request)),
        success=lambda plan: f"The training plan for {plan.year_label} has been set up",
        next_url=lambda plan: plan.get_absolute_url(),
    )


def _plan(request, year, **kwargs):
    return get_object_or_404(TrainingPlan.objects.select_related("survey"), year=year)


@permission_required("training.view_plan", fn=_plan)
def plan_detail(request, year, obj):
    plan = obj
    in_year = Q(
        sessions__starts_at__date__gte=plan.starts_on,
        sessions__starts_at__date__lte=plan.ends_on,
        sessions__status=SessionStatus.SCHEDULED,
    )
    # Places delivered for each entry's course within the plan's year.
    delivered = (
        Course.objects.filter(pk=OuterRef("course_id"))
        .annotate(
            places=Count(
                "sessions__bookings",
                filter=in_year & Q(sessions__bookings__status=BookingStatus.CONFIRMED),
            )
        )
        .values("places")
    )
    entries = (
        plan.entries.select_related("theme", "priority", "course")
        .annotate(places_booked=Subquery(delivered))
        .order_by("level", "title")
    )
    page = paginate(request, entries)
    summary = reports.needs_summary(plan.survey) if plan.survey else None
    return render(
        request,
        "training/plan/plan_detail.html",
        {"plan": plan, "page": page, "summary": summary},
    )


@permission_required("training.manage", fn=_plan)
def plan_edit(request, year, obj):
    form = PlanForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/plan/plan_form.html",
        on_valid=lambda data: services.plan_save(plan=form.instance, actor=actor_for(request)),
        success="Your changes have been saved",
        next_url=lambda plan: plan.get_absolute_url(),
        context={"plan": obj},
    )


@require_POST
@permission_required("training.manage", fn=_plan)
def plan_from_needs(request, year, obj):
    try:
        added = services.plan_entries_from_needs(plan=obj, actor=actor_for(request))
    except services.TrainingError as error:
        messages.success(request, error.message)
    else:
        messages.success(request, f"{added} entries added from the needs analysis")
    return redirect(obj)


@permission_required("training.manage", fn=_plan)
def plan_entry_create(request, year, obj):
    form = PlanEntryForm(posted(request))
    form.instance.plan = obj
    return form_page(
        request,
        form,
        template="training/plan/entry_form.html",
        on_valid=lambda data: services.plan_entry_save(
            entry=form.instance, actor=actor_for(request)
        ),
        success="The entry has been added to the plan",
        next_url=obj.get_absolute_url(),
        context={"plan": obj},
    )


def _plan_entry(request, year, pk, **kwargs):
    return get_object_or_404(PlanEntry.objects.select_related("plan"), pk=pk, plan__year=year)


@permission_required("training.manage", fn=_plan_entry)
def plan_entry_edit(request, year, pk, obj):
    form = PlanEntryForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/plan/entry_form.html",
        on_valid=lambda data: services.plan_entry_save(
            entry=form.instance, actor=actor_for(request)
        ),
        success="Your changes have been saved",
        next_url=obj.plan.get_absolute_url(),
        context={"plan": obj.plan, "entry": obj},
    )
