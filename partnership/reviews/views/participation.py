"""Pages for the people outside the business unit: an agency's requests, the delegated
safeguarding partners; and the documents a rapid review produces (the serious incident
notification, the agency letters, the rapid review report)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.directory.models import Organisation
from partnership.trail.models import Action
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted

from .. import documents_out, participation_forms, services
from ..models import (
    AgencyRequest,
    AgencySummary,
    DelegatedPartner,
    Notification,
    RapidReviewReport,
    Recipient,
)
from ..services.common import _audit
from .common import _form_page, _review, _review_url, _viewed
from .rapid import _rapid

# An agency's requests -----------------------------------------------------------------------


def _contact_summaries(request):
    return AgencySummary.objects.for_contact(request.user).select_related(
        "rapid_review__review", "organisation"
    )


def _contact_requests(request):
    return AgencyRequest.objects.for_contact(request.user).select_related(
        "review", "organisation", "submitted_by", "contribution_file"
    )


@permission_required("reviews.contribute")
def agency_requests(request):
    summaries = list(_contact_summaries(request).order_by("status", "due_on", "pk"))
    local_requests = list(_contact_requests(request).order_by("status", "due_on", "pk"))
    return render(
        request,
        "reviews/agency_requests.html",
        {"summaries": summaries, "local_requests": local_requests},
    )


def _contribution_page(request, ask, *, what, caption, asked, help_text, viewed, submit):
    """The page on which an agency's contact reads what is asked of their agency (the
    review's pseudonym, what, by when) and sends it: the same for a rapid review summary and
    a local review's chronology or learning summary."""
    form = participation_forms.ContributionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        what=what,
        help_text=help_text,
    )
    if request.method != "POST" or not form.is_valid():
        viewed(actor=actor_for(request))
    return form_page(
        request,
        form,
        template="reviews/agency_request.html",
        on_valid=lambda data: submit(
            contribution=data["contribution"],
            upload=data.get("file"),
            actor=actor_for(request),
        ),
        success=f"Your {what} has been sent to the business unit for the {caption.lower()} "
        f"of {ask.review.title}",
        next_url=lambda _: request.path,
        context={
            "ask": ask,
            "review": ask.review,
            "what": what,
            "caption": caption,
            "asked": asked,
        },
    )


def _contact_summary(request, summary, **kwargs):
    return get_object_or_404(_contact_summaries(request), pk=summary)


@permission_required("reviews.contribute", fn=_contact_summary)
def agency_request(request, summary, obj):
    return _contribution_page(
        request,
        obj,
        what="summary",
        caption="Rapid review",
        asked="A summary of your agency's involvement with the child and family, for the "
        "rapid review",
        help_text=participation_forms.SUMMARY_HELP,
        viewed=lambda actor: services.agency_summary_viewed(summary=obj, actor=actor),
        submit=lambda **kwargs: services.agency_summary_submit(summary=obj, **kwargs),
    )


def _contact_request(request, agency_request, **kwargs):
    return get_object_or_404(_contact_requests(request), pk=agency_request)


@permission_required("reviews.contribute", fn=_contact_request)
def agency_local_request(request, agency_request, obj):
    return _contribution_page(
        request,
        obj,
        what=obj.what,
        caption=obj.review.local_review.get_kind_display()
        if hasattr(obj.review, "local_review")
        else "Local review",
        asked=f"A {obj.what} from your agency, for the review",
        help_text=participation_forms.REQUEST_HELP,
        viewed=lambda actor: services.agency_request_viewed(agency_request=obj, actor=actor),
        submit=lambda **kwargs: services.agency_request_submit(agency_request=obj, **kwargs),
    )


# Delegated safeguarding partners ------------------------------------------------------------


@permission_required("reviews.manage_delegates")
def delegated_partners(request):
    delegates = {d.partner_id: d for d in DelegatedPartner.objects.select_related("person")}
    rows = [
        (partner, delegates.get(partner.pk), services.signers_for(partner))
        for partner in services.partners()
    ]
    return render(request, "reviews/delegated_partners.html", {"rows": rows})


