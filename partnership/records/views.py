"""The records area, for the business unit: the retention schedule, legal holds, disposal
runs, subject access and erasure."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted, show_refusal
from partnership.web.pagination import paginate

from . import services
from .forms import (
    ConfirmForm,
    EmptyForm,
    ErasureForm,
    HoldForm,
    ReasonForm,
    RetentionForm,
    SubjectAccessForm,
    SubjectForm,
)
from .models import (
    DisposalItem,
    DisposalRun,
    Erasure,
    ItemStatus,
    LegalHold,
    RunStatus,
    SubjectAccessRequest,
)
from .registry import kind_for, periods, schedule_order
from .subjects import subject_find

MANAGE = "records.manage"


@permission_required(MANAGE)
def home(request):
    return render(
        request,
        "records/home.html",
        {
            "open_run": DisposalRun.objects.filter(
                status__in=[RunStatus.PROPOSED, RunStatus.APPROVED]
            ).first(),
            "holds": LegalHold.objects.active().count(),
        },
    )


# The schedule ------------------------------------------------------------------------------


@permission_required(MANAGE)
def schedule(request):
    lines = periods()
    return render(
        request,
        "records/schedule.html",
        {
            "lines": [lines[kind.key] for kind in schedule_order()],
            "labels": {key: line.kind.label for key, line in lines.items()},
        },
    )


def _kind(request, key, **kwargs):
    try:
        return kind_for(key)
    except LookupError as error:
        raise Http404("No such kind of record") from error


@permission_required(MANAGE, fn=_kind)
def schedule_edit(request, key, obj):
    kind = obj
    if kind.part_of or not kind.disposable:
        raise Http404("This kind of record has no period of its own")
    line = periods()[kind.key]
    initial = {
        "permanent": line.months is None,
        "years": (line.months or 0) // 12 if line.months is not None else None,
        "months": (line.months or 0) % 12 if line.months is not None else None,
        "note": line.note,
    }
    form = RetentionForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        template="records/schedule_form.html",
        on_valid=lambda data: services.retention_set(
            kind=kind, months=data["total_months"], note=data["note"], actor=actor_for(request)
        ),
        success=f"The retention period of {kind.label.lower()} has been saved",
        next_url="records:schedule",
        context={"line": line, "kind": kind},
    )


# Legal holds -------------------------------------------------------------------------------


@permission_required(MANAGE)
def holds(request):
    show_released = request.GET.get("show") == "released"
    queryset = LegalHold.objects.all() if show_released else LegalHold.objects.active()
    page = paginate(request, queryset.order_by("-placed_at", "-pk"))
    labels = {kind.key: kind.label for kind in schedule_order()}
    return render(
        request,
        "records/holds.html",
        {"page": page, "labels": labels, "show_released": show_released},
    )


@permission_required(MANAGE)
def hold_create(request):
    form = HoldForm(posted(request), initial={"kind": request.GET.get("kind", "")})
    return form_page(
        request,
        form,
        template="records/hold_form.html",
        on_valid=lambda data: services.hold_place(
            kind=kind_for(data["kind"]),
            object_id=data["object_id"],
            reason=data["reason"],
            actor=actor_for(request),
        ),
        success=lambda hold: f"{hold.description} is now under a legal hold",
        next_url="records:holds",
    )


def _hold(request, pk, **kwargs):
    return get_object_or_404(LegalHold, pk=pk)


@permission_required(MANAGE, fn=_hold)
def hold_release(request, pk, obj):
    form = ReasonForm(posted(request))
    return form_page(
        request,
        form,
        template="records/hold_release.html",
        on_valid=lambda data: services.hold_release(
            hold=obj, reason=data["reason"], actor=actor_for(request)
        ),
        success=lambda hold: f"The hold on {hold.description} has been released",
        next_url="records:holds",
        context={"hold": obj, "kind_label": _label(obj.kind)},
    )


def _label(key: str) -> str:
    try:
        return kind_for(key).label
    except LookupError:
        return key


# Disposal runs -----------------------------------------------------------------------------


@permission_required(MANAGE)
def runs(request):
    counted = DisposalRun.objects.annotate(
        item_count=Count("items"),
        destroyed_count=Count(
            "items", filter=Q(items__status__in=[ItemStatus.DESTROYED, ItemStatus.ANONYMISED])
        ),
    ).order_by("-proposed_at", "-pk")
    page = paginate(request, counted)
    return render(request, "records/runs.html", {"page": page})


@permission_required(MANAGE)
def run_propose(request):
    form = EmptyForm(posted(request))
    return form_page(
        request,
        form,
        template="records/run_propose.html",
        on_valid=lambda data: services.disposal_run_propose(actor=actor_for(request)),
        success=lambda run: f"Disposal run {run.pk} has been drawn up",
        next_url=lambda run: run.get_absolute_url(),
    )


def _run(request, pk, **kwargs):
    return get_object_or_404(DisposalRun, pk=pk)


@permission_required(MANAGE, fn=_run)
def run_detail(request, pk, obj):
    run = obj
    status = request.GET.get("status", "")
    items = run.items.all()
    if status in ItemStatus.values:
        items = items.filter(status=status)
    page = paginate(request, items.order_by(*DisposalItem._meta.ordering))
    counts = dict(run.items.values_list("status").annotate(n=Count("pk")).order_by())
    labels = {kind.key: kind.label for kind in schedule_order()}
    return render(
        request,
        "records/run_detail.html",
        {
            "run": run,
            "page": page,
            "labels": labels,
            "counts": [
                (ItemStatus(key), counts[key]) for key in ItemStatus.values if key in counts
            ],
            "status": status,
        },
    )


# The three steps a run is taken through, each confirmed on the same page: the form that
# confirms it, the service that does it, and what the business unit is told.
RUN_STEPS = {
    "approve": (
        ConfirmForm,
        services.disposal_run_approve,
        "The run is approved: the records left in it can now be destroyed",
    ),
    "destroy": (
        EmptyForm,
        services.disposal_run_destroy,
        "The run has been carried out: see what was destroyed and what was kept",
    ),
    "cancel": (
        EmptyForm,
        services.disposal_run_cancel,
        "The run has been cancelled: every record in it is kept",
    ),
}


def run_step_view(step: str):
    form_class, service, success = RUN_STEPS[step]

    @permission_required(MANAGE, fn=_run)
    def view(request, pk, obj):
        return form_page(
            request,
            form_class(posted(request)),
            template="records/run_confirm.html",
            on_valid=lambda data: service(run=obj, actor=actor_for(request)),
            success=success,
            next_url=obj.get_absolute_url(),
            context={"run": obj, "step": step, "due": _still_due(obj)},
        )

    view.__name__ = f"run_{step}"
    return view


run_approve = run_step_view("approve")
run_destroy = run_step_view("destroy")
run_cancel = run_step_view("cancel")


def _still_due(run) -> int:
    return run.items.filter(status=ItemStatus.PROPOSED).count()


def _item(request, pk, **kwargs):
    return get_object_or_404(DisposalItem.objects.select_related("run"), pk=pk)


@permission_required(MANAGE, fn=_item)
def item_remove(request, pk, obj):
    form = ReasonForm(posted(request))
    return form_page(
        request,
        form,
        template="records/item_remove.html",
        on_valid=lambda data: services.disposal_item_remove(
            item=obj, reason=data["reason"], actor=actor_for(request)
        ),
        success=lambda item: f"{item.description} has been taken out of the run and is kept",
        next_url=obj.run.get_absolute_url(),
        context={"item": obj, "kind_label": _label(obj.kind)},
    )


# Subject access ----------------------------------------------------------------------------


@permission_required(MANAGE)
def subject_access(request):
    form = SubjectAccessForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            export = services.subject_access_export(
                email=form.cleaned_data["email"],
                reference=form.cleaned_data["reference"],
                actor=actor_for(request),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            response = HttpResponse(export.content, content_type="application/zip")
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            response["Cache-Control"] = "private, no-store"
            return response
    page = paginate(request, SubjectAccessRequest.objects.order_by("-made_at", "-pk"))
    return render(request, "records/subject_access.html", {"form": form, "page": page})


# Erasure -----------------------------------------------------------------------------------


@permission_required(MANAGE)
def erasure(request):
    """Step 1: the person's email address, then what erasure would do; step 2 (POST) does it."""
    finder = SubjectForm(request.GET if "email" in request.GET else None)
    plan = None
    if finder.is_bound and finder.is_valid():
        plan = services.erasure_plan(subject_find(finder.cleaned_data["email"]))
    form = ErasureForm(
        posted(request), initial={"email": finder.cleaned_data["email"] if plan is not None else ""}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                done = services.erasure_carry_out(
                    email=form.cleaned_data["email"],
                    ground=form.cleaned_data["ground"],
                    notes=form.cleaned_data["notes"],
                    actor=actor_for(request),
                )
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(
                    request,
                    f"Erasure {done.pk} carried out: {done.erased_count} records erased, "
                    f"{done.refused_count} kept",
                )
                return redirect("records:erasure-detail", pk=done.pk)
        again = SubjectForm(request.POST)
        plan = (
            services.erasure_plan(subject_find(again.cleaned_data["email"]))
            if again.is_valid()
            else None
        )
    page = paginate(request, Erasure.objects.order_by("-made_at", "-pk"))
    return render(
        request,
        "records/erasure.html",
        {"finder": finder, "form": form, "plan": plan, "page": page},
    )


def _erasure(request, pk, **kwargs):
    return get_object_or_404(Erasure, pk=pk)


@permission_required(MANAGE, fn=_erasure)
def erasure_detail(request, pk, obj):
    return render(request, "records/erasure_detail.html", {"erasure": obj})
