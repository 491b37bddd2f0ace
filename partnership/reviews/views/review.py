"""A review's overview, its details, its incidents and their notifications."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from partnership.accounts.decorators import permission_required
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import forms, services
from ..deadlines import related
from ..display import Clock
from ..models import (
    Incident,
    Notification,
)
from .common import _form_page, _review, _review_url, _scoped_review, _viewed


@permission_required("reviews.view_review", fn=_review)
def review_detail(request, pk, obj):
    review = obj
    incidents = list(
        review.incidents.prefetch_related(
            "abuse_types",
            "agencies",
            Prefetch("notifications", queryset=Notification.objects.order_by("pk")),
        )
    )
    deadlines = review.deadlines.open().order_by("due_on", "pk")[:20]
    _viewed(request, review, "the review")
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "incidents": incidents,
            "themes": list(review.themes.all()),
            "deadlines": list(deadlines),
            "clock": Clock.now(),
            "rapid": related(review, "rapid_review"),
            "local": related(review, "local_review"),
            "publication": related(review, "publication"),
            "section": "overview",
        },
    )


@permission_required("reviews.manage_review", fn=_review)
def review_edit(request, pk, obj):
    review = obj
    initial = {
        "title": review.title,
        "case_manager": review.case_manager,
        "themes": list(review.themes.all()),
    }
    form = forms.ReviewDetailsForm(posted(request), initial=initial)
    return _form_page(
        request,
        review,
        form,
        title="Change the review's details",
        back=_review_url(review),
        success="The review's details have been saved",
        on_valid=lambda data: services.review_update(
            review=review, actor=actor_for(request), **data
        ),
    )


@permission_required("reviews.manage_review", fn=_review)
def incident_create(request, pk, obj):
    return _incident_form(request, obj, Incident(review=obj))


def _incident(request, pk, incident, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(Incident.objects.select_related("review"), pk=incident, review=review)


@permission_required("reviews.manage_review", fn=_incident)
def incident_edit(request, pk, incident, obj):
    return _incident_form(request, obj.review, obj)


def _incident_form(request, review, incident):
    creating = incident.pk is None
    form_class = forms.CareLeaverDeathForm if incident.care_leaver else forms.IncidentForm
    form = form_class(posted(request), instance=incident)

    def save(data):
        services.incident_save(
            incident=form.instance,
            abuse_types=data["abuse_types"],
            agencies=data["agencies"],
            actor=actor_for(request),
        )

    return _form_page(
        request,
        review,
        form,
        title="Add another child's incident to this review"
        if creating
        else ("Change the care leaver's record" if incident.care_leaver else "Change the incident"),
        back=_review_url(review),
        success="The incident has been saved; its notification dates follow it",
        on_valid=save,
        template="reviews/incident_form.html",
    )


def _notification(request, pk, notification, **kwargs):
    review = _scoped_review(request, pk)
    return get_object_or_404(
        Notification.objects.select_related("incident__review"),
        pk=notification,
        incident__review=review,
    )


@permission_required("reviews.manage_review", fn=_notification)
def notification_sent(request, pk, notification, obj):
    review = obj.incident.review
    form = forms.DateForm(
        posted(request),
        label="Date the notification was sent",
        field="sent_on",
        initial={"sent_on": obj.sent_on},
    )
    return _form_page(
        request,
        review,
        form,
        title=f"Record the notification to {obj.get_recipient_display()}",
        intro=f"{obj.incident.child_pseudonym}: the local authority became aware on "
        f"{obj.incident.aware_on:%-d %B %Y}. The notification was due by {obj.due_on:%-d %B %Y}.",
        back=_review_url(review),
        success=f"The notification to {obj.get_recipient_display()} has been recorded",
        on_valid=lambda data: services.notification_record_sent(
            notification=obj, sent_on=data["sent_on"], actor=actor_for(request)
        ),
    )
