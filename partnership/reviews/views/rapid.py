"""The rapid review: letters, summaries, meeting, decision, sign-off, the Panel."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import forms, services
from ..deadlines import related
from ..display import Clock
from ..models import (
    CRITERIA_SECTIONS,
    AgencySummary,
    Incident,
    ReviewRules,
    today,
)
from .common import _form_page, _review, _review_url, _scoped_review, _viewed


def _rapid(review):
    rapid = related(review, "rapid_review")
    if rapid is None:
        raise Http404
    return rapid


@permission_required("reviews.view_review", fn=_review)
def rapid_review(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    summaries = list(
        rapid.summaries.select_related("organisation", "contribution_file", "submitted_by")
    )
    sign_offs = {s.partner_id: s for s in rapid.sign_offs.select_related("partner", "signed_by")}
    assessments = {a.criterion: a for a in rapid.assessments.all()}
    criteria = [
        (heading, [(c, assessments.get(c.value)) for c in items])
        for heading, items in CRITERIA_SECTIONS
    ]
    partner_rows = [(partner, sign_offs.get(partner.pk)) for partner in services.partners()]
    all_signed = bool(partner_rows) and all(sign_off for _, sign_off in partner_rows)
    all_received = bool(summaries) and all(s.received_on for s in summaries)
    _viewed(request, review, "the rapid review")
    return render(
        request,
        "reviews/rapid_review.html",
        {
            "review": review,
            "rapid": rapid,
            "summaries": summaries,
            "criteria": criteria,
            "partner_rows": partner_rows,
            "all_signed": all_signed,
            # A step is done, with its date, once its last part is: every summary in, every
            # partner signed.
            "summaries_done_on": max(s.received_on for s in summaries) if all_received else None,
            "sign_off_done_on": (max(s.signed_on for _, s in partner_rows) if all_signed else None),
            "signs_for": services.partner_signed_for_by(request.user),
            "has_report": hasattr(rapid, "report"),
            "clock": Clock.now(),
            "rules": ReviewRules.current(),
            "section": "rapid",
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def letters(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    involved = Incident.agencies.through.objects.filter(incident__review=review).values_list(
        "organisation_id", flat=True
    )
    form = forms.LettersForm(
        posted(request),
        initial={"sent_on": rapid.letters_sent_on, "organisations": list(involved)},
    )
    return _form_page(
        request,
        review,
        form,
        title="Record the agency letters",
        intro="Each agency chosen is asked for a summary, due by the rapid review's summaries "
        "date.",
        back=_review_url(review, "reviews:rapid-review"),
        success="The letters have been recorded and the agencies' summaries are awaited",
        on_valid=lambda data: services.rapid_review_record_letters(
            rapid=rapid,
            sent_on=data["sent_on"],
            organisations=data["organisations"],
            actor=actor_for(request),
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def summary_add(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.SummaryAddForm(posted(request))
    return _form_page(
        request,
        review,
        form,
        title="Ask another agency for a summary",
        back=_review_url(review, "reviews:rapid-review"),
        success="The agency's summary is awaited",
        on_valid=lambda data: services.rapid_review_record_letters(
            rapid=rapid,
            sent_on=rapid.letters_sent_on or data["requested_on"],
            organisations=[data["organisation"]],
            actor=actor_for(request),
        ),
    )


def _summary(request, pk, summary, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        AgencySummary.objects.select_related("rapid_review__review", "organisation"),
        pk=summary,
        rapid_review__review=review,
    )


@permission_required("reviews.manage_review", fn=_summary)
def summary_received(request, pk, summary, obj):
    review = obj.rapid_review.review
    form = forms.DateForm(posted(request), label="Date received", field="received_on")
    return _form_page(
        request,
        review,
        form,
        title=f"Record the summary from {obj.organisation} as received",
        back=_review_url(review, "reviews:rapid-review"),
        success=f"The summary from {obj.organisation} has been recorded as received",
        on_valid=lambda data: services.agency_summary_receive(
            summary=obj, received_on=data["received_on"], actor=actor_for(request)
        ),
    )


def _suggested_criteria(review) -> set[str]:
    """The Panel's factors the incidents themselves point to, ticked for a first meeting."""
    suggested = set()
    for incident in review.incidents.prefetch_related("abuse_types"):
        if incident.educated_otherwise:
            suggested.add("factor_educated_otherwise")
        if incident.looked_after or incident.child_protection_plan:
            suggested.add("factor_care_or_plan")
        if incident.institutional_setting:
            suggested.add("factor_institutional")
        if len(incident.abuse_types.all()) > 1:
            suggested.add("factor_range_of_abuse")
    return suggested


