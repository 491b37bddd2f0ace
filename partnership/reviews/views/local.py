"""The local review: terms, reviewer, who was told, panel, declarations, requests, events, monitoring."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import forms, services
from ..deadlines import related
from ..display import Clock
from ..models import (
    AgencyRequest,
    Declaration,
    PanelMember,
)
from .common import _form_page, _review, _review_url, _scoped_review, _viewed


def _local(review):
    local = related(review, "local_review")
    if local is None:
        raise Http404
    return local


@permission_required("reviews.view_review", fn=_review)
def local_review(request, pk, obj):
    review = obj
    local = _local(review)
    panel = list(
        review.panel_members.select_related("user__organisation").prefetch_related("declarations")
    )
    _viewed(request, review, "the local review")
    return render(
        request,
        "reviews/local_review.html",
        {
            "review": review,
            "local": local,
            "commissions": list(review.commissions.select_related("reviewer__organisation")),
            "panel": panel,
            "requests": list(
                review.agency_requests.select_related(
                    "organisation", "submitted_by", "contribution_file"
                )
            ),
            "events": list(review.practitioner_events.all()),
            "monitoring": list(review.monitoring.select_related("recorded_by")[:20]),
            "clock": Clock.now(),
            "section": "local",
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def terms(request, pk, obj):
    local = _local(obj)
    form = forms.TermsForm(
        posted(request), initial={"terms_of_reference": local.terms_of_reference}
    )
    return _form_page(
        request,
        obj,
        form,
        title="Terms of reference",
        back=_review_url(obj, "reviews:local-review"),
        success="The terms of reference have been saved",
        on_valid=lambda data: services.local_review_update_terms(
            local=local, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def commission(request, pk, obj):
    _local(obj)
    form = forms.CommissionForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Commission a reviewer",
        back=_review_url(obj, "reviews:local-review"),
        success="The reviewer has been commissioned and may now see this review",
        on_valid=lambda data: _commission(request, obj, form, data),
        template="reviews/commission_form.html",
    )


def _commission(request, review, form, data):
    common = {
        "review": review,
        "commissioned_on": data["commissioned_on"],
        "role": data["role"],
        "actor": actor_for(request),
    }
    if new_reviewer := form.invitation_details():
        return services.reviewer_commission_inviting(new_reviewer=new_reviewer, **common)
    return services.reviewer_commission(reviewer=data["reviewer"], **common)


@permission_required("reviews.manage_review", fn=_review)
def informed(request, pk, obj):
    local = _local(obj)
    form = forms.InformedForm(
        posted(request),
        initial={
            "panel_on": local.panel_informed_on,
            "ofsted_on": local.ofsted_informed_on,
            "dfe_on": local.dfe_informed_on,
        },
    )
    return _form_page(
        request,
        obj,
        form,
        title="Record who was told of the local review",
        intro="The Panel, Ofsted and the Department for Education are told as soon as a local "
        "review is decided, with the name of the reviewer.",
        back=_review_url(obj, "reviews:local-review"),
        success="The dates have been recorded",
        on_valid=lambda data: services.local_review_record_informed(
            local=local, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def pre_publication(request, pk, obj):
    local = _local(obj)
    form = forms.DateForm(
        posted(request),
        label="Date the final report was sent",
        field="sent_on",
        initial={"sent_on": local.pre_publication_notice_sent_on},
    )
    return _form_page(
        request,
        obj,
        form,
        title="Send the final report to the Panel and the Secretary of State",
        back=_review_url(obj, "reviews:local-review"),
        success="The pre-publication notice has been recorded",
        on_valid=lambda data: services.local_review_record_pre_publication_notice(
            local=local, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def panel_member_add(request, pk, obj):
    _local(obj)
    form = forms.PanelMemberForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Add a member to the review panel",
        intro="Panel members may see this review. Members with direct involvement in the "
        "case declare an interest.",
        back=_review_url(obj, "reviews:local-review"),
        success="The member has been added to the review panel",
        on_valid=lambda data: services.panel_member_add(
            review=obj, user=data["email"], role=data["role"], actor=actor_for(request)
        ),
    )


def _panel_member(request, pk, member, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        PanelMember.objects.select_related("review", "user"), pk=member, review=review
    )


@permission_required("reviews.declare_interest", fn=_panel_member)
def declaration_add(request, pk, member, obj):
    review = obj.review
    form = forms.DeclarationForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title=f"Declare an interest: {obj.user}",
        back=_review_url(review, "reviews:local-review"),
        success="The declaration has been recorded; the panel will make its recommendation",
        on_valid=lambda data: services.declaration_record(
            panel_member=obj, actor=actor_for(request), **data
        ),
    )


def _declaration(request, pk, declaration, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        Declaration.objects.select_related("panel_member__review", "panel_member__user"),
        pk=declaration,
        panel_member__review=review,
    )


@permission_required("reviews.manage_review", fn=_declaration)
def declaration_recommend(request, pk, declaration, obj):
    review = obj.panel_member.review
    form = forms.ConflictRecommendationForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title=f"The panel's recommendation on {obj.panel_member.user}'s interest",
        intro=obj.interest,
        back=_review_url(review, "reviews:local-review"),
        success="The panel's recommendation has been recorded",
        on_valid=lambda data: services.declaration_recommend(
            declaration=obj, actor=actor_for(request), **data
        ),
    )


def _declaring_member(request, pk, declaration, **kwargs):
    """The panel member whose declaration it is: they, or the business unit, may appeal."""
    return _declaration(request, pk, declaration).panel_member


@permission_required("reviews.declare_interest", fn=_declaring_member)
def declaration_appeal(request, pk, declaration, obj):
    declaration_obj = get_object_or_404(Declaration, pk=declaration, panel_member=obj)
    review = obj.review
    form = forms.AppealForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title="Appeal to the independent chair",
        intro=f"The panel recommended: {declaration_obj.get_recommendation_display() or 'nothing yet'}.",
        back=_review_url(review, "reviews:local-review"),
        success="The appeal has been recorded",
        on_valid=lambda data: services.declaration_appeal(
            declaration=declaration_obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_declaration)
def declaration_decide(request, pk, declaration, obj):
    review = obj.panel_member.review
    form = forms.AppealDecisionForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title="Record the independent chair's decision on the appeal",
        intro=obj.appeal_grounds,
        back=_review_url(review, "reviews:local-review"),
        success="The independent chair's decision has been recorded",
        on_valid=lambda data: services.declaration_decide_appeal(
            declaration=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def request_add(request, pk, obj):
    _local(obj)
    form = forms.AgencyRequestForm(posted(request))
    return _form_page(
        request,
        obj,
        form,
        title="Ask an agency for a chronology or learning summary",
        back=_review_url(obj, "reviews:local-review"),
        success="The request has been recorded",
        on_valid=lambda data: services.agency_request_add(
            review=obj, actor=actor_for(request), **data
        ),
    )


def _agency_request(request, pk, agency_request, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        AgencyRequest.objects.select_related("review", "organisation"),
        pk=agency_request,
        review=review,
    )


@permission_required("reviews.manage_review", fn=_agency_request)
def request_received(request, pk, agency_request, obj):
    form = forms.DateForm(posted(request), label="Date received", field="received_on")
    return _form_page(
        request,
        obj.review,
        form,
        title=f"Record the {obj} as received",
        back=_review_url(obj.review, "reviews:local-review"),
        success="It has been recorded as received",
        on_valid=lambda data: services.agency_request_receive(
            agency_request=obj, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def event_add(request, pk, obj):
    _local(obj)
    form = forms.PractitionerEventForm(posted(request))
    form.instance.review = obj
    return _form_page(
        request,
        obj,
        form,
        title="Record a practitioner event",
        back=_review_url(obj, "reviews:local-review"),
        success="The practitioner event has been recorded",
        on_valid=lambda data: services.practitioner_event_add(
            event=form.instance, actor=actor_for(request)
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def monitoring_add(request, pk, obj):
    _local(obj)
    form = forms.MonitoringForm(posted(request))
    form.instance.review = obj
    return _form_page(
        request,
        obj,
        form,
        title="Record a check on time and quality",
        intro="Regulation 14: the time a review takes and its quality are monitored at regular "
        "intervals.",
        back=_review_url(obj, "reviews:local-review"),
        success="The check has been recorded",
        on_valid=lambda data: services.monitoring_record(
            entry=form.instance, actor=actor_for(request)
        ),
    )
