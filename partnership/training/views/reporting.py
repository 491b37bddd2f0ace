"""Training reports on screen, and their CSV and Excel downloads."""

from django.http import HttpResponse
from django.shortcuts import render

from partnership.accounts.decorators import permission_required
from partnership.trail.models import Action
from partnership.trail.services import audit_record
from partnership.web.actors import actor_for

from .. import reports
from ..forms import (
    ReportFilterForm,
)

# Reports -----------------------------------------------------------------------------------


def _report(request):
    filters = ReportFilterForm(request.GET or None)
    if filters.is_valid():
        data = filters.cleaned_data
        report = reports.training_report(
            group=data["group"] or "course", start=data["start"], end=data["end"]
        )
    else:
        report = reports.training_report(group="course")
    return filters, report


@permission_required("training.view_reports")
def report(request):
    filters, report = _report(request)
    return render(
        request,
        "training/reports.html",
        {
            "filters": filters,
            "report": report,
            "columns": reports.COLUMNS,
            "figure": reports.format_figure,
        },
    )


def _export(request, content: bytes, content_type: str, extension: str, report):
    audit_record(
        actor=actor_for(request),
        action=Action.EXPORT,
        object_type="training.report",
        object_label=f"Training report by {report.group_label.lower()}",
        summary=f"Downloaded the training report by {report.group_label.lower()} ({extension})",
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="training-report-by-{report.group}.{extension}"'
    )
    return response


@permission_required("training.view_reports")
def report_csv(request):
    _, report = _report(request)
    return _export(request, reports.report_csv(report), "text/csv; charset=utf-8", "csv", report)


@permission_required("training.view_reports")
def report_xlsx(request):
    _, report = _report(request)
    return _export(
        request,
        reports.report_xlsx(report),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        report,
    )