@permission_required("reviews.manage_review", fn=_review)
def meeting(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.MeetingForm(
        posted(request),
        initial={"held_on": rapid.meeting_held_on, "immediate_actions": rapid.immediate_actions},
        assessments={a.criterion: a for a in rapid.assessments.all()},
        suggested=_suggested_criteria(review),
    )
    return _form_page(
        request,
        review,
        form,
        title="Rapid review meeting",
        back=_review_url(review, "reviews:rapid-review"),
        success="The rapid review meeting has been recorded",
        on_valid=lambda data: services.rapid_review_record_meeting(
            rapid=rapid,
            held_on=data["held_on"],
            immediate_actions=data["immediate_actions"].strip(),
            assessments=form.assessments(),
            actor=actor_for(request),
        ),
        template="reviews/meeting_form.html",
    )


@permission_required("reviews.manage_review", fn=_review)
def decision(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.DecisionForm(
        posted(request),
        initial={
            "decision": rapid.decision,
            "rationale": rapid.rationale,
            "decided_on": rapid.decided_on,
        },
    )
    return _form_page(
        request,
        review,
        form,
        title="Record the decision",
        intro="The decision on further review, with its rationale against the criteria. "
        "Each safeguarding partner's lead then signs it off.",
        back=_review_url(review, "reviews:rapid-review"),
        success="The decision has been recorded; it now needs the partners' sign-off",
        on_valid=lambda data: services.rapid_review_decide(
            rapid=rapid, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.sign_off_rapid_review", fn=_review)
def sign_off(request, pk, obj):
    """The partner's delegated representative signs the decision off, themselves, today."""
    review = obj
    rapid = _rapid(review)
    form = forms.SignOffForm(posted(request))
    partner = services.partner_signed_for_by(request.user)
    return _form_page(
        request,
        review,
        form,
        title=f"Sign off the decision for {partner}",
        back=_review_url(review, "reviews:rapid-review"),
        success=f"You have signed off the decision for {partner}",
        submit_text="Sign off",
        on_valid=lambda data: services.rapid_review_sign_off(
            rapid=rapid, signer=request.user, signed_on=today(), actor=actor_for(request)
        ),
        template="reviews/sign_off_form.html",
        context={"rapid": rapid},
    )


@permission_required("reviews.manage_review", fn=_review)
def send_to_panel(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.DateForm(posted(request), label="Date sent to the Panel", field="sent_on")
    return _form_page(
        request,
        review,
        form,
        title="Send the decision to the Panel",
        intro="This completes the rapid review. For a local review, it starts the review and "
        "its publication clock.",
        back=_review_url(review, "reviews:rapid-review"),
        success="The decision has been sent to the Panel and the rapid review is complete",
        on_valid=lambda data: services.rapid_review_send_to_panel(
            rapid=rapid, sent_on=data["sent_on"], actor=actor_for(request)
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def panel_response(request, pk, obj):
    review = obj
    rapid = _rapid(review)
    form = forms.PanelResponseForm(
        posted(request),
        initial={"response": rapid.panel_response, "response_on": rapid.panel_response_on},
    )
    return _form_page(
        request,
        review,
        form,
        title="Record the Panel's response",
        back=_review_url(review, "reviews:rapid-review"),
        success="The Panel's response has been recorded",
        on_valid=lambda data: services.rapid_review_record_panel_response(
            rapid=rapid, actor=actor_for(request), **data
        ),
    )
