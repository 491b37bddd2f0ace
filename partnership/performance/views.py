"""Pages of the performance framework. Every query for returns goes through
`DataReturn.objects.visible_to(user)` (need to know)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.governance.models import Meeting, Priority
from partnership.outputs.pdf import html_to_pdf
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted, show_refusal
from partnership.web.pagination import paginate, pagination_params
from partnership.web.uploads import errors_capped

from . import reports, services, spreadsheets
from .forms import (
    ChaserForm,
    CommentForm,
    CompletenessFilter,
    DefinitionForm,
    IndicatorAddForm,
    IndicatorChangeForm,
    ReturnForm,
    SettingsForm,
    UploadForm,
)
from .models import (
    ChaserRule,
    DataReturn,
    Indicator,
    PerformanceSettings,
    ReportingPeriod,
    ReturnStatus,
    Source,
)
from .rules import PERFORMANCE_GROUP


def _page(request, queryset, per_page=50):
    page = paginate(request, queryset, per_page)
    return page, pagination_params(request, page)


@permission_required("performance.view_library")
def index(request):
    return render(request, "performance/index.html", {})


@permission_required("performance.view_library")
def indicators(request):
    queryset = Indicator.objects.select_related("owner", "priority").order_by("sort_order", "code")
    page, pagination = _page(request, queryset)
    return render(request, "performance/indicators.html", {"page": page, "pagination": pagination})


@permission_required("performance.view_library")
def indicator(request, code):
    item = get_object_or_404(Indicator.objects.select_related("owner", "priority"), code=code)
    versions = list(item.versions.select_related("created_by").order_by("-number"))
    # The library is for all partnership staff; the figures only for those who may see them.
    snapshot = None
    if Indicator.objects.figures_visible_to(request.user).filter(pk=item.pk).exists():
        snapshot = services.indicator_snapshots([item])[item.pk]
    return render(
        request,
        "performance/indicator.html",
        {"indicator": item, "versions": versions, "snapshot": snapshot},
    )


# --- Managing the library (the business unit) ----------------------------------------------


@permission_required("performance.manage_library")
def indicator_add(request):
    form = IndicatorAddForm(posted(request))
    return form_page(
        request,
        form,
        template="performance/indicator_add.html",
        on_valid=lambda data: services.add_indicator(
            indicator=form.indicator(), version=form.version(), actor=actor_for(request)
        ),
        success=lambda item: f"{item.code} {item.name} has been added to the library",
        next_url=lambda item: item.get_absolute_url(),
    )


@permission_required("performance.manage_library")
def indicator_change(request, code):
    item = get_object_or_404(Indicator, code=code)
    fixed = services.has_figures(item)
    # The page shows the indicator as saved, whatever the form holds.
    saved = Indicator.objects.select_related("owner").get(pk=item.pk)
    form = IndicatorChangeForm(posted(request), instance=item, fixed=fixed)
    return form_page(
        request,
        form,
        template="performance/indicator_change.html",
        on_valid=lambda data: services.change_indicator(
            indicator=form.instance, actor=actor_for(request)
        ),
        success=f"Your changes to {item.code} have been saved",
        next_url=lambda changed: changed.get_absolute_url(),
        context={"indicator": saved, "fixed": fixed},
    )


@permission_required("performance.manage_library")
def indicator_version(request, code):
    item = get_object_or_404(Indicator.objects.select_related("owner"), code=code)
    versions = list(item.versions.select_related("created_by").order_by("-number"))
    current = versions[0] if versions else None
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name)
            for name in DefinitionForm.version_fields
            if name not in ("valid_from", "valid_to", "reason")
        }
    form = DefinitionForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        template="performance/indicator_version.html",
        on_valid=lambda data: services.change_definition(
            indicator=item, version=form.version(), actor=actor_for(request)
        ),
        success=lambda version: (
            f"Version {version.number} of the definition of {item.code}"
            f" has been added, in use from {version.valid_from:%-d %B %Y}"
        ),
        next_url=item.get_absolute_url(),
        context={"indicator": item, "versions": versions, "current": current},
    )


# --- Settings and chasers (the business unit) ----------------------------------------------


def _settings_context(*, settings_form=None, chaser_form=None) -> dict:
    return {
        "settings_form": settings_form or SettingsForm(instance=PerformanceSettings.load()),
        "chaser_form": chaser_form or ChaserForm(),
        "chasers": list(ChaserRule.objects.filter(is_active=True)),
        "periods": list(services.open_periods()),
    }


def _settings_saved(moved: int) -> str:
    text = "The performance settings have been saved"
    if moved:
        text += f"; {moved} due date{'s' if moved != 1 else ''} worked out again"
    return text


@permission_required("performance.manage_library")
def settings_page(request):
    form = SettingsForm(posted(request), instance=PerformanceSettings.load())
    return form_page(
        request,
        form,
        template="performance/settings.html",
        on_valid=lambda data: services.change_settings(
            settings=form.instance, actor=actor_for(request)
        ),
        success=_settings_saved,
        next_url="performance:settings",
        context=_settings_context(settings_form=form),
    )


@require_POST
@permission_required("performance.manage_library")
def chaser_add(request):
    form = ChaserForm(request.POST)
    if form.is_valid():
        try:
            rule = services.add_chaser(days_from_due=form.days_from_due, actor=actor_for(request))
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Chaser added: {str(rule).lower()}")
            return redirect("performance:settings")
    return render(request, "performance/settings.html", _settings_context(chaser_form=form))


@require_POST
@permission_required("performance.manage_library")
def chaser_remove(request, pk):
    rule = get_object_or_404(ChaserRule, pk=pk, is_active=True)
    services.remove_chaser(rule=rule, actor=actor_for(request))
    messages.success(request, f"Chaser removed: {str(rule).lower()}")
    return redirect("performance:settings")


# --- Returns -------------------------------------------------------------------------------


@permission_required("performance.view_returns")
def returns(request):
    queryset = (
        DataReturn.objects.visible_to(request.user)
        .select_related("organisation", "period")
        .order_by("-period__start", "organisation__name")
    )
    status = request.GET.get("status")
    if status in ReturnStatus.values:
        queryset = queryset.filter(status=status)
    page, pagination = _page(request, queryset)
    return render(
        request,
        "performance/returns.html",
        {
            "page": page,
            "pagination": pagination,
            "statuses": ReturnStatus.choices,
            "status": status,
        },
    )


def _return(request, pk):
    return get_object_or_404(
        DataReturn.objects.visible_to(request.user).select_related("organisation", "period"),
        pk=pk,
    )


@permission_required("performance.view_return", _return)
def return_detail(request, pk, obj):
    services.record_return_read(obj, actor=actor_for(request))
    versions = list(obj.versions.select_related("created_by").order_by("-number"))
    current = next((v for v in versions if v.is_current), None)
    points = []
    if current is not None:
        points = list(current.points.select_related("indicator").order_by("indicator__code"))
    return render(
        request,
        "performance/return.html",
        {
            "data_return": obj,
            "versions": versions,
            "current": current,
            "points": points,
            "can_edit": request.user.has_perm("performance.edit_return", obj),
            "can_validate": request.user.has_perm("performance.validate_return", obj)
            and obj.status == ReturnStatus.SUBMITTED,
        },
    )


def _current_points(data_return) -> dict:
    version = data_return.versions.filter(is_current=True).first()
    return {p.indicator_id: p for p in version.points.all()} if version else {}


def _apply_errors(form, errors):
    for error in errors:
        name = error.column if error.column in form.fields else None
        form.add_error(name, error.message)


@permission_required("performance.edit_return", _return)
def return_edit(request, pk, obj):
    indicators = services.return_indicators(obj)
    needs_reason = services.needs_reason(obj)
    form = ReturnForm(
        request.POST or None,
        indicators=indicators,
        current=_current_points(obj),
        needs_reason=needs_reason,
    )
    if request.method == "POST" and form.is_valid():
        checked = services.check_batch(obj, form.rows(), indicators)
        if checked.ok:
            submit = "submit" in request.POST
            services.save_return(
                obj,
                checked.rows,
                actor=actor_for(request),
                source=Source.FORM,
                reason=form.cleaned_data["reason"],
                submit=submit,
            )
            messages.success(request, "Return submitted" if submit else "Return saved as a draft")
            return redirect(obj.get_absolute_url())
        _apply_errors(form, checked.errors)
    return render(
        request,
        "performance/return_edit.html",
        {"data_return": obj, "form": form, "needs_reason": needs_reason},
    )


@permission_required("performance.edit_return", _return)
def return_upload(request, pk, obj):
    needs_reason = services.needs_reason(obj)
    form = UploadForm(request.POST or None, request.FILES or None, needs_reason=needs_reason)
    errors, total = [], 0
    if request.method == "POST" and form.is_valid():
        try:
            rows = spreadsheets.read_upload(form.cleaned_data["file"])
        except spreadsheets.UnreadableFile as exc:
            form.add_error("file", str(exc))
        else:
            checked = services.check_batch(obj, rows)
            if not rows:
                form.add_error("file", "The file has no figures in it")
            elif checked.ok:
                services.save_return(
                    obj,
                    checked.rows,
                    actor=actor_for(request),
                    source=Source.UPLOAD,
                    reason=form.cleaned_data["reason"],
                    submit=form.cleaned_data["submit"],
                )
                messages.success(request, f"{len(checked.rows)} figures imported")
                return redirect(obj.get_absolute_url())
            else:
                errors, total = errors_capped(checked.errors)
                form.add_error(
                    "file",
                    f"The file has {total:,} error{'s' if total != 1 else ''}:"
                    " nothing was imported. Correct them and upload it again.",
                )
    return render(
        request,
        "performance/return_upload.html",
        {
            "data_return": obj,
            "form": form,
            "errors": errors,
            "error_total": total,
            "needs_reason": needs_reason,
        },
    )


@permission_required("performance.edit_return", _return)
def return_template(request, pk, obj):
    content = spreadsheets.template(obj, services.return_indicators(obj))
    services.return_template_record_download(obj, actor=actor_for(request))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"return-{obj.organisation.slug}-{obj.period.slug}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@permission_required("performance.validate_return", _return)
def return_validate(request, pk, obj):
    try:
        services.validate_return(obj, actor=actor_for(request))
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Return validated")
    return redirect(obj.get_absolute_url())


# --- Completeness --------------------------------------------------------------------------


@permission_required("performance.view_completeness")
def completeness(request):
    filters = CompletenessFilter(request.GET or None)
    frequency = "quarterly"
    if filters.is_valid() and filters.cleaned_data["frequency"]:
        frequency = filters.cleaned_data["frequency"]
    periods, rows, page = reports.completeness(
        frequency, page_number=request.GET.get("page", 1), until=filters.until()
    )
    return render(
        request,
        "performance/completeness.html",
        {
            "filters": filters,
            "periods": periods,
            "rows": rows,
            "page": page,
            "pagination": pagination_params(request, page),
            "frequency": frequency,
        },
    )


# --- Reports -------------------------------------------------------------------------------


@permission_required("performance.view_report")
def report_list(request):
    queryset = ReportingPeriod.objects.order_by("-start", "frequency")
    page, pagination = _page(request, queryset)
    return render(request, "performance/reports.html", {"page": page, "pagination": pagination})


def _period(request, slug):
    period = ReportingPeriod.from_slug(slug)
    if period is None:
        raise Http404
    return period


def _report_context(request, period, *, charts=True, everything=False):
    priority = None
    slug = request.GET.get("priority")
    if slug:
        priority = Priority.objects.filter(slug=slug).first()
    page_number = request.GET.get("page", 1)
    report = reports.build_report(
        period,
        page_number=page_number,
        priority=priority,
        charts=charts,
        per_page=None if everything else reports.PER_PAGE,
    )
    return {
        "report": report,
        "period": period,
        "priority": priority,
        "priorities": list(Priority.objects.all()),
        "threshold": PerformanceSettings.load().key_point_threshold,
    }


@permission_required("performance.view_report", _period)
def report(request, slug, obj):
    context = _report_context(request, obj)
    context["pagination"] = pagination_params(request, context["report"].page)
    context["comment_form"] = CommentForm()
    context["can_comment"] = request.user.has_perm("performance.comment_report")
    context["meetings"] = (
        list(_performance_meetings()[:6]) if request.user.has_perm("performance.manage") else []
    )
    return render(request, "performance/report.html", context)


def _export_audit(request, period, kind):
    services.report_record_export(period=period, kind=kind, actor=actor_for(request))


@permission_required("performance.view_report", _period)
def report_pdf(request, slug, obj):
    context = _report_context(request, obj, everything=True)
    html = render_to_string("performance/print/report.html", context, request=request)
    pdf = html_to_pdf(html)
    _export_audit(request, obj, "PDF")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="key-points-{obj.slug}.pdf"'
    return response


@permission_required("performance.view_report", _period)
def report_xlsx(request, slug, obj):
    context = _report_context(request, obj, charts=False, everything=True)
    content = spreadsheets.report_xlsx(context["report"])
    _export_audit(request, obj, "XLSX")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="key-points-{obj.slug}.xlsx"'
    return response


def _performance_meetings():
    """The Policy and Performance Review Group's meetings still to come."""
    return (
        Meeting.objects.upcoming()
        .filter(group__slug=PERFORMANCE_GROUP)
        .select_related("group")
        .order_by("starts_at")
    )


