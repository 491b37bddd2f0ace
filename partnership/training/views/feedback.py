"""Evaluation and impact follow-up, answered through private links from emails (nobody signs in)."""

import contextlib

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from partnership.accounts.decorators import public
from partnership.web.actors import actor_for
from partnership.web.forms import posted

from .. import services
from ..forms import (
    EvaluationForm,
    ImpactForm,
)
from ..models import (
    Attendance,
    Evaluation,
    ImpactResponse,
    Respondent,
)

# Evaluation and impact (private links from emails) -------------------------------------------


def _feedback(token, respondent=None):
    found = services.feedback_booking(token)
    if found is None or (respondent and found[1] != respondent):
        raise Http404("This link is not right")
    return found


@public
@never_cache
def evaluation(request, token):
    booking, _ = _feedback(token, Respondent.ATTENDEE)
    session = booking.session
    context = {"booking": booking, "session": session, "course": session.course}
    if Evaluation.objects.filter(booking=booking).exists():
        return render(request, "training/feedback_done.html", context)
    if booking.attendance != Attendance.ATTENDED or session.ends_at > timezone.now():
        return render(request, "training/feedback_not_yet.html", context)
    form = EvaluationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in EvaluationForm.Meta.fields}
        # Sent twice at once: the first one counts.
        with contextlib.suppress(services.TrainingError):
            services.evaluation_submit(
                booking=booking,
                answers=answers,
                actor=actor_for(request, visitor_doing="course evaluation link"),
            )
        return redirect("training:evaluation", token=token)
    return render(request, "training/evaluation.html", {**context, "form": form})


@public
@never_cache
def impact(request, token):
    booking, respondent = _feedback(token)
    session = booking.session
    context = {
        "booking": booking,
        "session": session,
        "course": session.course,
        "respondent": respondent,
        "impact": True,
    }
    if ImpactResponse.objects.filter(booking=booking, respondent=respondent).exists():
        return render(request, "training/feedback_done.html", context)
    if booking.attendance != Attendance.ATTENDED:
        return render(request, "training/feedback_not_yet.html", context)
    form = ImpactForm(posted(request), respondent=respondent)
    if request.method == "POST" and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in ImpactForm.Meta.fields}
        with contextlib.suppress(services.TrainingError):
            services.impact_submit(
                booking=booking,
                respondent=respondent,
                answers=answers,
                actor=actor_for(request, visitor_doing="training impact follow-up link"),
            )
        return redirect("training:impact", token=token)
    return render(request, "training/impact.html", {**context, "form": form})
