"""The yearly training needs analysis: setting it up, and each agency's answers."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from partnership.accounts.decorators import permission_required
from partnership.directory.models import Organisation
from partnership.web.actors import actor_for
from partnership.web.form_views import form_page
from partnership.web.forms import posted
from partnership.web.pagination import paginate

from .. import reports, services
from ..forms import (
    NeedsLineForm,
    NeedsSubmitForm,
    SurveyForm,
)
from ..models import (
    NeedsLine,
    NeedsResponse,
    NeedsSurvey,
    SurveyStatus,
    TrainingPlan,
    plan_year_of,
)

# Needs analysis ----------------------------------------------------------------------------


@permission_required("training.answer_needs")
def surveys(request):
    surveys = NeedsSurvey.objects.annotate(
        submitted=Count("responses", filter=Q(responses__submitted_at__isnull=False))
    )
    if not request.user.has_perm("training.view_needs"):
        surveys = surveys.exclude(status=SurveyStatus.DRAFT)
    page = paginate(request, surveys.order_by("-year"))
    return render(request, "training/needs/survey_list.html", {"page": page})


@permission_required("training.manage")
def survey_create(request):
    # The next year to plan for: in January to March that is the one starting in April.
    next_year = plan_year_of(timezone.localdate()) + 1
    form = SurveyForm(posted(request), initial={"year": next_year})
    return form_page(
        request,
        form,
        template="training/needs/survey_form.html",
        on_valid=lambda data: services.survey_save(survey=form.instance, actor=actor_for(request)),
        success=lambda survey: f"The needs analysis for {survey.year_label} has been set up",
        next_url=lambda survey: survey.get_absolute_url(),
    )


def _survey(request, year, **kwargs):
    return get_object_or_404(NeedsSurvey, year=year)


@permission_required("training.view_needs", fn=_survey)
def survey_detail(request, year, obj):
    summary = reports.needs_summary(obj)
    responses = obj.responses.select_related("organisation").annotate(staff=Count("lines"))
    page = paginate(request, responses.order_by("organisation__name"))
    plan = TrainingPlan.objects.filter(survey=obj).first()
    return render(
        request,
        "training/needs/survey_detail.html",
        {"survey": obj, "summary": summary, "page": page, "plan": plan},
    )


@permission_required("training.manage", fn=_survey)
def survey_edit(request, year, obj):
    form = SurveyForm(posted(request), instance=obj)
    return form_page(
        request,
        form,
        template="training/needs/survey_form.html",
        on_valid=lambda data: services.survey_save(survey=form.instance, actor=actor_for(request)),
        success="Your changes have been saved",
        next_url=lambda survey: survey.get_absolute_url(),
        context={"survey": obj},
    )


def _answering_for(request, year, **kwargs):
    """The agency being answered for: the user's own, or (for the business unit) any."""
    survey = get_object_or_404(NeedsSurvey, year=year)
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug and request.user.has_perm("training.manage"):
        organisation = get_object_or_404(Organisation.objects.active(), slug=slug)
    elif request.user.organisation_id:
        organisation = request.user.organisation
    else:
        organisation = None
    request.training_survey = survey
    return organisation


@permission_required("training.answer_needs_for", fn=_answering_for)
def needs_respond(request, year, obj):
    survey, organisation = request.training_survey, obj
    if organisation is None:
        raise Http404("Choose the organisation to answer for")
    response = NeedsResponse.objects.filter(survey=survey, organisation=organisation).first()
    line_form = NeedsLineForm(posted(request) if "add_line" in request.POST else None)
    submit_form = NeedsSubmitForm(
        posted(request) if "submit_response" in request.POST else None,
        initial={
            "workforce": response.workforce if response else None,
            "comments": response.comments if response else "",
        },
    )
    if request.method == "POST" and survey.status != SurveyStatus.OPEN:
        messages.success(request, "This needs analysis is closed: nothing was changed")
        return redirect(_respond_url(survey, organisation, request))
    if "add_line" in request.POST and line_form.is_valid():
        services.needs_line_save(
            survey=survey,
            organisation=organisation,
            actor=actor_for(request),
            **line_form.cleaned_data,
        )
        messages.success(request, "The training need has been added")
        return redirect(_respond_url(survey, organisation, request))
    if "submit_response" in request.POST and submit_form.is_valid():
        services.needs_response_submit(
            survey=survey,
            organisation=organisation,
            actor=actor_for(request),
            **submit_form.cleaned_data,
        )
        messages.success(request, f"Thank you: {organisation.name}'s training needs are sent")
        return redirect(_respond_url(survey, organisation, request))
    lines = NeedsLine.objects.filter(response=response).select_related("theme") if response else []
    return render(
        request,
        "training/needs/respond.html",
        {
            "survey": survey,
            "organisation": organisation,
            "response": response,
            "lines": lines,
            "line_form": line_form,
            "submit_form": submit_form,
            "for_other": organisation.pk != request.user.organisation_id,
        },
    )


def _respond_url(survey, organisation, request):
    url = reverse("training:needs-respond", kwargs={"year": survey.year})
    if organisation.pk != request.user.organisation_id:
        url += f"?organisation={organisation.slug}"
    return url


def _needs_line(request, year, pk, **kwargs):
    line = get_object_or_404(
        NeedsLine.objects.select_related("response__organisation", "response__survey"),
        pk=pk,
        response__survey__year=year,
    )
    request.training_line = line
    return line.response.organisation


@require_POST
@permission_required("training.answer_needs_for", fn=_needs_line)
def needs_line_remove(request, year, pk, obj):
    line = request.training_line
    try:
        services.needs_line_remove(line=line, actor=actor_for(request))
    except services.TrainingError as error:
        messages.success(request, error.message)
    else:
        messages.success(request, "The training need has been removed")
    return redirect(_respond_url(line.response.survey, obj, request))