@permission_required("reviews.manage_delegates")
def delegated_partner_set(request, partner):
    partner = get_object_or_404(Organisation.objects.partners().active(), pk=partner)
    current = DelegatedPartner.objects.filter(partner=partner).first()
    form = participation_forms.DelegatedPartnerForm(
        posted(request),
        partner=partner,
        initial={"person": current.person_id if current else None},
    )
    return form_page(
        request,
        form,
        template="reviews/simple_form.html",
        on_valid=lambda data: services.delegated_partner_set(
            partner=partner, person=data["person"], actor=actor_for(request)
        ),
        success=lambda delegate: f"{delegate.person} now signs off rapid reviews for {partner}",
        next_url="/reviews/delegated-partners/",
        context={
            "title": f"Delegated safeguarding partner for {partner}",
            "back": "/reviews/delegated-partners/",
            "intro": "The person who signs off rapid review decisions for the partner, "
            "themselves, in the platform.",
        },
    )


# The serious incident notification ----------------------------------------------------------


@permission_required("reviews.view_review", fn=_review)
def incident_notification(request, pk, obj):
    incidents = list(
        obj.incidents.prefetch_related("abuse_types", "agencies").order_by("aware_on", "pk")
    )
    panel = {
        n.incident_id: n
        for n in Notification.objects.filter(incident__review=obj, recipient=Recipient.PANEL)
    }
    _viewed(request, obj, "the serious incident notification")
    return render(
        request,
        "reviews/incident_notification.html",
        {
            "review": obj,
            "rows": [(incident, panel.get(incident.pk)) for incident in incidents],
            "section": "review",
        },
    )


# Agency letters -----------------------------------------------------------------------------


@permission_required("reviews.manage_review", fn=_review)
def agency_letter(request, pk, summary, obj):
    summary = get_object_or_404(
        AgencySummary.objects.select_related("rapid_review__review", "organisation"),
        pk=summary,
        rapid_review__review=obj,
    )
    body = documents_out.agency_letter_pdf(summary)
    _audit(
        obj,
        actor=actor_for(request),
        action=Action.DOWNLOAD,
        summary=f"Downloaded the letter to {summary.organisation}",
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{obj.reference}-letter-{summary.organisation.slug}.pdf"'
    )
    return response


# The rapid review report --------------------------------------------------------------------


def _report(rapid):
    return RapidReviewReport.objects.filter(rapid_review=rapid).first()


@permission_required("reviews.view_review", fn=_review)
def report(request, pk, obj):
    rapid = _rapid(obj)
    _viewed(request, obj, "the rapid review report")
    return render(
        request,
        "reviews/report.html",
        {"review": obj, "rapid": rapid, "report": _report(rapid), "section": "rapid"},
    )


@require_POST
@permission_required("reviews.manage_review", fn=_review)
def report_generate(request, pk, obj):
    services.rapid_review_report_generate(rapid=_rapid(obj), actor=actor_for(request))
    messages.success(request, "The report has been drafted from the record: check and edit it")
    return redirect("reviews:report", pk=obj.pk)


@permission_required("reviews.manage_review", fn=_review)
def report_edit(request, pk, obj):
    rapid = _rapid(obj)
    report = _report(rapid)
    if report is None:
        return redirect("reviews:report", pk=obj.pk)
    form = participation_forms.ReportForm(
        posted(request), initial={field: text for field, _, text in report.sections}
    )
    return _form_page(
        request,
        obj,
        form,
        title="Edit the rapid review report",
        back=_review_url(obj, "reviews:report"),
        success="The report has been saved",
        on_valid=lambda data: services.rapid_review_report_save(
            report=report, sections=data, actor=actor_for(request)
        ),
    )


FORMATS = {
    "pdf": ("application/pdf", documents_out.report_pdf),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        documents_out.report_docx,
    ),
}


@permission_required("reviews.view_review", fn=_review)
def report_download(request, pk, fmt, obj):
    if fmt not in FORMATS:
        raise Http404
    report = _report(_rapid(obj))
    if report is None:
        raise Http404
    content_type, make = FORMATS[fmt]
    body = make(report)
    _audit(
        obj,
        actor=actor_for(request),
        action=Action.DOWNLOAD,
        summary=f"Downloaded the rapid review report ({fmt.upper()})",
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{obj.reference}-rapid-review-report.{fmt}"'
    )
    return response