@require_POST
@permission_required("performance.manage", _period)
def report_attach(request, slug, obj):
    meeting_id = request.POST.get("meeting", "")
    meeting = (
        _performance_meetings().filter(pk=meeting_id).first() if meeting_id.isdigit() else None
    )
    if meeting is None:
        messages.error(request, "Select the meeting to attach the summary to")
        return redirect("performance:report", slug=obj.slug)
    context = _report_context(request, obj, charts=False, everything=True)
    html = render_to_string("performance/print/summary.html", context, request=request)
    try:
        services.key_points_attach(
            meeting=meeting, period=obj, pdf=html_to_pdf(html), actor=actor_for(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("performance:report", slug=obj.slug)
    messages.success(request, f"The summary is on the agenda of {meeting.title}")
    return redirect(meeting)


@require_POST
@permission_required("performance.comment_report", _period)
def report_comment(request, slug, obj):
    form = CommentForm(request.POST)
    if form.is_valid():
        services.report_comment_add(
            period=obj, body=form.cleaned_data["body"], actor=actor_for(request)
        )
        messages.success(request, "Comment added")
    else:
        messages.error(request, "Enter a comment")
    return redirect(obj.get_absolute_url() + "#comments")


# --- Dashboards ----------------------------------------------------------------------------


@permission_required("performance.view_dashboards")
def dashboards(request):
    visible = [
        p
        for p in Priority.objects.select_related("thematic_lead")
        if request.user.has_perm("performance.view_dashboard", p)
    ]
    return render(request, "performance/dashboards.html", {"priorities": visible})


def _priority(request, slug):
    return get_object_or_404(Priority.objects.select_related("thematic_lead"), slug=slug)


@permission_required("performance.view_dashboard", _priority)
def dashboard(request, slug, obj):
    snapshots = reports.dashboard(obj, request.user)
    return render(request, "performance/dashboard.html", {"priority": obj, "snapshots": snapshots})
